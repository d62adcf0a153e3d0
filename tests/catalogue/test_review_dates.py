"""Honest review dates: `last_reviewed` may be absent, is not a review when it only repeats `added`,
and validation warns when it looks pasted onto many records or comes before `added`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hub.catalogue.checks import COPIED_REVIEW_DATES, validate
from hub.catalogue.model import Resource
from tests.conftest import ROOT

REAL_DATA = ROOT / "data"

RECORD = """  - id: report-{n}
    type: report
    title: Report number {n}
    organisation: NCISH
    added: 2026-11-23
    last_reviewed: {reviewed}
"""


def with_reports(project: Path, dates: list[str]) -> Path:
    """The minimal catalogue (whose three resources repeat `added` in `last_reviewed`) plus reports."""
    path = project / "data" / "resources.yaml"
    text = (ROOT / "tests" / "fixtures" / "minimal" / "resources.yaml").read_text(encoding="utf-8")
    path.write_text(text + "".join(RECORD.format(n=n, reviewed=d) for n, d in enumerate(dates)), encoding="utf-8")
    return project / "data"


def copied(project: Path) -> list:
    result = validate(project / "data", root=project)
    assert not result.errors, [p.render() for p in result.errors]
    return [p for p in result.warnings if p.code == "copied-review-date"]


def test_last_reviewed_may_be_left_out_and_is_a_review_only_when_it_differs_from_added():
    base = dict(id="a-report", type="report", title="A report", added=dt.date(2026, 11, 23))
    assert Resource(**base).last_reviewed is None and Resource(**base).reviewed is None
    assert Resource(**base, last_reviewed=dt.date(2026, 11, 23)).reviewed is None
    assert Resource(**base, last_reviewed=dt.date(2026, 12, 1)).reviewed == dt.date(2026, 12, 1)


def test_a_few_copied_dates_pass_but_five_get_one_located_warning(minimal_project: Path):
    assert COPIED_REVIEW_DATES == 5
    with_reports(minimal_project, ["2026-11-23"])  # 4 records repeat `added`
    assert copied(minimal_project) == []
    with_reports(minimal_project, ["2026-11-23", "2026-11-23", "2026-12-01"])  # 5 of 6 (one real review)
    (warning,) = copied(minimal_project)
    assert (warning.line, warning.field) == (31, "resources[0].last_reviewed")
    assert warning.message.startswith("5 resources have 'last_reviewed' equal to 'added' ('nice-ng225', "
                                      "'nice-cg16', 'stanley-2012-safety-planning', 'report-0' …)")
    assert "not as reviewed" in warning.message and "--mark-reviewed" in warning.hint


def test_a_review_before_the_record_was_added_is_a_warning(minimal_project: Path):
    with_reports(minimal_project, ["2026-11-22"])
    result = validate(minimal_project / "data", root=minimal_project)
    (warning,) = [p for p in result.warnings if p.code == "reviewed-before-added"]
    assert warning.field == "resources[3].last_reviewed"
    assert warning.message == "'report-0' was last reviewed on 2026-11-22, before it was added on 2026-11-23"


def test_the_real_data_claims_no_review_nobody_made():
    result = validate(REAL_DATA, root=REAL_DATA.parent)
    resources = result.load.catalogue.resources.values()
    assert resources and all(r.reviewed is None for r in resources)
    assert not [p for p in result.warnings if p.code in ("copied-review-date", "reviewed-before-added")]
