"""What an answer means: the rules that turn HTTP codes and errors into a `LinkStatus`.

A red run must mean a link is really broken, so only answers that say so
(404, 410, other 4xx, a name that does not exist, a refused connection, a
bad certificate, a redirect loop, a 5xx that persists) are broken. Servers
that will not say (401, 403, 429, odd codes, timeouts: bot walls, logins and
slow hosts, a 503 announcing when to come back) are unverifiable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

from hub.links.config import LinksConfig
from hub.links.types import LinkResult, LinkStatus
from hub.links.urls import hostname, shorten

PERMANENT = frozenset({301, 308})
BLOCKED = frozenset({401, 403, 429})

# Error kinds worth another attempt (`Attempt.error`); the others are definite answers.
TRANSIENT_ERRORS = frozenset({"timeout", "connection", "refused", "dns-temporary"})
BROKEN_ERRORS = frozenset({"dns", "refused", "tls", "loop", "too-many-redirects", "invalid-url",
                           "redirect-scheme", "invalid-redirect"})
# The rest ("timeout", "connection", "dns-temporary", "protocol": an answer that is not HTTP) are unverifiable.


@dataclass
class Attempt:
    """One pass through a URL's redirect chain."""

    code: int | None = None
    final_url: str = ""
    hops: list[tuple[int, str]] = field(default_factory=list)
    """(code, target) for each redirect followed."""
    error: str | None = None
    message: str = ""
    retry_after: float | None = None
    excluded: str | None = None
    """The links.yaml reason when the last redirect pointed at an excluded URL (not followed)."""
    note: str = ""
    """Why retrying stopped early (deadline, a Retry-After above the cap)."""
    requests_total: int = 0

    @property
    def transient(self) -> bool:
        if self.error is not None:
            return self.error in TRANSIENT_ERRORS
        code = self.code or 0
        return code >= 500 or code == 429 or not is_standard(code)


def is_standard(code: int) -> bool:
    """A code from the HTTP registry (999 from bot walls is not)."""
    return 100 <= code <= 599


def reason(code: int) -> str:
    """``404 Not Found``."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} (not a standard HTTP code)"


def classify(url: str, attempt: Attempt, attempts: int, config: LinksConfig) -> LinkResult:
    """The status of a link from its last attempt."""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    note = f" ({attempt.note})" if attempt.note else ""
    final = attempt.final_url if attempt.hops else None

    if attempt.excluded is not None:
        code, target = attempt.hops[-1]
        return LinkResult(url, LinkStatus.SKIPPED, code,
                          f"redirects ({code}) to {shorten(target)}, which is excluded in links.yaml "
                          f"({attempt.excluded}): not followed", target)
    if attempt.error is not None:
        status = LinkStatus.BROKEN if attempt.error in BROKEN_ERRORS else LinkStatus.UNVERIFIABLE
        if attempt.error == "timeout":
            message = f"timed out{tries}: the server did not answer in time"
        else:
            message = attempt.message + (f" ({attempts} attempts)" if attempts > 1 else "")
        return LinkResult(url, status, None, message + note, final)

    code = attempt.code or 0
    accepted = _accepted(code, url, attempt.final_url, config)
    if accepted:
        return LinkResult(url, LinkStatus.OK, code, f"{reason(code)}, accepted for {accepted}", final)

    if 200 <= code < 300:
        permanent = 0
        while permanent < len(attempt.hops) and attempt.hops[permanent][0] in PERMANENT:
            permanent += 1
        if permanent:
            target = attempt.hops[permanent - 1][1]
            codes = " → ".join(str(c) for c, _ in attempt.hops[:permanent])
            detail = f"moved permanently ({codes}) to {shorten(target)}"
            if permanent < len(attempt.hops):
                detail += f" (which then redirects temporarily to {shorten(attempt.final_url)})"
            return LinkResult(url, LinkStatus.REDIRECTED, code, detail, target)
        detail = f"{reason(code)} after a temporary redirect" if attempt.hops else reason(code)
        return LinkResult(url, LinkStatus.OK, code, detail, final)

    where = f" (after redirects, at {shorten(attempt.final_url)})" if attempt.hops else ""
    if code in BLOCKED:
        why = {401: "a login is required", 403: "the server refuses automated checks",
               429: "the server is rate limiting us"}[code]
        return LinkResult(url, LinkStatus.UNVERIFIABLE, code, f"{reason(code)}{tries}: {why}{where}{note}", final)
    if 400 <= code < 500:
        return LinkResult(url, LinkStatus.BROKEN, code, f"{reason(code)}{where}", final)
    if code == 503 and attempt.retry_after is not None:
        # The server itself says the outage is temporary and when to come back (maintenance).
        return LinkResult(url, LinkStatus.UNVERIFIABLE, code,
                          f"{reason(code)}{tries}: down for now, the server asks to come back later{where}{note}",
                          final)
    if 500 <= code < 600:
        return LinkResult(url, LinkStatus.BROKEN, code, f"{reason(code)}{tries}: the server keeps failing{where}{note}",
                          final)
    if 300 <= code < 400:
        return LinkResult(url, LinkStatus.UNVERIFIABLE, code, f"{reason(code)} without a Location to follow{where}",
                          final)
    return LinkResult(url, LinkStatus.UNVERIFIABLE, code, f"{reason(code)}{tries}: the server will not say{where}{note}",
                      final)


def _accepted(code: int, url: str, final_url: str, config: LinksConfig) -> str | None:
    """The host whose links.yaml entry accepts ``code`` (for the URL or where it ended), if any."""
    if not config.hosts:
        return None
    for address in dict.fromkeys((url, final_url)):
        override = config.host(hostname(address))
        if override and code in override[1].accept:
            return f"{override[0]} in links.yaml ({override[1].reason})"
    return None
