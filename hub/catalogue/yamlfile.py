"""Read one YAML data file into plain Python values, remembering where each value was.

Why not ``yaml.safe_load``: PyYAML silently keeps the last of two duplicate
keys (an editor's data is lost without a word), it gives no line numbers
after loading, it turns ``2022-02-30`` into a Python exception, and it reads
YAML 1.1 (``no`` becomes false). Here we walk the parse events and composed
nodes ourselves so that

* every value's line and column can be found (``LoadedYaml.locate``);
* duplicate keys, tabs, aliases and unknown tags become located problems;
* nothing is ever constructed from a tag: the data is never executed;
* dates stay strings, for the model to check ("not a real date").

Files saved by Windows editors (UTF-8 BOM, CRLF line endings) are accepted.

Parsing uses libyaml through PyYAML's C loader (a 10,000-resource catalogue
composes in about a second instead of the minute ruamel's pure-Python parser
takes; see benchmarks/README.md). Only the *syntax* comes from it
(`hub.catalogue.syntax`): what a plain scalar means follows the YAML 1.2 core
schema via ruamel's resolver (`hub.catalogue.scalars`), the same rule
`hub fmt` uses to decide when a value may be written without quotes.

Hostile files (issue 16) get a located problem in bounded time and memory,
never a crash. This module runs the guards in order, each in its own module
with its limit as a named constant: what may be read (`hub.catalogue.reading`,
`MAX_FILE_BYTES`); which characters (`hub.catalogue.characters`); how deep
and how big, proved before libyaml composes the text (`hub.catalogue.shape`,
`MAX_DEPTH`, `MAX_NODES`); how long a number (`hub.catalogue.scalars`,
`MAX_INT_DIGITS`); and how many problems of one kind are listed
(`hub.catalogue.listing`, `MAX_LISTED`).

Speed, without losing any of the above:

* A file is composed once. Aliases, tags and extra documents are rare, so the
  builder (`hub.catalogue.building`) only *notices* them (a node met twice, a
  tag not on the safe list, a composer error) and then hands the file to the
  careful path, which walks the parse events to report each one at its exact
  place. It looks only when an '&' or a '!' stands where an anchor or a tag
  could begin (`_may_hold_anchor_or_tag`): "A&E" and "*emphasis*" do not count.
* Locations are not copied out for every value: the composed nodes are kept
  and `LoadedYaml.locate` walks them when a problem needs a line number.
* The garbage collector is paused while the file is read (`paused_gc`): the
  loader creates hundreds of thousands of objects and no cycles, and the
  collector's repeated passes over them doubled the time.
* The checks for hostile text are a handful of ``str.count`` calls and
  regular-expression searches: under 1 ms for the real catalogue.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml as libyaml
from yaml.events import DocumentStartEvent
from yaml.nodes import Node

from hub.catalogue.building import Builder, TooBig, Unusual
from hub.catalogue.characters import check_characters
from hub.catalogue.listing import Listing, listed
from hub.catalogue.positions import Location, Path_, typed_at, walk_to
from hub.catalogue.reading import read_text
from hub.catalogue.shape import measure, surely_within_limits, too_many_values
from hub.catalogue.syntax import Loader, compose, composer_problem, syntax_problem, unsafe_event
from hub.problems import Problem


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

    def typed(self, path: Path_) -> str | None:
        """The plain (unquoted) value at ``path`` exactly as typed (``08088008088``, which reads as a number);
        None when the source does not hold it plainly on one line (a tag, an anchor)."""
        return typed_at(self.root, path, self.text) if self.root is not None else None


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

    refused, noted = check_characters(text, shown)
    if refused:
        result.problems.extend(refused)
        return result

    tab_problems = listed(_find_tabs(text, shown), shown)
    if tab_problems:
        result.problems.extend(tab_problems)
        return result

    if not surely_within_limits(text):
        problem = measure(text, shown)
        if problem:
            result.problems.append(problem)
            return result

    with paused_gc():
        loaded = _compose_once(text, result) or _load_carefully(text, result)
    if loaded.data is None and not loaded.problems:  # only '---', '~' or 'null'
        loaded.problems.append(_empty(loaded.path))
    loaded.problems.extend(noted)
    return loaded


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
    except Unusual:
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
    listing = Listing(shown)
    second_document = None
    documents = 0
    try:
        # streamed, not listed: a file of a million aliases must not hold a million events
        for event in libyaml.parse(text, Loader=Loader):
            if type(event) is DocumentStartEvent:
                documents += 1
                if documents == 2:
                    second_document = event.start_mark
            else:
                problem = unsafe_event(event, shown)
                if problem and listing.keep(problem):
                    unsafe.append(problem)
    except libyaml.MarkedYAMLError as exc:
        # After a second '---' the rest of the file reads as a new document, often with the indentation
        # of the first: the '---' is the mistake to report, not what libyaml then stumbles on.
        result.problems.append(_second_document(shown, second_document) if second_document
                               else syntax_problem(exc, text, shown))
        return result
    except libyaml.YAMLError:  # pragma: no cover - the parser raises marked errors for syntax
        result.problems.append(Problem(shown, None, None, "yaml-syntax", "the file cannot be read as YAML",
                                       hint="check its indentation and punctuation"))
        return result

    result.problems.extend(unsafe + listing.notes())
    if second_document is not None:
        result.problems.append(_second_document(shown, second_document))
    if result.problems:
        return result

    try:
        node = compose(text)
    except libyaml.MarkedYAMLError as exc:  # the parse was fine: only an anchor defined twice gets here
        result.problems.append(composer_problem(exc, text, shown))
        return result
    if node is None:
        return result
    return _build_into(result, node)


def _build_into(result: LoadedYaml, node: Node, strict: bool = False) -> LoadedYaml:
    """Build `node`'s values into `result`, keeping the node for locations; see `Builder` for `strict`."""
    builder = Builder(result.path, result.problems, result.item_values, strict, escapes="\\" in result.text)
    try:
        result.data = builder.build(node, ())
    except TooBig:
        result.data = None
        result.problems.append(too_many_values(result.path, None))
        return result
    result.problems.extend(builder.listing.notes())
    result.root = node
    result.values = builder.count
    return result


def _second_document(shown: str, mark) -> Problem:
    return Problem(
        shown, mark.line + 1, mark.column + 1, "many-documents",
        "this file holds a second document starting here; a data file holds one document",
        hint="remove the line '---' (and check that what follows it belongs in this file)",
    )


def _empty(shown: str) -> Problem:
    return Problem(shown, 1, 1, "empty-file", "the file is empty",
                   hint="if it was emptied by mistake, restore it from its history on GitHub (the file's History button)")


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
