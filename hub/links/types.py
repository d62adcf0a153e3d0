"""The values the link checker passes between stages: links, where they came from, and outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LinkStatus(StrEnum):
    """The outcome of checking one link; the JSON report's ``status`` values."""

    OK = "ok"
    """2xx, also after temporary redirects (302/303/307), or a code accepted for the host in links.yaml."""
    REDIRECTED = "redirected"
    """A permanent redirect (301/308) ending in 2xx: the link works but should be updated."""
    BROKEN = "broken"
    """Really broken: 404, 410, other 4xx, DNS failure, refused connection, bad TLS, loop, persistent 5xx,
    a malformed address, a redirect to a malformed address or to something that is not a web page."""
    UNVERIFIABLE = "unverifiable"
    """The server would not say: 401, 403, 429, odd codes, answers that are not HTTP, or timeouts that persisted."""
    SKIPPED = "skipped"
    """Not fetched: mailto:/tel: (syntax checked only) and URLs excluded in links.yaml, also as redirect targets."""

    def is_failure(self, strict: bool = False) -> bool:
        """Whether this outcome fails the run (unverifiable only under --strict)."""
        return self is LinkStatus.BROKEN or (strict and self is LinkStatus.UNVERIFIABLE)

    def icon(self) -> str:
        return _ICONS[self]

    def label(self) -> str:
        """A heading for reports: ``Broken``, ``Redirected``…"""
        return self.value.capitalize()


_ICONS = {
    LinkStatus.OK: "✔",
    LinkStatus.REDIRECTED: "↪",
    LinkStatus.BROKEN: "✘",
    LinkStatus.UNVERIFIABLE: "?",
    LinkStatus.SKIPPED: "–",
}

REPORT_ORDER = (
    LinkStatus.BROKEN,
    LinkStatus.UNVERIFIABLE,
    LinkStatus.REDIRECTED,
    LinkStatus.SKIPPED,
    LinkStatus.OK,
)
"""Most urgent first: the order of sections in every report."""


@dataclass(frozen=True, order=True)
class Source:
    """Where a link was written: a file as editors see it and a 1-based line."""

    file: str
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line}


@dataclass
class Link:
    """One distinct URL to check, with every place it appears."""

    url: str
    sources: list[Source] = field(default_factory=list)
    doi: str | None = None
    """The DOI of the record the URL belongs to, checked at doi.org when the URL is blocked."""
    internal: bool = False
    """A link inside the built site, already resolved by the site source."""

    def add_source(self, source: Source) -> None:
        if source not in self.sources:
            self.sources.append(source)


@dataclass
class LinkResult:
    """What the checker found out about one link."""

    url: str
    status: LinkStatus
    code: int | None = None
    """The last HTTP status code received, if any."""
    detail: str = ""
    final_url: str | None = None
    """Where redirects ended; for ``redirected``, the address editors should write instead."""
    sources: list[Source] = field(default_factory=list)
    doi: str | None = None
    doi_registered: bool | None = None
    """For a blocked link with a DOI: whether doi.org knows the DOI (None: not checked or no answer)."""
    last_ok: str | None = None
    """When the link last checked ok (ISO 8601, UTC), from the state file."""
    failing_since: str | None = None
    consecutive_failures: int = 0
    cached: bool = False
    requests: int = 0
    """HTTP requests this result cost (0 when cached or not fetched)."""

    def to_dict(self) -> dict:
        """The JSON report's result object: the contract fields first, then the extras."""
        data = {
            "url": self.url,
            "status": self.status.value,
            "code": self.code,
            "detail": self.detail,
            "final_url": self.final_url,
            "sources": [s.to_dict() for s in sorted(self.sources)],
        }
        if self.doi:
            data["doi"] = self.doi
            data["doi_registered"] = self.doi_registered
        data["last_ok"] = self.last_ok
        data["failing_since"] = self.failing_since
        data["consecutive_failures"] = self.consecutive_failures
        data["cached"] = self.cached
        return data


def merge_links(links: list[Link]) -> list[Link]:
    """One `Link` per distinct URL, keeping every source and the first DOI seen."""
    merged: dict[str, Link] = {}
    for link in links:
        seen = merged.get(link.url)
        if seen is None:
            merged[link.url] = Link(link.url, list(link.sources), link.doi, link.internal)
            continue
        for source in link.sources:
            seen.add_source(source)
        seen.doi = seen.doi or link.doi
    return list(merged.values())
