"""Markup in every free-text field stays text in every place it lands, on both engines.

The fixture catalogue gets `PAYLOAD` (an element, entities that spell a
closing `</title>`, an attribute breaker, a comment and a CDATA end) appended
to each of its free-text values; the site is built with MkDocs and with
Zensical, and every page is read back with an HTML parser: our templates and
the theme's (navigation, `<title>`, meta description, table of contents,
header, footer) must give the reader the same characters the editor typed,
and no element or attribute may come from the data. The Atom feed and the
calendar must still parse. Then a real Chromium opens every page and no
script of the payload may run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_hub
from tests.hostile.payloads import MARKER, PAYLOAD, inject
from tests.site.conftest import BUILD_DATE, FIXTURE_DATA

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("payloads")]

ENGINES = ["mkdocs", "zensical"]
SHOWN = " ".join(PAYLOAD.split())
"""What a reader must see: the payload's characters, on one line."""


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("payloads") / "data"
    assert inject(FIXTURE_DATA, data) > 100
    return data


@pytest.fixture(scope="module", params=ENGINES)
def site(request, hostile_data, tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp(request.param) / "site"
    proc = run_hub("build", "--data", str(hostile_data), "--site-dir", str(site_dir), "--engine", request.param,
                   "--build-date", BUILD_DATE.isoformat(), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site_dir


def pages(site: Path) -> list[tuple[str, BeautifulSoup]]:
    return [(p.relative_to(site).as_posix(), BeautifulSoup(p.read_text(encoding="utf-8"), "lxml"))
            for p in sorted(site.rglob("*.html"))]


def injected(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes that came from the payload."""
    found = []
    for el in soup.find_all(True):
        if el.name == "script" and MARKER in (el.string or ""):
            found.append(f"<script> {el.string[:40]!r}")
        if el.name == "img" and el.get("src") == "x":
            found.append("<img src=x>")
        found += [f"{el.name}[{name}]" for name in el.attrs if name.lower().startswith("on")]
    return found


def test_no_element_or_attribute_comes_from_the_data(site):
    bad = {name: injected(soup) for name, soup in pages(site)}
    assert {name: found for name, found in bad.items() if found} == {}


def test_the_page_title_shows_the_text_as_typed(site):
    checked = 0
    for name, soup in pages(site):
        if name.startswith("resources/") and name.count("/") == 2:  # a section page
            assert SHOWN in soup.title.get_text(), name
            assert soup.title.get_text().endswith(" - Self-harm care resource hub")
            checked += 1
    assert checked >= 5


def test_the_meta_description_is_one_attribute_with_the_text_as_typed(site):
    soup = BeautifulSoup((site / "programme" / "index.html").read_text(encoding="utf-8"), "lxml")
    (meta,) = soup.find_all("meta", attrs={"name": "description"})
    assert meta["content"].endswith(SHOWN)
    assert set(meta.attrs) == {"name", "content"}


def test_navigation_header_and_contents_show_the_text_as_typed(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    nav_texts = [" ".join(a.get_text().split()) for a in soup.select("nav a")]
    assert sum(SHOWN in text for text in nav_texts) >= 5, nav_texts
    section = next(p for p in sorted((site / "resources").glob("*/index.html")))
    soup = BeautifulSoup(section.read_text(encoding="utf-8"), "lxml")
    toc = [" ".join(a.get_text().split()) for a in soup.select("nav[data-md-component=toc] a, .md-nav--secondary a")]
    assert any(SHOWN in text for text in toc), toc
    header = soup.select_one(".md-header__topic:last-child, .md-header__title")
    assert header is not None and SHOWN in " ".join(header.get_text().split())


def test_the_search_index_holds_the_text_as_typed(site):
    """Pagefind keeps plain text (the search UI, content/assets/search.js, only ever sets textContent)."""
    from tests.site.test_site_search import search_text_of_site

    records = search_text_of_site(site)
    assert any("Care <img src=x onerror=alert(1)>" in " ".join(text.split()) for text in records.values())


def test_the_feed_and_calendar_parse_and_keep_the_text(site):
    from icalendar import Calendar
    from lxml import etree

    feed = etree.parse(str(site / "downloads" / "whats-new.atom"))
    titles = feed.findall(".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert titles and all(SHOWN in " ".join(t.text.split()) for t in titles)
    calendar = Calendar.from_ical((site / "downloads" / "events.ics").read_bytes())
    assert any(SHOWN in " ".join(str(e.get("SUMMARY")).split()) for e in calendar.walk("VEVENT"))


@pytest.mark.e2e
def test_no_script_of_the_payload_runs_in_chromium(site):
    from tests.e2e import harness

    missing = harness.chromium_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with harness.serve(site) as served, sync_playwright() as p:
        url = served.rstrip("/")
        browser = harness.launch(p)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for html in sorted(site.rglob("*.html")):
            rel = html.relative_to(site).as_posix()
            page.goto(f"{url}/{rel.removesuffix('index.html')}")
            page.wait_for_load_state("load")
        page.goto(f"{url}/")
        harness.search(page, "assessment")  # the results show titles that carry the payload
        page.wait_for_timeout(500)
        browser.close()
    assert dialogs == []
