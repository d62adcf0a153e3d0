"""The ids named in editorial/*.yaml, checked like the data's (issue #15, item 6).

A typo in `not_duplicates`, `cited_on_purpose` (editorial/review.yaml) or in a word-list entry's
`source` (editorial/language.yaml) would silently switch an acknowledgement off, so `hub validate`
and `hub review` report it as a located ``unknown-reference`` with a did-you-mean hint, as the
data's own references are (`hub.catalogue.checks.check_references`).
"""

from __future__ import annotations

from pathlib import Path

from hub.catalogue.checks import ids_by_kind, reference_hint, unreadable_kinds
from hub.catalogue.load import LoadResult, files_by_name
from hub.catalogue.positions import format_path, ordinal
from hub.editor.settings import ReviewSettings, load_language, load_model
from hub.problems import Problem, attach_sources


def editorial_problems(editorial: Path, load: LoadResult, root: Path | None = None,
                       settings_problems: bool = True) -> list[Problem]:
    """Problems of editorial/review.yaml and editorial/language.yaml (for `hub validate`, with
    ``settings_problems``) and ids there that name no record (for both `hub validate` and `hub review`)."""
    settings, problems, loaded = load_model(editorial / "review.yaml", ReviewSettings, root)
    _, language = load_language(editorial, root)
    out = (problems + [p for p in language if p.code != "missing-file"]) if settings_problems else \
        [p for p in language if p.code == "unknown-reference"]
    if settings is None or loaded is None:
        return out
    ids = ids_by_kind(load)
    resources = sorted(ids.get("resource", set()))
    citing = sorted(_subsections(load) | ids.get("measure", set()))  # from the raw data, as `ids` are
    # A data file that could not be read this run has no ids to check against: its own error is
    # the one to fix, and the ids here are checked again once it reads.
    unreadable = unreadable_kinds(load)
    found = []
    if "resource" not in unreadable:
        for i, group in enumerate(settings.not_duplicates):
            for j, record_id in enumerate(group.ids):
                found.append((("not_duplicates", i, "ids", j), record_id, resources, "resource"))
        for i, cited in enumerate(settings.cited_on_purpose):
            found.append((("cited_on_purpose", i, "cites"), cited.cites, resources, "resource"))
    if not unreadable & {"section", "measure"}:
        for i, cited in enumerate(settings.cited_on_purpose):
            found.append((("cited_on_purpose", i, "record"), cited.record, citing, "subsection or measure"))
    for path, record_id, known, kind in sorted(found, key=lambda f: f[0]):
        if record_id in known:
            continue
        loc = loaded.locate(path)
        out.append(Problem(loaded.path, loc.line, loc.column, "unknown-reference",
                           f"no {kind} has the id '{record_id}'", field=format_path(path),
                           place=_place(path), path=path,
                           hint=reference_hint(record_id, known, f"check the spelling against the data files "
                                                                 f"(a {kind} id)", kind)))
    return attach_sources(out, {loaded.path: loaded.text})


def _place(path: tuple) -> str:
    """Where in review.yaml, as people count: "not_duplicates, the 2nd group" or "cited_on_purpose,
    the 1st entry, cites"."""
    if path[0] == "not_duplicates":
        return f"not_duplicates, the {ordinal(path[1] + 1)} group, the {ordinal(path[3] + 1)} id"
    return f"cited_on_purpose, the {ordinal(path[1] + 1)} entry, {path[2]}"


def _subsections(load: LoadResult) -> set[str]:
    """Subsection ids from the raw data of resources.yaml, so a subsection with another error still counts."""
    data = getattr(files_by_name(load.files).get("resources.yaml"), "data", None)
    sections = data.get("sections") if isinstance(data, dict) else None
    return {sub["id"] for section in (sections if isinstance(sections, list) else [])
            if isinstance(section, dict) and isinstance(section.get("subsections"), list)
            for sub in section["subsections"] if isinstance(sub, dict) and isinstance(sub.get("id"), str)}
