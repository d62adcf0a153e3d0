"""On a phone, 375 CSS px wide: nothing scrolls sideways, urgent help stays short, navigation and search work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.harness import fully_visible, horizontal_overflow, search

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

BANNER_MAX_LINES = 2
"""The compact route to urgent help above the header: at most two lines on a phone."""


def test_no_page_scrolls_sideways_on_a_phone(phone, base_url, site_pages):
    wide = {}
    for path in site_pages:
        phone.goto(base_url + path)
        overflow = horizontal_overflow(phone)
        if overflow["scroll"] > overflow["width"]:
            wide["/" + path] = overflow
    assert not wide, "pages wider than the phone:\n" + "\n".join(
        f"{path}: {o['scroll']} px in {o['width']} px; {', '.join(o['culprits'])}" for path, o in wide.items())


def test_browse_all_fits_a_phone(phone, base_url):
    """The table fits the screen: no column hidden off to the right, titles given room to read."""
    phone.goto(base_url + "browse/")
    fit = phone.evaluate("""() => {
      const wrap = document.querySelector('.hub-table-wrap');
      const title = document.querySelector('#hub-browse thead th').getBoundingClientRect().width;
      return {scroll: wrap.scrollWidth, width: wrap.clientWidth, title: Math.round(title)};
    }""")
    assert fit["scroll"] <= fit["width"] + 1, f"the table is {fit['scroll']} px wide in {fit['width']} px"
    assert fit["title"] >= fit["width"] / 2, f"the titles get {fit['title']} px of {fit['width']} px"


def banner_lines(page) -> dict:
    """How many lines of text the urgent-help banner takes, and its height."""
    return page.evaluate("""() => {
      const banner = document.querySelector('.md-banner');
      const range = document.createRange();
      range.selectNodeContents(banner);
      const tops = new Set();
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top / 4));
      // Line boxes of one line share a top (within a few px); count the distinct ones.
      const sorted = [...tops].sort((a, b) => a - b).filter((t, i, all) => i === 0 || t - all[i - 1] > 3);
      return {lines: sorted.length, height: Math.round(banner.getBoundingClientRect().height)};
    }""")


def test_the_urgent_help_banner_is_compact_on_a_phone(phone, base_url):
    for path in ("", "browse/", "resources/assessment-and-treatment/"):
        phone.goto(base_url + path)
        measured = banner_lines(phone)
        assert measured["lines"] <= BANNER_MAX_LINES, \
            f"/{path}: the banner takes {measured['lines']} lines ({measured['height']} px) before the header"
        for number in ("tel:999", "tel:111", "tel:116123"):
            link = phone.locator(f".md-banner a[href='{number}']")
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box["height"] >= 24 and box["width"] >= 24, f"{number}: smaller than 24 × 24 px, hard to tap ({box})"


def tap_in_drawer(phone, href_end: str) -> None:
    """Tap a page in the open drawer; on a phone a closed section opens as its own panel first."""
    link = phone.locator(f"nav.md-nav--primary a.md-nav__link[href$='{href_end}']")
    try:
        link.click(trial=True, timeout=3_000)  # only checks that a tap would reach the link
    except PlaywrightTimeoutError:
        link.locator("xpath=ancestor::li[contains(@class, 'md-nav__item--nested')][1]"
                     "/label[contains(@class, 'md-nav__link')]").click()
    link.click()


def test_the_navigation_drawer_works_on_a_phone(phone, base_url, catalogue):
    phone.goto(base_url)
    menu = phone.locator("label.md-header__button[for='__drawer']")
    expect(menu).to_be_visible()
    expect(phone.locator("nav.md-nav--primary")).not_to_be_in_viewport()

    section = catalogue.sections[-1]  # the last section: the furthest down the menu
    menu.click()
    tap_in_drawer(phone, f"resources/{section.id}/")
    phone.wait_for_url(base_url + f"resources/{section.id}/")
    expect(phone.locator("article h1")).to_contain_text(section.title)

    menu.click()  # the drawer opens on this page's section: Browse all is in it
    tap_in_drawer(phone, "browse/")
    phone.wait_for_url(base_url + "browse/")
    expect(phone.locator("#hub-filters")).to_be_visible()

    phone.goto(base_url)
    menu.click()
    tap_in_drawer(phone, "support-organisations/")
    phone.wait_for_url(base_url + "support-organisations/")
    expect(phone.locator("article h1")).to_have_text("Support organisations")


def test_search_works_on_a_phone(phone, base_url, catalogue):
    phone.goto(base_url + "browse/")
    magnifier = phone.locator(".hub-search__open")
    expect(magnifier).to_be_visible()
    expect(phone.locator("#hub-search-q")).to_be_hidden()  # closed: nothing in it takes focus
    search(phone, "Hawton")
    expect(magnifier).to_have_attribute("aria-expanded", "true")
    result = phone.locator("[data-search-result] a[href*='#']").first
    anchor = result.get_attribute("href").partition("#")[2]
    assert anchor.rsplit("--", 1)[-1] in catalogue.resources, anchor
    box = result.bounding_box()
    assert box["height"] >= 24, f"the first result is {box['height']} px tall, hard to tap"
    result.click()
    phone.wait_for_url(re.compile("#" + re.escape(anchor) + "$"))
    where = fully_visible(phone, anchor)
    assert where["ok"] and where["onTop"], where


def test_the_search_closes_on_a_phone_and_gives_focus_back(phone, base_url):
    phone.goto(base_url)
    magnifier = phone.locator(".hub-search__open")
    search(phone, "aftercare")
    phone.get_by_role("button", name="Close search").click()
    expect(phone.locator("#hub-search-q")).to_be_hidden()
    expect(magnifier).to_be_focused()
    expect(magnifier).to_have_attribute("aria-expanded", "false")
