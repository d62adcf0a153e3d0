"""The checker against real HTTP servers on loopback addresses: one scenario per classification rule."""

from __future__ import annotations

import socket
import time

import pytest

from hub.links import Link, LinkStatus, Source, check
from hub.links.config import Exclude, HostOverride

from .server import Gauge, fast_config, links

OK, REDIRECTED, BROKEN = LinkStatus.OK, LinkStatus.REDIRECTED, LinkStatus.BROKEN
UNVERIFIABLE, SKIPPED = LinkStatus.UNVERIFIABLE, LinkStatus.SKIPPED

# path, status, code, where redirects end (for final_url), words the detail must contain
RULES = [
    ("/ok", OK, 200, None, "200 OK"),
    ("/302", OK, 200, "/ok", "temporary redirect"),
    ("/303", OK, 200, "/ok", "temporary redirect"),
    ("/307", OK, 200, "/ok", "temporary redirect"),
    ("/301", REDIRECTED, 200, "/ok", "moved permanently (301) to"),
    ("/308", REDIRECTED, 200, "/ok", "moved permanently (308)"),
    ("/chain/3", REDIRECTED, 200, "/chain/0", "301 → 301 → 301"),
    ("/relative", REDIRECTED, 200, "/ok", "moved permanently"),
    # the permanent hop is what editors update to, not the temporary target behind it
    ("/perm-then-temp", REDIRECTED, 200, "/302", "redirects temporarily"),
    ("/head-405", OK, 200, None, "200 OK"),
    ("/head-404", OK, 200, None, "200 OK"),
    ("/flaky?times=1", OK, 200, None, "200 OK"),
    ("/404", BROKEN, 404, None, "404 Not Found"),
    ("/410", BROKEN, 410, None, "410 Gone"),
    ("/400", BROKEN, 400, None, "400 Bad Request"),
    ("/451", BROKEN, 451, None, "451"),
    ("/500", BROKEN, 500, None, "after 3 attempts"),
    ("/loop", BROKEN, None, "/loop-b", "redirect loop"),
    ("/chain/15", BROKEN, None, "/chain/5", "more than 10 redirects"),
    ("/401", UNVERIFIABLE, 401, None, "login"),
    ("/403", UNVERIFIABLE, 403, None, "refuses automated checks"),
    ("/429?retry_after=0", UNVERIFIABLE, 429, None, "after 3 attempts"),
    ("/999", UNVERIFIABLE, 999, None, "not a standard HTTP code"),
    # a 503 that says when to come back is maintenance, not a broken link
    ("/503?retry_after=3600", UNVERIFIABLE, 503, None, "come back later"),
    ("/503", BROKEN, 503, None, "keeps failing"),
    ("/no-location", UNVERIFIABLE, 302, None, "without a Location"),
]


@pytest.mark.parametrize(("path", "status", "code", "final", "words"), RULES, ids=[r[0] for r in RULES])
def test_rule(link_server, path, status, code, final, words):
    [result], _ = check(links(link_server.url(path)), fast_config(link_server))
    assert (result.status, result.code) == (status, code), result.detail
    assert result.final_url == (link_server.url(final) if final else None)
    assert words in result.detail
    assert [s.location() for s in result.sources] == ["data/test.yaml:1"]


def test_a_failing_head_is_confirmed_with_get(link_server):
    [result], _ = check(links(link_server.url("/head-404")), fast_config(link_server))
    assert result.status is OK
    assert link_server.count("/head-404", "HEAD") == 1
    assert link_server.count("/head-404", "GET") == 1


def test_a_host_that_refuses_head_gets_get_only_afterwards(link_server):
    config = fast_config(link_server, max_per_host=1)
    check(links(link_server.url("/head-405"), link_server.url("/ok")), config)
    assert link_server.count("/ok", "HEAD") == 0
    assert link_server.count("/ok", "GET") == 1


def test_persistent_5xx_is_retried_then_broken(link_server):
    [result], _ = check(links(link_server.url("/500")), fast_config(link_server, retries=2))
    assert result.status is BROKEN
    assert link_server.count("/500", "HEAD") == 3  # the first attempt and two retries
    assert result.requests == 6  # each HEAD confirmed by a GET


def test_retry_after_is_honoured(link_server):
    url = link_server.url("/429?retry_after=1&times=1")
    [result], _ = check(links(url), fast_config(link_server, backoff=0.01, backoff_max=0.01))
    assert (result.status, result.code) == (OK, 200)
    first, second = link_server.times("/429?retry_after=1&times=1")
    # the backoff is 10 ms: only the server's Retry-After can explain the wait
    assert second - first >= 0.95


def test_retry_after_above_the_cap_is_not_waited_for(link_server):
    [result], _ = check(links(link_server.url("/429?retry_after=3600")), fast_config(link_server, retry_after_max=2))
    assert result.status is UNVERIFIABLE
    assert "asks to wait 3600 s" in result.detail
    assert link_server.count("/429?retry_after=3600") == 1


def test_a_hanging_server_ends_within_the_deadline(link_server):
    config = fast_config(link_server, read_timeout=0.5, deadline=1.5, retries=5)
    urls = [link_server.url(f"/hang?n={i}") for i in range(6)]
    started = time.monotonic()
    results, _ = check(links(*urls), config)
    elapsed = time.monotonic() - started
    # 6 URLs, 4 at a time: two rounds of 1.5 s, plus generous slack for a loaded machine
    assert elapsed < 2 * 1.5 + 2.0
    assert {r.status for r in results} == {UNVERIFIABLE}
    assert all("timed out" in r.detail for r in results)


def test_slow_answer_times_out_as_unverifiable(link_server):
    config = fast_config(link_server, read_timeout=0.3, deadline=1.0, retries=1)
    [result], _ = check(links(link_server.url("/slow?ms=1500")), config)
    assert result.status is UNVERIFIABLE
    assert result.detail.startswith("timed out")


def test_bodies_are_never_downloaded(link_server):
    started = time.monotonic()
    [result], _ = check(links(link_server.url("/head-405-big")), fast_config(link_server))
    assert result.status is OK
    assert time.monotonic() - started < 3  # reading the 50 MB body would take 8 s
    time.sleep(0.2)  # let the server notice the closed connection
    assert link_server.bytes_sent["/head-405-big"] < 2 * 1024 * 1024


def test_connection_refused_is_broken():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [result], _ = check(links(f"http://127.0.0.1:{port}/x"), fast_config())
    assert result.status is BROKEN
    assert "connection refused" in result.detail


def test_a_name_that_does_not_exist_is_broken(monkeypatch):
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        # Answer for .invalid ourselves, as a DNS server would, so no query leaves the machine.
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    [result], _ = check(links("https://charity-that-closed.invalid/help"), fast_config())
    assert result.status is BROKEN
    assert "name not found" in result.detail


def test_an_invalid_certificate_is_broken(make_server):
    server = make_server(tls=True)  # self-signed, so not trusted
    [result], _ = check(links(server.url("/ok")), fast_config())
    assert result.status is BROKEN
    assert "invalid TLS certificate" in result.detail


def test_mail_and_phone_links_are_checked_for_syntax_only():
    results, stats = check(links("mailto:help@example.org?subject=Hi", "mailto:help-at-example.org",
                                 "tel:+44 800 111 222", "tel:call-us", "sms:85258?body=SHOUT"), fast_config())
    assert [r.status for r in results] == [SKIPPED, BROKEN, SKIPPED, BROKEN, SKIPPED]
    assert stats.requests == 0


def test_addresses_that_cannot_be_fetched():
    results, _ = check(links("www.nhs.uk/conditions", "ftp://files.example.org/a.pdf"), fast_config())
    assert [r.status for r in results] == [BROKEN, SKIPPED]
    assert "https://" in results[0].detail


def test_excluded_urls_are_skipped_without_a_request(link_server):
    config = fast_config(link_server, exclude=[Exclude(pattern="/404$", reason="a test exclusion")])
    [result], _ = check(links(link_server.url("/404")), config)
    assert result.status is SKIPPED
    assert "a test exclusion" in result.detail
    assert link_server.count("/404") == 0


def test_codes_accepted_for_a_host_are_ok(link_server):
    config = fast_config(link_server, hosts={"127.0.0.1": HostOverride(accept=[403], reason="login wall")})
    [result], _ = check(links(link_server.url("/403")), config)
    assert (result.status, result.code) == (OK, 403)
    assert "login wall" in result.detail


def test_each_url_is_checked_once_and_reported_with_all_its_sources(link_server):
    url = link_server.url("/ok")
    found = [Link(url, [Source("data/a.yaml", 3)]), Link(url, [Source("data/b.yaml", 9)])]
    from hub.links import merge_links

    [result], _ = check(merge_links(found), fast_config(link_server))
    assert [s.location() for s in result.sources] == ["data/a.yaml:3", "data/b.yaml:9"]
    assert link_server.count("/ok") == 1


def test_an_honest_user_agent_is_sent(link_server):
    check(links(link_server.url("/ok")), fast_config(link_server, user_agent="hub-test/1.0 (+contact)"))
    assert {h.user_agent for h in link_server.hits} == {"hub-test/1.0 (+contact)"}


def test_the_headers_are_those_requests_sent(link_server):
    """The checker talks to urllib3 directly; publishers see the same request as when it went through requests."""
    check(links(link_server.url("/ok")), fast_config(link_server, user_agent="hub-test/1.0"))
    [hit] = link_server.hits
    assert (hit.method, hit.path) == ("HEAD", "/ok")
    assert hit.headers == {
        "Host": f"127.0.0.1:{link_server.port}", "User-Agent": "hub-test/1.0", "Accept-Encoding": "gzip, deflate",
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Connection": "keep-alive",
        "Accept-Language": "en-GB,en;q=0.8",
    }


def test_a_cookie_check_is_passed_with_the_cookie_it_sets(link_server):
    """Cookies last for the run, as in requests' session: a site that bounces through a cookie check works."""
    [result], _ = check(links(link_server.url("/cookie-gate")), fast_config(link_server))
    assert (result.status, result.code) == (OK, 200), result.detail
    assert [h.path for h in link_server.hits if h.method == "HEAD"] == ["/cookie-gate", "/cookie-set", "/cookie-gate"]
    assert link_server.hits[-1].headers.get("Cookie") == "gate=open"


def test_credentials_in_the_address_are_sent_as_basic_auth(link_server):
    url = link_server.url("/login-only").replace("//", "//user:pass%20word@", 1)
    [result], _ = check(links(url), fast_config(link_server))
    assert (result.status, result.code) == (OK, 200), result.detail


def test_a_redirect_and_its_target_share_a_connection(link_server):
    """A redirect's short body is read (at most 8 KiB, undecoded), so its connection is reused for the next hop."""
    check(links(link_server.url("/chain/3")), fast_config(link_server, max_per_host=1))
    assert len(link_server.hits) == 4
    assert len({h.client_port for h in link_server.hits}) == 1


def test_connections_are_reused(link_server):
    urls = [link_server.url(f"/ok?n={i}") for i in range(10)]
    check(links(*urls), fast_config(link_server, max_per_host=2))
    assert len({h.client_port for h in link_server.hits}) <= 2


def test_the_per_host_limit_is_never_exceeded(make_server):
    gauge = Gauge()
    a, b = make_server("127.0.0.2", gauge=gauge), make_server("127.0.0.3", gauge=gauge)
    urls = [s.url(f"/slow?ms=200&n={i}") for s in (a, b) for i in range(9)]
    check(links(*urls), fast_config(max_concurrency=8, max_per_host=3))
    assert a.peak == b.peak == 3
    assert gauge.peak == 6  # both hosts were worked on at once


def test_the_global_limit_is_never_exceeded(make_server):
    gauge = Gauge()
    servers = [make_server(f"127.0.0.{n}", gauge=gauge) for n in (2, 3, 4)]
    urls = [s.url(f"/slow?ms=50&n={i}") for s in servers for i in range(6)]
    check(links(*urls), fast_config(max_concurrency=4, max_per_host=4))
    assert gauge.peak <= 4


def test_a_host_override_lowers_that_host_limit(make_server):
    busy, gentle = make_server("127.0.0.2"), make_server("127.0.0.3")
    urls = [s.url(f"/slow?ms=150&n={i}") for s in (busy, gentle) for i in range(8)]
    config = fast_config(max_per_host=4, hosts={"127.0.0.3": HostOverride(max_concurrency=1, reason="tiny charity")})
    results, stats = check(links(*urls), config)
    assert {r.status for r in results} == {OK}
    assert gentle.peak == 1
    assert busy.peak == 4
    assert stats.peak_per_host[f"127.0.0.3:{gentle.port}"] == 1


def test_a_blocked_paper_has_its_doi_registration_checked(link_server):
    record = [Link(link_server.url("/403"), [Source("data/papers.yaml", 4)], doi="10.1234/abc"),
              Link(link_server.url("/doi/10.1234/blocked-missing"), [Source("data/papers.yaml", 5)],
                   doi="10.1234/blocked-missing")]
    first, second = check(record, fast_config(link_server))[0]
    assert (first.status, first.doi_registered) == (UNVERIFIABLE, True)
    assert "10.1234/abc is registered at doi.org" in first.detail
    assert (second.status, second.doi_registered) == (UNVERIFIABLE, False)
    assert "NOT registered" in second.detail
    assert link_server.count("/api/handles/10.1234/abc") == 1


def test_a_doi_that_resolves_is_ok_without_asking_the_handle_api(link_server):
    from hub.links.sources import doi_url

    doi_links = [Link(doi_url("10.1234/fine", link_server.url("/doi/")), [Source("data/p.yaml", 2)], doi="10.1234/fine"),
                 Link(doi_url("10.1234/gone", link_server.url("/doi/")), [Source("data/p.yaml", 3)], doi="10.1234/gone")]
    fine, gone = check(doi_links, fast_config(link_server))[0]
    assert fine.status is OK
    assert (gone.status, gone.code) == (BROKEN, 404)
    assert not [h for h in link_server.hits if h.path.startswith("/api/handles/")]


def test_a_malformed_doi_is_broken_without_a_request(link_server):
    config = fast_config(link_server)
    [result], stats = check([Link(config.doi_resolver + "doi-10.1234", [Source("data/p.yaml", 1)],
                                  doi="doi-10.1234")], config)
    assert result.status is BROKEN
    assert stats.requests == 0


def test_progress_is_reported_once_per_link(link_server):
    seen = []
    check(links(link_server.url("/ok"), link_server.url("/403"), "mailto:a@b.org"), fast_config(link_server),
          on_result=seen.append)
    assert len(seen) == 3
