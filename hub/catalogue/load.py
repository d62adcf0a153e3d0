"""Load every data file into one `Catalogue`, collecting every problem on the way.

Stage 1 of the pipeline (load and validate → render → build → check links →
report). `load_catalogue` never raises for bad content: it returns the
problems, and a `Catalogue` only when there are no errors.

Data files are read only inside the project folder (`project_folder`): a link
that leads out of it is reported, never followed (see `reading.read_bytes`).
A big file is validated a part of its records at a time, so that a small file
of a million broken records (``people: [{}, {}, …]``) costs its first
`MAX_FILE_PROBLEMS` problems, not gigabytes of pydantic errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from hub.catalogue.fields import Record, record_lists
from hub.catalogue.messages import pydantic_problems
from hub.catalogue.model import (
    DATA_FILES,
    Event,
    EventsFile,
    Helpline,
    HelplinesFile,
    Measure,
    MeasuresFile,
    Organisation,
    OrganisationsFile,
    PeopleFile,
    Person,
    ProgrammeFile,
    Resource,
    ResourcesFile,
    Section,
    Subsection,
    Topic,
)
from hub.catalogue.yamlfile import LoadedYaml, load_yaml
from hub.problems import Problem, Severity, display_path

RecordPath = tuple[str, int]
"""Where a record stands in its file: ``("resources", 12)`` (its list and index, counted from 0)."""

WHOLE_FILE_VALUES = 20_000
"""A file of at most this many values is validated in one pass (the real files hold a few thousand)."""

PART_VALUES = 5_000
"""A bigger file is validated a part of its records at a time, each part about this many values."""

MAX_RECORD_VALUES = 50_000
"""The most values one record may hold (a resource holds about 25; a section of a 10,000-resource
catalogue about 2,000); a bigger one is reported instead of validated."""

MAX_FILE_PROBLEMS = 1_000
"""At most this many validation problems are listed for one file; a closing note counts the rest."""


@dataclass
class Catalogue:
    """Everything the site is built from, validated."""

    resources_file: ResourcesFile
    events_file: EventsFile
    measures_file: MeasuresFile
    organisations_file: OrganisationsFile
    people_file: PeopleFile
    programme: ProgrammeFile
    helplines_file: HelplinesFile
    files: dict[str, LoadedYaml] = field(default_factory=dict, repr=False)
    """Shown path → the loaded file, to say where a record is."""

    @cached_property
    def sources(self) -> dict[str, str]:
        """Record id → 'data/file.yaml:line', for reports and the link checker (worked out when asked)."""
        return _sources(self.files)

    @property
    def sections(self) -> list[Section]:
        return self.resources_file.sections

    @cached_property
    def resources(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources_file.resources}

    @cached_property
    def topics(self) -> dict[str, Topic]:
        return {t.id: t for t in self.resources_file.topics}

    @property
    def events(self) -> list[Event]:
        return self.events_file.events

    @property
    def measures(self) -> list[Measure]:
        return self.measures_file.measures

    @cached_property
    def organisations(self) -> dict[str, Organisation]:
        return {o.id: o for o in self.organisations_file.organisations}

    @cached_property
    def people(self) -> dict[str, Person]:
        return {p.id: p for p in self.people_file.people}

    @property
    def helplines(self) -> list[Helpline]:
        return self.helplines_file.helplines

    @cached_property
    def placements(self) -> dict[str, list[tuple[Section, Subsection]]]:
        """Resource id → every (section, subsection) that lists it, in page order."""
        out: dict[str, list[tuple[Section, Subsection]]] = {rid: [] for rid in self.resources}
        for section in self.sections:
            for sub in section.subsections:
                for rid in sub.resources:
                    if rid in out and (section, sub) not in out[rid]:
                        out[rid].append((section, sub))
        return out

    @cached_property
    def replaced_by(self) -> dict[str, list[Resource]]:
        """Resource id → the resources it supersedes."""
        out: dict[str, list[Resource]] = {}
        for r in self.resources.values():
            if r.superseded_by:
                out.setdefault(r.superseded_by, []).append(r)
        return out


@dataclass
class LoadResult:
    """What loading the data directory produced."""

    catalogue: Catalogue | None
    problems: list[Problem]
    files: dict[str, LoadedYaml]
    """Shown path → the loaded file (text, data and locations)."""
    records: dict[str, list[tuple[RecordPath, Record]]] = field(default_factory=dict)
    """Shown path → every record that validated on its own, with its list path."""

    @property
    def texts(self) -> dict[str, str]:
        return {path: f.text for path, f in self.files.items()}


def project_folder(data_dir: Path, root: Path) -> Path:
    """The folder the data files must stay inside, links followed: `root` when the data folder is in it
    (and `root` is not the file system's root), else the data folder's parent."""
    data, top = Path(os.path.abspath(data_dir)), Path(os.path.abspath(root))
    return top if data.is_relative_to(top) and top.parent != top else data.parent


def load_files(data_dir: Path, root: Path | None = None) -> tuple[dict[str, LoadedYaml], list[Problem]]:
    """Read every expected data file; report missing ones and strays."""
    root = root or data_dir.parent
    files: dict[str, LoadedYaml] = {}
    problems: list[Problem] = []
    if not data_dir.is_dir():
        problems.append(Problem(display_path(data_dir, root), None, None, "no-data-dir",
                                "the data folder does not exist",
                                hint="run the command from the project folder, or pass --data DIR"))
        return files, problems
    within = project_folder(data_dir, root)
    for name in DATA_FILES:
        path = data_dir / name
        shown = display_path(path, root)
        if not os.path.lexists(path):  # not exists(): a broken link or a loop of links is there, and reported
            problems.append(Problem(shown, None, None, "missing-file", "the data file is missing",
                                    hint=f"restore {name} from git (git checkout -- {shown})"))
            continue
        files[shown] = load_yaml(path, shown, within)
    for extra in sorted(data_dir.glob("*.y*ml")):
        if extra.name not in DATA_FILES:
            problems.append(Problem(
                display_path(extra, root), None, None, "unknown-file",
                "this file is not read by the hub, so its content will not appear on the site",
                severity=Severity.WARNING,
                hint="move its records into one of: " + ", ".join(DATA_FILES),
            ))
    return files, problems


def files_by_name(files: dict[str, LoadedYaml]) -> dict[str, LoadedYaml]:
    """The loaded files by file name: ``{"resources.yaml": …}`` (the keys of `DATA_FILES`)."""
    return {shown.rsplit("/", 1)[-1]: loaded for shown, loaded in files.items()}


def load_catalogue(data_dir: Path, root: Path | None = None) -> LoadResult:
    """Load and check every data file's shape (cross-file checks are in `hub.catalogue.checks`)."""
    root = root or data_dir.parent
    files, problems = load_files(data_dir, root)
    models: dict[str, BaseModel] = {}
    records: dict[str, list[tuple[RecordPath, Record]]] = {}
    by_name = files_by_name(files)
    for name, model in DATA_FILES.items():
        if name not in by_name:
            continue
        loaded = by_name[name]
        shown = loaded.path
        problems.extend(loaded.problems)
        if any(p.is_error for p in loaded.problems) or loaded.data is None:  # a warning does not stop it
            continue
        if not isinstance(loaded.data, dict):
            problems.append(Problem(
                shown, 1, 1, "wrong-shape",
                f"the file should start with its fields ({', '.join(_top_keys(model))}), "
                "not with a list or a single value",
                hint="compare the top of the file with CONTRIBUTING.md or git history",
            ))
            continue
        validated, found, records[shown] = _validate(model, loaded)
        problems.extend(found)
        if validated is not None:
            models[name] = validated

    catalogue = None
    if len(models) == len(DATA_FILES) and not any(p.is_error for p in problems):
        catalogue = Catalogue(
            resources_file=models["resources.yaml"],
            events_file=models["events.yaml"],
            measures_file=models["measures.yaml"],
            organisations_file=models["organisations.yaml"],
            people_file=models["people.yaml"],
            programme=models["programme.yaml"],
            helplines_file=models["helplines.yaml"],
            files=files,
        )
    return LoadResult(catalogue, problems, files, records)


def _top_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _validate(model: type[BaseModel], loaded: LoadedYaml) -> tuple[BaseModel | None, list[Problem],
                                                                  list[tuple[RecordPath, Record]]]:
    """The file's model (None if it has errors), its problems, and every record that is valid on its own."""
    if loaded.values <= WHOLE_FILE_VALUES:
        try:
            validated = model.model_validate(loaded.data)
        except ValidationError as exc:
            if exc.error_count() <= MAX_FILE_PROBLEMS:
                return None, pydantic_problems(exc, model, loaded), _valid_records(model, loaded.data)
            # else: listed from the parts, which stop converting errors at the limit
        else:
            return validated, [], _records_of(validated)
    return _validate_in_parts(model, loaded)


def _validate_in_parts(model: type[BaseModel], loaded: LoadedYaml) -> tuple[BaseModel | None, list[Problem],
                                                                            list[tuple[RecordPath, Record]]]:
    """`_validate` for big files: each list of records a part at a time, then the rest of the file.

    pydantic builds every error of a call before returning one, so one call
    over a million broken records would hold millions; a part holds a few
    thousand values. Parts that fail are validated again record by record,
    for located problems, until `MAX_FILE_PROBLEMS`; after that only counted.
    """
    data: dict = loaded.data
    problems: list[Problem] = []
    unlisted = 0
    records: list[tuple[RecordPath, Record]] = []
    lists: dict[str, list] = {}
    broken: set[str] = set()
    for key, item_type in record_lists(model):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        sizes = loaded.item_values.get(key)
        if sizes is None or len(sizes) != len(items):
            sizes = [1] * len(items)
        valid: list = []
        for start, end in _parts(sizes):
            if end - start == 1 and sizes[start] > MAX_RECORD_VALUES:
                where = loaded.locate((key, start))
                problems.append(Problem(
                    loaded.path, where.line, where.column, "record-too-big",
                    f"this record holds {sizes[start]:,} values; a record holds at most {MAX_RECORD_VALUES:,}",
                    field=f"{key}[{start}]", path=(key, start),
                    hint="check that it was not pasted in or generated by mistake"))
                broken.add(key)
                continue
            try:
                part = _adapter(list[item_type]).validate_python(items[start:end])
            except ValidationError as exc:
                broken.add(key)
                if len(problems) >= MAX_FILE_PROBLEMS:
                    unlisted += exc.error_count()
                    continue
                for index in range(start, end):
                    try:
                        record = _adapter(item_type).validate_python(items[index])
                    except ValidationError as exc:
                        if len(problems) < MAX_FILE_PROBLEMS:
                            problems.extend(pydantic_problems(exc, item_type, loaded, prefix=(key, index)))
                        else:
                            unlisted += exc.error_count()
                    else:
                        valid.append(record)
                        records.append(((key, index), record))
            else:
                valid.extend(part)
                records.extend(((key, start + i), record) for i, record in enumerate(part))
        lists[key] = valid
    # The rest of the file, with its valid lists of records as they are. A list with broken records is left
    # out (its length rules would count only the valid ones), and so is the "missing" that then causes; unknown
    # top-level keys beyond the limit are only counted (a million of them would be a million pydantic errors).
    known = set(_top_keys(model))
    unknown = [key for key in data if key not in known]
    unlisted += max(0, len(unknown) - MAX_FILE_PROBLEMS)
    kept = known | set(unknown[:MAX_FILE_PROBLEMS])
    rest = {key: lists.get(key, value) for key, value in data.items() if key in kept and key not in broken}
    try:
        validated = model.model_validate(rest)
    except ValidationError as exc:
        validated = None
        problems += [p for p in pydantic_problems(exc, model, loaded)
                     if not (p.code == "missing" and p.field in broken)]
    if len(problems) > MAX_FILE_PROBLEMS:
        unlisted += len(problems) - MAX_FILE_PROBLEMS
        del problems[MAX_FILE_PROBLEMS:]
    if unlisted:
        problems.append(Problem(
            loaded.path, None, None, "too-many-problems",
            f"{unlisted:,} more problems in this file are not listed", severity=Severity.WARNING,
            hint="fix the ones listed (often one mistake repeated), then run the command again"))
    if broken or validated is None:
        return None, problems, records
    return validated, problems, _records_of(validated)


def _parts(sizes: list[int]) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive items of about `PART_VALUES` values (a big item alone)."""
    out, start, values = [], 0, 0
    for index, size in enumerate(sizes):
        if values and values + size > PART_VALUES:
            out.append((start, index))
            start, values = index, 0
        values += size
    if start < len(sizes):
        out.append((start, len(sizes)))
    return out


@cache
def _adapter(kind: Any) -> TypeAdapter:
    return TypeAdapter(kind)


def _valid_records(model: type[BaseModel], data: dict) -> list[tuple[RecordPath, Record]]:
    """Each list item that validates on its own, so cross-file checks run despite other errors."""
    out: list[tuple[RecordPath, Record]] = []
    for key, item_type in record_lists(model):
        items = data.get(key)
        if isinstance(items, list):
            adapter = TypeAdapter(item_type)
            for index, item in enumerate(items):
                try:
                    out.append(((key, index), adapter.validate_python(item)))
                except ValidationError:
                    continue
    return out


def _records_of(validated: BaseModel) -> list[tuple[RecordPath, Record]]:
    """The records of a file that validated as a whole (the same as `_valid_records`, without a second pass)."""
    names = {info.alias or name: name for name, info in type(validated).model_fields.items()}
    return [((key, index), item)
            for key, _ in record_lists(type(validated))
            for index, item in enumerate(getattr(validated, names[key]))]


def _sources(files: dict[str, LoadedYaml]) -> dict[str, str]:
    out: dict[str, str] = {}
    for shown, loaded in files.items():
        for record_id, path in loaded.record_ids:
            if record_id not in out:
                out[record_id] = f"{shown}:{loaded.locate(path).line}"
    return out
