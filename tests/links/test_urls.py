"""The normal form of web addresses (`hub.links.urls`): one spelling per address, clear words for bad ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.links.transport import requote
from hub.links.urls import BadURL, normal_host, parse_web_url

NORMAL = [
    ("HTTPS://Example.ORG/Path?Q=1#frag", "https://example.org/Path?Q=1", "example.org:443"),
    ("https://example.org.:443/", "https://example.org/", "example.org:443"),
    ("http://example.org:80", "http://example.org/", "example.org:80"),
    ("http://example.org:8080/a", "http://example.org:8080/a", "example.org:8080"),
    ("http://127.1/", "http://127.0.0.1/", "127.0.0.1:80"),
    ("http://2130706433/", "http://127.0.0.1/", "127.0.0.1:80"),
    ("http://0x7f.0.0.1/", "http://127.0.0.1/", "127.0.0.1:80"),
    ("http://0177.0.0.01/", "http://127.0.0.1/", "127.0.0.1:80"),
    ("http://[::ffff:127.0.0.1]:8000/", "http://127.0.0.1:8000/", "127.0.0.1:8000"),
    ("http://[0:0:0:0:0:0:0:1]/", "http://[::1]/", "[::1]:80"),
    ("http://bücher.example/", "http://xn--bcher-kva.example/", "xn--bcher-kva.example:80"),
    ("http://user:pw@Example.org/", "http://user:pw@example.org/", "example.org:80"),
    ("http://cafe.example/", "http://cafe.example/", "cafe.example:80"),  # hex-looking, but a name
]


@pytest.mark.parametrize(("url", "normal", "key"), NORMAL, ids=[n[0] for n in NORMAL])
def test_one_spelling_per_address(url, normal, key):
    web = parse_web_url(url)
    assert (web.url, web.host_key) == (normal, key)
    assert parse_web_url(web.url) == web  # the normal form is a fixed point


@pytest.mark.parametrize(("host", "normal"), [("LOCALHOST.", "localhost"), ("127.0.0.1", "127.0.0.1"),
                                              ("::1", "[::1]"), ("::ffff:10.0.0.1", "10.0.0.1"),
                                              ("0x0a.1", "10.0.0.1"), ("1.2.3.4.5", "1.2.3.4.5")])
def test_host_names_as_written_in_links_yaml(host, normal):
    assert normal_host(host) == normal


BAD = [
    ("http://[::1", "never closed"),
    ("http://example.org:65536/", "the port '65536'"),
    ("http://example.org:x/", "the port 'x'"),
    ("http://", "no host name"),
    ("http:///path", "no host name"),
    ("http://exa\tmple.org/", "control character"),
    ("http://exa mple.org/", "contains a space"),
    ("http://.example.org/", "not a valid domain name"),
    ("mailto:a@b.org", "not a web address"),
    ("javascript:alert(1)", "not a web address"),
]


@pytest.mark.parametrize(("url", "words"), BAD, ids=[b[0] for b in BAD])
def test_addresses_that_cannot_be_fetched_say_why(url, words):
    with pytest.raises(BadURL, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_web_url(url)


@pytest.mark.parametrize("uri", [
    "https://example.org/plain/path?q=1&r=2", "https://example.org/%41%62%7E%2F%2f%20x", "https://example.org/é ü",
    "https://example.org/100%", "https://example.org/%zz%", "https://example.org/%4", "https://example.org/a%3Fb?c%3D",
    "https://example.org/<tag>{x}|^`\"", "https://user:p%40ss@example.org/", "https://example.org/%E2%9C%93",
])
def test_addresses_are_quoted_as_requests_quoted_them(uri):
    requests_utils = pytest.importorskip("requests.utils")
    assert requote(uri) == requests_utils.requote_uri(uri)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ09-._~%!$&'()*+,;=:@/?#[] é\"<>{}|\\^`" + "0123456789abcdefABCDEF", max_size=40))
def test_any_address_is_quoted_as_requests_quoted_it(tail):
    requests_utils = pytest.importorskip("requests.utils")
    uri = "https://example.org/" + tail
    assert requote(uri) == requests_utils.requote_uri(uri)
