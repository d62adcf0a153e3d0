"""The editors' tools: `hub fmt`, `hub new`, `hub review`, `hub docs` (they edit the data files as text).

Nothing here is part of the build pipeline; the pipeline never imports it.
"""
