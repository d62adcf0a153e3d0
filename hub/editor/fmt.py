"""`hub fmt`'s engine: a data file in the canonical layout, checked before anything is written.

`format_file` reads a file (`hub.catalogue.yamlfile`), parses it
(`hub.editor.document`), prints it in the canonical layout (`hub.editor.printer`,
where the layout is described) with the field order of its model (`model_for`),
and, as Black does, checks the result before it is offered: it must load to
exactly the same data through `hub.catalogue.yamlfile` and hold the same
comments, or the file is left alone with a ``fmt-unsafe`` problem. The one value
it changes is a phone number YAML read as a number (``helpline: 08088008088``):
`as_typed` takes its digits as typed from the source, to be written in quotes
(``helpline: "08088008088"``), never the number (which has lost its 0); when
the source does not hold them plainly, the file is left alone with a
``phone-not-text`` problem at that line. Nothing is written here;
`hub.commands.fmt` writes.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hub.catalogue.messages import describe as describe_value
from hub.catalogue.model import DATA_FILES
from hub.catalogue.reading import read_text
from hub.catalogue.yamlfile import load_yaml_text
from hub.editor.changes import Change, describe
from hub.editor.document import Document, Entry, Node, comment_counts, parse
from hub.editor.fields import field_models, quoted_keys
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
    retyped, problems = as_typed(doc, model)
    if problems:
        return None, problems
    expected = doc.loaded.data
    for path, typed in retyped.items():
        expected = _replaced(expected, path, typed)
    out = render(doc.root, model)
    if out == text:
        return out, []
    check = _equivalent(doc, out, expected)
    if check:
        return None, [check]
    return out, []


def as_typed(doc: Document, model: type[BaseModel] | None) -> tuple[dict[tuple, str], list[Problem]]:
    """Each phone number YAML read as a number (``helpline: 08088008088``) set to its text as typed, to be
    written in quotes: ``{path: text}``; a problem for each whose text cannot be read back from the source."""
    retyped: dict[tuple, str] = {}
    problems: list[Problem] = []

    def walk(node: Node, model: type[BaseModel] | None, path: tuple) -> None:
        fields = field_models(model) if model is not None and node.kind == "map" else {}
        quoted = quoted_keys(model) if fields else frozenset()
        for index, entry in enumerate(node.entries):
            here, value = path + ((entry.key,) if node.kind == "map" else (index,)), entry.value
            if entry.key in quoted and value.kind == "scalar" and value.block is None \
                    and value.value is not None and type(value.value) is not str:
                typed = doc.loaded.typed(here)
                if typed is None:
                    problems.append(_not_typed(doc, entry))
                else:
                    retyped[here], value.value = typed, typed
            elif value.is_collection and model is not None:
                walk(value, fields.get(entry.key or "") if node.kind == "map" else model, here)

    walk(doc.root, model, ())
    return retyped, problems


def _not_typed(doc: Document, entry: Entry) -> Problem:
    source = doc.lines[entry.start][entry.value.column:].split(" #")[0].strip()
    return Problem(doc.shown, entry.start + 1, entry.value.column + 1, "phone-not-text",
                   f"cannot write '{entry.key}' in quotes: YAML reads {source} as "
                   f"{describe_value(entry.value.value)}, not as the digits typed, and hub fmt never guesses "
                   "a phone number; the file was left unchanged",
                   hint=f"write the number in double quotes, as the organisation publishes it, with nothing "
                        f"before it, e.g. {entry.key}: \"0808 800 8088\"")


def _replaced(data: Any, path: tuple, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced (the containers on the way copied, the rest shared)."""
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


def _equivalent(doc: Document, out: str, expected: Any) -> Problem | None:
    """Black's safety check: the data expected (the same, phone numbers as typed), same comments; otherwise
    nothing is written."""
    after = load_yaml_text(out, doc.shown)
    what = None
    errors = [p for p in after.problems if p.is_error]  # the input's warnings (a pasted character) stay as they were
    if errors:
        what = f"the result would not be valid YAML ({errors[0].message})"
    elif not _same(after.data, expected):
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
