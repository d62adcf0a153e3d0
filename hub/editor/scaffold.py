"""`hub new`: a new record, checked against the model and the catalogue, added in the right place.

The record is written as text lines inserted into its data file, so every other
byte of the file (comments, order, layout) stays exactly as it was; the new
lines are already in `hub.editor.fmt`'s canonical layout. Before anything is written
the whole catalogue is validated with the record in place (in a temporary copy),
so a record added with `hub new` always validates.

Where records go:

* resources: the end of ``resources:`` in resources.yaml, and (``--subsection``)
  their id at the end of each chosen subsection's ``resources:`` list;
* events: in date order when the events are in date order, else at the end;
* everything else: the end of its list.

The prompting itself lives in `hub.commands.new`; this module only decides.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import types
import typing
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from hub.catalogue.load import shown_path
from hub.catalogue.messages import pydantic_problems
from hub.catalogue.model import (
    DATA_FILES,
    Event,
    Helpline,
    Measure,
    Organisation,
    Person,
    Record,
    Ref,
    Resource,
    ResourceType,
    Subsection,
    Topic,
)
from hub.catalogue.yamlfile import LoadedYaml, load_yaml_text, read_text
from hub.editor.fmt import parse, render_field, render_item
from hub.problems import Problem, Severity

# --- the kinds of record ---------------------------------------------------------

PAPER_FIELDS = ("title", "authors", "journal", "volume", "issue", "pages", "year", "published", "doi",
                "url", "url_format", "summary", "key_points", "audience", "setting", "topics")
OTHER_RESOURCE_FIELDS = ("title", "organisation", "authors", "year", "published", "url", "url_format",
                         "doi", "summary", "key_points", "audience", "setting", "topics")


@dataclass(frozen=True)
class Kind:
    """One kind of record `hub new` can add."""

    name: str
    model: type[Record]
    file: str
    """The data file it lives in."""
    list_key: str
    """The top-level list it is added to."""
    fields: tuple[str, ...]
    """Fields asked for, in order (``id`` is asked for after the title)."""
    preset: dict = field(default_factory=dict)
    help: str = ""


def _all_fields(model: type[BaseModel], skip: tuple[str, ...] = ("id",)) -> tuple[str, ...]:
    return tuple(info.alias or name for name, info in model.model_fields.items()
                 if (info.alias or name) not in skip)


def _kinds() -> dict[str, Kind]:
    out: dict[str, Kind] = {}
    for rtype in ResourceType:
        fields = PAPER_FIELDS if rtype is ResourceType.paper else OTHER_RESOURCE_FIELDS
        out[rtype.value] = Kind(rtype.value, Resource, "resources.yaml", "resources", fields,
                                {"type": rtype.value}, f"a resource of type '{rtype.value}'")
    out["resource"] = Kind("resource", Resource, "resources.yaml", "resources",
                           ("type",) + OTHER_RESOURCE_FIELDS, {}, "a resource of any type (you choose it)")
    out["event"] = Kind("event", Event, "events.yaml", "events", _all_fields(Event), {},
                        "a site visit, virtual clinic or launch event, with its talks")
    out["organisation"] = Kind("organisation", Organisation, "organisations.yaml", "organisations",
                               _all_fields(Organisation), {}, "a third-sector support organisation")
    out["measure"] = Kind("measure", Measure, "measures.yaml", "measures", _all_fields(Measure), {},
                          "a measure of the data dictionary")
    out["person"] = Kind("person", Person, "people.yaml", "people", _all_fields(Person), {},
                         "a member of the expert reference panel or the core staff")
    out["topic"] = Kind("topic", Topic, "resources.yaml", "topics", _all_fields(Topic), {},
                        "a topic that resources can be tagged with")
    out["helpline"] = Kind("helpline", Helpline, "helplines.yaml", "helplines", _all_fields(Helpline), {},
                           "an urgent-help line for the 'need help now' box")
    return out


KINDS = _kinds()

DATED_FIELDS = ("added", "last_reviewed")
"""Fields that default to today's date (resources)."""


# --- fields ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """What a prompt needs to know about one field."""

    key: str
    doc: str
    required: bool
    base: Any
    """The Python type of the value (or of each item): str, int, bool, dt.date, an Enum, a model…"""
    is_list: bool
    ref: str | None
    """The kind of record an id must name (``topic``, ``person``…), if any."""
    choices: tuple = ()

    @property
    def is_record_list(self) -> bool:
        return self.is_list and isinstance(self.base, type) and issubclass(self.base, BaseModel)


def field_spec(model: type[BaseModel], key: str) -> FieldSpec:
    name, info = next((n, i) for n, i in model.model_fields.items() if (i.alias or n) == key)
    base, is_list, ref = _unwrap(info.annotation, info.metadata)
    choices: tuple = ()
    if isinstance(base, type) and issubclass(base, Enum):
        choices = tuple(m.value for m in base)
    elif get_origin(base) is Literal:
        choices = get_args(base)
        base = type(choices[0])
    return FieldSpec(key, (info.description or "").strip(), info.is_required(), base, is_list, ref, choices)


def _unwrap(annotation: Any, metadata: list) -> tuple[Any, bool, str | None]:
    ref = next((m.kind for m in metadata if isinstance(m, Ref)), None)
    is_list = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            ref = ref or next((m.kind for m in annotation.__metadata__ if isinstance(m, Ref)), None)
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif origin is list:
            is_list, annotation = True, get_args(annotation)[0]
        else:
            return annotation, is_list, ref


def convert(spec: FieldSpec, text: str) -> Any:
    """What an editor typed → the value the YAML file would hold (numbers as numbers)."""
    text = text.strip()
    if spec.base is bool:
        return {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}.get(
            text.lower(), text)
    if spec.base is int:
        return int(text) if re.fullmatch(r"-?[0-9]+", text) else text
    if spec.base is str and re.fullmatch(r"[1-9][0-9]{0,8}", text) and spec.key in NUMBER_LIKE:
        return int(text)
    return text


NUMBER_LIKE = {"volume", "issue", "pages", "value", "contact"}
"""Text fields where a plain number may be written unquoted, as the data files do (`volume: 8`)."""


def convert_record(model: type[BaseModel], text: str) -> Any:
    """A nested record given in one line, ``{title: …, speaker: …}`` (YAML flow style)."""
    loaded = load_yaml_text(f"value: {text}\n", "--set")
    if loaded.problems or not isinstance(loaded.data, dict):
        return text
    return loaded.data.get("value")


# --- checking ---------------------------------------------------------------------------


def check_fields(model: type[BaseModel], values: dict, shown: str, only: set[str] | None = None) -> list[Problem]:
    """Problems with the given fields (missing ones ignored), in the validator's words."""
    try:
        model.model_validate(values)
    except ValidationError as exc:
        problems = _unlocated(pydantic_problems(exc, model, LoadedYaml(shown, "")), shown)
        keys = set(values) if only is None else only
        return [p for p in problems if p.code != "missing" and _record_part(p.field) in keys]
    return []


def check_record(model: type[BaseModel], record: dict, shown: str) -> list[Problem]:
    """Every problem of a whole record."""
    try:
        model.model_validate(record)
    except ValidationError as exc:
        return _unlocated(pydantic_problems(exc, model, LoadedYaml(shown, "")), shown)
    return []


def _unlocated(problems: list[Problem], shown: str) -> list[Problem]:
    return [replace(p, file=shown, line=None, column=None) for p in problems]


def _record_part(path: str) -> str:
    match = re.match(r"^(?:\w+\[\d+\]\.)?(\w+)", path)
    return match.group(1) if match else path


def field_of(problem: Problem) -> str:
    """The record field a problem is about (to ask for it again)."""
    return _record_part(problem.field)


# --- ids ---------------------------------------------------------------------------------

STOPWORDS = set("""a an and are as at be by for from has have how in into is it its of on or that the their
this to what when which who why with without who whose people person care""".split())
HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame"}


def slug(text: str, words: int = 6) -> str:
    parts = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    return "-".join(parts[:words])


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def keywords(title: str, count: int = 3) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", _ascii(title).lower()) if w not in STOPWORDS]
    return "-".join(words[:count])


def suggest_id(kind: Kind, record: dict, taken: set[str]) -> str:
    """An id in the catalogue's style: ``kapur-2013-clinical-management``, ``clinic-2022-06-23``…"""
    model = kind.model
    base = ""
    if model is Resource:
        lead = ""
        if record.get("type") == "paper" and record.get("authors"):
            lead = str(record["authors"][0]).split(" ")[0]
        elif record.get("organisation"):
            lead = str(record["organisation"])
        parts = [slug(lead, 3), str(record.get("year") or ""), keywords(str(record.get("title", "")))]
        base = "-".join(p for p in parts if p)
    elif model is Event:
        prefix = {"virtual-clinic": "clinic", "site-visit": "site-visit", "launch": "launch"}.get(
            str(record.get("kind")), "event")
        base = f"{prefix}-{record['date']}" if record.get("date") else slug(str(record.get("title", "")))
    elif model is Person:
        name = " ".join(w for w in str(record.get("name", "")).split() if w.lower().strip(".") not in HONORIFICS)
        base = slug(name)
    else:
        base = slug(str(record.get("title") or record.get("name") or record.get("service") or kind.name), 5)
    base = base or kind.name
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- the catalogue as the prompts need it ---------------------------------------------------------


@dataclass
class Context:
    """What the prompts and checks need to know about the current data."""

    data_dir: Path
    root: Path
    ids: set[str]
    ids_by_kind: dict[str, list[str]]
    subsections: list[tuple[str, str, str]]
    """(section id, subsection id, subsection title), in page order."""
    loaded: dict[str, LoadedYaml] = field(default_factory=dict)
    """File name → the file as loaded (so that it is not loaded again)."""

    def shown(self, name: str) -> str:
        return shown_path(self.data_dir / name, self.root)


def load_context(data_dir: Path, root: Path) -> Context:
    ids: set[str] = set()
    by_kind: dict[str, list[str]] = {}
    subsections: list[tuple[str, str, str]] = []
    files: dict[str, LoadedYaml] = {}
    for name, model in DATA_FILES.items():
        path = data_dir / name
        if not path.exists():
            continue
        loaded = files[name] = _load(path, shown_path(path, root))
        if not isinstance(loaded.data, dict):
            continue
        _collect(loaded.data, ids)
        for key, info in model.model_fields.items():
            item = _unwrap(info.annotation, [])[0]
            kind = getattr(item, "record_kind", "")
            items = loaded.data.get(info.alias or key)
            if kind and isinstance(items, list):
                by_kind.setdefault(kind, []).extend(
                    i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str))
        if name == "resources.yaml":
            for section in loaded.data.get("sections") or []:
                for sub in (section or {}).get("subsections") or [] if isinstance(section, dict) else []:
                    if isinstance(sub, dict):
                        subsections.append((str(section.get("id")), str(sub.get("id")), str(sub.get("title"))))
                        by_kind.setdefault("subsection", []).append(str(sub.get("id")))
    return Context(data_dir, root, ids, by_kind, subsections, files)


def _load(path: Path, shown: str) -> LoadedYaml:
    text, problems = read_text(path, shown)
    if text is None:
        return LoadedYaml(shown, "", problems=problems)
    return load_yaml_text(text, shown)


def _collect(data: Any, ids: set[str]) -> None:
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            ids.add(data["id"])
        for value in data.values():
            _collect(value, ids)
    elif isinstance(data, list):
        for value in data:
            _collect(value, ids)


def build_record(kind: Kind, values: dict, today: dt.date) -> dict:
    """Presets, today's dates, and the given values, in the model's field order, empty ones left out."""
    record = {**kind.preset, **{k: v for k, v in values.items() if v not in (None, "", [])}}
    if kind.model is Resource:
        for name in DATED_FIELDS:
            record.setdefault(name, today.isoformat())
    order = [info.alias or name for name, info in kind.model.model_fields.items()]
    return {k: record[k] for k in sorted(record, key=lambda k: order.index(k) if k in order else len(order))}


# --- writing into the file, changing nothing else --------------------------------------------------


class EditError(Exception):
    """The file cannot be edited safely; the problems say what to do."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class Edit:
    """Lines to insert before 0-based line ``at`` (and optionally one line to rewrite)."""

    at: int
    lines: list[str]
    rewrite: tuple[int, str] | None = None


@dataclass
class TextFile:
    """A file's lines with its own line ending, so that unchanged lines stay byte-identical."""

    path: Path
    shown: str
    lines: list[str]
    newline: str = "\n"
    bom: str = ""

    @classmethod
    def read(cls, path: Path, shown: str) -> TextFile:
        raw = path.read_bytes().decode("utf-8")
        bom = "\ufeff" if raw.startswith("\ufeff") else ""
        raw = raw[len(bom):]
        newline = "\r\n" if "\r\n" in raw else "\n"
        return cls(path, shown, raw.split(newline), newline, bom)

    @property
    def text(self) -> str:
        return self.bom + self.newline.join(self.lines)

    def document(self, loaded: LoadedYaml | None = None):
        """The parsed file (`hub.fmt.Document`); `EditError` if it is not valid YAML."""
        doc, problems = parse("\n".join(self.lines), self.shown, loaded)
        if doc is None:
            raise EditError(problems)
        return doc

    def apply(self, edits: list[Edit]) -> list[int]:
        """Make every edit (planned on the same text); returns each one's first new line, 1-based."""
        real = len(self.lines) - 1 if self.lines and self.lines[-1] == "" else len(self.lines)
        if any(e.at >= real for e in edits) and self.lines[-1:] != [""]:
            self.lines.append("")  # the file had no final newline
        for edit in edits:
            edit.at = min(edit.at, real)
            if edit.rewrite:
                self.lines[edit.rewrite[0]] = edit.rewrite[1]
        firsts = []
        for k, edit in enumerate(edits):
            shift = sum(len(o.lines) for o in edits if o.at < edit.at)
            shift += sum(len(o.lines) for o in edits[:k] if o.at == edit.at)
            firsts.append(edit.at + shift + 1)
        for k in sorted(range(len(edits)), key=lambda k: (edits[k].at, k), reverse=True):
            self.lines[edits[k].at:edits[k].at] = edits[k].lines
        return firsts


def item_edit(doc, path: tuple, value: Any, model: type[BaseModel] | None, before: int | None = None) -> Edit:
    """Add ``value`` to the list at ``path``: at the end, or before item number ``before``."""
    entry = doc.find(path)
    if entry is None:
        if len(path) == 1:
            lines = ([""] if doc.root.entries else []) + render_field(path[0], [value], 0, model)
            return Edit(len(doc.lines), lines)
        raise _error(doc, f"there is no '{path[-1]}' list here", "add the list first")
    node = entry.value
    if node.kind == "scalar" and node.value is None:
        return Edit(entry.start + 1, render_item(value, entry.column + 2, model))
    if node.kind != "seq":
        raise _error(doc, f"'{path[-1]}' is not a list", "check the file against CONTRIBUTING.md", entry.start)
    items = node.entries
    if not items:
        line = doc.lines[entry.start]
        rewrite = (entry.start, re.sub(r":(\s*)\[\s*\]", ":", line, count=1))
        return Edit(entry.start + 1, render_item(value, entry.column + 2, model), rewrite)
    if items[0].start == entry.start:
        raise _error(doc, f"the list '{path[-1]}' is written in [brackets]",
                     "run python -m hub fmt first, then try again", entry.start)
    lines = render_item(value, items[0].column, model)
    if before is None or before >= len(items):
        at, neighbour = items[-1].end + 1, items[-1]
    elif before == 0:
        at, neighbour = entry.start + 1, items[0]
    else:
        at, neighbour = items[before - 1].end + 1, items[before]
    if len(items) > 1 and neighbour.leading[:1] == [""]:
        lines = [""] + lines  # this list has a blank line between its items
    return Edit(at, lines)


def field_edit(doc, path: tuple, key: str, value: Any, model: type[BaseModel],
               value_model: type[BaseModel] | None = None) -> Edit:
    """Add ``key: value`` to the record at ``path``, at its place in the model's field order."""
    entry = doc.find(path)
    node = entry.value if entry is not None else doc.root if not path else None
    if node is None or node.kind != "map" or not node.entries:
        raise _error(doc, "there is no record here to add the field to", "check the file")
    if any(e.key == key for e in node.entries):
        raise _error(doc, f"the record already has '{key}'", f"edit the existing '{key}:' line")
    order = [info.alias or name for name, info in model.model_fields.items()]
    rank = {k: i for i, k in enumerate(order)}
    position = rank.get(key, len(order))
    following = next((i for i, e in enumerate(node.entries) if rank.get(e.key or "", len(order)) > position), None)
    if following == 0:
        raise _error(doc, f"cannot place '{key}' before the record's first field", "add it by hand")
    at = node.entries[-1].end + 1 if following is None else node.entries[following - 1].end + 1
    return Edit(at, render_field(key, value, node.column, value_model))


def subsection_edit(doc, subsection_id: str, resource_id: str) -> Edit | None:
    """List a resource at the end of a subsection's ``resources:`` (None if it is already listed)."""
    data = doc.loaded.data if isinstance(doc.loaded.data, dict) else {}
    for si, section in enumerate(data.get("sections") or []):
        subs = section.get("subsections") or [] if isinstance(section, dict) else []
        for ssi, sub in enumerate(subs):
            if isinstance(sub, dict) and sub.get("id") == subsection_id:
                base = ("sections", si, "subsections", ssi)
                if sub.get("resources") is not None:
                    if resource_id in (sub.get("resources") or []):
                        return None
                    return item_edit(doc, base + ("resources",), resource_id, None)
                return field_edit(doc, base, "resources", [resource_id], Subsection)
    raise _error(doc, f"no subsection has the id '{subsection_id}'",
                 "the subsection ids are listed by: python -m hub new paper (interactive)")


def _error(doc, message: str, hint: str, line: int | None = None) -> EditError:
    return EditError([Problem(doc.shown, None if line is None else line + 1, None, "cannot-edit", message,
                              hint=hint)])


# --- the plan: new texts, checked --------------------------------------------------------


@dataclass
class Plan:
    """What `hub new` will write, and what the validator says about it."""

    file: TextFile
    record_lines: tuple[int, int]
    """1-based first line and count of the new record's lines."""
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """Warnings and notices about the new record (not placed yet, no link yet…)."""

    def record_text(self) -> str:
        first, count = self.record_lines
        return "\n".join(self.file.lines[first - 1:first - 1 + count]).strip("\n")

    def write(self) -> None:
        self.file.path.write_bytes(self.file.text.encode("utf-8"))


def events_position(data: Any, date: str | None) -> int | None:
    """Where a new event goes: in date order if the events are in date order, else at the end."""
    events = data.get("events") if isinstance(data, dict) else None
    if not date or not isinstance(events, list):
        return None
    dated = [(i, str(e.get("date"))) for i, e in enumerate(events) if isinstance(e, dict) and e.get("date")]
    if [d for _, d in dated] != sorted(d for _, d in dated):
        return None
    return next((i for i, d in dated if d > str(date)), None)


def plan(ctx: Context, kind: Kind, record: dict, subsections: list[str]) -> Plan:
    """Insert the record (and its subsection listings) into the text, then validate the catalogue."""
    file = TextFile.read(ctx.data_dir / kind.file, ctx.shown(kind.file))
    doc = file.document(ctx.loaded.get(kind.file))
    before = events_position(doc.loaded.data, record.get("date")) if kind.model is Event else None
    edits = [item_edit(doc, (kind.list_key,), record, kind.model, before)]
    for sub in dict.fromkeys(subsections):
        edit = subsection_edit(doc, sub, record["id"])
        if edit:
            edits.append(edit)
    firsts = file.apply(edits)
    result = Plan(file, (firsts[0], len(edits[0].lines)))
    result.errors, result.notes = _validate_with(ctx, file, result.record_lines)
    return result


def _validate_with(ctx: Context, file: TextFile, lines: tuple[int, int]) -> tuple[list[Problem], list[Problem]]:
    """Validate the catalogue as it would be: new errors, and notes about the new lines."""
    from hub.catalogue.checks import validate

    with tempfile.TemporaryDirectory() as tmp:
        rel = Path(shown_path(ctx.data_dir, ctx.root))
        root = Path(tmp) if not rel.is_absolute() else Path(tmp) / "root"
        copy = root / (rel if not rel.is_absolute() else "data")
        copy.mkdir(parents=True, exist_ok=True)
        for yaml_file in ctx.data_dir.glob("*.yaml"):
            shutil.copy(yaml_file, copy / yaml_file.name)
        (copy / file.path.name).write_bytes(file.text.encode("utf-8"))
        after = validate(copy, root)
    name = file.path.name
    problems = [replace(p, file=file.shown) if Path(p.file).name == name else p for p in after.problems]
    first, count = lines
    inside = range(first, first + count)
    # the record is not in the file yet: a line number inside it would point at nothing
    problems = [replace(p, line=None, column=None, source_line=None, file=f"{p.file} (new {p.field.split('.')[0]})")
                if p.file == file.shown and p.line in inside else p for p in problems]
    mine = [p for p in problems if p.file.startswith(f"{file.shown} (new ")]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        known = {_signature(p) for p in validate(ctx.data_dir, ctx.root).errors}
        errors = [p for p in errors if p in mine or _signature(p) not in known]
    notes = [p for p in mine if p.severity is not Severity.ERROR]
    return errors, notes


def _signature(p: Problem) -> tuple:
    return (Path(p.file).name, p.code, re.sub(r"\d+", "#", p.message))
