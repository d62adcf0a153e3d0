"""`hub validate` as editors and CI read it: the summary, the notices line, GitHub annotations and job summary."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINIMAL, run_hub


def broken_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    resources = data / "resources.yaml"
    resources.write_text(resources.read_text(encoding="utf-8").replace("type: paper", "type: papr", 1),
                         encoding="utf-8")
    return data


def test_notices_are_one_line_unless_asked_for(tmp_path):
    done = run_hub("validate", "--data", str(MINIMAL))
    assert done.returncode == 0
    assert "notices: 1 no-recording (nothing to fix now; --notices lists them)" in done.stderr
    assert "  tests/fixtures/minimal/events.yaml" not in done.stderr
    listed = run_hub("validate", "--data", str(MINIMAL), "--notices")
    assert "notices (1): nothing to fix now" in listed.stderr and "no recording or slides link yet" in listed.stderr
    assert "  see: CONTRIBUTING.md#no-recording" in listed.stderr


def test_a_file_that_cannot_be_read_is_named_not_counted_as_empty(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "events.yaml").write_text('events:\n  - id: x\n    title: "never closed\n', encoding="utf-8")
    done = run_hub("validate", "--data", str(data), cwd=tmp_path)
    assert done.returncode == 1
    assert "data/events.yaml could not be read (see the error above), so its records are not counted" in done.stderr
    assert "0 events" not in done.stderr and "0 talks" not in done.stderr


def test_github_format_annotates_each_problem_at_its_line_and_lists_all_in_the_job_summary(tmp_path):
    data = broken_copy(tmp_path)
    line = (data / "resources.yaml").read_text(encoding="utf-8").split("type: papr")[0].count("\n") + 1
    summary = tmp_path / "summary.md"
    done = run_hub("validate", "--data", str(data), "--format", "github", cwd=tmp_path,
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1
    (annotation,) = [x for x in done.stdout.splitlines() if x.startswith("::")]
    assert annotation.startswith(f"::error file=data/resources.yaml,line={line},col=")
    assert "title=enum::" in annotation and "%0Ahint: did you mean 'paper'?" in annotation
    assert "::the 3rd resource (stanley-2012-safety-planning): 'type' " in annotation
    assert annotation.endswith("%0Asee: CONTRIBUTING.md#enum")
    report = summary.read_text(encoding="utf-8")
    assert f"| `data/resources.yaml:{line}:" in report and "did you mean 'paper'?" in report
    assert "(`enum`)" in report
    assert "FAILED: 1 error(s)" in report


def test_a_link_report_is_never_written_over_the_data(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "data")
    before = (tmp_path / "data" / "resources.yaml").read_bytes()
    done = run_hub("check-links", "--json-out", "data/resources.yaml", "--no-cache", "--no-state", cwd=tmp_path)
    assert done.returncode == 2
    assert "--json-out data/resources.yaml: it is inside 'data/'" in done.stderr
    assert (tmp_path / "data" / "resources.yaml").read_bytes() == before
