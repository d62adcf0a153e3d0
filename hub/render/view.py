"""What the templates see: `SiteView` (the catalogue arranged for pages), `EntryView`, `Linker`, nav and banner.

Everything here is worked out once per build and read by the Jinja2
templates (`hub.render.jinja`), which only lay it out.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup

from hub.catalogue.load import Catalogue
from hub.catalogue.model import Event, Resource
from hub.catalogue.vocabulary import Audience, ResourceType, Setting
from hub.render import citation
from hub.render.escape import (
    anchor,
    html_attr,
    md_text,
    md_url,
    tel_href,
    theme_text,
)
from hub.render.paths import (
    BROWSE,
    CONTENT_PAGES,
    DATA_DICTIONARY,
    DOWNLOADS,
    EVENTS,
    HOME,
    ORGANISATIONS,
    OTHER,
    PEOPLE,
    PROGRAMME,
    WHATS_NEW,
    WHATS_NEW_COUNT,
    entry_pages,
    page_url,
    section_path,
)

EVENT_KIND_LABELS = {"launch": "Launch events", "site-visit": "Virtual site visits",
                     "virtual-clinic": "Virtual clinics"}
EVENT_KIND_SINGULAR = {"launch": "Launch event", "site-visit": "Virtual site visit",
                       "virtual-clinic": "Virtual clinic"}
EVENT_KIND_ORDER = ["launch", "site-visit", "virtual-clinic"]


class Linker:
    """Links from one page: `.md` paths for Markdown (the generator checks them), URLs for raw HTML."""

    def __init__(self, page: str, site: SiteView):
        self.page = page
        self.site = site
        self._here = posixpath.dirname(page) or "."
        self._base = page_url(page) or "."
        self._rel: dict[str, str] = {}  # relpath is slow, and each entry is linked several times

    def md(self, target: str, anchor: str = "", query: str = "") -> Markup:
        rel = "" if target == self.page else self._relpath(target, self._here)
        return md_url(rel + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else ""))

    def url(self, target: str, anchor: str = "") -> str:
        if target.endswith(".md"):
            rel = self._relpath(page_url(target) or ".", self._base)
            rel = "./" if rel == "." else rel + "/"
        else:
            rel = self._relpath(target, self._base)
        return rel + (f"#{anchor}" if anchor else "")

    def _relpath(self, target: str, start: str) -> str:
        key = f"{start}\0{target}"
        if key not in self._rel:
            self._rel[key] = posixpath.relpath(target, start)
        return self._rel[key]

    def entry(self, rid: str) -> Markup:
        """Markdown link target of a resource's full entry."""
        return self.md(self.site.entry_page[rid], rid)

    def entry_url(self, rid: str) -> str:
        return self.url(self.site.entry_page[rid], rid)


BROWSE_ROW = (
    '<tr data-id="{id}" data-type="{type}" data-year="{year}" data-audience="{audience}" '
    'data-setting="{setting}" data-topic="{topic}" data-text="{text}">'
    '<td><a href="{href}">{title}</a>{status}<br><span class="hub-small">{byline}</span></td>'
    "<td>{type_label}</td><td>{year}</td><td>{for_text}</td><td>{topics}</td></tr>"
)
"""One row of the Browse-all table; ids, types, years, audiences and settings are slugs or digits."""


@dataclass(slots=True)
class EntryView:
    """The pieces of a resource's full entry that Python works out, all escaped for Markdown."""

    citation: Markup
    link_url: Markup | None
    """The main link's destination, or None when there is no verified link."""
    link_text: str
    audience: Markup
    setting: Markup
    topic_links: Markup
    replaces: list[Resource]
    """The resources this one supersedes."""
    cite: Markup
    """The 'Cite this' disclosure (raw HTML), or nothing for types that are not cited."""


@dataclass
class SiteView:
    """The catalogue arranged for the templates: lookups and orderings, computed once."""

    cat: Catalogue
    build_date: dt.date
    entry_page: dict[str, str] = field(default_factory=dict)
    """Resource id → the page holding its full entry."""
    full_at: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Resource id → (section id, subsection id) of its full entry."""
    _labels: dict[tuple, tuple[Markup, Markup]] = field(default_factory=dict, repr=False)
    _topic_links: dict[tuple, Markup] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.entry_page = entry_pages(self.cat)
        for rid, places in self.cat.placements.items():
            if places:
                section, sub = places[0]
                self.full_at[rid] = (section.id, sub.id)

    # --- resources ---------------------------------------------------------

    @property
    def resources(self) -> list[Resource]:
        return list(self.cat.resources.values())

    @property
    def unplaced(self) -> list[Resource]:
        return [r for r in self.resources if self.entry_page[r.id] == OTHER]

    def newest(self, count: int | None = WHATS_NEW_COUNT) -> list[Resource]:
        ordered = sorted(self.resources, key=lambda r: (r.added, r.id), reverse=True)
        return ordered[:count] if count else ordered

    def full_title(self, rid: str) -> str:
        """Title of the subsection holding the resource's full entry."""
        places = self.cat.placements.get(rid)
        return places[0][1].title if places else "Other resources"

    def browse_rows(self, link: Linker) -> Markup:
        """The Browse-all table's rows, by title (ignoring case and opening quotes), as HTML.

        Built here with `BROWSE_ROW` rather than in the template: there is a row
        per resource, and filling one format string per row keeps the table a
        small share of the build at 10,000 resources. Every value is escaped.
        """
        rows = []
        # The cells that depend only on the type, the audiences and settings,
        # or the topics repeat from row to row: each combination is escaped once.
        by_type: dict = {}
        by_who: dict = {}
        by_topics: dict = {}
        for r in sorted(self.resources, key=lambda r: (r.title.lstrip("‘'\"“ ").casefold(), r.id)):
            year = citation.year_of(r)
            status = r.status.value
            kind = r.type.value
            if kind not in by_type:
                by_type[kind] = html_attr(ResourceType(kind).label)
            who = (tuple(r.audience), tuple(r.setting))
            if who not in by_who:
                by_who[who] = (" ".join(a.value for a in r.audience), " ".join(s.value for s in r.setting),
                               html_attr(self.for_text(r)))
            topics = tuple(r.topics)
            if topics not in by_topics:
                by_topics[topics] = (html_attr(" ".join(topics)), html_attr(", ".join(self.topics_of(r))))
            audience, setting, for_text = by_who[who]
            topic, topic_names = by_topics[topics]
            rows.append(BROWSE_ROW.format(
                id=anchor(r.id), type=kind, year=year or "", audience=audience, setting=setting,
                topic=topic, text=html_attr(self.search_text(r)), href=html_attr(link.entry_url(r.id)),
                title=html_attr(r.title), byline=html_attr(self.byline(r)), type_label=by_type[kind],
                for_text=for_text, topics=topic_names,
                status=f' <strong class="hub-badge">{status.capitalize()}</strong>' if status != "current" else "",
            ))
        return Markup("\n".join(rows))

    def byline(self, r: Resource) -> str:
        """'Kapur N, Steeg S, Webb R et al. (2013). PLoS ONE': who, when, where, in brief."""
        who = citation.creators(r)
        text = ", ".join(who[:3]) + (" et al." if len(who) > 3 else "")
        year = citation.year_of(r)
        if year:
            text += f" ({year})" if text else str(year)
        where = r.journal or (r.organisation if r.authors else "")
        return f"{text}. {where}" if where and text else text or where

    def entry_view(self, r: Resource, link: Linker) -> EntryView:
        """What the `entry` macro prints besides the resource's own fields."""
        target = citation.link_target(r)
        audience, setting = self.labels_md(r)
        return EntryView(
            citation=citation.citation_md(r), link_url=md_url(target) if target else None,
            link_text=citation.link_text(r) if target else "", audience=audience, setting=setting,
            topic_links=self.topic_links_md(r, link), replaces=self.cat.replaced_by.get(r.id, []),
            cite=citation.cite_html(r),
        )

    def labels_md(self, r: Resource) -> tuple[Markup, Markup]:
        """The audiences and the settings of a resource, as escaped Markdown text."""
        key = (tuple(r.audience), tuple(r.setting))
        if key not in self._labels:  # a few dozen combinations serve every entry
            self._labels[key] = (md_text(", ".join(a.label for a in r.audience)),
                                 md_text(", ".join(s.label for s in r.setting)))
        return self._labels[key]

    def topic_links_md(self, r: Resource, link: Linker) -> Markup:
        """Each topic of a resource as a link to Browse all, filtered by that topic."""
        key = (link.page, tuple(r.topics))
        if key not in self._topic_links:
            self._topic_links[key] = Markup(", ".join(
                f"[{md_text(self.cat.topics[t].title)}]({link.md(BROWSE, query='topic=' + t)})" for t in r.topics))
        return self._topic_links[key]

    def for_text(self, r: Resource) -> str:
        """'Adults; Hospital, Community': who and where, for the Browse-all table."""
        who = [a.label for a in r.audience]
        where = [s.label for s in r.setting]
        return "; ".join(p for p in (", ".join(who), ", ".join(where)) if p)

    def search_text(self, r: Resource) -> str:
        """What the Browse-all text filter matches: titles, authors, journal, publisher (lower case)."""
        parts = [r.title, *r.alt_titles, *r.authors, r.journal or "", r.organisation or "", r.doi or ""]
        return " ".join(p for p in parts if p).casefold()

    def topics_of(self, r: Resource) -> list[str]:
        return [self.cat.topics[t].title for t in r.topics if t in self.cat.topics]

    def resources_of_type(self, kind: str) -> list[Resource]:
        return [r for r in self.resources if str(r.type) == kind]

    @property
    def citable(self) -> list[Resource]:
        return [r for r in self.resources if citation.is_citable(r)]

    def organisations_by_id(self, ids: list[str]) -> list:
        return [self.cat.organisations[i] for i in ids if i in self.cat.organisations]

    def people_in(self, group: str) -> list:
        return [p for p in self.cat.people.values() if str(p.group) == group]

    # --- events ------------------------------------------------------------

    @property
    def upcoming(self) -> list[Event]:
        return sorted((e for e in self.cat.events if e.date and e.date >= self.build_date),
                      key=lambda e: (e.date, e.id))

    @property
    def dated_events(self) -> list[Event]:
        return [e for e in self.cat.events if e.date]

    def events_in_phase(self, phase: int, kind: str) -> list[Event]:
        events = [e for e in self.cat.events if e.phase == phase and str(e.kind_) == kind]
        return sorted((e for e in events if e.date), key=lambda e: (e.date, e.id)) + \
            [e for e in events if not e.date]

    def past_by_phase(self) -> list[tuple[int, list[tuple[str, list[Event]]]]]:
        """Phase → kind → events (dated first, by date; undated in file order), upcoming left out."""
        upcoming = {e.id for e in self.upcoming}
        grouped: dict[int, dict[str, list[Event]]] = defaultdict(lambda: defaultdict(list))
        for event in self.cat.events:
            if event.id not in upcoming:
                grouped[event.phase][str(event.kind_)].append(event)
        out = []
        for phase in sorted(grouped):
            kinds = []
            for kind in EVENT_KIND_ORDER:
                events = grouped[phase].get(kind, [])
                if events:
                    dated = sorted((e for e in events if e.date), key=lambda e: (e.date, e.id))
                    kinds.append((kind, dated + [e for e in events if not e.date]))
            out.append((phase, kinds))
        return out

    def phase_summary(self, phase: int):
        phases = self.cat.programme.phases
        return phases[phase - 1] if 0 < phase <= len(phases) else None

    # --- filters for Browse all ----------------------------------------------

    def filter_options(self) -> dict[str, list[tuple[str, str]]]:
        """Each filter's (value, label) options, only values some resource has."""
        rs = self.resources
        types = {str(r.type) for r in rs}
        years = {citation.year_of(r) for r in rs} - {None}
        audiences = {str(a) for r in rs for a in r.audience}
        settings = {str(s) for r in rs for s in r.setting}
        topics = {t for r in rs for t in r.topics}
        return {
            "type": [(t.value, t.label) for t in ResourceType if t in types],
            "year": [(str(y), str(y)) for y in sorted(years, reverse=True)],
            "audience": [(a.value, a.label) for a in Audience if a in audiences],
            "setting": [(s.value, s.label) for s in Setting if s in settings],
            "topic": sorted(((t.id, t.title) for t in self.cat.topics.values() if t.id in topics),
                            key=lambda kv: kv[1].lower()),
        }

    # --- home ----------------------------------------------------------------

    def find_resource(self, url_part: str = "", title_part: str = "") -> Resource | None:
        """A resource the home page cites, if the catalogue holds it (matched by URL or title)."""
        for r in self.resources:
            if url_part and r.url and url_part in r.url.lower():
                return r
            if title_part and title_part in r.title.lower():
                return r
        return None

    def some_organisations(self, count: int) -> str:
        """'A, B and C': the first few organisations, for a sentence."""
        names = [o.name for o in self.cat.organisations.values()][:count]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""

    @property
    def urgent_lines(self):
        return [x for x in self.cat.helplines if x.urgent] + [x for x in self.cat.helplines if not x.urgent]


def banner_lines(cat: Catalogue) -> list[dict[str, str]]:
    """The phone lines in the compact help banner on every page: the first three in helplines.yaml.

    They are given to the theme (`extra.urgent_help` in the generated config),
    so the banner and the home page's help box come from the same data file.
    The banner must stay one or two lines on a phone, so each line has a short
    visible text (`short`: "Call 999", "NHS 111, option 2", "Samaritans 116 123")
    and, where that leaves something out, a fuller accessible name (`name`)
    that starts with the visible text (WCAG 2.5.3, label in name).
    """
    out = []
    for line in cat.helplines:
        if str(line.how) == "phone" and len(out) < 3:
            number = str(line.contact)
            label = f"{number}, {line.then}" if line.then else number
            service = str(line.service)
            if line.urgent:
                short, name = f"Call {number}", f"Call {number} ({service})"
            else:
                brand = service.split(",")[0].strip()  # "NHS 111, mental health option" -> "NHS 111"
                short = brand if number in brand else f"{brand} {number}"
                if line.then:
                    short += ", " + str(line.then).removeprefix("choose ")
                name = f"{short}: call {number}" + (f", then {line.then}" if line.then else "")
                if brand != service:
                    name += f" ({service})"
                if name == f"{short}: call {number}":
                    name = ""  # the visible text says it all
            out.append({"service": service, "number": number, "label": label, "href": tel_href(number),
                        "short": short, "name": name})
    return out


def navigation(cat: Catalogue) -> list:
    """The site navigation in `mkdocs.yml` form (both engines read it)."""
    resources: list = [{"Browse all resources": BROWSE}]
    for section in cat.sections:  # the theme prints nav titles unescaped (hub.render.escape.theme_text)
        resources.append({theme_text(f"{section.number}. {section.title}"): section_path(section)})
    if any(not places for places in cat.placements.values()):
        resources.append({"Other resources": OTHER})
    resources += [{"What's new": WHATS_NEW}, {"Data dictionary": DATA_DICTIONARY}]
    return [
        {"Home": HOME},
        {"Resources": resources},
        {"Programme": [{"About the programme": PROGRAMME}, {"Events and recordings": EVENTS},
                       {"People": PEOPLE}]},
        {"Support organisations": ORGANISATIONS},
        {"Downloads": DOWNLOADS},
        {"About this site": [{title: path} for title, path in CONTENT_PAGES.items()]},
    ]
