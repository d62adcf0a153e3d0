"""One truth in the docs and the tool (issue #15, item 6): what README.md, CONTRIBUTING.md, the
field reference and the JSON Schemas say about links, phone numbers, editorial ids and authors is
what the tools do."""

from __future__ import annotations

import json
import re

import pytest
from pydantic_core import PydanticCustomError

from hub.catalogue.checks import validate
from hub.catalogue.fields import PHONE_PATTERN, PHONE_RULE, URL_PATTERN, _phone, phone_suggestion
from hub.editor.fieldref import render_fields

from .conftest import ROOT, TODAY, hub

DOCS = {name: (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "CONTRIBUTING.md")}


def _organisations(project, extra: str) -> None:
    path = project / "data" / "organisations.yaml"
    path.write_text(path.read_text() + "  - id: local-group\n    name: Local group\n"
                    "    description: A local support group.\n" + extra)


# --- http:// links: accepted with a warning ------------------------------------------------


def test_an_http_link_is_a_warning_never_an_error(project):
    _organisations(project, "    url: http://www.example.org.uk/support\n")
    result = validate(project / "data", project)
    assert not result.errors, [p.render() for p in result.errors]
    (warning,) = [p for p in result.warnings if p.code == "url-not-https"]
    assert warning.message == "this link is not secure (http://); use the https:// address if the site has one"
    assert warning.field.endswith(".url") and warning.line and warning.column
    assert hub("validate").code == 0 and hub("validate", "--strict").code == 1


def test_the_docs_and_the_schema_say_the_same_about_http():
    for name, text in DOCS.items():
        flat = " ".join(text.split())
        for wrong in ("must start with https", "must begin with https", "only https", "https:// only",
                      "links must be https"):
            assert wrong not in flat.lower(), f"{name} says '{wrong}', but http:// is accepted with a warning"
        assert "url-not-https" in flat, name
    assert "http:// is accepted with a warning" in render_fields()
    schema = json.loads((ROOT / "data" / "schema" / "resources.schema.json").read_text())
    patterns = set(re.findall(r'"pattern": "([^"]*https\?[^"]*)"', json.dumps(schema)))
    assert patterns and all(re.match(json.loads(f'"{p}"'), "http://www.example.nhs.uk/") for p in patterns)
    assert re.match(URL_PATTERN, "http://www.example.nhs.uk/")


# --- phone numbers: always in quotes ---------------------------------------------------------


def test_fmt_writes_every_phone_number_in_quotes(project):
    _organisations(project, "    phone: 0115 880 0280\n    helpline: '0808 800 8088'\n")
    run = hub("fmt", "--check", "data/organisations.yaml")
    assert run.code == 1 and 'a phone number is always written in double quotes: "0115 880 0280"' in run.stderr
    assert hub("fmt", "data/organisations.yaml").code == 0
    text = (project / "data" / "organisations.yaml").read_text()
    assert '    phone: "0115 880 0280"\n    helpline: "0808 800 8088"\n' in text


def test_hub_new_writes_phone_numbers_in_quotes(project):
    run = hub("new", "organisation", "--no-input", "--set", "name=Local group", "--set",
              "description=A local support group.", "--set", "phone=0115 880 0280", "--today", TODAY)
    assert run.code == 0, run.output
    assert '    phone: "0115 880 0280"\n' in (project / "data" / "organisations.yaml").read_text()
    assert hub("fmt", "--check").code == 0


def test_hub_new_writes_a_helplines_contact_in_quotes(project):
    run = hub("new", "helpline", "--no-input", "--set", "service=Shout", "--set", "how=text", "--set",
              "contact=85258", "--set", "who=anyone who prefers to text", "--set", "source=giveusashout.org")
    assert run.code == 0, run.output
    assert '    contact: "85258"\n' in (project / "data" / "helplines.yaml").read_text()
    assert hub("fmt", "--check").code == 0


def test_the_guide_the_readme_and_the_field_reference_quote_phone_numbers():
    reference = render_fields()
    for row in re.findall(r"^\| `(?:phone|helpline)` \|.*$", reference, re.MULTILINE):
        assert "always written in double quotes" in row, row
    for name, text in DOCS.items():
        unquoted = re.findall(r"(?:phone|helpline|contact): \d[\d ]*", text)
        assert not unquoted, f"{name} shows phone numbers without quotes: {unquoted}"
    assert 'phone: "0808 800 8088"' in DOCS["CONTRIBUTING.md"] and 'phone: "0808 800 8088"' in DOCS["README.md"]


def test_following_the_field_reference_passes_the_layout_check(project):
    """Each phone field written as the reference says (in double quotes) is already canonical."""
    _organisations(project, '    phone: "0115 880 0280"\n    helpline: "0808 800 8088"\n'
                            '    text: "07537 432444"\n    other_phones:\n      - label: Office\n'
                            '        phone: "0117 927 9600"\n')
    assert hub("fmt", "--check").code == 0
    assert hub("validate").code == 0


def _bad_phone_row() -> tuple[str, str]:
    """CONTRIBUTING's bad-phone row: its example message and how to fix it."""
    (row,) = re.findall(r"^\| <a id=\"bad-phone\"></a>`bad-phone` \| ([^|]+) \| ([^|]+) \|$",
                        DOCS["CONTRIBUTING.md"], re.MULTILINE)
    return row


def _is_phone(value: str) -> bool:
    try:
        _phone(value)
    except PydanticCustomError:
        return False
    return True


def test_the_guides_bad_phone_example_is_refused_with_its_message():
    example, fix = _bad_phone_row()
    value = re.match(r"'([^']+)' is not a phone number", example)[1]
    with pytest.raises(PydanticCustomError) as refused:
        _phone(value)
    assert str(refused.value).startswith(example.strip()), (str(refused.value), example)
    wrong, right = re.search(r'`helpline: "([^"]+)"` for `([^`]+)`', fix).group(2, 1)
    assert not _is_phone(wrong) and _is_phone(right) and phone_suggestion(wrong) == right


@pytest.mark.parametrize("two", ["85258 / 116 123", "0808 800 5000/5001", "999/112", "116 123 or 85258"])
def test_two_numbers_in_one_field_are_never_joined_into_a_made_up_one(two):
    assert phone_suggestion(two) is None


def test_every_phone_number_the_docs_show_is_accepted_and_every_rule_is_worded_the_same():
    shown = set()
    for text in [*DOCS.values(), render_fields()]:
        shown |= set(re.findall(r'(?:phone|helpline|text|contact): "([^"]*)"', text))
        shown |= set(re.findall(r'\| `(?:phone|helpline)` \|[^|]*e\.g\. `"([^"]+)"`', text))
    assert len(shown) >= 4, shown
    refused = [number for number in shown if not _is_phone(number)]
    assert not refused, f"the docs show phone numbers the tool refuses: {refused}"
    for example in ("0808 800 8088", "116 123", "111", "+44 808 800 8088"):
        assert _is_phone(example), example
    for refused_example in ("+44 (0)808 800 8088", "0808-800-8088", "(0115) 880 0280", "0808.800.8088"):
        assert not _is_phone(refused_example), refused_example
    assert PHONE_RULE in render_fields() and PHONE_RULE in _bad_phone_row()[1].replace("Write the number with ", "")
    assert not re.search(r"digits and spaces(?! only, with a \+ at the start)", render_fields())
    with pytest.raises(PydanticCustomError, match=re.escape(PHONE_RULE)):
        _phone("0808-800-8088")
    schemas = json.dumps([json.loads(path.read_text()) for path in (ROOT / "data" / "schema").glob("*.json")])
    assert json.dumps(PHONE_PATTERN) in schemas and "()-" not in schemas


def test_a_refused_number_gets_the_number_without_brackets_and_dashes(project):
    _organisations(project, '    helpline: "+44 (0)808 800-8088"\n')
    helplines = project / "data" / "helplines.yaml"
    helplines.write_text(helplines.read_text().replace('contact: "999"', 'contact: "0808-800-8088"'))
    run = hub("validate", "--format", "json")
    problems = {p["field"]: p for p in json.loads(run.stdout)["problems"] if p["code"] == "bad-phone"}
    assert run.code == 1 and len(problems) == 2, problems
    assert problems["organisations[1].helpline"]["hint"].startswith('did you mean "+44 808 800 8088"? (digits')
    (contact,) = [p for field, p in problems.items() if field.startswith("helplines")]
    assert contact["hint"].startswith('did you mean "0808 800 8088"?')


# --- ids in editorial/*.yaml ------------------------------------------------------------------


@pytest.mark.parametrize("settings, field, place, typo, guess", [
    ("not_duplicates:\n  - ids:\n      - nice-ng225\n      - nice-cg1\n    reason: checked\n",
     "not_duplicates[0].ids[1]", "not_duplicates, the 1st group, the 2nd id", "nice-cg1", "nice-cg16"),
    ("cited_on_purpose:\n  - record: clinical-guideline\n    cites: nice-cg16\n    reason: kept\n",
     "cited_on_purpose[0].record", "cited_on_purpose, the 1st entry, record", "clinical-guideline",
     "clinical-guidelines"),
    ("cited_on_purpose:\n  - record: clinical-guidelines\n    cites: nice-cg61\n    reason: kept\n",
     "cited_on_purpose[0].cites", "cited_on_purpose, the 1st entry, cites", "nice-cg61", "nice-cg16"),
])
def test_a_typo_in_an_editorial_id_is_a_located_unknown_reference(real_project, settings, field, place, typo,
                                                                   guess):
    (real_project / "editorial" / "review.yaml").write_text(settings)
    run = hub("validate", "--format", "json")
    assert run.code == 1
    (problem,) = [p for p in json.loads(run.stdout)["problems"] if p["file"] == "editorial/review.yaml"]
    assert (problem["code"], problem["field"], problem["severity"]) == ("unknown-reference", field, "error")
    assert problem["place"] == place
    assert problem["line"] and problem["column"] and f"has the id '{typo}'" in problem["message"]
    assert problem["hint"] == f"did you mean '{guess}'?"
    reviewed = hub("review", "--today", TODAY)
    assert f"has the id '{typo}'" in reviewed.output and f"did you mean '{guess}'?" in reviewed.output


def test_a_data_file_that_cannot_be_read_does_not_make_the_editorial_ids_unknown(real_project):
    """One unclosed quote in resources.yaml is one error, not one more for every id review.yaml names."""
    path = real_project / "data" / "resources.yaml"
    text = path.read_text()
    path.write_text(re.sub(r'\n    title: "([^"\n]+)"\n', r'\n    title: "\1\n', text, count=1))
    assert "cited_on_purpose" in (real_project / "editorial" / "review.yaml").read_text()
    run = hub("validate", "--format", "json")
    errors = [p for p in json.loads(run.stdout)["problems"] if p["severity"] == "error"]
    assert run.code == 1 and [p["file"] for p in errors] == ["data/resources.yaml"], errors
    reviewed = hub("review", "--today", TODAY)
    assert "editorial/review.yaml" not in reviewed.output


def test_a_typo_in_a_word_list_source_is_located_with_a_suggestion(real_project):
    path = real_project / "editorial" / "language.yaml"
    text = path.read_text()
    first = re.search(r"\n    source: ([a-z0-9-]+)\n", text)
    path.write_text(text.replace(first.group(0), f"\n    source: {first[1]}x\n", 1))
    run = hub("validate", "--format", "json")
    assert run.code == 1
    (problem,) = [p for p in json.loads(run.stdout)["problems"] if p["file"] == "editorial/language.yaml"]
    assert problem["code"] == "unknown-reference" and problem["line"] and problem["column"]
    assert re.fullmatch(r"terms\[\d+\]\.source", problem["field"])
    assert f"has the id '{first[1]}x'" in problem["message"] and problem["hint"] == f"did you mean '{first[1]}'?"


# --- authors ------------------------------------------------------------------------------------


def test_hub_new_refuses_an_author_without_a_letter(project):
    before = (project / "data" / "resources.yaml").read_text()
    run = hub("new", "paper", "--no-input", "--set", "title=A paper", "--set", "authors=2026",
              "--set", "year=2020", "--set", "topics=safety-planning", "--today", TODAY)
    assert run.code == 1
    assert "'2026' is not an author's name: a name has letters; write 'Surname Initials', e.g. Kapur N" in run.stderr
    assert (project / "data" / "resources.yaml").read_text() == before
    asked = hub("new", "paper", "--today", TODAY, input="A paper\n2026\nKapur N\n\n" + "\n" * 40)
    assert "'2026' is not an author's name" in asked.output  # asked again, not written


def test_validate_reports_an_author_without_a_letter(project):
    path = project / "data" / "resources.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"(\n    authors:\n      - )[^\n]+", r'\g<1>"2026"', text, count=1))
    run = hub("validate", "--format", "json")
    (problem,) = [p for p in json.loads(run.stdout)["problems"] if p["severity"] == "error"]
    assert run.code == 1 and problem["code"] == "bad-author" and problem["field"].endswith("authors[0]")
    assert problem["line"] and "'2026' is not an author's name" in problem["message"]


# --- the generated ids list -------------------------------------------------------------------


def test_the_ids_list_follows_the_data_and_never_fails_a_check(real_project, monkeypatch):
    guide = real_project / "CONTRIBUTING.md"
    guide.write_text(DOCS["CONTRIBUTING.md"])
    assert hub("docs", "--check").code == 0
    path = real_project / "data" / "resources.yaml"
    path.write_text(path.read_text().replace("  - id: safety-planning\n", "  - id: safety-plans-topic\n", 1))
    run = hub("docs", "--check")
    assert run.code == 0 and "the list of subsection and topic ids is behind data/resources.yaml" in run.stderr
    assert hub("docs").code == 0 and "`safety-plans-topic`" in guide.read_text()


# --- which field goes where ---------------------------------------------------------------------


def test_the_required_fields_in_which_field_goes_where_are_the_models():
    """CONTRIBUTING's table names exactly the fields the tool requires, for each kind of record."""
    from hub.catalogue.model import Event, Measure, Organisation, Resource

    rows = dict(re.findall(r"^\| \w+ \(`(\w+):`\) \| ([^|]+) \|", DOCS["CONTRIBUTING.md"], re.MULTILINE))
    for key, model in (("resources", Resource), ("events", Event), ("organisations", Organisation),
                       ("measures", Measure)):
        documented = re.findall(r"`(\w+)`", rows[key])
        assert documented == [f.alias or n for n, f in model.model_fields.items() if f.is_required()], key


def test_a_measure_with_another_error_still_counts_for_cited_on_purpose(real_project):
    """A measure whose kind is misspelt is one error: review.yaml's acknowledgement of it is not a second."""
    path = real_project / "data" / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    kind: structure\n" in text
    path.write_text(text.replace("    kind: structure\n", "    kind: structur\n", 1), encoding="utf-8")
    run = hub("validate", "--format", "json")
    errors = [p for p in json.loads(run.stdout)["problems"] if p["severity"] == "error"]
    assert [p["file"] for p in errors] == ["data/measures.yaml"], errors
