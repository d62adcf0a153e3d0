"""Stage 1 of the pipeline: the data files → a validated `Catalogue` and every `Problem`.

`yamlfile` reads one YAML file (libyaml's syntax, YAML 1.2's meanings, a
location for every value), with `reading` (which files may be opened, and
decoding), `characters` (refused characters), `shape` (depth and size before
parsing), `syntax` (the parser and its problems; `openings` and `syntaxwords`
word its syntax errors), `scalars` (what a plain
value means), `building` (nodes → values), `positions` (paths and
locations) and `listing` (bounded problem lists); `model` is the pydantic model of each file;
`messages` rewords pydantic's errors for people editing YAML; `load` reads
every file against its model into a `Catalogue`; `checks` adds what no single
record can know (ids unique, references resolve) and is the stage's entry
point, `checks.validate`; `schema` writes the model's JSON Schemas.
"""
