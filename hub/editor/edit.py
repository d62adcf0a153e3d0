"""Text edits that change nothing else: a file's lines, and edits planned on its parsed `Document`.

`TextFile` keeps a file's lines with its own line ending and byte order mark,
so every line an edit does not touch stays byte-identical; `item_edit` adds an
item to a list (at the end, or before a given item), `field_edit` adds a
``key: value`` to a record at its place in the model's field order, `value_edit`
sets one (rewriting only its line when the record has it), and `subsection_edit`
lists a resource in a subsection. The new lines are printed
by `hub.editor.printer`, so they are already in the canonical layout. When a
file cannot be read or edited safely, `EditError` carries the located problems.
Used by `hub new` (`hub.editor.new`), `hub review --apply` and `--mark-reviewed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hub.catalogue.model import Subsection
from hub.catalogue.reading import read_text
from hub.catalogue.yamlfile import LoadedYaml
from hub.editor.document import Document, parse
from hub.editor.printer import render_field, render_item
from hub.problems import Problem


class EditError(Exception):
    """The file cannot be edited safely; the problems say what to do."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class Edit:
    """Lines to insert before 0-based line ``at`` (and optionally one line to rewrite)."""

    at: int
    lines: list[str]
    rewrite: tuple[int, str] | None = None


@dataclass
class TextFile:
    """A file's lines with its own line ending, so that unchanged lines stay byte-identical."""

    path: Path
    shown: str
    lines: list[str]
    newline: str = "\n"
    bom: str = ""

    @classmethod
    def read(cls, path: Path, shown: str) -> TextFile:
        """The file as it is; `EditError` when it is missing, unreadable or not UTF-8 text."""
        try:
            raw = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            _, problems = read_text(path, shown)  # the loader's own words for what is wrong
            raise EditError(problems or [Problem(shown, None, None, "unreadable", "cannot read the file",
                                                 hint="check that the file exists and is readable")]) from None
        bom = "\ufeff" if raw.startswith("\ufeff") else ""
        raw = raw[len(bom):]
        newline = "\r\n" if "\r\n" in raw else "\n"
        return cls(path, shown, raw.split(newline), newline, bom)

    @property
    def text(self) -> str:
        return self.bom + self.newline.join(self.lines)

    def document(self, loaded: LoadedYaml | None = None) -> Document:
        """The parsed file; `EditError` if it is not valid YAML."""
        doc, problems = parse("\n".join(self.lines), self.shown, loaded)
        if doc is None:
            raise EditError(problems)
        return doc

    def apply(self, edits: list[Edit]) -> list[int]:
        """Make every edit (planned on the same text); returns each one's first new line, 1-based."""
        real = len(self.lines) - 1 if self.lines and self.lines[-1] == "" else len(self.lines)
        if any(e.at >= real for e in edits) and self.lines[-1:] != [""]:
            self.lines.append("")  # the file had no final newline
        for edit in edits:
            edit.at = min(edit.at, real)
            if edit.rewrite:
                self.lines[edit.rewrite[0]] = edit.rewrite[1]
        firsts = []
        for k, edit in enumerate(edits):
            shift = sum(len(o.lines) for o in edits if o.at < edit.at)
            shift += sum(len(o.lines) for o in edits[:k] if o.at == edit.at)
            firsts.append(edit.at + shift + 1)
        for k in sorted(range(len(edits)), key=lambda k: (edits[k].at, k), reverse=True):
            self.lines[edits[k].at:edits[k].at] = edits[k].lines
        return firsts


def item_edit(doc: Document, path: tuple, value: Any, model: type[BaseModel] | None,
              before: int | None = None) -> Edit:
    """Add ``value`` to the list at ``path``: at the end, or before item number ``before``."""
    entry = doc.find(path)
    if entry is None:
        if len(path) == 1:
            lines = ([""] if doc.root.entries else []) + render_field(path[0], [value], 0, model)
            return Edit(len(doc.lines), lines)
        raise _error(doc, f"there is no '{path[-1]}' list here", "add the list first")
    node = entry.value
    if node.kind == "scalar" and node.value is None:
        return Edit(entry.start + 1, render_item(value, entry.column + 2, model))
    if node.kind != "seq":
        raise _error(doc, f"'{path[-1]}' is not a list", "check the file against CONTRIBUTING.md", entry.start)
    items = node.entries
    if not items:
        line = doc.lines[entry.start]
        rewrite = (entry.start, re.sub(r":(\s*)\[\s*\]", ":", line, count=1))
        return Edit(entry.start + 1, render_item(value, entry.column + 2, model), rewrite)
    if items[0].start == entry.start:
        raise _error(doc, f"the list '{path[-1]}' is written in [brackets]",
                     "run python -m hub fmt first, then try again", entry.start)
    lines = render_item(value, items[0].column, model)
    if before is None or before >= len(items):
        at, neighbour = items[-1].end + 1, items[-1]
    elif before == 0:
        at, neighbour = entry.start + 1, items[0]
    else:
        at, neighbour = items[before - 1].end + 1, items[before]
    if len(items) > 1 and neighbour.leading[:1] == [""]:
        lines = [""] + lines  # this list has a blank line between its items
    return Edit(at, lines)


def field_edit(doc: Document, path: tuple, key: str, value: Any, model: type[BaseModel],
               value_model: type[BaseModel] | None = None) -> Edit:
    """Add ``key: value`` to the record at ``path``, at its place in the model's field order."""
    entry = doc.find(path)
    node = entry.value if entry is not None else doc.root if not path else None
    if node is None or node.kind != "map" or not node.entries:
        raise _error(doc, "there is no record here to add the field to", "check the file")
    if any(e.key == key for e in node.entries):
        raise _error(doc, f"the record already has '{key}'", f"edit the existing '{key}:' line")
    order = [info.alias or name for name, info in model.model_fields.items()]
    rank = {k: i for i, k in enumerate(order)}
    position = rank.get(key, len(order))
    following = next((i for i, e in enumerate(node.entries) if rank.get(e.key or "", len(order)) > position), None)
    if following == 0:
        raise _error(doc, f"cannot place '{key}' before the record's first field", "add it by hand")
    at = node.entries[-1].end + 1 if following is None else node.entries[following - 1].end + 1
    return Edit(at, render_field(key, value, node.column, value_model))


def value_edit(doc: Document, path: tuple, key: str, value: Any, model: type[BaseModel]) -> Edit:
    """Set ``key: value`` in the record at ``path``: its one line rewritten if the record has the field
    (an end-of-line comment is kept), else added where `field_edit` puts it. Only a plain value on the
    key's own line is rewritten; anything else (a block, a list, a record in braces) is left to a person."""
    entry = doc.find(path + (key,))
    if entry is None:
        return field_edit(doc, path, key, value, model)
    line = doc.lines[entry.start]
    prefix = line[:entry.column]
    if (entry.value.kind != "scalar" or entry.value.block is not None or entry.end != entry.start
            or not re.fullmatch(r"[ -]*", prefix) or not line[entry.column:].startswith(f"{key}:")):
        raise _error(doc, f"'{key}' is not written as one plain 'name: value' line",
                     f"run python -m hub fmt first, or change the '{key}:' line by hand", entry.start)
    (new,) = render_field(key, value, entry.column, None)
    tail = line[doc.layout.content_end[entry.start]:]  # the spaces and comment after the value, as written
    return Edit(entry.start, [], rewrite=(entry.start, prefix + new[entry.column:] + tail))


def subsection_edit(doc: Document, subsection_id: str, resource_id: str) -> Edit | None:
    """List a resource at the end of a subsection's ``resources:`` (None if it is already listed)."""
    data = doc.loaded.data if isinstance(doc.loaded.data, dict) else {}
    for si, section in enumerate(data.get("sections") or []):
        subs = section.get("subsections") or [] if isinstance(section, dict) else []
        for ssi, sub in enumerate(subs):
            if isinstance(sub, dict) and sub.get("id") == subsection_id:
                base = ("sections", si, "subsections", ssi)
                if sub.get("resources") is not None:
                    if resource_id in (sub.get("resources") or []):
                        return None
                    return item_edit(doc, base + ("resources",), resource_id, None)
                return field_edit(doc, base, "resources", [resource_id], Subsection)
    raise _error(doc, f"no subsection has the id '{subsection_id}'",
                 "the subsection ids are listed by: python -m hub new paper (interactive)")


def _error(doc: Document, message: str, hint: str, line: int | None = None) -> EditError:
    return EditError([Problem(doc.shown, None if line is None else line + 1, None, "cannot-edit", message,
                              hint=hint)])
