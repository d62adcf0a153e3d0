"""Read one YAML data file into plain Python values, remembering where each value was.

Why not ``yaml.safe_load``: PyYAML silently keeps the last of two duplicate
keys (an editor's data is lost without a word), it gives no line numbers
after loading, it turns ``2022-02-30`` into a Python exception, and it reads
YAML 1.1 (``no`` becomes false). Here we walk the parse events and composed
nodes ourselves so that

* every value's line and column is kept (``LoadedYaml.locations``);
* duplicate keys, tabs, aliases and unknown tags become located problems;
* nothing is ever constructed from a tag: the data is never executed;
* dates stay strings, for the model to check ("not a real date").

Files saved by Windows editors (UTF-8 BOM, CRLF line endings) are accepted.

Parsing uses libyaml through PyYAML's C loader (a 10,000-resource catalogue
composes in about a second instead of the minute ruamel's pure-Python parser
takes; see benchmarks/README.md). Only the *syntax* comes from it: what a
plain scalar means follows the YAML 1.2 core schema via ruamel's resolver,
the same rule `hub fmt` uses to decide when a value may be written without
quotes.

Speed, without losing any of the above:

* A file is composed once. Aliases, tags and extra documents are rare, so the
  builder only *notices* them (a node met twice, a tag not on the safe list,
  a composer error) and then hands the file to the careful path, which walks
  the parse events to report each one at its exact place.
* Locations are not copied out for every value: the composed nodes are kept
  and `LoadedYaml.locate` walks them when a problem needs a line number.
* The garbage collector is paused while the file is read (`paused_gc`): the
  loader creates hundreds of thousands of objects and no cycles, and the
  collector's repeated passes over them doubled the time.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml as libyaml
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from yaml.events import AliasEvent, CollectionStartEvent, DocumentStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hub.problems import Problem

Path_ = tuple[str | int, ...]
"""A position in the data: ``("resources", 12, "url")``."""

# Standard YAML tags that only say what the value already is. Anything else
# (``!!python/object``, ``!include``, custom tags) is refused.
SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}

MAX_NODES = 5_000_000
"""A ceiling on values in one file: about twenty times a 10,000-resource catalogue."""

_IMPLICIT = "tag:hub,2026:implicit-plain"
_STR = "tag:yaml.org,2002:str"
_RESOLVER_12 = VersionedResolver(version=(1, 2))


class _Loader(libyaml.CSafeLoader if libyaml.__with_libyaml__ else libyaml.SafeLoader):
    """libyaml's parser; plain scalars are resolved later by the YAML 1.2 rules, not PyYAML's 1.1."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return _IMPLICIT if implicit[0] else _STR
        return super().resolve(kind, value, implicit)

    # The composer calls these for every node; they only serve path
    # resolvers, which the hub never adds (a tenth of the parse time).
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


_MAY_NOT_BE_TEXT = frozenset(first for first in _RESOLVER_12.versioned_resolver if first)
"""First characters for which ruamel's YAML 1.2 resolver has a rule (digits, signs, '.', '~', n/t/f…)."""


def _plain_value(value: str) -> Any:
    """What a plain (unquoted) scalar means by the YAML 1.2 core schema."""
    if value and value[0] not in _MAY_NOT_BE_TEXT:
        return value  # no implicit type starts with this character: it is text (most values)
    return _plain_value_by_rule(value)


@lru_cache(maxsize=65536)
def _plain_value_by_rule(value: str) -> Any:
    return resolve_scalar(value, _plain_tag(value), None)


def _plain_tag(value: str) -> str:
    return str(_RESOLVER_12.resolve(RuamelScalarNode, value, (True, False)))

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|0[0-9_]+)$")


@dataclass(frozen=True)
class Location:
    line: int
    """1-based."""
    column: int
    """1-based."""


@dataclass
class LoadedYaml:
    """The plain data of a file, plus its composed nodes to say where each value and key stood."""

    path: str
    text: str
    data: Any = None
    root: Node | None = field(default=None, repr=False)
    """The composed document; `locate` reads line and column from it."""
    problems: list[Problem] = field(default_factory=list)
    values: int = 0
    """How many values (scalars, lists and mappings) the file holds."""

    @cached_property
    def record_ids(self) -> list[tuple[str, Path_]]:
        """Every mapping in the file that has a text ``id``: ``(id, path of the mapping)``, in file order."""
        out: list[tuple[str, Path_]] = []

        def walk(data: Any, path: Path_) -> None:
            if type(data) is dict:
                if type(data.get("id")) is str:
                    out.append((data["id"], path))
                for key, value in data.items():
                    if type(value) is dict or type(value) is list:
                        walk(value, path + (key,))
            else:
                for index, value in enumerate(data):
                    if type(value) is dict or type(value) is list:
                        walk(value, path + (index,))

        if type(self.data) is dict or type(self.data) is list:
            walk(self.data, ())
        return out

    def locate(self, path: Path_, key: bool = False) -> Location:
        """The location of ``path`` (of its key, with ``key=True``), else of its closest parent."""
        if self.root is None:
            return Location(1, 1)
        return walk_to(self.root, path, key)


def walk_to(node: Node, path: Path_, key: bool = False, first_line: int = 0) -> Location:
    """Follow `path` down from `node` as far as it goes; the place reached (lines counted from `first_line`)."""
    found = node.start_mark
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == part:
                    node = value_node
                    found = key_node.start_mark if key else value_node.start_mark
                    break
            else:
                break
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            found = node.start_mark
        else:
            break
    return Location(first_line + found.line + 1, found.column + 1)


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for a burst of allocation (it is restored afterwards).

    Loading and rendering create millions of small objects that stay alive
    and form no cycles; each automatic collection walks all of them again.
    With `freeze` (for a one-shot command such as `hub build`), everything
    still alive at the end is moved out of the collector's sight before it
    restarts; otherwise its first pass would walk all of it once more.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def format_path(path: Path_) -> str:
    """``("resources", 12, "url")`` → ``resources[12].url``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (BOM allowed) with LF line endings."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, None, "unreadable", f"cannot read the file: {exc.strerror}",
                              hint="check that the file exists and is readable")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(
            shown, line, column, "not-utf8",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
            hint="save the file as UTF-8; in most editors: File → Save with encoding → UTF-8",
        )]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def load_yaml(path: Path, shown: str | None = None) -> LoadedYaml:
    """Load one data file. Problems are collected in the result, never raised."""
    shown = shown or path.as_posix()
    text, problems = read_text(path, shown)
    if text is None:
        return LoadedYaml(shown, "", problems=problems)
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, shown: str) -> LoadedYaml:
    """Load YAML from a string (already decoded); see `load_yaml`."""
    result = LoadedYaml(shown, text)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        result.problems.append(_empty(shown))
        return result

    tab_problems = _find_tabs(text, shown)
    if tab_problems:
        result.problems.extend(tab_problems)
        return result

    with paused_gc():
        loaded = _compose_once(text, result) or _load_carefully(text, result)
    if loaded.data is None and not loaded.problems:  # only '---', '~' or 'null'
        loaded.problems.append(_empty(loaded.path))
    return loaded


def compose(text: str) -> Node | None:
    """libyaml's node tree of `text` (plain scalars tagged for the YAML 1.2 rules); raises yaml.YAMLError."""
    return libyaml.compose(text, Loader=_Loader)


class _Unusual(Exception):
    """The quick path met an alias, a tag or a composer error: read the file the careful way."""


def _compose_once(text: str, result: LoadedYaml) -> LoadedYaml | None:
    """Compose and build in one pass; None when the file needs `_load_carefully`."""
    try:
        node = compose(text)
    except libyaml.YAMLError:
        return None
    if node is None:
        return None
    # Without a '*' there can be no alias, and without a '!' no tag: then
    # the builder need not look for them (the careful path would agree).
    try:
        return _build_into(result, node, strict="*" in text or "!" in text)
    except _Unusual:
        result.data = None
        del result.problems[:]
        return None


def _load_carefully(text: str, result: LoadedYaml) -> LoadedYaml:
    """Walk the parse events first, so that every alias, tag and extra document is reported in place."""
    shown = result.path
    try:
        events = list(libyaml.parse(text, Loader=_Loader))
    except libyaml.MarkedYAMLError as exc:
        result.problems.append(_syntax_problem(exc, shown))
        return result
    except libyaml.YAMLError as exc:  # pragma: no cover - the parser raises marked errors for syntax
        result.problems.append(Problem(shown, None, None, "yaml-syntax", f"YAML syntax error: {exc}"))
        return result

    unsafe = _check_events(events, shown)
    if unsafe:
        result.problems.extend(unsafe)
        return result

    documents = sum(1 for e in events if isinstance(e, DocumentStartEvent))
    if documents > 1:
        result.problems.append(Problem(
            shown, None, None, "many-documents",
            "the file holds more than one YAML document (a second '---')",
            hint="remove the extra '---' line: each data file is one document",
        ))
        return result

    try:
        node = compose(text)
    except libyaml.MarkedYAMLError as exc:  # the parse was fine: only an anchor defined twice gets here
        result.problems.append(_composer_problem(exc, text, shown))
        return result
    if node is None:
        return result
    return _build_into(result, node)


def _build_into(result: LoadedYaml, node: Node, strict: bool = False) -> LoadedYaml:
    """Build `node`'s values into `result`, keeping the node for locations; see `_Builder` for `strict`."""
    builder = _Builder(result, strict)
    try:
        result.data = builder.build(node, ())
    except _TooBig:
        _too_big(result)
        return result
    result.root = node
    result.values = builder.count
    return result


def _empty(shown: str) -> Problem:
    return Problem(shown, 1, 1, "empty-file", "the file is empty",
                   hint="a data file needs its top-level keys; see CONTRIBUTING.md for an example")


def _too_big(result: LoadedYaml) -> None:
    result.data = None
    result.problems.append(Problem(
        result.path, None, None, "too-big",
        f"the file holds more than {MAX_NODES:,} values; it cannot be a catalogue file",
        hint="check that the file was not corrupted or generated by mistake",
    ))


def _find_tabs(text: str, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    if "\t" not in text:
        return problems
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(Problem(
                shown, number, line.index("\t") + 1, "tab-indent",
                "a tab is used for indentation; YAML only allows spaces",
                hint="replace the tab with spaces (two per level, as in the rest of the file)",
            ))
    return problems


def _syntax_problem(exc: libyaml.MarkedYAMLError, shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "the YAML cannot be read"
    hint = "check the indentation and punctuation on this line and the one above"
    if "mapping values are not allowed" in what:
        hint = ("a value containing ': ' must be quoted, e.g. title: \"Self-harm: a review\"; "
                "otherwise check the indentation")
    elif "could not find expected ':'" in what:
        hint = "each line in a record is 'field: value'; check for a missing colon or a stray line"
    elif "expected ',' or ']'" in what or "expected ',' or '}'" in what:
        hint = "a list or mapping in brackets is not closed; add the missing ']' or '}'"
    elif "found unexpected end of stream" in what or "found unexpected end" in what:
        hint = "a quoted value is not closed; add the closing quote"
    return Problem(
        shown,
        mark.line + 1 if mark else None,
        mark.column + 1 if mark else None,
        "yaml-syntax",
        f"YAML syntax error: {what}",
        hint=hint,
    )


def _composer_problem(exc: libyaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = exc.problem_mark
    if "duplicate anchor" not in (exc.context or "") or mark is None:
        return _syntax_problem(exc, shown)
    name = re.match(r"&([^\s,\[\]{}]*)", text[mark.index:])
    anchor = f"&{name.group(1)}" if name else "&"
    return Problem(
        shown, mark.line + 1, mark.column + 1, "duplicate-anchor",
        f"the anchor {anchor} is defined twice in this file",
        hint=f"remove the '{anchor}' marks: data files do not need anchors (and aliases are not allowed)",
    )


def _check_events(events: list, shown: str) -> list[Problem]:
    problems = []
    for event in events:
        mark = event.start_mark
        if isinstance(event, AliasEvent):
            problems.append(Problem(
                shown, mark.line + 1, mark.column + 1, "alias",
                f"YAML aliases (*{event.anchor}) are not allowed in data files",
                hint="write the value out in full; anchors and aliases can hide data and "
                     "expand without limit",
            ))
        elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
            tag = event.tag
            tag = str(tag) if tag is not None else None
            if tag and tag not in SAFE_TAGS and tag not in ("!", "?"):
                problems.append(Problem(
                    shown, mark.line + 1, mark.column + 1, "unsafe-tag",
                    f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; "
                    "nothing in the data is ever executed",
                    hint="remove the tag (the word starting with '!') and write a plain value",
                ))
    return problems


class _Builder:
    """Nodes → plain dict/list/str/int/float/bool/None.

    With ``strict``, a node met twice (an alias) or a tag other than the safe
    ones raises `_Unusual`, so the caller can report it from the parse events.
    """

    def __init__(self, result: LoadedYaml, strict: bool = False) -> None:
        self.result = result
        self.count = 0
        self.strict = strict
        self.seen: set[int] = set()

    def _check(self, node) -> None:
        if id(node) in self.seen or (node.tag not in SAFE_TAGS and node.tag != _IMPLICIT):
            raise _Unusual
        self.seen.add(id(node))

    def _scalar(self, node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if self.strict:
            self._check(node)
        if node.tag == _IMPLICIT:
            return _plain_value(node.value)
        return resolve_scalar(node.value, node.tag, node.style)

    def build(self, node, path: Path_):
        # Scalars are most of the values: they are built without a path or a
        # further call (this walk is a fifth of the load time at 10,000 resources).
        if type(node) is ScalarNode:
            return self._scalar(node)
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if self.strict:
            self._check(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        assert isinstance(node, SequenceNode)
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
                self.result.problems.append(Problem(
                    self.result.path, mark.line + 1, mark.column + 1, "bad-key",
                    "a key must be a plain word, not a list or mapping",
                    field=format_path(path), hint="write keys as 'field: value'",
                ))
                continue
            key = str(key_node.value)
            if key in seen:
                mark = key_node.start_mark
                self.result.problems.append(Problem(
                    self.result.path, mark.line + 1, mark.column + 1, "duplicate-key",
                    f"the field '{key}' appears twice in this record (first on line {seen[key]}); "
                    "only one value can be kept",
                    field=format_path(path + (key,)),
                    hint=f"delete one of the two '{key}:' lines, keeping the value you want",
                ))
                continue
            seen[key] = key_node.start_mark.line + 1
            if type(value_node) is ScalarNode:
                out[key] = self._scalar(value_node)
            else:
                out[key] = self.build(value_node, path + (key,))
        return out


class _TooBig(Exception):
    pass


def scalar_value(node) -> Any:
    """What a ruamel scalar node means (used by `hub fmt`); see `resolve_scalar`."""
    value = node.value
    if node.style == ">":
        # ruamel's round-trip scanner marks where a folded scalar was folded
        # with BEL characters (to re-fold it on output); they are not content
        value = value.replace("\a", "")
    return resolve_scalar(value, str(node.tag), node.style)


def resolve_scalar(value: str, tag: str, style: str | None) -> Any:
    """YAML 1.2 core types; quoted and block text, dates and anything tagged text stay text."""
    if style in ("'", '"', "|", ">") or tag.endswith(":str"):
        return value
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() == "true"
    if tag.endswith(":int") and _INT.match(value):
        digits = value.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        return sign * int(digits)
    if tag.endswith(":float"):
        try:
            return float(value.replace("_", "").replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            return value
    # timestamps stay text: the model decides whether it is a real date
    return value
