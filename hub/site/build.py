"""Stage 3: build the rendered pages into a site, with MkDocs (default) or Zensical.

The only module that imports MkDocs or runs Zensical (STYLE.md §7). It:

1. copies `content/` and writes the rendered files into a fresh work folder
   inside the project (`.site-build-XXXX/docs`; both engines insist that
   `docs_dir` and `site_dir` lie inside the folder of their config file);
2. writes a config there that INHERITs `mkdocs.yml` (the one human-edited
   config) and sets only `docs_dir`, `site_dir`, the theme folder, `nav` and
   `extra.urgent_help`, all of which come from the catalogue or the layout;
3. runs the engine in strict mode into `.site-build-XXXX/site`;
4. swaps that folder into place: the old site is renamed away, the new one
   renamed in, the old one deleted. A failed build never touches `site/`
   (MkDocs itself empties `site_dir` first, so a failure leaves half a site).

`serve` runs MkDocs' live-reload server with `hub/site/hooks.py`, which
re-renders the catalogue before each rebuild.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ENGINE_NAMES = {"mkdocs": "MkDocs", "zensical": "Zensical"}
"""`mkdocs` (MkDocs 1.6 + Material 9, the default) or `zensical` (its successor, pre-1.0), and their names."""
ENGINES = tuple(ENGINE_NAMES)

WORK_PREFIX = ".site-build-"
HOOKS = Path(__file__).resolve().parent / "hooks.py"


class BuildFailed(Exception):
    """The generator refused the pages; `details` holds its warning and error lines."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass
class Project:
    """Where the site's hand-written parts live: the config, `content/` and `overrides/`."""

    config_file: Path
    content_dir: Path
    overrides_dir: Path

    @classmethod
    def at(cls, config_file: Path) -> Project:
        config_file = config_file.resolve()
        root = config_file.parent
        return cls(config_file, root / "content", root / "overrides")

    @property
    def root(self) -> Path:
        return self.config_file.parent

    def site_url(self) -> str | None:
        """`site_url` from the config, if set (the Atom feed's base URL)."""
        data = _read_config(self.config_file)
        url = data.get("site_url")
        return str(url) if url else None


@dataclass
class BuildResult:
    engine: str
    site_dir: Path
    pages: int
    files: int
    seconds: float
    log: list[str] = field(default_factory=list)
    engine_seconds: float = 0.0
    """Of `seconds`, the time the engine itself ran."""


def _read_config(path: Path) -> dict:
    # mkdocs.yml may carry MkDocs' own tags (!ENV, !!python/name); read past them.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}  # noqa: S506 - SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        raise BuildFailed(f"cannot read {path.name}: {exc}") from exc


# --- the docs folder and its config ----------------------------------------------


def write_docs(files: dict[str, str], docs_dir: Path, content_dir: Path) -> int:
    """`content/` plus the rendered files, in `docs_dir` (which must be empty or missing)."""
    if content_dir.is_dir():
        shutil.copytree(content_dir, docs_dir, dirs_exist_ok=True)
    clashes = sorted(p for p in files if (content_dir / p).exists())
    if clashes:
        raise BuildFailed(f"content/ has files the build generates: {', '.join(clashes)}",
                          ["rename or remove them from content/; generated pages cannot be overridden"])
    for rel, text in files.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return len(files)


def sync_docs(files: dict[str, str], docs_dir: Path, content_dir: Path) -> int:
    """Like `write_docs`, but only writes what changed (for `serve`, which watches the folder)."""
    wanted: dict[str, bytes] = {}
    if content_dir.is_dir():
        for path in content_dir.rglob("*"):
            if path.is_file():
                wanted[path.relative_to(content_dir).as_posix()] = path.read_bytes()
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


def write_config(project: Project, work: Path, nav: list, extra: dict, *, site_url: str | None = None,
                 hooks: bool = False) -> Path:
    """A config in `work` that inherits the project's and adds what the catalogue decides."""
    config: dict = {
        "INHERIT": str(project.config_file),
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"custom_dir": str(project.overrides_dir)},
        "nav": nav,
        "extra": extra,
    }
    if site_url:
        config["site_url"] = site_url
    if hooks:
        config["hooks"] = [str(HOOKS)]
    path = work / "mkdocs.yml"
    path.write_text("# Generated by hub.site.build for one build; edit mkdocs.yml instead.\n"
                    + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# --- the engines --------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def run_mkdocs(config_path: Path, strict: bool = True) -> list[str]:
    """Build with MkDocs in this process; return its warnings; raise BuildFailed on failure."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life notice; see docs/site.md
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.INFO
    try:
        config = load_config(str(config_path), strict=strict)
        build(config)
    except exceptions.MkDocsException as exc:
        raise BuildFailed(f"MkDocs could not build the site: {exc}", handler.lines) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = old
    return handler.lines


def run_zensical(config_path: Path, strict: bool = True) -> list[str]:
    """Build with Zensical in a subprocess (it is a Rust program with a Python front end)."""
    cmd = [sys.executable, "-m", "zensical", "build", "--config-file", str(config_path)]
    if strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        proc = subprocess.run(cmd, cwd=config_path.parent, capture_output=True, text=True, env=env)
    except OSError as exc:
        raise BuildFailed(f"cannot run Zensical: {exc}") from exc
    lines = _without_traceback([line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()])
    if "No module named zensical" in proc.stderr:
        raise BuildFailed("Zensical is not installed", ["install it with: pip install -e '.[zensical]'"])
    if proc.returncode != 0 or not (config_path.parent / "site" / "index.html").exists():
        raise BuildFailed(f"Zensical could not build the site (exit status {proc.returncode})", lines)
    return [line for line in lines if "warning" in line.lower()]


def _without_traceback(lines: list[str]) -> list[str]:
    """Zensical ends a strict failure with a Python traceback; keep only its last line's message."""
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("Traceback (most recent call last)"):
            skipping = True
        elif skipping and not line.startswith(" "):
            skipping = False
            out.append(line.split(": ", 1)[-1])
        elif not skipping:
            out.append(line)
    return out


ENGINE_RUNNERS = {"mkdocs": run_mkdocs, "zensical": run_zensical}


# --- build and swap ------------------------------------------------------------------


def swap_into_place(new_site: Path, target: Path) -> None:
    """Put `new_site` at `target`: rename the old site away, rename the new one in, delete the old."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".site-new-{os.getpid()}"
    old = target.parent / f".site-old-{os.getpid()}"
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        os.replace(new_site, staging)
    except OSError:  # another file system: copy next to the target first, then rename
        shutil.copytree(new_site, staging)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def build_site(files: dict[str, str], *, project: Project, site_dir: Path, nav: list, extra: dict,
               engine: str = "mkdocs", strict: bool = True, site_url: str | None = None,
               keep_work: bool = False) -> BuildResult:
    """Write, build in a temporary folder, swap into `site_dir`. Raises BuildFailed; `site_dir` then is untouched.

    `keep_work` leaves the work folder in place (the benchmark rebuilds from its docs and config).
    """
    if engine not in ENGINE_RUNNERS:
        raise BuildFailed(f"unknown engine '{engine}'", [f"choose one of: {', '.join(ENGINES)}"])
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=project.root))
    try:
        count = write_docs(files, work / "docs", project.content_dir)
        config = write_config(project, work, nav, extra, site_url=site_url)
        engine_started = time.perf_counter()
        log = ENGINE_RUNNERS[engine](config, strict)
        engine_seconds = time.perf_counter() - engine_started
        pages = sum(1 for _ in (work / "site").rglob("*.html"))
        swap_into_place(work / "site", site_dir)
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
    return BuildResult(engine, site_dir, pages, count, time.perf_counter() - started, log, engine_seconds)


# --- serve -----------------------------------------------------------------------------


def serve(*, project: Project, data_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          watch: list[Path] | None = None) -> None:
    """MkDocs' live-reload server; `hub/site/hooks.py` re-renders the catalogue before each build."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    work = project.root / f"{WORK_PREFIX}serve-{os.getpid()}"
    (work / "docs").mkdir(parents=True)
    os.environ["HUB_SERVE_DATA"] = str(data_dir.resolve())
    os.environ["HUB_SERVE_CONTENT"] = str(project.content_dir)
    config = write_config(project, work, nav=[], extra={}, hooks=True)
    paths = [data_dir, project.content_dir, project.overrides_dir, *(watch or [])]
    try:
        mkdocs_serve(str(config), livereload=True, watch_theme=True,
                     watch=[str(p.resolve()) for p in paths if p.exists()], dev_addr=f"{host}:{port}")
    except KeyboardInterrupt:  # Ctrl-C is how a preview ends
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
