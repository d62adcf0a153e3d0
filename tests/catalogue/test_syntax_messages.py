"""Syntax errors at the editor's line, in the editor's words (issue #15, item 1).

Each of the mistakes editors make in the web editor is made in a copy of the real data: the problem
must be at the line (and column) of the mistake, with its own code, and without the parser's words.
The unclosed quote is also made at many places of the real resources.yaml.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from hub.catalogue.checks import validate
from hub.catalogue.yamlfile import load_yaml_text
from tests.conftest import ROOT, run_hub
from tests.editor.test_docs import emitted_codes

RESOURCES = (ROOT / "data" / "resources.yaml").read_text(encoding="utf-8")
LINES = RESOURCES.split("\n")

PARSER_WORDS = re.compile(r"mapping|scalar|block|indicator|stream|expected key|token|YAML syntax error|"
                          r"invalid character|expected|simple key|hexdecimal|document start|node", re.I)
"""libyaml's and pydantic's vocabulary ("did not find expected key", "invalid character in year")."""


def first_line(pattern: str, after: int = 1100) -> int:
    """The 1-based number of the first line of the real resources.yaml at or after `after` matching `pattern`."""
    return next(n for n, line in enumerate(LINES, 1) if n >= after and re.fullmatch(pattern, line))


def with_line(number: int, new) -> str:
    lines = list(LINES)
    lines[number - 1] = new(lines[number - 1]) if callable(new) else new
    return "\n".join(lines)


def problems_of(text: str):
    return load_yaml_text(text, "data/resources.yaml").problems


def assert_plain_words(problem) -> None:
    for text in (problem.message, problem.hint):
        assert not PARSER_WORDS.search(text), text


TITLE = r"    title: [A-Za-z][^'\"#:]*"


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_is_reported_where_it_opens(quote):
    number = first_line(TITLE)
    [problem] = problems_of(with_line(number, lambda line: line.replace("title: ", f"title: {quote}", 1)))
    assert (problem.line, problem.column, problem.code) == (number, 12, "unclosed-quote")
    assert problem.message == f"this quoted text starting here is never closed (no {quote} at its end)"
    assert problem.hint.startswith(f"add the closing {quote} at the end of the text: title: {quote}")
    assert problem.hint.endswith(quote)
    assert_plain_words(problem)


def test_an_unclosed_quote_anywhere_in_the_real_catalogue_is_reported_at_its_line():
    """Property: wherever a title, a name or a list item gets an unclosed quote, that line is reported."""
    places = [n for n, line in enumerate(LINES, 1)
              if re.fullmatch(r" *(- |[a-z_]+: )[A-Za-z][^'\"#]*", line) and not line.rstrip().endswith(":")
              and not in_block_text(n)]
    assert len(places) > 1000
    chosen = random.Random(15).sample(places, 60)
    for number in chosen:
        for quote in "\"'":
            line = LINES[number - 1]
            at = re.match(r" *(- |[a-z_]+: )", line).end()
            problems = problems_of(with_line(number, line[:at] + quote + line[at:]))
            assert [(p.line, p.code) for p in problems] == [(number, "unclosed-quote")], (number, quote, problems)


def in_block_text(number: int) -> bool:
    """True when line `number` is text under a '>-' or '|' (a quote there is only a character)."""
    indent = len(LINES[number - 1]) - len(LINES[number - 1].lstrip())
    for line in reversed(LINES[:number - 1]):
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            return line.rstrip().endswith((">-", "|", ">", "|-"))
    return False


def test_quotes_that_are_fine_are_not_taken_for_unclosed_ones():
    """Apostrophes in plain text, quotes in comments and in blocks of text, quoted text over two lines."""
    text = ("people:\n"
            "  # it's a comment with a \" in it\n"
            "  - id: rory-oconnor\n"
            "    name: Professor Rory O'Connor\n"
            "    role: >-\n"
            "      People's \"views\n"
            "    group: 'core ''staff'''\n"
            "    alt_names: [\"R O'Connor\", 'Rory',\n"
            "      Rory O'C]\n"
            "    note: \"over\n"
            "      two lines\"\n"
            "  - id: x\n"
            "    name: a\n"
            "   role: b\n")
    [problem] = problems_of(text)
    assert (problem.line, problem.column, problem.code) == (14, 4, "bad-indent")
    assert problem.message == "this line starts with 3 spaces; the other fields of this record start with 4"


def test_an_apostrophe_that_closes_single_quotes():
    number = first_line(TITLE)
    [problem] = problems_of(with_line(number, "    title: 'People's views'"))
    assert (problem.line, problem.column, problem.code) == (number, 19, "text-after-quote")
    assert "'People''s views'" in problem.hint and "\"People's views\"" in problem.hint
    assert_plain_words(problem)


def test_a_field_indented_too_far_is_reported_in_spaces():
    number = first_line(r"    year: \d{4}")
    [problem] = problems_of(with_line(number, lambda line: "  " + line))
    assert (problem.line, problem.column, problem.code) == (number, 7, "bad-indent")
    assert problem.message == "this line starts with 6 spaces; the other fields of this record start with 4"
    assert_plain_words(problem)


@pytest.mark.parametrize("spaces, expected", [(3, 4), (2, 4), (5, 4)])
def test_a_field_indented_too_little_is_reported_in_spaces(spaces, expected):
    number = first_line(r"    year: \d{4}")
    [problem] = problems_of(with_line(number, lambda line: " " * spaces + line.lstrip()))
    assert (problem.line, problem.code) == (number, "bad-indent")
    assert problem.message == (f"this line starts with {spaces} spaces; "
                               f"the other fields of this record start with {expected}")


def test_a_list_item_indented_wrongly_is_reported_in_spaces():
    first = first_line(r"      - [A-Z][a-z]+ [A-Z]+")
    number = first_line(r"      - [A-Z][a-z]+ [A-Z]+", first + 1)
    [problem] = problems_of(with_line(number, lambda line: line[2:]))
    assert (problem.line, problem.column, problem.code) == (number, 5, "bad-indent")
    assert problem.message == "this list item starts with 4 spaces; the items above it start with 6"
    assert_plain_words(problem)


def test_a_colon_in_a_value():
    number = first_line(TITLE)
    [problem] = problems_of(with_line(number, "    title: Self-harm: a review"))
    assert (problem.line, problem.column, problem.code) == (number, 21, "colon-in-value")
    assert problem.hint == 'put the whole value in quotes: title: "Self-harm: a review"'
    assert_plain_words(problem)


@pytest.mark.parametrize("value, hint", [
    ("“Self-harm: a review”", 'title: "Self-harm: a review"'),
    ("‘Self-harm: a review’", 'title: "Self-harm: a review"'),
    ('“The "best" care: a review”', "title: 'The \"best\" care: a review'"),
    ("“People’s views: a study”", 'title: "People’s views: a study"'),
])
def test_a_colon_in_a_value_in_curly_quotes_gets_straight_ones(value, hint):
    """Curly quotes from Word are letters to YAML: quoting the value as it is would publish them."""
    number = first_line(TITLE)
    [problem] = problems_of(with_line(number, f"    title: {value}"))
    assert (problem.line, problem.column, problem.code) == (number, 11 + value.index(": ") + 1, "colon-in-value")
    assert problem.hint == f"replace the curly quotes (from Word) with straight ones: {hint}"
    assert_plain_words(problem)
    fixed = problems_of(with_line(number, "    " + hint))
    assert fixed == [] and load_yaml_text("    " + hint, "t.yaml").data["title"] == value[1:-1]


@pytest.mark.parametrize("value", [
    "“Self-harm: a review” (2012)",  # only starts with one
    "‘Phase I’: the sites’",  # the closing mark is also inside: not one pair around the text
    "“Pushed”: a report on “care”",
])
def test_a_value_not_wrapped_in_one_pair_of_curly_quotes_keeps_them_inside_straight_ones(value):
    number = first_line(TITLE)
    [problem] = problems_of(with_line(number, f"    title: {value}"))
    assert problem.hint == f'put the whole value in quotes: title: "{value}"'


LIST_ITEM_AFTER_ITEM = {"resources": r"          - [a-z0-9-]+", "authors": r"      - [A-Z][a-z]+ [A-Z]+"}


@pytest.mark.parametrize("kind", ["resources", "authors"])
def test_a_list_item_that_lost_its_dash_is_told_to_start_with_one(kind):
    pattern = LIST_ITEM_AFTER_ITEM[kind]
    number = next(n for n in range(2, len(LINES)) if re.fullmatch(pattern, LINES[n - 1])
                  and re.fullmatch(pattern, LINES[n - 2]) and re.fullmatch(pattern, LINES[n]))
    item = LINES[number - 1].strip()[2:]
    [problem] = problems_of(with_line(number, lambda line: line.replace("- ", "", 1)))
    spaces = len(LINES[number - 1]) - len(LINES[number - 1].lstrip())
    assert (problem.line, problem.column, problem.code) == (number, spaces + 1, "missing-dash")
    assert problem.message == "this line is in a list, but it does not start with '- ' like the lines above it"
    assert problem.hint == f"start it with '- ', like the other items: - {item}"
    assert_plain_words(problem)


def test_a_line_without_a_colon_among_fields_is_still_a_missing_colon():
    number = first_line(r"    year: \d{4}")
    [problem] = problems_of(with_line(number, lambda line: line.replace(":", "", 1)))
    assert (problem.line, problem.column, problem.code) == (number, 5, "missing-colon")


NBSP_MESSAGE = ("an invisible non-breaking space (often pasted from Word or a web page) is here: "
                "replace it with an ordinary space")


@pytest.mark.parametrize("indent, column", [("\u00a0" * 4, 1), ("  \u00a0\u00a0", 3)])
def test_a_non_breaking_space_in_the_indentation_is_reported_at_it(indent, column):
    number = first_line(TITLE)
    [problem] = problems_of(with_line(number, lambda line: indent + line.lstrip(" ")))
    assert (problem.line, problem.column, problem.code, problem.severity.value) == (
        number, column, "non-breaking-space", "error")
    assert problem.message == NBSP_MESSAGE
    assert problem.hint == "delete the spaces before 'title' and type 4 ordinary spaces instead"
    assert_plain_words(problem)


@pytest.mark.parametrize("pattern, column", [(r"    added: \d{4}-\d\d-\d\d", 11), (r"      - [A-Z][a-z]+ [A-Z]+", 8)])
def test_a_non_breaking_space_after_a_colon_or_a_dash_is_reported_at_it(pattern, column):
    number = first_line(pattern)
    line = LINES[number - 1]
    broken = line[:column - 2] + line[column - 2:].replace(" ", "\u00a0", 1)
    [problem] = problems_of(with_line(number, broken))
    assert (problem.line, problem.column, problem.code) == (number, column, "non-breaking-space")
    assert problem.message == NBSP_MESSAGE
    assert problem.hint == f"delete it and type an ordinary space, so that the line reads: {line.strip()}"


def test_the_validate_command_shows_a_non_breaking_space_at_its_line_with_its_row_of_the_guide(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    number = first_line(r"    added: \d{4}-\d\d-\d\d")
    (tmp_path / "data" / "resources.yaml").write_text(
        with_line(number, lambda line: line.replace(": ", ":\u00a0")), encoding="utf-8")
    proc = run_hub("validate", cwd=tmp_path)
    assert f"data/resources.yaml:{number}:11: error: {NBSP_MESSAGE}" in proc.stderr
    assert "    see: CONTRIBUTING.md#non-breaking-space" in proc.stderr
    assert "missing-colon" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("text, line, column", [
    ("a:\n  title: Self-harm in\u00a0over 8s\n", 2, 22),
    ('a:\n  title: "Self-harm in\u00a0over 8s"\n', 2, 23),
    ("a:\n  title: \u00a0Self-harm\n", 2, 10),
    ("a:\n  summary: >-\n    Text\n    \u00a0more\n    Note:\u00a0this\n  b: 1\n", 4, 5),
])
def test_a_non_breaking_space_inside_text_is_a_warning_and_the_file_loads(text, line, column):
    loaded = load_yaml_text(text, "f.yaml")
    assert (loaded.problems[0].line, loaded.problems[0].column) == (line, column)
    assert {(p.code, p.severity.value) for p in loaded.problems} == {("non-breaking-space", "warning")}
    assert loaded.problems[0].message == ("a non-breaking space (often pasted from Word or a web page) is here; "
                                          "it looks like a space, but search and copied text treat it as a "
                                          "different character")
    assert "\u00a0" in next(iter(loaded.data["a"].values()))


@pytest.mark.parametrize("where", ["before a record", "inside a record"])
def test_a_second_document_is_reported_at_its_line(where):
    number = first_line(r"  - id: .*") + (0 if where == "before a record" else 3)
    lines = list(LINES)
    lines.insert(number - 1, "---")
    [problem] = problems_of("\n".join(lines))
    assert (problem.line, problem.column, problem.code) == (number, 1, "many-documents")


def test_an_unclosed_bracket_in_events_is_reported_where_it_opens_and_the_summary_says_so(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    events = tmp_path / "data" / "events.yaml"
    lines = events.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines, 1) if re.fullmatch(r"    date: \d{4}-\d\d-\d\d", line))
    lines[number - 1] = lines[number - 1].replace("date: ", "date: [")
    events.write_text("\n".join(lines), encoding="utf-8")
    proc = run_hub("validate", cwd=tmp_path)
    assert f"data/events.yaml:{number}:11: error: this '[' is never closed (no ']' after the last item)" in proc.stderr
    assert "    see: CONTRIBUTING.md#unclosed-bracket" in proc.stderr
    assert "data/events.yaml could not be read (see the error above), so its records are not counted" in proc.stderr
    assert "0 events" not in proc.stderr and "0 talks" not in proc.stderr
    assert not PARSER_WORDS.search(proc.stderr.split("notices:")[0])


@pytest.mark.parametrize("line, code, column", [
    ("    t: @samaritans", "reserved-character", 8),
    ('    t: "C:\\Users"', "bad-escape", 11),
    ("    t: - a", "item-on-field-line", 8),
    ("    t: >- text", "text-after-marker", 11),
    ("    t without a colon", "missing-colon", 5),
    ("    t: [a, b] c", "yaml-syntax", 15),
    ("    t: {a: 1", "unclosed-bracket", 8),
])
def test_other_syntax_mistakes_have_their_own_code_and_plain_words(line, code, column):
    text = f"people:\n  - id: x\n{line}\n    role: y\n"
    [problem] = problems_of(text)
    assert (problem.line, problem.column, problem.code) == (3, column, code)
    assert_plain_words(problem)


# --- values: dates, years, misspelt fields ---------------------------------------------------


def validate_with(tmp_path: Path, old: str, new: str):
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", tmp_path / "data")
    path = tmp_path / "data" / "resources.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return validate(tmp_path / "data", root=tmp_path)


@pytest.mark.parametrize("written, hint", [
    ("31/03/2022", "write it as added: 2022-03-31 (read as day/month/year, the UK order)"),
    ("31.03.2022", "write it as added: 2022-03-31 (read as day/month/year, the UK order)"),
    ("31-03-2022", "write it as added: 2022-03-31 (read as day/month/year, the UK order)"),
    ("04/04/2022", "write it as added: 2022-04-04 (read as day/month/year, the UK order)"),
    ("03/04/2022", "write it as added: 2022-04-03 if it is 3 April (day first, the UK order), "
                   "or added: 2022-03-04 if it is 4 March"),
    ("2022-3-31", "write it as added: 2022-03-31"),
    ("2022-03-31T10:00", "write only the date: added: 2022-03-31"),
])
def test_a_date_not_written_yyyy_mm_dd_gets_the_date_to_write(tmp_path, written, hint):
    result = validate_with(tmp_path, "    added: 2026-11-23\n    last_reviewed: 2026-11-23\n  - id: nice-cg16",
                           f"    added: {written}\n  - id: nice-cg16")
    [problem] = result.errors
    assert problem.hint == hint
    assert_plain_words(problem)


def test_a_date_that_does_not_exist_says_why(tmp_path):
    result = validate_with(tmp_path, "    added: 2026-11-23\n    last_reviewed: 2026-11-23\n  - id: nice-cg16",
                           "    added: 2024-02-30\n  - id: nice-cg16")
    [problem] = result.errors
    assert problem.message == "'added' is not a real date: '2024-02-30' (February 2024 has 29 days)"


@pytest.mark.parametrize("written, message, hint", [
    ('"2012"', "'year' should be a whole number, not text in quotes ('2012')", "write it without quotes: year: 2012"),
    ("20l2", "'year' should be a whole number, not '20l2'", "did you mean year: 2012? ('l' is a letter, not a digit)"),
    ("2012a", "'year' should be a whole number, not '2012a'", "write the year alone, as digits: year: 2012"),
    ("twenty", "'year' should be a whole number, not 'twenty'", "write a whole number, e.g. year: 2021"),
])
def test_the_year_hint_says_without_quotes_only_when_it_was_quoted(tmp_path, written, message, hint):
    result = validate_with(tmp_path, "    year: 2012", f"    year: {written}")
    [problem] = result.errors
    assert (problem.line, problem.code, problem.message, problem.hint) == (54, "int-type", message, hint)
    assert problem.place == "the 3rd resource (stanley-2012-safety-planning), year"
    assert "without quotes" not in problem.hint or written.startswith('"')


def test_a_misspelt_required_field_is_one_problem(tmp_path):
    result = validate_with(tmp_path, "    title: \"Safety Planning", "    titel: \"Safety Planning")
    [problem] = result.errors
    assert (problem.line, problem.column, problem.code) == (46, 5, "extra-forbidden")
    assert problem.message == "unknown field 'titel' — did you mean 'title'? ('title' is required)"
    assert problem.headline() == ("data/resources.yaml:46:5: error: the 3rd resource (stanley-2012-safety-planning): "
                                  "unknown field 'titel' — did you mean 'title'? ('title' is required)")


# --- how a problem is printed --------------------------------------------------------------------


def test_every_printed_problem_ends_with_its_row_of_the_guide(tmp_path):
    result = validate_with(tmp_path, "    year: 2012", '    year: "2012"')
    [problem] = result.errors
    assert problem.render().split("\n")[-1] == "    see: CONTRIBUTING.md#int-type"
    assert problem.to_dict()["see"] == "CONTRIBUTING.md#int-type"
    assert problem.to_dict()["field"] == "resources[2].year"


def test_every_code_has_its_own_anchor_in_the_guide():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', guide))
    assert not set(emitted_codes()) - anchors
