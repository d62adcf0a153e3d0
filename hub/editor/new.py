"""`hub new`'s decisions: the kinds of record, typed answers → values, ids, and where the record goes.

The record is written as text lines inserted into its data file
(`hub.editor.edit`), so every other byte of the file (comments, order, layout)
stays exactly as it was; the new lines are already in the canonical layout.
Before anything is written the whole catalogue is validated with the record in
place (in a temporary copy), so a record added with `hub new` always validates.
A data file that is missing, unreadable, not UTF-8 or not valid YAML is the
editor's to fix: `Context.problems_of` says so before any question is asked.

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
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from hub.catalogue.checks import validate
from hub.catalogue.fields import Record
from hub.catalogue.load import files_by_name, load_files
from hub.catalogue.messages import pydantic_problems
from hub.catalogue.model import DATA_FILES, Event, Helpline, Measure, Organisation, Person, Resource, Topic
from hub.catalogue.positions import RECORD_NAMES
from hub.catalogue.vocabulary import ResourceType
from hub.catalogue.yamlfile import LoadedYaml, load_yaml_text
from hub.editor.edit import TextFile, item_edit, subsection_edit
from hub.editor.fields import FieldSpec, unwrap
from hub.problems import Problem, Severity, display_path

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


NOT_ASKED = ("alt_titles", "alt_names")
"""Other wordings of a title or name: added by hand, when a source spells it differently."""


def _all_fields(model: type[BaseModel], skip: tuple[str, ...] = ("id", *NOT_ASKED)) -> tuple[str, ...]:
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

DATED_FIELDS = ("added",)
"""Fields that default to today's date (resources). Not `last_reviewed`: adding a record is not a review
(`hub review --mark-reviewed` records one)."""


# --- typed answers → values --------------------------------------------------------


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


NUMBER_LIKE = {"volume", "issue", "pages", "value"}
"""Text fields where a plain number may be written unquoted, as the data files do (`volume: 8`); not a
helpline's `contact`, a phone number, which is always written in quotes (`contact: "85258"`)."""


def convert_record(model: type[BaseModel], text: str) -> tuple[Any, list[Problem]]:
    """A nested record given in one line, ``{title: …, speaker: …}`` (YAML flow style), and the YAML
    problems that stop it being read (the text itself is returned then)."""
    loaded = load_yaml_text(f"value: {text}\n", "--set")
    if loaded.problems:
        return text, loaded.problems
    if not isinstance(loaded.data, dict):
        return text, []
    return loaded.data.get("value"), []


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
    problems: list[Problem] = field(default_factory=list)
    """Missing data files (or data folder), as the loader reports them."""

    def shown(self, name: str) -> str:
        return display_path(self.data_dir / name, self.root)

    def problems_of(self, name: str) -> list[Problem]:
        """Why the data file ``name`` cannot take a record: missing, unreadable, not UTF-8, not valid YAML."""
        loaded = self.loaded.get(name)
        found = [p for p in self.problems if p.file in (self.shown(name), display_path(self.data_dir, self.root))]
        return [p for p in found + (loaded.problems if loaded else []) if p.is_error]


def load_context(data_dir: Path, root: Path) -> Context:
    """Every data file loaded (`hub.catalogue.load`), with the ids and subsections the prompts offer."""
    ids: set[str] = set()
    by_kind: dict[str, list[str]] = {}
    subsections: list[tuple[str, str, str]] = []
    loaded_files, problems = load_files(data_dir, root)
    files = files_by_name(loaded_files)
    for name, model in DATA_FILES.items():
        loaded = files.get(name)
        if loaded is None or not isinstance(loaded.data, dict):
            continue
        _collect(loaded.data, ids)
        for key, info in model.model_fields.items():
            item = unwrap(info.annotation, [])[0]
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
    return Context(data_dir, root, ids, by_kind, subsections, files, problems)


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
    known_errors: int = 0
    """Errors the catalogue already had, elsewhere: the new record does not add them (see `hub validate`)."""

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
    result.errors, result.notes, result.known_errors = _validate_with(ctx, file, result.record_lines)
    return result


def _validate_with(ctx: Context, file: TextFile,
                   lines: tuple[int, int]) -> tuple[list[Problem], list[Problem], int]:
    """Validate the catalogue as it would be: new errors, notes about the new lines, and how many errors
    it already had elsewhere."""
    with tempfile.TemporaryDirectory() as tmp:
        rel = Path(display_path(ctx.data_dir, ctx.root))
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
    problems = [replace(p, line=None, column=None, source_line=None, file=f"{p.file} (the new {_kind(p)})")
                if p.file == file.shown and p.line in inside else p for p in problems]
    mine = [p for p in problems if p.file.startswith(f"{file.shown} (the new ")]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    everything = len(errors)
    if errors:
        known = {_signature(p) for p in validate(ctx.data_dir, ctx.root).errors}
        errors = [p for p in errors if p in mine or _signature(p) not in known]
    notes = [p for p in mine if p.severity is not Severity.ERROR]
    return errors, notes, everything - len(errors)


def _kind(problem) -> str:
    """What the new record is called in a message: 'resource', 'event'… (`RECORD_NAMES`)."""
    listed = problem.path[0] if problem.path else problem.field.split("[")[0]
    return RECORD_NAMES.get(listed, "record")


def _signature(p: Problem) -> tuple:
    return (Path(p.file).name, p.code, re.sub(r"\d+", "#", p.message))
