"""The downloads generated with every build: JSON, CSV, BibTeX, RIS, iCalendar and Atom.

Each writer is a pure function returning the file's text, and each escapes
for its own format: JSON and CSV through the standard library, BibTeX with
LaTeX escapes, RIS by keeping every value on one line, iCalendar with RFC 5545
escapes and line folding, Atom through ElementTree. Summaries keep their
inline Markdown in JSON and CSV and become plain text elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET

from hub.catalogue.load import Catalogue
from hub.catalogue.model import Event, Resource
from hub.catalogue.vocabulary import ResourceType
from hub.render.citation import (
    citation_text,
    creators,
    is_citable,
    link_target,
    split_author,
    type_noun,
    year_of,
)
from hub.render.escape import one_line, plain_text
from hub.render.paths import DOWNLOAD_FILES, EVENTS, WHATS_NEW, WHATS_NEW_COUNT, entry_urls, page_url

SITE_NAME = "Self-harm care resource hub"
FEED_SIZE = WHATS_NEW_COUNT
"""The Atom feed holds the newest resources by date added, as What's new lists them."""
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:self-harm-care-resource-hub")
"""Feed and entry ids are stable UUIDs derived from record ids, whatever the site's address."""


DOWNLOAD_NAMES = tuple(DOWNLOAD_FILES)
"""json, csv, bibtex, ris, ics, atom: the downloads, in the order they are listed."""


def render_download(name: str, cat: Catalogue, build_date: dt.date, base_url: str | None = None) -> str:
    """One download by its name in `DOWNLOAD_NAMES`."""
    resources = list(cat.resources.values())
    if name == "json":
        return resources_json(cat, entry_urls(cat), build_date)
    if name == "csv":
        return resources_csv(cat, entry_urls(cat))
    if name == "bibtex":
        return bibtex([r for r in resources if is_citable(r)], entry_urls(cat), base_url)
    if name == "ris":
        return ris([r for r in resources if is_citable(r)], entry_urls(cat), base_url)
    if name == "ics":
        return icalendar(cat.events, build_date, base_url)
    if name == "atom":
        return atom(newest(resources), entry_urls(cat), base_url)
    raise ValueError(f"unknown download {name!r}; expected one of {', '.join(DOWNLOAD_NAMES)}")


def newest(resources: list[Resource], count: int = FEED_SIZE) -> list[Resource]:
    return sorted(resources, key=lambda r: (r.added, r.id), reverse=True)[:count]


def _absolute(base_url: str | None, path: str) -> str | None:
    return base_url.rstrip("/") + "/" + path if base_url else None


# --- JSON and CSV: the whole catalogue ------------------------------------------


def resources_json(cat: Catalogue, urls: dict[str, str], build_date: dt.date) -> str:
    """Topics, sections (with the ids they list) and every resource with its citation and page.

    One resource per line: readable, diffable, and written by the C encoder
    (`indent=` would fall back to the pure-Python one, ten times slower).
    """
    head = {
        "title": f"{SITE_NAME}: resources",
        "generated": build_date.isoformat(),
        "count": len(cat.resources),
        "topics": [t.model_dump(mode="json") for t in cat.topics.values()],
        "sections": [
            {"id": s.id, "number": s.number, "title": s.title,
             "subsections": [{"id": sub.id, "title": sub.title, "resources": list(sub.resources)}
                             for sub in s.subsections]}
            for s in cat.sections
        ],
    }
    lines = [f'  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},' for key, value in head.items()]
    records = [json.dumps({**r.model_dump(mode="json"), **_reviewed(r), "citation": citation_text(r),
                           "page": urls[r.id]}, ensure_ascii=False) for r in cat.resources.values()]
    return "{\n" + "\n".join(lines) + '\n  "resources": [\n    ' + ",\n    ".join(records) + "\n  ]\n}\n"


def _reviewed(r: Resource) -> dict:
    """`last_reviewed` as the site shows it: empty unless there was a review (not the `added` date again)."""
    return {"last_reviewed": r.reviewed.isoformat() if r.reviewed else None}


CSV_COLUMNS = [
    "id", "type", "type_label", "title", "alt_titles", "authors", "organisation", "journal", "volume",
    "issue", "pages", "year", "published", "doi", "url", "url_format", "summary", "key_points",
    "audience", "setting", "topics", "status", "superseded_by", "status_note", "notice", "added",
    "last_reviewed", "citation", "page",
]
"""Lists are joined with '; ' (authors, audience, setting, topics) or a new line (alt_titles, key_points)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """One CSV cell; a leading apostrophe stops spreadsheets reading text as a formula (CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def resources_csv(cat: Catalogue, urls: dict[str, str]) -> str:
    """One row per resource, UTF-8 with a byte-order mark so that Excel reads it correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in cat.resources.values():
        row = r.model_dump(mode="json")
        row.update(
            **_reviewed(r),
            type_label=ResourceType(row["type"]).label,
            alt_titles="\n".join(r.alt_titles),
            authors="; ".join(r.authors),
            key_points="\n".join(r.key_points),
            audience="; ".join(row["audience"]),
            setting="; ".join(row["setting"]),
            topics="; ".join(r.topics),
            citation=citation_text(r),
            page=urls[r.id],
        )
        writer.writerow([_cell(row.get(name)) for name in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


# --- BibTeX and RIS: references -------------------------------------------------

_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))

BIBTEX_TYPES = {"paper": "article"}
"""Papers are articles; everything else with a publisher is a @techreport (with `type` naming it), else @misc."""


def latex(value: object) -> str:
    """Text with LaTeX's special characters escaped (BibTeX field values are LaTeX)."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], one_line(value))


def _bib_url(url: str) -> str:
    # biblatex reads `url` verbatim; only braces would end the field early.
    return url.replace("{", "%7B").replace("}", "%7D")


def _bib_name(name: str, corporate: bool) -> str:
    if corporate:
        return "{" + latex(name) + "}"
    surname, initials = split_author(name)
    if not initials:
        return "{" + latex(name) + "}"
    return f"{latex(surname)}, {' '.join(c + '.' for c in initials)}"


def bibtex(resources: list[Resource], urls: dict[str, str], base_url: str | None = None) -> str:
    """One entry per citable resource, keyed by its id."""
    chunks = [f"% {SITE_NAME}: papers and guidance. Generated; do not edit by hand.\n"]
    for r in resources:
        kind = BIBTEX_TYPES.get(str(r.type)) or ("techreport" if r.organisation else "misc")
        names = creators(r)
        fields: list[tuple[str, str]] = []
        if names:
            fields.append(("author", " and ".join(_bib_name(n, not r.authors) for n in names)))
        fields.append(("title", "{" + latex(r.title) + "}"))
        if r.journal:
            fields.append(("journal", latex(r.journal)))
        if kind == "techreport":
            fields += [("institution", latex(r.organisation)), ("type", latex(r.type.label))]
        elif r.organisation and kind == "misc":
            fields.append(("publisher", latex(r.organisation)))
        year = year_of(r)
        if year:
            fields.append(("year", str(year)))
        if r.published:
            fields.append(("month", r.published.strftime("%b").lower()))
        for name, value in (("volume", r.volume), ("number", r.issue), ("pages", r.pages)):
            if value:
                fields.append((name, latex(str(value).replace("-", "--"))))
        if r.doi:
            fields.append(("doi", _bib_url(r.doi)))
        target = r.url or (None if r.doi else _absolute(base_url, urls[r.id]))
        if target:
            fields.append(("url", _bib_url(target)))
        if r.summary:
            fields.append(("abstract", latex(plain_text(r.summary))))
        if r.status != "current":
            note = f"Status: {r.status}" + (f" (replaced by {r.superseded_by})" if r.superseded_by else "")
            fields.append(("note", latex(note)))
        lines = [f"@{kind}{{{r.id},"]
        lines += [f"  {name} = {{{value}}}," for name, value in fields]
        lines[-1] = lines[-1].rstrip(",")
        lines.append("}")
        chunks.append("\n".join(lines) + "\n")
    return "\n".join(chunks)


RIS_TYPES = {
    "paper": "JOUR", "guideline": "GOVDOC", "quality-standard": "GOVDOC", "policy-letter": "GOVDOC",
    "guidance": "GOVDOC",
}
"""Anything else is a report (RPRT)."""


def ris(resources: list[Resource], urls: dict[str, str], base_url: str | None = None) -> str:
    """The same references as RIS: one `TAG  - value` per line, every value on one line."""
    lines: list[str] = []
    for r in resources:
        def tag(name: str, value: object) -> None:
            if value not in (None, ""):
                lines.append(f"{name}  - {one_line(value)}")

        tag("TY", RIS_TYPES.get(str(r.type), "RPRT"))
        tag("ID", r.id)
        tag("TI", r.title)
        for name in creators(r):
            surname, initials = split_author(name)
            tag("AU", f"{surname}, {'. '.join(initials)}." if initials and r.authors else name)
        year = year_of(r)
        tag("PY", year)
        if r.published:
            tag("DA", r.published.strftime("%Y/%m/%d/"))
        if r.journal:
            tag("T2", r.journal)
            tag("JO", r.journal)
        tag("PB", r.organisation)
        tag("VL", r.volume)
        tag("IS", r.issue)
        if r.pages:
            start, _, end = str(r.pages).partition("-")
            tag("SP", start)
            tag("EP", end)
        tag("DO", r.doi)
        tag("UR", link_target(r) or _absolute(base_url, urls[r.id]))
        tag("AB", plain_text(r.summary) if r.summary else None)
        for keyword in r.topics:
            tag("KW", keyword)
        if r.status != "current":
            tag("N1", f"Status: {r.status}" + (f" (replaced by {r.superseded_by})" if r.superseded_by else ""))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


# --- iCalendar: the events -------------------------------------------------------


def _event_description(e: Event, base_url: str | None) -> str:
    parts = [f"Phase {e.phase}."]
    if e.summary:
        parts.append(plain_text(e.summary))
    if e.recording_url:
        parts.append(f"Recording: {e.recording_url}")
    if e.slides_url:
        parts.append(f"Slides: {e.slides_url}")
    if e.talks:
        parts.append("Talks:")
        for t in e.talks:
            who = ", ".join(x for x in (t.speaker, t.affiliation) if x)
            line = f"- {one_line(t.title)}" + (f" ({one_line(who)})" if who else "")
            if t.recording_url:
                line += f". Recording: {t.recording_url}"
            if t.slides_url:
                line += f". Slides: {t.slides_url}"
            parts.append(line)
    page = _absolute(base_url, page_url(EVENTS) + f"#{e.id}")
    if page:
        parts.append(f"More: {page}")
    return "\n".join(parts)


def icalendar(events: list[Event], build_date: dt.date, base_url: str | None = None) -> str:
    """Every event that has a date, as an all-day event (the `icalendar` library writes and folds the text).

    Events without a date are left out.
    """
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", f"-//{SITE_NAME}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", SITE_NAME + ": events")
    stamp = dt.datetime.combine(build_date, dt.time(), tzinfo=dt.UTC)
    for e in sorted((e for e in events if e.date), key=lambda e: (e.date, e.id)):
        event = CalendarEvent()
        event.add("uid", f"{e.id}@self-harm-care-resource-hub")
        event.add("dtstamp", stamp)
        event.add("dtstart", e.date)
        event.add("dtend", e.date + dt.timedelta(days=1))
        event.add("summary", one_line(e.title))
        event.add("description", _event_description(e, base_url))
        event.add("categories", [str(e.kind_)])
        event.add("transp", "TRANSPARENT")
        url = e.recording_url or _absolute(base_url, page_url(EVENTS) + f"#{e.id}")
        if url:
            event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# --- Atom: new resources ---------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(resources: list[Resource], urls: dict[str, str], base_url: str | None = None) -> str:
    """The newest resources (already ordered). Links are absolute with a base URL, else relative to the feed."""
    ET.register_namespace("", ATOM)

    def link_to(path: str) -> str:
        # Without a base URL, links are relative to the feed (downloads/whats-new.atom), as RFC 4287 allows.
        return _absolute(base_url, path) or "../" + path

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", f"{SITE_NAME}: new resources")
    sub(feed, "subtitle", "Guidance, research and tools newly added to the hub.")
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:whats-new')}")
    updated = max((r.added for r in resources), default=dt.date(2020, 1, 1))
    sub(feed, "updated", _stamp(updated))
    sub(feed, "link", rel="alternate", type="text/html", href=link_to(page_url(WHATS_NEW)))
    if base_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=link_to(DOWNLOAD_FILES["atom"]))
    author = sub(feed, "author")
    sub(author, "name", SITE_NAME)
    for r in resources:
        entry = sub(feed, "entry")
        sub(entry, "title", one_line(r.title), type="text")
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'resource:' + r.id)}")
        sub(entry, "published", _stamp(r.added))
        sub(entry, "updated", _stamp(r.added))
        sub(entry, "link", rel="alternate", type="text/html", href=link_to(urls[r.id]))
        summary = f"{citation_text(r)} A {type_noun(r)}"
        audience = ", ".join(a.label.lower() for a in r.audience)
        setting = ", ".join(s.label.lower() for s in r.setting)
        summary += (f" about {audience}" if audience else "") + (f" in {setting} settings" if setting else "")
        summary += "." + (f" {plain_text(r.summary)}" if r.summary else "")
        sub(entry, "summary", summary, type="text")
        sub(entry, "category", term=str(r.type), label=r.type.label)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
