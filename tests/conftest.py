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

@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook
def pytest_collection_modifyitems(config, items) -> None:
    # Every suite's xdist_group (the site build, the browser tests), not just one folder's.
    _xdist_groups_for_pytest_9(config, items)


def _xdist_groups_for_pytest_9(config, items) -> None:
    """Make `--dist loadgroup` honour `xdist_group("e2e")` under pytest 9.2.

    pytest-xdist 3.8 (the newest) groups tests by appending "@group" to
    `item._nodeid`, but pytest 9.2 builds `item.nodeid` from `item._id`, so
    the suffix is lost and the e2e tests were spread over both workers (two
    builds, two browsers, Lighthouse beside the axe runs). This sets the
    suffix where pytest 9.2 reads it; it does nothing once xdist's own hook
    works again (the suffix is then already there) or on an older pytest.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # pytest before 9.2: xdist's own hook works
        return
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        group = mark and (mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        if group and not item.nodeid.endswith(f"@{group}"):
            item._id = coerce_node_id(f"{item.nodeid}@{group}")


# The end-to-end figures (page weights, axe, Lighthouse) at the end of `make test`:
# under pytest-xdist only this top-level conftest is loaded by the controller.
from tests.e2e.summary import pytest_terminal_summary  # noqa: E402, F401
