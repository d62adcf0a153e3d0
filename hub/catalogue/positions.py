"""Positions in the data: a path such as ``("resources", 12, "url")``, how it is written, where it stands.

`Path_` names a value by the keys and indexes leading to it; `format_path` writes it as
``resources[12].url`` (in messages and findings); `walk_to` follows it down the composed nodes to the
line and column it stands at (a `Location`), which is how `LoadedYaml.locate` answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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
    found = node.start_mark
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            entry = _entry(node, part)
            if entry is None:
                break
            key_node, node = entry
            found = key_node.start_mark if key else node.start_mark
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            found = node.start_mark
        else:
            break
    return Location(first_line + found.line + 1, found.column + 1)


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
