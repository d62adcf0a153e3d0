"""The built site in a real Chromium: Browse-all filters, search deep links, axe-core (WCAG 2.2 AA).

Skipped where Chromium (or Playwright) is missing; `.ci/run` installs
Chromium, and axe-core comes from `npm install` (package.json).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.harness import CHROMIUM_ARGS, chromium_missing, chromium_path

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("site")]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    """The built site on a local web server (the search runs in a web worker, which file:// forbids)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built_site.path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    missing = chromium_missing()  # the same browser, and the same reason, as the e2e suite
    if missing:
        pytest.skip(missing)
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(chromium_path()), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    tab = context.new_page()
    tab.on("request", lambda request: requested.append(request.url))
    tab.requested = requested
    yield tab
    context.close()


def visible_rows(page) -> int:
    return page.locator("#hub-browse tbody tr:not([hidden])").count()


def test_browse_filters_narrow_the_table_and_keep_the_state_in_the_address(page, site_url, catalogue):
    total = len(catalogue.resources)
    page.goto(site_url + "browse/")
    assert page.locator("#hub-filters").is_visible()
    assert page.locator("#hub-count").inner_text() == f"Showing {total} of {total} resources"
    page.select_option("#hub-filter-type", "paper")
    papers = sum(1 for r in catalogue.resources.values() if str(r.type) == "paper")
    assert page.locator("#hub-count").inner_text() == f"Showing {papers} of {total} resources"
    assert visible_rows(page) == papers
    assert page.url.endswith("browse/?type=paper")
    page.select_option("#hub-filter-topic", "risk-scales")
    assert page.url.endswith("?type=paper&topic=risk-scales") and visible_rows(page) == 2

    shared = site_url + "browse/?topic=safety-planning&audience=adults"
    page.goto(shared)
    expected = sum(1 for r in catalogue.resources.values()
                   if "safety-planning" in r.topics and "adults" in [str(a) for a in r.audience])
    assert page.locator("#hub-filter-topic").input_value() == "safety-planning"
    assert visible_rows(page) == expected

    page.click("#hub-filters button[type=reset]")
    page.wait_for_function(f"document.getElementById('hub-count').textContent.startsWith('Showing {total} ')")
    assert page.url.endswith("browse/")


def test_browse_text_filter_and_keyboard(page, site_url):
    page.goto(site_url + "browse/")
    page.fill("#hub-filter-q", "cooper")
    page.wait_for_function("document.getElementById('hub-count').textContent.startsWith('Showing 2 ')")
    ids = page.eval_on_selector_all("#hub-browse tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)")
    assert ids == ["kapur-2013-clinical-management", "quinlivan-2017-risk-scales"]
    page.click("#hub-filters button[type=reset]")
    page.focus("#hub-filter-year")
    page.keyboard.press("ArrowDown")
    assert page.locator("#hub-filter-year").input_value() != ""
    assert "year=" in page.url


def test_search_finds_entries_by_author_and_notice_and_deep_links_to_them(page, site_url):
    """The hub's search box (Pagefind): each query finds the entry, linked to the entry's anchor."""
    from tests.e2e.harness import search, search_results

    page.goto(site_url)
    for query, anchor in (("Cooper", "#kapur-2013-clinical-management"), ("retracted", "#escape-test"),
                          ("PLoS", "#kapur-2013-clinical-management"), ("safety planning", "#ncish-toolkit")):
        search(page, query, timeout=20_000)
        entries = [r["href"] for r in search_results(page) if r["kind"] == "entry"]
        assert any(href.endswith(anchor) for href in entries), (query, entries)


def test_pages_request_nothing_from_other_hosts(page, site_url, built_site):
    for path in ("", "browse/", "events/", "resources/assessment-and-treatment/", "programme/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    hosts = {url.split("/")[2] for url in page.requested if url.startswith("http")}
    assert hosts == {site_url.split("/")[2]}


MOBILE_PAGES = ["index.html", "browse/index.html", "resources/assessment-and-treatment/index.html",
                "events/index.html", "support-organisations/index.html"]


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag_violations(browser, site_url, built_site, width):
    """Every page on a desktop; on a phone's width, the pages with the most layout."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install)")
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    problems = []
    pages = [p.relative_to(built_site.path).as_posix() for p in built_site.pages()]
    for rel in pages if width > 800 else MOBILE_PAGES:
        tab.goto(site_url + rel.removesuffix("index.html"))
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        problems += [f"{rel}: {v['id']} ({len(v['nodes'])}) {v['nodes'][0]['target']}" for v in result["violations"]]
    context.close()
    assert not problems, "\n".join(problems)


def test_no_axe_dependency_leaks_into_the_site(built_site):
    assert not list(Path(built_site.path).rglob("axe*.js"))
