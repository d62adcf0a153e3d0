"""How a resource is cited and how its link is labelled, in Markdown and in plain text.

One place decides the wording so that the entry on the section page, the
Browse-all table and the downloads describe a resource the same way.
"""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

from hub.catalogue.fields import url_hostname
from hub.catalogue.model import Resource
from hub.render.escape import md_text, md_url, one_line

GUIDANCE_TYPES = {"guideline", "quality-standard", "policy-letter", "guidance"}
"""Types whose withdrawal or replacement changes practice: their notices say 'guidance'."""

NOT_CITABLE = {"website", "training"}
"""Types left out of the BibTeX and RIS files: reference managers cannot cite them usefully."""

_INITIALS = re.compile(r"^[A-Z]{1,4}$")


def is_citable(r: Resource) -> bool:
    """Whether the resource goes into the BibTeX and RIS files (papers, guidance, reports…)."""
    return str(r.type) not in NOT_CITABLE


def uk_date(value: dt.date | None) -> str:
    """`2025-01-15` as `15 January 2025`."""
    return f"{value.day} {value:%B %Y}" if value else ""


def year_of(r: Resource) -> int | None:
    return r.year or (r.published.year if r.published else None)


def split_author(name: str) -> tuple[str, str]:
    """'Kapur N' → ('Kapur', 'N'); 'van Heeringen K' → ('van Heeringen', 'K'); 'NICE' → ('NICE', '')."""
    parts = name.split()
    if len(parts) > 1 and _INITIALS.match(parts[-1]):
        return " ".join(parts[:-1]), parts[-1]
    return name, ""


def creators(r: Resource) -> list[str]:
    """The authors, or the issuing organisation when a resource has no named authors."""
    if r.authors:
        return list(r.authors)
    return [r.organisation] if r.organisation else []


def host_of(url: str | None) -> str:
    """`https://www.nice.org.uk/guidance/ng225` → `nice.org.uk`."""
    if not url or not url.startswith(("http://", "https://")):
        return ""
    host = url_hostname(url)
    return host[4:] if host.startswith("www.") else host


def type_noun(r: Resource) -> str:
    """'clinical guideline', 'research paper'…, for sentences."""
    label = r.type.label
    return label[0].lower() + label[1:]


def kind_of_document(r: Resource) -> str:
    """'guidance' for guidance types, otherwise the type noun (for notices)."""
    return "guidance" if str(r.type) in GUIDANCE_TYPES else f"{type_noun(r)}"


def link_target(r: Resource) -> str | None:
    """Where the entry's main link goes: the URL, else the DOI."""
    if r.url:
        return r.url
    if r.doi:
        return f"https://doi.org/{r.doi}"
    return None


def link_format(r: Resource) -> str:
    """What the main link opens, as readers say it."""
    if not r.url and r.doi:
        return "web page"
    return {"page": "web page", "pdf": "PDF", "video": "video"}[str(r.url_format)]


def link_text(r: Resource) -> str:
    """Visible link text, e.g. 'Read the clinical guideline on nice.org.uk (web page)'."""
    host = host_of(link_target(r))
    fmt = link_format(r)
    where = f" on {host}" if host else ""
    if str(r.url_format) == "video" and r.url:
        verb = "Watch the video"
    elif str(r.type) == "website":
        verb = "Visit the website"
    else:
        verb = f"Read the {type_noun(r)}"
    return f"{verb}{where} ({fmt})"


def source_parts(r: Resource) -> list[str]:
    """Journal with volume, issue and pages, or the publisher: plain text pieces."""
    if r.journal:
        detail = r.journal
        numbers = ""
        if r.volume:
            numbers += f" {r.volume}"
        if r.issue:
            numbers += f"({r.issue})"
        if r.pages:
            numbers += f": {r.pages}" if numbers else f" {r.pages}"
        return [detail, numbers.strip()]
    if r.organisation and r.authors:
        return [r.organisation, ""]
    return []


def _lead(who: str, year: int | None, title: str) -> str:
    """'Who (year). Title.' or, without authors or publisher, 'Title (year).'."""
    title = title.rstrip(".")
    if who:
        return f"{who} ({year or 'no date'}). {title}."
    return f"{title} ({year})." if year else f"{title}."


def citation_text(r: Resource) -> str:
    """The whole reference as plain text (for CSV and JSON)."""
    out = _lead(", ".join(creators(r)), year_of(r), one_line(r.title))
    parts = source_parts(r)
    if parts:
        out += " " + " ".join(p for p in parts if p).strip() + "."
    if r.doi:
        out += f" doi:{r.doi}"
    return out


def citation_md(r: Resource) -> Markup:
    """The whole reference as Markdown: every piece escaped, the journal in italics, the DOI linked."""
    who = ", ".join(md_text(a) for a in creators(r))
    pieces = [_lead(who, year_of(r), md_text(one_line(r.title).rstrip(".")))]
    parts = source_parts(r)
    if r.journal:
        journal = f"*{md_text(parts[0])}*"
        pieces.append(f"{journal} {md_text(parts[1])}".rstrip() + ".")
    elif parts:
        pieces.append(md_text(parts[0]) + ".")
    if r.doi:
        pieces.append(f"DOI: [{md_text(r.doi)}]({md_url('https://doi.org/' + r.doi)})")
    return Markup(" ".join(pieces))
