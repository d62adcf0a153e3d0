"""Stage 3 of the pipeline: the rendered files → a built site (the only code that knows MkDocs or Zensical).

`build` writes a work folder, runs the engine and swaps the result into
place; `serve` runs the live-reload preview; `hooks` is the MkDocs hook file
the preview loads.
"""
