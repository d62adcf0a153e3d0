"""Finding one's way: the navigation, the events of both phases, contact links, urgent help on every page."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import fully_visible

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

HELP_REGION = re.compile(r"help", re.IGNORECASE)
URGENT_NUMBERS = ["tel:999", "tel:111", "tel:116123"]
"""The first three lines of data/helplines.yaml, which the banner shows on every page."""


def test_the_navigation_reaches_every_page_from_home(page, base_url, site_pages, catalogue):
    page.goto(base_url)
    nav = page.locator("nav.md-nav--primary")
    hrefs = nav.locator("a.md-nav__link[href]").evaluate_all("links => links.map(a => a.href)")
    reachable = {href.split("#")[0] for href in hrefs}
    wanted = {base_url + path for path in site_pages if path != "404.html"}
    assert wanted <= reachable, f"not in the navigation: {sorted(wanted - reachable)}"

    for section in catalogue.sections:
        page.goto(base_url)
        link = nav.locator(f"a.md-nav__link[href$='resources/{section.id}/']")
        expect(link).to_be_visible()
        link.click()
        page.wait_for_url(base_url + f"resources/{section.id}/")
        expect(page.locator("article h1")).to_contain_text(section.title)


def test_the_events_page_lists_both_phases(page, base_url, catalogue):
    page.goto(base_url + "events/")
    phases = sorted({event.phase for event in catalogue.events})
    assert phases == [1, 2]
    for phase in phases:
        expect(page.locator(f"h2#events-phase-{phase}")).to_have_text(f"Phase {phase}")
    for event in catalogue.events:
        heading = page.locator(f"[id='{event.id}']")
        expect(heading).to_be_visible()
        under = heading.evaluate("""el => {
          let phase = null;
          for (const h2 of document.querySelectorAll('article h2[id^="events-phase-"]'))
            if (h2.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) phase = h2.id;
          return phase;
        }""")
        assert under == f"events-phase-{event.phase}", f"{event.id} is listed under {under}"


def digits(number: str) -> str:
    return re.sub(r"[^\d+]", "", number)


def links_under(page, heading_id: str) -> dict[str, str]:
    """The links between a heading and the next one of its level: href → visible text."""
    return page.evaluate("""id => {
      const heading = document.getElementById(id), links = {};
      for (let el = heading.nextElementSibling; el && el.tagName !== heading.tagName; el = el.nextElementSibling)
        for (const a of el.querySelectorAll('a[href]')) links[a.getAttribute('href')] = a.textContent.trim();
      return links;
    }""", heading_id)


def test_support_organisations_have_working_phone_and_email_links(page, base_url, catalogue):
    page.goto(base_url + "support-organisations/")
    checked = 0
    for org in catalogue.organisations.values():
        expect(page.locator(f"h2[id='{org.id}']")).to_have_text(org.name)
        links = links_under(page, org.id)
        wanted = {f"tel:{digits(str(n))}": str(n)
                  for n in (org.phone, org.helpline, *(p.phone for p in org.other_phones)) if n}
        if org.text:
            wanted[f"sms:{digits(str(org.text))}"] = str(org.text)
        if org.email:
            wanted[f"mailto:{org.email}"] = str(org.email)
        for href, text in wanted.items():
            assert links.get(href) == text, f"{org.id}: expected a link {href} reading '{text}', found {links}"
        checked += len(wanted)
    assert checked >= 2
    # Every contact link is well formed: what a phone dials or a mail program opens.
    for href in page.locator("article a[href^='tel:'], article a[href^='sms:']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"):
        assert re.fullmatch(r"(tel|sms):\+?\d{3,15}", href), href
    for href in page.locator("article a[href^='mailto:']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"):
        assert re.fullmatch(r"mailto:[^@\s/]+@[a-z0-9.-]+\.[a-z]{2,}", href), href
    # A tap lands on the link itself, not on something drawn over it.
    for link in page.locator("article a[href^='tel:'], article a[href^='mailto:']").all():
        link.scroll_into_view_if_needed()
        assert link.evaluate("""a => { const b = a.getBoundingClientRect();
                                        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
                                        return hit === a || a.contains(hit); }"""), link.get_attribute("href")


def test_every_page_has_a_labelled_route_to_urgent_help(page, base_url, site_pages):
    """The banner: a labelled landmark with the urgent numbers, each link saying what it calls."""
    for path in site_pages:
        page.goto(base_url + path)
        region = page.get_by_role("region", name=HELP_REGION).or_(
            page.get_by_role("complementary", name=HELP_REGION))
        expect(region, f"no landmark labelled 'help' on /{path}").to_have_count(1)
        links = region.first.locator("a[href^='tel:']")
        hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs[:3] == URGENT_NUMBERS, (path, hrefs)
        for link in links.all():
            name = link.evaluate("a => a.getAttribute('aria-label') || a.textContent").strip()
            assert re.search(r"[A-Za-z]{3}", name), f"/{path}: the link {link.get_attribute('href')} is read as '{name}'"
        more = region.first.get_by_role("link", name=re.compile("help", re.IGNORECASE))
        expect(more).to_have_count(1)
        assert urljoin(page.url, more.get_attribute("href")) == base_url + "#need-help-now"


def test_the_more_help_link_lands_on_the_help_box(page, base_url):
    page.goto(base_url + "browse/")
    page.locator(".md-banner").get_by_role("link", name=re.compile("help", re.IGNORECASE)).click()
    page.wait_for_url(base_url + "#need-help-now")
    where = fully_visible(page, "need-help-now")
    assert where["ok"], where
