"""`hub fmt` on files: --check for CI and pre-commit, writing, refusing what it cannot read,
and the real data being a fixed point."""

from __future__ import annotations

from pathlib import Path

from hub.editor.fmt import format_file, format_text, model_for

from .conftest import ROOT, hub


def test_check_passes_on_a_canonical_project(project):
    run = hub("fmt", "--check")
    assert run.code == 0, run.output
    assert "9 files would be left unchanged." in run.stderr


def test_check_reports_the_diff_and_fails_without_writing(project):
    path = project / "data" / "people.yaml"
    before = path.read_text().replace("    group: core-staff\n", "") + "    group: 'core-staff'\n"
    path.write_text(before)
    run = hub("fmt", "--check")
    assert run.code == 1
    line = before.split("\n").index("    group: 'core-staff'") + 1
    assert "would reformat data/people.yaml:\n" \
        f"data/people.yaml:{line}: move this line below line 5 (name: Dr Leah Quinlivan) (fields go in the " \
        "order of the field reference in CONTRIBUTING.md); also: the quotes around this text are not needed: " \
        "remove them\n" in run.stderr
    assert "@@" not in run.output  # the changes in words, not as a diff
    assert "1 file would be reformatted, 8 files would be left unchanged." in run.stderr
    assert "see 'Layout: what hub fmt does' in CONTRIBUTING.md" in run.stderr
    assert path.read_text() == before
    diff = hub("fmt", "--check", "--diff")
    assert "+    group: core-staff" in diff.stdout and "-    group: 'core-staff'" in diff.stdout


def test_fmt_writes_then_is_a_no_op(project):
    path = project / "data" / "people.yaml"
    path.write_text(path.read_text().replace("group: core-staff", "group: 'core-staff'"))
    first = hub("fmt")
    assert first.code == 0 and "reformatted data/people.yaml" in first.stderr
    assert "group: core-staff\n" in path.read_text()
    second = hub("fmt", "--check")
    assert second.code == 0, second.output


def test_a_file_that_cannot_be_parsed_is_reported_and_left_alone(project):
    path = project / "data" / "people.yaml"
    broken = path.read_text() + "    role: Research Fellow\n"  # the same field twice
    path.write_text(broken)
    events = project / "data" / "events.yaml"
    events.write_text(events.read_text().replace("phase: 2", "phase:  2", 1))
    run = hub("fmt")
    assert run.code == 1
    assert "cannot format data/people.yaml; it was left unchanged:\n" \
        "data/people.yaml:8:5: error: the 1st person: the field 'role' appears twice" in run.stderr
    assert "    role: Research Fellow" in run.stderr and "    ^" in run.stderr  # the line and a caret
    assert "hint: delete one of the two 'role:' lines" in run.stderr
    assert "Traceback" not in run.output
    assert path.read_text() == broken
    assert "phase: 2" in events.read_text()  # the other files are still formatted


def test_named_files_and_crlf_line_endings(project):
    path = project / "data" / "people.yaml"
    path.write_bytes(path.read_text().replace("\n", "\r\n").encode())
    run = hub("fmt", "--check", "data/people.yaml")
    assert run.code == 1 and "would reformat data/people.yaml" in run.stderr
    assert hub("fmt", "data/people.yaml").code == 0
    assert b"\r\n" not in path.read_bytes()


def test_fmt_on_the_real_data_and_editorial_files_is_safe_and_a_fixed_point():
    """`hub fmt` can format every real file, and a second run changes nothing. Whether the files are in
    canonical layout now is not asserted: that is the pull request's advisory Layout check, never a
    test, so that layout never blocks an editor's pull request (issue #15)."""
    paths = sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "editorial").glob("*.yaml"))
    assert len(paths) >= 9
    for path in paths:
        result = format_file(path, path.name)
        assert not result.problems, [p.render() for p in result.problems]
        if result.changed:  # unchanged text is trivially a fixed point
            again, _ = format_text(result.after, path.name, model_for(path))
            assert again == result.after, f"{path.name}: formatting is not idempotent"


def test_fmt_brings_back_the_real_events_file_from_an_untidy_copy():
    """Twice the indentation, and wider dashes: fmt restores the canonical text, comments, folds and all."""
    real = (ROOT / "data" / "events.yaml").read_text()
    canonical, problems = format_text(real, "events.yaml", model_for(Path("events.yaml")))
    assert not problems and canonical
    untidy = "\n".join(_untidy(line) for line in canonical.split("\n"))
    assert untidy != canonical
    out, problems = format_text(untidy, "events.yaml", model_for(Path("events.yaml")))
    assert not problems
    assert out == canonical


def _untidy(line: str) -> str:
    """Twice the indentation, and three spaces after each dash, so the items' fields still line up."""
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if stripped.startswith("- "):
        stripped = "-   " + stripped[2:]
    return " " * (indent * 2) + stripped if stripped else line
