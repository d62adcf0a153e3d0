"""The real catalogue validates cleanly and holds what the seed documents name."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from hub.catalogue.checks import validate
from tests.conftest import ROOT, run_hub


@pytest.fixture(scope="module")
def result():
    return validate(ROOT / "data", root=ROOT)


def test_real_data_has_no_errors_or_warnings(result) -> None:
    serious = result.errors + result.warnings
    assert not serious, "\n".join(p.render() for p in serious)
    assert result.load.catalogue is not None


def test_every_resource_is_defined_once_and_placed(result) -> None:
    cat = result.load.catalogue
    titles = Counter(r.title.casefold() for r in cat.resources.values())
    assert [t for t, n in titles.items() if n > 1] == []
    dois = Counter(r.doi for r in cat.resources.values() if r.doi)
    assert [d for d, n in dois.items() if n > 1] == []
    assert all(cat.placements[rid] for rid in cat.resources)


def test_papers_listed_twice_on_the_seed_page_are_one_record_in_two_places(result) -> None:
    cat = result.load.catalogue
    twice = [r for r in cat.resources.values() if len(cat.placements[r.id]) > 1]
    assert len(twice) >= 4
    assert any("Role of the GP" in r.title for r in twice)


def test_old_nice_guidelines_are_superseded_by_ng225(result) -> None:
    cat = result.load.catalogue
    old = [r for r in cat.resources.values() if r.url and r.url.rstrip("/").endswith(("cg16", "cg133"))]
    assert len(old) == 2
    ng225 = next(r for r in cat.resources.values() if r.url and r.url.endswith("ng225"))
    assert all(r.status == "superseded" and r.superseded_by == ng225.id for r in old)


def test_six_sections_and_the_urgent_help_lines(result) -> None:
    cat = result.load.catalogue
    assert [s.number for s in cat.sections] == [1, 2, 3, 4, 5, 6]
    contacts = {h.contact for h in cat.helplines}
    assert {"999", "111", "116 123", "85258", "0800 1111", "jo@samaritans.org"} <= contacts


def test_validate_prints_counts_by_type_and_links_missing() -> None:
    proc = run_hub("validate")
    assert proc.returncode == 0, proc.stderr
    assert "research paper" in proc.stderr
    assert "resources have no verified link yet" in proc.stderr
    assert "OK: 0 error(s), 0 warning(s)" in proc.stderr
    # the no-link notices count organisations too: the summary says so, so the two numbers agree
    notices = int(re.search(r"notices: (?:.*?, )?(\d+) no-link", proc.stderr)[1])
    resources = int(re.search(r"(\d+) resources have no verified link yet", proc.stderr)[1])
    organisations = notices - resources
    assert organisations >= 0
    if organisations:
        assert f"no verified link yet (nor {organisations} organisation" in proc.stderr
