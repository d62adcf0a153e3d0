"""Relevance you can show: the queries of search_relevance.yaml, typed into the built site in Chromium.

For each query, the entry results in reading order are scored against the
entries that count as right (tests/e2e/relevance.py). The targets: the right
entry first for at least 95% of the queries, and among the first five for
every one; current guidance ahead of what it replaced for its own name and
number; every superseded entry shown marked as such. The hit rates are
printed under "end-to-end results" and written to test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import search, search_results
from tests.e2e.relevance import HIT1_TARGET, TOP, entry_of, load_queries, rates, report, right_ids, score

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

QUERIES = load_queries()


def test_the_relevance_set_is_large_and_meaningful(catalogue):
    """At least 40 queries, each with at least one right entry in the catalogue as it is now."""
    assert len(QUERIES) >= 40
    assert len({q.query for q in QUERIES}) == len(QUERIES), "a query appears twice"
    empty = [q.query for q in QUERIES if not right_ids(q, catalogue)]
    assert not empty, f"queries with no right entry in the catalogue: {empty}"
    unknown = {rid for q in QUERIES for rid in (*q.outranks, *q.superseded, *q.right.get("ids", ()))
               if rid not in catalogue.resources}
    assert not unknown, f"the relevance set names resources the catalogue does not have: {sorted(unknown)}"


def test_the_right_entry_comes_first(page, base_url, catalogue, engine, record_property):
    page.goto(base_url)
    outcomes = []
    for query in QUERIES:
        search(page, query.query)
        results = search_results(page)
        marked = {entry_of(r["href"], catalogue.resources): r["status"] == "superseded" and "Superseded" in r["text"]
                  for r in results}
        outcomes.append(score(query, [r["href"] for r in results], catalogue, marked))
    lines = report(outcomes, f"search relevance ({engine})")
    record_property("e2e-relevance", lines)
    hit1, hit5 = rates(outcomes)
    problems = [p for o in outcomes for p in o.problems]
    assert hit1 >= HIT1_TARGET and hit5 == 1.0 and not problems, (
        f"right entry first for {hit1:.0%} (need {HIT1_TARGET:.0%}), in the first {TOP} for {hit5:.0%} "
        "(need all)\n" + "\n".join(lines))
