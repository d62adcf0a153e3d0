"""One `Problem` type from the loader to the CLI, and its text rendering.

Every stage returns `list[Problem]` and never raises for bad content. A
problem names the file, the 1-based line and column, the field (as a YAML
path such as ``resources[12].url``), what is wrong and how to fix it.
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
    hint: str = ""
    source_line: str | None = dataclasses.field(default=None, compare=False)

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

    def headline(self) -> str:
        """``path:line:col: error: field: message`` on one line."""
        where = f"{self.field}: " if self.field else ""
        return f"{self.location()}: {self.severity.value}: {where}{self.message}"

    def render(self, show_source: bool = True) -> str:
        """The headline, the source line with a caret under the column, then the hint."""
        lines = [self.headline()]
        if show_source and self.source_line is not None and self.line is not None:
            text = self.source_line.rstrip("\n").replace("\t", " ")
            lines.append(f"    {text}")
            if self.column is not None:
                lines.append("    " + " " * (self.column - 1) + "^")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data.pop("source_line")
        return data


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """File order, then line, then column; problems without a line first."""
    return sorted(
        problems,
        key=lambda p: (p.file, p.line or 0, p.column or 0, p.severity.rank, p.message),
    )


def attach_sources(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """Fill in ``source_line`` from the file texts, keyed by the problem's file."""
    out = []
    split: dict[str, list[str]] = {}  # each file split once, however many problems it has
    for p in problems:
        text = texts.get(p.file)
        if text is not None and p.line is not None and p.source_line is None:
            if p.file not in split:
                split[p.file] = text.splitlines()
            lines = split[p.file]
            if 1 <= p.line <= len(lines):
                p = dataclasses.replace(p, source_line=lines[p.line - 1])
        out.append(p)
    return out


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as editors see it: relative to the project root when possible."""
    root = root or Path.cwd()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
