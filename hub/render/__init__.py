"""Stage 2 of the pipeline: the loaded catalogue → Markdown pages and downloads, as text.

`render(catalogue, build_date)` is pure: no file is read or written. The
pages are plain Markdown (attribute lists give each entry its anchor), so
MkDocs or Zensical only has to build them; see docs/site.md.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import traceback

from hub import downloads
from hub.catalogue import Catalogue
from hub.loader import paused_gc
from hub.render.pages import SiteView, banner_lines, navigation, page_paths, render_page
from hub.render.paths import BROWSE, CONTENT_PAGES, WHATS_NEW, entry_urls

__all__ = ["render", "navigation", "banner_lines", "entry_urls", "CONTENT_PAGES", "RenderError"]

_ANCHOR = re.compile(r"\{ #([a-z0-9-]+)[ }]|<[a-z]+ [^>]*\bid=\"([a-z0-9-]+)\"")

PARALLEL_FROM = 2000
"""With ``parallel=True``, catalogues of at least this many resources render in two processes."""


class RenderError(Exception):
    """The catalogue cannot be rendered as it stands (e.g. two anchors on one page)."""


def render(catalogue: Catalogue, build_date: dt.date, base_url: str | None = None,
           parallel: bool = False) -> dict[str, str]:
    """Every generated file of the site, keyed by its path in the docs folder.

    `build_date` decides which events are upcoming and dates the downloads;
    `base_url` (the site's public address, when known) makes the Atom feed's
    links absolute.

    With `parallel` (what `hub build` asks for), a large catalogue is
    rendered by two processes: a forked child takes Browse all, What's new
    and the downloads while this one renders the section pages. The output
    is the same text either way (a test compares them). Serving never asks
    for it: forking a process that runs threads is unsafe.
    """
    with paused_gc():
        site = SiteView(catalogue, build_date)
        pages = page_paths(catalogue, site)
        jobs = [(path, "page") for path in pages] + [(name, "download") for name in downloads.DOWNLOAD_NAMES]
        child_jobs = [job for job in jobs if job[0] in (BROWSE, WHATS_NEW) or job[1] == "download"]
        if parallel and _can_fork() and len(catalogue.resources) >= PARALLEL_FROM:
            done = _in_two_processes(site, base_url, jobs, child_jobs)
        else:
            done = _run_jobs(site, base_url, jobs)
    return {path: done[path] for path in pages} | {
        downloads.DOWNLOAD_FILES[name]: done[name] for name in downloads.DOWNLOAD_NAMES}


def _run_jobs(site: SiteView, base_url: str | None, jobs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, kind in jobs:
        if kind == "page":
            out[name] = render_page(site, name)
            check_anchors(name, out[name])
        else:
            out[name] = downloads.render_download(name, site.cat, site.build_date, base_url)
    return out


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


def _in_two_processes(site: SiteView, base_url: str | None, jobs: list[tuple[str, str]],
                      child_jobs: list[tuple[str, str]]) -> dict[str, str]:
    """Run `child_jobs` in a forked child (it inherits the catalogue: nothing is copied) and the rest here."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, site, base_url, child_jobs), daemon=True)
    child.start()
    send.close()
    try:
        done = _run_jobs(site, base_url, [job for job in jobs if job not in child_jobs])
        try:
            status, payload = receive.recv()
        except EOFError:  # the child died without a word: do its share here
            status, payload = "ok", _run_jobs(site, base_url, child_jobs)
    finally:
        receive.close()
        child.join()
    if status == "render-error":
        raise RenderError(payload)
    if status != "ok":
        raise RuntimeError(f"rendering in the second process failed:\n{payload}")
    return done | payload


def _child(send, site: SiteView, base_url: str | None, jobs: list[tuple[str, str]]) -> None:
    try:
        with paused_gc():
            result = ("ok", _run_jobs(site, base_url, jobs))
    except RenderError as exc:
        result = ("render-error", str(exc))
    except Exception:  # noqa: BLE001 - reported in the parent, which raises it
        result = ("failed", traceback.format_exc())
    send.send(result)
    send.close()


def check_anchors(path: str, text: str) -> None:
    """Every anchor on a page is unique, so each link lands on one place."""
    seen: set[str] = set()
    for match in _ANCHOR.finditer(text):
        anchor = match.group(1) or match.group(2)
        if anchor in seen:
            raise RenderError(f"{path}: the anchor '#{anchor}' is used twice on this page; "
                              f"a record's id may clash with a heading of the page, so change the id")
        seen.add(anchor)
