"""The editors' tools: `hub fmt`, `hub new`, `hub review`, `hub docs` (they edit the data files as text).

Nothing here is part of the build pipeline; the pipeline never imports it.
Modules, from the bottom up (each imports only those above it):

* `fields` — a model's keys in order and what each field holds (from `hub.catalogue.model`);
* `settings` — the models and loaders of editorial/review.yaml and editorial/language.yaml;
* `document` — a data file parsed into a tree with every comment attached;
* `printer` — a tree (or a new record) written in the canonical layout;
* `fmt` — `hub fmt`: format a file, checked to keep the same data and comments;
* `edit` — text edits that change nothing else (`TextFile`, `item_edit`, `field_edit`);
* `new` — `hub new`: kinds of record, typed answers, ids, where a record goes, checked;
* `crossref` — the Crossref REST API client;
* `findings` — what `hub review` reports (`Finding`, `Review`, `CHECKS`);
* `retractions` — Crossref's retractions and corrections as findings; `--apply`'s notice;
* `review` — `hub review`: runs every check;
* `fieldref` — `hub docs`: the field reference and word list in CONTRIBUTING.md.
"""
