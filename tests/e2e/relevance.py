"""The search relevance set (search_relevance.yaml): the queries, their right answers, and the scoring.

No pytest and no browser here: `tests/e2e/test_search_relevance.py` runs the
queries in Chromium against the built site, and `benchmarks/bench_search.py`
runs the same set against other search set-ups, both scoring with `score`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

RELEVANCE_FILE = Path(__file__).resolve().parent / "search_relevance.yaml"
HIT1_TARGET = 0.95
"""At least this share of the queries must have a right entry as the first entry result."""
TOP = 5
"""Every query must have a right entry among the first `TOP` entry results."""

RULES = ("ids", "topic", "author", "journal", "organisation")


@dataclass(frozen=True)
class Query:
    query: str
    kind: str
    right: dict
    outranks: tuple[str, ...] = ()
    superseded: tuple[str, ...] = ()


def load_queries(path: Path = RELEVANCE_FILE) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for item in data["queries"]:
        unknown = set(item["right"]) - set(RULES)
        assert not unknown, f"{item['query']!r}: unknown rule {unknown} (use {RULES})"
        queries.append(Query(str(item["query"]), item["kind"], item["right"],
                             tuple(item.get("outranks", ())), tuple(item.get("superseded", ()))))
    return queries


def surname(author: str) -> str:
    """'Chew-Graham C' → 'Chew-Graham'; 'van Ballegooijen W' → 'van Ballegooijen'."""
    return author.rsplit(" ", 1)[0]


def right_ids(query: Query, catalogue) -> set[str]:
    """The resource ids that count as a right answer for a query."""
    rule = query.right
    found = set(rule.get("ids", ()))
    for rid, r in catalogue.resources.items():
        if ("topic" in rule and rule["topic"] in [str(t) for t in r.topics]
                or "author" in rule and rule["author"] in [surname(a) for a in r.authors]
                or "journal" in rule and r.journal == rule["journal"]
                or "organisation" in rule and r.organisation == rule["organisation"]):
            found.add(rid)
    return found


def entry_of(href: str, resources) -> str | None:
    """The resource a result's link leads to (`page/#id`, or `page/#subsection--id`), or None."""
    anchor = href.partition("#")[2]
    for candidate in (anchor, anchor.rsplit("--", 1)[-1]):
        if candidate in resources:
            return candidate
    return None


@dataclass
class Outcome:
    query: Query
    entries: list[str]
    """The entry results in reading order (resource ids)."""
    right: set[str]
    problems: list[str] = field(default_factory=list)

    @property
    def hit1(self) -> bool:
        return bool(self.entries) and self.entries[0] in self.right

    @property
    def hit5(self) -> bool:
        return any(rid in self.right for rid in self.entries[:TOP])

    def line(self) -> str:
        mark = "1" if self.hit1 else ("5" if self.hit5 else "✘")
        shown = ", ".join(self.entries[:3]) or "no entry results"
        return f"[{mark}] {self.query.query!r} ({self.query.kind}) → {shown}"


def score(query: Query, hrefs: list[str], catalogue, superseded_marked: dict[str, bool] | None = None) -> Outcome:
    """Score one query's results (link targets in reading order).

    `superseded_marked` maps resource ids shown in the results to whether
    their result item says it is superseded (None: the UI cannot say).
    """
    entries: list[str] = []
    for href in hrefs:
        rid = entry_of(href, catalogue.resources)
        if rid and rid not in entries:
            entries.append(rid)
    outcome = Outcome(query, entries, right_ids(query, catalogue))
    if outcome.hit1 or outcome.hit5:
        first_right = next(i for i, rid in enumerate(entries) if rid in outcome.right)
        for older in query.outranks:
            if older in entries and entries.index(older) < first_right:
                outcome.problems.append(f"{query.query!r}: {older} comes before the current guidance")
    if superseded_marked is not None:
        for rid in query.superseded:
            if rid in superseded_marked and not superseded_marked[rid]:
                outcome.problems.append(f"{query.query!r}: the result for {rid} does not say it is superseded")
    return outcome


def rates(outcomes: list[Outcome]) -> tuple[float, float]:
    n = len(outcomes) or 1
    return sum(o.hit1 for o in outcomes) / n, sum(o.hit5 for o in outcomes) / n


def report(outcomes: list[Outcome], title: str) -> list[str]:
    hit1, hit5 = rates(outcomes)
    lines = [f"{title}: {len(outcomes)} queries; right entry first {hit1:.0%} "
             f"({sum(o.hit1 for o in outcomes)}), in the first {TOP} {hit5:.0%} ({sum(o.hit5 for o in outcomes)})"]
    kinds: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        kinds.setdefault(outcome.query.kind, []).append(outcome)
    for kind, group in kinds.items():
        k1, k5 = rates(group)
        lines.append(f"  {kind:<17} {len(group):2} queries: first {k1:4.0%}, top {TOP} {k5:4.0%}")
    lines += ["  " + o.line() for o in outcomes if not o.hit1]
    lines += ["  " + p for o in outcomes for p in o.problems]
    return lines
