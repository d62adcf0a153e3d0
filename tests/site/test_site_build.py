"""The built site, parsed as HTML: entries, search, escaping, privacy, accessibility (MkDocs engine).

One build of the fixture catalogue per worker (`built_site`); every test
reads it with BeautifulSoup, never by comparing strings with a snapshot.
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import re
from urllib.parse import urljoin, urlsplit

import bibtexparser
import feedparser
import pytest
import rispy
from icalendar import Calendar

from hub.render.citation import is_citable
from hub.render.escape import one_line
from hub.render.paths import entry_urls

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

EVIL = "escape-test"


def test_every_resource_is_an_anchor_on_its_section_page(catalogue, built_site):
    for rid, url in entry_urls(catalogue).items():
        page, anchor = url.split("#")
        soup = built_site.html(page)
        found = soup.find_all(id=anchor)
        assert len(found) == 1, f"{rid}: {len(found)} elements with that id on {page}"
        assert found[0].name == "h3" and found[0].get_text() == one_line(catalogue.resources[rid].title)


def test_anchors_are_unique_on_every_page(built_site):
    for page in built_site.pages():
        soup = built_site.html(str(page.relative_to(built_site.path)))
        ids = [el["id"] for el in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), page


def test_every_resource_is_a_row_in_browse_all_linking_to_its_entry(catalogue, built_site):
    soup = built_site.html("browse/")
    rows = {tr["data-id"]: tr for tr in soup.select("#hub-browse tbody tr")}
    assert set(rows) == set(catalogue.resources)
    urls = entry_urls(catalogue)
    for rid, row in rows.items():
        link = row.find("a")
        assert link["href"] == "../" + urls[rid]
        assert link.get_text() == one_line(catalogue.resources[rid].title)


def test_browse_all_works_without_javascript_and_has_labelled_filters(catalogue, built_site):
    soup = built_site.html("browse/")
    form = soup.find("form", id="hub-filters")
    assert form.has_attr("hidden"), "without JavaScript the filters stay hidden and the full table shows"
    assert not soup.select("#hub-browse tbody tr[hidden]")
    for control in form.find_all(["select", "input"]):
        label = soup.find("label", attrs={"for": control["id"]})
        assert label and label.get_text(strip=True), control["id"]
    assert {s["name"] for s in form.find_all("select")} == {"type", "year", "audience", "setting", "topic"}
    count = soup.find(id="hub-count")
    assert count["aria-live"] == "polite" and f"{len(catalogue.resources)} resources" in count.get_text()
    assert soup.find("script", src=re.compile(r"assets/browse\.js$"))


def test_every_title_is_in_the_search_index_and_deep_links_to_its_entry(catalogue, built_site):
    docs = built_site.search_docs()
    by_location = {d["location"]: d for d in docs}
    for rid, url in entry_urls(catalogue).items():
        doc = by_location.get(url)
        assert doc, f"no search entry at {url}"
        assert html.unescape(doc["title"]) == one_line(catalogue.resources[rid].title)


def test_search_entries_hold_authors_journal_topics_and_other_titles(built_site):
    """One record per entry (hub/site/search.py): its title, citation, other titles and topics."""
    docs = {d["location"]: d for d in built_site.search_docs()}
    kapur = docs["resources/assessment-and-treatment/#kapur-2013-clinical-management"]
    text = kapur["text"]
    assert "Kapur" in text and "Cooper" in text and "PLoS ONE" in text
    assert " N," not in text and "Kapur N" not in text  # initials are not indexed (a typo would match them)
    assert "Psychosocial assessment" in text  # a topic
    assert "Does Clinical management improve outcomes" in text  # the alternative title
    assert kapur["filters"] == {"entry": "yes"}  # the box lists entries first
    # Short entries (a resource's later placements) are left out, so a search finds one entry.
    assert not [loc for loc in docs if "--" in loc]
    assert not [loc for loc in docs if loc.startswith(("browse/", "whats-new/"))]
    assert docs["resources/assessment-and-treatment/#nice-cg16"]["meta"]["status"] == "superseded"
    assert "entry" not in docs["events/"]["filters"]


def test_superseded_and_withdrawn_entries_carry_the_notice(built_site):
    soup = built_site.html("resources/assessment-and-treatment/")
    heading = soup.find(id="nice-cg16")
    notice = heading.find_next_sibling()
    assert "admonition" in notice["class"] and "Superseded" in notice.get_text()
    assert notice.find("a", href="#nice-ng225")
    research = built_site.html("resources/research/")
    withdrawn = research.find(id="withdrawn-report").find_next_sibling()
    assert "admonition" in withdrawn["class"] and "Withdrawn" in withdrawn.get_text()


def test_injected_script_title_is_escaped_everywhere(catalogue, built_site):
    title = catalogue.resources[EVIL].title
    for page in built_site.pages():
        soup = built_site.html(str(page.relative_to(built_site.path)))
        for script in soup.find_all("script"):
            assert "alert(1)" not in script.get_text(), page
        assert not soup.find_all(attrs={"id": "evil"}), page
    entry = built_site.html("resources/assessment-and-treatment/").find(id=EVIL)
    assert entry.get_text() == title and not entry.find_all(True)
    summary = entry.find_next(lambda el: el.name == "p" and el.get_text().startswith("A summary with"))
    assert summary and summary.find("b") is None
    assert [a["href"] for a in summary.find_all("a")] == ["https://example.org/good"]


def test_the_downloads_parse_and_hold_every_record(catalogue, built_site):
    files = built_site.path / "downloads"
    data = json.loads((files / "resources.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in data["resources"]] == list(catalogue.resources)
    rows = list(csv.DictReader(io.StringIO((files / "resources.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == list(catalogue.resources)
    citable = [r.id for r in catalogue.resources.values() if is_citable(r)]
    library = bibtexparser.parse_string((files / "resources.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks and [e.key for e in library.entries] == citable
    records = rispy.loads((files / "resources.ris").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == citable
    calendar = Calendar.from_ical((files / "events.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == sum(1 for e in catalogue.events if e.date)
    feed = feedparser.parse((files / "whats-new.atom").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(catalogue.resources)


def test_downloads_are_linked_where_people_look_for_them(built_site):
    def links(page: str) -> set[str]:
        # As written, or as Zensical writes the same address ("../downloads/x" from downloads/ is "x").
        here = "https://site.invalid/" + page
        written = {a["href"] for a in built_site.html(page).find_all("a", href=True)}
        return written | {posixpath.relpath(urljoin(here, h), "https://site.invalid/" + page.rstrip("/"))
                          for h in written if not urlsplit(h).scheme and not h.startswith("#")}

    assert {"../downloads/resources.csv", "../downloads/resources.json", "../downloads/resources.bib",
            "../downloads/resources.ris"} <= links("browse/")
    assert "../downloads/whats-new.atom" in links("whats-new/")
    assert "../downloads/events.ics" in links("events/")
    # The Downloads page is downloads/index.html, beside the files it lists.
    assert {"resources.csv", "resources.json", "resources.bib", "resources.ris", "events.ics",
            "whats-new.atom"} <= links("downloads/")
    for page in ("./", "whats-new/", "resources/research/"):
        feed = built_site.html(page).find("link", rel="alternate", type="application/atom+xml")
        assert feed and feed["href"].endswith("downloads/whats-new.atom"), page


# What a page loads (not what it links to): these must all stay on the site's own host.
LOADS = [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
         ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("form", "action"),
         ("image", "href"), ("use", "href")]


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.pages():
        soup = built_site.html(str(page.relative_to(built_site.path)))
        assert not soup.find_all(["iframe", "embed", "object"]), page
        for tag, attr in LOADS:
            for el in soup.find_all(tag):
                if tag == "link" and "alternate" not in el.get("rel", []) and el.get("rel") == ["next"]:
                    continue
                value = el.get(attr) or ""
                assert not urlsplit(value).netloc and not value.startswith("//"), f"{page}: <{tag} {attr}={value}>"
        for style in soup.find_all(style=True):
            assert "url(" not in style["style"] or "http" not in style["style"], page
    for sheet in built_site.path.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8")):
            assert not url.startswith(("http:", "https:", "//")), f"{sheet}: {url}"
    home = (built_site.path / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home


def test_every_page_has_one_h1_ordered_headings_a_skip_link_and_landmarks(built_site):
    for page in built_site.pages():
        soup = built_site.html(str(page.relative_to(built_site.path)))
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels.count(1) == 1, page
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), f"{page}: heading levels {levels}"
        assert soup.find("html")["lang"] == "en"
        assert soup.find("main") and soup.find("header") and soup.find("footer"), page
        if page.name == "index.html" and page.parent != built_site.path / "404":
            skip = soup.find("a", class_="md-skip")
            assert skip and skip["href"].startswith("#"), page


def test_every_page_has_the_urgent_help_banner_with_tel_links(built_site):
    for page in built_site.pages():
        soup = built_site.html(str(page.relative_to(built_site.path)))
        banner = soup.select_one(".md-banner .hub-urgent")
        assert banner, page
        hrefs = [a["href"] for a in banner.find_all("a")]
        assert hrefs[:3] == ["tel:999", "tel:111", "tel:116123"], page
        assert hrefs[3].endswith("#need-help-now")
    home = built_site.html("./")
    box = home.find(id="need-help-now").parent
    assert "hub-care-card--urgent" in box["class"]
    assert {a["href"] for a in box.find_all("a")} >= {"tel:999", "tel:111", "tel:116123", "tel:08001111",
                                                        "sms:85258", "mailto:jo@samaritans.org"}


def test_link_text_is_descriptive(built_site):
    vague = {"here", "click here", "link", "web page", "pdf", "video", "more", "read more"}
    for page in built_site.pages():
        soup = built_site.html(str(page.relative_to(built_site.path)))
        for a in soup.select("article a[href]"):
            text = a.get_text(" ", strip=True).lower()
            assert text and text not in vague, f"{page}: link text {text!r}"


def test_support_organisations_and_data_dictionary_pages(built_site):
    orgs = built_site.html("support-organisations/")
    sis = orgs.find(id="self-injury-support").find_next("ul")
    hrefs = {a["href"] for a in sis.find_all("a")}
    assert {"tel:08088008088", "tel:01179279600", "sms:07537432444",
            "mailto:tessmail@selfinjurysupport.org.uk"} <= hrefs
    dictionary = built_site.html("data-dictionary/").find(id="cquin-psychosocial-assessment").find_next("ul")
    text = dictionary.get_text()
    assert "Numerator:" in text and "Denominator:" in text and "Target: 80%" in text


def test_events_page_lists_talks_with_speakers_and_recordings(built_site):
    soup = built_site.html("events/")
    assert soup.find(id="upcoming"), "the fixture is built on 2022-04-01: later events are upcoming"
    clinic = soup.find(id="clinic-2022-06-23")
    talk = clinic.find_next("li")
    assert "Dr Leah Quinlivan" in talk.get_text() and "University of Manchester" in talk.get_text()
    assert talk.find("a", href="https://www.youtube.com/watch?v=pqr678")
    assert talk.find("a", href="../people/#leah-quinlivan")


def test_programme_figures_grid_and_hand_written_pages(built_site):
    grid = built_site.html("programme/").select("ul.hub-figures li.hub-figure")
    assert [li.find(class_="hub-figure__value").get_text() for li in grid] == ["42", "60 million", "8"]
    for page in ("about/", "accessibility/", "privacy/", "people/", "whats-new/"):
        assert built_site.html(page).find("h1")
