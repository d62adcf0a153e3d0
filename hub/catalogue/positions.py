"""Positions in the data: a path such as ``("resources", 12, "url")``, how it is written, where it stands.

`Path_` names a value by the keys and indexes leading to it; `format_path` writes it as
``resources[12].url`` (the `field` of a problem, for tools: counted from 0); `describe_path` as people
count, ``the 13th resource (nice-ng225), url`` (what is printed); `walk_to` follows it down the composed
nodes to the line and column it stands at (a `Location`), which is how `LoadedYaml.locate` answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hub.catalogue.scalars import IMPLICIT

Path_ = tuple[str | int, ...]
"""A position in the data: ``("resources", 12, "url")``."""


@dataclass(frozen=True)
class Location:
    line: int
    """1-based."""
    column: int
    """1-based."""


def walk_to(node: Node, path: Path_, key: bool = False, first_line: int = 0) -> Location:
    """Follow `path` down from `node` as far as it goes; the place reached (lines counted from `first_line`)."""
    reached, key_node, _ = follow(node, path)
    found = key_node.start_mark if key and key_node is not None else reached.start_mark
    return Location(first_line + found.line + 1, found.column + 1)


def follow(node: Node, path: Path_) -> tuple[Node, Node | None, bool]:
    """The node `path` leads to from `node` as far as it goes, its key's node (a mapping's value), and
    whether it went all the way."""
    key_node = None
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            entry = _entry(node, part)
            if entry is None:
                return node, key_node, False
            key_node, node = entry
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return node, key_node, False
    return node, key_node, True


def typed_at(node: Node, path: Path_, text: str) -> str | None:
    """The plain (unquoted, untagged) scalar at `path` exactly as typed in `text`, the source of `node`:
    when `path` leads to one written on one line with nothing else (no anchor) in its place."""
    reached, _, whole = follow(node, path)
    if not (whole and isinstance(reached, ScalarNode) and not reached.style and reached.tag == IMPLICIT):
        return None
    start, end = reached.start_mark, reached.end_mark
    skip = 1 if text.startswith("\ufeff") else 0  # libyaml counts from after a byte-order mark
    same = start.line == end.line and text[start.index + skip:end.index + skip] == reached.value
    return reached.value if same else None


def _entry(node: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The first ``(key node, value node)`` of `key` in a mapping; big mappings are indexed once."""
    if len(node.value) <= 16:
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
        return None
    # Locating thousands of problems in a mapping of thousands of keys would
    # otherwise scan it once per problem (minutes for a hostile file).
    index = getattr(node, "_hub_index", None)
    if index is None:
        index = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                index.setdefault(key_node.value, (key_node, value_node))
        node._hub_index = index
    return index.get(key)


def format_path(path: Path_) -> str:
    """``("resources", 12, "url")`` → ``resources[12].url``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


RECORD_NAMES = {"resources": "resource", "sections": "section", "subsections": "subsection", "topics": "topic",
                "events": "event", "talks": "talk", "measures": "measure", "organisations": "organisation",
                "other_phones": "other phone", "people": "person", "phases": "phase", "figures": "figure",
                "helplines": "helpline", "sources": "source", "terms": "term", "not_duplicates": "entry",
                "cited_on_purpose": "entry"}
"""What one record of each list is called in messages (``resources`` → "the 3rd resource")."""


def describe_path(path: Path_, data: object) -> str:
    """``("resources", 2, "year")`` as people count: ``the 3rd resource (nice-ng225), year``.

    A record is named by its id (what editors search the file for), else by the start of its title
    or name. Items of a plain list are counted too: ``…, the 2nd of its authors``.
    """
    parts: list[str] = []
    fields: list[str] = []
    for index, part in enumerate(path):
        if isinstance(part, int) and index and isinstance(path[index - 1], str):
            listed = path[index - 1]
            fields.pop()
            item = _step(data, part)
            kind = RECORD_NAMES.get(listed) if item is None or isinstance(item, dict) else None
            if fields:
                parts.append(".".join(fields))
                fields = []
            if kind:
                article = "the " if not parts else ""
                parts.append(f"{article}{ordinal(part + 1)} {kind}{_naming(item)}")
            else:
                parts.append(f"the {ordinal(part + 1)} item of {listed}" if not parts or not parts[-1].endswith(
                    ")") else f"the {ordinal(part + 1)} of its {listed}")
            data = item
        else:
            fields.append(str(part))
            data = _step(data, part)
    if fields:
        parts.append(".".join(fields))
    return ", ".join(parts)


def ordinal(number: int) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th, 23 → 23rd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _step(data: object, part: str | int) -> object:
    if isinstance(part, int):
        return data[part] if isinstance(data, list) and 0 <= part < len(data) else None
    return data.get(part) if isinstance(data, dict) else None


def _naming(record: object) -> str:
    if not isinstance(record, dict):  # the data is not at hand (or not a record): counted, not named
        return ""
    for key in ("id", "title", "name"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            if key == "id" and len(text) <= 60:
                return f" ({text})"
            return f" ('{text[:40]}…')" if len(text) > 40 else f" ('{text}')"
    return ""
