"""The YAML document model of the editor tools: a data file parsed into a tree with every comment attached.

`parse` turns a file's text into a `Document`: mappings, lists and scalars as
`Node`s and `Entry`s with their source lines and columns, each comment and
blank line attached to the entry it belongs to (a comment belongs to the line
below it; one at the end of a line to that line; one after the last item of a
list, indented deeper than what follows, to that list), and block scalars kept
as the editor wrote them. ruamel.yaml only supplies the positions of every
token and node (its round-trip dumper stores each comment on the key *before*
it, so reordering keys would move comments to the wrong record); the values are
read with `hub.catalogue.yamlfile`'s own rules, so they agree with the loader.
`hub.editor.printer` writes a tree back in the canonical layout and
`hub.editor.edit` plans text edits from it.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scanner import Scanner
from ruamel.yaml.tokens import ScalarToken

# `scalar_value` is the loader's own rule for what a YAML scalar means (dates stay
# text, fold markers removed); formatting must agree with it exactly.
from hub.catalogue.scalars import scalar_value
from hub.catalogue.yamlfile import LoadedYaml, load_yaml_text
from hub.problems import Problem

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
    quoted: bool = False
    """Text printed in double quotes whatever it holds (a phone number; set by the printer from the model)."""

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

    def comment_counts(self) -> Counter:
        """Every comment of the file (as `normalise_comment` writes it), counted."""
        return _counts(self.layout)


# --- reading -----------------------------------------------------------------


_HEADER = re.compile(r"[|>][0-9+-]*")


def parse(text: str, shown: str, loaded: LoadedYaml | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse with every comment attached; on YAML problems return them (nothing can be formatted).

    ``loaded`` saves loading the text a second time when the caller already has it.
    """
    if loaded is None or loaded.text != text:
        loaded = load_yaml_text(text, shown)
    if any(p.is_error for p in loaded.problems):  # a warning (a pasted non-breaking space) is no reason
        return None, loaded.problems
    src = text if text.endswith("\n") else text + "\n"
    lines = src.split("\n")[:-1]
    layout = _Layout(lines)
    # A tab after the last value of a line: the loader (libyaml) takes it as the line's end, ruamel's
    # scanner refuses it. A space in its place keeps every column; the safety check in hub.editor.fmt
    # still compares the result with what the loader read.
    tokens, composed = _compose(_TRAILING_TABS.sub(lambda m: " " * len(m.group()), src))
    for token in tokens:
        layout.add(token)
    root = _Builder(layout).node(composed) if composed is not None else Node("scalar")
    _attach_comments(root, layout)
    return Document(shown, text, lines, root, loaded, layout), []


_TRAILING_TABS = re.compile(r"[ \t]*\t[ \t]*(?=\n)")


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



def comment_counts(text: str) -> Counter:
    """Every comment of a text (as `normalise_comment` writes it), counted: to check none is lost."""
    return _counts(_scan_layout(text))


def _scan_layout(text: str) -> _Layout:
    layout = _Layout(text.split("\n")[:-1])
    for token in YAML(typ="safe", pure=True).scan(io.StringIO(text)):
        layout.add(token)
    return layout


def _counts(layout: _Layout) -> Counter:
    return Counter(normalise_comment(text) for _, _, text, _ in layout.comments() if text)
