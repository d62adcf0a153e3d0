"""Crossref's retractions, corrections and expressions of concern as review findings, and `--apply`'s notice.

`check_crossref` asks Crossref (`hub.editor.crossref`) about every cited DOI and
judges each update it records; `notice_text` words the standard notice and
`apply_notices` writes it into each flagged paper that has none, as new lines
only (the rest of resources.yaml is unchanged), and returns a located problem
for each notice it could not add.

Crossref dates and the ``added`` date: an update dated after the record was
added is news to the editors ("since it was added"); one dated before was
already public when the record was added ("already known when added"), so a
correction of that kind is only a notice. A retraction or an expression of
concern is never only a notice while the entry is current and shows no
``notice``: whatever the dates, a clinician must not reach retracted evidence
without a warning. Once an editor has reviewed the entry after the update
(``last_reviewed`` on or after its date) a correction is a notice too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from hub.catalogue.load import LoadResult
from hub.catalogue.model import Resource
from hub.catalogue.positions import format_path
from hub.catalogue.vocabulary import Status
from hub.editor import crossref as cr
from hub.editor.edit import EditError, TextFile, field_edit
from hub.editor.findings import Finding, Review, finding
from hub.problems import Problem, Severity, display_path

RANK = {cr.RETRACTION: 0, cr.CONCERN: 1, cr.CORRECTION: 2, cr.OTHER: 3}
UPDATE_CODES = {cr.RETRACTION: "review-retraction", cr.CONCERN: "review-expression-of-concern",
                cr.CORRECTION: "review-correction", cr.OTHER: "review-update"}
"""Problem code of each kind of Crossref update."""


def check_crossref(result: Review, load: LoadResult, resources, client: cr.Crossref) -> None:
    """Add a finding for every update Crossref records to a cited DOI (and for DOIs it does not know).

    After three failed requests in a row (or a failed first one) Crossref counts as
    unreachable: ``result.crossref_unreachable`` says why and the check stops.
    """
    failures_in_a_row = 0
    for shown, path, r in resources:
        if not r.doi:
            continue
        try:
            _, updates = client.updates(r.doi)
        except cr.NotFound:
            result.findings.append(finding(
                "crossref", load, shown, path + ("doi",), r.id, "review-doi-not-found",
                f"Crossref has no record of the DOI {r.doi} of '{r.id}'",
                f"check the DOI at https://doi.org/{r.doi}; DOIs from other agencies (e.g. DataCite) are not "
                "in Crossref and cannot be checked for retractions"))
            result.dois_checked += 1
            continue
        except cr.Unreachable as exc:
            failures_in_a_row += 1
            if result.dois_checked == 0 or failures_in_a_row >= 3:
                result.crossref_unreachable = str(exc)
                return
            result.findings.append(finding(
                "crossref", load, shown, path + ("doi",), r.id, "review-crossref-error",
                f"could not check '{r.id}' with Crossref ({exc})", "it is checked again at the next review"))
            continue
        failures_in_a_row = 0
        result.dois_checked += 1
        result.findings += _judge(load, shown, path, r, updates)


def _judge(load: LoadResult, shown: str, path: tuple, r: Resource, updates: list[cr.Update]) -> list[Finding]:
    """One finding per update, with the severity the module docstring explains."""
    out = []
    handled = bool(r.notice) or r.status is not Status.current
    flagged: list[cr.Update] = []
    for u in sorted(updates, key=lambda u: RANK[u.kind]):
        when = u.date or dt.date.min
        new = when > r.added
        reviewed = r.reviewed is not None and u.date is not None and when <= r.reviewed
        if u.kind in (cr.RETRACTION, cr.CONCERN):
            severity = Severity.NOTICE if handled else Severity.ERROR if u.kind == cr.RETRACTION \
                else Severity.WARNING
        elif u.kind == cr.CORRECTION:
            severity = Severity.NOTICE if handled or not new or reviewed else Severity.WARNING
        else:
            severity = Severity.NOTICE
        timing = (f"It came after the record was added on {r.added.isoformat()}" if new
                  else f"It was already public when the record was added on {r.added.isoformat()}")
        state = ("the entry shows a notice" if r.notice else f"the entry is {r.status.value}" if handled
                 else "the entry shows no notice yet")
        link = f"; notice: {u.link}" if u.link else ""
        via = ", from Retraction Watch" if u.source == "retraction-watch" else ""
        message = (f"Crossref records {cr.KIND_WORDS[u.kind]} '{r.id}' ({u.label.lower()}, "
                   f"dated {u.date_text}{via}){link}. {timing}; {state}")
        if severity is not Severity.NOTICE:
            flagged.append(u)
            hint = ("read the notice; then rewrite the entry's notice, set status: withdrawn with a status_note, "
                    f"or remove the resource, and run `python -m hub review --mark-reviewed {r.id}`. "
                    "`python -m hub review --online --apply` adds a standard notice meanwhile")
        else:
            hint = ("nothing to do now; the entry's notice (if any) stays until an editor has reviewed it"
                    if handled else "nothing to do unless the summary should mention it")
        out.append(finding("crossref", load, shown, path + ("doi",), r.id, UPDATE_CODES[u.kind], message,
                            hint, severity))
    if flagged and not r.notice and out:
        out[0].notice = notice_text(flagged)
        out[0].path = path
    return out


def notice_text(updates: list[cr.Update]) -> str:
    """The standard notice `--apply` writes: the most serious update first."""
    u = sorted(updates, key=lambda u: RANK[u.kind])[0]
    link = f": [{u.label.lower()} notice]({u.link})" if u.link else ""
    return (f"Crossref records {cr.KIND_WORDS[u.kind]} this paper ({u.date_text}){link}. "
            "An editor is reviewing this entry.")


def apply_notices(data_dir: Path, root: Path, review_result: Review) -> tuple[list[str], list[Problem]]:
    """Write the standard notice into every flagged record that has none.

    Returns the ids of the records given a notice, and a located problem for each
    notice that could not be added (the file is then left as it was for that record).
    Only the new ``notice:`` lines are added: the rest of the file is unchanged.
    """
    done: list[str] = []
    problems: list[Problem] = []
    path = data_dir / "resources.yaml"
    todo = [f for f in review_result.to_apply() if f.path]
    if not todo:
        return done, problems
    try:
        file = TextFile.read(path, display_path(path, root))
        doc = file.document()
    except EditError as exc:
        return done, exc.problems
    edits = []
    for item in todo:
        try:
            edits.append(field_edit(doc, item.path, "notice", item.notice, Resource))
        except EditError as exc:
            entry = doc.find(item.path)
            problems += [replace(p, line=entry.start + 1 if entry else p.line,  # where the validator puts it
                                 column=entry.value.column + 1 if entry else p.column, field=format_path(item.path),
                                 path=tuple(item.path),
                                 message=f"the notice for '{item.record}' was not added: {p.message}")
                         for p in exc.problems]
            continue
        done.append(item.record)
    if edits:
        file.apply(edits)
        path.write_bytes(file.text.encode("utf-8"))
    return done, problems
