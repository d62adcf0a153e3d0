"""Memory between runs: the results cache's time-to-live and the two-consecutive-failures rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hub.links.state import History, ResultsCache
from hub.links.types import LinkResult, LinkStatus

MONDAY = datetime(2025, 3, 3, 5, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def result(status: LinkStatus, url: str = "https://a.example/", code: int | None = None) -> LinkResult:
    return LinkResult(url, status, code, detail=f"{status.value} detail")


def test_ok_results_are_reused_within_the_ttl(tmp_path):
    path = tmp_path / "cache.json"
    cache = ResultsCache(path, timedelta(hours=24), now=MONDAY)
    cache.put(result(LinkStatus.OK, code=200))
    cache.put(result(LinkStatus.REDIRECTED, "https://moved.example/", 200))
    cache.save()

    later = ResultsCache(path, timedelta(hours=24), now=MONDAY + timedelta(hours=3))
    hit = later.get("https://a.example/")
    assert hit is not None and hit.cached
    assert (hit.status, hit.code) == (LinkStatus.OK, 200)
    assert "cached, checked 3 h ago" in hit.detail
    assert later.get("https://moved.example/").status is LinkStatus.REDIRECTED

    assert ResultsCache(path, timedelta(hours=24), now=MONDAY + timedelta(hours=25)).get("https://a.example/") is None


def test_failures_are_never_cached(tmp_path):
    cache = ResultsCache(tmp_path / "cache.json", timedelta(hours=24), now=MONDAY)
    for status in (LinkStatus.BROKEN, LinkStatus.UNVERIFIABLE, LinkStatus.SKIPPED):
        cache.put(result(status, f"https://{status.value}.example/"))
    assert cache.entries == {}


def test_a_damaged_file_is_treated_as_empty_with_a_warning(tmp_path):
    path = tmp_path / "cache.json"
    path.write_text("{not json", encoding="utf-8")
    cache = ResultsCache(path, timedelta(hours=24))
    assert cache.entries == {}
    assert "cannot be read" in cache.warnings[0]


def run_week(path, when, *statuses: LinkStatus, confirm_twice: bool = True) -> list[LinkResult]:
    history = History.load(path, now=when)
    results = [result(s, f"https://{i}.example/") for i, s in enumerate(statuses)]
    history.apply(results, confirm_twice)
    history.save()
    return results


def test_a_first_failure_is_not_yet_broken_and_a_second_is(tmp_path):
    path = tmp_path / "state.json"
    [first] = run_week(path, MONDAY, LinkStatus.OK)
    assert first.last_ok == "2025-03-03T05:00:00Z"

    [second] = run_week(path, MONDAY + WEEK, LinkStatus.BROKEN)
    assert second.status is LinkStatus.UNVERIFIABLE
    assert second.detail.startswith("failing once, will be confirmed next run")
    assert (second.failing_since, second.consecutive_failures) == ("2025-03-10T05:00:00Z", 1)

    [third] = run_week(path, MONDAY + 2 * WEEK, LinkStatus.BROKEN)
    assert third.status is LinkStatus.BROKEN
    assert (third.failing_since, third.consecutive_failures) == ("2025-03-10T05:00:00Z", 2)
    assert third.last_ok == "2025-03-03T05:00:00Z"

    [fixed] = run_week(path, MONDAY + 3 * WEEK, LinkStatus.OK)
    assert (fixed.failing_since, fixed.consecutive_failures) == (None, 0)


def test_unverifiable_runs_neither_confirm_nor_reset_a_failure(tmp_path):
    path = tmp_path / "state.json"
    run_week(path, MONDAY, LinkStatus.BROKEN)
    [blocked] = run_week(path, MONDAY + WEEK, LinkStatus.UNVERIFIABLE)
    assert blocked.consecutive_failures == 1
    [broken] = run_week(path, MONDAY + 2 * WEEK, LinkStatus.BROKEN)
    assert broken.status is LinkStatus.BROKEN


def test_without_confirm_twice_a_failure_is_broken_at_once(tmp_path):
    [broken] = run_week(tmp_path / "state.json", MONDAY, LinkStatus.BROKEN, confirm_twice=False)
    assert broken.status is LinkStatus.BROKEN


def test_links_not_seen_for_months_are_forgotten(tmp_path):
    path = tmp_path / "state.json"
    run_week(path, MONDAY, LinkStatus.OK)
    history = History.load(path, now=MONDAY + timedelta(days=365))
    history.save()
    assert json.loads(path.read_text())["links"] == {}
