"""The built site as a source: internal links and #anchors checked on disk, external links collected.

Why not LinkChecker for the internal part: MkDocs writes directory URLs
(``foo/`` is ``foo/index.html``), and LinkChecker 10.6 reports every
``foo/#anchor`` as valid without looking ("AnchorCheck does not support
anchors for directories"), so a renamed heading would go unnoticed. The
standard library's HTML parser gives the line of every tag, resolves nothing
on its own and needs no dependency, so this module does the little that is
needed itself: parse each page once, collect its ids, resolve each link.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from hub.links.types import Link, LinkResult, LinkStatus, Source
from hub.problems import display_path

# Tag → attributes holding a URL the page needs or offers.
_URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
    "source": ("src",), "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",),
}
# <link rel=…> values that name another origin or the page itself, not a file in the site.
_SKIP_RELS = {"canonical", "alternate", "preconnect", "dns-prefetch", "preload-external", "me"}
_IGNORED_SCHEMES = ("javascript:", "data:", "blob:", "about:")


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, int, int]] = field(default_factory=list)
    canonical: str | None = None


class _PageParser(HTMLParser):
    """Collects ids, URLs with their line and column, and the canonical link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        names = _URL_ATTRS.get(tag)
        if not names:
            return
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and "canonical" in rels:
            self.page.canonical = values.get("href")
        if tag == "link" and rels & _SKIP_RELS:
            return
        line, column = self.getpos()
        for name in names:
            if values.get(name, "").strip():
                self.page.refs.append((values[name].strip(), line, column + 1))

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


@dataclass
class SiteLinks:
    """What the built site holds: internal links already checked, external ones to check."""

    internal: list[LinkResult]
    external: list[Link]
    pages: int


def site_links(site_dir: Path, root: Path | None = None) -> SiteLinks:
    """Parse every page under ``site_dir``; resolve internal links and anchors, collect the rest."""
    pages = {p.relative_to(site_dir).as_posix(): parse_page(p) for p in sorted(site_dir.rglob("*.html"))}
    shown_root = display_path(site_dir, root)
    base_path = _base_path(pages.get("index.html"))
    internal: dict[str, LinkResult] = {}
    external: dict[str, Link] = {}
    for rel, page in pages.items():
        for ref, line, column in page.refs:
            source = Source(f"{shown_root}/{rel}", line, column)
            lowered = ref.lower()
            if lowered.startswith(_IGNORED_SCHEMES):
                continue
            if lowered.startswith("//"):
                ref = "https:" + ref
                lowered = ref.lower()
            if lowered.startswith(("http://", "https://", "mailto:", "tel:")) or ":" in ref.split("/")[0]:
                external.setdefault(ref, Link(ref)).add_source(source)
                continue
            try:
                target, status, detail = _resolve(site_dir, pages, rel, ref, base_path)
            except ValueError as exc:  # urljoin's "Invalid IPv6 URL" and the like: one result, not a crash
                target, status, detail = ref, LinkStatus.BROKEN, f"not a valid address: {exc}"
            result = internal.get(target)
            if result is None:
                result = internal[target] = LinkResult(target, status, detail=detail)
            result.sources.append(source)
    return SiteLinks(list(internal.values()), list(external.values()), len(pages))


def _base_path(home: _Page | None) -> str:
    """The path the site is served under (``/hub/`` on a GitHub project page), from the home page's canonical link."""
    if home is None or not home.canonical:
        return "/"
    try:
        path = urlsplit(home.canonical).path or "/"
    except ValueError:  # a malformed canonical link (e.g. 'http://[::1'): as if there were none
        return "/"
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def _resolve(site_dir: Path, pages: dict[str, _Page], rel: str, ref: str,
             base_path: str) -> tuple[str, LinkStatus, str]:
    """(the target as ``/path#anchor``, ok or broken, why)."""
    split = urlsplit(urljoin("http://site.invalid/" + rel, ref))
    path = unquote(split.path)
    if base_path != "/" and (path + "/").startswith(base_path):
        path = "/" + path[len(base_path):]
    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if path.endswith("/index.html"):  # one name per page, as MkDocs links it: /guide/, not /guide/index.html
        path = path[: -len("index.html")]
    shown = path + (f"#{split.fragment}" if split.fragment else "")
    target = path.lstrip("/")
    candidate = site_dir / target
    if path.endswith("/") or target == "" or candidate.is_dir():
        target = posixpath.join(target, "index.html") if target else "index.html"
        candidate = site_dir / target
    if not candidate.is_file():
        return shown, LinkStatus.BROKEN, f"no file '{target}' in the built site"
    if split.fragment and target in pages:
        anchor = unquote(split.fragment)
        if anchor not in pages[target].ids and anchor not in ("top", ""):
            return shown, LinkStatus.BROKEN, f"'{target}' has no element with id '{anchor}'"
    return shown, LinkStatus.OK, ""
