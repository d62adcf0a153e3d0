"""Stage 2 of the pipeline: the loaded catalogue → Markdown pages and downloads, as text.

`render(catalogue, build_date)` is pure: no file is read or written. The
pages are plain Markdown (attribute lists give each entry its anchor), so
MkDocs or Zensical only has to build them; see docs/site.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from hub.catalogue.load import Catalogue
from hub.catalogue.yamlfile import paused_gc
from hub.render import downloads
from hub.render.jinja import page_paths, render_page
from hub.render.paths import CONTENT_PAGES, entry_urls
from hub.render.view import SiteView, banner_lines, navigation

__all__ = ["render", "navigation", "banner_lines", "entry_urls", "CONTENT_PAGES", "RenderError"]

_MD_ANCHOR = re.compile(r"\{ #([a-z0-9-]+)[ }]")
"""An attribute-list anchor: ``### Title { #id .class }``."""
_HTML_ID = re.compile(r"<[a-z]+ [^>]*\bid=\"([a-z0-9-]+)\"")
"""An id in a raw HTML tag of the page."""


class RenderError(Exception):
    """The catalogue cannot be rendered as it stands (e.g. two anchors on one page)."""


def render(catalogue: Catalogue, build_date: dt.date, base_url: str | None = None) -> dict[str, str]:
    """Every generated file of the site (pages, then downloads), keyed by its path in the docs folder.

    `build_date` decides which events are upcoming and dates the downloads;
    `base_url` (the site's public address, when known) makes the Atom feed's
    links absolute. Raises `RenderError` when a page would have one anchor twice.
    """
    with paused_gc():  # millions of short-lived strings and no cycles: see hub.loader.paused_gc
        site = SiteView(catalogue, build_date)
        files: dict[str, str] = {}
        for path in page_paths(catalogue, site):
            files[path] = render_page(site, path)
            check_anchors(path, files[path])
        for name in downloads.DOWNLOAD_NAMES:
            files[downloads.DOWNLOAD_FILES[name]] = downloads.render_download(name, catalogue, build_date, base_url)
    return files


def check_anchors(path: str, text: str) -> None:
    """Every anchor on a page is unique, so each link lands on one place."""
    anchors = _MD_ANCHOR.findall(text) + _HTML_ID.findall(text)  # two simple patterns: twice as fast as one
    if len(anchors) != len(set(anchors)):
        anchor = next(a for a, n in Counter(anchors).items() if n > 1)
        raise RenderError(f"{path}: the anchor '#{anchor}' is used twice on this page; "
                          f"a record's id may clash with a heading of the page, so change the id")
