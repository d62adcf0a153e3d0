"""`hub new`: a record added by prompts or options validates, lands in the right place, and leaves
every other byte of its file unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hub.catalogue.checks import validate
from hub.editor.document import parse
from hub.editor.edit import TextFile, item_edit

from .conftest import TODAY, added_lines_only, hub, run_hub

PAPER = ["--set", "title=Self-harm and suicide in adolescents", "--set", "authors=Hawton K",
         "--set", "authors=Saunders KEA", "--set", "authors=O'Connor RC", "--set", "journal=The Lancet",
         "--set", "volume=379", "--set", "issue=9834", "--set", "pages=2373-2382", "--set", "year=2012",
         "--set", "doi=10.1016/S0140-6736(12)60322-5", "--set", "topics=safety-planning"]


def snapshot(project: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((project / "data").glob("*.yaml"))}


def assert_checked(project: Path) -> None:
    """The catalogue validates and every file is still in canonical layout."""
    result = validate(project / "data", project)
    assert not result.errors, [p.render() for p in result.errors]
    check = hub("fmt", "--check")
    assert check.code == 0, check.output


def add_scripted_paper(project: Path):
    """`hub new paper` with PAPER into safety-plans; checks that only resources.yaml changed.

    Returns the run, the files afterwards and the lines added to resources.yaml.
    """
    before = snapshot(project)
    run = hub("new", "paper", "--no-input", *PAPER, "--subsection", "safety-plans", "--today", TODAY)
    assert run.code == 0, run.output
    after = snapshot(project)
    assert {k for k in after if after[k] != before[k]} == {"resources.yaml"}
    return run, after, added_lines_only(before["resources.yaml"], after["resources.yaml"])


def test_a_scripted_paper_is_appended_and_listed_changing_nothing_else(project):
    run, after, added = add_scripted_paper(project)
    assert added == [
        "          - hawton-2012-self-harm-suicide",
        "  - id: hawton-2012-self-harm-suicide",
        "    type: paper",
        "    title: Self-harm and suicide in adolescents",
        "    authors:",
        "      - Hawton K",
        "      - Saunders KEA",
        "      - O'Connor RC",
        "    journal: The Lancet",
        "    volume: 379",
        "    issue: 9834",
        "    pages: 2373-2382",
        "    year: 2012",
        "    doi: 10.1016/S0140-6736(12)60322-5",
        "    topics:",
        "      - safety-planning",
        f"    added: {TODAY}",
    ]  # no last_reviewed: adding a record is not a review (hub review --mark-reviewed records one)
    assert after["resources.yaml"].endswith(f"    added: {TODAY}\n")
    assert "Added 'hawton-2012-self-harm-suicide' to data/resources.yaml" in run.stdout
    assert_checked(project)


def test_interactive_prompts_re_ask_invalid_answers_and_show_the_record(project):
    answers = [
        "Preventing suicide in community and custodial settings",  # title
        "NICE",  # organisation
        "",  # authors: none
        "twenty eighteen", "2018",  # year: re-asked until it is a whole number
        "",  # published
        "www.nice.org.uk/guidance/ng105", "https://www.nice.org.uk/guidance/ng105",  # url: needs https://
        "",  # url_format: default page
        "",  # doi
        "NICE's guideline on preventing suicide in community and custodial settings.",  # summary
        "",  # key_points: none
        "adults",  # audience
        "",  # setting
        "assesment", "assessment",  # topics: unknown id, then a known one
        "nice-ng105",  # id: asked last (the suggestion, nice-2018-preventing-suicide-community, is the default)
        "3",  # subsections: the third one listed (staff-training)
        "y",  # add it?
    ]
    before = snapshot(project)["resources.yaml"]
    run = hub("new", "guideline", "--today", TODAY, input="\n".join(answers) + "\n")
    assert run.code == 0, run.output
    out = run.output
    assert "The published title (as on the publisher's page or journal record)." in out  # the field's own help
    assert "'year' should be a whole number" in out
    assert "is not a web link: a link starts with https://" in out
    assert "no topic has the id 'assesment'; did you mean 'assessment'?" in out
    assert "id [nice-2018-preventing-suicide-community]:" in out
    assert "  - id: nice-ng105\n    type: guideline\n" in out  # the record is shown before it is added
    added = added_lines_only(before, (project / "data" / "resources.yaml").read_text())
    assert added[:2] == ["        resources:", "          - nice-ng105"]  # staff-training had no list yet
    assert "    url: https://www.nice.org.uk/guidance/ng105" in added
    assert "      - adults" in added
    assert_checked(project)


def test_answering_no_writes_nothing(project):
    before = snapshot(project)
    answers = ["Aftercare", "", "n"]  # title, id (the suggestion), add it? no
    run = hub("new", "topic", input="\n".join(answers) + "\n")
    assert run.code == 0 and "Nothing was written." in run.output
    assert snapshot(project) == before


def test_an_event_goes_in_date_order_with_its_talks(project):
    before = snapshot(project)["events.yaml"]
    run = hub("new", "event", "--no-input", "--set", "title=Virtual clinic, 28 July 2022",
              "--set", "kind=virtual-clinic", "--set", "phase=2", "--set", "date=2022-07-28",
              "--set", "talks={title: Self-harm in older adults, speaker: Dr Amanda Thompsell}",
              "--set", "talks={title: 'Dispelling the myths: a panel', person: leah-quinlivan}")
    assert run.code == 0, run.output
    after = (project / "data" / "events.yaml").read_text()
    added = added_lines_only(before, after)
    assert added == [
        "  - id: clinic-2022-07-28",
        "    title: Virtual clinic, 28 July 2022",
        "    kind: virtual-clinic",
        "    phase: 2",
        "    date: 2022-07-28",
        "    talks:",
        "      - title: Self-harm in older adults",
        "        speaker: Dr Amanda Thompsell",
        '      - title: "Dispelling the myths: a panel"',
        "        person: leah-quinlivan",
    ]
    assert after.index("clinic-2022-06-23") < after.index("clinic-2022-07-28") < after.index("clinic-2022-09-29")
    assert_checked(project)


@pytest.mark.parametrize("kind, options, expected_file", [
    ("organisation", ["name=Mind", "description=A mental health charity.", "who_for=anyone",
                      "url=https://www.mind.org.uk", "phone=0300 123 3393"], "organisations.yaml"),
    ("measure", ["title=Safety plan recorded", "kind=process",
                 "statement=Proportion of people assessed who have a safety plan in their notes.",
                 "data_source=Local audit", "source_guidance=NICE guideline NG225", "sources=nice-ng225"],
     "measures.yaml"),
    ("person", ["name=Professor Nav Kapur", "group=expert-reference-panel", "role=Chair"], "people.yaml"),
    ("helpline", ["service=Shout", "how=text", "contact=85258", "who=anyone who prefers to text",
                  "source=giveusashout.org"], "helplines.yaml"),
])
def test_other_kinds_go_at_the_end_of_their_list(project, kind, options, expected_file):
    before = snapshot(project)
    args = [x for option in options for x in ("--set", option)]
    run = hub("new", kind, "--no-input", *args)
    assert run.code == 0, run.output
    after = snapshot(project)
    assert {k for k in after if after[k] != before[k]} == {expected_file}
    added = added_lines_only(before[expected_file], after[expected_file])
    assert added[0].startswith("  - id: ")
    assert after[expected_file].endswith(added[-1] + "\n")
    assert_checked(project)


def test_the_suggested_ids_follow_the_catalogue_style(project):
    hub("new", "person", "--no-input", "--set", "name=Professor Nav Kapur", "--set", "group=core-staff",
        "--set", "role=Lead")
    assert "  - id: nav-kapur\n" in (project / "data" / "people.yaml").read_text()
    hub("new", "person", "--no-input", "--set", "name=Dr Nav Kapur", "--set", "group=core-staff",
        "--set", "role=Lead")
    assert "  - id: nav-kapur-2\n" in (project / "data" / "people.yaml").read_text()


@pytest.mark.parametrize("options, expected", [
    (["--set", "year=twenty"], "data/resources.yaml: error: 'year' should be a whole number, not 'twenty'"),
    (["--set", "yaer=2012"], "a paper has no field 'yaer'"),
    (["--set", "doi=https://doi.org/10.1/x"], "write the DOI without 'https://doi.org/': '10.1/x'"),
    (["--set", "id=nice-ng225"], "data/resources.yaml (the new resource): error: the 4th resource (nice-ng225), id: the id 'nice-ng225' is already used "
                             "(line 33)"),
    (["--set", "topics=aftercare"], "no topic has the id 'aftercare'"),
])
def test_scripted_mistakes_are_reported_and_nothing_is_written(project, options, expected):
    before = snapshot(project)
    run = hub("new", "paper", "--no-input", "--set", "title=A paper", *options)
    assert run.code == 1, run.output
    assert expected in run.stderr
    assert "Nothing was written." in run.stderr and "Traceback" not in run.output
    assert snapshot(project) == before


def test_a_missing_required_field_is_named(project):
    run = hub("new", "organisation", "--no-input", "--set", "name=Mind")
    assert run.code == 1
    assert "missing required field 'description'" in run.stderr
    assert "who_for" not in run.stderr  # optional: only a source can say whom an organisation is for


def test_unknown_subsection_is_a_usage_error(project):
    run = hub("new", "paper", "--no-input", "--set", "title=A paper", "--subsection", "safety-plan")
    assert run.code == 2 and "did you mean 'safety-plans'?" in run.stderr


def test_dry_run_shows_the_record_and_writes_nothing(project):
    before = snapshot(project)
    run = hub("new", "topic", "--no-input", "--set", "title=Aftercare", "--dry-run")
    assert run.code == 0
    assert "  - id: aftercare\n    title: Aftercare" in run.stdout and "--dry-run: nothing was written." in run.stdout
    assert snapshot(project) == before


def test_doi_prefills_a_paper_from_crossref(project, crossref):
    before = snapshot(project)["resources.yaml"]
    run = hub("new", "paper", "--doi", "https://doi.org/10.5555/hub.new-paper.2024", "--no-input", "--today", TODAY)
    assert run.code == 0, run.output
    added = added_lines_only(before, (project / "data" / "resources.yaml").read_text())
    assert added == [
        "  - id: o-connor-2024-aftercare-after-self",
        "    type: paper",
        "    title: \"Aftercare after self-harm in primary care: a & b: a mixed-methods study\"",
        "    authors:",
        "      - O'Connor KE",
        "      - Lévy JP",
        "      - The Hub Study Group",
        "    journal: British Journal of General Practice",
        "    volume: 74",
        "    issue: 741",
        "    pages: e123-e130",
        "    year: 2024",
        "    published: 2024-03-28",
        "    doi: 10.5555/hub.new-paper.2024",
        f"    added: {TODAY}",
    ]
    request = crossref.stub.requests[0]
    assert request["path"] == "/works/10.5555/hub.new-paper.2024"
    assert "mailto:editors@example.org" in request["headers"]["User-Agent"]
    assert request["query"]["mailto"] == ["editors@example.org"]


def test_doi_prefills_become_the_prompts_defaults(project, crossref):
    answers = [""] * 4 + ["y"] + [""] * 20  # Enter keeps every pre-filled value; 'y' keeps the authors
    run = hub("new", "paper", "--doi", "10.1016/j.cbpra.2011.01.001", "--set", "id=stanley-2012-copy",
              "--dry-run", input="\n".join(answers))
    assert run.code == 0, run.output
    assert "title [Safety Planning Intervention: A Brief Intervention to Mitigate Suicide Risk]:" in run.stdout
    assert "  authors: Stanley B; Brown GK" in run.stdout
    assert "    journal: Cognitive and Behavioral Practice" in run.stdout


def test_doi_offline_fails_clearly_and_writes_nothing(project, offline):
    before = snapshot(project)
    run = hub("new", "paper", "--doi", "10.5555/hub.new-paper.2024", "--no-input")
    assert run.code == 2
    assert "error: could not reach Crossref (the connection failed: no internet connection?); " \
           "add the details by hand or try again later. Nothing was written." in run.stderr
    assert snapshot(project) == before


def test_doi_unknown_to_crossref(project, crossref):
    run = hub("new", "paper", "--doi", "10.5555/nothing-here", "--no-input")
    assert run.code == 1
    assert "Crossref has no record of the DOI '10.5555/nothing-here'" in run.stderr


def test_the_real_entry_point_with_typed_answers(project):
    """`python -m hub new topic` in a subprocess, answers on stdin, as an editor would type them."""
    before = (project / "data" / "resources.yaml").read_text()
    run = run_hub("new", "topic", cwd=project, input="Aftercare and follow-up\n\ny\n")
    assert run.code == 0, run.output
    added = added_lines_only(before, (project / "data" / "resources.yaml").read_text())
    assert added == ["  - id: aftercare-and-follow-up", "    title: Aftercare and follow-up"]


def test_a_paper_added_to_the_real_data_validates_and_renders(real_project):
    """The issue's acceptance test on the real catalogue: validates, renders, rest byte-for-byte.

    The copy is put in canonical layout first: the layout of the real data is the advisory Layout
    check's business, not the tests' (issue #15); what `hub new` adds must be canonical."""
    assert hub("fmt", "data/resources.yaml").code == 0
    _, _, added = add_scripted_paper(real_project)
    assert added[0] == "          - hawton-2012-self-harm-suicide" and len(added) == 17
    result = validate(real_project / "data", real_project)
    assert not result.errors, [p.render() for p in result.errors]
    from hub.render import render

    pages = render(result.load.catalogue, dt.date(2026, 11, 23))
    assert any("hawton-2012-self-harm-suicide" in text for text in pages.values())
    assert hub("fmt", "--check", "data/resources.yaml").code == 0


# --- the text edits underneath ------------------------------------------------------


def edit(text: str, path: tuple, value, before=None) -> str:
    file = TextFile(Path("x.yaml"), "x.yaml", text.split("\n"))
    doc, problems = parse(text, "x.yaml")
    assert doc is not None, problems
    file.apply([item_edit(doc, path, value, None, before)])
    return file.text


@pytest.mark.parametrize("text, path, value, expected", [
    ("topics: []  # none yet\n", ("topics",), "a", "topics:  # none yet\n  - a\n"),
    ("topics:\nother: 1\n", ("topics",), "a", "topics:\n  - a\nother: 1\n"),
    ("other: 1\n", ("topics",), "a", "other: 1\n\ntopics:\n  - a\n"),
    ("topics:\n  - a", ("topics",), "b", "topics:\n  - a\n  - b\n"),  # no final newline
    ("topics:\n  - a\n\n  - b\n", ("topics",), "c", "topics:\n  - a\n\n  - b\n\n  - c\n"),  # blank-separated
    ("topics:\n- a\n- b\n# end\n", ("topics",), "c", "topics:\n- a\n- b\n- c\n# end\n"),  # the list's own style
    ("topics:\n  - a\n  - c\n", ("topics",), "b", None),
])
def test_item_edits(text, path, value, expected):
    if expected is None:
        assert edit(text, path, value, before=1) == "topics:\n  - a\n  - b\n  - c\n"
    else:
        assert edit(text, path, value) == expected


def test_crlf_and_bom_files_keep_their_bytes(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_bytes(b"\xef\xbb\xbfpeople:\r\n  - id: a\r\n    name: A\r\n")
    file = TextFile.read(path, "people.yaml")
    doc = file.document()
    file.apply([item_edit(doc, ("people",), {"id": "b", "name": "B"}, None)])
    assert file.text.encode("utf-8") == b"\xef\xbb\xbfpeople:\r\n  - id: a\r\n    name: A\r\n  - id: b\r\n    name: B\r\n"


def test_an_interactive_event_with_a_talk(project):
    answers = [
        "Virtual clinic, 27 October 2022",  # title
        "virtual-clinc", "virtual-clinic",  # kind: a typo is re-asked
        "3", "2",  # phase: only 1 or 2
        "2022-10-27",  # date
        "", "", "",  # summary, recording_url, slides_url
        "y",  # add a talk?
        "Self-harm among ethnic minority children and adolescents",  # talk title
        "Dr Caroline Clements",  # speaker
        "caroline-clements", "",  # person: not in people.yaml, so left out
        "", "", "",  # affiliation, recording_url, slides_url
        "n",  # another talk?
        "",  # id: accept the suggestion
        "y",  # add it?
    ]
    before = (project / "data" / "events.yaml").read_text()
    run = hub("new", "event", input="\n".join(answers) + "\n")
    assert run.code == 0, run.output
    assert "did you mean 'virtual-clinic'?" in run.output
    assert "no person has the id 'caroline-clements'" in run.output
    added = added_lines_only(before, (project / "data" / "events.yaml").read_text())
    assert added == [
        "  - id: clinic-2022-10-27",
        "    title: Virtual clinic, 27 October 2022",
        "    kind: virtual-clinic",
        "    phase: 2",
        "    date: 2022-10-27",
        "    talks:",
        "      - title: Self-harm among ethnic minority children and adolescents",
        "        speaker: Dr Caroline Clements",
    ]


# --- a data file the editor has to fix first ------------------------------------------------

ORGANISATION = ["--set", "name=Mind", "--set", "description=A mental health charity.", "--set", "who_for=anyone"]


def test_a_missing_data_file_is_the_editors_to_fix(project):
    (project / "data" / "organisations.yaml").unlink()
    before = snapshot(project)
    run = hub("new", "organisation", "--no-input", *ORGANISATION)
    assert run.code == 1, run.output
    assert "data/organisations.yaml: error: the data file is missing\n" \
           "    hint: restore organisations.yaml from git (git checkout -- data/organisations.yaml)\n" in run.stderr
    assert "Nothing was written." in run.stderr and "bug in the hub" not in run.output
    assert snapshot(project) == before
    asked = hub("new", "organisation", input="Mind\n")  # interactive: stops before the first question
    assert asked.code == 1 and "New organisation" not in asked.stdout and "data file is missing" in asked.stderr


def test_a_data_file_that_is_not_utf8_is_the_editors_to_fix(project):
    path = project / "data" / "organisations.yaml"
    raw = path.read_bytes().replace(b"by self-injury", b"by self\x96injury", 1)  # a Windows-1252 dash
    path.write_bytes(raw)
    run = run_hub("new", "organisation", "--no-input", *ORGANISATION, cwd=project)
    assert run.code == 1, run.output
    assert "data/organisations.yaml:6:53: error: the file is not UTF-8 text (byte 0x96 cannot be read)\n" \
           "    hint: save the file as UTF-8" in run.stderr
    assert "Nothing was written." in run.stderr and "bug in the hub" not in run.output
    assert path.read_bytes() == raw


def test_a_nested_record_that_is_not_one_line_of_yaml_is_explained(project):
    run = hub("new", "event", "--no-input", "--set", "title=Virtual clinic", "--set", "kind=virtual-clinic",
              "--set", "phase=2", "--set", "date=2022-07-28", "--set", "talks={title: A talk, speaker: B")
    assert run.code == 1
    assert "data/events.yaml: error: talks: cannot read '{title: A talk, speaker: B' as a talk: this '{' is " \
           "never closed" in run.stderr
    assert 'hint: write it in braces: --set talks="{title: …, speaker: …}"' in run.stderr


def test_broken_review_settings_stop_a_doi_lookup(project, crossref):
    (project / "editorial" / "review.yaml").write_text("crossref:\n  timeout_seconds: soon\n")
    run = hub("new", "paper", "--doi", "10.5555/hub.new-paper.2024", "--no-input")
    assert run.code == 1
    assert "editorial/review.yaml:2:20: error: crossref: 'timeout_seconds' should be a whole number" in run.stderr
    assert "Nothing was written." in run.stderr and not crossref.stub.requests


def test_errors_already_in_the_catalogue_are_mentioned_not_hidden(project):
    path = project / "data" / "people.yaml"
    path.write_text(path.read_text().replace("group: core-staff", "group: core-staf", 1))
    run = hub("new", "topic", "--no-input", "--set", "title=Aftercare")
    assert run.code == 0, run.output
    assert "note: the catalogue already has 1 error(s) elsewhere, not caused by this record; " \
           "python -m hub validate lists them." in run.stdout
