"""Find, in a file libyaml could not read, the quote or bracket that was opened and never closed.

libyaml notices an unclosed quote only where the text stops making sense: often 20 or 30 lines
later, at the next quote mark in the file (an apostrophe in "O'Connor" will do), so its position
is no help to an editor (issue #15). `first_opening` reads the lines as an editor wrote them and
finds where the trouble began:

* a quote (``"`` or ``'``) that opens a value and is still open when a line that starts a new
  field or list item comes at the value's own indentation or less (a quoted value may go on over
  lines indented further, and YAML also lets it go on at the same indentation when the line is
  not a field);
* a ``[`` or ``{`` still open in the same way;
* text after a closing quote, as in ``'People's views'`` (the apostrophe closes the quote).

Only quotes that open a value count: an apostrophe inside plain text (``title: People's views``),
a quote inside a comment, a block of text under ``>-`` or ``|`` and the lines that continue a plain
value are read past. The finding is a guess until `hub.catalogue.syntaxwords` confirms it by closing
the quote or bracket and letting libyaml read the file again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STARTS_FIELD_OR_ITEM = re.compile(r"[ ]*(?:-(?: |$)|[^\s#'\"\[\]{},:-][^:#]*:(?: |$))")
"""A line that starts a field (``name:``) or a list item (``- ``)."""

_CLOSING = {"[": "]", "{": "}"}


@dataclass(frozen=True)
class Opening:
    """A quote or bracket opened at (`line`, `column`) (both 0-based) and not closed."""

    line: int
    column: int
    char: str
    """``"``, ``'``, ``[`` or ``{``."""
    closes: tuple[tuple[int, int, str], ...] = ()
    """Where the missing closing characters would go: ``(line, column, text)``, innermost first."""
    after_quote: int | None = None
    """For text after a closing quote: the column of that closing quote (the opening is `column`)."""


def first_opening(lines: list[str], last: int) -> Opening | None:
    """The first unclosed quote or bracket (or text after a closing quote) in `lines[:last + 1]`."""
    scanner = _Scanner(lines)
    for number in range(min(last + 1, len(lines))):
        found = scanner.line(number)
        if found:
            return found
    return scanner.end(min(last + 1, len(lines)))


class _Scanner:
    """Reads line by line; `mode` says what an unfinished line left open."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.mode = "block"
        self.owner = 0
        """The column a value on the current line belongs to (its field name, or its '- ')."""
        self.quote: tuple[int, int, str] | None = None
        """An open quote: (line, column, char)."""
        self.stack: list[tuple[int, int, str]] = []
        """Open brackets: (line, column, char)."""
        self.last_text = 0
        """The last line that holds part of the open value (where a closing character would go)."""

    def line(self, number: int) -> Opening | None:
        text = self.lines[number]
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        blank = not stripped or stripped.startswith("#")
        if self.mode in ("quote", "flow") and not blank and (
                (indent <= self.owner and _STARTS_FIELD_OR_ITEM.match(text)) or _document_marker(text)):
            return self._unclosed()
        if self.mode == "quote":
            return self._in_quote(number, text, 0)
        if self.mode == "flow":
            return self._in_flow(number, text, 0)
        if blank:
            return None
        if self.mode in ("text", "plain") and indent > self.owner:
            return None  # a block of text, or a plain value going on over more lines
        self.mode = "block"
        if _document_marker(text):
            return None
        return self._block(number, text, indent)

    def end(self, count: int) -> Opening | None:
        """At the end of the lines read: what is still open."""
        if self.mode in ("quote", "flow") and count == len(self.lines):
            return self._unclosed()
        return None

    def _unclosed(self) -> Opening:
        line_text = self.lines[self.last_text].rstrip()
        at = (self.last_text, len(line_text))
        closes = [(*at, char) for char in ([self.quote[2]] if self.quote else [])]
        closes += [(*at, _CLOSING[char]) for _, _, char in reversed(self.stack)]
        line, column, char = self.quote or self.stack[-1]
        return Opening(line, column, char, tuple(closes))

    def _block(self, number: int, text: str, at: int) -> Opening | None:
        """A line outside any open value: its '- ' marks, field names and value."""
        self.owner = at
        keyed = False
        while text.startswith("-", at) and text[at + 1:at + 2] in ("", " "):
            self.owner = at
            at = _skip_spaces(text, at + 1)
        while at < len(text):
            char = text[at]
            if char == "#":
                break
            if char in "\"'":
                end = _quote_end(text, at + 1, char)
                if end is None:
                    if not keyed:  # right after '- ': a field of the item would start where the quote is
                        self.owner = at
                    self.mode, self.quote, self.last_text = "quote", (number, at, char), number
                    return None
                after = _skip_spaces(text, end + 1)
                if text.startswith(":", after) and text[after + 1:after + 2] in ("", " "):
                    self.owner, at, keyed = at, _skip_spaces(text, after + 1), True  # a quoted field name
                    continue
                if after < len(text) and text[after] != "#":
                    return Opening(number, at, char, after_quote=end)
                self.mode = "block"
                return None
            if char in "[{":
                self.mode, self.stack, self.last_text = "flow", [], number
                return self._in_flow(number, text, at)
            if char in "|>":
                self.mode = "text"
                return None
            if char in "&!":  # an anchor or a tag before the value
                space = text.find(" ", at)
                at = len(text) if space < 0 else _skip_spaces(text, space)
                continue
            colon = _field_colon(text, at)
            if colon is None:
                self.mode = "plain"
                return None
            self.owner, at, keyed = at, _skip_spaces(text, colon + 1), True
        self.mode = "block"  # 'name:' with nothing after it: what follows is nested
        return None

    def _in_quote(self, number: int, text: str, at: int) -> Opening | None:
        assert self.quote is not None
        end = _quote_end(text, at, self.quote[2])
        if end is None:
            if text.strip():
                self.last_text = number
            return None
        if self.stack:
            self.quote = None
            self.mode = "flow"
            return self._in_flow(number, text, end + 1)
        after = _skip_spaces(text, end + 1)
        if after < len(text) and text[after] not in "#:":
            return self._unclosed()  # closed by a quote meant to open another value: the first was never closed
        self.quote = None
        self.mode = "block"
        return None

    def _in_flow(self, number: int, text: str, at: int) -> Opening | None:
        """Inside ``[…]`` or ``{…}``: follow brackets and quotes to the end of the line."""
        node_start = True
        while at < len(text):
            char = text[at]
            if char in "[{":
                self.stack.append((number, at, char))
                node_start = True
            elif char in "]}":
                if self.stack:
                    self.stack.pop()
                if not self.stack:
                    self.mode = "block"
                    return None
                node_start = False
            elif char == ",":
                node_start = True
            elif char == ":" and text[at + 1:at + 2] in ("", " "):
                node_start = True
            elif char == "#" and (at == 0 or text[at - 1] == " "):
                break
            elif char in "\"'" and node_start:
                end = _quote_end(text, at + 1, char)
                if end is None:
                    self.mode, self.quote = "quote", (number, at, char)
                    break
                at = end
                node_start = False
            elif char != " ":
                node_start = False
            at += 1
        if text.strip():
            self.last_text = number
        return None


def _document_marker(text: str) -> bool:
    return text[:3] in ("---", "...") and text[3:4] in ("", " ")


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at] == " ":
        at += 1
    return at


def _quote_end(text: str, at: int, quote: str) -> int | None:
    """The index of the quote that closes a value opened before `at`, or None if the line ends first."""
    while at < len(text):
        char = text[at]
        if quote == '"' and char == "\\":
            at += 2
            continue
        if char == quote:
            if quote == "'" and text[at + 1:at + 2] == "'":  # '' is an apostrophe inside single quotes
                at += 2
                continue
            return at
        at += 1
    return None


def _field_colon(text: str, at: int) -> int | None:
    """The ':' ending a field name that starts at `at` (a ': ' or a final ':' before any ' #'), if any."""
    for index in range(at, len(text)):
        char = text[index]
        if char == "#" and text[index - 1] == " ":
            return None
        if char == ":" and text[index + 1:index + 2] in ("", " "):
            return index
    return None
