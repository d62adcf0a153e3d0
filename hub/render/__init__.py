"""Stage 2 of the pipeline: the loaded catalogue → Markdown pages and downloads, as text.

`render(catalogue, build_date)` is pure: no file is read or written. The
pages are plain Markdown (attribute lists give each entry its anchor), so
MkDocs or Zensical only has to build them; see docs/site.md.
"""

from __future__ import annotations

import datetime as dt
import re

from hub import downloads
from hub.catalogue import Catalogue
from hub.render.pages import banner_lines, navigation, render_pages
from hub.render.paths import CONTENT_PAGES, entry_urls

__all__ = ["render", "navigation", "banner_lines", "entry_urls", "CONTENT_PAGES", "RenderError"]

_ANCHOR = re.compile(r"\{ #([a-z0-9-]+)[ }]|<[a-z]+ [^>]*\bid=\"([a-z0-9-]+)\"")


class RenderError(Exception):
    """The catalogue cannot be rendered as it stands (e.g. two anchors on one page)."""


def render(catalogue: Catalogue, build_date: dt.date, base_url: str | None = None) -> dict[str, str]:
    """Every generated file of the site, keyed by its path in the docs folder.

    `build_date` decides which events are upcoming and dates the downloads;
    `base_url` (the site's public address, when known) makes the Atom feed's
    links absolute.
    """
    files = render_pages(catalogue, build_date)
    for path, text in files.items():
        check_anchors(path, text)
    files.update(downloads.render_downloads(catalogue, build_date, base_url))
    return files


def check_anchors(path: str, text: str) -> None:
    """Every anchor on a page is unique, so each link lands on one place."""
    seen: set[str] = set()
    for match in _ANCHOR.finditer(text):
        anchor = match.group(1) or match.group(2)
        if anchor in seen:
            raise RenderError(f"{path}: the anchor '#{anchor}' is used twice on this page; "
                              f"a record's id may clash with a heading of the page, so change the id")
        seen.add(anchor)
