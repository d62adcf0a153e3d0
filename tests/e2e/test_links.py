"""Every internal link of every page works when the site lives under a sub-path, as on GitHub Pages.

A project site is published at https://<owner>.github.io/<repository>/, and
.github/workflows/deploy.yml builds it with that address (--base-url). Here
the site is built the same way for https://example.org/some-prefix/ and
served under /some-prefix/ only: every page, 404.html included (GitHub
Pages answers any missing address with it, at any depth), is fetched, and
every link, stylesheet, script and image it names on this site is
followed. Each must stay under the prefix, be found, and, when it names an
anchor, land on an element with that id. Links in raw HTML (the Browse-all
table) were the ones Zensical got wrong.
"""

from __future__ import annotations

import functools
import urllib.error
import urllib.request
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from tests.e2e import harness
from tests.e2e.conftest import SUBPATH
from tests.e2e.harness import search, search_results

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

REFERENCES = "//a[@href] | //link[@href] | //script[@src] | //img[@src]"


@functools.cache
def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the local server
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def ids_of(url: str) -> set[str]:
    _, body, _ = fetch(url)
    return set(lxml_html.fromstring(body).xpath("//@id"))


def test_every_internal_link_works_under_a_sub_path(subpath_site, subpath_url):
    origin = subpath_url[: -len(SUBPATH)]
    pages = [subpath_url + p.relative_to(subpath_site).as_posix().removesuffix("index.html")
             for p in sorted(subpath_site.rglob("*.html")) if "pagefind" not in p.parts]
    pages.append(subpath_url + "no/such/page/")  # GitHub Pages' 404.html, served deep in the site
    broken, checked = [], 0
    for page in pages:
        status, body, _ = fetch(page)
        assert status == (404 if page.endswith("no/such/page/") else 200), (page, status)
        doc = lxml_html.fromstring(body)
        own_ids = set(doc.xpath("//@id"))
        for element in doc.xpath(REFERENCES):
            ref = element.get("href") if element.get("href") is not None else element.get("src")
            if ref.startswith("#") or not ref:  # within the page itself, wherever it is served
                checked += 1
                if ref[1:] and ref[1:] not in own_ids:
                    broken.append(f"{page.removeprefix(origin)}: {ref} → no element with that id")
                continue
            target = urljoin(page, ref)
            if urlsplit(target).scheme not in ("http", "https") or not target.startswith(origin):
                continue  # tel:, mailto:, and other sites (not followed here)
            checked += 1
            where = f"{page.removeprefix(origin)}: {ref}"
            address, fragment = urldefrag(target)
            if not address.startswith(subpath_url):
                broken.append(f"{where} leaves {SUBPATH} ({target.removeprefix(origin)})")
                continue
            code, _, kind = fetch(address)
            if code != 200:
                broken.append(f"{where} → {code}")
            elif fragment and "html" in kind and fragment not in ids_of(address):
                broken.append(f"{where} → no element with id '{fragment}'")
    assert checked > 1000, f"only {checked} links were checked"
    assert not broken, f"{len(broken)} broken links under {SUBPATH}:\n" + "\n".join(broken[:40])


def test_the_search_works_under_a_sub_path(browser, subpath_url, offsite_requests):
    context = browser.new_context(viewport=harness.DESKTOP)
    context.set_default_timeout(30_000)
    outside: list[str] = []
    harness.only_local(context, subpath_url, outside)  # nothing outside /some-prefix/
    page = context.new_page()
    said: list[str] = []
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: said.append(f"error: {error}"))
    page.on("requestfailed", lambda request: said.append(f"failed: {request.url} ({request.failure})"))
    page.goto(subpath_url + "browse/", wait_until="networkidle")  # every script in place before typing
    try:
        # This runs after the crawl above, often beside Lighthouse in the other worker: 60 s, not 30,
        # for a search that takes about a second on a quiet machine.
        search(page, "NG225", timeout=60_000)
    except Exception as exc:  # noqa: BLE001 - say what the page said
        status = page.locator("#hub-search-status").text_content()
        pytest.fail(f"no results under {SUBPATH}: {exc}\nstatus: {status!r}\nconsole: {said}\nblocked: {outside}")
    first = search_results(page)[0]
    assert first["href"].startswith(SUBPATH + "resources/"), first
    page.locator("[data-search-result] a").first.click()
    page.wait_for_url(subpath_url + "resources/assessment-and-treatment/#nice-ng225")
    context.close()
    assert not outside, f"requests outside {SUBPATH}: {outside}"
