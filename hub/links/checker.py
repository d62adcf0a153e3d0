"""Fetch links over HTTP and classify each one: concurrency, HEAD then GET, redirects, retries.

Every request streams and is closed after the headers: a link check never
downloads a page. Each URL and each redirect target is brought to its normal
form (`urls`) and checked against the exclusions before it is fetched; each
request runs under its link's deadline (`transport`). Rules for what each
answer means are in `classify`; the order of work is in `pool.HostPool`.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import unquote, urljoin

import urllib3
from urllib3.util import Timeout

from hub.links.classify import Attempt, classify
from hub.links.config import HostOverride, LinksConfig
from hub.links.errors import describe_error, retry_after
from hub.links.pool import HostPool
from hub.links.sources import DOI_PATTERN
from hub.links.transport import (
    Client,
    DeadlinePassed,
    Watchdog,
    environ_proxy,
    finish,
    redirect_target,
    requote,
)
from hub.links.types import Link, LinkResult, LinkStatus
from hub.links.urls import WEB_SCHEMES, BadURL, WebURL, host_key, parse_web_url, shorten

_EMAIL = re.compile(r"^[^@\s,;:<>()\[\]\\\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]{2,}$")
_SPACE = re.compile(r"\s")


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
    """Checks links with one pooled HTTP client; `run` is the entry point."""

    def __init__(self, config: LinksConfig, cache: Cache | None = None,
                 on_result: Callable[[LinkResult], None] | None = None) -> None:
        self.config = config
        self.cache = cache
        self.on_result = on_result
        self.stats = CheckStats()
        self._lock = threading.Lock()
        self._head_refused: set[str] = set()
        limits = [config.max_per_host] + [h.max_concurrency or 0 for h in config.hosts.values()]
        # One connection pool per host, as many connections as the host may have requests in
        # flight, so that connections are reused instead of opened per request. The CA bundle
        # variables are those requests read; proxies come from the environment once per host
        # (never ~/.netrc credentials).
        self.client = Client({
            "User-Agent": config.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en-GB,en;q=0.8",
        }, maxsize=max(limits),
            ca_bundle=os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None)
        self._proxies: dict[str, str | None] = {}
        self.pool: HostPool[Link] = HostPool(config.max_concurrency, self._host_limit)
        self.watchdog = Watchdog()
        self._parsed: dict[str, WebURL | str] = {}
        """Each link's normal form (or why it has none), parsed once per run."""

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

        self.pool.run(((self._web(link.url).host_key, link) for link in to_fetch), job)
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

        self.pool.run(((host_key(self.config.doi_handle_api), link) for link in blocked), doi_job)
        self.stats.peak_per_host = self.pool.peaks()
        if self.cache is not None:
            for link in to_fetch:
                self.cache.put(results[link.url])
        return [results[link.url] for link in links]

    def check_url(self, link: Link) -> LinkResult:
        """Fetch one URL with retries inside its deadline, then classify what happened."""
        url = link.url
        try:
            web = self._web(url)
        except BadURL as exc:  # `run` never gets here: `_precheck` reported it
            return LinkResult(url, LinkStatus.BROKEN, detail=str(exc), sources=list(link.sources), doi=link.doi)
        cfg = self._host_settings(web)
        deadline = time.monotonic() + self._deadline_of(cfg)
        attempts = requests_sent = 0
        while True:
            attempts += 1
            attempt = self._follow(url, web, deadline)
            requests_sent += attempt.requests_total
            if not attempt.transient or attempts > self.config.retries:
                break
            if attempt.retry_after is not None:
                if attempt.retry_after > self.config.retry_after_max:
                    attempt.note = (f"the server asks to wait {attempt.retry_after:.0f} s, "
                                    f"more than retry_after_max ({self.config.retry_after_max:.0f} s)")
                    break
                wait = attempt.retry_after
                self.pool.pause(web.host_key, wait)
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
            response = self._send("GET", parse_web_url(api),
                                  time.monotonic() + self.config.read_timeout + self.config.connect_timeout)
        except (*_REQUEST_ERRORS, ValueError, UnicodeError):  # BadURL is a ValueError
            return None
        if response.status == 200:
            return True
        if response.status == 404:
            return False
        return None

    # -- one pass through a redirect chain ---------------------------------------------------------

    def _follow(self, url: str, web: WebURL, deadline: float) -> Attempt:
        """Request ``url`` and follow its redirects by hand (to tell permanent from temporary hops).

        Each target is vetted before it is fetched: it must be an http(s)
        address that parses, and not excluded in links.yaml (issue 16).
        """
        attempt = Attempt(final_url=url)
        seen: dict[str, int] = {web.url: 1}
        current = url
        while True:
            response, error = self._hop(web, deadline, attempt)
            if error is not None:
                attempt.error, attempt.message = error
                return attempt
            assert response is not None
            code = attempt.code = response.status
            attempt.final_url = current
            location = redirect_target(response)
            if not location:
                if code in (429, 503):
                    attempt.retry_after = retry_after(response.headers.get("Retry-After"))
                return attempt
            try:
                target = requote(urljoin(current, location))
                web = parse_web_url(target)
            except ValueError as exc:  # BadURL, or urljoin's "Invalid IPv6 URL"
                attempt.error, attempt.message = _refused_redirect(code, location, exc)
                return attempt
            attempt.hops.append((code, target))
            rule = self.config.excluded(target)
            if rule is not None:
                attempt.excluded = rule.reason
                return attempt
            seen[web.url] = seen.get(web.url, 0) + 1
            # One return visit is allowed: some sites bounce through a cookie check and back.
            if seen[web.url] > 2:
                attempt.error = "loop"
                chain = [url]
                for _, hop in attempt.hops:
                    chain.append(hop)
                    if hop in chain[:-1]:
                        break
                attempt.message = "redirect loop: " + " → ".join(shorten(link) for link in chain)
                return attempt
            if len(attempt.hops) > self.config.max_redirects:
                attempt.error = "too-many-redirects"
                attempt.message = f"more than {self.config.max_redirects} redirects (the last to {shorten(target)})"
                return attempt
            current = target

    def _hop(self, web: WebURL, deadline: float, attempt: Attempt):
        """HEAD, then GET when HEAD is refused or fails: (response, None) or (None, (kind, message))."""
        host = web.host_key
        first = None
        if host not in self._head_refused:
            first = self._try("HEAD", web, deadline, attempt)
            response, error = first
            # 429 means slow down: a GET straight after would only add to the load.
            if response is not None and (response.status < 400 or response.status == 429):
                return first
            if response is not None and response.status in (405, 501):
                with self._lock:
                    self._head_refused.add(host)
            if time.monotonic() >= deadline:
                return first
        return self._try("GET", web, deadline, attempt)

    def _try(self, method: str, web: WebURL, deadline: float, attempt: Attempt):
        attempt.requests_total += 1
        try:
            return self._send(method, web, deadline), None
        except _REQUEST_ERRORS as exc:
            return None, describe_error(exc)
        except (ValueError, UnicodeError) as exc:  # e.g. an address that cannot be encoded
            return None, ("invalid-url", f"the address cannot be fetched: {exc}")

    def _send(self, method: str, web: WebURL, deadline: float) -> urllib3.HTTPResponse:
        """One request that reads the status line and headers only, all of it by ``deadline``."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlinePassed("deadline reached before the request")
        cfg = self._host_settings(web)
        connect = min(cfg.connect_timeout if cfg and cfg.connect_timeout else self.config.connect_timeout, remaining)
        read = min(cfg.read_timeout if cfg and cfg.read_timeout else self.config.read_timeout, remaining)
        with self._lock:
            self.stats.requests += 1
        with self.watchdog.guard(deadline) as guard:
            try:
                response = self.client.request(method, web.url, web.scheme, web.host, web.port,
                                               Timeout(connect=connect, read=read), self._proxy_for(web))
            except Exception:
                if guard.expired:
                    raise DeadlinePassed("the deadline passed during the request") from None
                raise
            if guard.expired:  # cut off mid-headers: http.client may have returned what it had
                response.close()
                raise DeadlinePassed("the deadline passed during the request")
            headers = response.headers
            finish(response, declared_empty=method == "HEAD" or response.status in (204, 304)
                   or (headers.get("Content-Length") == "0" and "Transfer-Encoding" not in headers))
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
        try:
            normal = self._web(url).url
        except BadURL:
            normal = None
        rule = self.config.excluded(url, normal)
        if rule is not None:
            return LinkResult(url, LinkStatus.SKIPPED, detail=f"excluded in links.yaml: {rule.reason}")
        if link.doi and url.startswith(self.config.doi_resolver.rstrip("/") + "/") and not DOI_PATTERN.match(link.doi):
            return LinkResult(url, LinkStatus.BROKEN, detail=f"'{link.doi}' is not a DOI (DOIs start with '10.')")
        scheme, _, rest = url.partition(":")
        if not rest or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
            return LinkResult(url, LinkStatus.BROKEN, detail="not a full address: it needs https:// in front")
        if scheme.lower() not in ("http", "https"):
            return LinkResult(url, LinkStatus.SKIPPED, detail=f"{scheme}: links are not checked")
        if _SPACE.search(url):
            return LinkResult(url, LinkStatus.BROKEN, detail="the address contains a space")
        try:
            self._web(url)
        except BadURL as exc:
            return LinkResult(url, LinkStatus.BROKEN, detail=str(exc))
        return None

    def _web(self, url: str) -> WebURL:
        """`urls.parse_web_url`, once per link and run; raises BadURL."""
        web = self._parsed.get(url)
        if web is None:
            try:
                web = parse_web_url(url)
            except BadURL as exc:
                web = str(exc)
            self._parsed[url] = web
        if isinstance(web, str):
            raise BadURL(web)
        return web

    def _proxy_for(self, web: WebURL) -> str | None:
        """The environment's proxy for this URL's host (honouring no_proxy), looked up once per host."""
        try:
            return self._proxies[web.host_key]
        except KeyError:
            proxy = self._proxies[web.host_key] = environ_proxy(web.url)
            return proxy

    def _host_settings(self, web: WebURL) -> HostOverride | None:
        override = self.config.host(web.host)
        return override[1] if override else None

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
        self.watchdog.close()
        self.client.close()


_REQUEST_ERRORS = (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)
"""What a request may raise: urllib3's errors (MaxRetryError for a failed connection), a broken answer, the socket's."""


def check(links: list[Link], config: LinksConfig, cache: Cache | None = None,
          on_result: Callable[[LinkResult], None] | None = None) -> tuple[list[LinkResult], CheckStats]:
    """Check ``links`` (already merged, one per URL); the library entry point."""
    checker = Checker(config, cache, on_result)
    try:
        return checker.run(links), checker.stats
    finally:
        checker.close()


def _refused_redirect(code: int, location: str, exc: Exception) -> tuple[str, str]:
    """(kind, message) for a redirect target that is not fetched: another scheme, or not an address."""
    scheme = location.split(":", 1)[0].lower() if ":" in location else ""
    if re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) and scheme not in WEB_SCHEMES and not location.startswith("/"):
        return "redirect-scheme", (f"redirects ({code}) to a {scheme}: address ({shorten(location, 80)}), "
                                   "not a web page: only http and https redirects are followed")
    why = str(exc) if isinstance(exc, BadURL) else "not a valid address"
    return "invalid-redirect", f"redirects ({code}) to '{shorten(location, 120)}', which cannot be fetched: {why}"
