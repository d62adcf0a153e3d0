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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from hub import downloads
from hub.catalogue import Catalogue
from hub.loader import can_fork, paused_gc
from hub.render.pages import (
    SiteView,
    banner_lines,
    compile_templates,
    navigation,
    page_paths,
    page_weight,
    render_page,
)
from hub.render.paths import CONTENT_PAGES, entry_urls

__all__ = ["render", "render_for_build", "start_rendering", "Started", "Rendered", "navigation", "banner_lines",
           "entry_urls", "CONTENT_PAGES", "RenderError", "compile_templates"]

_MD_ANCHOR = re.compile(r"\{ #([a-z0-9-]+)[ }]")
"""An attribute-list anchor: ``### Title { #id .class }``."""
_HTML_ID = re.compile(r"<[a-z]+ [^>]*\bid=\"([a-z0-9-]+)\"")
"""An id in a raw HTML tag of the page."""

PARALLEL_FROM = 500
"""`render_for_build` uses a second process from this many resources (below it, forking costs more than it saves).

The environment variable ``HUB_PARALLEL_FROM`` overrides it (the site tests
set 0, so that their small catalogue goes through the two-process path)."""


CHECKS_WEIGHT = 0.15
"""The cross-file checks' time per resource in entries' worth of rendering (0.2 s at 10,000 resources).

`hub build` starts rendering before the checks (`start_rendering` with
`checks_pending`), so this process is given that much less to render."""


def _parallel_from() -> int:
    value = os.environ.get("HUB_PARALLEL_FROM", "")
    return int(value) if value.isdigit() else PARALLEL_FROM

Job = tuple[str, str]
"""``(page path, "page")`` or ``(download name, "download")``."""


class RenderError(Exception):
    """The catalogue cannot be rendered as it stands (e.g. two anchors on one page)."""


def render(catalogue: Catalogue, build_date: dt.date, base_url: str | None = None) -> dict[str, str]:
    """Every generated file of the site, keyed by its path in the docs folder.

    `build_date` decides which events are upcoming and dates the downloads;
    `base_url` (the site's public address, when known) makes the Atom feed's
    links absolute.
    """
    rendered = render_for_build(catalogue, build_date, base_url, parallel=False)
    return rendered.files | rendered.finish()


@dataclass
class Rendered:
    """What `render_for_build` returns: the pages now, the downloads from `finish()`.

    The downloads are not pages (the generator only copies them), so a second
    process may still be writing them while the generator builds the pages;
    `finish()` waits for them. Call `close()` when the build is abandoned.
    """

    files: dict[str, str]
    """Every page (and, when rendered in one process, every download), by path in the docs folder."""
    pending: list[str] = field(default_factory=list)
    """Paths of the downloads `finish()` returns (empty when they are already in `files`)."""
    _finish: Callable[[], dict[str, str]] = field(default=dict, repr=False)
    _close: Callable[[], None] = field(default=lambda: None, repr=False)

    def finish(self) -> dict[str, str]:
        """The pending downloads, by path (waits for the second process)."""
        return self._finish()

    def close(self) -> None:
        """Stop the second process if it is still running (the build failed or was abandoned)."""
        self._close()


def render_for_build(catalogue: Catalogue, build_date: dt.date, base_url: str | None = None,
                     parallel: bool = True) -> Rendered:
    """Render for `hub build`: with `parallel` and a large catalogue, in two processes.

    A forked child (it inherits the loaded catalogue; nothing is copied to it)
    renders about half the pages, by size, and then the downloads, while this
    process renders the other half. The pages come back as soon as both
    halves are done; the downloads follow through `Rendered.finish()`, so
    they are written while the generator builds. The text is the same either
    way (a test compares them). Serving never asks for this: forking a
    process that runs threads is unsafe.
    """
    return start_rendering(catalogue, build_date, base_url, parallel).pages()


@dataclass
class Started:
    """Rendering begun by `start_rendering`: the second process (if any) is at work."""

    _pages: Callable[[], Rendered] = field(repr=False)
    _close: Callable[[], None] = field(default=lambda: None, repr=False)

    def pages(self) -> Rendered:
        """Render this process's share and collect the other's (see `render_for_build`)."""
        return self._pages()

    def close(self) -> None:
        """Stop the second process: its work is not wanted (the data turned out to have errors)."""
        self._close()


def start_rendering(catalogue: Catalogue, build_date: dt.date, base_url: str | None = None,
                    parallel: bool = True, checks_pending: bool = False) -> Started:
    """Fork the second process of `render_for_build` now; this process renders its share in `pages()`.

    `hub build` calls it with `checks_pending` before the cross-file checks,
    which then run here while the child renders: this process is given that
    much less to render (`CHECKS_WEIGHT`).
    """
    with paused_gc():
        site = SiteView(catalogue, build_date)
        paths = page_paths(catalogue, site)
        pages: list[Job] = [(path, "page") for path in paths]
        files: list[Job] = [(name, "download") for name in downloads.DOWNLOAD_NAMES]
        if not (parallel and can_fork() and len(catalogue.resources) >= _parallel_from()):
            def in_one_process() -> Rendered:
                with paused_gc():
                    done = _run_jobs(site, base_url, pages + files)
                return Rendered({path: done[path] for path in paths} | _download_paths(done))
            return Started(in_one_process)
        head_start = CHECKS_WEIGHT * len(catalogue.resources) if checks_pending else 0.0
        mine, theirs = _halves(site, pages, head_start)
        compile_templates()
        return _in_two_processes(site, base_url, paths, mine, theirs, files)


def _download_paths(done: dict[str, str]) -> dict[str, str]:
    return {downloads.DOWNLOAD_FILES[name]: done[name] for name in downloads.DOWNLOAD_NAMES}


def _halves(site: SiteView, pages: list[Job], head_start: float = 0.0) -> tuple[list[Job], list[Job]]:
    """Split the pages in two of about the same rendering time, largest first (LPT scheduling).

    The first bin is this process's, which has `head_start` of other work to do first.
    """
    weight = {path: page_weight(site, path) for path, _ in pages}
    bins: tuple[list[Job], list[Job]] = ([], [])
    loads = [head_start, 0.0]
    for job in sorted(pages, key=lambda job: -weight[job[0]]):
        lighter = 0 if loads[0] <= loads[1] else 1
        bins[lighter].append(job)
        loads[lighter] += weight[job[0]]
    return bins


def _run_jobs(site: SiteView, base_url: str | None, jobs: list[Job]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, kind in jobs:
        if kind == "page":
            out[name] = render_page(site, name)
            check_anchors(name, out[name])
        else:
            out[name] = downloads.render_download(name, site.cat, site.build_date, base_url)
    return out


def _in_two_processes(site: SiteView, base_url: str | None, paths: list[str], mine: list[Job],
                      theirs: list[Job], files: list[Job]) -> Started:
    """Fork a child that renders `theirs`, then `files`, sending each batch when done; `mine` is rendered in `pages()`."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, site, base_url, [theirs, files]), daemon=True)
    child.start()
    send.close()

    def batch(jobs: list[Job]) -> dict[str, str]:
        try:
            status, payload = receive.recv()
        except EOFError:  # the child died without a word: do its share here
            status, payload = "ok", _run_jobs(site, base_url, jobs)
        if status == "render-error":
            raise RenderError(payload)
        if status != "ok":
            raise RuntimeError(f"rendering in the second process failed:\n{payload}")
        return payload

    def close() -> None:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()

    def finish() -> dict[str, str]:
        try:
            return _download_paths(batch(files))
        finally:
            close()

    def pages() -> Rendered:
        try:
            with paused_gc():
                done = _run_jobs(site, base_url, mine)
                done |= batch(theirs)
        except BaseException:
            close()
            raise
        return Rendered({path: done[path] for path in paths}, list(downloads.DOWNLOAD_FILES.values()), finish, close)

    return Started(pages, close)


def _child(send, site: SiteView, base_url: str | None, batches: list[list[Job]]) -> None:
    with paused_gc():
        for jobs in batches:
            try:
                result = ("ok", _run_jobs(site, base_url, jobs))
            except RenderError as exc:
                result = ("render-error", str(exc))
            except Exception:  # noqa: BLE001 - reported in the parent, which raises it
                result = ("failed", traceback.format_exc())
            try:
                send.send(result)
            except (BrokenPipeError, OSError):  # the parent has stopped listening
                return
            if result[0] != "ok":
                return
    send.close()


def check_anchors(path: str, text: str) -> None:
    """Every anchor on a page is unique, so each link lands on one place."""
    anchors = _MD_ANCHOR.findall(text) + _HTML_ID.findall(text)  # two simple patterns: twice as fast as one
    if len(anchors) != len(set(anchors)):
        anchor = next(a for a, n in Counter(anchors).items() if n > 1)
        raise RenderError(f"{path}: the anchor '#{anchor}' is used twice on this page; "
                          f"a record's id may clash with a heading of the page, so change the id")
