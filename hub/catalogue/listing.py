"""At most `MAX_LISTED` problems of one code are listed for one file; a closing note counts the rest.

A hostile file can hold a million duplicate keys, tabs or control characters; each reader of a file
(the character check, the tab check, the parse-event walk, the value builder) passes its problems
through a `Listing`, so a file's answer stays readable and its size bounded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from hub.problems import Problem, Severity

MAX_LISTED = 100
"""At most this many problems with the same code are listed for one file (duplicate keys, tabs,
control characters, aliases…); one closing note counts the rest."""


class Listing:
    """At most `MAX_LISTED` problems per code; `notes` counts the ones left out."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.counts: Counter[str] = Counter()
        self.stopped = False
        """Counting stopped early (then the notes say "at least")."""

    def keep(self, problem: Problem) -> bool:
        self.counts[problem.code] += 1
        return self.counts[problem.code] <= MAX_LISTED

    def notes(self, codes: Iterable[str] | None = None) -> list[Problem]:
        """One note per code (of `codes`, or all) with problems left out."""
        return [Problem(self.shown, None, None, "too-many-problems",
                        f"{'at least ' if self.stopped else ''}{count - MAX_LISTED:,} more '{code}' problems "
                        "in this file are not listed",
                        severity=Severity.WARNING, hint="fix the ones listed, then run the command again")
                for code, count in self.counts.items()
                if count > MAX_LISTED and (codes is None or code in codes)]


def listed(problems: Iterable[Problem], shown: str) -> list[Problem]:
    """The first `MAX_LISTED` problems of each code, then a note for each code with more."""
    listing = Listing(shown)
    return [p for p in problems if listing.keep(p)] + listing.notes()
