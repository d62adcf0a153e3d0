"""`hub fmt --check` says each change in words at its line (issue #15, item 2), and on a pull request
it is advisory: warnings on the lines and in the job summary, never a failed check."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.catalogue.model import DATA_FILES
from hub.editor.changes import describe, visible_whitespace
from hub.editor.fmt import format_text

from .conftest import hub

PERSON = """people:
  - id: nav-kapur
    name: Professor Nav Kapur
    alt_names:
      - Nav Kapur
    group: expert-reference-panel
    role: Professor of Psychiatry and Population Health
"""


def changes(text: str, file: str = "people.yaml") -> list[str]:
    out, problems = format_text(text, file, DATA_FILES[file])
    assert not problems and out is not None
    return [f"{c.where()}: {c.text()}" for c in describe(text, out)]


@pytest.mark.parametrize("untidy, said", [
    (PERSON.replace("Professor Nav Kapur\n", "Professor Nav Kapur  \n"),
     "line 3: remove the 2 spaces at the end of this line (after 'name: Professor Nav Kapur')"),
    (PERSON.replace("Professor Nav Kapur\n", "Professor Nav Kapur\t\n"),
     "line 3: remove the tab at the end of this line (after 'name: Professor Nav Kapur')"),
    (PERSON.rstrip("\n"), "line 7: add a newline at the end of the file (after the last line)"),
    (PERSON.replace("      - Nav", "        - Nav"), "line 5: indent this line by 6 spaces, not 8"),
    (PERSON.replace("group: expert-reference-panel", "group: 'expert-reference-panel'"),
     "line 6: the quotes around this text are not needed: remove them"),
    (PERSON.replace("name:", "name:  "), "line 3: write one space after the colon (: )"),
    (PERSON.replace("      - Nav", "      -   Nav"), "line 5: write one space after the dash (- )"),
    (PERSON.replace("      - Nav", "\n      - Nav"), "line 5: remove this blank line"),
    (PERSON + "\n\n", "lines 8-9: remove these 2 blank lines at the end of the file"),
    (PERSON.replace("\n", "\r\n"), "line 1: the file has Windows line endings (CRLF): save it with Unix line "
                                   "endings (LF)"),
    ("\ufeff" + PERSON, "line 1: remove the invisible byte-order mark at the start of the file (save the file "
                        "as UTF-8 without BOM)"),
    (PERSON.replace("Professor Nav Kapur\n", "Professor Nav Kapur # the panel's chair\n"),
     "line 3: put two spaces (no more) before the # of the comment"),
    (PERSON.replace("Professor Nav Kapur\n", "Professor Nav Kapur  #the panel's chair\n"),
     "line 3: put a space after the # that starts the comment"),
])
def test_each_change_is_an_instruction_at_its_line(untidy, said):
    assert changes(untidy) == [said]


def test_a_link_followed_by_a_space():
    text = ("organisations:\n  - id: mind\n    name: Mind\n    description: A mental health charity.\n"
            "    url: https://www.mind.org.uk \n")
    assert changes(text, "organisations.yaml") == [
        "line 5: remove the space at the end of this line (after the link)"]


def test_a_phone_number_without_quotes():
    text = ("organisations:\n  - id: mind\n    name: Mind\n    description: A mental health charity.\n"
            "    phone: 0300 123 3393\n")
    assert changes(text, "organisations.yaml") == [
        'line 5: a phone number is always written in double quotes: "0300 123 3393"']


def test_a_run_of_lines_indented_alike_is_one_change():
    untidy = "people:\n" + "".join(line[2:] + "\n" for line in PERSON.split("\n")[1:-1])
    assert changes(untidy) == ["lines 2-7: indent each of these 6 lines by 2 more spaces (line 2: 2 spaces, not 0)"]


def test_fields_out_of_order_are_moved_in_words():
    swapped = PERSON.replace("    group: expert-reference-panel\n    role: Professor of Psychiatry and Population "
                             "Health\n", "    role: Professor of Psychiatry and Population Health\n"
                             "    group: expert-reference-panel\n")
    said = changes(swapped)
    assert len(said) == 1 and said[0].startswith("lines 6-7: put these lines in the order shown"), said
    assert "write:     group: expert-reference-panel" in said[0] and "field reference" in said[0]
    far = PERSON.replace("    name: Professor Nav Kapur\n", "") + "    name: 'Professor Nav Kapur'\n"
    assert changes(far) == ["line 7: move this line below line 2 (- id: nav-kapur) (fields go in the order of the "
                            "field reference in CONTRIBUTING.md); also: the quotes around this text are not "
                            "needed: remove them"]


def test_a_long_text_and_a_flow_list_are_shown_as_they_should_be_written():
    text = ("resources:\n  - id: x\n    type: website\n    title: X\n    summary: " + "word " * 30 + "end\n"
            "    audience:\n      - adults\n    topics: [a, b]\n    added: 2024-01-01\n")
    said = changes(text, "resources.yaml")
    assert said[0].startswith("line 5: this text is longer than 100 characters: write it as a folded block")
    assert "write:     summary: >-" in said[0]
    assert said[1].startswith("line 8: write this list one item per line, each starting with '- ', as shown")
    assert "write:       - a" in said[1]


def test_what_cannot_be_named_is_shown_with_visible_whitespace():
    assert visible_whitespace("title: x \t") == "title: x·→"
    assert visible_whitespace("a\u00a0b") == "a⍽b"
    assert visible_whitespace("") == "(an empty line)"
    assert visible_whitespace("x\u200b") != visible_whitespace("x")


def _untidy_project(project: Path) -> tuple[Path, int]:
    path = project / "data" / "people.yaml"
    text = path.read_text()
    lines = text.split("\n")
    line = next(i for i, x in enumerate(lines) if x.startswith("    role:")) + 1
    lines[line - 1] += "  "
    path.write_text("\n".join(lines))
    return path, line


def test_advisory_github_format_warns_on_the_lines_and_in_the_job_summary(project, monkeypatch):
    path, line = _untidy_project(project)
    before = path.read_text()
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = hub("fmt", "--advisory", "--format", "github")
    assert run.code == 0, run.output  # layout never fails a pull request
    warnings = run.stdout.strip().split("\n")
    assert f"::warning file=data/people.yaml,line={line},title=Layout (hub fmt)::remove the 2 spaces at the end " \
           "of this line" in warnings[0]
    assert "::error" not in run.stdout
    report = summary.read_text()
    assert report.startswith("### Layout check (`python -m hub fmt --check`)")
    assert f"| `data/people.yaml:{line}` | remove the 2 spaces at the end of this line" in report
    assert "stays green" in report and "python -m hub fmt" in report
    assert path.read_text() == before  # advisory writes nothing
    assert hub("fmt", "--check", "--format", "github").code == 1  # without --advisory, as pre-commit uses it


def test_advisory_reports_a_file_it_cannot_read_as_a_warning(project):
    path = project / "data" / "people.yaml"
    path.write_text(path.read_text() + "    role: Research Fellow\n")
    run = hub("fmt", "--advisory", "--format", "github")
    assert run.code == 0
    assert "::warning file=data/people.yaml,line=" in run.stdout
    assert "the layout was not checked" in run.stdout and "Data check" in run.stdout


def test_the_pull_request_runs_the_layout_check_as_advisory():
    from ruamel.yaml import YAML

    from .conftest import ROOT

    workflow = YAML(typ="safe", pure=True).load((ROOT / ".github" / "workflows" / "pr.yml").read_text())
    job = workflow["jobs"]["layout"]
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "hub fmt --check --advisory --format github" in runs
    tests = " ".join(step.get("run", "") for step in workflow["jobs"]["tests"]["steps"])
    assert "fmt" not in tests
