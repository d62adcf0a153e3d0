"""Composed nodes → plain Python values, with the problems met on the way.

`Builder` turns libyaml's node tree into dict/list/str/int/float/bool/None (scalars by the YAML 1.2
rules of `hub.catalogue.scalars`), and reports, each at its place: a key that is a list or mapping,
a key given twice (PyYAML would silently keep the last), a whole number too long to be a number, and
a refused character written with a backslash escape. It counts the values (at most `MAX_NODES`) and
remembers how many each item of a top-level list holds. With ``strict`` it stops (`Unusual`) at an
alias or a tag, which the loader then reports from the parse events.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from hub.catalogue.characters import escaped_character
from hub.catalogue.listing import Listing
from hub.catalogue.positions import Path_, format_path
from hub.catalogue.scalars import (
    IMPLICIT,
    MAX_INT_DIGITS,
    MAY_NOT_BE_TEXT,
    LongNumber,
    plain_value_by_rule,
    resolve_scalar,
)
from hub.catalogue.shape import MAX_NODES
from hub.catalogue.syntax import SAFE_TAGS
from hub.problems import Problem


class Builder:
    """Nodes → plain dict/list/str/int/float/bool/None.

    With ``strict``, a node met twice (an alias) or a tag other than the safe
    ones raises `Unusual`, so the caller can report it from the parse events.
    With ``escapes`` (the text holds a backslash), double-quoted values are
    checked for the characters `check_characters` refuses in the text, which
    an escape such as ``"\u202e"`` or ``"\x01"`` can still write.
    Problems are appended to `problems` and each top-level list's item sizes
    written to `item_values` (those of the `LoadedYaml` being filled).
    """

    def __init__(self, shown: str, problems: list[Problem], item_values: dict[str, list[int]],
                 strict: bool = False, escapes: bool = True) -> None:
        self.shown = shown
        self.problems = problems
        self.item_values = item_values
        self.count = 0
        self.strict = strict
        self.escapes = escapes
        self.seen: set[int] = set()
        self.listing = Listing(shown)

    def _check(self, node) -> None:
        if id(node) in self.seen or (node.tag not in SAFE_TAGS and node.tag != IMPLICIT):
            raise Unusual
        self.seen.add(id(node))

    def _report(self, problem: Problem) -> None:
        if self.listing.keep(problem):
            self.problems.append(problem)

    def _scalar(self, node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise TooBig
        if self.strict:
            self._check(node)
        if node.tag == IMPLICIT:
            value = node.value
            if value and value[0] not in MAY_NOT_BE_TEXT:
                return value  # `scalars._plain_value`, inlined: no implicit type starts with this character
            value = plain_value_by_rule(value)
        else:
            value = resolve_scalar(node.value, node.tag, node.style)
            if self.escapes and node.style == '"':
                self._check_escapes(node)
        if type(value) is LongNumber:
            mark = node.start_mark
            self._report(Problem(
                self.shown, mark.line + 1, mark.column + 1, "number-too-long",
                f"this number has {value.digits:,} digits; a number in a data file "
                f"has at most {MAX_INT_DIGITS}",
                hint="if it is an identifier or a phone number, write it in quotes so it stays text",
            ))
        return value

    def _check_escapes(self, node) -> None:
        mark = node.start_mark
        problem = escaped_character(node.value, self.shown, mark.line + 1, mark.column + 1)
        if problem:
            self._report(problem)

    def build(self, node, path: Path_):
        # Scalars are most of the values: they are built without a path or a
        # further call (this walk is a fifth of the load time at 10,000 resources).
        if type(node) is ScalarNode:
            return self._scalar(node)
        self.count += 1
        if self.count > MAX_NODES:
            raise TooBig
        if self.strict:
            self._check(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        assert isinstance(node, SequenceNode)
        if len(path) == 1:  # a top-level list (of records): remember each item's size
            out, sizes = [], []
            for i, item in enumerate(node.value):
                before = self.count
                out.append(self._scalar(item) if type(item) is ScalarNode else self.build(item, path + (i,)))
                sizes.append(self.count - before)
            self.item_values[str(path[0])] = sizes
            return out
        return [self._scalar(item) if type(item) is ScalarNode else self.build(item, path + (i,))
                for i, item in enumerate(node.value)]

    def _mapping(self, node: MappingNode, path: Path_) -> dict:
        out: dict = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if self.strict:
                self._check(key_node)
            if type(key_node) is not ScalarNode:
                mark = key_node.start_mark
                self._report(Problem(
                    self.shown, mark.line + 1, mark.column + 1, "bad-key",
                    "a key must be a plain word, not a list or mapping",
                    field=format_path(path), path=path, hint="write keys as 'field: value'",
                ))
                continue
            key = str(key_node.value)
            if key in seen:
                mark = key_node.start_mark
                self._report(Problem(
                    self.shown, mark.line + 1, mark.column + 1, "duplicate-key",
                    f"the field '{key}' appears twice in this record (first on line {seen[key]}); "
                    "only one value can be kept",
                    field=format_path(path + (key,)), path=path + (key,),
                    hint=f"delete one of the two '{key}:' lines, keeping the value you want",
                ))
                continue
            seen[key] = key_node.start_mark.line + 1
            if type(value_node) is ScalarNode:
                out[key] = self._scalar(value_node)
            else:
                out[key] = self.build(value_node, path + (key,))
        return out


class TooBig(Exception):
    pass


class Unusual(Exception):
    """The quick path met an alias, a tag or a composer error: read the file the careful way."""
