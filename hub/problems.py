"""One `Problem` type from the loader to the CLI, and its text rendering.

Every stage returns `list[Problem]` and never raises for bad content. A
problem names the file, the 1-based line and column, the field (as a YAML
path such as ``resources[12].url`` for tools, and as people count, ``the 13th
resource (nice-ng225), url``, for people), what is wrong, how to fix it, and
the row of CONTRIBUTING.md that explains its code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How much a problem matters. Only errors (and warnings under --strict) fail a run."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "notice": 2}[self.value]


@dataclass(frozen=True)
class Problem:
    """Something an editor should know about a data file."""

    file: str
    line: int | None
    column: int | None
    code: str
    """A stable slug (``unknown-field``, ``bad-date``…) for tests and tools."""
    message: str
    severity: Severity = Severity.ERROR
    field: str = ""
    """The YAML path of the value, counted from 0 (``resources[12].url``): for tools and tests."""
    hint: str = ""
    source_line: str | None = dataclasses.field(default=None, compare=False)
    place: str = dataclasses.field(default="", compare=False)
    """The same position as people count (``the 13th resource (nice-ng225), url``): what is printed."""
    path: tuple = dataclasses.field(default=(), compare=False, repr=False)
    """The path as a tuple (``("resources", 12, "url")``), for `place` to be worked out from the data."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @property
    def where(self) -> str:
        """The position in the data as printed: `place` (counted as people count, from the data), else the
        same from `path` alone ("the 3rd term, words"), else `field`."""
        if self.place or not self.path:
            return self.place or self.field
        from hub.catalogue.positions import describe_path  # only for a problem that is printed

        return describe_path(self.path, None)

    @property
    def guide(self) -> str:
        """The row of the guide that explains this problem's code."""
        return f"{GUIDE}#{self.code}"

    @property
    def said(self) -> str:
        """``the 3rd resource (id), field: message``; a message that names the field in quotes
        ("'year' should be…", "unknown field 'titel'") is not told the field twice."""
        where = _without_named_field(self.where, self.message)
        return f"{where}: {self.message}" if where else self.message

    def headline(self) -> str:
        """``path:line:col: error: the 3rd resource (id), field: message`` on one line."""
        return visible(f"{self.location()}: {self.severity.value}: {self.said}")

    def render(self, show_source: bool = True) -> str:
        """The headline, the source line with a caret under the column, the hint, then where the guide explains it."""
        lines = [self.headline()]
        if show_source and self.source_line is not None and self.line is not None:
            text, caret = excerpt(self.source_line.rstrip("\n").replace("\t", " "), (self.column or 1) - 1)
            lines.append(f"    {visible(text)}")
            if self.column is not None:
                lines.append("    " + " " * caret + "^")
        if self.hint:
            lines.append(visible(f"    hint: {self.hint}"))
        lines.append(f"    see: {self.guide}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data.pop("source_line")
        data.pop("path")
        data["see"] = self.guide
        return data


GUIDE = "CONTRIBUTING.md"
"""The guide whose table "Error messages and how to fix them" has a row, with an anchor, for every code."""


SOURCE_WIDTH = 100
"""The most characters of a source line shown under a problem (a one-line file may be megabytes long)."""


def _without_named_field(where: str, message: str) -> str:
    """`where` less its last field when `message` names that field in quotes:
    "the 1st resource (x), year" + "'year' should be…" gives "the 1st resource (x)"."""
    for sep in (", ", "."):
        head, found, name = where.rpartition(sep)
        if found and name and f"'{name}'" in message:
            return head
    return "" if where and f"'{where}'" in message else where


def excerpt(line: str, caret: int) -> tuple[str, int]:
    """At most `SOURCE_WIDTH` characters of `line` around the 0-based `caret`, and the caret's place in them."""
    if len(line) <= SOURCE_WIDTH:
        return line, caret
    start = max(0, min(caret - SOURCE_WIDTH // 3, len(line) - SOURCE_WIDTH))
    before = "…" if start else ""
    after = "…" if start + SOURCE_WIDTH < len(line) else ""
    return before + line[start:start + SOURCE_WIDTH] + after, caret - start + len(before)


_VISIBLE = {**{code: 0x2400 + code for code in range(0x20) if code != 0x0A}, 0x7F: 0x2421,
            **{code: 0xFFFD for code in (*range(0x80, 0xA0), 0x200B, 0x2028, 0x2029, *range(0x202A, 0x202F),
                                         0x2060, *range(0x2066, 0x206A), 0xFEFF, 0xFFFE, 0xFFFF)}}


def visible(text: str) -> str:
    """Control characters and direction overrides as visible symbols (one each, so carets stay aligned).

    Nothing read from a data file may move the cursor, recolour or retitle an
    editor's terminal (ESC sequences), or reverse the text after it (U+202E).
    """
    return text.translate(_VISIBLE)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File order, then line, then column; problems without a line first."""
    return sorted(
        problems,
        key=lambda p: (p.file, p.line or 0, p.column or 0, p.severity.rank, p.message),
    )


def attach_sources(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """Fill in ``source_line`` from the file texts, keyed by the problem's file.

    Lines are split at "\n" only, as the YAML parser counts them (``splitlines``
    also splits at form feeds and U+2028, and would show the wrong line).
    """
    out = []
    split: dict[str, list[str]] = {}  # each file split once, however many problems it has
    for p in problems:
        text = texts.get(p.file)
        if text is not None and p.line is not None and p.source_line is None:
            if p.file not in split:
                split[p.file] = text.split("\n")
                if split[p.file][-1] == "":
                    split[p.file].pop()
            lines = split[p.file]
            if 1 <= p.line <= len(lines):
                p = dataclasses.replace(p, source_line=lines[p.line - 1])
        out.append(p)
    return out


def display_path(path: Path, root: Path | None = None) -> str:
    """`path` relative to `root` (default: the current folder), as editors see it; else as given.

    A link in the folders above is followed, the file's own name is kept (a
    data file that is a link is shown, and known, by its own name, not its
    target's). The one function for this; every command shows paths so.
    """
    root = root or Path.cwd()
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside root, or a loop of links (RuntimeError before 3.13)
        return path.as_posix()


def github_data(text: str) -> str:
    """Text for the message of a GitHub workflow command (``::error …::message``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Text for a property of a GitHub workflow command (``file=``, ``title=``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
