"""One normal form per web address: what exclusions and host settings match, and what is fetched.

Exclusions used to be searched in the URL as written, so ``127.1``,
``LOCALHOST`` or ``2130706433`` walked past a loopback exclusion while the
resolver still connected to 127.0.0.1 (issue 16). Here a URL is parsed once,
by the parser that sends the request (urllib3's `parse_url`, which requests
uses too and which applies IDNA), and its host is brought to one spelling:
lower case, no trailing dot, IPv4 in dotted decimal whatever form the
resolver would accept (`socket.inet_aton` is that parser), IPv4-mapped IPv6
as the IPv4 address, other IPv6 compressed. Default ports are dropped.
The checker fetches this normal form, so what was matched is what is fetched.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from functools import lru_cache

from urllib3.util import Url, parse_url

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = frozenset(DEFAULT_PORTS)
"""The only schemes fetched, also as redirect targets."""

_IPV4_LIKE = re.compile(r"^[0-9a-fx.]+$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class BadURL(ValueError):
    """An address that cannot be fetched; the message says why, in editors' words."""


@dataclass(frozen=True)
class WebURL:
    """An http(s) address in normal form."""

    url: str
    """The normal form without the #fragment: what is fetched and what exclusions are also matched against."""
    scheme: str
    host: str
    """Normal host name or address (IPv6 in brackets)."""
    port: int
    """The port connected to, the default one included."""

    @property
    def host_key(self) -> str:
        """``host:port``: what the per-host limit counts (127.0.0.2:8000 and :8001 are two servers)."""
        return f"{self.host}:{self.port}"


def parse_web_url(url: str) -> WebURL:
    """``url`` in normal form; BadURL when it is not an http(s) address that can be fetched."""
    if _CONTROL.search(url):
        found = _CONTROL.search(url).group()  # type: ignore[union-attr]
        raise BadURL("the address contains a space" if found == " " else
                     f"the address contains a control character ({found!r})")
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in WEB_SCHEMES:
        raise BadURL(f"not a web address (only {' and '.join(sorted(WEB_SCHEMES))} are fetched)")
    try:
        parts = parse_url(url)
    except (ValueError, UnicodeError) as exc:  # LocationParseError is a ValueError
        raise BadURL(_why(url, exc)) from None
    if parts.host and parts.host.startswith(("*", ".")):  # as requests refuses them
        raise BadURL(_why(url, ValueError("invalid label")))
    host = normal_host(parts.host or "")
    if not host:
        raise BadURL("the address has no host name")
    port = parts.port or DEFAULT_PORTS[scheme]
    shown_port = None if port == DEFAULT_PORTS[scheme] else port
    normal = Url(scheme, parts.auth, host, shown_port, parts.path or "/", parts.query, None).url
    return WebURL(normal, scheme, host, port)


@lru_cache(maxsize=4096)
def normal_host(host: str) -> str:
    """One spelling per host: ``127.1``, ``0x7f.0.0.1.`` and ``[::ffff:127.0.0.1]`` are all ``127.0.0.1``."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        inner, _, zone = host[1:-1].partition("%")
        try:
            address = ipaddress.IPv6Address(inner)
        except ValueError:
            return host
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return f"[{address.compressed}{'%' + zone if zone else ''}]"
    if ":" in host:  # a bare IPv6 address, as in a links.yaml key
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            return host
        return str(address.ipv4_mapped) if address.ipv4_mapped else f"[{address.compressed}]"
    if _IPV4_LIKE.match(host):
        try:
            # The resolver reads 127.1, 2130706433, 0x7f.0.0.1 and 0177.0.0.1 as 127.0.0.1 (inet_aton rules).
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return host
    return host


def host_key(url: str) -> str:
    """`WebURL.host_key` of ``url``, or ``""`` for an address that cannot be parsed."""
    try:
        return parse_web_url(url).host_key
    except BadURL:
        return ""


def hostname(url: str) -> str:
    """The normal host of ``url`` without brackets, or ``""``: for display and host settings."""
    try:
        return parse_web_url(url).host.strip("[]")
    except BadURL:
        return ""


def shorten(url: str, limit: int = 200) -> str:
    """``url`` cut to ``limit`` characters for a message (a Location header may hold 200 KB)."""
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _why(url: str, exc: BaseException) -> str:
    """requests' and urllib3's complaint in editors' words."""
    text = str(exc.args[0] if exc.args else exc).removeprefix("Failed to parse: ")
    authority = url.split("//", 1)[1].split("/", 1)[0] if "//" in url else ""
    if "[" in authority and "]" not in authority:
        return "not a valid address: an IPv6 address opened with '[' is never closed with ']'"
    if "No host supplied" in text:
        return "the address has no host name"
    if "invalid label" in text or "IDNA" in text:
        return f"not a valid address: the host name '{shorten(authority, 80)}' is not a valid domain name"
    port = authority.rsplit("@", 1)[-1].rpartition("]")[2].rpartition(":")[2] if ":" in authority else ""
    if port and (not port.isdigit() or int(port) > 65535):
        return f"not a valid address: the port '{shorten(port, 20)}' is not a number from 0 to 65535"
    return f"not a valid address: {shorten(text, 200)}"
