"""What `hub review` reports: a `Finding`, the whole `Review`, and the helpers every check builds them with.

`CHECKS` names each check and its heading in report order. A finding is a
`Problem` (file, line, field, message, hint, as the validator words them) with
the check and record it belongs to, and, for `--apply`, the notice to add.
`records_of` lists the valid records of one kind with their place in the data;
`finding` turns such a place into a located finding. The checks themselves are
in `hub.editor.review` and `hub.editor.retractions`; the output formats in
`hub.commands.review`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hub.catalogue.fields import Record
from hub.catalogue.load import LoadResult
from hub.catalogue.positions import describe_path, format_path
from hub.editor.settings import ReviewSettings
from hub.problems import Problem, Severity

CHECKS: dict[str, str] = {
    "crossref": "Retractions, corrections and expressions of concern (Crossref)",
    "stale": "Due for review",
    "superseded": "Superseded or withdrawn guidance still cited",
    "duplicates": "Possible duplicates",
    "language": "Wording to reconsider (safe-messaging guidance)",
    "no-link": "Records without a link",
}
"""Each check's key and heading, in report order."""


@dataclass
class Finding:
    """One thing for an editor to look at."""

    check: str
    record: str
    """The record's id ('' when there is none)."""
    problem: Problem
    notice: str | None = None
    """For `--apply`: the notice to add to the record."""
    path: tuple = ()
    """Where the record is in its file's data, e.g. ``("resources", 12)``."""


@dataclass
class Review:
    """The whole report."""

    today: dt.date
    settings: ReviewSettings
    findings: list[Finding] = field(default_factory=list)
    setup_problems: list[Problem] = field(default_factory=list)
    """Problems with the editorial files themselves."""
    data_errors: int = 0
    """Errors `hub validate` reports: records with errors are left out of the review."""
    unread: list[Problem] = field(default_factory=list)
    """The error of each data file that could not be read (or is missing): nothing in it was reviewed."""
    online: bool = False
    dois_checked: int = 0
    crossref_unreachable: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    ran: set[str] | None = None
    """The checks that ran (`hub review --only`); None when all of them did."""

    def shown(self) -> dict[str, str]:
        """The key and heading of each check in the report: those that ran, Crossref's only when asked."""
        return {check: title for check, title in CHECKS.items()
                if (self.ran is None or check in self.ran) and (check != "crossref" or self.online)}

    def of(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.check == check]

    def to_apply(self) -> list[Finding]:
        return [f for f in self.findings if f.notice]


def records_of(load: LoadResult, kind: type[Record]) -> list[tuple[str, tuple, Any]]:
    """(shown file, data path, record) of every valid record of one kind."""
    out = []
    for shown, records in load.records.items():
        for path, record in records:
            if isinstance(record, kind):
                out.append((shown, path, record))
    return out


def finding(check: str, load: LoadResult, shown: str, path: tuple, record_id: str, code: str,
            message: str, hint: str, severity: Severity = Severity.WARNING, **extra) -> Finding:
    """A finding at ``path`` in the file ``shown`` (with its line and column when the file was loaded)."""
    loaded = load.files.get(shown)
    loc = loaded.locate(path) if loaded else None
    problem = Problem(shown, loc.line if loc else None, loc.column if loc else None, code, message,
                      severity=severity, field=format_path(path), path=path, hint=hint,
                      place=describe_path(path, loaded.data if loaded else None))
    return Finding(check, record_id, problem, **extra)
