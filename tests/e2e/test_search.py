"""Search as people use it: each result leads to the entry itself, by mouse, keyboard and screen reader.

The search is the hub's own box over a Pagefind index (hub/site/search.py,
content/assets/search.js), the same on both engines. Each result is an
`<li data-search-result>` holding a link to an entry's anchor (or a page's);
"the first result" here is the first that is an entry. Which entries come
first for what people type is test_search_relevance.py's job.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import fully_visible, search, search_results
from tests.e2e.relevance import entry_of

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

QUERIES = {
    "topic": "safety planning",
    "surname": "Hawton",
    "journal": "BMJ Open",
    "journal with short words": "Journal of Affective Disorders",
}
"""The journal with "of" in its name was a strict xfail under Material's search (every word got a
`*`, so `of*` matched "offered" in one title, which outranked every paper in the journal)."""


def is_relevant(resource, kind: str, query: str, catalogue) -> bool:
    if kind == "topic":
        topics = [catalogue.topics[str(t)].title.lower() for t in resource.topics]
        return query in topics or query in resource.title.lower()
    if kind == "surname":
        return any(author.rsplit(" ", 1)[0] == query for author in resource.authors)
    return resource.journal == query


def first_entry_result(page, catalogue) -> tuple[int, str, str]:
    """(its position, its anchor, its resource id) of the first result that is an entry."""
    results = search_results(page)
    assert results, "the search showed no results"
    for index, result in enumerate(results):
        rid = entry_of(result["href"], catalogue.resources)
        if rid:
            return index, result["href"].partition("#")[2], rid
    pytest.fail(f"no result leads to an entry: {[r['href'] for r in results]}")


def assert_on_entry(page, anchor: str) -> None:
    assert page.evaluate("location.hash") == "#" + anchor
    heading = page.locator(f"[id='{anchor}']")
    assert heading.evaluate("el => el.tagName") == "H3" and "hub-entry" in heading.get_attribute("class")
    where = fully_visible(page, anchor)
    assert where["ok"] and where["onTop"], f"the entry's heading is not fully in view: {where}"


@pytest.mark.parametrize("kind", list(QUERIES))
def test_search_leads_to_the_entry(page, base_url, catalogue, kind):
    query = QUERIES[kind]
    page.goto(base_url)
    search(page, query)
    assert re.match(r"\d+ results? for “", page.locator("#hub-search-status").inner_text())

    index, anchor, resource_id = first_entry_result(page, catalogue)
    resource = catalogue.resources[resource_id]
    assert is_relevant(resource, kind.split()[0], query, catalogue), \
        f"searching for the {kind} '{query}' led first to '{resource.title}' ({resource_id})"
    page.locator("[data-search-result] a").nth(index).click()
    page.wait_for_url(re.compile("#" + re.escape(anchor) + "$"))
    assert_on_entry(page, anchor)


def test_the_keyboard_reaches_and_follows_the_results(page, base_url, catalogue):
    page.goto(base_url + "browse/")
    search(page, "Quinlivan")
    page.keyboard.press("ArrowDown")  # from the box to the first result
    first = page.locator("[data-search-result] a").first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    second = page.locator("[data-search-result] a").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    href = first.get_attribute("href")
    page.keyboard.press("Enter")
    anchor = href.partition("#")[2]
    page.wait_for_url(re.compile("#" + re.escape(anchor) + "$"))
    assert entry_of(href, catalogue.resources), href
    assert_on_entry(page, anchor)


def test_escape_returns_to_the_box(page, base_url):
    page.goto(base_url)
    search(page, "aftercare")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator("#hub-search-q")).to_be_focused()


def test_the_results_are_announced(page, base_url):
    """The count is in a live region that screen readers read out, tied to the box."""
    page.goto(base_url)
    status = page.locator("#hub-search-status")
    assert status.get_attribute("role") == "status"
    assert page.locator("#hub-search-q").get_attribute("aria-describedby") == "hub-search-status"
    search(page, "psychosocial assessment")
    expect(status).to_have_text(re.compile(r"^\d+ results for “psychosocial assessment”"))
    expect(page.get_by_role("list", name="Search results")).to_be_visible()
    search(page, "zzqqxx")
    expect(status).to_contain_text("No results for “zzqqxx”")
    assert search_results(page) == []


def test_a_typo_still_finds_the_author(page, base_url, catalogue):
    page.goto(base_url)
    search(page, "Quinlivn")
    expect(page.locator("#hub-search-status")).to_contain_text("no exact match")
    _, _, rid = first_entry_result(page, catalogue)
    assert "Quinlivan" in [a.rsplit(" ", 1)[0] for a in catalogue.resources[rid].authors]


def test_superseded_entries_are_marked_and_come_after_their_replacement(page, base_url, catalogue):
    retired = {rid: r for rid, r in catalogue.resources.items() if r.status == "superseded"}
    assert retired, "the catalogue has no superseded resource"
    page.goto(base_url)
    search(page, "NG225")
    results = search_results(page)
    entries = [entry_of(r["href"], catalogue.resources) for r in results]
    assert entries and entries[0] == "nice-ng225", entries
    for result, rid in zip(results, entries, strict=True):
        if rid in retired:
            assert result["status"] == "superseded" and "Superseded" in result["text"], result
            assert entries.index(rid) > entries.index(retired[rid].superseded_by), entries


def test_without_javascript_the_search_opens_browse_all(new_context, base_url, catalogue):
    """No scripts: the box is a plain form whose answer is Browse all, which lists every resource."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto(base_url + "resources/assessment-and-treatment/")
    field = page.locator("#hub-search-q")
    expect(field).to_be_visible()
    field.fill("Hawton")
    field.press("Enter")
    page.wait_for_url(re.compile(r"/browse/\?q=Hawton$"))
    assert page.locator("#hub-browse tbody tr").count() == len(catalogue.resources)
