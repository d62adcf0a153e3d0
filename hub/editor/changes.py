"""What `hub fmt --check` would change, said as instructions at the editor's lines (issue #15, item 2).

Editors fix layout in GitHub's web editor, where a unified diff (``@@ -363,10 +363,10 @@``) is
hard to read and invisible differences (a trailing space, a missing newline at the end) look like
two identical lines. `describe` compares a file as it is with its canonical text, line by line
(`difflib`), and turns each difference into a `Change`: the line, an instruction ("remove the 2
spaces at the end of this line", "indent this line by 4 spaces, not 6", "the quotes around this
text are not needed", "move this line to below line 12"), and the lines to write when the
instruction needs them. A difference it cannot name gets a generic sentence and both versions
shown with `visible_whitespace`, so no two lines ever look the same.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from hub.problems import visible

ORDER_HINT = "fields go in the order of the field reference in CONTRIBUTING.md"


@dataclass(frozen=True)
class Change:
    """One instruction: the lines it is about (1-based, in the file as it is now) and what to do."""

    line: int
    message: str
    end: int | None = None
    """The last line of a run of lines the instruction covers (None: one line)."""
    now: tuple[str, ...] = ()
    """The lines as they are, shown only when the instruction alone cannot say the difference."""
    wanted: tuple[str, ...] = ()
    """The lines to write instead, when the instruction needs them."""

    def where(self) -> str:
        return f"lines {self.line}-{self.end}" if self.end and self.end != self.line else f"line {self.line}"

    def detail_lines(self) -> list[str]:
        """The lines under the instruction: as they are now, then what to write (whitespace made visible)."""
        out = [f"now:   {visible_whitespace(x)}" for x in self.now]
        return out + [f"write: {visible_whitespace(x)}" for x in self.wanted]

    def text(self) -> str:
        """The instruction and the lines to write, for a person reading a log or an annotation."""
        extra = self.detail_lines()
        note = "  (· is a space, → a tab)" if any("·" in x or "→" in x for x in extra) else ""
        return "\n".join([self.message + note, *(f"    {x}" for x in extra)])


def visible_whitespace(line: str) -> str:
    """A line with its spaces at the end as ·, tabs as →, no-break spaces as ⍽; nothing invisible left."""
    body = line.rstrip(" \t")
    tail = line[len(body):].replace(" ", "·").replace("\t", "→")
    return visible(body.replace("\t", "→").replace("\u00a0", "⍽") + tail) or "(an empty line)"


def describe(before: str, after: str) -> list[Change]:
    """Every difference between a file (``before``, as read) and its canonical text, as instructions."""
    changes: list[Change] = []
    if before.startswith("\ufeff"):
        changes.append(Change(1, "remove the invisible byte-order mark at the start of the file "
                                 "(save the file as UTF-8 without BOM)"))
        before = before[1:]
    if "\r" in before:
        changes.append(Change(1, "the file has Windows line endings (CRLF): save it with Unix line endings (LF)"))
        before = before.replace("\r\n", "\n").replace("\r", "\n")
    old, new = _lines(before), _lines(after)
    if before and not before.endswith("\n"):
        changes.append(Change(len(old), "add a newline at the end of the file (after the last line)"))
    ops = difflib.SequenceMatcher(lambda x: not x.strip(), old, new, autojunk=False).get_opcodes()
    moves, moved_in = _moves(ops, old, new)
    for hunk in _hunks(ops):
        reordered = _reordered(old, new, hunk)
        if reordered:
            changes.append(reordered)
        else:
            changes += _one_by_one(old, new, hunk, moves, moved_in)
    return sorted(changes, key=lambda c: c.line)


def _hunks(ops: list) -> list[list]:
    """The differences, those less than 3 equal lines apart joined (fields of one record swapped)."""
    hunks: list[list] = []
    gap = None
    for op in ops:
        if op[0] == "equal":
            gap = op
        elif hunks and (gap is None or gap[2] - gap[1] < 3):
            hunks[-1] += ([gap] if gap else []) + [op]
            gap = None
        else:
            hunks.append([op])
            gap = None
    return hunks


def _reordered(old: list[str], new: list[str], hunk: list) -> Change | None:
    """The same lines in another order (fields sorted into the model's order): one instruction."""
    i1, i2, j1, j2 = hunk[0][1], hunk[-1][2], hunk[0][3], hunk[-1][4]
    a, b = old[i1:i2], new[j1:j2]
    key_a, key_b = _fields(a), _fields(b)
    if len(key_a) < 2 or key_a == key_b or sorted(key_a) != sorted(key_b):
        return None
    also = "" if sorted(a) == sorted(b) else ", indented as shown"
    return Change(i1 + 1, f"put these lines in the order shown{also}: {ORDER_HINT}", end=i2, wanted=tuple(b))


def _one_by_one(old: list[str], new: list[str], hunk: list, moves: dict, moved_in: set) -> list[Change]:
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in hunk:
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            changes += _pairs(old, new, i1, i2, j1)
        elif tag == "replace":
            changes.append(_block(old, new, i1, i2, j1, j2))
        elif tag == "delete":
            changes.append(moves.get((i1, i2)) or _removed(old, i1, i2))
        elif (i1, j1, j2) not in moved_in:
            changes.append(_inserted(old, new, i1, j1, j2))
    return changes


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _moves(ops: list, old: list[str], new: list[str]) -> tuple[dict, set]:
    """Deleted lines that reappear, exactly, as inserted lines elsewhere (a field in the wrong place):
    the instruction for each deletion, and the insertions they account for."""
    inserts = [(i1, j1, j2) for tag, i1, _, j1, j2 in ops if tag == "insert"]
    out: dict = {}
    used: set = set()
    for tag, i1, i2, _, _ in ops:
        if tag != "delete" or not "".join(old[i1:i2]).strip():
            continue
        for ins in inserts:
            near = i1 - 1 <= ins[0] <= i2 + 1  # next to where they were: blank lines changed, not a move
            moved, into = _content(old[i1:i2]), _content(new[ins[1]:ins[2]])
            also, wanted = _also(moved, into)
            if ins not in used and (moved == into and not near or also):
                below = ins[0]  # the inserted lines go after old line `below` (1-based)
                lines = "this line" if i2 - i1 == 1 else f"these {i2 - i1} lines"
                after = old[below - 1].strip()[:40] if below else ""
                target = (f"below line {below}" + (f" ({after})" if after else "")) if below else "to the top"
                also = f"; also: {also}" if also else ""
                out[(i1, i2)] = Change(i1 + 1, f"move {lines} {target} ({ORDER_HINT}){also}", end=i2,
                                       wanted=wanted)
                used.add(ins)
                break
    return out, used


def _also(moved: list[str], into: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """What else changes in a moved field (its quotes, its folding), and the lines to write if needed."""
    if len(moved) == len(into) == 1:
        return describe_line(moved[0], into[0]), ()
    key = _ITEM.match(moved[0]) if moved else None
    if key and key["key"] and len(moved) == 1 and into and _ITEM.match(into[0])["key"] == key["key"]:
        return _block(moved, into, 0, 1, 0, len(into)).message, tuple(into)
    return None, ()


def _fields(lines: list[str]) -> list[str]:
    """The lines without indentation, list dashes and blank lines: what a reordering keeps."""
    return [re.sub(r"^ *(- +)?", "", x) for x in lines if x.strip()]


def _content(lines: list[str]) -> list[str]:
    return [x for x in lines if x.strip()]


def _removed(old: list[str], i1: int, i2: int) -> Change:
    if all(not x.strip() for x in old[i1:i2]):
        where = " at the end of the file" if i2 == len(old) else ""
        what = "this blank line" if i2 - i1 == 1 else f"these {i2 - i1} blank lines"
        return Change(i1 + 1, f"remove {what}{where}", end=i2)
    what = "this line" if i2 - i1 == 1 else f"these {i2 - i1} lines"
    return Change(i1 + 1, f"remove {what}", end=i2, now=tuple(old[i1:i2]))


def _inserted(old: list[str], new: list[str], i1: int, j1: int, j2: int) -> Change:
    added = new[j1:j2]
    line = min(i1 + 1, max(len(old), 1))
    if all(not x.strip() for x in added):
        what = "a blank line" if len(added) == 1 else f"{len(added)} blank lines"
        return Change(line, f"add {what} above this line" if i1 < len(old) else f"add {what} after this line")
    return Change(line, "add these lines above this line" if i1 < len(old) else "add these lines at the end",
                  wanted=tuple(added))


def _pairs(old: list[str], new: list[str], i1: int, i2: int, j1: int) -> list[Change]:
    """Lines changed one for one; a run of lines all re-indented by the same amount is one change."""
    out: list[Change] = []
    k = i1
    while k < i2:
        a, b = old[k], new[j1 + k - i1]
        shift = _indent(b) - _indent(a)
        if a.strip() == b.strip() and a.strip() and shift:
            end = k
            while end + 1 < i2 and old[end + 1].strip() == new[j1 + end + 1 - i1].strip() \
                    and old[end + 1].strip() and _indent(new[j1 + end + 1 - i1]) - _indent(old[end + 1]) == shift:
                end += 1
            if end == k:
                out.append(Change(k + 1, f"indent this line by {_indent(b)} spaces, not {_indent(a)}"))
            else:
                more = f"{shift} more spaces" if shift > 0 else f"{-shift} fewer spaces"
                out.append(Change(k + 1, f"indent each of these {end - k + 1} lines by {more} (line {k + 1}: "
                                         f"{_indent(b)} spaces, not {_indent(a)})", end=end + 1))
            k = end + 1
            continue
        message = describe_line(a, b)
        out.append(Change(k + 1, message) if message else
                   Change(k + 1, "change this line as shown", now=(a,), wanted=(b,)))
        k += 1
    return out


def _block(old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int) -> Change:
    a, b = old[i1:i2], new[j1:j2]
    head = b[0].rstrip()
    if len(a) == 1 and a[0].rstrip().endswith("]") and head.endswith(":") or head.endswith(": []"):
        message = "write this list one item per line, each starting with '- ', as shown"
    elif head.endswith((">-", "- >-")) and len(a) < len(b) or len(a) == 1 and len(b) > 1 and head.endswith(">-"):
        message = ("this text is longer than 100 characters: write it as a folded block, with >- after "
                   "the colon and the text on the lines below, as shown")
    else:
        what = "this line" if len(a) == 1 else f"these {len(a)} lines"
        message = f"write {what} as shown"
        return Change(i1 + 1, message, end=i2, now=tuple(a), wanted=tuple(b))
    return Change(i1 + 1, message, end=i2, wanted=tuple(b))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_ITEM = re.compile(r"^(?P<pad> *)(?P<dash>- +)?(?:(?P<key>[^\s'\"#][^:#]*?)(?P<colon>: *|:$))?(?P<rest>.*)$")


def describe_line(a: str, b: str) -> str | None:
    """One line's change as an instruction, or None when it is none of the changes fmt makes."""
    body = a.rstrip(" \t")
    if body == b and a != b:
        tail = a[len(body):]
        what = ("the space" if tail == " " else f"the {len(tail)} spaces" if set(tail) == {" "}
                else "the tab" if tail == "\t" else "the spaces and tabs")
        after = "the link" if re.search(r"(https?://|mailto:)\S*$", body) else f"'{body.strip()[-30:]}'"
        return f"remove {what} at the end of this line (after {after})"
    if body != a:  # spaces at the end, and another change
        rest = describe_line(body, b)
        return f"{rest}; also remove the spaces at the end of the line" if rest else None
    if _indent(a) != _indent(b):
        moved = " " * _indent(b) + a.lstrip(" ")
        rest = describe_line(moved, b)
        return f"indent this line by {_indent(b)} spaces, not {_indent(a)}, and {rest[:1].lower()}{rest[1:]}" \
            if rest else None
    ma, mb = _ITEM.match(a), _ITEM.match(b)
    if not (ma and mb):
        return None
    if (ma["dash"] or "") != (mb["dash"] or ""):
        return "write one space after the dash (- )" if ma["dash"] and mb["dash"] else None
    if ma["key"] != mb["key"]:
        return None
    if ma["colon"] != mb["colon"] and ma["rest"] == mb["rest"]:
        return "write one space after the colon (: )"
    va, vb = _split_comment(ma["rest"]), _split_comment(mb["rest"])
    if va[0].rstrip() == vb[0].rstrip() and (va[1] != vb[1] or va[0] != vb[0]):  # the comment, or before it
        if va[1] == vb[1] and va[0].rstrip() == vb[0].rstrip():
            return "put two spaces (no more) before the # of the comment"
        return "put a space after the # that starts the comment" if va[1].replace("# ", "#") == vb[1].replace(
            "# ", "#") else None
    if va[1] != vb[1]:
        return None
    return _quoting(va[0].rstrip(), vb[0].rstrip())


def _split_comment(rest: str) -> tuple[str, str]:
    """A value and its end-of-line comment (a # after a space, outside quotes, is a comment)."""
    if rest.startswith("#"):
        return "", rest
    quote = None
    for i, ch in enumerate(rest):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"" and (i == 0 or rest[i - 1] == " "):
            quote = ch
        elif ch == "#" and i and rest[i - 1] == " ":
            return rest[:i], rest[i:]
    return rest, ""


def _quoting(va: str, vb: str) -> str | None:
    quoted = {"'": "single", '"': "double"}
    if va[:1] in quoted and va[-1:] == va[:1] and vb[:1] not in quoted:
        return "the quotes around this text are not needed: remove them"
    if vb[:1] in quoted and va[:1] not in quoted:
        if re.fullmatch(r"\+?[\d ()-]+", va):
            why = f" (unquoted, YAML reads {va} as a number and drops its leading 0)" if re.fullmatch(r"0\d*", va) \
                else ""
            return f"a phone number is always written in {quoted[vb[0]]} quotes: {vb}{why}"
        return f"write this text in {quoted[vb[0]]} quotes: {vb}"
    if va[:1] in quoted and vb[:1] in quoted and va[:1] != vb[:1]:
        return f"use {quoted[vb[0]]} quotes here instead of {quoted[va[0]]} quotes: {vb}"
    return None
