"""Load every data file into one `Catalogue`, collecting every problem on the way.

Stage 1 of the pipeline (load and validate → render → build → check links →
report). `load_catalogue` never raises for bad content: it returns the
problems, and a `Catalogue` only when there are no errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

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
from hub.problems import Problem, Severity


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
    records: dict[str, list[tuple[str, Record]]] = field(default_factory=dict)
    """Shown path → every record that validated on its own, with its list path."""

    @property
    def texts(self) -> dict[str, str]:
        return {path: f.text for path, f in self.files.items()}


def shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_files(data_dir: Path, root: Path | None = None) -> tuple[dict[str, LoadedYaml], list[Problem]]:
    """Read every expected data file; report missing ones and strays."""
    root = root or data_dir.parent
    files: dict[str, LoadedYaml] = {}
    problems: list[Problem] = []
    if not data_dir.is_dir():
        problems.append(Problem(shown_path(data_dir, root), None, None, "no-data-dir",
                                "the data folder does not exist",
                                hint="run the command from the project folder, or pass --data DIR"))
        return files, problems
    for name in DATA_FILES:
        path = data_dir / name
        shown = shown_path(path, root)
        if not path.exists():
            problems.append(Problem(shown, None, None, "missing-file", "the data file is missing",
                                    hint=f"restore {name} from git (git checkout -- {shown})"))
            continue
        files[shown] = load_yaml(path, shown)
    for extra in sorted(data_dir.glob("*.y*ml")):
        if extra.name not in DATA_FILES:
            problems.append(Problem(
                shown_path(extra, root), None, None, "unknown-file",
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
    records: dict[str, list[tuple[str, Record]]] = {}
    by_name = files_by_name(files)
    for name, model in DATA_FILES.items():
        if name not in by_name:
            continue
        loaded = by_name[name]
        shown = loaded.path
        problems.extend(loaded.problems)
        if loaded.problems or loaded.data is None:
            continue
        if not isinstance(loaded.data, dict):
            problems.append(Problem(
                shown, 1, 1, "wrong-shape",
                f"the file should start with its fields ({', '.join(_top_keys(model))}), "
                "not with a list or a single value",
                hint="compare the top of the file with CONTRIBUTING.md or git history",
            ))
            continue
        try:
            models[name] = model.model_validate(loaded.data)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, model, loaded))
            records[shown] = _valid_records(model, loaded.data)
        else:
            records[shown] = _records_of(models[name])

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


def _valid_records(model: type[BaseModel], data: dict) -> list[tuple[str, Record]]:
    """Each list item that validates on its own, so cross-file checks run despite other errors."""
    out: list[tuple[str, Record]] = []
    for key, item_type in record_lists(model):
        items = data.get(key)
        if isinstance(items, list):
            adapter = TypeAdapter(item_type)
            for index, item in enumerate(items):
                try:
                    out.append((f"{key}[{index}]", adapter.validate_python(item)))
                except ValidationError:
                    continue
    return out


def _records_of(validated: BaseModel) -> list[tuple[str, Record]]:
    """The records of a file that validated as a whole (the same as `_valid_records`, without a second pass)."""
    names = {info.alias or name: name for name, info in type(validated).model_fields.items()}
    return [(f"{key}[{index}]", item)
            for key, _ in record_lists(type(validated))
            for index, item in enumerate(getattr(validated, names[key]))]


def _sources(files: dict[str, LoadedYaml]) -> dict[str, str]:
    out: dict[str, str] = {}
    for shown, loaded in files.items():
        for record_id, path in loaded.record_ids:
            if record_id not in out:
                out[record_id] = f"{shown}:{loaded.locate(path).line}"
    return out
