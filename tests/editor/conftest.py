"""Fixtures of the editor-workflow tests: small projects on disk, the hub run as editors run it,
and a local server that answers like the Crossref REST API."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from hub.cli import cli

from .crossref_server import CrossrefServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2026-11-23"
"""The date the fixtures are written for (`--today`)."""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def hub(*args: str, input: str | None = None) -> Run:
    """Run a hub command in this process (click's runner), in the current directory."""
    result = CliRunner().invoke(cli, list(args), input=input, standalone_mode=False)
    exc = result.exception
    if isinstance(exc, (click.ClickException, click.exceptions.Abort)):
        code = 2
    elif exc is not None and not isinstance(exc, SystemExit):
        raise exc
    else:
        code = int(result.return_value) if result.return_value is not None else 0
    stderr = result.stderr
    if isinstance(exc, click.ClickException):
        stderr += exc.format_message()
    return Run(code, result.stdout, stderr)


def run_hub(*args: str, cwd: Path, input: str | None = None, env: dict | None = None) -> Run:
    """Run `python -m hub …` in a subprocess, exactly as editors and CI do."""
    done = subprocess.run([sys.executable, "-m", "hub", *args], cwd=cwd, input=input, text=True,
                          capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder (data/ from fixtures/project, the repository's editorial/), as the working directory."""
    shutil.copytree(FIXTURES / "project" / "data", tmp_path / "data")
    shutil.copytree(ROOT / "editorial", tmp_path / "editorial")
    # The real acknowledgements name the real catalogue's ids, which `hub validate` checks (issue #15).
    settings = tmp_path / "editorial" / "review.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.split("\n# Records that look alike")[0].rstrip() + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def review_project(project: Path) -> Path:
    """The project with the review tests' resources.yaml (and no acknowledged citations)."""
    shutil.copy(FIXTURES / "review" / "resources.yaml", project / "data" / "resources.yaml")
    settings = project / "editorial" / "review.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.split("\n# Citations of superseded guidance")[0].rstrip() + "\n", encoding="utf-8")
    return project


@pytest.fixture
def real_project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the repository's real data and editorial files, as the working directory."""
    (tmp_path / "data").mkdir()
    for path in (ROOT / "data").glob("*.yaml"):
        shutil.copy(path, tmp_path / "data" / path.name)
    shutil.copytree(ROOT / "editorial", tmp_path / "editorial")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def use_crossref_at(url: str) -> None:
    """Point the project in the current folder at `url`, as editors would: `crossref.base_url` in review.yaml."""
    settings = Path("editorial") / "review.yaml"
    if settings.is_file() and Path.cwd().resolve() != ROOT.resolve():  # a test project's copy, never the repo's
        text = settings.read_text(encoding="utf-8")
        # After timeout_seconds, where `hub fmt` puts it (the model's field order).
        text = re.sub(r"(\ncrossref:\n(?:  .*\n|\s*#.*\n)*?  timeout_seconds: .*\n)", rf"\1  base_url: {url}\n", text, count=1)
        settings.write_text(text, encoding="utf-8")


@pytest.fixture
def crossref():
    """The local Crossref server; the project's editorial/review.yaml points at it (when there is a project)."""
    with CrossrefServer() as server:
        use_crossref_at(server.url)
        yield server


@pytest.fixture
def offline() -> str:
    """A Crossref address where nothing listens (a port just freed), as when the machine is offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    use_crossref_at(url)
    return url


def added_lines_only(before: str, after: str) -> list[str]:
    """The lines added to ``before`` to give ``after``; fails if anything else changed."""
    import difflib

    old, new = before.split("\n"), after.split("\n")
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), f"lines changed or removed: {old[i1:i2]} → {new[j1:j2]}"
        if tag == "insert":
            added += new[j1:j2]
    return added
