"""The canonical printer: a document tree (or a new record) written in the one layout every data file uses.

The layout (agreed with the data files' authors, and what `hub fmt` writes):

* two spaces per level, list items indented under their key (``key:`` then ``  - item``);
* block style for every list and group of fields; ``[]`` only for an empty list;
* fields in the order of the model (`hub.catalogue.model`), unknown fields kept at the end
  of their record so the validator can still report them;
* text plain where YAML reads it back as the same text, otherwise in double
  quotes (single quotes when the text holds ``"`` but no ``'``); phone numbers
  (fields marked `hub.catalogue.fields.Quoted`) always in double quotes, so that
  the rule editors follow has no exception;
* text longer than `FOLD_AT` characters as a folded block (``>-``) wrapped at
  column `FOLD_AT`; a folded or literal block an editor already wrote keeps its
  line breaks (as Black keeps a magic trailing comma), so editing a paragraph
  never forces a re-wrap;
* one blank line between top-level blocks; elsewhere at most one blank line,
  where the editor put one; none straight after ``key:``;
* every comment kept where `hub.editor.document` attached it, with the
  indentation of the line it belongs to; a comment at the end of a line stays
  there (two spaces before the ``#``).

Items of a list are never reordered: sections, subsections and the resources
list are curated, and events, people and measures are in the order the
programme pages use. Printing therefore never changes the loaded data at all.
`render` prints a parsed file; `render_item` and `render_field` print the new
lines that `hub new` and `hub review --apply` insert.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode

from hub.catalogue.scalars import scalar_value
from hub.editor.document import Entry, Node
from hub.editor.fields import field_models, quoted_keys

FOLD_AT = 100
"""Text longer than this is folded (``>-``), wrapped so no line passes this column."""

INDENT = 2

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
    if node.quoted and isinstance(node.value, str) and not _NOT_PRINTABLE.search(node.value):
        return [quote(node.value)]
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
        fields = field_models(model)
        order = {key: i for i, key in enumerate(fields)}
        node.entries.sort(key=lambda e: order.get(e.key or "", len(order)))
    fields = field_models(model) if node.kind == "map" and model is not None else {}
    quoted = quoted_keys(model) if fields else frozenset()
    for entry in node.entries:
        child_model = fields.get(entry.key or "") if node.kind == "map" else model
        if entry.key in quoted and entry.value.kind == "scalar" and entry.value.block is None:
            entry.value.quoted = True
        if entry.value.is_collection:
            _prepare(entry.value, child_model)
        if len(entry.eol) > 1:
            entry.leading += entry.eol[:-1]
            entry.eol = entry.eol[-1:]
        if node.kind == "seq" and entry.value.is_collection and entry.value.entries:
            first = entry.value.entries[0]
            entry.leading = entry.leading + entry.eol + first.leading
            entry.eol, first.leading = [], []


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


# --- new records, for `hub new` and `hub review --apply` ----------------------------


def node_from_value(value: Any, model: type[BaseModel] | None = None) -> Node:
    """A tree for plain Python data (a new record), keys in model order."""
    if isinstance(value, dict):
        node = Node("map")
        fields = field_models(model) if model else {}
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
