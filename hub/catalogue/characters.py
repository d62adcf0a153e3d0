"""Characters that must not reach a page or a feed: refused (control and direction characters) or noted.

`check_characters` finds them in a file's text before libyaml sees it, each at its line and column
(libyaml would reject a control character without saying where, and direction overrides would make
text display in another order than it is stored); `escaped_character` finds the same characters
written with a backslash escape inside a double-quoted value. `character_problem` words each one.
`nbsp_problems` finds non-breaking spaces: refused where the file needs an ordinary space, noted
inside text.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from hub.catalogue.listing import MAX_LISTED, Listing
from hub.problems import Problem, Severity

_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
_INVISIBLE = r"\u200b\u2060"
NBSP = "\u00a0"
_SPECIAL_CHARACTER = re.compile(f"[{_REFUSED}{_INVISIBLE}]")
_CHECKED = re.compile(f"[{_REFUSED}{_INVISIBLE}{NBSP}]")
_NOT_ASCII_CONTROL = bytes(b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F
                                                          or b == 0x7F))
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
                  0x0C: "FORM FEED", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def check_characters(text: str, shown: str) -> tuple[list[Problem], list[Problem]]:
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
    U+00A0 NO-BREAK SPACE: one problem a line, refused where YAML needs an
    ordinary space, warned inside text (`nbsp_problems`).
    """
    if text.isascii():
        if not text.encode("ascii").translate(None, _NOT_ASCII_CONTROL):  # five times the regex's speed
            return [], []
    elif not _CHECKED.search(text):
        return [], []
    refused: list[Problem] = []
    noted: list[Problem] = []
    listing = Listing(shown)
    line, counted = 1, 0
    for match in _SPECIAL_CHARACTER.finditer(text):
        at, char = match.start(), match.group()
        if at == 0 and char == "\ufeff":
            continue  # a byte-order mark that was not taken off when the file was decoded
        line += text.count("\n", counted, at)
        counted = at
        problem = character_problem(char, shown, line, at - text.rfind("\n", 0, at))
        if listing.keep(problem):
            (noted if problem.severity is Severity.WARNING else refused).append(problem)
        elif listing.counts[problem.code] > 10 * MAX_LISTED:
            listing.stopped = True  # a binary file: enough said
            break
    refused += listing.notes(["control-character"])
    noted += listing.notes(["invisible-character"])
    if NBSP in text:
        spaces = nbsp_problems(text, shown)
        errors = [problem for problem in spaces if problem.severity is Severity.ERROR]
        (refused if errors else noted).extend(spaces)
        refused.sort(key=_place)
        noted.sort(key=_place)
    return refused, noted


def _place(problem: Problem) -> tuple[bool, int, int]:
    return problem.line is None, problem.line or 0, problem.column or 0


def character_problem(char: str, shown: str, line: int, column: int) -> Problem:
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


def escaped_character(value: str, shown: str, line: int, column: int) -> Problem | None:
    """The first character `check_characters` reports that a double-quoted `value` holds as an escape."""
    found = _SPECIAL_CHARACTER.search(value)
    if not found:
        return None
    problem = character_problem(found.group(), shown, line, column)
    return dataclasses.replace(
        problem, message=f"{problem.message} (written with a backslash escape in this quoted text)",
        hint=f"remove the escape (\\u{ord(found.group()):04x} or the like) from the text")


_NBSP_MARKS = re.compile("[ \u00a0]*(?:-[ \u00a0]+)*(?:-|[A-Za-z_][\\w-]*:)")
"""What may stand before a non-breaking space on its line for YAML to need an ordinary space just there:
the '-' of a list item, or a field name and its ':' (or only the indentation before it)."""
_BLOCK_MARKER = re.compile(r"(?:^|[ :-])[|>][-+]?[1-9]?[ ]*(?:#.*)?$")


def nbsp_problems(text: str, shown: str) -> list[Problem]:
    """One problem for each line with a U+00A0 NO-BREAK SPACE, at the first one that matters most.

    Where YAML needs an ordinary space (in the indentation, after the '-' of a list item, after a field
    name's ':') a non-breaking space is not a space to it, and the line stops making sense (often with
    a message one line further down): an error, at the character. Inside text it is harmless to YAML
    and looks like a space on the page, but search and copied text treat it as another character: a
    warning. A line of a block of text (under '>-' or '|') is all text.
    """
    lines = text.split("\n")
    in_text = None
    problems = []
    listing = Listing(shown)
    for number, line in enumerate(lines):
        first = line.find(NBSP)
        if first < 0:
            continue
        if listing.counts["non-breaking-space"] >= 10 * MAX_LISTED:
            listing.stopped = True  # enough said
            break
        breaking = next((at for at in _positions(line, first) if _needs_a_space(line[:at])), None)
        if breaking is not None and in_text is None:
            in_text = _block_text_lines(lines)
        fixed = line.replace(NBSP, " ")
        if breaking is not None and number not in in_text:
            spaces = len(fixed) - len(fixed.lstrip(" "))
            if breaking < spaces:
                word = fixed.strip().split(":")[0]
                word = word if len(word) <= 30 else word[:30] + "…"
                hint = (f"delete the spaces before '{word}' and type {spaces} ordinary "
                        f"{'space' if spaces == 1 else 'spaces'} instead")
            else:
                shown_line = fixed.strip()
                shown_line = shown_line if len(shown_line) <= 80 else shown_line[:80] + "…"
                hint = f"delete it and type an ordinary space, so that the line reads: {shown_line}"
            problem = Problem(
                shown, number + 1, breaking + 1, "non-breaking-space",
                "an invisible non-breaking space (often pasted from Word or a web page) is here: replace it "
                "with an ordinary space", hint=hint)
        else:
            count = line.count(NBSP)
            more = f" ({count - 1} more on this line)" if count > 1 else ""
            problem = Problem(
                shown, number + 1, first + 1, "non-breaking-space",
                f"a non-breaking space (often pasted from Word or a web page) is here{more}; it looks like "
                "a space, but search and copied text treat it as a different character",
                severity=Severity.WARNING, hint="replace it with an ordinary space, unless it is wanted here")
        if listing.keep(problem):
            problems.append(problem)
    return problems + listing.notes()


def _positions(line: str, at: int):
    """The places of the non-breaking spaces from `at` on, among a line's first 200 characters (the
    indentation, '- ' marks and field name before a value are far shorter)."""
    while 0 <= at < 200:
        yield at
        at = line.find(NBSP, at + 1)


def _needs_a_space(before: str) -> bool:
    """True when YAML needs an ordinary space after `before`, the start of a line (or nothing but it)."""
    return not before.strip(" " + NBSP) or bool(_NBSP_MARKS.fullmatch(before))


def _block_text_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines that are text of a block under '>-' or '|' (blank lines included)."""
    inside: set[int] = set()
    owner = indent = None
    for number, line in enumerate(lines):
        stripped = line.lstrip(" ")
        spaces = len(line) - len(stripped)
        if owner is not None:
            if not stripped.strip(" \t"):
                inside.add(number)
                continue
            if indent is None and spaces > owner:
                indent = spaces
            if indent is not None and spaces >= indent:
                inside.add(number)
                continue
            owner = indent = None
        if _BLOCK_MARKER.search(line):
            owner = spaces
    return inside
