"""No command deletes what it did not create; a build killed at any moment leaves the old site whole.

Real builds (`python -m hub build` in a subprocess), real signals, real
concurrent processes. The project is a copy of mkdocs.yml, content/ and
overrides/ with the fixture data, so nothing of the checkout is at risk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hub.outputs import MARKER
from tests.conftest import ROOT
from tests.site.conftest import BUILD_DATE, FIXTURE_DATA

pytestmark = pytest.mark.xdist_group("publish")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(FIXTURE_DATA, root / "data")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def hub(project: Path, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "hub", "build", "--build-date", BUILD_DATE.isoformat(), *args],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **popen)


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    proc = hub(project, *args)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- no command deletes what it did not create ----------------------------------------------


@pytest.mark.parametrize("target", ["data", ".", "..", "content", "content/assets", "overrides", ".git",
                                    "data/schema", "elsewhere"])
def test_site_dir_that_holds_other_files_is_refused_and_nothing_is_touched(project, target):
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "notes.txt").write_text("mine")
    before = {name: digest(project / name) for name in ("data", "content", "overrides", ".git", "elsewhere")}
    done = run(project, "--site-dir", target)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"--site-dir {target}:" in done.stderr
    assert "Traceback" not in done.stderr
    assert {name: digest(project / name) for name in before} == before
    assert not list(project.glob(".site-build-*"))


def test_a_folder_the_hub_built_is_replaced(project):
    first = run(project, "--site-dir", "public")
    assert first.returncode == 0, first.stderr
    assert (project / "public" / MARKER).is_file()
    (project / "public" / "stale.html").write_text("from an older build")
    second = run(project, "--site-dir", "public")
    assert second.returncode == 0, second.stderr
    assert not (project / "public" / "stale.html").exists()


def test_an_empty_folder_may_be_used(project):
    (project / "out").mkdir()
    assert run(project, "--site-dir", "out").returncode == 0


# --- killed builds ---------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Every live process whose parent chain reaches `pid` (from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, parent in parents.items() if parent == current]
        found += kids
        frontier += kids
    return found


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_build_killed_at_any_moment_leaves_the_old_site_whole_and_no_process(project, engine, how):
    first = run(project, "--engine", engine)
    assert first.returncode == 0, first.stderr
    old = tree(project / "site")
    # Kill at several moments: while loading, rendering, while the engine runs, near the swap.
    for delay in (0.3, 1.0, 1.8):
        proc = hub(project, "--engine", engine, start_new_session=True)
        time.sleep(delay)
        kids = children_of(proc.pid)
        os.kill(proc.pid, how)
        out, err = proc.communicate(timeout=60)
        current = tree(project / "site")
        differ = sorted(k for k in current.keys() | old.keys() if current.get(k) != old.get(k))
        assert current == old or (proc.returncode == 0 and (project / "site" / MARKER).is_file()), \
            (delay, proc.returncode, differ[:10])
        old = current
        assert "Traceback" not in err, err
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{k}").exists() for k in kids):
            time.sleep(0.1)
        left = [k for k in kids if Path(f"/proc/{k}").exists()
                and "zombie" not in Path(f"/proc/{k}/status").read_text().lower()]
        assert left == [], f"processes left behind after {how.name} at {delay} s: {left}"
    # The next build removes what the killed ones left, and leaves nothing of its own.
    final = run(project, "--engine", engine)
    assert final.returncode == 0, final.stderr
    assert not list(project.glob(".site-build-*"))


def test_the_work_folders_of_dead_builds_are_removed_by_the_next_build(project):
    proc = hub(project)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(project.glob(".site-build-*/docs")):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert list(project.glob(".site-build-*")), "a SIGKILLed build leaves its work folder"
    mine = project / ".site-build-notmine"
    mine.mkdir()  # looks like a work folder, but no build created it (no lock file beside it): not removed
    done = run(project)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in project.glob(".site-build-*")] == [mine.name]


# --- two builds at once ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_build_of_the_same_site_is_refused_while_the_first_runs(project):
    first = run(project)
    assert first.returncode == 0
    results = []
    for _ in range(3):  # try a few times: the second must start while the first holds the lock
        a = hub(project)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(project.glob(".site-build-*/docs")):
            time.sleep(0.01)
        b = run(project)
        a_out, a_err = a.communicate(timeout=300)
        results.append((a.returncode, b.returncode, b.stderr))
        if b.returncode == 2:
            break
    a_code, b_code, b_err = results[-1]
    assert a_code == 0
    assert b_code == 2 and "another build is writing site/ right now" in b_err, results
    assert (project / "site" / MARKER).is_file() and (project / "site" / "index.html").is_file()
    assert not list(project.glob(".site-build-*"))


def test_the_swap_never_leaves_the_site_missing(project):
    """While builds run back to back, a reader polling site/index.html always finds it."""
    assert run(project).returncode == 0
    missing = 0
    builds = [hub(project) for _ in range(1)]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(b.poll() is None for b in builds):
        if not (project / "site" / "index.html").is_file():
            missing += 1
    for b in builds:
        b.communicate(timeout=60)
        assert b.returncode == 0
    assert missing == 0
