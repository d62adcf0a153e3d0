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

Hostile files (issue 16) get a located problem in bounded time and memory,
never a crash. Each limit below is a named constant: `MAX_FILE_BYTES`,
`MAX_DEPTH`, `MAX_NODES`, `MAX_INT_DIGITS`, `MAX_LISTED`. Before a byte is
read, `read_text` refuses links that leave the project or loop, and anything
that is not a regular file (a FIFO would block for ever, ``/dev/zero`` never
ends); it then reads at most `MAX_FILE_BYTES` + 1 bytes. Before libyaml sees
the text, control characters and direction overrides are refused at their
place, and counting characters proves the nesting and the number of values
within bounds (`_surely_within_limits`); only when it cannot does a streamed
pass over the parse events find the exact place (`_measure`). That order
matters: PyYAML's composer recurses once per level and kills the process
(a C stack overflow, no exception) at about 30,000 levels, and libyaml takes
time quadratic in the depth.

Speed, without losing any of the above:

* A file is composed once. Aliases, tags and extra documents are rare, so the
  builder only *notices* them (a node met twice, a tag not on the safe list,
  a composer error) and then hands the file to the careful path, which walks
  the parse events to report each one at its exact place. It looks only when
  an '&' or a '!' stands where an anchor or a tag could begin
  (`_may_hold_anchor_or_tag`): "A&E" and "*emphasis*" do not count.
* Locations are not copied out for every value: the composed nodes are kept
  and `LoadedYaml.locate` walks them when a problem needs a line number.
* The garbage collector is paused while the file is read (`paused_gc`): the
  loader creates hundreds of thousands of objects and no cycles, and the
  collector's repeated passes over them doubled the time.
* The checks for hostile text are a handful of ``str.count`` calls and
  regular-expression searches: under 1 ms for the real catalogue.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import math
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml as libyaml
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hub.problems import Problem, Severity

# Longer than 450 lines because the guards against hostile files (what may be read, which characters,
# how deep and how big) run between reading and parsing and share the parser's marks and events; they
# are the first candidate to move into a module of their own (hub/catalogue/guards.py).

Path_ = tuple[str | int, ...]
"""A position in the data: ``("resources", 12, "url")``."""

# Standard YAML tags that only say what the value already is. Anything else
# (``!!python/object``, ``!include``, custom tags) is refused.
SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest data file that is read: 32 MiB, four times a 10,000-resource catalogue (7.9 MB; the
real catalogue is about 100 KB). A larger file is refused without being read, and a file that grows
while it is read is cut off at this size plus one byte."""

MAX_DEPTH = 50
"""How deeply lists and mappings may nest in a data file. The real data needs 5 (the file, its
sections, their subsections, their lists of resources). Deeper nesting is refused before libyaml sees
the text, because the parser would crash the process (about 30,000 levels) or take minutes first."""

MAX_NODES = 1_000_000
"""The most values (scalars, lists and mappings) in one file: about four times a 10,000-resource
catalogue (237,000; the real catalogue holds about 4,000). Checked before the file is composed, so a
small file of a million tiny values cannot take gigabytes."""

MAX_INT_DIGITS = 20
"""The longest whole number, in digits. Years, volumes, issues, page numbers and counts need at most
six; anything longer is an identifier that belongs in quotes. (Python refuses to convert numbers of
over 4,300 digits, and a number of a million digits takes minutes to convert.)"""

MAX_LISTED = 100
"""At most this many problems with the same code are listed for one file (duplicate keys, tabs,
control characters, aliases…); one closing note counts the rest."""

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


class LongNumber(str):
    """A plain whole number of more than `MAX_INT_DIGITS` digits: kept as its text, reported by the loader."""

    digits: int = 0


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
    item_values: dict[str, list[int]] = field(default_factory=dict, repr=False)
    """Top-level key of a list → how many values each of its items holds (big files are validated in parts)."""

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


# --- reading the bytes: only small regular files inside the project ------------------------


def read_text(path: Path, shown: str, within: Path | None = None) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (BOM allowed) with LF line endings; see `read_bytes` for what is refused."""
    raw, problem = read_bytes(path, shown, within)
    if raw is None:
        return None, [problem] if problem else []
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


def read_bytes(path: Path, shown: str, within: Path | None = None) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the reason it is not read.

    Refused before anything is opened: a link whose target lies outside
    `within` (by default the current folder when the file is inside it, else
    the file's own folder), so that no excerpt can ever show a line of
    ``/etc/passwd``; a loop of links; anything that is not a regular file
    (folders, FIFOs, devices, sockets); a file over `MAX_FILE_BYTES`. The file
    is opened without following a link and without blocking, and at most
    `MAX_FILE_BYTES` + 1 bytes are read.
    """
    def refused(code: str, message: str, hint: str) -> tuple[None, Problem]:
        return None, Problem(shown, None, None, code, message, hint=hint)

    unreadable_hint = "check that the file exists and is readable"
    try:
        own = os.lstat(path)
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return refused("link-loop",
                           "the file is a link that leads round in a loop of links, never to a file",
                           f"replace the link with the file itself (git checkout -- {shown})")
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return refused("unreadable", f"the file is a link to '{_link_text(path)}', which does not exist",
                           f"replace the link with the file itself (git checkout -- {shown})")
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    if not _inside(real, _boundary(path, within)):
        target = _link_text(path) if stat.S_ISLNK(own.st_mode) else real
        return refused("outside-link",
                       f"the file is a link to '{target}', outside the project folder, so it is not read",
                       "put the file itself in the project "
                       "(a link could show or publish any file on the machine)")
    try:
        info = os.stat(real)
    except OSError as exc:
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    problem = _not_a_small_file(info, shown)
    if problem:
        return None, problem
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        descriptor = os.open(real, flags)
    except OSError as exc:
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    try:
        problem = _not_a_small_file(os.fstat(descriptor), shown)  # it may have been swapped since the check
        if problem:
            return None, problem
        chunks, left = [], MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 22))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    finally:
        os.close(descriptor)
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        return None, _too_large(shown, len(raw), grew=True)
    return raw, None


def _not_a_small_file(info: os.stat_result, shown: str) -> Problem | None:
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        return Problem(shown, None, None, "not-a-file", f"this is {kind}, not a file, so it is not read",
                       hint=f"replace it with the data file (git checkout -- {shown})")
    if info.st_size > MAX_FILE_BYTES:
        return _too_large(shown, info.st_size)
    return None


def _too_large(shown: str, size: int, grew: bool = False) -> Problem:
    what = "grew past" if grew else f"is {math.ceil(size * 10 / 2**20) / 10:,.1f} MB, over"
    return Problem(shown, None, None, "file-too-large",
                   f"the file {what} the limit of {MAX_FILE_BYTES // 1024 // 1024} MB for a data file, "
                   "so it is not read",
                   hint="check that it was not corrupted or generated by mistake (git diff --stat)")


def _boundary(path: Path, within: Path | None) -> str:
    """The folder a data file must stay inside once links are followed, itself with links followed."""
    if within is None:
        here, absolute = os.getcwd(), os.path.abspath(path)
        within = Path(here if _inside(absolute, here) and here != os.path.dirname(here)
                      else os.path.dirname(absolute))
    return os.path.realpath(within)


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives (Windows)
        return False


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return os.fspath(path)


# --- loading -------------------------------------------------------------------------------


def load_yaml(path: Path, shown: str | None = None, within: Path | None = None) -> LoadedYaml:
    """Load one data file. Problems are collected in the result, never raised."""
    shown = shown or path.as_posix()
    text, problems = read_text(path, shown, within)
    if text is None:
        return LoadedYaml(shown, "", problems=problems)
    return load_yaml_text(text, shown)


_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)
"""A line holding something other than blanks or a comment."""


def load_yaml_text(text: str, shown: str) -> LoadedYaml:
    """Load YAML from a string (already decoded); see `load_yaml`."""
    result = LoadedYaml(shown, text)
    if not _CONTENT.search(text):
        result.problems.append(_empty(shown))
        return result

    refused, noted = _check_characters(text, shown)
    if refused:
        result.problems.extend(refused)
        return result

    tab_problems = _listed(_find_tabs(text, shown), shown)
    if tab_problems:
        result.problems.extend(tab_problems)
        return result

    if not _surely_within_limits(text):
        problem = _measure(text, shown)
        if problem:
            result.problems.append(problem)
            return result

    with paused_gc():
        loaded = _compose_once(text, result) or _load_carefully(text, result)
    if loaded.data is None and not loaded.problems:  # only '---', '~' or 'null'
        loaded.problems.append(_empty(loaded.path))
    loaded.problems.extend(noted)
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
    # Without an anchor there can be no alias, and without a '!' no tag: then
    # the builder need not look for them (the careful path would agree).
    try:
        return _build_into(result, node, strict=_may_hold_anchor_or_tag(text))
    except _Unusual:
        result.data = None
        result.item_values = {}
        del result.problems[:]
        return None


_TOKEN_START = frozenset(" \t\n[]{},:?-")
"""What may stand just before a token (an anchor, a tag): a blank or an indicator."""


def _may_hold_anchor_or_tag(text: str) -> bool:
    """False when no '&' or '!' in `text` can begin an anchor or a tag.

    Each must stand at a line start or after a blank or an indicator, and an
    anchor's name begins with a letter, digit, '-' or '_' (libyaml's rule):
    "A&E" and "Smith & Jones" are text. An alias needs an anchor (else the
    composer fails, and the careful path reports it), so the builder's check
    for nodes met twice is needed only when this is true.
    """
    for mark in "&!":
        at, looked = text.find(mark), 0
        while at >= 0:
            if at == 0 or text[at - 1] in _TOKEN_START:
                following = text[at + 1:at + 2]
                if mark == "!" or following.isalnum() or following in ("-", "_"):
                    return True
            looked += 1
            if looked > 64:
                return True  # not worth looking further: the builder checks every node
            at = text.find(mark, at + 1)
    return False


def _load_carefully(text: str, result: LoadedYaml) -> LoadedYaml:
    """Walk the parse events first, so that every alias, tag and extra document is reported in place."""
    shown = result.path
    unsafe: list[Problem] = []
    listing = _Listing(shown)
    second_document = None
    documents = 0
    try:
        # streamed, not listed: a file of a million aliases must not hold a million events
        for event in libyaml.parse(text, Loader=_Loader):
            if type(event) is DocumentStartEvent:
                documents += 1
                if documents == 2:
                    second_document = event.start_mark
            else:
                problem = _unsafe(event, shown)
                if problem and listing.keep(problem):
                    unsafe.append(problem)
    except libyaml.MarkedYAMLError as exc:
        result.problems.append(_syntax_problem(exc, shown))
        return result
    except libyaml.YAMLError as exc:  # pragma: no cover - the parser raises marked errors for syntax
        result.problems.append(Problem(shown, None, None, "yaml-syntax", f"YAML syntax error: {exc}"))
        return result

    result.problems.extend(unsafe + listing.notes())
    if second_document is not None:
        result.problems.append(Problem(
            shown, second_document.line + 1, second_document.column + 1, "many-documents",
            "this file holds a second document starting here; a data file holds one document",
            hint="remove the line '---' (and check that what follows it belongs in this file)",
        ))
    if result.problems:
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
    builder = _Builder(result, strict, escapes="\\" in result.text)
    try:
        result.data = builder.build(node, ())
    except _TooBig:
        result.data = None
        result.problems.append(_too_many_values(result.path, None))
        return result
    result.problems.extend(builder.listing.notes())
    result.root = node
    result.values = builder.count
    return result


def _empty(shown: str) -> Problem:
    return Problem(shown, 1, 1, "empty-file", "the file is empty",
                   hint="a data file needs its top-level keys; see CONTRIBUTING.md for an example")


def _too_many_values(shown: str, mark) -> Problem:
    return Problem(
        shown, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "too-big",
        f"the file holds more than {MAX_NODES:,} values"
        + (" (this is the first one over)" if mark else "") + "; it cannot be a catalogue file",
        hint="check that the file was not corrupted or generated by mistake",
    )


def _find_tabs(text: str, shown: str) -> Iterator[Problem]:
    if "\t" not in text:
        return
    line, counted = 1, 0
    for match in re.finditer(r"^ *\t", text, re.M):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        yield Problem(
            shown, line, match.end() - match.start(), "tab-indent",
            "a tab is used for indentation; YAML only allows spaces",
            hint="replace the tab with spaces (two per level, as in the rest of the file)",
        )


class _Listing:
    """At most `MAX_LISTED` problems per code; `notes` counts the ones left out."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.counts: Counter[str] = Counter()
        self.stopped = False
        """Counting stopped early (then the notes say "at least")."""

    def keep(self, problem: Problem) -> bool:
        self.counts[problem.code] += 1
        return self.counts[problem.code] <= MAX_LISTED

    def notes(self, codes: Iterable[str] | None = None) -> list[Problem]:
        """One note per code (of `codes`, or all) with problems left out."""
        return [Problem(self.shown, None, None, "too-many-problems",
                        f"{'at least ' if self.stopped else ''}{count - MAX_LISTED:,} more '{code}' problems "
                        "in this file are not listed",
                        severity=Severity.WARNING, hint="fix the ones listed, then run the command again")
                for code, count in self.counts.items()
                if count > MAX_LISTED and (codes is None or code in codes)]


def _listed(problems: Iterable[Problem], shown: str) -> list[Problem]:
    """The first `MAX_LISTED` problems of each code, then a note for each code with more."""
    listing = _Listing(shown)
    return [p for p in problems if listing.keep(p)] + listing.notes()


# --- characters that must not reach a page or a feed -----------------------------------------

_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
_INVISIBLE = r"\u200b\u2060"
_SPECIAL_CHARACTER = re.compile(f"[{_REFUSED}{_INVISIBLE}]")
_NOT_ASCII_CONTROL = bytes(b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F
                                                          or b == 0x7F))
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
                  0x0C: "FORM FEED", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def _check_characters(text: str, shown: str) -> tuple[list[Problem], list[Problem]]:
    """Refused characters (errors) and invisible ones (warnings), each at its line and column.

    Refused: C0 controls but tab, LF and CR, DEL, C1 controls (libyaml
    rejects these without saying where, and they make the Atom feed invalid
    XML), direction overrides and isolates U+202A–U+202E and U+2066–U+2069
    (they make text display in another order than it is stored: "Trojan
    Source"), U+2028/U+2029 (line breaks to some programs, not to others),
    U+FEFF inside the file and the non-characters U+FFFE/U+FFFF. Warned:
    U+200B ZERO WIDTH SPACE and U+2060 WORD JOINER, invisible but harmless
    on a page. Zero-width joiners (U+200C/U+200D) and the direction marks
    U+200E/U+200F are allowed: names in Persian, Hindi or Arabic need them.
    """
    if text.isascii():
        if not text.encode("ascii").translate(None, _NOT_ASCII_CONTROL):  # five times the regex's speed
            return [], []
    elif not _SPECIAL_CHARACTER.search(text):
        return [], []
    refused: list[Problem] = []
    noted: list[Problem] = []
    listing = _Listing(shown)
    line, counted = 1, 0
    for match in _SPECIAL_CHARACTER.finditer(text):
        at, char = match.start(), match.group()
        if at == 0 and char == "\ufeff":
            continue  # a byte-order mark that was not taken off when the file was decoded
        line += text.count("\n", counted, at)
        counted = at
        problem = _character_problem(char, shown, line, at - text.rfind("\n", 0, at))
        if listing.keep(problem):
            (noted if problem.severity is Severity.WARNING else refused).append(problem)
        elif listing.counts[problem.code] > 10 * MAX_LISTED:
            listing.stopped = True  # a binary file: enough said
            break
    return refused + listing.notes(["control-character"]), noted + listing.notes(["invisible-character"])


def _character_problem(char: str, shown: str, line: int, column: int) -> Problem:
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "")
    label = f"U+{code:04X} {name}" if name else f"U+{code:04X}"
    if code in (0x200B, 0x2060):
        return Problem(shown, line, column, "invisible-character",
                       f"the invisible character {label} is here; text that looks the same then differs "
                       "(in search, in ids and in links)",
                       severity=Severity.WARNING, hint="delete it, unless it is wanted here")
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        message = (f"the direction control {label} is not allowed in a data file: it makes the text "
                   "after it display in a different order from the one it is stored in")
        hint = "delete it; names and titles in right-to-left scripts display correctly without it"
    elif code in (0x2028, 0x2029):
        message = (f"the character {label} is not allowed in a data file: some programs show it as a "
                   "line break and others do not")
        hint = "replace it with an ordinary line break or a space"
    elif code == 0xFEFF:
        message = f"the character {label} (a byte-order mark) is not allowed inside a data file"
        hint = "delete it; it usually comes from pasting one file into another"
    elif code in (0xFFFE, 0xFFFF):
        message = f"{label} is not a character, and is not allowed in a data file"
        hint = "delete it; the file may be damaged, so compare it with git diff"
    else:
        message = f"the invisible control character {label} is not allowed in a data file"
        hint = ("delete it (it usually comes from text copied out of a PDF, a web page or a word processor); "
                "if you cannot see it, retype the text around this place")
    return Problem(shown, line, column, "control-character", message, hint=hint)


# --- nesting and size, before libyaml sees the text -------------------------------------------

_FLOW_PAIR = re.compile(r"""[\[{][^\[\]{}\n"'#!\\]*[\]}]""")
"""A bracket pair on one line with nothing between them that could start a quote, comment or tag."""


@lru_cache(maxsize=64)
def _indented(width: int) -> tuple[re.Pattern, re.Pattern]:
    """Lines starting with at least `width` blanks and block indicators (first line, any later line)."""
    lead = rf"[ \t?:-]{{{width}}}"
    return re.compile(lead), re.compile("\n" + lead)


def _surely_within_limits(text: str, depth: int = MAX_DEPTH, values: int = MAX_NODES) -> bool:
    """True when counting characters proves `text` nested at most `depth` deep and holding at most `values`.

    Sound, never parsing (a false answer only means `_measure` must look):

    * Values: every value but the first is an item (after '-', '[' or ','),
      or a key or a value in a mapping (after ':', '?', ',' or '{': two each).
    * Flow nesting: each level needs a '[' or '{'. A bracket pair on one line
      with no quote, comment or tag mark between ('[a, b]') is either both
      structure or both text, so it adds one level where it stands and none
      after it; every other opening bracket is counted as a level for good.
    * Block nesting: a block list or mapping starts after the line's blanks
      and '- ', '? ', ': ' marks, and each column holds at most two levels (a
      mapping and a list written at its keys' indentation); so the longest such
      run at the start of a line, plus one, times two, bounds it.
    """
    count = text.count
    square, curly = count("["), count("{")
    opening = square + curly
    if 2 * len(text) + 1 > values:  # else even each character counting twice cannot pass the limit
        most = 1 + count("-") + square + 2 * (count(",") + curly + count(":") + count("?"))
        if most > values:
            return False
    flow = opening
    if flow > depth // 2:
        pairs = len(_FLOW_PAIR.findall(text))
        flow = opening - pairs + (1 if pairs else 0)
    longest = (depth - flow) // 2 - 1  # 2 * (longest + 1) + flow <= depth
    if longest < 0:
        return False
    first, later = _indented(longest + 1)
    return not (first.match(text) or later.search(text))


def _measure(text: str, shown: str) -> Problem | None:
    """Stream the parse events (libyaml's parser does not recurse) until a limit is passed; where, if it is."""
    depth = values = 0
    opening, closing = (SequenceStartEvent, MappingStartEvent), (SequenceEndEvent, MappingEndEvent)
    try:
        for event in libyaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is ScalarEvent:
                values += 1
            elif kind in opening:
                values += 1
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Problem(
                        shown, mark.line + 1, mark.column + 1, "too-deep",
                        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                        "a data file needs about 5",
                        hint="look for a run of '[', '{' or '- ', or of indentation, that does not belong; "
                             "if the file was generated by mistake, restore it from git",
                    )
            elif kind in closing:
                depth -= 1
                continue
            else:
                continue
            if values > MAX_NODES:
                return _too_many_values(shown, event.start_mark)
    except libyaml.YAMLError:
        return None  # a syntax error comes first: the normal path reports it where it is
    return None


# --- the careful path and its messages --------------------------------------------------------


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


def _unsafe(event, shown: str) -> Problem | None:
    """The alias or unsafe tag of one parse event, if it has one."""
    mark = event.start_mark
    if isinstance(event, AliasEvent):
        return Problem(
            shown, mark.line + 1, mark.column + 1, "alias",
            f"YAML aliases (*{event.anchor}) are not allowed in data files",
            hint="write the value out in full; anchors and aliases can hide data and "
                 "expand without limit",
        )
    if isinstance(event, (ScalarEvent, CollectionStartEvent)):
        tag = event.tag
        tag = str(tag) if tag is not None else None
        if tag and tag not in SAFE_TAGS and tag not in ("!", "?"):
            return Problem(
                shown, mark.line + 1, mark.column + 1, "unsafe-tag",
                f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; "
                "nothing in the data is ever executed",
                hint="remove the tag (the word starting with '!') and write a plain value",
            )
    return None


class _Builder:
    """Nodes → plain dict/list/str/int/float/bool/None.

    With ``strict``, a node met twice (an alias) or a tag other than the safe
    ones raises `_Unusual`, so the caller can report it from the parse events.
    With ``escapes`` (the text holds a backslash), double-quoted values are
    checked for the characters `_check_characters` refuses in the text, which
    an escape such as ``"\u202e"`` or ``"\x01"`` can still write.
    """

    def __init__(self, result: LoadedYaml, strict: bool = False, escapes: bool = True) -> None:
        self.result = result
        self.count = 0
        self.strict = strict
        self.escapes = escapes
        self.seen: set[int] = set()
        self.listing = _Listing(result.path)

    def _check(self, node) -> None:
        if id(node) in self.seen or (node.tag not in SAFE_TAGS and node.tag != _IMPLICIT):
            raise _Unusual
        self.seen.add(id(node))

    def _report(self, problem: Problem) -> None:
        if self.listing.keep(problem):
            self.result.problems.append(problem)

    def _scalar(self, node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if self.strict:
            self._check(node)
        if node.tag == _IMPLICIT:
            value = node.value
            if value and value[0] not in _MAY_NOT_BE_TEXT:
                return value  # `_plain_value`, inlined: no implicit type starts with this character
            value = _plain_value_by_rule(value)
        else:
            value = resolve_scalar(node.value, node.tag, node.style)
            if self.escapes and node.style == '"':
                self._check_escapes(node)
        if type(value) is LongNumber:
            mark = node.start_mark
            self._report(Problem(
                self.result.path, mark.line + 1, mark.column + 1, "number-too-long",
                f"this number has {value.digits:,} digits; a number in a data file "
                f"has at most {MAX_INT_DIGITS}",
                hint="if it is an identifier or a phone number, write it in quotes so it stays text",
            ))
        return value

    def _check_escapes(self, node) -> None:
        found = _SPECIAL_CHARACTER.search(node.value)
        if found:
            mark = node.start_mark
            problem = _character_problem(found.group(), self.result.path, mark.line + 1, mark.column + 1)
            self._report(dataclasses.replace(
                problem, message=f"{problem.message} (written with a backslash escape in this quoted text)",
                hint=f"remove the escape (\\u{ord(found.group()):04x} or the like) from the text"))

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
        if len(path) == 1:  # a top-level list (of records): remember each item's size
            out, sizes = [], []
            for i, item in enumerate(node.value):
                before = self.count
                out.append(self._scalar(item) if type(item) is ScalarNode else self.build(item, path + (i,)))
                sizes.append(self.count - before)
            self.result.item_values[str(path[0])] = sizes
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
                    self.result.path, mark.line + 1, mark.column + 1, "bad-key",
                    "a key must be a plain word, not a list or mapping",
                    field=format_path(path), hint="write keys as 'field: value'",
                ))
                continue
            key = str(key_node.value)
            if key in seen:
                mark = key_node.start_mark
                self._report(Problem(
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
    """YAML 1.2 core types; quoted and block text, dates and anything tagged text stay text.

    A whole number of more than `MAX_INT_DIGITS` digits stays its text, as a `LongNumber`.
    """
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
        base = 8 if digits.startswith("0o") else 16 if digits.startswith("0x") else 10
        if base != 10:
            digits = digits[2:]
        if len(digits) > MAX_INT_DIGITS:
            long = LongNumber(value)
            long.digits = len(digits)
            return long
        return sign * int(digits, base)
    if tag.endswith(":float"):
        try:
            return float(value.replace("_", "").replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            return value
    # timestamps stay text: the model decides whether it is a real date
    return value
