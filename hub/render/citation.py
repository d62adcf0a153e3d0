"""How a resource is cited and how its link is labelled, in Markdown and in plain text.

One place decides the wording so that the entry on the section page, the
Browse-all table and the downloads describe a resource the same way; the
entry's "Cite this" references (Vancouver and APA) and its COinS metadata
for reference managers are written here too.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from markupsafe import Markup

from hub.catalogue.fields import url_hostname
from hub.catalogue.model import Resource
from hub.render.escape import h, html_text, md_text, md_url, one_line

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


# --- Cite this: Vancouver (NLM) and APA 7 references, and COinS for reference managers ---------------

Segment = tuple[str, bool]
"""A piece of a formatted reference and whether it is set in italics (APA only)."""

_RANGE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-–]\s*([A-Za-z]*)(\d+)\s*$")
MAX_VANCOUVER_AUTHORS = 6
"""NLM (Citing Medicine) and ICMJE: more than six authors are cut to the first six and 'et al.'."""
MAX_APA_AUTHORS = 20
"""APA 7 lists up to 20 authors; with more, the first 19, an ellipsis and the last."""


def _sentence(text: str) -> str:
    """The text ending with one full stop (or its own '?' or '!')."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def page_range(pages: str) -> tuple[str, str] | None:
    """'429-436' → ('429', '436'); 'e364-e373' → ('e364', 'e373'); an article number → None."""
    match = _RANGE.match(pages)
    if not match:
        return None
    return match.group(1) + match.group(2), (match.group(3) or "") + match.group(4)


def nlm_pages(pages: str) -> str:
    """Citing Medicine writes a page range without the repeated leading digits: '429-436' → '429-36'.

    Ranges with letters ('e364-e373') and article numbers are kept as written."""
    match = _RANGE.match(pages)
    if not match or match.group(1) or match.group(3):
        return pages
    start, end = match.group(2), match.group(4)
    if len(start) == len(end) and start < end:
        end = end[next(i for i in range(len(end)) if start[i] != end[i]):]
    return f"{start}-{end}"


def vancouver(r: Resource) -> str:
    """The reference in Vancouver style as the NLM's Citing Medicine writes it, as plain text.

    'Kapur N, Steeg S, et al. Title. Journal. 2013;8(8):e70434. doi:10…'. The
    journal's name is given as the record has it (the catalogue holds no NLM
    abbreviations); reports and guidance are 'Publisher; Year', without the
    place of publication the catalogue does not record, and web documents say
    '[Internet]' and 'Available from:' (a reader adds the '[cited …]' date).
    """
    names = list(r.authors[:MAX_VANCOUVER_AUTHORS]) + (["et al"] if len(r.authors) > MAX_VANCOUVER_AUTHORS else [])
    who = ", ".join(names) if names else (r.organisation or "")
    out = [_sentence(who)] if who else []
    year = year_of(r)
    if r.journal:
        out.append(_sentence(one_line(r.title)))
        numbers = f"{year or '[date unknown]'}"
        numbers += f";{r.volume}" if r.volume else ""
        numbers += f"({r.issue})" if r.issue else ""
        numbers += f":{nlm_pages(r.pages)}" if r.pages else ""
        out += [_sentence(one_line(r.journal)), numbers + "."]
    else:
        online = " [Internet]" if r.url else ""
        out.append(_sentence(one_line(r.title).rstrip(".") + online))
        publisher = r.organisation if r.organisation else ""
        out.append(f"{publisher}; {year}." if publisher and year else f"{publisher or year or '[date unknown]'}.")
    if r.doi:
        out.append(f"doi:{r.doi}")
    elif r.url:
        out.append(f"Available from: {r.url}")
    return " ".join(out)


def apa_author(name: str) -> str:
    """'Kapur N' → 'Kapur, N.'; 'Hawton KE' → 'Hawton, K. E.'; an organisation stays as it is."""
    surname, initials = split_author(name)
    return f"{surname}, {' '.join(c + '.' for c in initials)}" if initials else surname


def apa_segments(r: Resource) -> list[Segment]:
    """The reference in APA style (7th edition) as pieces, the journal, volume or report title in italics.

    Titles keep the capitals they were published with (APA asks for sentence
    case, which cannot be worked out safely: proper nouns). A page number
    without a range is an article number ('Article e70434'), as in every
    record of this catalogue.
    """
    names = [apa_author(a) for a in r.authors]
    if len(names) > MAX_APA_AUTHORS:
        names = names[:MAX_APA_AUTHORS - 1] + ["… " + names[-1]]
        who = ", ".join(names)
    else:
        who = ", ".join(names[:-1]) + (", & " if len(names) > 1 else "") + names[-1] if names else ""
    if not who:
        who = r.organisation or ""
    year = year_of(r)
    when = f"({year or 'n.d.'})."
    title = one_line(r.title)
    out: list[Segment] = []
    if who:
        out.append((f"{_sentence(who)} {when} ", False))
    if r.journal:
        out.append((f"{_sentence(title)} " if who else f"{_sentence(title)} {when} ", False))
        out.append((one_line(r.journal), True))
        if r.volume:
            out += [(", ", False), (str(r.volume), True)]
        if r.issue:
            out.append((f"({r.issue})", False))
        if r.pages:
            pages = page_range(r.pages)
            out.append((f", {pages[0]}–{pages[1]}" if pages else f", Article {r.pages}", False))
        out.append((".", False))
    else:  # a report's title is in italics; the full stop after it is not
        ended = title.rstrip().endswith((".", "?", "!"))
        out += [(title.rstrip(), True), ("" if ended else ".", False)]
        out.append((" " if who else f" {when}", False))
        if r.organisation and r.authors:
            out.append((_sentence(r.organisation) + " ", False))
    link = f"https://doi.org/{r.doi}" if r.doi else r.url
    if link:
        out.append(((" " if out[-1][0] and not out[-1][0].endswith(" ") else "") + link, False))
    text = out[-1][0].rstrip()
    out[-1] = (text, out[-1][1])
    return out


def apa(r: Resource) -> str:
    """The APA reference as plain text (no italics)."""
    return "".join(text for text, _ in apa_segments(r))


def coins(r: Resource) -> str:
    """The reference as an OpenURL ContextObject in KEV form (Z39.88-2004) for a COinS span, URL-encoded.

    Papers with a journal are journal articles; everything else is a report
    (so Zotero makes a Report item, with the publisher as its institution).
    Authors are 'Surname, Initials' (Zotero reads a comma as the split
    between surname and given names); an organisation with no authors is the
    corporate author. Every value is percent-encoded, so the result holds
    only letters, digits, '%-._~', '=' and '&'; it still needs HTML escaping
    for the attribute (the '&').
    """
    pairs = [("ctx_ver", "Z39.88-2004")]
    title = one_line(r.title)
    if r.journal:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"),
                  ("rft.atitle", title), ("rft.jtitle", one_line(r.journal))]
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", "report"), ("rft.btitle", title)]
        if r.organisation:
            pairs.append(("rft.pub", one_line(r.organisation)))
    year = year_of(r)
    if r.published or year:
        pairs.append(("rft.date", r.published.isoformat() if r.published else str(year)))
    for name, value in (("rft.volume", r.volume), ("rft.issue", r.issue)):
        if value:
            pairs.append((name, str(value)))
    if r.pages:
        pages = page_range(r.pages)
        pairs += [("rft.spage", pages[0]), ("rft.epage", pages[1])] if pages else [("rft.spage", str(r.pages))]
        pairs.append(("rft.pages", str(r.pages)))
    for author in r.authors:
        surname, initials = split_author(one_line(author))
        pairs.append(("rft.au", f"{surname}, {initials}" if initials else surname))
    if not r.authors and r.organisation:
        pairs.append(("rft.aucorp", one_line(r.organisation)))
    if r.doi:
        pairs.append(("rft_id", f"info:doi/{r.doi}"))
    if r.url:
        pairs.append(("rft_id", r.url))
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in pairs)


def cite_html(r: Resource) -> Markup:
    """The entry's 'Cite this' disclosure: both references as text (no script needed) and the COinS span.

    A raw HTML block in the page's Markdown: every piece of data goes through
    `html_text` (element text) or `h` (the COinS attribute). `data-search-exclude`
    keeps the references out of the search index (the entry's citation is there).
    The copy buttons are added by content/assets/cite.js.
    """
    if not is_citable(r):
        return Markup("")
    styles = [("Vancouver (NLM)", "vancouver", html_text(vancouver(r))),
              ("APA (7th edition)", "apa", Markup("").join(
                  Markup("<i>{}</i>").format(text) if italic else html_text(text)
                  for text, italic in apa_segments(r)))]
    rows = "\n".join(f'<dt>{label}</dt>\n<dd><span class="hub-cite__text" data-style="{key}">{text}</span></dd>'
                     for label, key, text in styles)
    return Markup(
        '<details class="hub-cite" data-search-exclude>\n'
        f'<summary>Cite this<span class="hub-vh"> {html_text(type_noun(r))}: {html_text(one_line(r.title))}'
        '</span></summary>\n'
        f'<dl class="hub-cite__list">\n{rows}\n</dl>\n'
        f'<span class="Z3988" title="{h(coins(r))}"></span>\n'
        "</details>")
