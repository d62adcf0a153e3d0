"""The field reference in CONTRIBUTING.md, generated from `hub.catalogue.model` (`python -m hub docs`).

One source of truth: the same models (and their field docstrings) drive the
validator, the JSON Schemas and this reference, and a test fails when the
committed CONTRIBUTING.md is out of date. Types are described from the JSON
Schema of each field, in words an editor uses. The safe-messaging word list is
generated here too, from editorial/language.yaml; when that file has problems
they are returned, never dropped, so the list is not regenerated from half of it.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from hub.catalogue.fielddocs import documented
from hub.catalogue.fields import DOI_PATTERN, EMAIL_PATTERN, PHONE_PATTERN, PHONE_RULE, SLUG_PATTERN
from hub.catalogue.model import DATA_FILES
from hub.catalogue.yamlfile import load_yaml
from hub.editor.fields import field_models, field_spec, quoted_keys
from hub.editor.settings import EDITORIAL_FILES, load_language
from hub.problems import Problem, display_path

BLOCKS = ("fields", "language", "ids")
"""Generated blocks: each lives between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``."""

_REF_WORDS = {"resource": "a resource (in `resources:`)", "topic": "a topic (in `topics:`)",
              "organisation": "an organisation (in organisations.yaml)", "person": "a person (in people.yaml)"}


def _inner_models(model: type[BaseModel]) -> list[tuple[str, type[BaseModel], bool]]:
    """(key, record model, whether the field is a list of them) for each nested record field."""
    return [(key, inner, field_spec(model, key).is_list) for key, inner in field_models(model).items()
            if inner is not None]


def _describe(schema: dict, defs: dict, ref: str | None) -> str:
    """A field's type in words, from its JSON Schema."""
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _describe(options[0], defs, ref) if len(options) == 1 else "text or a number"
    if "$ref" in schema:
        target = defs[schema["$ref"].split("/")[-1]]
        if "enum" in target:
            return "one of: " + ", ".join(f"`{v}`" for v in target["enum"])
        return "a group of fields (see its table below)"
    if "enum" in schema:
        return "one of: " + ", ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        item = _describe(schema.get("items", {}), defs, ref)
        return f"a list; each item is {item}"
    if kind == ["string", "integer"]:
        return "text (a number may be written without quotes)"
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        return f"a whole number from {low} to {high}" if low is not None and high is not None else "a whole number"
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return f"a number from {low} to {high}" if low is not None and high is not None else "a number"
    if kind == "boolean":
        return "`true` or `false`"
    pattern, fmt = schema.get("pattern"), schema.get("format")
    if pattern == SLUG_PATTERN:
        return f"the id of {_REF_WORDS.get(ref, 'a ' + ref)}" if ref else \
            "an id: lower-case letters, digits and single hyphens"
    if fmt == "date":
        return "a date, YYYY-MM-DD"
    if fmt == "uri":
        return ("a web address starting with https:// (http:// is accepted with a warning; "
                "or mailto:, tel:)")
    if pattern == EMAIL_PATTERN:
        return "an email address"
    if pattern == PHONE_PATTERN:
        return f"a phone number: {PHONE_RULE}"
    if pattern == DOI_PATTERN:
        return "a DOI, e.g. `10.1192/bjp.2021.50`"
    if fmt == "markdown":
        return "text; inline Markdown allowed (`*italic*`, `**bold**`, `[link](https://…)`)"
    return "text"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(model: type[BaseModel]) -> list[str]:
    schema = documented(model).model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    lines = ["| Field | | What to write |", "| --- | --- | --- |"]
    quoted = quoted_keys(model)
    for name, info in model.model_fields.items():
        key = info.alias or name
        prop = schema["properties"][key]
        what = _describe(prop, defs, field_spec(model, key).ref)
        if key in quoted:  # the rule hub fmt applies: following the reference passes the layout check
            what = what.replace(" (a number may be written without quotes)", "") + \
                ", always written in double quotes (an unquoted number loses its leading 0)"
        doc = (info.description or "").strip()
        need = "required" if info.is_required() else "optional"
        default = [] if info.default_factory is list else info.default
        if not info.is_required() and default not in (None, [], "") and not isinstance(default, BaseModel):
            need += f", default `{getattr(default, 'value', default)}`"
        text = f"{doc} *({what[0].upper() + what[1:]}.)*" if doc else f"{what[0].upper() + what[1:]}."
        lines.append(f"| `{key}` | {need} | {_cell(text)} |")
    return lines


def _first_sentence(model: type[BaseModel]) -> str:
    doc = " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())
    doc = re.sub(r"^`[\w/.]+\.yaml`: ", "", doc)  # the heading already names the file
    return doc[:1].upper() + doc[1:]


def _file_section(name: str, model: type[BaseModel], heading: str) -> list[str]:
    lines = [f"### `{heading}`", "", _first_sentence(model), "", *_table(model)]
    seen: set[type[BaseModel]] = set()

    def walk(parent: type[BaseModel], where: str) -> None:
        for key, inner, is_list in _inner_models(parent):
            if inner in seen:
                continue
            seen.add(inner)
            place = f"`{key}:`" + (f" (inside {where})" if where else "")
            title = f"Each item of {place}" if is_list else f"The fields of {place}"
            lines.extend(["", f"#### {title}", "", _first_sentence(inner), "", *_table(inner)])
            walk(inner, f"{where + ' › ' if where else ''}`{key}:`")

    walk(model, "")
    return lines + [""]


def render_fields() -> str:
    """The whole field reference (Markdown)."""
    lines = ["*Generated from the model by `python -m hub docs`: do not edit by hand.*", ""]
    for name, model in DATA_FILES.items():
        lines += _file_section(name, model, f"data/{name}")
    for name, model in EDITORIAL_FILES.items():
        lines += _file_section(name, model, f"editorial/{name}")
    return "\n".join(lines).rstrip() + "\n"


def render_language(editorial: Path) -> tuple[str, list[Problem]]:
    """The word list as a table (an example of the wording, what to write instead, why), and the
    problems of editorial/language.yaml (missing, not valid YAML, bad fields or patterns)."""
    terms, problems = load_language(editorial)
    lines = ["*Generated from `editorial/language.yaml` by `python -m hub docs`: do not edit by hand.*", "",
             "| Instead of (example) | Write | Why |", "| --- | --- | --- |"]
    for term in terms:
        example = term.entry.examples[0]
        match = term.regex.search(example)
        shown = (example[:match.start()] + "**" + match.group() + "**" + example[match.end():]) if match else example
        why = term.entry.reason + (
            (f" ([{term.source.title}]({term.source.url}))" if term.source.url else f" ({term.source.title})")
            if term.source else "")
        if term.entry.severity == "notice":
            why += " *Check the context.*"
        lines.append(f"| {_cell(shown)} | {_cell(term.entry.suggestion)} | {_cell(why)} |")
    return "\n".join(lines) + "\n", problems


def render_ids(data_dir: Path) -> tuple[str, list[Problem]]:
    """The subsection and topic ids of data/resources.yaml, for editors who cannot run `hub new`.

    Read from the file as it is (not validated: a record with an error elsewhere still lists its id);
    with a problem that stops the file being read, the problems are returned instead."""
    path = data_dir / "resources.yaml"
    loaded = load_yaml(path, display_path(path))
    if loaded.problems or not isinstance(loaded.data, dict):
        return "", loaded.problems
    lines = ["*Generated from `data/resources.yaml` by `python -m hub docs`: do not edit by hand. A list "
             "that is behind the data never fails a check.*", "",
             "Subsections, for listing a resource (add its id to the subsection's `resources:`):", "",
             "| Section | Subsection id | Heading |", "| --- | --- | --- |"]
    for section in _dicts(loaded.data.get("sections")):
        where = f"{section.get('number', '')}. {section.get('title', '')}".strip(". ")
        for sub in _dicts(section.get("subsections")):
            lines.append(f"| {_cell(where)} | `{sub.get('id', '')}` | {_cell(str(sub.get('title', '')))} |")
    lines += ["", "Topics, for a resource's `topics:` list:", "", "| Topic id | Topic |", "| --- | --- |"]
    lines += [f"| `{t.get('id', '')}` | {_cell(str(t.get('title', '')))} |" for t in _dicts(loaded.data.get("topics"))]
    return "\n".join(lines) + "\n", []


def _dicts(value: object) -> list[dict]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def replace_block(text: str, name: str, content: str) -> str | None:
    """``text`` with the block ``name`` replaced, or None when its markers are missing."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.DOTALL)
    if not pattern.search(text):
        return None
    return pattern.sub(lambda m: m.group(1) + "\n" + content + "\n" + m.group(3), text, count=1)


def update(text: str, editorial: Path, data_dir: Path | None = None) -> tuple[str, list[str], list[Problem]]:
    """Every generated block refreshed (the ids block only with ``data_dir``); also the names of blocks
    whose markers are missing, and the problems of the files the blocks come from (with any problem,
    the text must not be written)."""
    missing = []
    language, problems = render_language(editorial)
    blocks = [("fields", render_fields()), ("language", language)]
    if data_dir is not None:
        ids, id_problems = render_ids(data_dir)
        problems += id_problems
        blocks.append(("ids", ids))
    for name, content in blocks:
        new = replace_block(text, name, content)
        if new is None:
            missing.append(name)
        else:
            text = new
    return text, missing, problems
