"""Search as people use it: a topic, an author's surname, a journal; each result leads to the entry itself.

Material's search runs in a web worker that loads `search/search_index.json`
from the site; results are grouped by page, the page first, then its best
matches ("N more on this page" folds the rest). "The first result" here is
the first result that is an entry (a resource's anchor), in the order a
person reads the list, opening "more on this page" if that is where it is.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.harness import fully_visible, search

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

QUERIES = {
    "topic": "safety planning",
    "surname": "Hawton",
    "journal": "BMJ Open",
}


def entry_of(anchor: str, catalogue) -> str | None:
    """The resource an anchor belongs to: `id`, or `subsection--id` for a second placement."""
    for candidate in (anchor, anchor.rsplit("--", 1)[-1]):
        if candidate in catalogue.resources:
            return candidate
    return None


def is_relevant(resource, kind: str, query: str, catalogue) -> bool:
    if kind == "topic":
        topics = [catalogue.topics[str(t)].title.lower() for t in resource.topics]
        return query in topics or query in resource.title.lower()
    if kind == "surname":
        return any(author.rsplit(" ", 1)[0] == query for author in resource.authors)
    return resource.journal == query


def follow_first_entry_result(page, catalogue) -> tuple[str, str]:
    """Click the first result that is an entry; return (its anchor, its resource id)."""
    links = page.eval_on_selector_all(
        ".md-search-result__link",
        "links => links.map(a => ({href: a.getAttribute('href'), shown: a.checkVisibility()}))")
    assert links, "the search showed no results"
    found = next(((i, link) for i, link in enumerate(links)
                  if entry_of(link["href"].partition("#")[2], catalogue)), None)
    if found is None:
        pytest.fail(f"no result leads to an entry: {[link['href'] for link in links]}")
    index, link = found
    anchor = link["href"].partition("#")[2]
    resource = entry_of(anchor, catalogue)
    target = page.locator(".md-search-result__link").nth(index)
    if not link["shown"]:  # folded under "N more on this page": open it, as a person would
        target.locator("xpath=ancestor::details[1]/summary").click()
    target.click()
    page.wait_for_url(re.compile("#" + re.escape(anchor) + "$"))
    return anchor, resource


@pytest.mark.parametrize("kind", list(QUERIES))
def test_search_leads_to_the_entry(page, base_url, catalogue, kind):
    query = QUERIES[kind]
    page.goto(base_url)
    search(page, query)
    meta = page.locator(".md-search-result__meta").inner_text()
    assert re.match(r"\d+ matching documents?", meta), meta

    anchor, resource_id = follow_first_entry_result(page, catalogue)
    resource = catalogue.resources[resource_id]
    assert is_relevant(resource, kind, query, catalogue), \
        f"searching for the {kind} '{query}' led first to '{resource.title}' ({resource_id})"
    assert page.evaluate("location.hash") == "#" + anchor
    heading = page.locator(f"[id='{anchor}']")
    assert heading.evaluate("el => el.tagName") == "H3" and "hub-entry" in heading.get_attribute("class")
    where = fully_visible(page, anchor)
    assert where["ok"] and where["onTop"], f"the entry's heading is not fully in view: {where}"


@pytest.mark.xfail(strict=True, reason=(
    "Material's search adds * to every word, so 'of' becomes 'of*' and matches 'offered' in one "
    "entry's title; titles weigh 1000 times the text, so that entry outranks every paper in the "
    "journal (Material 9 removed custom query transforms; see docs/testing.md)"))
def test_search_for_a_journal_with_a_short_word_leads_to_its_papers(page, base_url, catalogue):
    query = "Journal of Affective Disorders"
    assert any(r.journal == query for r in catalogue.resources.values())
    page.goto(base_url)
    search(page, query)
    _, resource_id = follow_first_entry_result(page, catalogue)
    assert catalogue.resources[resource_id].journal == query


def test_search_queries_exist_in_the_catalogue(catalogue):
    """The queries above stay meaningful as the catalogue changes."""
    resources = list(catalogue.resources.values())
    for kind, query in QUERIES.items():
        assert any(is_relevant(r, kind, query, catalogue) for r in resources), (kind, query)
