"""`hub serve`'s engine side: MkDocs' live-reload server, with the catalogue's pages generated in memory.

Before every rebuild MkDocs reloads the config and calls the hook
(`hub/site/hooks.py`), which validates and renders the catalogue (`refresh`)
and hands the pages to MkDocs as generated files: nothing is written into
the watched folders, so a save causes one rebuild, and nothing is left
behind when the preview stops (MkDocs' own temporary site folder is removed
by this module).

While the data has errors the preview keeps answering: it serves the last
good version of the catalogue with a banner that lists every problem with
its line (`Session.problems`), updated on every save. (MkDocs' server holds
every request while a rebuild fails, so a failing hook would hang the
preview; the hook never fails for bad data.)
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from hub.site.build import HOOKS, Project

POLL_SECONDS = 0.1
"""How often the server looks for changed files (MkDocs' default is 0.5 s, half the save → reload budget)."""


class PortInUse(Exception):
    """The preview's port is taken (another preview, or another program)."""


@dataclass
class Session:
    """The running preview: where the data is, and the last good rendering of it."""

    data_dir: Path
    project: Project
    files: dict[str, str] = field(default_factory=dict)
    """The last good rendering: every generated page and download, by path."""
    nav: list = field(default_factory=list)
    banner: list = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    """The data's errors now (empty when it is valid), as `{"where", "message", "hint"}` for the banner."""
    renders: int = 0
    """How many times the catalogue was rendered (one per rebuild)."""
    templates: CompiledTemplates = field(default_factory=lambda: CompiledTemplates())


class CompiledTemplates(BytecodeCache):
    """The theme's compiled templates, kept in memory between the preview's rebuilds.

    MkDocs makes a new Jinja2 environment for every rebuild, and compiling
    Material's templates again was a third of each rebuild. Jinja2 checks
    each cached template against its source's checksum, so an edited
    override is compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


SESSION: Session | None = None
"""The preview this process is running (set by `serve`, read by `hub.site.hooks`)."""


def refresh(session: Session) -> None:
    """Validate and render the data; on errors keep the last good rendering and list the problems."""
    from hub.catalogue.checks import validate
    from hub.render import RenderError, banner_lines, navigation, render

    result = validate(session.data_dir, root=session.project.root)
    session.renders += 1
    if result.failed():
        session.problems = [{"where": p.location(), "message": p.said,
                             "hint": p.hint or ""} for p in result.errors]
        return
    catalogue = result.load.catalogue
    try:
        files = render(catalogue, dt.date.today(), base_url=None)
    except RenderError as exc:
        session.problems = [{"where": "", "message": str(exc), "hint": ""}]
        return
    session.files, session.problems = files, []
    session.nav, session.banner = navigation(catalogue), banner_lines(catalogue)


def serve(*, project: Project, data_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          watch: list[Path] | None = None) -> None:
    """Run the preview until Ctrl-C or SIGTERM; raises `PortInUse`."""
    global SESSION
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    from hub.site import publish

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    SESSION = Session(data_dir.resolve(), project)
    site_dir = tempfile.mkdtemp(prefix="hub-preview-")  # MkDocs' output, outside the project
    url = f"http://{host}:{port}/"

    def config():
        loaded = load_config(str(project.config_file), site_dir=site_dir, hooks=[str(HOOKS)],
                             dev_addr=f"{host}:{port}", site_url=url)
        return loaded

    def builder(loaded=None) -> None:
        build(loaded or config(), serve_url=url)

    with publish.stop_cleanly_on_sigterm():
        try:
            first = config()
            server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir,
                                      polling_interval=POLL_SECONDS)
            server.error_handler = lambda code: _error_page(site_dir, code)
            builder(first)
            for path in [project.content_dir, project.config_file, *first.theme.dirs[:1], data_dir,
                         *(watch or [])]:
                if Path(path).exists():
                    server.watch(str(path))
            try:
                server.serve()
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise PortInUse(f"port {port} is already in use (another preview?): stop it, or run "
                                    f"python -m hub serve --port {port + 1}") from None
                raise
            except KeyboardInterrupt:  # Ctrl-C (or SIGTERM) is how a preview ends
                logger.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            shutil.rmtree(site_dir, ignore_errors=True)
            logger.removeHandler(handler)


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
