"""Every rejection rule of `hub validate`, one small case file each (Black-style data-driven tests).

A case file in tests/cases/validate/ names the data file it replaces in the
minimal valid catalogue (`# file:`), and lists the exact problems expected
in that file (`# expect: LINE:COL CODE FIELD`, `-` for no field), plus text
that the message or hint must contain (`# message:`, `# hint:`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hub.catalogue.checks import validate
from tests.conftest import run_hub

CASES = sorted((Path(__file__).parent.parent / "cases" / "validate").glob("*.yaml"))


def parse_case(path: Path) -> tuple[str, set[tuple], list[str], list[str]]:
    text = path.read_text(encoding="utf-8")
    target = re.search(r"^# file: (\S+)$", text, re.M).group(1)
    expected = {
        (int(m[0]), int(m[1]), m[2], "" if m[3] == "-" else m[3])
        for m in re.findall(r"^# expect: (\d+):(\d+) (\S+) (\S+)$", text, re.M)
    }
    messages = re.findall(r"^# message: (.+)$", text, re.M)
    hints = re.findall(r"^# hint: (.+)$", text, re.M)
    return target, expected, messages, hints


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case(case: Path, minimal_project: Path) -> None:
    target, expected, messages, hints = parse_case(case)
    (minimal_project / "data" / target).write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
    result = validate(minimal_project / "data", root=minimal_project)
    shown = f"data/{target}"
    errors = [p for p in result.errors if p.file == shown]
    found = {(p.line, p.column, p.code, p.field) for p in errors}
    assert found == expected, "\n".join(p.render() for p in errors)
    assert result.failed()
    for text in messages:
        assert any(text in p.message for p in errors), f"no message contains {text!r}"
    for text in hints:
        assert any(text in p.hint for p in errors), f"no hint contains {text!r}"


def test_minimal_catalogue_is_valid(minimal_project: Path) -> None:
    result = validate(minimal_project / "data", root=minimal_project)
    assert not result.errors and not result.warnings, [p.render() for p in result.problems]
    assert result.load.catalogue is not None


def test_every_problem_is_reported_not_just_the_first(minimal_project: Path) -> None:
    """Errors in three files and several records come out in one run."""
    data = minimal_project / "data"
    people = data / "people.yaml"
    people.write_text(people.read_text().replace("group: core-staff", "group: staff")
                      .replace("role: Research Fellow", "rol: Research Fellow"))
    events = data / "events.yaml"
    events.write_text(events.read_text().replace("2022-06-23\n", "2022-06-31\n"))
    helplines = data / "helplines.yaml"
    helplines.write_text(helplines.read_text().replace("how: phone", "how: pigeon"))
    result = validate(data, root=minimal_project)
    codes = {(p.file, p.code) for p in result.errors}
    assert ("data/people.yaml", "enum") in codes
    assert ("data/people.yaml", "extra-forbidden") in codes  # 'rol' for 'role': one problem, not also 'missing'
    assert ("data/events.yaml", "date-from-datetime-parsing") in codes
    assert ("data/helplines.yaml", "enum") in codes


def test_not_utf8_is_located(minimal_project: Path) -> None:
    path = minimal_project / "data" / "people.yaml"
    path.write_bytes(path.read_bytes().replace(b"Dr Leah", "Dr L\xe9ah".encode("latin-1")))
    result = validate(minimal_project / "data", root=minimal_project)
    [problem] = result.errors
    assert (problem.file, problem.line, problem.column, problem.code) == ("data/people.yaml", 4, 15, "not-utf8")
    assert "UTF-8" in problem.hint


def test_windows_line_endings_and_bom_are_accepted(minimal_project: Path) -> None:
    for path in (minimal_project / "data").glob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = validate(minimal_project / "data", root=minimal_project)
    assert not result.errors, [p.render() for p in result.errors]


def test_missing_and_stray_files(minimal_project: Path) -> None:
    data = minimal_project / "data"
    (data / "people.yaml").unlink()
    (data / "peple.yaml").write_text("people: []\n")
    result = validate(data, root=minimal_project)
    assert {(p.file, p.code, p.severity.value) for p in result.problems if p.code != "no-recording"} >= {
        ("data/people.yaml", "missing-file", "error"),
        ("data/peple.yaml", "unknown-file", "warning"),
    }


def test_resource_not_placed_is_a_warning_and_strict_fails(minimal_project: Path) -> None:
    path = minimal_project / "data" / "resources.yaml"
    path.write_text(path.read_text().replace("          - stanley-2012-safety-planning\n", ""))
    result = validate(minimal_project / "data", root=minimal_project)
    assert not result.errors
    [warning] = result.warnings
    assert (warning.code, warning.field) == ("not-placed", "resources[2]")
    assert not result.failed() and result.failed(strict=True)


def test_record_without_link_is_a_notice(minimal_project: Path) -> None:
    path = minimal_project / "data" / "resources.yaml"
    path.write_text(path.read_text().replace("    doi: 10.1016/j.cbpra.2011.01.001\n", ""))
    result = validate(minimal_project / "data", root=minimal_project)
    assert not result.errors and not result.warnings
    assert any(n.code == "no-link" and "stanley-2012-safety-planning" in n.message for n in result.notices)
    assert result.without_link == ["stanley-2012-safety-planning"]


def test_cli_prints_located_problems_with_caret_and_no_traceback(minimal_project: Path) -> None:
    path = minimal_project / "data" / "people.yaml"
    path.write_text(path.read_text().replace("role: Research Fellow", "titel: Research Fellow"))
    proc = run_hub("validate", cwd=minimal_project)
    assert proc.returncode == 1
    err = proc.stderr
    assert "data/people.yaml:6:5: error: the 1st person (leah-quinlivan): unknown field 'titel'" in err
    assert "    titel: Research Fellow\n        ^" in err
    assert "    see: CONTRIBUTING.md#extra-forbidden\n" in err
    assert "Traceback" not in err
    assert "FAILED: 2 error(s)" in err  # 'titel' is not a misspelt 'role', so 'role' is missing too


def test_cli_exit_codes(minimal_project: Path) -> None:
    assert run_hub("validate", cwd=minimal_project).returncode == 0
    assert run_hub("validate", "--no-such-flag", cwd=minimal_project).returncode == 2
    proc = run_hub("validate", "--format", "json", cwd=minimal_project)
    assert proc.returncode == 0 and '"ok": true' in proc.stdout


def test_unexpected_failure_is_one_sentence_not_a_traceback(minimal_project: Path) -> None:
    """A bug must not dump a traceback on an editor (here: data/ is a file, not a folder)."""
    proc = run_hub("validate", "--data", "data/people.yaml", cwd=minimal_project)
    assert proc.returncode in (1, 2)
    assert "Traceback" not in proc.stderr



def _real_data(tmp_path: Path) -> Path:
    """A copy of the project's data folder, to break one thing in."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data", data)
    return data

@pytest.mark.parametrize("written, hint", [
    ("nice-cg1", ""),  # nice-cg16 is the record itself: never suggested
    ("nice-ng25", "did you mean 'nice-ng225'?"),  # a slip in the number is a typo
    ("nice-ngg225", "did you mean 'nice-ng225'?"),
])
def test_a_reference_is_never_pointed_at_its_own_record(tmp_path, written, hint):
    data = _real_data(tmp_path)
    path = data / "resources.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: nice-cg16\n")
    end = text.index("superseded_by: nice-ng225", start)
    path.write_text(text[:end] + f"superseded_by: {written}" + text[end + len("superseded_by: nice-ng225"):],
                    encoding="utf-8")
    problems = [p for p in validate(data, root=tmp_path).errors if p.code == "unknown-reference"]
    assert len(problems) == 1 and problems[0].hint.startswith(hint), problems
    assert "'nice-cg16'" not in problems[0].hint


@pytest.mark.parametrize("after, line, hint", [
    ("    phase: 1\n", "    person: nav-kapur\n",
     "'person' is a field of each item under 'talks:': indent it to line up with that item's other fields"),
    ("        speaker: Nav Kapur\n", "        phase: 1\n",
     "'phase' is a field of the record above this list (not of each item in 'talks:'): line it up with"),
])
def test_a_field_at_the_wrong_level_says_where_it_belongs(tmp_path, after, line, hint):
    data = _real_data(tmp_path)
    path = data / "events.yaml"
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + line, 1), encoding="utf-8")
    [problem] = validate(data, root=tmp_path).errors
    assert problem.code == "extra-forbidden" and problem.hint.startswith(hint), problem


def test_an_unquoted_helpline_number_is_an_error_not_a_lost_leading_zero(tmp_path):
    """`contact: 08001111` read as a number would show 8001111 on every page: it is refused, with the fix."""
    data = _real_data(tmp_path)
    path = data / "helplines.yaml"
    text = path.read_text(encoding="utf-8")
    quoted = re.search(r'\n    contact: "(0[0-9 ]+)"\n', text)
    assert quoted, "the real helplines have a number starting with 0"
    bare = quoted[1].replace(" ", "")
    path.write_text(text.replace(quoted[0], f"\n    contact: {bare}\n", 1), encoding="utf-8")
    [problem] = validate(data, root=tmp_path).errors
    assert problem.code == "string-type" and f'"{bare}"' in problem.hint, problem


def test_a_removed_record_is_not_replaced_by_another_in_the_hint(tmp_path):
    """nice-ng225 renamed: its references are not told 'did you mean nice-cg16' (another guideline)."""
    data = _real_data(tmp_path)
    path = data / "resources.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: nice-ng225\n", "  - id: zz-renamed\n", 1),
                    encoding="utf-8")
    problems = [p for p in validate(data, root=tmp_path).errors if p.code == "unknown-reference"]
    assert len(problems) == 4
    for problem in problems:
        assert problem.hint.startswith("if the resource was removed or renamed, remove or update this line; "
                                       "the nearest id, 'nice-cg"), problem.hint


def test_a_duplicate_id_across_files_is_not_told_to_delete_a_copy(tmp_path):
    """An organisation reusing a resource's id is another record: the hint is to choose a new id."""
    data = _real_data(tmp_path)
    path = data / "organisations.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"\n  - id: ([a-z0-9-]+)\n", text)
    path.write_text(text.replace(first[0], "\n  - id: nice-ng225\n", 1), encoding="utf-8")
    duplicates = [p for p in validate(data, root=tmp_path).errors if p.code == "duplicate-id"]
    assert duplicates and all(p.hint == "ids are shared by every data file: choose a new id such as 'nice-ng225-2'"
                              for p in duplicates), duplicates
