"""Stage 3: build the rendered pages into a site, with MkDocs (default) or Zensical.

One of the modules that know MkDocs or Zensical (STYLE.md §7; the others are
`hub.site.serve` and `hub.site.hooks`). `build_site`:

1. checks the output folder may be replaced (`hub.outputs`) and locks it
   against a second build (`publish.output_lock`);
2. copies `content/` and writes the rendered files into a fresh work folder
   inside the project (`.site-build-XXXX/docs`; both engines insist that
   `docs_dir` and `site_dir` lie inside the folder of their config file);
3. writes a config there that INHERITs `mkdocs.yml` (the one human-edited
   config) and sets only `docs_dir`, `site_dir`, the theme folder, `nav` and
   `extra.urgent_help`, all of which come from the catalogue or the layout;
4. runs the engine in strict mode into `.site-build-XXXX/site` (for Zensical,
   with the few adjustments of `hub.site.zensical`), then
   Pagefind over the engine's HTML (`hub.site.search`: the search index,
   `site/pagefind/`, the same for both engines);
5. swaps that folder into place in one step (`publish.swap_into_place`). A
   failed build never touches the output (MkDocs itself empties `site_dir`
   first, so a failure leaves half a site).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hub.outputs import check_output_dir
from hub.site import publish, search, zensical
from hub.site.publish import BuildFailed

ENGINE_NAMES = {"mkdocs": "MkDocs", "zensical": "Zensical"}
"""`mkdocs` (MkDocs 1.6 + Material 9, the default) or `zensical` (its successor, pre-1.0), and their names."""
ENGINES = tuple(ENGINE_NAMES)

HOOKS = Path(__file__).resolve().parent / "hooks.py"


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
    search_index: search.SearchIndex | None = None
    """The Pagefind index: records, files, bytes."""
    search_seconds: float = 0.0
    """Of `seconds`, the time Pagefind ran (reading the built pages included)."""
    kept_work: Path | None = None
    """The work folder, when `build_site(keep_work=True)` left it in place."""


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


def content_files(content_dir: Path, root: Path) -> dict[str, Path]:
    """Every file of `content/`, by its path in the docs folder; a symlink that leaves `root` is refused.

    A link to a file outside the project would publish that file (a private
    key, /etc/passwd) on the site, so the build stops and names the link.
    """
    found: dict[str, Path] = {}
    if not content_dir.is_dir():
        return found
    root = root.resolve()
    for path in sorted(content_dir.rglob("*")):
        if path.is_symlink():
            real = path.resolve()
            if not real.is_relative_to(root):
                shown = path.relative_to(root) if path.is_relative_to(root) else path
                raise BuildFailed(f"{shown} is a link to a file outside the project, which would be published",
                                  ["replace the link with a copy of the file, or remove it"])
        if path.is_file():
            found[path.relative_to(content_dir).as_posix()] = path
    return found


def write_docs(files: dict[str, str], docs_dir: Path, content_dir: Path, root: Path) -> int:
    """`content/` plus the rendered files, in `docs_dir` (which must be empty or missing)."""
    hand_written = content_files(content_dir, root)
    clashes = sorted(p for p in files if p in hand_written)
    if clashes:
        raise BuildFailed(f"content/ has files the build generates: {', '.join(clashes)}",
                          ["rename or remove them from content/; generated pages cannot be overridden"])
    for rel, source in hand_written.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
    for rel, text in files.items():
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return len(files)


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
        # The child dies with this process (prctl PR_SET_PDEATHSIG), so a killed build leaves no engine behind.
        proc = publish.start_child(cmd, cwd=config_path.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=env)
    except OSError as exc:
        raise BuildFailed(f"cannot run Zensical: {exc}") from exc
    try:
        stdout, stderr = proc.communicate()
    finally:
        if proc.poll() is None:  # stopped while Zensical ran: it goes too
            proc.kill()
            proc.wait()
    lines = _without_traceback([line for line in (stdout + stderr).splitlines() if line.strip()])
    if "No module named zensical" in stderr:
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


def build_site(files: dict[str, str], *, project: Project, site_dir: Path, nav: list, extra: dict,
               engine: str = "mkdocs", strict: bool = True, site_url: str | None = None,
               keep_work: bool = False) -> BuildResult:
    """Write, build in a work folder, swap into `site_dir`. Raises BuildFailed; `site_dir` then is untouched.

    Raises `hub.outputs.OutputRefused` or `publish.Busy` before anything is
    written. `keep_work` leaves the work folder in place (the benchmark
    rebuilds from its docs and config).
    """
    if engine not in ENGINE_RUNNERS:
        raise BuildFailed(f"unknown engine '{engine}'", [f"choose one of: {', '.join(ENGINES)}"])
    started = time.perf_counter()
    target = check_output_dir(site_dir, project.root)
    with publish.stop_cleanly_on_sigterm(), publish.output_lock(target, project.root), \
            publish.work_folder(project.root, keep=keep_work) as work:
        if engine == "zensical":  # where Zensical reads the pages differently (hub.site.zensical)
            files = zensical.prepare(files)
        count = write_docs(files, work / "docs", project.content_dir, project.root)
        config = write_config(project, work, nav, extra, site_url=site_url)
        engine_started = time.perf_counter()
        log = ENGINE_RUNNERS[engine](config, strict)
        if engine == "zensical":
            zensical.finish(work / "site")
        engine_seconds = time.perf_counter() - engine_started
        pages = sum(1 for _ in (work / "site").rglob("*.html"))
        search_started = time.perf_counter()
        index = search.index_site(work / "site")
        search_seconds = time.perf_counter() - search_started
        publish.swap_into_place(work / "site", target, work)
    return BuildResult(engine, site_dir, pages, count, time.perf_counter() - started, log, engine_seconds,
                       index, search_seconds, work if keep_work else None)
