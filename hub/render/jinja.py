"""The Jinja2 environment: filters, globals, and `render_page` (one page of the site by its path).

Templates (in `templates/`) write Markdown: every value printed is escaped
for Markdown by `_finalize` unless a filter marks it safe.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from hub.catalogue.load import Catalogue
from hub.catalogue.vocabulary import ResourceType
from hub.render import citation
from hub.render.escape import (
    anchor,
    h,
    md_inline,
    md_text,
    md_url,
    plain_text,
    sms_href,
    tel_href,
    theme_text,
)
from hub.render.paths import (
    BROWSE,
    DATA_DICTIONARY,
    DOWNLOAD_FILES,
    DOWNLOADS,
    EVENTS,
    HOME,
    ORGANISATIONS,
    OTHER,
    PEOPLE,
    PROGRAMME,
    WHATS_NEW,
    section_path,
)
from hub.render.view import EVENT_KIND_LABELS, EVENT_KIND_SINGULAR, Linker, SiteView

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _group_in_order(items, attribute: str) -> list[tuple[str, list]]:
    """Like Jinja's `groupby`, but groups stay in the order they first appear (the file's order)."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item)
    return list(groups.items())


def _groupby_month(resources) -> list[tuple[str, list]]:
    """Resources (newest first) grouped by the month they were added: [('June 2025', [...]), ...]."""
    groups: dict[str, list] = {}
    for r in resources:
        groups.setdefault(f"{r.added:%B %Y}", []).append(r)
    return list(groups.items())


def _capfirst(value: object) -> str:
    text = str(value)
    return text[:1].upper() + text[1:]


def _finalize(value: object) -> str:
    """Every `{{ value }}` is Markdown-escaped unless a filter (or `|safe`) marked it as Markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md_text(value)


_OPTIONS = dict(
    # The escaping is `_finalize`'s (Markdown, not HTML). Jinja2's own
    # autoescaping is off: it would wrap every value in Markup once more
    # (a fifth of the rendering time). A macro's output is therefore plain
    # text to Jinja2, and each macro call is written `{{ m.entry(…)|safe }}`.
    autoescape=False,
    finalize=_finalize,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@functools.cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), **_OPTIONS)
    env.filters.update(
        md=md_text, md_inline=md_inline, h=h, md_url=md_url, tel=tel_href, sms=sms_href,
        uk_date=functools.cache(citation.uk_date), capfirst=_capfirst, anchor=anchor,
        type_label=lambda t: ResourceType(str(t)).label,
        yaml_str=lambda v: Markup(json.dumps(plain_text(v), ensure_ascii=False)),
        theme_str=lambda v: Markup(json.dumps(theme_text(plain_text(v)), ensure_ascii=False)),
        heading=lambda level: Markup("#" * int(level)),
        join_md=lambda items, sep=", ": Markup(sep.join(md_text(i) for i in items)),
        group_in_order=_group_in_order, groupby_month=_groupby_month,
    )
    env.globals.update(
        citation_md=citation.citation_md, link_text=citation.link_text, link_target=citation.link_target,
        year_of=citation.year_of, kind_of_document=citation.kind_of_document, host_of=citation.host_of,
        section_path=section_path, EVENT_KIND_LABELS=EVENT_KIND_LABELS,
        EVENT_KIND_SINGULAR=EVENT_KIND_SINGULAR, DOWNLOAD_FILES=DOWNLOAD_FILES,
        PAGES={"home": HOME, "browse": BROWSE, "whats_new": WHATS_NEW, "programme": PROGRAMME,
               "events": EVENTS, "organisations": ORGANISATIONS, "data_dictionary": DATA_DICTIONARY,
               "people": PEOPLE, "downloads": DOWNLOADS, "other": OTHER},
    )
    return env


def _page(template: str, path: str, site: SiteView, **context) -> str:
    return environment().get_template(template).render(
        site=site, cat=site.cat, page=path, link=Linker(path, site), **context)


PAGE_TEMPLATES = {
    HOME: "home.md.j2", OTHER: "other.md.j2", BROWSE: "browse.md.j2", WHATS_NEW: "whats_new.md.j2",
    PROGRAMME: "programme.md.j2", EVENTS: "events.md.j2", ORGANISATIONS: "organisations.md.j2",
    DATA_DICTIONARY: "data_dictionary.md.j2", PEOPLE: "people.md.j2", DOWNLOADS: "downloads.md.j2",
}
"""Every page that is not a section page, and its template."""


def page_paths(cat: Catalogue, site: SiteView | None = None) -> list[str]:
    """The path of every page, in the order `hub.render.render` makes them."""
    site = site or SiteView(cat, dt.date.today())
    paths = [HOME] + [section_path(section) for section in cat.sections]
    if site.unplaced:
        paths.append(OTHER)
    return paths + [BROWSE, WHATS_NEW, PROGRAMME, EVENTS, ORGANISATIONS, DATA_DICTIONARY, PEOPLE, DOWNLOADS]


def render_page(site: SiteView, path: str) -> str:
    """One page, by its path in the docs folder."""
    for section in site.cat.sections:
        if section_path(section) == path:
            return _page("section.md.j2", path, site, section=section)
    return _page(PAGE_TEMPLATES[path], path, site)
