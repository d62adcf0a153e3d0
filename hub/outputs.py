"""Where a command may write: the guard that keeps every `hub` command from deleting what it did not create.

A folder a command replaces (`hub build --site-dir`) must be one the hub built
before (it holds `MARKER`), or empty, or missing; and it may not be, contain
or sit inside what people edit (`data/`, `content/`, `overrides/`, `.git`) or
be the current folder, the project folder or a parent of either. A file a
command writes (`check-links --json-out`) may not land inside those folders
or replace a data file. Refusals are `OutputRefused`: the command prints the
sentence and exits 2, and nothing has been touched.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".hub-site"
"""The file `hub build` writes at the top of every site it builds; a folder holding it may be replaced."""

MARKER_TEXT = ("This folder was built by `python -m hub build`; the next build replaces it whole.\n"
               "Do not keep anything of your own here.\n")

PROTECTED = ("data", "content", "overrides", "editorial", ".git")
"""Folders of the project that people edit: no output may be, contain or sit inside one.

Every other non-empty folder is protected by the `MARKER` rule instead."""


class OutputRefused(Exception):
    """The output path would put someone's files at risk; the message names the folder and the fix."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def looks_built(folder: Path) -> bool:
    """Whether `folder` is a site `hub build` made: it holds `MARKER` (or, built before the marker existed,
    the home page, the sitemap and the catalogue's JSON download)."""
    if (folder / MARKER).is_file():
        return True
    return all((folder / name).is_file() for name in ("index.html", "sitemap.xml", "downloads/resources.json"))


def check_output_dir(path: Path, project_root: Path, flag: str = "--site-dir") -> Path:
    """`path`, resolved, if a command may replace it whole; else raise `OutputRefused`."""
    target = Path(os.path.abspath(path))  # not resolve(): a symlinked site/ is judged where it is
    real = target.resolve()
    root = project_root.resolve()
    cwd = Path.cwd().resolve()
    for place in {real, target}:
        if place == cwd or place in cwd.parents or place == root or place in root.parents:
            raise OutputRefused(f"{flag} {path}: that is the project folder, the current folder or a parent of "
                                f"one, so replacing it would delete everything in it; choose a new folder such "
                                f"as 'site'")
        for name in PROTECTED:
            folder = (root / name).resolve()
            if _inside(place, folder):
                raise OutputRefused(f"{flag} {path}: that is '{name}/' or a folder inside it, which holds the "
                                    f"project's own files; choose a folder of its own such as 'site'")
            if folder.exists() and _inside(folder, place):
                raise OutputRefused(f"{flag} {path}: it contains '{name}/', which holds the project's own "
                                    f"files; choose a folder of its own such as 'site'")
    if real.exists() and not real.is_dir():
        raise OutputRefused(f"{flag} {path}: a file of that name exists; choose a folder name")
    if real.is_dir() and any(real.iterdir()) and not looks_built(real):
        raise OutputRefused(f"{flag} {path}: the folder is not empty and was not built by the hub (it has no "
                            f"{MARKER} file), so it is not replaced; move its files elsewhere or choose "
                            f"another folder")
    return target


def check_output_file(path: Path, project_root: Path, flag: str) -> Path:
    """`path` if a command may write the file there; else raise `OutputRefused`."""
    real = Path(os.path.abspath(path)).resolve()
    root = project_root.resolve()
    for name in PROTECTED:
        if _inside(real, (root / name).resolve()):
            raise OutputRefused(f"{flag} {path}: it is inside '{name}/', which holds the project's own files; "
                                f"write the report somewhere else, for example 'link-report.json'")
    if real.is_dir():
        raise OutputRefused(f"{flag} {path}: that is a folder; give a file name")
    return path
