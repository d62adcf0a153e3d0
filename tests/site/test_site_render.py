"""`render()` on the fixture catalogue: pure, complete, and every entry in its place.

These tests read the generated Markdown only; the built HTML is tested in
test_site_build.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from hub.catalogue.model import Event, Resource
from hub.render import RenderError, banner_lines, navigation, render
from hub.render.paths import CONTENT_PAGES, DOWNLOAD_FILES, OTHER, section_path
from tests.site.conftest import BUILD_DATE

ENTRY = re.compile(r"^### .* \{ #([a-z0-9-]+) \.hub-entry(?: \.hub-entry--(?:superseded|withdrawn))? \}$", re.M)
"""A full entry's heading; a superseded or withdrawn one is marked so (the search weighs it less)."""
SHORT = re.compile(r"^### .* \{ #([a-z0-9-]+)--([a-z0-9-]+) \.hub-entry \.hub-entry--short data-search-exclude \}$",
                   re.M)


def with_resource(catalogue, resource: Resource):
    rf = catalogue.resources_file
    return dataclasses.replace(catalogue, resources_file=rf.model_copy(
        update={"resources": [*rf.resources, resource]}))


def test_render_returns_every_page_and_download(catalogue, rendered):
    expected = {"index.md", "browse.md", "whats-new.md", "programme.md", "events.md",
                "support-organisations.md", "data-dictionary.md", "people.md", "downloads.md",
                *(section_path(s) for s in catalogue.sections), *DOWNLOAD_FILES.values()}
    assert set(rendered) == expected
    assert not set(rendered) & set(CONTENT_PAGES.values()), "hand-written pages are not generated"


def test_render_is_a_pure_function_of_the_catalogue_and_the_date(catalogue, rendered):
    assert render(catalogue, BUILD_DATE) == rendered


def test_every_resource_has_one_full_entry_at_its_first_placement(catalogue, rendered):
    found: dict[str, str] = {}
    for path, text in rendered.items():
        if path.endswith(".md"):
            for rid in ENTRY.findall(text):
                assert rid not in found, f"{rid} has two full entries"
                found[rid] = path
    assert set(found) == set(catalogue.resources)
    for rid, places in catalogue.placements.items():
        assert found[rid] == section_path(places[0][0])


def test_a_resource_in_two_subsections_gets_a_short_entry_linking_to_the_full_one(rendered):
    page = rendered["resources/services-and-experience.md"]
    assert SHORT.findall(page) == [("clinician-and-service-user-views", "kapur-2013-clinical-management")]
    short = page[page.index("--kapur-2013-clinical-management"):]
    assert "(<assessment-and-treatment.md#kapur-2013-clinical-management>)" in short.split("###")[0]


def test_superseded_and_withdrawn_entries_carry_a_notice_linking_to_the_replacement(rendered):
    page = rendered["resources/assessment-and-treatment.md"]
    cg16 = page[page.index("{ #nice-cg16"):].split("\n### ")[0]
    assert '!!! warning "Superseded: do not use for current practice"' in cg16
    assert "replaced by [Self\\-harm: assessment, management and preventing recurrence](<#nice-ng225>)" in cg16
    ng225 = page[page.index("{ #nice-ng225"):].split("\n### ")[0]
    assert "Replaces: [Self\\-harm in over 8s" in ng225
    research = rendered["resources/research.md"]
    withdrawn = research[research.index("{ #withdrawn-report"):]
    assert '!!! danger "Withdrawn: do not use for current practice"' in withdrawn


def test_notice_key_points_and_citation(rendered):
    page = rendered["resources/assessment-and-treatment.md"]
    evil = page[page.index("{ #escape-test"):].split("\n### ")[0]
    assert '!!! warning "Editorial notice"' in evil and "*retracted*" in evil
    ng225 = page[page.index("{ #nice-ng225"):].split("\n### ")[0]
    assert "Key points:\n\n- Do not use risk assessment tools" in ng225
    kapur = page[page.index("{ #kapur-2013"):].split("\n### ")[0]
    assert ("Kapur N, Steeg S, Webb R, Haigh M, Bergen H, Hawton K, Ness J, Waters K, Cooper J (2013). "
            "Does Clinical Management") in kapur
    assert "*PLoS ONE* 8\\(8\\): e70434." in kapur
    assert "DOI: [10\\.1371/journal\\.pone\\.0070434](<https://doi.org/10.1371/journal.pone.0070434>)" in kapur


def test_links_say_what_they_open(rendered):
    page = rendered["resources/assessment-and-treatment.md"]
    assert "[Read the policy letter on england\\.nhs\\.uk \\(PDF\\)<span class=\"hub-vh\">: Managing risk" in page
    involvement = rendered["resources/involvement-section.md"]
    assert "[Watch the video on sites\\.google\\.com \\(video\\)" in involvement


RAW_CITE_BLOCK = re.compile(r'^<details class="hub-cite" data-search-exclude>\n.*?\n</details>$', re.M | re.S)
"""An entry's "Cite this" block: raw HTML (escaped with `h`), where Markdown and attr_list do not run."""


def test_the_injected_title_never_appears_as_markup(rendered):
    for path, text in rendered.items():
        if path.endswith(".md"):
            assert "<script>" not in text, path
            if path != "browse.md":  # a raw HTML block there: Markdown (and attr_list) does not run in it
                assert "{#evil}" not in RAW_CITE_BLOCK.sub("", text), path


def test_upcoming_events_come_first_by_build_date(catalogue):
    page = render(catalogue, dt.date(2022, 4, 1))["events.md"]
    upcoming = page[page.index("## Upcoming events"):page.index("## Phase 1")]
    assert re.findall(r"\{ #([a-z0-9-]+) \}", upcoming) == ["upcoming", "site-visit-2022-04-26",
                                                            "clinic-2022-06-23"]
    assert page.count("{ #site-visit-2022-04-26 }") == 1
    later = render(catalogue, dt.date(2030, 1, 1))["events.md"]
    assert "Upcoming events" not in later
    phase2 = later[later.index("## Phase 2"):]
    dated = re.findall(r"\{ #((?:site-visit|clinic)-[0-9-]+) \}", phase2)
    assert dated == ["site-visit-2022-02-22", "site-visit-2022-04-26", "clinic-2022-03-31", "clinic-2022-06-23"]


def test_unplaced_resources_get_their_entry_on_other_resources(catalogue):
    extra = Resource(id="not-yet-placed", type="report", title="A report waiting for a section",
                     added=dt.date(2025, 1, 1), last_reviewed=dt.date(2025, 1, 1))
    variant = with_resource(catalogue, extra)
    files = render(variant, BUILD_DATE)
    assert "{ #not-yet-placed .hub-entry }" in files[OTHER]
    assert '"../other-resources/#not-yet-placed"' in files["browse.md"]
    assert {"Other resources": OTHER} in navigation(variant)[1]["Resources"]


def test_an_id_that_clashes_with_a_heading_of_the_page_stops_the_render(catalogue):
    ef = catalogue.events_file
    clash = Event.model_validate({"id": "upcoming", "title": "A future clinic", "kind": "virtual-clinic",
                                  "phase": 2, "date": "2030-01-01"})
    variant = dataclasses.replace(catalogue, events_file=ef.model_copy(update={"events": [*ef.events, clash]}))
    with pytest.raises(RenderError, match="'#upcoming' is used twice"):
        render(variant, BUILD_DATE)


def test_navigation_lists_sections_in_order_and_the_hand_written_pages(catalogue):
    nav = navigation(catalogue)
    resources = nav[1]["Resources"]
    sections = [next(iter(item.values())) for item in resources if next(iter(item.values())).startswith("resources/")]
    assert sections == [section_path(s) for s in catalogue.sections]
    about = nav[-1]["About this site"]
    assert [next(iter(i.values())) for i in about] == list(CONTENT_PAGES.values())


def test_banner_lines_are_the_first_three_phone_lines(catalogue):
    lines = banner_lines(catalogue)
    assert [(x["number"], x["href"]) for x in lines] == [("999", "tel:999"), ("111", "tel:111"),
                                                        ("116 123", "tel:116123")]
    assert lines[1]["label"] == "111, choose option 2"


def test_home_page_has_help_box_key_messages_and_signposting(rendered):
    home = rendered["index.md"]
    box = home[home.index('<div class="hub-care-card hub-care-card--urgent" markdown>'):]
    box = box[:box.index("</div>")]
    for text in ("[call 999](<tel:999>)", "[call 111](<tel:111>), then choose option 2",
                 "[call 116 123](<tel:116123>)", "[email jo@samaritans\\.org](<mailto:jo@samaritans.org>)",
                 "[text 85258](<sms:85258>)", "[call 0800 1111](<tel:08001111>)"):
        assert text in box
    assert "Do not use risk assessment tools and scales to predict future suicide" in home
    assert "low, medium or high" in home
    assert '<div class="hub-inset" markdown>' in home and "Harmless" in home


def test_browse_rows_carry_the_filter_values(rendered):
    browse = rendered["browse.md"]
    row = next(line for line in browse.splitlines() if 'data-id="nice-ng225"' in line)
    assert 'data-type="guideline"' in row and 'data-year="2022"' in row
    assert 'data-audience="children-and-young-people adults older-adults"' in row
    assert 'data-topic="assessment risk-scales"' in row
    assert 'href="../resources/assessment-and-treatment/#nice-ng225"' in row


def test_support_organisations_have_click_to_call_and_email(rendered):
    page = rendered["support-organisations.md"]
    assert "- Phone: [0115 880 0280](<tel:01158800280>)" in page
    assert "- Email: [info@harmless\\.co\\.uk](<mailto:info@harmless.co.uk>)" in page
    assert "- Text support: [07537 432444](<sms:07537432444>)" in page
    assert "**Who it is for:** Women and girls of any age" in page


def test_data_dictionary_names_numerator_and_denominator(rendered):
    page = rendered["data-dictionary.md"]
    assert page.count("- **Numerator:**") == 2 and page.count("- **Denominator:**") == 2


def _clashing(catalogue):
    ef = catalogue.events_file
    clash = Event.model_validate({"id": "upcoming", "title": "A future clinic", "kind": "virtual-clinic",
                                  "phase": 2, "date": "2030-01-01"})
    return dataclasses.replace(catalogue, events_file=ef.model_copy(update={"events": [*ef.events, clash]}))


def test_an_id_that_clashes_with_a_heading_stops_the_render(catalogue):
    from hub.render import render

    with pytest.raises(RenderError, match="'#upcoming' is used twice"):
        render(_clashing(catalogue), BUILD_DATE)


@pytest.mark.parametrize("text", [
    "## A { #help }\n\n### B { #help .hub-entry }\n",
    "## A { #help }\n\n<div class=\"x\" id=\"help\" markdown>\n",
    "<section id=\"help\"></section>\n<p class=\"y\" id=\"help\"></p>\n",
])
def test_an_anchor_twice_on_a_page_is_found_in_markdown_and_in_html(text):
    from hub.render import check_anchors

    with pytest.raises(RenderError, match="'#help' is used twice"):
        check_anchors("page.md", text)
    check_anchors("page.md", text.replace("help", "one", 1))


@pytest.mark.parametrize("url", [
    "https://www.nice.org.uk/guidance/ng225", "http://Example.ORG", "https://a.org:8443/x?y#z",
    "https://user:pw@www.b.org/p", "https://[2001:db8::1]:80/", "https://c.org?q=/d", "https://d.org#/e",
    "https://e.org%2Ef/", "ftp://f.org/", "mailto:x@y.org", "", None,
])
def test_the_host_in_link_text_is_what_urlsplit_says(url):
    from urllib.parse import urlsplit

    from hub.render.citation import host_of

    expected = ""
    if url and url.startswith(("http://", "https://")):
        expected = urlsplit(url).hostname or ""
        expected = expected[4:] if expected.startswith("www.") else expected
    assert host_of(url) == expected


def _entry(rendered, rid: str) -> str:
    mark = f"{{ #{rid} .hub-entry"
    page = next(text for path, text in rendered.items() if path.endswith(".md") and mark in text)
    return page[page.index(mark):].split("\n### ")[0]


def test_an_entry_says_last_reviewed_only_after_a_review_and_otherwise_when_it_was_added(catalogue, rendered):
    reviewed = _entry(rendered, "kapur-2013-clinical-management")  # added 2024-02-01, reviewed 2025-01-15
    assert "· **Last reviewed:** 15 January 2025\n{: .hub-meta }" in reviewed and "Added to the hub" not in reviewed
    same_day = _entry(rendered, "quinlivan-2023-aftercare")  # last_reviewed only repeats `added`
    assert catalogue.resources["quinlivan-2023-aftercare"].last_reviewed == dt.date(2025, 3, 1)
    assert "· **Added to the hub:** 1 March 2025\n{: .hub-meta }" in same_day and "Last reviewed" not in same_day
    never = _entry(rendered, "ncish-toolkit")  # no last_reviewed at all
    assert catalogue.resources["ncish-toolkit"].last_reviewed is None
    assert "· **Added to the hub:** 8 August 2024\n{: .hub-meta }" in never and "Last reviewed" not in never


def test_other_spellings_of_talks_organisations_and_people_are_in_the_page_but_hidden(rendered):
    assert ('- **Self\\-harm and safety plans**<span class="hub-alt-names" hidden> (also written: Self harm '
            '&amp; safty plans &lt;draft&gt;)</span>, [Dr Leah Quinlivan]') in rendered["events.md"]
    assert ('Support for women and girls affected by self-injury.<span class="hub-alt-names" hidden> (also '
            "written: Selfinjury Support; Self\\-Injury &lt;Support&gt; &amp; O'Neill)</span>\n\n**Who it is for:**"
            ) in rendered["support-organisations.md"]
    assert ('<strong>Mette Isaksen</strong><span class="hub-alt-names" hidden> (also written: Mette Isakson)'
            '</span>, Lead for self-harm research') in rendered["people.md"]
