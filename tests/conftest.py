"""Shared fixtures: small real projects on disk and the hub run as editors run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A project folder whose data/ is a copy of the minimal valid catalogue."""
    shutil.copytree(MINIMAL, tmp_path / "data")
    return tmp_path


def run_hub(*args: str, cwd: Path | None = None, input: str | None = None,
            env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m hub …` in a subprocess, exactly as editors and CI do."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "hub", *args], cwd=cwd or ROOT, input=input, text=True,
        capture_output=True, env=full_env, timeout=timeout,
    )

# The end-to-end figures (page weights, axe, Lighthouse) at the end of `make test`:
# under pytest-xdist only this top-level conftest is loaded by the controller.
from tests.e2e.summary import pytest_terminal_summary  # noqa: E402, F401
