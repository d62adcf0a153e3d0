"""The reader's limits and refusals, in process (the subprocess runs are in tests/hostile/test_hostile_files.py).

Each limit is a named constant in `hub.catalogue.yamlfile` or `hub.catalogue.load`;
these tests pin where each refusal is reported, that the limit itself is allowed,
and that the cheap pre-check which spares the real data a second parse is sound.
"""

from __future__ import annotations

import glob
import os
import random
import time
from pathlib import Path

import pytest
import yaml as libyaml

from hub.catalogue import load as load_module
from hub.catalogue.characters import check_characters as _check_characters
from hub.catalogue.checks import validate
from hub.catalogue.listing import MAX_LISTED
from hub.catalogue.load import MAX_FILE_PROBLEMS, MAX_RECORD_VALUES, WHOLE_FILE_VALUES
from hub.catalogue.reading import MAX_FILE_BYTES, read_bytes
from hub.catalogue.scalars import MAX_INT_DIGITS, LongNumber, resolve_scalar
from hub.catalogue.shape import MAX_DEPTH
from hub.catalogue.shape import surely_within_limits as _surely_within_limits
from hub.catalogue.syntax import Loader as _Loader
from hub.catalogue.yamlfile import load_yaml, load_yaml_text
from hub.problems import Problem, attach_sources, display_path


def codes(text: str) -> list[tuple[int | None, int | None, str]]:
    return [(p.line, p.column, p.code) for p in load_yaml_text(text, "f.yaml").problems]


# --- nesting ----------------------------------------------------------------------------------


def test_nesting_up_to_the_limit_loads_and_one_more_level_is_refused_where_it_starts() -> None:
    # the top-level mapping is the first level
    assert load_yaml_text("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), "f.yaml").problems == []
    assert codes("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) == [(1, 3 + MAX_DEPTH, "too-deep")]


def test_block_nesting_is_measured_too() -> None:
    ok = "".join(" " * i + "-\n" for i in range(MAX_DEPTH))
    assert load_yaml_text(ok, "f.yaml").problems == []
    assert codes(ok + " " * MAX_DEPTH + "-\n") == [(MAX_DEPTH + 1, MAX_DEPTH + 1, "too-deep")]
    assert codes("- " * (MAX_DEPTH + 1) + "x\n") == [(1, 2 * MAX_DEPTH + 1, "too-deep")]


def test_a_syntax_error_before_the_limit_is_reported_as_such() -> None:
    assert codes("a: [1, 2\nb: " + "[" * 100) == [(1, 4, "unclosed-bracket")]  # where the '[' opens


def test_the_real_data_is_proved_within_the_limits_without_a_second_parse() -> None:
    for path in sorted(glob.glob("data/*.yaml")):
        text = Path(path).read_text(encoding="utf-8")
        assert _surely_within_limits(text), path
        assert _check_characters(text, path) == ([], []), path


def _true_size(text: str) -> tuple[int, int]:
    """The deepest nesting and the number of values libyaml reaches before the end or its first error."""
    depth = deepest = values = 0
    try:
        for event in libyaml.parse(text, Loader=_Loader):
            if isinstance(event, libyaml.CollectionStartEvent):
                depth += 1
                values += 1
                deepest = max(deepest, depth)
            elif isinstance(event, libyaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, libyaml.ScalarEvent):
                values += 1
    except libyaml.YAMLError:
        pass
    return deepest, values


ADVERSARIAL = [
    '"]]]]" [[[[[[', "# ]]]]\n[[[[[[", "a: !t]]]] [[[[[[", "a: 'x'']]]' [[[[[[", '["\n]]]]\n" [[[[[[',
    "[a, 'b]]]]\n c' [[[[[[", "[!x]]]] [[[[[[", '["a\\"]]]]" [[[[[[', "- - - - - - x", "? - ? - ? - x",
    "a:\n- b:\n  - c:\n    - d", "[{[{[{a: b}]}]}]", "{a: [b, {c: [d]}]}", "|\n ]]]]\n[[[[[[",
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_the_pre_check_is_sound_on_texts_made_to_fool_it(text: str) -> None:
    deepest, values = _true_size(text)
    for limit in range(1, 8):
        if _surely_within_limits(text, depth=limit):
            assert deepest <= limit, (text, limit, deepest)
    for limit in range(1, 30):
        if _surely_within_limits(text, values=limit):
            assert values <= limit, (text, limit, values)


def test_the_pre_check_is_sound_on_random_texts() -> None:
    """Whenever counting says "within", libyaml agrees (small limits, so random texts pass them)."""
    rnd = random.Random(16)
    alphabet = "[]{}\"'#!\\ \n\t-:?,ab&*|>"
    checked = 0
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 40)))
        deepest, values = _true_size(text)
        depth, most = rnd.randrange(1, 6), rnd.randrange(1, 20)
        if _surely_within_limits(text, depth=depth, values=most):
            checked += 1
            assert deepest <= depth and values <= most, (text, depth, deepest, most, values)
    assert checked > 500


# --- numbers ----------------------------------------------------------------------------------


def test_numbers_up_to_the_limit_are_numbers_and_longer_ones_are_refused_where_they_are() -> None:
    assert load_yaml_text(f"a: {'9' * MAX_INT_DIGITS}\n", "f.yaml").data == {"a": int("9" * MAX_INT_DIGITS)}
    loaded = load_yaml_text(f"a: 1\nb: -{'1_2' * 11}\n", "f.yaml")
    [problem] = loaded.problems
    assert (problem.line, problem.column, problem.code) == (2, 4, "number-too-long")
    assert "22 digits" in problem.message and "quotes" in problem.hint
    assert codes(f"a: 0x{'f' * 21}\n") == [(1, 4, "number-too-long")]
    assert load_yaml_text(f"a: '{'9' * 5000}'\n", "f.yaml").problems == []  # quoted: text


def test_a_number_of_a_million_digits_is_not_converted() -> None:
    start = time.monotonic()
    value = resolve_scalar("7" * 1_000_000, "tag:yaml.org,2002:int", None)
    assert type(value) is LongNumber and value.digits == 1_000_000
    assert time.monotonic() - start < 1


# --- characters -------------------------------------------------------------------------------


@pytest.mark.parametrize(("char", "named"), [
    ("\x00", "U+0000 NULL"), ("\x01", "U+0001"), ("\x08", "U+0008 BACKSPACE"), ("\x0b", "U+000B LINE TABULATION"),
    ("\x0c", "U+000C FORM FEED"), ("\x1b", "U+001B ESCAPE"), ("\x7f", "U+007F DELETE"), ("\x85", "U+0085 NEXT LINE"),
    ("\x9f", "U+009F"), ("\u2028", "U+2028 LINE SEPARATOR"), ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"), ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"), ("\uffff", "U+FFFF"),
])
def test_a_refused_character_is_named_at_its_line_and_column(char: str, named: str) -> None:
    [problem] = load_yaml_text(f"a: 1\nbb: 'x{char}y'\n", "f.yaml").problems
    assert (problem.line, problem.column, problem.code) == (2, 7, "control-character")
    assert named in problem.message and problem.hint


@pytest.mark.parametrize("escape", ["\\u202e", "\\x01", "\\0", "\\e", "\\x85", "\\L", "\\U0000202E"])
def test_a_refused_character_written_as_an_escape_is_refused_at_its_value(escape: str) -> None:
    [problem] = load_yaml_text(f'a: 1\nb: "safe {escape} text"\n', "f.yaml").problems
    assert (problem.line, problem.column, problem.code) == (2, 4, "control-character")
    assert "backslash escape" in problem.message and "remove the escape" in problem.hint


def test_harmless_escapes_are_text() -> None:
    assert load_yaml_text('a: "tab\\there, \\"quoted\\" and \\u00e9"\n', "f.yaml").data == {
        "a": 'tab\there, "quoted" and \u00e9'}


def test_a_warning_does_not_keep_the_file_from_the_catalogue(minimal_project: Path) -> None:
    path = minimal_project / "data" / "people.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Dr Leah", "Dr\u200bLeah"), encoding="utf-8")
    result = validate(minimal_project / "data", root=minimal_project)
    assert not result.errors and [w.code for w in result.warnings] == ["invisible-character"]
    assert result.load.catalogue is not None


def test_tabs_in_values_joiners_and_direction_marks_are_allowed() -> None:
    text = "a: 'one\ttwo'\nb: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\nc: \U0001f469\u200d\U0001f4bb\nd: \u200fx\n"
    loaded = load_yaml_text(text, "f.yaml")
    assert loaded.problems == [] and loaded.data["a"] == "one\ttwo"


def test_a_byte_order_mark_at_the_start_is_allowed() -> None:
    assert load_yaml_text("\ufeffa: 1\n", "f.yaml").data == {"a": 1}


def test_a_zero_width_space_is_a_warning_and_the_file_still_loads() -> None:
    loaded = load_yaml_text("a: safety\u200bplanning\n", "f.yaml")
    [problem] = loaded.problems
    assert (problem.line, problem.column, problem.code, problem.severity.value) == (1, 10, "invisible-character",
                                                                                     "warning")
    assert "U+200B ZERO WIDTH SPACE" in problem.message
    assert loaded.data == {"a": "safety\u200bplanning"}


def test_many_control_characters_are_listed_up_to_the_limit_then_counted() -> None:
    problems = load_yaml_text("a: '" + "\x01" * (MAX_LISTED + 50) + "'\n", "f.yaml").problems
    assert [p.code for p in problems] == ["control-character"] * MAX_LISTED + ["too-many-problems"]
    assert "50 more 'control-character' problems" in problems[-1].message
    problems = load_yaml_text("\x00" * 1_000_000, "f.yaml").problems  # a binary file: counting stops
    assert problems[-1].message.startswith("at least ")


def test_the_excerpt_shows_control_characters_as_visible_symbols() -> None:
    loaded = load_yaml_text("a: 1\nb: 'x\x1b[31my'\n", "f.yaml")
    [problem] = attach_sources(loaded.problems, {"f.yaml": loaded.text})
    rendered = problem.render()
    assert "\x1b" not in rendered
    assert "    b: 'x\u241b[31my'\n" + " " * (4 + 5) + "^" in rendered  # column 6


def test_a_long_line_is_shown_around_its_column_with_the_caret_under_it() -> None:
    problem = Problem("f.yaml", 1, 5001, "x", "m", source_line="a" * 5000 + "B" + "c" * 5000)
    _, excerpt, caret, see = problem.render().split("\n")
    assert len(excerpt) < 110 and excerpt.index("B") == caret.index("^")
    assert see == "    see: CONTRIBUTING.md#x"


# --- documents and repeated problems -------------------------------------------------------------


def test_a_second_document_is_reported_at_its_line() -> None:
    [problem] = load_yaml_text("---\na: 1\n# more\n---\nb: 2\n", "f.yaml").problems
    assert (problem.line, problem.column, problem.code) == (4, 1, "many-documents")
    assert "second document" in problem.message and "remove the line '---'" in problem.hint


def test_repeated_problems_are_listed_up_to_the_limit() -> None:
    problems = load_yaml_text("a: 1\n" * (MAX_LISTED + 21), "f.yaml").problems  # the first is no duplicate
    assert [p.code for p in problems].count("duplicate-key") == MAX_LISTED
    assert problems[-1].code == "too-many-problems" and "20 more" in problems[-1].message
    text = "a: &x 1\n" + "b: *x\n" * (MAX_LISTED + 5)
    assert [p.code for p in load_yaml_text(text, "f.yaml").problems][-1] == "too-many-problems"


def test_a_big_mapping_locates_the_first_of_two_equal_keys() -> None:
    text = "m:\n" + "".join(f"  k{i}: {i}\n" for i in range(5000)) + "  k7: again\n"
    loaded = load_yaml_text(text, "f.yaml")
    assert loaded.locate(("m", "k7"), key=True).line == 9
    assert loaded.locate(("m", "k4999")).line == 5001


# --- reading the file -------------------------------------------------------------------------


def test_what_is_not_a_small_regular_file_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "dir.yaml").mkdir()
    os.symlink("b.yaml", tmp_path / "a.yaml")
    os.symlink("a.yaml", tmp_path / "b.yaml")
    os.symlink("nowhere.yaml", tmp_path / "dangling.yaml")
    with (tmp_path / "big.yaml").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    expected = {"fifo.yaml": ("not-a-file", "a named pipe (FIFO)"), "dir.yaml": ("not-a-file", "a folder"),
                "a.yaml": ("link-loop", "loop"), "dangling.yaml": ("unreadable", "'nowhere.yaml', which does not"),
                "big.yaml": ("file-too-large", "is 32.1 MB, over the limit of 32 MB")}
    for name, (code, says) in expected.items():
        raw, problem = read_bytes(tmp_path / name, name, within=tmp_path)
        assert raw is None and problem.code == code and says in problem.message, (name, problem)
        assert problem.line is None


def test_a_link_may_lead_anywhere_inside_the_project_but_not_out_of_it(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "data").mkdir(parents=True)
    (project / "shared").mkdir()
    outside.mkdir()
    (project / "shared" / "x.yaml").write_text("a: 1\n")
    (outside / "secret.yaml").write_text("password: hunter2\n")
    os.symlink("../shared/x.yaml", project / "data" / "in.yaml")
    os.symlink(outside / "secret.yaml", project / "data" / "out.yaml")
    os.symlink(outside, project / "data" / "folder")
    assert load_yaml(project / "data" / "in.yaml", within=project).data == {"a": 1}
    for path in (project / "data" / "out.yaml", project / "data" / "folder" / "secret.yaml"):
        loaded = load_yaml(path, "shown.yaml", within=project)
        assert [p.code for p in loaded.problems] == ["outside-link"] and loaded.text == ""
    assert display_path(project / "data" / "in.yaml", project) == "data/in.yaml"  # its own name, not its target's


def test_without_a_folder_links_must_stay_in_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "here").mkdir()
    (tmp_path / "there.yaml").write_text("a: 1\n")
    os.symlink("../there.yaml", tmp_path / "here" / "link.yaml")
    monkeypatch.chdir(tmp_path / "here")
    assert load_yaml(Path("link.yaml")).problems[0].code == "outside-link"
    monkeypatch.chdir(tmp_path)
    assert load_yaml(Path("here/link.yaml")).data == {"a": 1}


def test_a_data_folder_given_outside_the_current_folder_is_its_own_project(minimal_project: Path,
                                                                           monkeypatch) -> None:
    (minimal_project / "elsewhere").mkdir()
    monkeypatch.chdir(minimal_project / "elsewhere")  # root = the current folder, which does not hold the data
    os.replace(minimal_project / "data" / "people.yaml", minimal_project / "people.yaml")
    os.symlink("../people.yaml", minimal_project / "data" / "people.yaml")
    result = validate(minimal_project / "data", root=Path.cwd())
    assert not result.errors, [p.render() for p in result.errors]


# --- validating big files in parts --------------------------------------------------------------


PERSON = "  - id: person-{i}\n    name: Person {i}\n    group: core-staff\n    role: Research Fellow\n"


def _people(count: int, broken: dict[int, str]) -> str:
    return "people:\n" + "".join(broken.get(i, PERSON.format(i=i)) for i in range(count))


def _found(text: str) -> tuple[set[tuple], int]:
    loaded = load_yaml_text(text, "data/people.yaml")
    from hub.catalogue.model import PeopleFile
    _, problems, _ = load_module._validate(PeopleFile, loaded)
    return {(p.line, p.column, p.code, p.field, p.message) for p in problems}, loaded.values


BROKEN = {1: "  - id: Person-1\n    name: Person 1\n    group: staff\n    role: x\n",
          3: "  - id: person-3\n    nme: Person 3\n    group: core-staff\n    role: x\n",
          5: "  - just text\n"}


def test_a_big_file_validated_in_parts_reports_what_a_small_one_reports() -> None:
    small, small_values = _found(_people(10, BROKEN))
    big, big_values = _found(_people(5_000, BROKEN))
    assert small_values <= WHOLE_FILE_VALUES < big_values
    assert small and small == big


def test_a_record_over_the_limit_is_reported_not_validated() -> None:
    text = "people:\n  - id: x\n    name: [" + "a, " * MAX_RECORD_VALUES + "]\n"
    from hub.catalogue.model import PeopleFile
    _, problems, _ = load_module._validate(PeopleFile, load_yaml_text(text, "data/people.yaml"))
    assert [(p.line, p.column, p.code, p.field) for p in problems] == [(2, 5, "record-too-big", "people[0]")]


def test_problems_beyond_the_limit_are_counted_not_listed() -> None:
    from hub.catalogue.model import PeopleFile
    loaded = load_yaml_text("people: [" + "{}, " * 30_000 + "]\n", "data/people.yaml")
    _, problems, _ = load_module._validate(PeopleFile, loaded)
    required = 4  # id, name, group and role, for each of 30,000 empty records
    assert len(problems) == MAX_FILE_PROBLEMS + 1
    assert problems[-1].code == "too-many-problems"
    assert f"{30_000 * required - MAX_FILE_PROBLEMS:,} more" in problems[-1].message
