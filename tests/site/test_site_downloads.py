"""The downloads parse with the tools people use, and hold every record (issue item 5).

Each format is read back with an independent parser (csv, bibtexparser,
rispy, icalendar, feedparser), and the record with an injected title comes
back exactly as the editor wrote it.
"""

from __future__ import annotations

import csv
import io
import json
import re

import bibtexparser
import feedparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from icalendar import Calendar

from hub.render.citation import is_citable
from hub.render.downloads import FEED_SIZE, atom, newest
from hub.render.escape import one_line, plain_text
from hub.render.paths import DOWNLOAD_FILES, entry_urls

EVIL = "escape-test"


def test_json_holds_the_whole_catalogue(catalogue, rendered):
    data = json.loads(rendered[DOWNLOAD_FILES["json"]])
    assert data["count"] == len(catalogue.resources)
    assert [r["id"] for r in data["resources"]] == list(catalogue.resources)
    by_id = {r["id"]: r for r in data["resources"]}
    assert by_id[EVIL]["title"] == catalogue.resources[EVIL].title
    assert by_id["kapur-2013-clinical-management"]["page"] == \
        "resources/assessment-and-treatment/#kapur-2013-clinical-management"
    assert [t["id"] for t in data["topics"]] == list(catalogue.topics)
    assert [s["id"] for s in data["sections"]] == [s.id for s in catalogue.sections]


def test_csv_holds_every_resource_and_opens_in_excel(catalogue, rendered):
    text = rendered[DOWNLOAD_FILES["csv"]]
    assert text.startswith("\ufeff"), "a byte-order mark, so that Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["id"] for r in rows] == list(catalogue.resources)
    by_id = {r["id"]: r for r in rows}
    assert by_id[EVIL]["title"] == catalogue.resources[EVIL].title
    assert by_id["kapur-2013-clinical-management"]["authors"].split("; ")[0] == "Kapur N"
    assert by_id["nice-cg16"]["status"] == "superseded" and by_id["nice-cg16"]["superseded_by"] == "nice-ng225"


def test_csv_cells_cannot_start_a_spreadsheet_formula(catalogue, rendered):
    from hub.render.downloads import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("-1") == "'-1" and _cell("Plain") == "Plain"
    for row in csv.reader(io.StringIO(rendered[DOWNLOAD_FILES["csv"]][1:])):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)


def test_bibtex_parses_and_holds_every_citable_resource(catalogue, rendered):
    library = bibtexparser.parse_string(rendered[DOWNLOAD_FILES["bibtex"]],
                                        append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    citable = [r.id for r in catalogue.resources.values() if is_citable(r)]
    assert [e.key for e in library.entries] == citable
    assert "storm-training" not in citable and "uk-standards-public-involvement" not in citable
    entries = {e.key: e for e in library.entries}
    evil = entries[EVIL]
    assert evil.entry_type == "article"
    assert evil["title"].strip("{}") == catalogue.resources[EVIL].title
    assert evil["journal"] == catalogue.resources[EVIL].journal
    kapur = entries["kapur-2013-clinical-management"]
    assert kapur["author"].startswith("Kapur, N. and Steeg, S.")
    assert kapur["doi"] == "10.1371/journal.pone.0070434" and kapur["year"] == "2013"
    assert entries["nice-ng225"].entry_type == "techreport" and entries["nice-ng225"]["institution"] == "NICE"


def test_ris_parses_and_holds_every_citable_resource(catalogue, rendered):
    records = rispy.loads(rendered[DOWNLOAD_FILES["ris"]])
    citable = [r for r in catalogue.resources.values() if is_citable(r)]
    assert [r["id"] for r in records] == [r.id for r in citable]
    by_id = {r["id"]: r for r in records}
    assert by_id[EVIL]["title"] == catalogue.resources[EVIL].title
    kapur = by_id["kapur-2013-clinical-management"]
    assert kapur["type_of_reference"] == "JOUR" and kapur["doi"] == "10.1371/journal.pone.0070434"
    assert kapur["authors"][0] == "Kapur, N." and kapur["secondary_title"] == "PLoS ONE"
    assert kapur["start_page"] == "e70434"
    assert by_id["nice-ng225"]["type_of_reference"] == "GOVDOC"


def test_icalendar_holds_every_dated_event_and_leaves_out_undated_ones(catalogue, rendered):
    calendar = Calendar.from_ical(rendered[DOWNLOAD_FILES["ics"]])
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    dated = [e for e in catalogue.events if e.date]
    assert set(events) == {e.id for e in dated}
    assert "kapur-introduction" not in events  # no date in the data
    for e in dated:
        got = events[e.id]
        assert got.decoded("DTSTART") == e.date
        assert str(got["SUMMARY"]) == one_line(e.title)
    clinic = events["clinic-2022-03-31"]
    assert "Battle Scars; a survivor-led charity, \\ and commas" in str(clinic["DESCRIPTION"])


def test_icalendar_lines_are_folded_and_use_crlf(rendered):
    text = rendered[DOWNLOAD_FILES["ics"]]
    assert text.endswith("END:VCALENDAR\r\n")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # a character is never split by folding


def test_atom_feed_parses_and_holds_the_newest_resources(catalogue, rendered):
    feed = feedparser.parse(rendered[DOWNLOAD_FILES["atom"]])
    assert not feed.bozo, feed.bozo_exception
    expected = newest(list(catalogue.resources.values()))
    assert len(expected) == min(FEED_SIZE, len(catalogue.resources))
    assert [e.title for e in feed.entries] == [one_line(r.title) for r in expected]
    evil = next(e for e in feed.entries if "alert(1)" in e.title)
    assert evil.title == catalogue.resources[EVIL].title
    assert evil.link == "../resources/assessment-and-treatment/#escape-test"
    assert plain_text(catalogue.resources[EVIL].summary) in evil.summary


def test_atom_links_are_absolute_with_a_base_url(catalogue):
    text = atom(newest(list(catalogue.resources.values())), entry_urls(catalogue), "https://hub.example.org/")
    feed = feedparser.parse(text)
    assert not feed.bozo
    assert feed.entries[0].link.startswith("https://hub.example.org/resources/")
    assert re.search(r'rel="self"[^>]*href="https://hub.example.org/downloads/whats-new.atom"', text)
