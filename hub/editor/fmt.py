"""One canonical layout for the data files (`python -m hub fmt`), kept by `hub new` and `hub review --apply`.

The layout (agreed with the data files' authors, and what `fmt` writes):

* two spaces per level, list items indented under their key (``key:`` then ``  - item``);
* block style for every list and group of fields; ``[]`` only for an empty list;
* fields in the order of the model (`hub.catalogue.model`), unknown fields kept at the end
  of their record so the validator can still report them;
* text plain where YAML reads it back as the same text, otherwise in double
  quotes (single quotes when the text holds ``"`` but no ``'``);
* text longer than `FOLD_AT` characters as a folded block (``>-``) wrapped at
  column `FOLD_AT`; a folded or literal block an editor already wrote keeps its
  line breaks (as Black keeps a magic trailing comma), so editing a paragraph
  never forces a re-wrap;
* one blank line between top-level blocks; elsewhere at most one blank line,
  where the editor put one; none straight after ``key:``;
* every comment kept: a comment belongs to the line below it and takes that
  line's indentation; a comment at the end of a line stays at the end of that
  line (two spaces before the ``#``); a comment after the last item of a list,
  indented deeper than what follows, stays at the end of that list.

Items of a list are never reordered: sections, subsections and the resources
list are curated, and events, people and measures are in the order the
programme pages use. Formatting therefore never changes the loaded data at all.

Why not ruamel.yaml's round-trip dumper: it stores each comment on the key
*before* it, so reordering keys moves comments to the wrong record, and its
output depends on the input's quirks. Here ruamel parses (positions of every
token and node) and a small printer of our own writes the canonical text.
As Black does, the result is checked before anything is written: it must load
to exactly the same data through `hub.catalogue.yamlfile` and hold the same comments, or
the file is left alone.
"""

from __future__ import annotations

import bisect
import difflib
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scanner import Scanner
from ruamel.yaml.tokens import ScalarToken

from hub.catalogue.model import DATA_FILES, inner_model

# `scalar_value` is the loader's own rule for what a YAML scalar means (dates stay
# text, fold markers removed); formatting must agree with it exactly.
from hub.catalogue.yamlfile import LoadedYaml, load_yaml_text, read_text, scalar_value
from hub.problems import Problem, attach_sources

FOLD_AT = 100
"""Text longer than this is folded (``>-``), wrapped so no line passes this column."""

INDENT = 2

# --- the document tree -----------------------------------------------------


@dataclass
class Block:
    """A folded or literal block scalar as the editor wrote it."""

    header: str
    """``>-``, ``|`` …: the style and chomping indicators."""
    lines: list[str]
    """The content lines without their indentation ('' for an empty line)."""


@dataclass
class Node:
    kind: str
    """``map``, ``seq`` or ``scalar``."""
    entries: list[Entry] = field(default_factory=list)
    value: Any = None
    """A scalar's value, as `hub.catalogue.yamlfile` reads it."""
    block: Block | None = None
    column: int = 0
    """Source column of a collection's keys or dashes (to place trailing comments)."""
    trailing: list[str] = field(default_factory=list)
    """Comments after the last entry of a collection ('' = blank line)."""
    one_line_flow: int | None = None
    """For ``[a, b]`` written on one line: that line (its end-of-line comment belongs to the key)."""

    @property
    def is_collection(self) -> bool:
        return self.kind in ("map", "seq")


@dataclass
class Entry:
    """A ``key: value`` pair of a mapping, or an item of a list (``key`` is None)."""

    key: str | None
    value: Node
    start: int = 0
    """0-based source line where the entry begins."""
    end: int = 0
    """Last source line holding its content."""
    column: int = 0
    leading: list[str] = field(default_factory=list)
    """Comment lines above the entry ('' = blank line)."""
    eol: list[str] = field(default_factory=list)
    """Comments at the end of its first line."""


@dataclass
class Document:
    """A parsed data file: the tree with every comment attached, and its source lines."""

    shown: str
    text: str
    lines: list[str]
    root: Node
    loaded: LoadedYaml
    layout: _Layout

    def find(self, path: tuple) -> Entry | None:
        """The entry at a data path such as ``("resources", 3)``."""
        node, found = self.root, None
        for part in path:
            if not node.is_collection:
                return None
            if isinstance(part, int):
                if node.kind != "seq" or not 0 <= part < len(node.entries):
                    return None
                found = node.entries[part]
            else:
                found = next((e for e in node.entries if node.kind == "map" and e.key == part), None)
                if found is None:
                    return None
            node = found.value
        return found


# --- reading -----------------------------------------------------------------


_HEADER = re.compile(r"[|>][0-9+-]*")


def parse(text: str, shown: str, loaded: LoadedYaml | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse with every comment attached; on YAML problems return them (nothing can be formatted).

    ``loaded`` saves loading the text a second time when the caller already has it.
    """
    if loaded is None or loaded.text != text:
        loaded = load_yaml_text(text, shown)
    if loaded.problems:
        return None, loaded.problems
    src = text if text.endswith("\n") else text + "\n"
    lines = src.split("\n")[:-1]
    layout = _Layout(lines)
    tokens, composed = _compose(src)
    for token in tokens:
        layout.add(token)
    root = _Builder(layout).node(composed) if composed is not None else Node("scalar")
    _attach_comments(root, layout)
    return Document(shown, text, lines, root, loaded, layout), []


def _compose(src: str) -> tuple[list, Any]:
    """The node tree and, from the same pass, every token with its position.

    The loader has already refused anything unsafe, so the (faster) safe composer
    is enough; it resolves plain scalars with the same YAML 1.2 rules.
    """
    tokens: list = []

    class Recording(Scanner):
        def get_token(self):  # noqa: ANN202 - ruamel's signature
            token = super().get_token()
            tokens.append(token)
            return token

    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = Recording
    return tokens, yaml.compose(io.StringIO(src))


class _Layout:
    """Which columns of each source line are content, and where comments and blank lines are."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        n = len(lines)
        self.content_end = [0] * n
        self.has_content = [False] * n
        self.inside = [False] * n
        self.blocks: dict[tuple[int, int], tuple[str, int, int]] = {}
        self.dashes: list[tuple[int, int]] = []

    def _mark(self, line: int, column: int) -> None:
        if line < len(self.lines):
            self.has_content[line] = True
            self.content_end[line] = max(self.content_end[line], column)

    def add(self, token) -> None:
        s, e = token.start_mark, token.end_mark
        if s.index == e.index:
            return
        if type(token).__name__ == "BlockEntryToken":
            self.dashes.append((s.line, s.column))
        if isinstance(token, ScalarToken) and token.style in ("|", ">"):
            header = _HEADER.match(self.lines[s.line], s.column)
            self._mark(s.line, header.end() if header else s.column + 1)
            first, last = s.line + 1, e.line - 1
            while last >= first and not self.lines[last].strip():
                last -= 1
            for i in range(first, last + 1):
                self.inside[i] = True
            self.blocks[(s.line, s.column)] = (header.group() if header else token.style, first, last)
        elif s.line == e.line:
            self._mark(s.line, e.column)
        else:
            self._mark(s.line, len(self.lines[s.line]))
            for i in range(s.line + 1, min(e.line, len(self.lines))):
                self.inside[i] = True
            self._mark(e.line, e.column)

    def comments(self):
        """Yield ``(line, column, text, at_end_of_line)`` for every comment, and blank lines as text ''."""
        for i, line in enumerate(self.lines):
            if self.inside[i]:
                continue
            rest = line[self.content_end[i]:]
            stripped = rest.strip()
            if stripped.startswith("#"):
                column = self.content_end[i] + rest.index("#")
                yield i, column, stripped, self.has_content[i]
            elif not stripped and not self.has_content[i]:
                yield i, 0, "", False


class _Builder:
    """Composed ruamel nodes → `Node`/`Entry` with their source spans."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout

    def node(self, n) -> Node:
        if isinstance(n, MappingNode):
            out = Node("map", column=n.value[0][0].start_mark.column if n.value else n.start_mark.column)
            out.one_line_flow = self._one_line_flow(n)
            for key, value in n.value:
                child = self.node(value)
                start = key.start_mark.line
                end = max(key.end_mark.line, self._end(value, child, start))
                out.entries.append(Entry(str(key.value), child, start, end, key.start_mark.column))
            return out
        if isinstance(n, SequenceNode):
            out = Node("seq", column=n.start_mark.column)
            out.one_line_flow = self._one_line_flow(n)
            for item in n.value:
                child = self.node(item)
                start = item.start_mark.line
                column = item.start_mark.column
                if not n.flow_style:
                    dash = self._dash_before(item.start_mark.line, item.start_mark.column)
                    start, column = dash if dash else (start, column)
                    out.column = column
                out.entries.append(Entry(None, child, start, max(start, self._end(item, child, start)), column))
            return out
        return self._scalar(n)

    @staticmethod
    def _one_line_flow(n) -> int | None:
        return n.start_mark.line if n.flow_style and n.start_mark.line == n.end_mark.line else None

    def _dash_before(self, line: int, column: int) -> tuple[int, int] | None:
        index = bisect.bisect_right(self.layout.dashes, (line, column))
        return self.layout.dashes[index - 1] if index else None

    def _end(self, n, built: Node, start: int) -> int:
        """The last line holding content of a value (block collections end at their last entry)."""
        if built.kind == "scalar":
            if isinstance(n, ScalarNode) and n.style is None and n.value == "":
                return start
            key = (n.start_mark.line, n.start_mark.column)
            if key in self.layout.blocks:
                _, first, last = self.layout.blocks[key]
                return max(n.start_mark.line, last)
            return n.end_mark.line
        if getattr(n, "flow_style", False):
            return n.end_mark.line
        return max((e.end for e in built.entries), default=n.start_mark.line)

    def _scalar(self, n: ScalarNode) -> Node:
        out = Node("scalar", value=scalar_value(n), column=n.start_mark.column)
        spec = self.layout.blocks.get((n.start_mark.line, n.start_mark.column))
        if spec and n.style in ("|", ">"):
            header, first, last = spec
            # An explicit indentation indicator or "keep" chomping ties the text to
            # its exact indentation and trailing lines: written in quotes instead.
            if not re.search(r"[0-9+]", header) and last >= first:
                raw = self.layout.lines[first:last + 1]
                indent = next(len(x) - len(x.lstrip(" ")) for x in raw if x.strip())
                out.block = Block(header, [x[indent:] if len(x) > indent else "" for x in raw])
        return out


def _walk(node: Node, parents: tuple = ()):
    """Pre-order ``(entry, owner, ancestors)``: parents come before their children."""
    for entry in node.entries:
        yield entry, node, parents
        if entry.value.is_collection:
            yield from _walk(entry.value, parents + (node,))


def _attach_comments(root: Node, layout: _Layout) -> None:
    order = list(_walk(root))
    starts: dict[int, Entry] = {}
    for entry, _, _ in order:
        starts.setdefault(entry.start, entry)
    ancestors = {id(entry): parents + (owner,) for entry, owner, parents in order}

    def innermost(line: int) -> Entry | None:
        node, best = root, None
        while node.is_collection and node.one_line_flow != line:
            hit = next((e for e in node.entries if e.start <= line <= e.end), None)
            if hit is None:
                break
            best, node = hit, hit.value
        return best

    def trailing_target(line: int, column: int) -> Node | None:
        after = [e for e, _, _ in order if e.start > line]
        nxt = min(after, key=lambda e: e.start) if after else None
        before = [(e, owner, parents) for e, owner, parents in order if e.end < line]
        if not before:
            return None
        last = max(before, key=lambda t: (t[0].end, len(t[2])))
        chain = ancestors[id(last[0])]
        outer = set(map(id, ancestors[id(nxt)])) if nxt else set()
        fits = [c for c in chain
                if c.entries and c.entries[-1].end < line and id(c) not in outer and c.column <= column
                and (nxt is None or column > nxt.column)]
        return max(fits, key=lambda c: c.column) if fits else None

    pending: list[str] = []
    leading_started = False
    comments = {i: (col, text, eol) for i, col, text, eol in layout.comments()}
    for i in range(len(layout.lines)):
        if i in starts:
            starts[i].leading = pending
            pending, leading_started = [], False
        if i not in comments:
            continue
        column, text, at_eol = comments[i]
        if not text:
            pending.append("")
            continue
        text = normalise_comment(text)
        if at_eol:
            owner = innermost(i)
            if owner is not None:
                owner.eol.append(text)
                continue
        if not leading_started:
            target = trailing_target(i, column)
            if target is not None:
                target.trailing.extend(pending + [text])
                pending = []
                continue
        leading_started = True
        pending.append(text)
    root.trailing.extend(pending)


def normalise_comment(text: str) -> str:
    """``#note`` → ``# note`` (yamllint's rule); trailing spaces removed; ``###`` rules kept."""
    text = text.rstrip()
    hashes = len(text) - len(text.lstrip("#"))
    rest = text[hashes:]
    if rest and not rest[0].isspace():
        return "#" * hashes + " " + rest
    return text


# --- scalars -----------------------------------------------------------------

_RESOLVER = YAML(typ="rt", pure=True).resolver
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_NOT_PRINTABLE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
            "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\\": "\\\\",
            '"': '\\"'}


def plain_ok(text: str) -> bool:
    """True when ``text`` can be written without quotes and reads back as the same text."""
    if not text or text != text.strip(" ") or text[0] in _INDICATORS or _NOT_PRINTABLE.search(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or text.startswith(("---", "...")):
        return False
    if text.lower() in _YAML11_BOOLS:
        return False  # older YAML tools (and readers) take yes/no/on/off for true/false
    tag = str(_RESOLVER.resolve(ScalarNode, text, (True, False)))
    if not tag.endswith((":str", ":timestamp")):
        return False
    return scalar_value(ScalarNode(tag, text)) == text


def quote(text: str) -> str:
    """Double quotes with escapes; single quotes when that avoids escaping a ``"``."""
    if '"' in text and "'" not in text and "\\" not in text and not _NOT_PRINTABLE.search(text):
        return "'" + text + "'"
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _NOT_PRINTABLE.match(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def inline(value: Any) -> str:
    """A scalar as it appears after ``key: `` ('' for nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if "." in text or "e" in text else text + ".0"
    text = str(value)
    return text if plain_ok(text) else quote(text)


_FOLD_POINT = re.compile(r"(?<=\S) (?=\S)")


def fold(text: str, indent: int) -> list[str] | None:
    """Greedy wrap at single spaces so no line passes `FOLD_AT`; None if the text cannot be folded."""
    if len(text) <= FOLD_AT or text != text.strip() or _NOT_PRINTABLE.search(text):
        return None
    words = _FOLD_POINT.split(text)
    lines: list[str] = []
    current = ""
    for word in words:
        if current and indent + len(current) + 1 + len(word) > FOLD_AT:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines if len(lines) > 1 else None


def key_text(key: str) -> str:
    return key if plain_ok(key) else quote(key)


# --- printing ------------------------------------------------------------------


def _scalar_lines(node: Node, indent: int) -> list[str]:
    """The inline part (header for blocks) and any block lines at ``indent``."""
    pad = " " * indent
    if node.block is not None:
        return [node.block.header] + [pad + x if x else "" for x in node.block.lines]
    if isinstance(node.value, str):
        folded = fold(node.value, indent)
        if folded:
            return [">-"] + [pad + x for x in folded]
    return [inline(node.value)]


def _with_eol(line: str, eol: list[str]) -> str:
    return f"{line}  {eol[0]}" if eol else line


def _print_entry(entry: Entry, in_seq: bool, indent: int) -> list[str]:
    pad = " " * indent
    head = pad + "-" if in_seq else pad + key_text(entry.key or "") + ":"
    value = entry.value
    if value.kind == "scalar":
        lines = _scalar_lines(value, indent + INDENT)
        first = head + (" " + lines[0] if lines[0] else "")
        return [_with_eol(first, entry.eol)] + lines[1:]
    if not value.entries:
        return [_with_eol(head + (" []" if value.kind == "seq" else " {}"), entry.eol)]
    body = _print_collection(value, indent + INDENT)
    if in_seq:
        # the first line of the item's content goes on the dash line: "- id: x"
        return [pad + "- " + body[0][indent + INDENT:]] + body[1:]
    return [_with_eol(head, entry.eol)] + body


def _comment_lines(items: list[str], indent: int) -> list[str]:
    return [" " * indent + x if x else "" for x in items]


def _squeeze(items: list[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x == "" and out and out[-1] == "":
            continue
        out.append(x)
    return out


def _print_collection(node: Node, indent: int, root: bool = False) -> list[str]:
    out: list[str] = []
    previous_long = False
    for i, entry in enumerate(node.entries):
        body = _print_entry(entry, node.kind == "seq", indent)
        leading = _squeeze(entry.leading)
        if i == 0 or (root and (len(body) > 1 or previous_long)):
            while leading and leading[0] == "":
                leading.pop(0)
        if root and i > 0 and (len(body) > 1 or previous_long):
            leading.insert(0, "")
        out += _comment_lines(leading, indent) + body
        previous_long = len(body) > 1
    trailing = _squeeze(node.trailing)
    while trailing and trailing[-1] == "":
        trailing.pop()
    return out + _comment_lines(trailing, indent)


def _prepare(node: Node, model: type[BaseModel] | None) -> None:
    """Model key order; comments of a list item's first field move above the item."""
    if node.kind == "map" and model is not None:
        fields = _field_models(model)
        order = {key: i for i, key in enumerate(fields)}
        node.entries.sort(key=lambda e: order.get(e.key or "", len(order)))
    fields = _field_models(model) if node.kind == "map" and model is not None else {}
    for entry in node.entries:
        child_model = fields.get(entry.key or "") if node.kind == "map" else model
        if entry.value.is_collection:
            _prepare(entry.value, child_model)
        if len(entry.eol) > 1:
            entry.leading += entry.eol[:-1]
            entry.eol = entry.eol[-1:]
        if node.kind == "seq" and entry.value.is_collection and entry.value.entries:
            first = entry.value.entries[0]
            entry.leading = entry.leading + entry.eol + first.leading
            entry.eol, first.leading = [], []


def _field_models(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Key (alias) → the record model of its value (for lists of records too), in field order."""
    out: dict[str, type[BaseModel] | None] = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = inner_model(info.annotation)
    return out


def _take_header(root: Node) -> list[str]:
    """The file's opening comment block (up to its last blank line, and the schema line) stays on top."""
    leading = root.entries[0].leading
    cut = max((i + 1 for i, x in enumerate(leading) if x == ""), default=0)
    while cut < len(leading) and leading[cut].startswith("# yaml-language-server:"):
        cut += 1
    header, root.entries[0].leading = leading[:cut], leading[cut:]
    while header and header[0] == "":
        header.pop(0)
    return header


def render(root: Node, model: type[BaseModel] | None = None) -> str:
    """The canonical text of a tree."""
    if root.kind == "map" and root.entries:
        header, first = _take_header(root), root.entries[0]
        _prepare(root, model)
        if root.entries[0] is not first:
            # a comment at the top of the file is the file's, not the first field's
            header, first.leading = header + first.leading, []
        root.entries[0].leading = header + root.entries[0].leading
        lines = _print_collection(root, 0, root=True)
        return "\n".join(lines).strip("\n") + "\n"
    _prepare(root, model)
    if root.kind == "scalar":
        lines = _scalar_lines(root, INDENT)
        lines[0] = lines[0] or "null"
    elif not root.entries:
        lines = ["[]" if root.kind == "seq" else "{}"]
    else:
        lines = _print_collection(root, 0, root=True)
    if root.kind == "scalar" or not root.entries:
        trailer = _squeeze(root.trailing)
        lines = _comment_lines([x for x in trailer if x], 0) + lines
    return "\n".join(lines).strip("\n") + "\n"


# --- building records for `hub new` ------------------------------------------------


def node_from_value(value: Any, model: type[BaseModel] | None = None) -> Node:
    """A tree for plain Python data (a new record), keys in model order."""
    if isinstance(value, dict):
        node = Node("map")
        fields = _field_models(model) if model else {}
        for key, item in value.items():
            node.entries.append(Entry(str(key), node_from_value(item, fields.get(str(key)))))
        _prepare(node, model)
        return node
    if isinstance(value, list):
        node = Node("seq")
        node.entries = [Entry(None, node_from_value(item, model)) for item in value]
        _prepare(node, None)
        return node
    return Node("scalar", value=value)


def render_item(value: Any, indent: int, model: type[BaseModel] | None = None) -> list[str]:
    """A list item (``- …``) at ``indent`` in canonical layout: what `hub new` appends."""
    return _print_entry(Entry(None, node_from_value(value, model)), True, indent)


def render_field(key: str, value: Any, indent: int, model: type[BaseModel] | None = None) -> list[str]:
    """A ``key: value`` entry at ``indent`` in canonical layout."""
    return _print_entry(Entry(key, node_from_value(value, model)), False, indent)


# --- formatting files -------------------------------------------------------------------


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
        from hub.editor.review import EDITORIAL_FILES

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
    elif _comment_counts(_scan_layout(out)) != _comment_counts(doc.layout):
        what = "a comment would be lost"
    if what is None:
        return None
    return Problem(doc.shown, None, None, "fmt-unsafe",
                   f"cannot format this file safely: {what}; the file was left unchanged",
                   hint="this is a bug in hub fmt, not in your data: please report it with the file attached")


def _scan_layout(text: str) -> _Layout:
    layout = _Layout(text.split("\n")[:-1])
    for token in YAML(typ="safe", pure=True).scan(io.StringIO(text)):
        layout.add(token)
    return layout


def _comment_counts(layout: _Layout) -> Counter:
    return Counter(normalise_comment(text) for _, _, text, _ in layout.comments() if text)


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
