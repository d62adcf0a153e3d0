"""A small client for the Crossref REST API: a work's details, and the notices that update it.

Two uses: `hub new paper --doi` pre-fills a record from ``GET /works/{doi}``, and
`hub review --online` asks whether a cited paper has since been retracted,
corrected or given an expression of concern. Crossref records such updates in
three places, and we read all of them because publishers deposit them unevenly:

* ``updated-by`` on the paper's own record (publisher notices and, since 2025,
  the Retraction Watch database's entries, with ``source: retraction-watch``);
* ``update-to`` on each notice, found with ``GET /works?filter=updates:{doi}``;
* ``relation`` entries whose type names a retraction, correction or concern.

The base URL comes from ``--crossref-url``, else ``crossref.base_url`` in
``editorial/review.yaml``, else ``https://api.crossref.org`` (tests point the
setting at a local server). Requests carry
a polite User-Agent with the editors' contact address (Crossref's "polite
pool"), as Crossref asks of every client.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests

from hub import __version__

DEFAULT_URL = "https://api.crossref.org"

RETRACTION = "retraction"
CONCERN = "expression-of-concern"
CORRECTION = "correction"
OTHER = "other"

_KINDS = {
    "retraction": RETRACTION,
    "partial_retraction": RETRACTION,
    "withdrawal": RETRACTION,
    "removal": RETRACTION,
    "expression_of_concern": CONCERN,
    "correction": CORRECTION,
    "erratum": CORRECTION,
    "corrigendum": CORRECTION,
}
"""Crossref's update types (``update-to[].type``) → what the review reports."""

KIND_WORDS = {
    RETRACTION: "a retraction of",
    CONCERN: "an expression of concern about",
    CORRECTION: "a correction of",
    OTHER: "an update to",
}
"""How the report names each kind of update, ready for the record's name."""


class CrossrefError(Exception):
    """Crossref could not answer; the message says why, for editors."""


class Unreachable(CrossrefError):
    """No answer at all (offline, DNS, timeout, server error)."""


class NotFound(CrossrefError):
    """Crossref has no record of this DOI."""


@dataclass(frozen=True)
class Update:
    """A notice that updates a paper: a retraction, correction, expression of concern…"""

    kind: str
    """`RETRACTION`, `CONCERN`, `CORRECTION` or `OTHER`."""
    label: str
    """Crossref's own wording, e.g. ``Retraction``, ``Expression of concern``."""
    date: dt.date | None
    date_text: str
    """The date as precisely as Crossref gives it: ``2024``, ``2024-05`` or ``2024-05-01``."""
    notice_doi: str | None
    source: str
    """``publisher``, ``retraction-watch`` or ''."""

    @property
    def link(self) -> str | None:
        return f"https://doi.org/{self.notice_doi}" if self.notice_doi else None


def base_url(option: str | None = None, configured: str | None = None) -> str:
    """``--crossref-url``, else editorial/review.yaml's ``crossref.base_url``, else Crossref's own address."""
    return (option or configured or DEFAULT_URL).rstrip("/")


class Crossref:
    """``GET /works/{doi}`` and ``GET /works?filter=updates:{doi}``, politely."""

    def __init__(self, url: str | None = None, mailto: str = "", timeout: float = 20.0,
                 session: requests.Session | None = None, retry_wait: float = 2.0) -> None:
        self.url = base_url(url)
        self.mailto = mailto
        self.timeout = timeout
        self.retry_wait = retry_wait
        self.session = session or requests.Session()
        contact = f"; mailto:{mailto}" if mailto else ""
        self.session.headers["User-Agent"] = f"selfharm-care-hub/{__version__} (editorial tools{contact})"

    def _get(self, path: str, params: dict | None = None) -> dict:
        params = dict(params or {})
        if self.mailto:
            params["mailto"] = self.mailto
        url = f"{self.url}{path}"
        for attempt in (1, 2):
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except requests.RequestException as exc:
                raise Unreachable(_reason(exc)) from None
            if response.status_code == 404:
                raise NotFound("Crossref has no record of this DOI")
            if response.status_code in (429, 500, 502, 503, 504) and attempt == 1:
                wait = response.headers.get("Retry-After", "")
                time.sleep(min(float(wait) if wait.isdigit() else self.retry_wait, 10.0))
                continue
            if response.status_code != 200:
                raise Unreachable(f"HTTP {response.status_code} from {self.url}")
            try:
                return response.json()
            except ValueError:
                raise Unreachable(f"{self.url} did not answer with JSON") from None
        raise Unreachable(f"no answer from {self.url}")  # pragma: no cover - loop always returns

    def work(self, doi: str) -> dict:
        """The work's metadata (the ``message`` of ``/works/{doi}``)."""
        return self._get(f"/works/{quote(doi, safe='/:;()')}").get("message") or {}

    def notices(self, doi: str) -> list[dict]:
        """Works whose ``update-to`` names this DOI (retraction notices, errata…)."""
        if "," in doi:  # a comma would split Crossref's filter list: rely on updated-by
            return []
        data = self._get("/works", {"filter": f"updates:{doi}", "rows": 50})
        return (data.get("message") or {}).get("items") or []

    def updates(self, doi: str) -> tuple[dict, list[Update]]:
        """The work and every update recorded for it, newest first, without repeats."""
        work = self.work(doi)
        found = updates_of(doi, work, self.notices(doi))
        return work, found


def updates_of(doi: str, work: dict, notices: list[dict]) -> list[Update]:
    """Collect updates from ``updated-by``, the notices' ``update-to`` and ``relation``."""
    out: dict[tuple, Update] = {}

    def add(entry: dict, notice_doi: str | None) -> None:
        update = _update(entry, notice_doi)
        key = (update.kind, update.notice_doi.lower() if update.notice_doi else update.date_text)
        if key not in out or (out[key].date is None and update.date is not None):
            out[key] = update  # the same notice seen twice: keep the one with a date

    for entry in work.get("updated-by") or []:
        add(entry, entry.get("DOI"))
    for notice in notices:
        for entry in notice.get("update-to") or []:
            if str(entry.get("DOI", "")).lower() == doi.lower():
                add(entry, notice.get("DOI"))
    for rel_type, targets in (work.get("relation") or {}).items():
        kind = _relation_kind(rel_type)
        for target in targets if kind else []:
            if target.get("id-type", "doi") == "doi":
                add({"type": kind, "label": rel_type.replace("-", " ").capitalize()}, target.get("id"))
    if not any(u.kind == RETRACTION for u in out.values()):
        title = " ".join(work.get("title") or [])
        if re.match(r"\s*retracted\b", title, re.IGNORECASE):
            add({"type": "retraction", "label": "Title marked RETRACTED", "source": "title"}, None)
    return sorted(out.values(), key=lambda u: u.date or dt.date.min, reverse=True)


def _relation_kind(rel_type: str) -> str | None:
    name = rel_type.lower()
    if name.endswith("-of"):  # "is-correction-of": this work is the notice, not the paper
        return None
    for word, kind in (("retract", "retraction"), ("concern", "expression_of_concern"),
                       ("correct", "correction"), ("errat", "erratum")):
        if word in name:
            return kind
    return None


def _update(entry: dict, notice_doi: str | None) -> Update:
    raw = str(entry.get("type", "")).lower().replace("-", "_").replace(" ", "_")
    date, text = _date(entry.get("updated"))
    return Update(
        kind=_KINDS.get(raw, OTHER),
        label=str(entry.get("label") or raw.replace("_", " ").capitalize() or "Update"),
        date=date, date_text=text, notice_doi=notice_doi or None,
        source=str(entry.get("source", "")),
    )


def _date(value) -> tuple[dt.date | None, str]:
    parts = ((value or {}).get("date-parts") or [[]])[0] or []
    parts = [int(p) for p in parts if p is not None][:3]
    if not parts:
        return None, "date unknown"
    year, month, day = (parts + [1, 1])[:3]
    text = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
    try:
        return dt.date(year, month, day), text
    except ValueError:
        return None, text


# --- pre-filling a paper ---------------------------------------------------


def record_fields(work: dict) -> dict:
    """Crossref's work → the fields of a paper record (only those Crossref knows)."""
    out: dict = {}
    title = _clean(" ".join(work.get("title") or []))
    subtitle = _clean(" ".join(work.get("subtitle") or []))
    if title:
        out["title"] = f"{title}: {subtitle}" if subtitle and subtitle.lower() not in title.lower() else title
    authors = [_author(a) for a in work.get("author") or []]
    if authors := [a for a in authors if a]:
        out["authors"] = authors
    journal = _clean(" ".join((work.get("container-title") or [])[:1]))
    if journal:
        out["journal"] = journal
    for source, target in (("volume", "volume"), ("issue", "issue"), ("page", "pages"), ("article-number", "pages")):
        if work.get(source) and target not in out:
            text = _clean(str(work[source]))
            # a plain number is written unquoted, as the data files do (`volume: 8`)
            out[target] = int(text) if re.fullmatch(r"[1-9][0-9]{0,8}", text) else text
    for key in ("published", "published-print", "published-online", "issued"):
        date, text = _date(work.get(key))
        if date:
            out["year"] = date.year
            if text.count("-") == 2 and key in ("published", "published-online", "published-print"):
                out["published"] = text
            break
    return out


def _clean(text: str) -> str:
    """Crossref titles may hold JATS/HTML tags (<i>, <sub>) and entities."""
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def initials(given: str) -> str:
    """``Keith E.`` → ``KE``; ``Jean-Pierre`` → ``JP``."""
    return "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha())


def _author(author: dict) -> str:
    if author.get("family"):
        family = _clean(author["family"])
        given = initials(_clean(author.get("given", "")))
        return f"{family} {given}".strip()
    return _clean(author.get("name", ""))


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        if "Name or service not known" in text or "NameResolution" in text or "getaddrinfo" in text:
            return "the address could not be looked up: no internet connection?"
        return "the connection failed: no internet connection?"
    return type(exc).__name__
