"""Browse all: the filters narrow the table, the count follows, and the address keeps the choice.

What the table should show is worked out from the catalogue itself, so the
test keeps meaning the same thing as resources are added.
"""

from __future__ import annotations

import itertools
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def shown_ids(page) -> set[str]:
    return set(page.eval_on_selector_all("#hub-browse tbody tr:not([hidden])",
                                         "rows => rows.map(r => r.dataset.id)"))


def query_of(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def count_text(shown: int, total: int) -> str:
    return f"Showing {shown} of {total} resources"


def narrowing_filters(catalogue) -> list[tuple[str, str, set[str]]]:
    """A type, an audience and a year that each narrow the rows further, and the rows left after each.

    Of all such choices, the one that leaves the most rows at the end (ties: the
    first in the catalogue's own order), so the check is as broad as the data allows.
    """
    resources = list(catalogue.resources.values())
    types = dict.fromkeys(str(r.type) for r in resources)
    audiences = dict.fromkeys(str(a) for r in resources for a in r.audience)
    years = dict.fromkeys(str(r.year) for r in resources if r.year)
    best, best_size = None, 0
    for kind, audience, year in itertools.product(types, audiences, years):
        step1 = {r.id for r in resources if str(r.type) == kind}
        step2 = {r.id for r in resources if r.id in step1 and audience in [str(a) for a in r.audience]}
        step3 = {r.id for r in resources if r.id in step2 and str(r.year) == year}
        if len(step1) > len(step2) > len(step3) > best_size:
            best, best_size = [("type", kind, step1), ("audience", audience, step2), ("year", year, step3)], len(step3)
    assert best, "the catalogue has no type, audience and year that narrow the list step by step"
    return best


def test_type_audience_and_year_narrow_the_table_and_survive_a_reload(page, base_url, catalogue):
    total = len(catalogue.resources)
    page.goto(base_url + "browse/")
    count = page.locator("#hub-count")
    expect(count).to_have_text(count_text(total, total))
    assert len(shown_ids(page)) == total

    chosen: dict[str, str] = {}
    for name, value, expected in narrowing_filters(catalogue):
        page.select_option(f"#hub-filter-{name}", value)
        chosen[name] = value
        expect(count).to_have_text(count_text(len(expected), total))
        assert shown_ids(page) == expected, f"after choosing {name} = {value}"
        assert query_of(page) == chosen, page.url

    filtered = page.url
    page.reload()
    expect(count).to_have_text(count_text(len(expected), total))
    assert shown_ids(page) == expected
    for name, value in chosen.items():
        assert page.locator(f"#hub-filter-{name}").input_value() == value

    # The same address opened afresh (a bookmark, a link in an email) shows the same rows.
    fresh = page.context.new_page()
    fresh.goto(filtered)
    expect(fresh.locator("#hub-count")).to_have_text(count_text(len(expected), total))
    assert shown_ids(fresh) == expected

    page.get_by_role("button", name="Clear filters").click()
    expect(count).to_have_text(count_text(total, total))
    assert len(shown_ids(page)) == total
    assert urlsplit(page.url).query == ""
    for name in chosen:
        assert page.locator(f"#hub-filter-{name}").input_value() == ""


def test_every_row_links_to_its_entry(page, base_url, catalogue):
    """Each title in the table leads to the entry's anchor on its section page."""
    page.goto(base_url + "browse/")
    rows = page.eval_on_selector_all(
        "#hub-browse tbody tr",
        "rows => rows.map(r => [r.dataset.id, r.querySelector('a').getAttribute('href')])")
    assert sorted(row_id for row_id, _ in rows) == sorted(catalogue.resources)
    for row_id, href in rows:
        assert href.startswith("../resources/") and href.endswith("/#" + row_id), (row_id, href)
    first_id, first_href = rows[0]
    page.locator(f"#hub-browse tr[data-id='{first_id}'] a").first.click()
    page.wait_for_url("**#" + first_id)
    expect(page.locator(f"[id='{first_id}']")).to_be_in_viewport()
