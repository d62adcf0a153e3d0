"""Fetch links over HTTP and classify each one: concurrency, HEAD then GET, redirects, retries.

Every request streams and is closed after the headers: a link check never
downloads a page. Rules for what each answer means are in `classify`; the
order of work is in `pool.HostPool`.
"""

from __future__ import annotations

import email.utils
import errno
import os
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import unquote, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from hub.links.classify import Attempt, classify
from hub.links.config import LinksConfig
from hub.links.pool import HostPool
from hub.links.sources import DOI_PATTERN
from hub.links.types import Link, LinkResult, LinkStatus

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})

_EMAIL = re.compile(r"^[^@\s,;:<>()\[\]\\\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]{2,}$")


class Cache(Protocol):
    """What the checker asks of a results cache (`state.ResultsCache` is the one in use)."""

    def get(self, url: str) -> LinkResult | None: ...

    def put(self, result: LinkResult) -> None: ...


@dataclass
class CheckStats:
    """Counts for the summary line and the benchmark."""

    requests: int = 0
    fetched: int = 0
    cached: int = 0
    peak_per_host: dict[str, int] = field(default_factory=dict)


class Checker:
    """Checks links with one pooled HTTP session; `run` is the entry point."""

    def __init__(self, config: LinksConfig, cache: Cache | None = None,
                 on_result: Callable[[LinkResult], None] | None = None) -> None:
        self.config = config
        self.cache = cache
        self.on_result = on_result
        self.stats = CheckStats()
        self._lock = threading.Lock()
        self._head_refused: set[str] = set()
        limits = [config.max_per_host] + [h.max_concurrency or 0 for h in config.hosts.values()]
        self.session = requests.Session()
        # One connection pool per host, as many connections as the host may have requests in
        # flight, so that connections are reused instead of opened per request.
        adapter = HTTPAdapter(pool_connections=256, pool_maxsize=max(limits), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # Proxy and CA-bundle settings come from the environment once per host, not per request:
        # requests would otherwise scan the environment and look for ~/.netrc on every request
        # (a third of the client's CPU time in the benchmark), and we never want netrc credentials.
        self.session.trust_env = False
        self.session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self._proxies: dict[str, dict[str, str]] = {}
        self.session.headers.update({
            "User-Agent": config.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en-GB,en;q=0.8",
        })
        self.pool: HostPool[Link] = HostPool(config.max_concurrency, self._host_limit)

    def run(self, links: list[Link]) -> list[LinkResult]:
        """Check every link once; results in the order of ``links``."""
        results: dict[str, LinkResult] = {}
        to_fetch: list[Link] = []
        for link in links:
            early = self._precheck(link)
            if early is None and self.cache is not None:
                early = self.cache.get(link.url)
                if early is not None:
                    self.stats.cached += 1
            if early is not None:
                early.sources, early.doi = list(link.sources), early.doi or link.doi
                results[link.url] = early
                self._report(early)
            else:
                to_fetch.append(link)

        def job(link: Link) -> None:
            result = self.check_url(link)
            with self._lock:
                results[link.url] = result
            if result.status is not LinkStatus.UNVERIFIABLE or not link.doi:
                self._report(result)

        self.pool.run(((_host_key(link.url), link) for link in to_fetch), job)
        self.stats.fetched = len(to_fetch)

        # Blocked papers: ask doi.org whether the DOI is still registered, so editors know the paper exists.
        blocked = [link for link in to_fetch if link.doi and DOI_PATTERN.match(link.doi)
                   and results[link.url].status is LinkStatus.UNVERIFIABLE]
        for link in to_fetch:
            if link.doi and results[link.url].status is LinkStatus.UNVERIFIABLE and link not in blocked:
                self._report(results[link.url])  # a malformed DOI: nothing to ask doi.org

        def doi_job(link: Link) -> None:
            result = results[link.url]
            result.doi_registered = self.doi_registered(link.doi or "")
            if result.doi_registered is not None:
                known = "registered" if result.doi_registered else "NOT registered"
                result.detail += f"; the DOI {link.doi} is {known} at doi.org"
            self._report(result)

        self.pool.run(((_host_key(self.config.doi_handle_api), link) for link in blocked), doi_job)
        self.stats.peak_per_host = self.pool.peaks()
        if self.cache is not None:
            for link in to_fetch:
                self.cache.put(results[link.url])
        return [results[link.url] for link in links]

    def check_url(self, link: Link) -> LinkResult:
        """Fetch one URL with retries inside its deadline, then classify what happened."""
        url = link.url
        host = urlsplit(url).hostname or ""
        override = self.config.host(host)
        cfg = override[1] if override else None
        deadline = time.monotonic() + (cfg.deadline if cfg and cfg.deadline else self.config.deadline)
        attempts = requests_sent = 0
        while True:
            attempts += 1
            attempt = self._follow(url, deadline)
            requests_sent += attempt.requests_total
            if not attempt.transient or attempts > self.config.retries:
                break
            if attempt.retry_after is not None:
                if attempt.retry_after > self.config.retry_after_max:
                    attempt.note = (f"the server asks to wait {attempt.retry_after:.0f} s, "
                                    f"more than retry_after_max ({self.config.retry_after_max:.0f} s)")
                    break
                wait = attempt.retry_after
                self.pool.pause(_host_key(url), wait)
            else:
                wait = self._backoff(attempts)
            if time.monotonic() + wait >= deadline:
                attempt.note = f"gave up at the {self._deadline_of(cfg):g} s deadline"
                break
            time.sleep(wait)
        result = classify(url, attempt, attempts, self.config)
        result.requests = requests_sent
        result.sources, result.doi = list(link.sources), link.doi
        return result

    def doi_registered(self, doi: str) -> bool | None:
        """Whether doi.org's handle API knows ``doi`` (None when it gives no clear answer)."""
        api = self.config.doi_handle_api.rstrip("/") + "/" + doi
        try:
            response = self._send("GET", api, time.monotonic() + self.config.read_timeout + self.config.connect_timeout)
        except requests.RequestException:
            return None
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        return None

    # -- one pass through a redirect chain ---------------------------------------------------------

    def _follow(self, url: str, deadline: float) -> Attempt:
        """Request ``url`` and follow its redirects by hand (to tell permanent from temporary hops)."""
        attempt = Attempt(final_url=url)
        seen: dict[str, int] = {_defrag(url): 1}
        current = url
        while True:
            response, error = self._hop(current, deadline, attempt)
            if error is not None:
                attempt.error, attempt.message = error
                return attempt
            assert response is not None
            attempt.code = response.status_code
            attempt.final_url = current
            location = self.session.get_redirect_target(response) if response.status_code in REDIRECT_CODES else None
            if not location:
                if response.status_code in (429, 503):
                    attempt.retry_after = _retry_after(response.headers.get("Retry-After"))
                return attempt
            target = requests.utils.requote_uri(urljoin(current, location))
            attempt.hops.append((response.status_code, target))
            key = _defrag(target)
            seen[key] = seen.get(key, 0) + 1
            # One return visit is allowed: some sites bounce through a cookie check and back.
            if seen[key] > 2:
                attempt.error = "loop"
                chain = [url]
                for _, hop in attempt.hops:
                    chain.append(hop)
                    if hop in chain[:-1]:
                        break
                attempt.message = "redirect loop: " + " → ".join(chain)
                return attempt
            if len(attempt.hops) > self.config.max_redirects:
                attempt.error = "too-many-redirects"
                attempt.message = f"more than {self.config.max_redirects} redirects (the last to {target})"
                return attempt
            current = target

    def _hop(self, url: str, deadline: float, attempt: Attempt):
        """HEAD, then GET when HEAD is refused or fails: (response, None) or (None, (kind, message))."""
        host = _host_key(url)
        first = None
        if host not in self._head_refused:
            first = self._try("HEAD", url, deadline, attempt)
            response, error = first
            # 429 means slow down: a GET straight after would only add to the load.
            if response is not None and (response.status_code < 400 or response.status_code == 429):
                return first
            if response is not None and response.status_code in (405, 501):
                with self._lock:
                    self._head_refused.add(host)
            if time.monotonic() >= deadline:
                return first
        return self._try("GET", url, deadline, attempt)

    def _try(self, method: str, url: str, deadline: float, attempt: Attempt):
        attempt.requests_total += 1
        try:
            return self._send(method, url, deadline), None
        except requests.RequestException as exc:
            return None, _describe_error(exc)
        except (ValueError, UnicodeError) as exc:  # e.g. an address that cannot be encoded
            return None, ("invalid-url", f"the address cannot be fetched: {exc}")

    def _send(self, method: str, url: str, deadline: float) -> requests.Response:
        """One request that reads the status line and headers only, within what is left of the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise requests.exceptions.ReadTimeout("deadline reached before the request")
        host = urlsplit(url).hostname or ""
        override = self.config.host(host)
        cfg = override[1] if override else None
        connect = min(cfg.connect_timeout if cfg and cfg.connect_timeout else self.config.connect_timeout, remaining)
        read = min(cfg.read_timeout if cfg and cfg.read_timeout else self.config.read_timeout, remaining)
        with self._lock:
            self.stats.requests += 1
        response = self.session.request(method, _defrag(url), allow_redirects=False, stream=True,
                                        timeout=(connect, read), proxies=self._proxies_for(url))
        if method == "HEAD" or response.headers.get("Content-Length") == "0" or response.status_code in (204, 304):
            # Nothing to read: mark the (empty) body consumed so the connection goes back to the pool.
            response.content  # noqa: B018
        # Closing an unread GET body drops that connection: cheaper than downloading a page.
        response.close()
        return response

    # -- helpers -------------------------------------------------------------------------------------

    def _precheck(self, link: Link) -> LinkResult | None:
        """A result for links that are never fetched: mail, phone and text numbers, excluded, malformed."""
        url = link.url
        lowered = url.lower()
        if lowered.startswith("mailto:"):
            addresses = unquote(url[7:].split("?", 1)[0])
            if addresses and all(_EMAIL.match(a.strip()) for a in addresses.split(",")):
                return LinkResult(url, LinkStatus.SKIPPED, detail="e-mail address: syntax checked, nothing sent")
            return LinkResult(url, LinkStatus.BROKEN, detail=f"not a valid e-mail address: '{addresses}'")
        if lowered.startswith(("tel:", "sms:")):
            number = unquote(url[4:].split("?", 1)[0])
            if _PHONE.match(number):
                return LinkResult(url, LinkStatus.SKIPPED, detail="phone number: syntax checked, not called")
            return LinkResult(url, LinkStatus.BROKEN, detail=f"not a valid phone number: '{number}'")
        rule = self.config.excluded(url)
        if rule is not None:
            return LinkResult(url, LinkStatus.SKIPPED, detail=f"excluded in links.yaml: {rule.reason}")
        if link.doi and url.startswith(self.config.doi_resolver.rstrip("/") + "/") and not DOI_PATTERN.match(link.doi):
            return LinkResult(url, LinkStatus.BROKEN, detail=f"'{link.doi}' is not a DOI (DOIs start with '10.')")
        scheme, _, rest = url.partition(":")
        if not rest or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
            return LinkResult(url, LinkStatus.BROKEN, detail="not a full address: it needs https:// in front")
        if scheme.lower() not in ("http", "https"):
            return LinkResult(url, LinkStatus.SKIPPED, detail=f"{scheme}: links are not checked")
        if any(c.isspace() for c in url):
            return LinkResult(url, LinkStatus.BROKEN, detail="the address contains a space")
        if not urlsplit(url).hostname:
            return LinkResult(url, LinkStatus.BROKEN, detail="the address has no host name")
        return None

    def _proxies_for(self, url: str) -> dict[str, str]:
        """The environment's proxies for this URL's host (honouring no_proxy), looked up once per host."""
        key = _host_key(url)
        proxies = self._proxies.get(key)
        if proxies is None:
            proxies = self._proxies[key] = requests.utils.get_environ_proxies(url)
        return proxies

    def _host_limit(self, host: str) -> int:
        override = self.config.host(host.rsplit(":", 1)[0])
        if override and override[1].max_concurrency:
            return override[1].max_concurrency
        return self.config.max_per_host

    def _backoff(self, attempts: int) -> float:
        """Exponential backoff with jitter, so that retries from many links do not arrive together."""
        base = self.config.backoff * (2 ** (attempts - 1))
        return min(self.config.backoff_max, base * random.uniform(0.5, 1.5))

    def _deadline_of(self, cfg) -> float:
        return cfg.deadline if cfg and cfg.deadline else self.config.deadline

    def _report(self, result: LinkResult) -> None:
        if self.on_result is not None:
            with self._lock:
                self.on_result(result)

    def close(self) -> None:
        self.session.close()


def check(links: list[Link], config: LinksConfig, cache: Cache | None = None,
          on_result: Callable[[LinkResult], None] | None = None) -> tuple[list[LinkResult], CheckStats]:
    """Check ``links`` (already merged, one per URL); the library entry point."""
    checker = Checker(config, cache, on_result)
    try:
        return checker.run(links), checker.stats
    finally:
        checker.close()


def _host_key(url: str) -> str:
    """``host:port``: what the per-host limit counts (127.0.0.2:8000 and :8001 are two servers)."""
    split = urlsplit(url)
    try:
        port = split.port
    except ValueError:
        port = None
    port = port or (443 if split.scheme == "https" else 80)
    return f"{split.hostname or ''}:{port}"


def _defrag(url: str) -> str:
    return url.split("#", 1)[0]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe_error(exc: BaseException) -> tuple[str, str]:
    """(kind, message) for a failed request; kinds are read by `classify`."""
    causes = list(_causes(exc))
    if isinstance(exc, requests.exceptions.SSLError) or any(isinstance(c, ssl.SSLError) for c in causes):
        reason = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
        text = reason.verify_message if reason is not None and reason.verify_message else _last_words(exc)
        return "tls", f"invalid TLS certificate: {text}"
    if isinstance(exc, requests.exceptions.Timeout) or any(isinstance(c, (socket.timeout, TimeoutError)) for c in causes):
        return "timeout", "timed out"
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return "dns", "name not found: the host name does not exist in DNS"
            return "dns-temporary", f"the name could not be looked up ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return "refused", "connection refused: nothing is listening at this address"
    if type(exc).__name__ == "NameResolutionError" or any(type(c).__name__ == "NameResolutionError" for c in causes):
        return "dns-temporary", "the name could not be looked up"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return "invalid-url", f"not a valid address: {_last_words(exc)}"
    return "connection", f"the connection failed without an answer ({_last_words(exc)})"


def _causes(exc: BaseException):
    """Every exception wrapped inside ``exc`` (requests → urllib3 → socket)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nested in (current.__cause__, current.__context__, getattr(current, "reason", None),
                       *[a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]):
            if isinstance(nested, BaseException):
                stack.append(nested)


def _last_words(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(r"\(Caused by \w+\((.*)\)\)\s*$", text)
    if match:
        text = match.group(1)
    return text.strip("'\" ")[:200]
