"""`hub review --mark-reviewed ID …`: a review is recorded by writing its date into `last_reviewed`,
changing that one line of resources.yaml and no other byte; dates that cannot be a review are refused
and then nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hub.catalogue.checks import validate

from .conftest import TODAY, added_lines_only, hub

RESOURCES = Path("data") / "resources.yaml"


def mark(*args: str, today: str = TODAY):
    return hub("review", "--mark-reviewed", *args, "--today", today)


def changed_lines(before: bytes, after: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Line number (1-based) → (old, new) for every line that differs; the files must have as many lines."""
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new), "lines were added or removed"
    return {i + 1: (a, b) for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}


def line_of(text: bytes, needle: bytes, after: int = 0) -> int:
    lines = text.split(b"\n")
    return next(i + 1 for i, line in enumerate(lines) if i + 1 > after and line == needle)


def test_it_rewrites_only_the_last_reviewed_line_of_each_record(project):
    before = RESOURCES.read_bytes()
    run = mark("nice-ng225", "stanley-2012-safety-planning", "--date", "2026-11-20")
    assert run.code == 0, run.output
    assert "Marked as reviewed on 2026-11-20 in data/resources.yaml: nice-ng225, stanley-2012-safety-planning." \
        in run.stdout
    after = RESOURCES.read_bytes()
    ng225 = line_of(before, b"  - id: nice-ng225")
    stanley = line_of(before, b"  - id: stanley-2012-safety-planning")
    first = line_of(before, b"    last_reviewed: 2025-06-01", ng225)
    second = line_of(before, b"    last_reviewed: 2025-06-01", stanley)
    assert changed_lines(before, after) == {
        first: (b"    last_reviewed: 2025-06-01", b"    last_reviewed: 2026-11-20"),
        second: (b"    last_reviewed: 2025-06-01", b"    last_reviewed: 2026-11-20"),
    }
    catalogue = validate(Path("data"), Path.cwd()).load.catalogue
    assert catalogue.resources["nice-ng225"].reviewed == dt.date(2026, 11, 20)


def test_without_date_it_writes_today(project):
    run = hub("review", "--mark-reviewed", "nice-ng225")
    assert run.code == 0, run.output
    written = validate(Path("data"), Path.cwd()).load.catalogue.resources["nice-ng225"].last_reviewed
    assert written in {dt.date.today(), dt.date.today() - dt.timedelta(days=1)}  # (run at midnight)


def test_a_record_never_reviewed_gets_the_line_after_added(project):
    text = RESOURCES.read_text(encoding="utf-8")
    RESOURCES.write_text(text.replace("    added: 2024-01-15\n    last_reviewed: 2025-06-01\n  - id: nice-cg16",
                                      "    added: 2024-01-15\n  - id: nice-cg16", 1), encoding="utf-8")
    before = RESOURCES.read_text(encoding="utf-8")
    assert mark("nice-ng225").code == 0
    after = RESOURCES.read_text(encoding="utf-8")
    assert added_lines_only(before, after) == [f"    last_reviewed: {TODAY}"]
    assert f"    added: 2024-01-15\n    last_reviewed: {TODAY}\n  - id: nice-cg16" in after


def test_line_endings_byte_order_mark_and_a_comment_on_the_line_are_kept(project):
    text = RESOURCES.read_text(encoding="utf-8").replace(
        "    last_reviewed: 2025-06-01\n  - id: nice-cg16", "    last_reviewed: 2025-06-01   # by AB\n  - id: nice-cg16")
    before = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    RESOURCES.write_bytes(before)
    assert mark("nice-ng225").code == 0
    after = RESOURCES.read_bytes()
    (line, (old, new)), = changed_lines(before, after).items()
    assert old == b"    last_reviewed: 2025-06-01   # by AB\r"
    assert new == f"    last_reviewed: {TODAY}   # by AB\r".encode()
    assert after.startswith("\ufeff".encode())


@pytest.mark.parametrize("args, message", [
    (["nice-cg16", "--date", "2024-01-15"],
     "'nice-cg16' was added on 2024-01-15, so a review that day would not be shown as one"),
    (["nice-ng225", "--date", "2023-12-31"], "'nice-ng225' was added on 2024-01-15, after 2023-12-31"),
    (["nice-ng225", "--date", "2026-11-24"], "2026-11-24 is in the future"),
    (["nice-ng225", "--date", "2025-05-31"], "'nice-ng225' was already reviewed on 2025-06-01, after 2025-05-31"),
    (["nice-ng252"], "no resource has the id 'nice-ng252'"),
])
def test_a_date_that_cannot_be_a_review_is_refused_and_nothing_is_written(project, args, message):
    before = RESOURCES.read_bytes()
    run = mark(*args, "stanley-2012-safety-planning")
    assert run.code == 1 and message in run.stderr, run.output
    assert run.stderr.rstrip().endswith("Nothing was written.")
    assert RESOURCES.read_bytes() == before  # not even the record that could have been marked


def test_the_refusal_is_located_and_suggests_the_id(project):
    run = mark("nice-cg16", "--date", "2024-01-15")
    line = line_of(RESOURCES.read_bytes(), b"    last_reviewed: 2024-01-15")
    assert f"data/resources.yaml:{line}:20: error: the 2nd resource, last_reviewed:" in run.stderr
    assert "hint: mark it reviewed on a later day" in run.stderr
    assert "did you mean 'nice-ng225'?" in mark("nice-ng252").stderr


def test_a_record_already_marked_that_day_is_left_alone(project):
    assert mark("nice-ng225", "--date", "2025-06-01").code == 0
    before = RESOURCES.read_bytes()
    run = mark("nice-ng225", "--date", "2025-06-01")
    assert run.code == 0 and "Already marked as reviewed on 2025-06-01: nice-ng225." in run.stdout
    assert RESOURCES.read_bytes() == before


def test_a_date_not_on_its_own_line_is_left_to_a_person(project):
    text = RESOURCES.read_text(encoding="utf-8")
    RESOURCES.write_text(text.replace("    last_reviewed: 2025-06-01\n  - id: nice-cg16",
                                      "    last_reviewed:\n      2025-06-01\n  - id: nice-cg16", 1), encoding="utf-8")
    before = RESOURCES.read_bytes()
    run = mark("nice-ng225")
    assert run.code == 1 and "'last_reviewed' is not written as one plain 'name: value' line" in run.stderr
    assert RESOURCES.read_bytes() == before


def test_usage_errors(project):
    assert hub("review", "nice-ng225").code == 2
    assert hub("review", "--mark-reviewed").code == 2
    assert hub("review", "--mark-reviewed", "nice-ng225", "--online").code == 2
    assert hub("review", "--date", "2026-01-01").code == 2


def test_on_the_real_data_one_line_is_added_and_the_entry_shows_it(real_project):
    from hub.render import render

    before = RESOURCES.read_text(encoding="utf-8")
    run = mark("nice-ng225", today="2026-12-02")
    assert run.code == 0, run.output
    after = RESOURCES.read_text(encoding="utf-8")
    assert added_lines_only(before, after) == ["    last_reviewed: 2026-12-02"]
    result = validate(Path("data"), Path.cwd())
    assert not result.errors and not [p for p in result.warnings if p.code == "copied-review-date"]
    page = render(result.load.catalogue, dt.date(2026, 12, 2))["resources/assessment-and-treatment.md"]
    entry = page[page.index("{ #nice-ng225 .hub-entry }"):]
    entry = entry[:entry.index("\n### ")]
    assert "**Last reviewed:** 2 December 2026" in entry and "Added to the hub" not in entry
