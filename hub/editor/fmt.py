"""`hub fmt`'s engine: a data file in the canonical layout, checked before anything is written.

`format_file` reads a file (`hub.catalogue.yamlfile`), parses it
(`hub.editor.document`), prints it in the canonical layout (`hub.editor.printer`,
where the layout is described) with the field order of its model (`model_for`),
and, as Black does, checks the result before it is offered: it must load to
exactly the same data through `hub.catalogue.yamlfile` and hold the same
comments, or the file is left alone with a ``fmt-unsafe`` problem. Nothing is
written here; `hub.commands.fmt` writes.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hub.catalogue.model import DATA_FILES
from hub.catalogue.reading import read_text
from hub.catalogue.yamlfile import load_yaml_text
from hub.editor.changes import Change, describe
from hub.editor.document import Document, comment_counts, parse
from hub.editor.printer import render
from hub.editor.settings import EDITORIAL_FILES
from hub.problems import Problem, attach_sources


@dataclass
class Formatted:
    """The outcome of formatting one file."""

    shown: str
    before: str
    after: str | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    def changes(self) -> list[Change]:
        """What would change, as instructions at the editor's lines (`hub.editor.changes`)."""
        if not self.changed or self.after is None:
            return []
        return describe(self.before, self.after)

    def diff(self) -> str:
        if not self.changed or self.after is None:
            return ""
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"{self.shown} (now)", tofile=f"{self.shown} (formatted)",
        ))


def model_for(path: Path) -> type[BaseModel] | None:
    """The model whose field order applies to a file, by its name (None: keep key order)."""
    if path.name in DATA_FILES:
        return DATA_FILES[path.name]
    if path.parent.name == "editorial":
        return EDITORIAL_FILES.get(path.name)
    return None


def format_text(text: str, shown: str, model: type[BaseModel] | None = None) -> tuple[str | None, list[Problem]]:
    """The canonical text of a file, or the problems that stop it being formatted."""
    doc, problems = parse(text, shown)
    if doc is None:
        return None, problems
    out = render(doc.root, model)
    if out == text:
        return out, []
    check = _equivalent(doc, out)
    if check:
        return None, [check]
    return out, []


def _equivalent(doc: Document, out: str) -> Problem | None:
    """Black's safety check: same data, same comments; otherwise nothing is written."""
    after = load_yaml_text(out, doc.shown)
    what = None
    if after.problems:
        what = f"the result would not be valid YAML ({after.problems[0].message})"
    elif not _same(after.data, doc.loaded.data):
        what = "the result would load to different data"
    elif comment_counts(out) != doc.comment_counts():
        what = "a comment would be lost"
    if what is None:
        return None
    return Problem(doc.shown, None, None, "fmt-unsafe",
                   f"cannot format this file safely: {what}; the file was left unchanged",
                   hint="this is a bug in hub fmt, not in your data: please report it with the file attached")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def format_file(path: Path, shown: str | None = None) -> Formatted:
    """Format one file in memory (nothing is written here)."""
    shown = shown or path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Formatted(shown, "", None, [Problem(shown, None, None, "unreadable",
                                                   f"cannot read the file: {exc.strerror}")])
    text, problems = read_text(path, shown)
    if text is None:
        return Formatted(shown, "", None, problems)
    before = raw.decode("utf-8", errors="replace")
    after, problems = format_text(text, shown, model_for(path))
    return Formatted(shown, before, after, attach_sources(problems, {shown: text}))
