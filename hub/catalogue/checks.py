"""Cross-file checks and the validation summary (`python -m hub validate`).

`hub.catalogue.load` checks each file against its model; this module checks what
no single record can: ids unique across all files, every reference pointing
at a record that exists, resources placed on a page, and links still to find.
It works from each record that validated on its own, so one broken record
does not hide the problems of the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from hub.catalogue.fields import Ref, inner_model, is_url_type, record_lists
from hub.catalogue.load import LoadResult, files_by_name, load_catalogue
from hub.catalogue.messages import suggest
from hub.catalogue.model import DATA_FILES, Event, Organisation, Resource
from hub.catalogue.positions import describe_path, format_path
from hub.catalogue.yamlfile import LoadedYaml, paused_gc
from hub.problems import Problem, Severity, attach_sources, sort_problems


@dataclass
class Validation:
    """The outcome of `validate`: every problem, plus counts for the summary."""

    load: LoadResult
    problems: list[Problem]

    def _records(self, kind: str) -> list:
        return [rec for recs in self.load.records.values() for _, rec in recs
                if getattr(rec, "record_kind", "") == kind]

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many records of each kind validated (for the summary)."""
        sections, events = self._records("section"), self._records("event")
        return {
            "resources": len(self._records("resource")),
            "sections": len(sections),
            "subsections": sum(len(s.subsections) for s in sections),
            "topics": len(self._records("topic")),
            "events": len(events),
            "talks": sum(len(e.talks) for e in events),
            "organisations": len(self._records("organisation")),
            "people": len(self._records("person")),
            "measures": len(self._records("measure")),
            "helplines": len(self._records("helpline")),
        }

    @cached_property
    def unreadable(self) -> list[str]:
        """The data files (by shown path) that could not be read at all, so none of their records counts."""
        return [shown for shown, loaded in self.load.files.items() if not isinstance(loaded.data, dict)]

    @cached_property
    def resource_types(self) -> dict[str, int]:
        """Resources per type, by type."""
        return dict(sorted(Counter(str(r.type) for r in self._records("resource")).items()))

    @cached_property
    def without_link(self) -> list[str]:
        """Ids of the resources with neither a link nor a DOI."""
        return sorted(r.id for r in self._records("resource") if not r.url and not r.doi)

    @cached_property
    def organisations_without_link(self) -> list[str]:
        """Ids of the organisations with no link (the other half of the `no-link` notices)."""
        return sorted(o.id for o in self._records("organisation") if not o.url)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.NOTICE]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def validate(data_dir: Path, root: Path | None = None, today: dt.date | None = None) -> Validation:
    """Load, check every file and every cross-reference; never raises for bad content."""
    today = today or dt.date.today()
    with paused_gc():
        load = load_catalogue(data_dir, root)
        problems = list(load.problems)
        problems += check_ids(load)
        problems += check_references(load)
        problems += check_placement_and_links(load, today)
        problems += check_review_dates(load)
        problems += check_insecure_links(load)
    problems = attach_sources(sort_problems(_dedupe(problems)), load.texts)
    return Validation(load, _attach_places(problems, load))


def _attach_places(problems: list[Problem], load: LoadResult) -> list[Problem]:
    """Each problem's position as people count it (`describe_path`), worked out from its file's data."""
    return [dataclasses.replace(p, place=describe_path(p.path, getattr(load.files.get(p.file), "data", None)))
            if p.path and not p.place else p for p in problems]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    out = []
    for p in problems:
        key = (p.file, p.line, p.column, p.code, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# --- ids -----------------------------------------------------------------


def check_ids(load: LoadResult) -> list[Problem]:
    """Every id is unique across all data files (they are also page anchors)."""
    problems = []
    first: dict[str, tuple[str, LoadedYaml, tuple]] = {}
    for shown, loaded in load.files.items():
        for record_id, path in loaded.record_ids:
            if record_id not in first:
                first[record_id] = (shown, loaded, path)  # located only if a second one turns up
                continue
            loc = loaded.locate(path + ("id",))
            other_file, other_loaded, other_path = first[record_id]
            other_line = other_loaded.locate(other_path + ("id",)).line
            where = f"line {other_line}" if other_file == shown else f"{other_file}:{other_line}"
            same_list = other_file == shown and path[0] == other_path[0]  # one copy could go
            problems.append(Problem(
                shown, loc.line, loc.column, "duplicate-id",
                f"the id '{record_id}' is already used ({where}); ids must be unique across all data files",
                field=format_path(path + ("id",)), path=path + ("id",),
                hint=(f"if this is the same record, delete one copy and list the id in both places; "
                      f"otherwise choose a new id such as '{record_id}-2'") if same_list else
                     f"ids are shared by every data file: choose a new id such as '{record_id}-2'",
            ))
    return problems


# --- references ------------------------------------------------------------


def _ref_kind(annotation: Any) -> str | None:
    """The `Ref` kind inside an annotation such as ``list[Annotated[str, Ref('resource')]] | None``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, Ref):
                return meta.kind
        return _ref_kind(get_args(annotation)[0])
    if origin in (list, typing.Union, UnionType):
        for arg in get_args(annotation):
            kind = _ref_kind(arg)
            if kind:
                return kind
    return None


@cache
def _reference_plan(model: type[BaseModel]) -> tuple[tuple[str, str, str | None, bool], ...]:
    """For each field of ``model`` that can hold a reference: (attribute, key, Ref kind, nested records).

    Worked out once per model class: reading annotations for every record
    took seconds at 10,000 resources.
    """
    plan = []
    for name, info in model.model_fields.items():
        kind = next((m.kind for m in info.metadata if isinstance(m, Ref)), None) or _ref_kind(info.annotation)
        nested = inner_model(info.annotation) is not None
        if kind or nested:
            plan.append((name, info.alias or name, kind, nested))
    return tuple(plan)


def iter_references(obj: BaseModel, path: tuple = ()):
    """Yield ``(path, kind, id)`` for every reference field in a record, nested records included."""
    for name, key, kind, nested in _reference_plan(type(obj)):
        value = getattr(obj, name)
        if kind and isinstance(value, str):
            yield path + (key,), kind, value
        elif kind and isinstance(value, list):
            for i, item in enumerate(value):
                yield path + (key, i), kind, item
        elif nested and isinstance(value, BaseModel):
            yield from iter_references(value, path + (key,))
        elif nested and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_references(item, path + (key, i))


def ids_by_kind(load: LoadResult) -> dict[str, set[str]]:
    """Ids per kind, from the raw data, so a reference to a record with other errors still resolves."""
    out: dict[str, set[str]] = {}
    files = files_by_name(load.files)
    for name, model in DATA_FILES.items():
        loaded = files.get(name)
        if loaded is None or not isinstance(loaded.data, dict):
            continue
        for key, item_type in record_lists(model):
            items = loaded.data.get(key)
            if isinstance(items, list):
                ids = {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}
                out.setdefault(item_type.record_kind, set()).update(ids)
    return out


def unreadable_kinds(load: LoadResult) -> set[str]:
    """Kinds whose file could not be read: references to them cannot be checked this run."""
    files = files_by_name(load.files)
    return {
        item_type.record_kind
        for name, model in DATA_FILES.items()
        if not isinstance(getattr(files.get(name), "data", None), dict)
        for _, item_type in record_lists(model)
    }


def check_references(load: LoadResult) -> list[Problem]:
    """Every reference (section lists, superseded_by, topics, people, sources) names an existing id."""
    ids = ids_by_kind(load)
    unreadable = unreadable_kinds(load)
    problems = []
    for shown, records in load.records.items():
        loaded = load.files[shown]
        for base, record in records:
            for path, kind, target in iter_references(record, base):
                if target in ids.get(kind, set()) or kind in unreadable:
                    continue
                loc = loaded.locate(path)
                known = sorted(ids.get(kind, set()) - {getattr(record, "id", None)})  # never itself
                problems.append(Problem(
                    shown, loc.line, loc.column, "unknown-reference",
                    f"no {kind} has the id '{target}'",
                    field=format_path(path), path=path,
                    hint=reference_hint(target, known, f"check the spelling, or add the {kind} to "
                                                       f"{_file_of(kind)} first", kind),
                ))
    return problems


def reference_hint(target: str, known: list[str], otherwise: str, kind: str) -> str:
    """Did you mean the nearest id; but when both its letters and its number differ (nice-ng225 and
    nice-cg16), it is another record, and the likelier story is that the record was removed or renamed.
    A slip in the number alone (nice-ng25, steeg-2081) is a typo. `otherwise` when nothing is near."""
    guess = suggest(target, known)
    if not guess:
        return otherwise
    if (re.sub(r"\D", "", guess) != re.sub(r"\D", "", target)
            and re.sub(r"\d", "", guess) != re.sub(r"\d", "", target)):
        return (f"if the {kind} was removed or renamed, remove or update this line; "
                f"the nearest id, '{guess}', is a different {kind}")
    return f"did you mean '{guess}'?"


def _file_of(kind: str) -> str:
    return {
        "resource": "data/resources.yaml (resources)",
        "topic": "data/resources.yaml (topics)",
        "organisation": "data/organisations.yaml",
        "person": "data/people.yaml",
    }.get(kind, "the data files")


# --- placement, links, dates ----------------------------------------------


def check_placement_and_links(load: LoadResult, today: dt.date) -> list[Problem]:
    problems = []
    placed: Counter[str] = Counter()
    for shown, records in load.records.items():
        loaded = load.files[shown]
        for list_path, record in records:
            if list_path[0] == "sections":
                for sub_index, sub in enumerate(record.subsections):
                    for rid, count in Counter(sub.resources).items():
                        placed[rid] += 1
                        if count > 1:
                            path = list_path + ("subsections", sub_index, "resources")
                            problems.append(_at(loaded, path, Severity.WARNING, "listed-twice",
                                                f"'{rid}' is listed {count} times in this subsection",
                                                "delete the extra line; one mention is enough"))
    for shown, records in load.records.items():
        loaded = load.files[shown]
        for path, record in records:
            if isinstance(record, Resource):
                problems += _resource_checks(loaded, path, record, placed, today)
            elif isinstance(record, Organisation) and not record.url:
                problems.append(_at(loaded, path, Severity.NOTICE, "no-link",
                                    f"no link yet for the organisation '{record.id}'",
                                    "add 'url:' once a verified address is known"))
            elif isinstance(record, Event) and not record.recording_url and not any(
                t.recording_url or t.slides_url for t in record.talks
            ):
                problems.append(_at(loaded, path, Severity.NOTICE, "no-recording",
                                    f"no recording or slides link yet for the event '{record.id}'",
                                    "add 'recording_url:' or a talk's 'recording_url:' once published"))
    return problems


def _resource_checks(loaded: LoadedYaml, path: tuple, r: Resource, placed: Counter, today: dt.date) -> list[Problem]:
    out = []
    if not r.url and not r.doi:
        out.append(_at(loaded, path, Severity.NOTICE, "no-link", f"no link yet for '{r.id}'",
                       "add 'url:' (or 'doi:' for a paper) once a verified address is known"))
    if placed[r.id] == 0:
        out.append(_at(loaded, path, Severity.WARNING, "not-placed",
                       f"'{r.id}' is not listed in any subsection, so it appears only in Browse all",
                       "add its id to the 'resources:' list of a subsection"))
    for name in ("added", "last_reviewed", "published"):
        value = getattr(r, name)
        if value and value > today:
            out.append(_at(loaded, path + (name,), Severity.WARNING, "future-date",
                           f"'{name}' is in the future ({value.isoformat()})",
                           "check the year; use today's date for a record added today"))
    return out


COPIED_REVIEW_DATES = 5
"""From this many resources with `last_reviewed` equal to `added`, validation warns (once) that the
dates look copied. A count, not a share of the catalogue: in a small catalogue half can be two records,
and `hub review --mark-reviewed` never writes the `added` date, so five such records are a pasted block."""


def check_review_dates(load: LoadResult) -> list[Problem]:
    """`last_reviewed` is never before `added`, and is not the `added` date copied onto many records."""
    problems = []
    copied: list[tuple[LoadedYaml, tuple, Resource]] = []
    for shown, records in load.records.items():
        loaded = load.files[shown]
        for list_path, r in records:
            if not isinstance(r, Resource) or r.last_reviewed is None:
                continue
            path = list_path + ("last_reviewed",)
            if r.last_reviewed < r.added:
                problems.append(_at(loaded, path, Severity.WARNING, "reviewed-before-added",
                                    f"'{r.id}' was last reviewed on {r.last_reviewed.isoformat()}, before it "
                                    f"was added on {r.added.isoformat()}",
                                    "check both dates: a record is reviewed after it is added"))
            elif r.last_reviewed == r.added:
                copied.append((loaded, path, r))
    if len(copied) >= COPIED_REVIEW_DATES:
        loaded, path, first = copied[0]
        others = ", ".join(f"'{r.id}'" for _, _, r in copied[1:4]) + (" …" if len(copied) > 4 else "")
        problems.append(_at(loaded, path, Severity.WARNING, "copied-review-date",
                            f"{len(copied)} resources have 'last_reviewed' equal to 'added' ('{first.id}', "
                            f"{others}): a date copied from 'added' is not a review, so the site shows these "
                            "entries as added, not as reviewed",
                            "remove 'last_reviewed' from records nobody has reviewed; record a review with "
                            "python -m hub review --mark-reviewed ID"))
    return problems


# --- http:// links --------------------------------------------------------------


@cache
def _url_plan(model: type[BaseModel]) -> tuple[tuple[str, str, bool], ...]:
    """For each field of ``model``: (attribute, key, holds nested records) where it can hold a link."""
    return tuple((name, info.alias or name, inner_model(info.annotation) is not None)
                 for name, info in model.model_fields.items()
                 if is_url_type(info.annotation, info.metadata) or inner_model(info.annotation) is not None)


def _links(obj: BaseModel, path: tuple):
    for name, key, nested in _url_plan(type(obj)):
        value = getattr(obj, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            where = path + ((key, i) if isinstance(value, list) else (key,))
            if nested and isinstance(item, BaseModel):
                yield from _links(item, where)
            elif not nested and isinstance(item, str):
                yield where, item


def check_insecure_links(load: LoadResult) -> list[Problem]:
    """An http:// link is accepted, with a warning (issue #15): some NHS and charity sites have no https://."""
    problems = []
    for shown, records in load.records.items():
        for base, record in records:
            for path, url in _links(record, base):
                if url[:7].lower() == "http://":
                    problems.append(_at(load.files[shown], path, Severity.WARNING, "url-not-https",
                                        "this link is not secure (http://); use the https:// address if the site "
                                        "has one",
                                        "open the link with https:// instead of http://; if the page opens, "
                                        "write that address. If it does not, keep http://"))
    return problems


def _at(loaded: LoadedYaml, path: tuple, severity: Severity, code: str, message: str, hint: str) -> Problem:
    loc = loaded.locate(path)
    return Problem(loaded.path, loc.line, loc.column, code, message,
                   severity=severity, field=format_path(path), path=path, hint=hint)


# --- summary ----------------------------------------------------------------
