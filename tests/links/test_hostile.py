"""What hostile servers and addresses cannot do to a run (issue 16): every link ends by its deadline,
memory stays bounded, a bad address is one result, and an exclusion holds however an address is spelled.

The servers are real sockets on loopback addresses (`hostile.HostileServer`, `server.LinkServer`);
each is stopped by its fixture, and none lives longer than `hostile.MAX_LIFE`.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote

import pytest

from hub.links import LinkStatus, check
from hub.links.config import Exclude, HostOverride
from hub.links.transport import MAX_HEADER_BYTES

from . import hostile
from .server import fast_config, links

OK, BROKEN, UNVERIFIABLE, SKIPPED = LinkStatus.OK, LinkStatus.BROKEN, LinkStatus.UNVERIFIABLE, LinkStatus.SKIPPED
ROOT = Path(__file__).resolve().parents[2]
MARGIN = 1.0
"""Seconds a run may take past its deadline on a loaded machine (the watchdog itself reacts in milliseconds)."""


@pytest.fixture
def hostile_server():
    """Start `hostile.HostileServer`s: ``hostile_server(behaviour, **options)``; all stopped afterwards."""
    started: list[hostile.HostileServer] = []

    def start(behaviour, **options) -> hostile.HostileServer:
        server = hostile.HostileServer(behaviour, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def _timed(urls, config):
    started = time.monotonic()
    results, _ = check(links(*urls), config)
    return results, time.monotonic() - started


# -- the deadline is a wall clock ------------------------------------------------------------------


def test_headers_sent_one_byte_a_second_end_at_the_deadline(hostile_server):
    server = hostile_server(hostile.slow_headers)
    # Each byte arrives well within the read timeout: only a wall clock can stop this request.
    config = fast_config(read_timeout=3.0, deadline=1.5, retries=2)
    [result], elapsed = _timed([server.url("/")], config)
    assert elapsed < 1.5 + MARGIN
    assert result.status is UNVERIFIABLE
    assert result.code is None  # a status line without its headers is not an answer
    assert "timed out" in result.detail and "1.5 s deadline" in result.detail


def test_a_tls_handshake_that_never_ends_stops_at_the_deadline(hostile_server):
    server = hostile_server(hostile.slow_tls, http=False)
    config = fast_config(connect_timeout=3.0, read_timeout=3.0, deadline=1.5)
    [result], elapsed = _timed([f"https://127.0.0.1:{server.port}/"], config)
    assert elapsed < 1.5 + MARGIN
    assert result.status is UNVERIFIABLE
    assert "timed out" in result.detail


def test_a_connection_that_is_never_accepted_stops_at_the_deadline(hostile_server):
    server = hostile_server(hostile.slow_headers, backlog=0, accept=False)
    # Fill the listen queue, so the kernel drops the checker's SYNs and connect() waits.
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", server.port))
        fillers.append(filler)
    try:
        config = fast_config(connect_timeout=5.0, deadline=1.0, retries=3)
        [result], elapsed = _timed([server.url("/")], config)
    finally:
        for filler in fillers:
            filler.close()
    assert elapsed < 1.0 + MARGIN
    assert result.status is UNVERIFIABLE


def test_many_slow_servers_end_together_and_leave_no_thread_behind(hostile_server):
    before = {t.ident for t in threading.enumerate()}
    servers = [hostile_server(hostile.slow_headers) for _ in range(3)]
    urls = [s.url(f"/{i}") for s in servers for i in range(3)]
    results, elapsed = _timed(urls, fast_config(read_timeout=3.0, deadline=1.0, max_per_host=3))
    assert elapsed < 1.0 + MARGIN  # all nine at once: one deadline, not nine
    assert {r.status for r in results} == {UNVERIFIABLE}
    left = [t for t in threading.enumerate() if t.ident not in before and t.name.startswith("linkcheck")]
    assert not left


def test_a_slow_proxy_is_held_to_the_deadline_too(hostile_server, monkeypatch):
    proxy = hostile_server(hostile.slow_headers)
    monkeypatch.setenv("HTTP_PROXY", proxy.base)
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    [result], elapsed = _timed(["http://publisher.invalid/page"], fast_config(read_timeout=3.0, deadline=1.0))
    assert proxy.requests and proxy.requests[0].path == "http://publisher.invalid/page"
    assert elapsed < 1.0 + MARGIN
    assert result.status is UNVERIFIABLE


def test_the_watchdog_cuts_only_the_late_request(link_server, hostile_server):
    slow = hostile_server(hostile.slow_headers)
    # 30 answers of 100 ms, two at a time: requests are in flight when the slow link's deadline passes.
    urls = [slow.url("/"), *[link_server.url(f"/slow?ms=100&n={i}") for i in range(30)]]
    results, elapsed = _timed(urls, fast_config(link_server, read_timeout=3.0, deadline=1.2, max_per_host=2))
    assert elapsed > 1.2
    assert results[0].status is UNVERIFIABLE
    assert {r.status for r in results[1:]} == {OK}


# -- bodies are never read beyond MAX_BODY_BYTES, never inflated --------------------------------


def test_an_endless_body_behind_content_length_0_is_not_read(hostile_server):
    server = hostile_server(hostile.endless_chunked)
    [result], elapsed = _timed([server.url("/page")], fast_config(deadline=3.0))
    assert (result.status, result.code) == (OK, 200)
    assert elapsed < 2.0
    time.sleep(0.2)  # let the server notice the closed connection
    # The socket buffers hold a few MB; reading the body would have meant gigabytes.
    assert server.bytes_sent < 16 * 1024 * 1024


@pytest.mark.parametrize("framing", ["empty", "chunked", "close"])
def test_a_gzip_bomb_is_never_inflated(hostile_server, framing):
    server = hostile_server(hostile.gzip_bomb(framing))
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    try:
        [result], elapsed = _timed([server.url("/bomb")], fast_config(deadline=3.0))
        python_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert (result.status, result.code) == (OK, 200)
    assert elapsed < 2.0
    # Inflated, the bomb is 400 MB: the run must not even come close.
    assert python_peak < 16 * 1024 * 1024, f"Python allocated up to {python_peak:,} bytes at once"
    assert growth < 64 * 1024, f"the process grew by {growth:,} KiB"


def test_a_redirect_with_a_gzip_bomb_for_a_body_is_followed_without_reading_it(hostile_server):
    """requests, told not to follow redirects, still read and decoded every redirect's body; the checker never does."""
    server = hostile_server(hostile.redirect_with_bomb("/new"))
    tracemalloc.start()
    try:
        [result], elapsed = _timed([server.url("/old")], fast_config(deadline=3.0))
        python_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.status, result.code) == (LinkStatus.REDIRECTED, 200), result.detail
    assert result.final_url == server.url("/new")
    assert elapsed < 2.0
    assert python_peak < 16 * 1024 * 1024, f"Python allocated up to {python_peak:,} bytes at once"


# -- answers that are not HTTP ---------------------------------------------------------------------

_MANY_HEADERS = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 4000) for i in range(MAX_HEADER_BYTES // 4000 + 2))
BAD_ANSWERS = {
    "bad-status-code": (b"HTTP/1.1 abc Whatever\r\n\r\n", "not valid HTTP"),
    "not-http": (b"SSH-2.0-OpenSSH_9.6\r\n", "not valid HTTP"),
    "binary": (b"\x00\xff\xfe garbage \x1b[0m\r\n\r\n", "not valid HTTP"),
    "http-2-preface": (b"HTTP/2 200\r\n\r\n", "not valid HTTP"),
    "status-line-too-long": (b"HTTP/1.1 200 " + b"O" * 70_000 + b"\r\n\r\n", "not valid HTTP"),
    "header-line-too-long": (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", "not valid HTTP"),
    "too-many-headers": (b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 150 + b"\r\n", "more than 100 headers"),
    "headers-over-the-budget": (b"HTTP/1.1 200 OK\r\n" + _MANY_HEADERS + b"\r\n", "headers are longer than"),
    "nothing": (b"", "without an answer"),
}


@pytest.mark.parametrize("name", list(BAD_ANSWERS))
def test_an_answer_that_is_not_http_is_one_result_and_the_run_goes_on(link_server, hostile_server, name):
    data, words = BAD_ANSWERS[name]
    server = hostile_server(hostile.raw_answer(data))
    results, elapsed = _timed([server.url("/x"), link_server.url("/ok")], fast_config(link_server, deadline=2.0))
    assert results[0].status is UNVERIFIABLE, results[0].detail
    assert words in results[0].detail
    assert results[1].status is OK
    assert elapsed < 2.0 + MARGIN


def test_endless_interim_answers_stop_at_the_header_budget(hostile_server):
    server = hostile_server(hostile.endless_continue)
    [result], elapsed = _timed([server.url("/")], fast_config(deadline=3.0))
    assert result.status is UNVERIFIABLE
    assert "headers are longer than" in result.detail
    assert elapsed < 2.0  # the budget ends it long before the deadline


# -- redirects are vetted before they are followed -------------------------------------------------


@pytest.mark.parametrize("spelling", ["{host}", "0x7f.0.0.2", "127.0.2", "2130706434", "[::ffff:127.0.0.2]",
                                      "127.0.0.2."])
def test_a_redirect_into_an_excluded_address_is_not_followed(link_server, make_server, spelling):
    excluded = make_server("127.0.0.2")
    target = f"http://{spelling.format(host=excluded.host)}:{excluded.port}/ok"
    config = fast_config(link_server, exclude=[Exclude(pattern=r"^https?://127\.0\.0\.2[:/]", reason="internal")])
    [result], _ = check(links(link_server.url(f"/302?to={quote(target, safe='')}")), config)
    assert (result.status, result.code) == (SKIPPED, 302)
    assert "excluded in links.yaml (internal): not followed" in result.detail
    assert result.final_url == target
    time.sleep(0.1)
    assert excluded.hits == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,<p>hi",
                                    "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/", "FILE:///etc/shadow"])
def test_a_redirect_to_another_scheme_is_broken_and_not_followed(link_server, target):
    [result], stats = check(links(link_server.url(f"/301?to={quote(target, safe='')}")), fast_config(link_server))
    assert result.status is BROKEN
    assert "only http and https redirects are followed" in result.detail
    assert f"a {target.split(':')[0].lower()}: address" in result.detail
    assert stats.requests == 1  # the HEAD that got the redirect, nothing after it


@pytest.mark.parametrize("location", ["http://[::1", "http://127.0.0.1:99999/", "http://exa\x01mple.org/",
                                      "https://", "//[::1/x"])
def test_a_redirect_to_a_malformed_address_is_broken(hostile_server, location):
    server = hostile_server(hostile.redirect_to(location))
    [result], _ = check(links(server.url("/")), fast_config())
    assert result.status is BROKEN
    assert "cannot be fetched" in result.detail


def test_a_location_that_is_not_utf_8_is_followed_as_latin_1(hostile_server):
    """requests decoded Location as UTF-8 inside the request and failed on anything else, so the link
    itself was "broken: the address cannot be fetched: 'utf-8' codec can't decode…". Now the target is
    read as Latin-1, escaped, and followed (here into a loop, since every address redirects)."""
    server = hostile_server(hostile.redirect_to("/caf\xe9"))  # sent as the single byte 0xE9
    [result], _ = check(links(server.url("/")), fast_config())
    assert result.status is BROKEN
    assert "redirect loop" in result.detail
    assert server.requests[1].path == "/caf%C3%A9"  # the character, as UTF-8 escapes


# -- a malformed address is one result, never an aborted run ---------------------------------------

MALFORMED = {
    "http://[::1": "never closed with ']'",
    "http://[::1/x": "never closed with ']'",
    "http://example.org:99999/": "the port '99999'",
    "http://example.org:http/": "the port 'http'",
    "http://exa\x00mple.org/": "control character",
    "http://ex%zzample.org/": "not a valid address",
    "https://": "no host name",
    "http://*.example.org/": "not a valid domain name",
    "http://exa mple.org/": "contains a space",
}


def test_malformed_addresses_are_one_broken_result_each(link_server):
    urls = [*MALFORMED, link_server.url("/ok")]
    results, stats = check(links(*urls), fast_config(link_server))
    assert [r.url for r in results] == urls
    for result, words in zip(results, MALFORMED.values(), strict=False):
        assert result.status is BROKEN, result
        assert words in result.detail, result.detail
    assert results[-1].status is OK
    assert stats.requests == 1


FAST = "connect_timeout: 1\nread_timeout: 1\ndeadline: 3\nbackoff: 0.01\n"
RUN = ["--no-progress", "--no-cache", "--no-state"]


def _run_hub(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m hub check-links`` in ``tmp_path``: the path users take."""
    (tmp_path / "links.yaml").write_text(FAST, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "hub", "check-links", *RUN, *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _invoke(tmp_path: Path, monkeypatch, *args: str, env: dict | None = None):
    """The same in this process (faster), through the `hub` group as `python -m hub` does."""
    from click.testing import CliRunner

    from hub.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "links.yaml").write_text(FAST, encoding="utf-8")
    return CliRunner().invoke(cli, ["check-links", *RUN, *args], env=env, catch_exceptions=False)


def test_malformed_lines_in_a_url_list_are_reported_one_by_one(tmp_path, link_server):
    lines = ["http://[::1", "http://example.org:99999/", "ht!tp://example.org/", link_server.url("/ok")]
    (tmp_path / "urls.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run_hub(tmp_path, "--urls", "urls.txt", "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    by_line = {r["sources"][0]["line"]: r for r in report["results"]}
    assert [by_line[n]["status"] for n in (1, 2, 3, 4)] == ["broken", "broken", "broken", "ok"]
    assert "never closed" in by_line[1]["detail"]


def test_a_malformed_canonical_link_in_the_built_site_is_not_a_crash(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<link rel="canonical" href="http://[::1"><a href="//[::1/x">x</a>'
                                     '<a href="http://[::1/y">y</a>', encoding="utf-8")
    done = _invoke(tmp_path, monkeypatch, "--site", "site", "--format", "json")
    assert done.exit_code == 1, done.output
    results = json.loads(done.stdout)["results"]
    assert {r["status"] for r in results} == {"broken"}
    assert len(results) == 2


# -- git refs are refs -----------------------------------------------------------------------------


@pytest.fixture
def fake_git(tmp_path):
    """A `git` first on PATH that only records that it ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "git-ran"
    script = bin_dir / "git"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> '{record}'\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}, record


@pytest.mark.parametrize("ref", ["--output=out.txt", "-o", "--exec=touch out.txt", "", "main\n--output=out.txt"])
def test_a_changed_since_that_is_not_a_ref_never_reaches_git(tmp_path, monkeypatch, fake_git, ref):
    env, record = fake_git
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "resources.yaml").write_text("resources:\n  - url: https://example.org/\n", encoding="utf-8")
    done = _invoke(tmp_path, monkeypatch, f"--changed-since={ref}", env=env)
    assert done.exit_code == 2, done.output
    assert "--changed-since" in done.stderr
    assert not record.exists(), record.read_text()
    assert not (tmp_path / "out.txt").exists()


def test_the_fake_git_is_the_git_that_runs(tmp_path, monkeypatch, fake_git):
    """The control for the test above: a real revision does reach (the fake) git."""
    env, record = fake_git
    (tmp_path / "data").mkdir()
    done = _invoke(tmp_path, monkeypatch, "--changed-since=main", env=env)
    assert done.exit_code == 2
    assert "rev-parse --verify --quiet --end-of-options main^{commit}" in record.read_text()


def test_a_changed_since_ref_is_resolved_after_end_of_options(tmp_path):
    from hub.links.sources import SourceError, changed_lines, resolve_ref

    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    (tmp_path / "a.yaml").write_text("url: https://example.org/\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert len(resolve_ref("main", tmp_path)) == 40
    assert changed_lines("main", [tmp_path / "a.yaml"], cwd=tmp_path) == {}
    with pytest.raises(SourceError, match="does not know the revision"):
        resolve_ref("no-such-branch", tmp_path)
    with pytest.raises(SourceError, match="never start with '-'"):
        changed_lines("--output=out.txt", [tmp_path / "a.yaml"], cwd=tmp_path)
    assert not (tmp_path / "out.txt").exists()


# -- exclusions and host settings match the address, not its spelling ------------------------------

SPELLINGS = ["127.1", "LOCALHOST", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]",
             "[::FFFF:7f00:1]", "127.0.0.1.", "localhost."]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_an_exclusion_holds_however_the_address_is_spelled(link_server, spelling):
    rule = Exclude(pattern=r"^https?://(localhost|127\.0\.0\.1)(:\d+)?/", reason="loopback")
    url = f"http://{spelling}:{link_server.port}/ok"
    [result], stats = check(links(url), fast_config(link_server, exclude=[rule]))
    assert result.status is SKIPPED
    assert "loopback" in result.detail
    assert stats.requests == 0
    assert link_server.hits == []


def test_an_exclusion_matches_without_the_default_port_or_upper_case_scheme():
    rule = Exclude(pattern=r"^https://example\.org/private", reason="private")
    config = fast_config(exclude=[rule])
    assert config.excluded("HTTPS://Example.ORG.:443/private/x") is rule
    assert config.excluded("https://example.org:8443/private/x") is None


@pytest.mark.parametrize("spelling", ["127.1", "0x7f.0.0.1", "[::ffff:127.0.0.1]"])
def test_host_settings_hold_however_the_address_is_spelled(link_server, spelling):
    config = fast_config(link_server, hosts={"127.0.0.1": HostOverride(accept=[403], reason="login wall")})
    [result], _ = check(links(f"http://{spelling}:{link_server.port}/403"), config)
    assert (result.status, result.code) == (OK, 403)
    assert "login wall" in result.detail
