"""Keyboard only: the skip link, and every control of the Browse-all filters reached and used with keys."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import fully_visible

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

FILTER_CONTROLS = ["hub-filter-type", "hub-filter-year", "hub-filter-audience", "hub-filter-setting",
                   "hub-filter-topic", "hub-filter-q", "reset"]
"""The filters in the order Tab reaches them; "reset" is the Clear filters button."""

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {id: el.id || (el.type === 'reset' ? 'reset' : ''), tag: el.tagName, cls: el.className,
          text: (el.textContent || '').trim().slice(0, 40),
          inArticle: !!el.closest('article'), inHeader: !!el.closest('header, .md-banner, nav'),
          indicator: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' || style.boxShadow !== 'none'};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def test_the_skip_link_is_first_and_moves_past_the_header(page, base_url):
    page.goto(base_url + "resources/assessment-and-treatment/")
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_css("opacity", "1")  # shown once focused, not only to screen readers
    target = skip.get_attribute("href").lstrip("#")
    page.keyboard.press("Enter")
    page.wait_for_url("**#" + target)
    assert fully_visible(page, target)["ok"]
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["inArticle"] and not now["inHeader"], f"after the skip link, Tab went to {now}"


def tab_to(page, element_id: str, limit: int = 80) -> int:
    """Press Tab until the element has focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page)["id"] == element_id:
            return presses
    pytest.fail(f"#{element_id} not reached after {limit} presses of Tab")


def arrow_to(page, value: str, limit: int = 60) -> None:
    """Change the focused <select> with the arrow keys until it shows `value`."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"the arrow keys never reached '{value}'")


def test_every_filter_can_be_reached_and_used_with_the_keyboard(page, base_url, catalogue):
    resources = list(catalogue.resources.values())
    total = len(resources)
    page.goto(base_url + "browse/")
    count = page.locator("#hub-count")

    tab_to(page, FILTER_CONTROLS[0])
    order = [focused(page)]
    for _ in FILTER_CONTROLS[1:]:
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert [f["id"] for f in order] == FILTER_CONTROLS, order
    assert all(f["indicator"] for f in order), [f["id"] for f in order if not f["indicator"]]

    # Back to the first filter with Shift+Tab, then use each one in turn.
    for _ in FILTER_CONTROLS[1:]:
        page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == "hub-filter-type"
    arrow_to(page, "paper")
    papers = [r for r in resources if str(r.type) == "paper"]
    expect(count).to_have_text(f"Showing {len(papers)} of {total} resources")

    page.keyboard.press("Tab")
    year = str(max(r.year for r in papers if r.year))
    arrow_to(page, year)
    shown = [r for r in papers if str(r.year) == year]
    expect(count).to_have_text(f"Showing {len(shown)} of {total} resources")

    for name in ("audience", "setting", "topic"):
        page.keyboard.press("Tab")
        assert focused(page)["id"] == f"hub-filter-{name}"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")  # back to "All …": moving through a list must not break it
    expect(count).to_have_text(f"Showing {len(shown)} of {total} resources")

    page.keyboard.press("Tab")
    surname = shown[0].authors[0].rsplit(" ", 1)[0]
    page.keyboard.type(surname)
    with_surname = [r for r in shown if surname.lower() in " ".join(
        [r.title, *r.authors, r.journal or "", r.organisation or ""]).lower()]
    expect(page).to_have_url(re.compile(f"[?&]q={re.escape(surname)}$"))
    expect(count).to_have_text(f"Showing {len(with_surname)} of {total} resources")

    page.keyboard.press("Tab")
    assert focused(page)["id"] == "reset"
    page.keyboard.press("Enter")
    expect(count).to_have_text(f"Showing {total} of {total} resources")
    expect(page).to_have_url(re.compile("/browse/$"))

    # The table scrolls sideways on small screens, so its region takes focus too.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('hub-table-wrap')")
