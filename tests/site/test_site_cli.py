"""`hub build` end to end: failures leave site/ alone, speak in sentences, and both engines build.

Each test runs `python -m hub build` in a subprocess, as `make site` does.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hub.catalogue.checks import validate
from hub.outputs import MARKER
from hub.render.paths import entry_urls
from hub.site.publish import swap_into_place
from tests.conftest import ROOT, run_hub
from tests.site.conftest import FIXTURE_DATA, BuiltSite, build, load_fixture


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def copy_project(tmp_path: Path) -> Path:
    """mkdocs.yml, content/ and overrides/ in a folder of their own (a second project)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    return project


def previous_site(site_dir: Path) -> None:
    """A folder as an earlier `hub build` left it (its marker file and one page)."""
    site_dir.mkdir()
    (site_dir / MARKER).write_text("built by the hub")
    (site_dir / "marker.txt").write_text("the previous site")


def test_swap_replaces_the_site_and_leaves_the_old_one_in_the_work_folder(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    work = tmp_path / "work"
    new = work / "site"
    new.mkdir(parents=True)
    (new / "index.html").write_text("new")
    swap_into_place(new, target, work)
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "work"]
    assert [p.name for p in new.iterdir()] == ["old.html"]  # exchanged, to be removed with the work folder


def test_build_help_is_available():
    proc = run_hub("build", "--help")
    text = " ".join(proc.stdout.split())
    assert proc.returncode == 0 and "--engine" in text and "left as it was" in text


@pytest.mark.slow
@pytest.mark.xdist_group("site-cli")
def test_a_data_error_stops_the_build_and_leaves_the_previous_site(tmp_path):
    site_dir = tmp_path / "site"
    first = build(site_dir)
    assert first.returncode == 0, first.stderr
    before = tree_digest(site_dir)

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    resources = data / "resources.yaml"
    text = resources.read_text(encoding="utf-8")
    resources.write_text(text.replace("    type: infographic\n", "    type: infographik\n"), encoding="utf-8")
    line = text[:text.index("    type: infographic\n")].count("\n") + 1

    second = build(site_dir, data=data)
    assert second.returncode == 1
    assert f"resources.yaml:{line}:11: error: the 11th resource (" in second.stderr
    assert "hint: did you mean 'infographic'?" in second.stderr
    assert "Build stopped: the data has errors" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert tree_digest(site_dir) == before


@pytest.mark.xdist_group("site-cli")
def test_a_cross_file_error_stops_the_build_before_rendering(tmp_path):
    # An unknown topic would make the renderer fail: the build must report
    # the data, not the renderer.
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    resources = data / "resources.yaml"
    text = resources.read_text(encoding="utf-8")
    resources.write_text(text.replace("    topics: [assessment, risk-scales]\n",
                                      "    topics: [assessment, no-such-topic]\n", 1), encoding="utf-8")
    line = text[:text.index("    topics: [assessment, risk-scales]\n")].count("\n") + 1
    site_dir = tmp_path / "site"
    previous_site(site_dir)

    proc = build(site_dir, data=data)
    assert proc.returncode == 1
    assert f"resources.yaml:{line}:" in proc.stderr and "no-such-topic" in proc.stderr
    assert "Build stopped: the data has errors" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout and "internal error" not in proc.stderr
    assert sorted(p.name for p in site_dir.iterdir()) == [MARKER, "marker.txt"]


@pytest.mark.slow
@pytest.mark.xdist_group("site-cli")
def test_a_generator_warning_stops_the_build_with_a_sentence(tmp_path):
    project = copy_project(tmp_path)
    (project / "content" / "about.md").write_text("# About\n\nSee [a page that is missing](missing.md).\n")
    site_dir = tmp_path / "site"
    previous_site(site_dir)
    proc = build(site_dir, "--config", str(project / "mkdocs.yml"))
    assert proc.returncode == 1
    assert "WARNING: Doc file 'about.md' contains a link 'missing.md'" in proc.stderr
    assert "Build stopped: MkDocs could not build the site" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in site_dir.iterdir()) == [MARKER, "marker.txt"]
    assert not list(project.glob(".site-build-*")), "the work folder is removed"


@pytest.mark.slow
@pytest.mark.xdist_group("site-cli")
def test_content_cannot_override_a_generated_page(tmp_path):
    project = copy_project(tmp_path)
    (project / "content" / "browse.md").write_text("# Mine\n")
    proc = build(tmp_path / "site", "--config", str(project / "mkdocs.yml"))
    assert proc.returncode == 1
    assert "content/ has files the build generates: browse.md" in proc.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("site-zensical")
def test_zensical_builds_the_same_site(tmp_path):
    pytest.importorskip("zensical")
    catalogue = load_fixture()
    site_dir = tmp_path / "site"
    proc = build(site_dir, engine="zensical")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "with Zensical" in proc.stdout
    site = BuiltSite(site_dir, engine="zensical")
    docs = {d["location"]: d for d in site.search_docs()}
    for rid, url in entry_urls(catalogue).items():
        page, anchor = url.split("#")
        heading = site.html(page).find(id=anchor)
        assert heading is not None and heading.name == "h3", rid
        assert html.unescape(docs[url]["title"]) == catalogue.resources[rid].title.strip()
    browse = site.html("browse/")
    assert {tr["data-id"] for tr in browse.select("#hub-browse tbody tr")} == set(catalogue.resources)
    assert site.html("events/").select_one(".md-banner .hub-urgent a[href='tel:999']")
    downloads = site_dir / "downloads"
    for name in ("resources.json", "resources.csv", "resources.bib", "resources.ris", "events.ics",
                 "whats-new.atom"):
        assert (downloads / name).is_file(), name
    data = json.loads((downloads / "resources.json").read_text(encoding="utf-8"))
    assert len(data["resources"]) == len(catalogue.resources)


REAL_DATA = ROOT / "data"


def _real_data_problem() -> str | None:
    if not all((REAL_DATA / name).exists() for name in ("resources.yaml", "events.yaml", "helplines.yaml")):
        return "data/*.yaml are not written yet"
    result = validate(REAL_DATA, root=ROOT)
    return "data/ does not validate yet: run `make validate`" if result.failed() else None


@pytest.mark.slow
@pytest.mark.xdist_group("site-real")
def test_the_real_catalogue_builds(tmp_path):
    problem = _real_data_problem()
    if problem:
        pytest.skip(problem)
    catalogue = validate(REAL_DATA, root=ROOT).load.catalogue
    site_dir = tmp_path / "site"
    proc = run_hub("build", "--site-dir", str(site_dir), timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr
    site = BuiltSite(site_dir)
    docs = {d["location"] for d in site.search_docs()}
    for rid, url in entry_urls(catalogue).items():
        page, anchor = url.split("#")
        assert site.html(page).find(id=anchor) is not None, rid
        assert url in docs, rid
    rows = site.html("browse/").select("#hub-browse tbody tr")
    assert {tr["data-id"] for tr in rows} == set(catalogue.resources)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(predicate, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.slow
@pytest.mark.xdist_group("site-cli")
def test_serve_rebuilds_when_a_data_file_changes(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    port = _free_port()
    page = f"http://127.0.0.1:{port}/resources/research/"
    proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--data", str(data), "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_for(lambda: "Self-harm in older adults infographic" in _get(page)), "the preview did not start"
        resources = data / "resources.yaml"
        resources.write_text(resources.read_text(encoding="utf-8").replace(
            "title: Self-harm in older adults infographic", "title: Older adults infographic, revised"),
            encoding="utf-8")
        assert _wait_for(lambda: "Older adults infographic, revised" in _get(page)), "no rebuild after the edit"
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
    assert not list(ROOT.glob(f".site-build-serve-{proc.pid}")), "the preview's folder is removed"


@pytest.mark.slow
@pytest.mark.xdist_group("site-zensical")
def test_zensical_reports_a_broken_anchor_without_a_traceback(tmp_path):
    pytest.importorskip("zensical")
    project = copy_project(tmp_path)
    (project / "content" / "about.md").write_text("# About\n\nSee [privacy](privacy.md#no-such-anchor).\n")
    proc = build(tmp_path / "site", "--config", str(project / "mkdocs.yml"), engine="zensical")
    assert proc.returncode == 1
    assert "anchor does not exist" in proc.stderr
    assert "Build stopped: Zensical could not build the site" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "site").exists()
