"""`hub check-links` end to end: real files, real servers, asserting exit codes and what editors read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hub.cli import cli
from hub.commands import check_links as links_cli

ROOT = Path(__file__).resolve().parents[2]

FAST = """\
connect_timeout: 1
read_timeout: 1
deadline: 3
backoff: 0.01
backoff_max: 0.02
"""


@pytest.fixture
def project(tmp_path, monkeypatch, link_server):
    """A project folder (the current directory) with a fast links.yaml; write data files into it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "links.yaml").write_text(
        FAST + f"doi_resolver: {link_server.url('/doi/')}\ndoi_handle_api: {link_server.url('/api/handles/')}\n",
        encoding="utf-8")
    (tmp_path / "data").mkdir()

    def write_data(**paths: str) -> None:
        lines = ["resources:"]
        for key, path in paths.items():
            lines += [f"  - id: {key}", f"    url: {link_server.url(path)}"]
        (tmp_path / "data" / "resources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    return write_data


def invoke(*args: str, env: dict | None = None):
    debug = ["--debug"] if "--debug" in args else []
    args = [a for a in args if a != "--debug"]
    return CliRunner().invoke(cli, [*debug, "check-links", *args], env=env, catch_exceptions=False)


def test_all_good_exits_0(project):
    project(home="/ok", moved="/301")
    result = invoke()
    assert result.exit_code == 0, result.output
    assert "data/resources.yaml:5: redirected:" in result.stdout
    assert "2 links: 1 ok, 1 redirected, 0 broken, 0 unverifiable, 0 skipped" in result.stdout


def test_a_broken_link_exits_1_and_names_its_file_and_line(project):
    project(home="/ok", gone="/404")
    result = invoke()
    assert result.exit_code == 1
    assert "data/resources.yaml:5: broken: " in result.stdout
    assert "404 Not Found" in result.stdout


def test_unverifiable_fails_only_under_strict(project):
    project(blocked="/403")
    assert invoke().exit_code == 0
    assert invoke("--strict", "--no-cache").exit_code == 1


def test_json_report(project, tmp_path):
    project(home="/ok", gone="/410")
    result = invoke("--format", "json", "--json-out", "out/report.json")
    data = json.loads(result.stdout)
    assert data == json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["summary"]["broken"] == 1
    assert data["results"][0]["sources"] == [{"file": "data/resources.yaml", "line": 5}]


def test_github_format_annotates_and_writes_every_failure_to_the_job_summary(project, tmp_path):
    project(**{f"gone{i}": f"/404?n={i}" for i in range(12)})
    summary = tmp_path / "summary.md"
    result = invoke("--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=data/resources.yaml,line=3,title=Broken link::")
    table_rows = [line for line in summary.read_text().splitlines() if line.startswith("| http")]
    assert len(table_rows) == 12  # more than GitHub's 10 annotations: none is lost


def test_the_cache_spares_publishers_on_the_next_run(project, link_server):
    project(home="/ok")
    invoke()
    assert link_server.count("/ok") == 1
    result = invoke()
    assert link_server.count("/ok") == 1
    assert "1 from the cache" in result.stdout
    invoke("--no-cache")
    assert link_server.count("/ok") == 2


def test_confirm_twice_reports_a_first_failure_without_failing(project):
    project(gone="/404")
    first = invoke("--confirm-twice")
    assert first.exit_code == 0
    assert "failing once, will be confirmed next run" in first.stdout
    second = invoke("--confirm-twice")
    assert second.exit_code == 1
    assert "failing since" in second.stdout


def test_blocked_paper_reports_its_doi_registration(project, tmp_path):
    (tmp_path / "data" / "papers.yaml").write_text(
        "papers:\n  - title: A trial\n    doi: 10.1234/blocked\n", encoding="utf-8")
    result = invoke("--format", "json")
    [paper] = json.loads(result.stdout)["results"]
    assert (paper["status"], paper["code"], paper["doi_registered"]) == ("unverifiable", 403, True)
    assert paper["sources"] == [{"file": "data/papers.yaml", "line": 3}]
    assert result.exit_code == 0


def test_urls_file_source(project, tmp_path, link_server):
    (tmp_path / "urls.txt").write_text(f"# ad hoc\n{link_server.url('/ok')}\n{link_server.url('/404')}\n")
    result = invoke("--urls", "urls.txt")
    assert result.exit_code == 1
    assert "urls.txt:3: broken:" in result.stdout


def test_site_source_checks_internal_anchors(project, tmp_path):
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "index.html").write_text('<a href="guide/#help">Help</a>\n<a href="guide/">Guide</a>\n')
    (site / "guide" / "index.html").write_text('<h2 id="support">Support</h2>\n')
    result = invoke("--site", "site", "--internal-only")
    assert result.exit_code == 1
    assert "site/index.html:1: broken: /guide/#help" in result.stdout
    assert "has no element with id 'help'" in result.stdout


def test_an_unreadable_url_list_exits_2_without_a_traceback(project):
    result = invoke("--urls", "missing.txt")
    assert result.exit_code == 2
    assert "cannot read the URL list 'missing.txt'" in result.output
    assert "Traceback" not in result.output


def test_a_bad_config_file_exits_2_with_located_messages(project, tmp_path):
    (tmp_path / "links.yaml").write_text(
        "max_concurency: 8\nretries: lots\nexclude:\n  - pattern: '[unclosed'\n    reason: test\n"
        "hosts:\n  future.nhs.uk:\n    accept: [401]\n")
    result = invoke()
    assert result.exit_code == 2
    assert "links.yaml:1:1: error: unknown setting 'max_concurency'" in result.stderr
    assert "hint: did you mean 'max_concurrency'?" in result.stderr
    assert "links.yaml:2:10: error: 'retries' should be a whole number, not 'lots'" in result.stderr
    assert "links.yaml:4:14: error: exclude[0]: 'pattern' is not a valid regular expression" in result.stderr
    assert "links.yaml:8:5: error: hosts.future.nhs.uk: missing 'reason'" in result.stderr
    assert "Traceback" not in result.output


def test_usage_mistakes_exit_2(project):
    assert invoke("--internal-only").exit_code == 2
    assert invoke("--config", "nope.yaml").exit_code == 2
    assert invoke("--site", "no-such-site").exit_code == 2


def test_an_internal_error_is_one_sentence_and_exit_2(project, monkeypatch):
    project(home="/ok")

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(links_cli, "check", explode)
    result = invoke()
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(RuntimeError, match="boom"):  # --debug lets the traceback through
        invoke("--debug")


def test_python_m_hub_check_links_runs_for_editors(project, tmp_path, link_server):
    """Through the real entry point, as editors and CI run it."""
    project(home="/ok", gone="/404")
    done = subprocess.run([sys.executable, "-m", "hub", "check-links", "--no-progress"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stderr
    assert "data/resources.yaml:5: broken:" in done.stdout


def test_the_first_request_waits_for_neither_requests_nor_pydantic(tmp_path, make_server):
    """Start-up: what `hub check-links` imports before its first request (see benchmarks/README.md)."""
    server = make_server("127.0.0.2")  # links.yaml excludes 127.0.0.1
    (tmp_path / "urls.txt").write_text(server.url("/ok") + "\n", encoding="utf-8")
    probe = ("import runpy, sys; sys.argv = ['hub', 'check-links', '--urls', 'urls.txt', '--no-cache', '--no-state', "
             f"'--config', {str(ROOT / 'links.yaml')!r}]\n"
             "try:\n    runpy.run_module('hub', run_name='__main__')\n"
             "finally:\n    print(sorted(m for m in ('requests', 'pydantic', 'hub.links.builtsite') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "1 link: 1 ok" in done.stdout, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_changed_since_checks_only_the_links_a_change_touches(project, tmp_path, link_server):
    project(home="/ok", old="/404")  # already broken on main: not this change's business
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    with (tmp_path / "data" / "resources.yaml").open("a") as data:
        data.write(f"  - id: added\n    url: {link_server.url('/410')}\n")
    result = invoke("--changed-since", "main", "--format", "json", "--progress")
    data = json.loads(result.stdout)
    assert [(r["status"], r["sources"]) for r in data["results"]] == [
        ("broken", [{"file": "data/resources.yaml", "line": 7}])]
    assert link_server.count("/404") == 0
    assert result.exit_code == 1


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_runner_without_network_is_a_usage_error_not_a_list_of_broken_links(project, tmp_path):
    """Every host refusing: the machine is offline, so no link is called broken (exit 2, not 1)."""
    port = _free_port()
    urls = [f"http://127.0.0.{n}:{port}/page" for n in range(2, 8)]
    (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    result = invoke("--urls", "urls.txt", "--no-cache", "--no-state")
    assert result.exit_code == 2, result.output
    assert "looks offline" in result.output
    assert "broken:" not in result.output


def test_one_answering_host_means_the_refusals_are_real(project, tmp_path, link_server):
    port = _free_port()
    urls = [f"http://127.0.0.{n}:{port}/page" for n in range(2, 8)] + [link_server.url("/ok")]
    (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    result = invoke("--urls", "urls.txt", "--no-cache", "--no-state")
    assert result.exit_code == 1, result.output
    assert "6 broken" in result.output
