"""`hub review --mark-reviewed ID …`: record that an editor has reviewed resources, by writing the date.

A review is recorded by this command rather than by typing a date, so that
``last_reviewed`` means what the site says it means ("Last reviewed: …"): it
writes the date of the review (today unless told otherwise), and refuses a
date that cannot be a review: before the record was added, the day it was
added (the site never shows that as a review, see `Resource.reviewed`), in
the future, or earlier than the record's last review. Only the
``last_reviewed:`` line of each record changes (it is added after ``added:``
when the record has none); every other byte of ``resources.yaml`` stays as
it was. Either every record is marked or, when any of them cannot be,
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hub.catalogue.messages import suggest
from hub.catalogue.model import Resource
from hub.catalogue.positions import format_path
from hub.catalogue.yamlfile import load_yaml_text
from hub.editor.edit import EditError, TextFile, value_edit
from hub.problems import Problem, display_path

FIELD = "last_reviewed"


def mark_reviewed(data_dir: Path, root: Path, ids: list[str], day: dt.date,
                  today: dt.date | None = None) -> tuple[list[str], list[Problem]]:
    """Write ``last_reviewed: day`` into each resource named.

    Returns the ids whose date changed and, if any record could not be marked,
    the located problems (and then nothing was written). A record already
    marked on ``day`` is left as it is and not listed.
    """
    today = today or dt.date.today()
    path = data_dir / "resources.yaml"
    shown = display_path(path, root)
    try:
        file = TextFile.read(path, shown)
        doc = file.document()
    except EditError as exc:
        return [], exc.problems
    data = doc.loaded.data if isinstance(doc.loaded.data, dict) else {}
    records = data.get("resources") if isinstance(data.get("resources"), list) else []
    where = {r["id"]: i for i, r in enumerate(records) if isinstance(r, dict) and isinstance(r.get("id"), str)}
    problems: list[Problem] = []
    edits, changed = [], []
    for rid in dict.fromkeys(ids):
        if rid not in where:
            guess = suggest(rid, list(where))
            problems.append(Problem(shown, None, None, "unknown-reference", f"no resource has the id '{rid}'",
                                    hint=f"did you mean '{guess}'?" if guess else
                                    "copy the id from the record's 'id:' line"))
            continue
        record_path = ("resources", where[rid])
        refusal = _refusal(rid, records[where[rid]], day, today)
        if refusal:
            problems.append(_located(doc, record_path, *refusal))
            continue
        if str(records[where[rid]].get(FIELD)) == day.isoformat():
            continue
        try:
            edits.append(value_edit(doc, record_path, FIELD, day.isoformat(), Resource))
        except EditError as exc:
            problems += exc.problems
            continue
        changed.append(rid)
    if problems or not edits:
        return ([] if problems else changed), problems
    before = [dict(r) for r in records]
    file.apply(edits)
    after = load_yaml_text("\n".join(file.lines), shown)
    expected = [{**r, FIELD: day.isoformat()} if r.get("id") in changed else r for r in before]
    if after.problems or not isinstance(after.data, dict) or after.data.get("resources") != expected \
            or {k: v for k, v in after.data.items() if k != "resources"} != \
            {k: v for k, v in data.items() if k != "resources"}:
        return [], [Problem(shown, None, None, "cannot-edit", "the review dates could not be written safely; "
                            "the file was left unchanged", hint="write the dates by hand, and please report this")]
    path.write_bytes(file.text.encode("utf-8"))
    return changed, []


def _refusal(rid: str, record: dict, day: dt.date, today: dt.date) -> tuple[str, str, str] | None:
    """(field, message, hint) when ``day`` cannot be a review of this record."""
    added, last = _date(record.get("added")), _date(record.get(FIELD))
    if day > today:
        return (FIELD, f"{day.isoformat()} is in the future; a review is recorded on the day it is done",
                "leave out --date to record today's review")
    if added is None:
        return ("added", f"'{rid}' has no valid 'added' date", "fix 'added' first (python -m hub validate)")
    if day < added:
        return (FIELD, f"'{rid}' was added on {added.isoformat()}, after {day.isoformat()}",
                "a record can only be reviewed after it was added")
    if day == added:
        return (FIELD, f"'{rid}' was added on {day.isoformat()}, so a review that day would not be shown as "
                "one: the site shows the date it was added", "mark it reviewed on a later day")
    if last and last > day:
        return (FIELD, f"'{rid}' was already reviewed on {last.isoformat()}, after {day.isoformat()}",
                "leave it as it is")
    return None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def _located(doc, record_path: tuple, field: str, message: str, hint: str) -> Problem:
    loc = doc.loaded.locate(record_path + (field,)) or doc.loaded.locate(record_path)
    return Problem(doc.shown, loc.line if loc else None, loc.column if loc else None, "cannot-mark-reviewed",
                   message, field=format_path(record_path + (field,)),
                   path=record_path + (field,), hint=hint)
