"""Read a large data file in two processes, starting before the rest of the hub is imported.

At 10,000 resources, composing resources.yaml (7.9 MB) with libyaml and
building its values takes about 1.3 s in one process, a third of what the
catalogue layer adds to a build. `read_ahead` reads the file, splits its
largest top-level list at an item, and forks a child that composes the later
items while this process imports the models (pydantic builds them at import,
0.3 s) and then composes the earlier ones. The child sends back the values
of its items and the place where each item starts; `LoadedYaml.locate`
reads locations in that part through `Tail`.

Nothing is taken that the single pass would not give:

* the split is made at a line that starts an item of the list (``- `` at
  the list's indentation), and the later part ends at the next line that
  starts at column 0 (the next top-level key, or the end of the file);
* the earlier part is composed with the later part's lines left blank, so
  every line number is the file's own; its list must end before the split,
  and the next top-level key must stand where the split found it (a quoted
  value or a bracket left open across the split would show otherwise);
* the later part must be one list whose first item starts on the split line;
* a file that may hold an anchor (``&name``) is not cut at all, and
  neither part may have anything to report. A problem (a duplicate key, an
  alias, a tag, a syntax error), a crash of the child or anything else
  unexpected sends the whole file down the ordinary one-process path
  (`load_yaml_text`), which reports it in place.

Only the one-shot commands use this (`hub build`, `hub validate`): forking
a process that runs threads, as the live preview does, is unsafe.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml as libyaml
from yaml.nodes import MappingNode, Node, SequenceNode

from hub.loader import (
    MAX_NODES,
    LoadedYaml,
    Location,
    Path_,
    _compose_once,
    can_fork,
    compose,
    load_yaml,
    load_yaml_text,
    read_text,
    walk_to,
)

SPLIT_FROM = 500_000
"""Files of at least this many characters are split (about 600 resources; below that, forking costs more than it saves).

The environment variable ``HUB_SPLIT_FROM`` overrides it (the tests set 0)."""

CHILD_SHARE = 0.6
"""The part of the file the child composes: more than half, since this process imports the models meanwhile."""

_COLUMN_0 = re.compile(r"\n(?!-[ \n])[^ \n#]")
"""A line that starts at column 0 and is neither blank, a comment nor a list item: a top-level key (or '---')."""
_BLOCK_KEY = re.compile(r"([A-Za-z_][\w-]*):[ ]*(?:#[^\n]*)?\n")
"""A top-level key whose value follows on the next lines."""
_FIRST_CONTENT = re.compile(r"\n( *)(?!#)\S")
_NOT_ANCHOR_AFTER = frozenset(" \n[]{},")
_ANCHOR_BEFORE = frozenset(" \n[{,")


def _may_hold_an_anchor(text: str) -> bool:
    """Whether `text` may hold an anchor: ``&name`` after a space or a bracket (not the '&' of "A&E" or "R & D")."""
    at = text.find("&")
    while at >= 0:
        if (at == 0 or text[at - 1] in _ANCHOR_BEFORE) and text[at + 1:at + 2] not in _NOT_ANCHOR_AFTER:
            return True
        at = text.find("&", at + 1)
    return False


def _split_from() -> int:
    value = os.environ.get("HUB_SPLIT_FROM", "")
    return int(value) if value.isdigit() else SPLIT_FROM


@dataclass(frozen=True)
class Plan:
    """Where a file is cut: the items of `key` from line `line` on are composed by the child."""

    key: str
    start: int
    """Offset of the first character of the later part (the start of an item's line)."""
    end: int
    """Offset just after the later part: the start of the next top-level line, or the end of the text."""
    line: int
    """0-based line number of `start`."""
    end_line: int
    """0-based line number of `end` (the next top-level key), or -1 when the list runs to the end of the file."""

    def head(self, text: str) -> str:
        """The file with the later part's lines left blank (every line keeps its number)."""
        return text[:self.start] + "\n" * text.count("\n", self.start, self.end) + text[self.end:]

    def tail(self, text: str) -> str:
        return text[self.start:self.end]


def plan_split(text: str, share: float = CHILD_SHARE) -> Plan | None:
    """Cut the top-level list that holds the point `share` from the end of `text`, at an item; None if none does.

    A file that may hold an anchor is not cut: the same anchor in both parts
    is an error only in the whole file.
    """
    if _may_hold_an_anchor(text):
        return None
    text_ = "\n" + text  # offsets below are shifted by one, so that the first line is found like the others
    target = 1 + int(len(text) * (1 - share))
    owner = None
    for match in _COLUMN_0.finditer(text_, 0, target):
        owner = match
    if owner is None:
        return None
    key = _BLOCK_KEY.match(text_, owner.start() + 1)
    if key is None:
        return None
    after = _COLUMN_0.search(text_, key.end() - 1)
    list_end = after.start() + 1 if after else len(text_)
    first = _FIRST_CONTENT.search(text_, key.end() - 1, list_end)
    if first is None or text_[first.end() - 1:first.end() + 1] not in ("- ", "-\n"):
        return None
    indent = len(first.group(1))
    item = re.compile("\n" + " " * indent + r"-[ \n]")
    cut = item.search(text_, max(target, first.end()), list_end)
    if cut is None:
        return None
    start, end = cut.start(), list_end - 1  # offsets in `text`
    return Plan(key.group(1), start, end, text.count("\n", 0, start),
                text.count("\n", 0, end) if after else -1)


@dataclass
class Tail:
    """Where the items the child composed stand, for `LoadedYaml.locate`."""

    key: str
    first: int
    """Index in the list of the first item the child composed."""
    starts: list[tuple[int, int]]
    """Each item's node start (0-based line, column), in the whole file."""
    text: str = field(repr=False)
    plan: Plan = field(repr=False)
    _items: dict[int, tuple[Node, int]] = field(default_factory=dict, repr=False)

    def holds(self, path: Path_) -> bool:
        return len(path) >= 2 and path[0] == self.key and isinstance(path[1], int) and \
            self.first <= path[1] < self.first + len(self.starts)

    def locate(self, path: Path_, key: bool = False) -> Location:
        j = path[1] - self.first
        if len(path) == 2:
            line, column = self.starts[j]
            return Location(line + 1, column + 1)
        node, first_line = self._item(j)
        return walk_to(node, path[2:], key, first_line)

    def _item(self, j: int) -> tuple[Node, int]:
        """Item j's node and the line its lines start at: its own lines composed again, else the whole part."""
        if j not in self._items:
            self._items[j] = self._item_alone(j) or self._item_in_part(j)
        return self._items[j]

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [self.plan.start]
        find = self.text.find
        for _ in range(self.starts[-1][0] - self.plan.line + 1):
            starts.append(find("\n", starts[-1]) + 1)
        return starts

    def _item_alone(self, j: int) -> tuple[Node, int] | None:
        line, column = self.starts[j]
        begin = self._line_starts[line - self.plan.line]
        end = self._line_starts[self.starts[j + 1][0] - self.plan.line] if j + 1 < len(self.starts) else self.plan.end
        try:
            root = compose(self.text[begin:end])
        except libyaml.YAMLError:
            return None
        node = root.value[0] if isinstance(root, SequenceNode) and root.value else root
        if node is None or (node.start_mark.line + line, node.start_mark.column) != (line, column):
            return None
        return node, line

    def _item_in_part(self, j: int) -> tuple[Node, int]:
        return self._part.value[j], self.plan.line

    @cached_property
    def _part(self) -> SequenceNode:
        return compose(self.plan.tail(self.text))


class Ahead:
    """A data file read in advance: its text, and the later items being composed by a forked child."""

    def __init__(self, path: Path, text: str, plan: Plan) -> None:
        self.path = path
        self.text = text
        self.plan = plan
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_compose_tail, args=(send, text, plan), daemon=True)
        self._child.start()
        send.close()

    def load(self, shown: str) -> LoadedYaml:
        """The file loaded as `load_yaml` would load it (the same values, problems and locations)."""
        try:
            joined = self._joined(shown)
        finally:
            self.close()
        return joined or load_yaml_text(self.text, shown)

    def _joined(self, shown: str) -> LoadedYaml | None:
        plan, text = self.plan, self.text
        head = _compose_once(plan.head(text), LoadedYaml(shown, text))
        if head is None or head.problems or not _head_as_planned(head, plan):
            return None
        try:
            status, *payload = self._receive.recv()
        except (EOFError, OSError):  # the child died: read the file here
            return None
        if status != "ok":
            return None
        items, starts, values = payload
        values -= 1  # the child's list is the same list as the head's
        if not starts or starts[0][0] != plan.line or head.values + values > MAX_NODES:
            return None
        listed = head.data[plan.key]
        head.tail = Tail(plan.key, len(listed), starts, text, plan)
        listed.extend(items)
        head.values += values
        return head

    def close(self) -> None:
        self._receive.close()
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()


def _head_as_planned(head: LoadedYaml, plan: Plan) -> bool:
    """The earlier part's list ends before the split and the next top-level key is where the plan put it."""
    root = head.root
    if not isinstance(root, MappingNode) or not isinstance(head.data, dict) or \
            not isinstance(head.data.get(plan.key), list):
        return False
    keys = [key_node.value for key_node, _ in root.value]
    at = keys.index(plan.key)
    listed = root.value[at][1]
    if not isinstance(listed, SequenceNode) or not listed.value or listed.value[-1].start_mark.line >= plan.line:
        return False
    if plan.end_line < 0:
        return at == len(keys) - 1
    return at + 1 < len(keys) and root.value[at + 1][0].start_mark.line == plan.end_line


def _compose_tail(send, text: str, plan: Plan) -> None:
    """In the child: compose and build the later items; send ("ok", values, item starts, count) or ("no",)."""
    gc.disable()
    result: tuple = ("no",)
    try:
        tail = plan.tail(text)
        part = _compose_once(tail, LoadedYaml("", tail))
        if part is not None and not part.problems and isinstance(part.root, SequenceNode) and part.root.value:
            starts = [(node.start_mark.line + plan.line, node.start_mark.column) for node in part.root.value]
            result = ("ok", part.data, starts, part.values)
    except Exception:  # noqa: BLE001 - anything at all: the parent reads the whole file itself
        result = ("no",)
    try:
        send.send(result)
    except (BrokenPipeError, OSError):
        pass
    send.close()


def read_ahead(data_dir: Path) -> dict[Path, Ahead]:
    """Start reading each YAML file in `data_dir` that is large enough to split; by path.

    Call it before importing the models, so that the child composes while
    this process imports; pass the result to `hub.validate.validate`.
    """
    out: dict[Path, Ahead] = {}
    if not can_fork():
        return out
    for path in sorted(data_dir.glob("*.yaml")):
        try:
            if path.stat().st_size < _split_from():
                continue
        except OSError:
            continue
        text, problems = read_text(path, path.name)
        if text is None or problems or "\t" in text:
            continue  # the ordinary path reports it
        plan = plan_split(text)
        if plan is not None:
            out[path] = Ahead(path, text, plan)
    return out


def load(path: Path, shown: str, ahead: dict[Path, Ahead] | None) -> LoadedYaml:
    """`load_yaml(path, shown)`, through the read-ahead when there is one for `path`."""
    started = (ahead or {}).pop(path, None)
    return started.load(shown) if started is not None else load_yaml(path, shown)

