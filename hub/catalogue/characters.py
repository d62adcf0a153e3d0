"""Characters that must not reach a page or a feed: refused (control and direction characters) or noted.

`check_characters` finds them in a file's text before libyaml sees it, each at its line and column
(libyaml would reject a control character without saying where, and direction overrides would make
text display in another order than it is stored); `escaped_character` finds the same characters
written with a backslash escape inside a double-quoted value. `character_problem` words each one.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from hub.catalogue.listing import MAX_LISTED, Listing
from hub.problems import Problem, Severity

_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
_INVISIBLE = r"\u200b\u2060"
_SPECIAL_CHARACTER = re.compile(f"[{_REFUSED}{_INVISIBLE}]")
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
    """
    if text.isascii():
        if not text.encode("ascii").translate(None, _NOT_ASCII_CONTROL):  # five times the regex's speed
            return [], []
    elif not _SPECIAL_CHARACTER.search(text):
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
    return refused + listing.notes(["control-character"]), noted + listing.notes(["invisible-character"])


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
