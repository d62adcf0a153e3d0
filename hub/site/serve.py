"""`hub serve`'s engine side: MkDocs' live-reload server over a work folder that `hub.site.hooks` keeps current.

MkDocs reloads the config before every rebuild and calls the hook's
`on_config`, which validates and re-renders the catalogue into the served
docs folder through `sync_docs` (only changed files are written: the server
watches that folder too).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from hub.site import publish
from hub.site.build import Project, content_files, write_config


@dataclass(frozen=True)
class Session:
    """What the hook needs to know about the running preview."""

    data_dir: Path
    project: Project


SESSION: Session | None = None
"""The preview this process is running (set by `serve`, read by `hub.site.hooks`)."""


def sync_docs(files: dict[str, str], docs_dir: Path, project: Project) -> int:
    """`content/` plus the rendered files in `docs_dir`, writing only what changed; how many files changed."""
    wanted: dict[str, bytes] = {rel: path.read_bytes()
                                for rel, path in content_files(project.content_dir, project.root).items()}
    for rel, text in files.items():
        wanted[rel] = text.encode("utf-8")
    changed = 0
    for rel, data in wanted.items():
        path = docs_dir / rel
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed += 1
    for path in sorted(docs_dir.rglob("*"), reverse=True):
        rel = path.relative_to(docs_dir).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def serve(*, project: Project, data_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          watch: list[Path] | None = None) -> None:
    """MkDocs' live-reload server; `hub/site/hooks.py` re-renders the catalogue before each build."""
    global SESSION
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    SESSION = Session(data_dir.resolve(), project)
    paths = [data_dir, project.content_dir, project.overrides_dir, *(watch or [])]
    with publish.stop_cleanly_on_sigterm(), publish.work_folder(project.root) as work:
        (work / "docs").mkdir()
        config = write_config(project, work, nav=[], extra={}, hooks=True)
        try:
            mkdocs_serve(str(config), livereload=True, watch_theme=True,
                         watch=[str(p.resolve()) for p in paths if p.exists()], dev_addr=f"{host}:{port}")
        except KeyboardInterrupt:  # Ctrl-C (or SIGTERM) is how a preview ends
            pass
