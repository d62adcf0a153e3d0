"""A YAML syntax error in the words of the person editing the file, at the line they got wrong.

libyaml's messages speak of its parser ("did not find expected key", "mapping values are not
allowed here") and point where it gave up, which for an unclosed quote is often 20 or 30 lines
after the mistake (issue #15). `syntax_problem` looks at the text itself:

1. a quote or bracket opened and never closed (`hub.catalogue.openings`), confirmed by closing it
   and letting libyaml read the file again, is reported where it opens (`unclosed-quote`,
   `unclosed-bracket`), and text after a closing quote where that quote is (`text-after-quote`);
2. otherwise libyaml's line is kept and what is wrong on it is said in counts and examples: the
   spaces a line starts with against those of the record it belongs to (`bad-indent`), a ': '
   inside a value (`colon-in-value`; in curly quotes from Word, the hint has straight ones), a
   list item that lost its '- ' (`missing-dash`), a line with no ':' (`missing-colon`), a value
   starting with a character YAML reserves (`reserved-character`), a backslash in double quotes
   (`bad-escape`), a list item on its field's line (`item-on-field-line`), text after '>-'
   (`text-after-marker`);
3. anything else is `yaml-syntax`, still without the parser's vocabulary.

Every code is explained in CONTRIBUTING.md ("Reading the file").
"""

from __future__ import annotations

import re

import yaml as libyaml

from hub.catalogue.openings import Opening, first_opening
from hub.problems import Problem

CONFIRM_LIMIT = 4 * 1024 * 1024
"""Up to this many characters, a guessed unclosed quote is confirmed by reading the file again with it
closed (a few milliseconds for the real catalogue); a bigger file is trusted to the guess."""

_PARSER = libyaml.CSafeLoader if libyaml.__with_libyaml__ else libyaml.SafeLoader
"""Only the syntax is read again (parse events, nothing resolved), so the plain loader will do."""

_INDENT = re.compile(r"( *)(- +)*")
_CURLY_PAIRS = {"\u201c": "\u201d", "\u2018": "\u2019"}
"""Quote marks a word processor puts around text (“…”, ‘…’): to YAML they are letters, so they stay in the value."""
_FIELD = re.compile(r"[^\s#'\"\[\]{},:-][^:#]*?:(?: |$)")


def _curly_pair(value: str) -> bool:
    """A value wrapped in one matching pair of curly quotes (“…” or ‘…’) with no other mark of that pair
    inside: an apostrophe (’) or a quoted phrase inside stays, and the plain hint is given instead."""
    if len(value) < 2 or _CURLY_PAIRS.get(value[0]) != value[-1]:
        return False
    inner = value[1:-1]
    return value[0] not in inner and value[-1] not in inner


def syntax_problem(exc: libyaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    """The located problem for libyaml's syntax error `exc` in `text`."""
    lines = text.split("\n")
    what = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    if "could not find expected ':'" in what and exc.context_mark is not None:
        mark = exc.context_mark  # the line without a colon; the problem mark is on the next one
    line = mark.line if mark else len(lines) - 1
    column = mark.column if mark else 0
    opening = first_opening(lines, line)
    if opening and (opening.after_quote is not None or _confirmed(opening, lines, line)):
        return _opening_problem(opening, lines, shown)
    source = lines[line] if 0 <= line < len(lines) else ""

    def problem(code: str, message: str, hint: str, at: int | None = None) -> Problem:
        return Problem(shown, line + 1, (column if at is None else at) + 1, code, message, hint=hint)

    indent = _indent_problem(lines, line, column, what)
    if indent:
        return problem("bad-indent", *indent, at=len(source) - len(source.lstrip(" ")))
    if "mapping values are not allowed" in what:
        field = _FIELD.match(source, _content_column(source))
        if field and column >= field.end() - 1:
            name = field.group().rstrip(": ")
            value = source[field.end():].strip()
            if _curly_pair(value):
                hint = f"replace the curly quotes (from Word) with straight ones: {name}: {_quoted(value[1:-1])}"
            else:
                hint = f"put the whole value in quotes: {name}: {_quoted(value)}"
            return problem("colon-in-value",
                           f"the value of '{name}' contains ': ', which YAML reads as the start of another field",
                           hint)
    if "could not find expected ':'" in what:
        item = _list_neighbour(lines, line)
        if item:
            example = "- " + source.strip()
            return problem("missing-dash", f"this line is in a list, but it does not start with '- ' like the "
                                           f"lines {item} it",
                           f"start it with '- ', like the other items: {example}", at=_content_column(source))
        return problem("missing-colon", "this line is not 'field: value': there is no ':' after a field name",
                       "if it goes on with the text of the line above, indent it further than that line's field "
                       "name (or put the whole text in quotes); otherwise add the ':' after the field name",
                       at=_content_column(source))
    char = source[column:column + 1]
    if ("cannot start any token" in what or "expected node content" in what) and char and char in "@`%]},|>?*&!":
        name = field.group().rstrip(": ") if (field := _FIELD.match(source, _content_column(source))) else ""
        example = f"{name}: {_quoted(source[column:].strip())}" if name else _quoted(source[column:].strip())
        return problem("reserved-character", f"a value cannot start with '{char}' unless it is in quotes",
                       f"put the value in quotes: {example}")
    if "escape" in what or "hexdecimal" in what:
        backslash = source.rfind("\\", 0, column + 1)
        at = backslash if backslash >= 0 else column
        return problem("bad-escape",
                       f"inside double quotes a backslash starts a special character, and "
                       f"'{source[at:at + 2]}' is not one",
                       "write the backslash twice (\\\\), or use single quotes around the text instead",
                       at=at)
    if "block sequence entries are not allowed" in what:
        return problem("item-on-field-line", "a list item ('- ') cannot start on the same line as its field",
                       "put each item on its own line under the field, indented 2 spaces further, starting with '- '")
    if "while scanning a block scalar" in (exc.context or ""):
        return problem("text-after-marker", "text cannot follow '>-' or '|' on the same line",
                       "start the text on the next line, indented 2 spaces further than the field name")
    if "',' or ']'" in what or "',' or '}'" in what:
        close = "]" if "]" in what else "}"
        return problem("unclosed-bracket", f"a ',' between two items or the closing '{close}' is missing here",
                       f"separate the items with commas and close the list with '{close}'; or write the items one "
                       "per line, each starting with '- '")
    return problem("yaml-syntax", "this line cannot be read as 'field: value' lines and '- ' list items",
                   "check the indentation and punctuation of this line and the one above it; "
                   "text with ': ', ' #' or a leading quote needs quotes around it")


def _confirmed(opening: Opening, lines: list[str], error_line: int) -> bool:
    """True when closing the quote or bracket lets libyaml read past the place it is closed."""
    if opening.line > error_line:
        return False
    if sum(len(line) + 1 for line in lines) > CONFIRM_LIMIT:
        return True
    fixed = list(lines)
    for line, column, char in sorted(opening.closes, key=lambda c: (c[0], c[1]), reverse=True):
        fixed[line] = fixed[line][:column] + char + fixed[line][column:]
    last = max((line for line, _, _ in opening.closes), default=opening.line)
    try:
        for _ in libyaml.parse("\n".join(fixed), Loader=_PARSER):
            pass
    except libyaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line > last
    return True


def _opening_problem(opening: Opening, lines: list[str], shown: str) -> Problem:
    source = lines[opening.line]
    line = opening.line + 1
    if opening.after_quote is not None:
        quote = opening.char
        word = source[opening.column + 1:opening.after_quote]
        word = "…" + word[-30:] if len(word) > 30 else word
        inside = source[opening.column + 1:].rstrip().rstrip(quote)
        if quote == "'":
            hint = (f"inside single quotes, write an apostrophe twice ('{inside.replace(chr(39), chr(39) * 2)}'), "
                    f"or use double quotes: \"{inside}\"")
        else:
            hint = f"inside double quotes, write a quote mark as \\\" or use single quotes: '{inside}'"
        return Problem(shown, line, opening.after_quote + 1, "text-after-quote",
                       f"the quoted text ends at this {quote} after '{word}', and the rest of the line cannot "
                       "follow it", hint=hint)
    if opening.char in "\"'":
        close_line, close_column, _ = opening.closes[0]
        end = lines[close_line][:close_column].rstrip()
        example = end.strip() + opening.char if close_line == opening.line else None
        where = f": {example}" if example and len(example) <= 80 else ""
        return Problem(shown, line, opening.column + 1, "unclosed-quote",
                       f"this quoted text starting here is never closed (no {opening.char} at its end)",
                       hint=f"add the closing {opening.char} at the end of the text{where}")
    close = "]" if opening.char == "[" else "}"
    return Problem(shown, line, opening.column + 1, "unclosed-bracket",
                   f"this '{opening.char}' is never closed (no '{close}' after the last item)",
                   hint=f"add '{close}' after the last item, or write the items one per line, each starting "
                        "with '- ' and without brackets")


def _quoted(value: str) -> str:
    """`value` in the quotes that keep it as it is: double ones, or single ones around a '"' or a '\\'."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def _list_neighbour(lines: list[str], line: int) -> str | None:
    """'above' or 'below' when the nearest line above or below `line`, at its indentation, is a '- ' item."""
    spaces = len(lines[line]) - len(lines[line].lstrip(" "))
    for where, numbers in (("above", range(line - 1, -1, -1)), ("below", range(line + 1, len(lines)))):
        for number in numbers:
            stripped = lines[number].lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if len(lines[number]) - len(stripped) == spaces and (stripped.startswith("- ") or stripped == "-"):
                return where
            break
    return None


def _content_column(source: str) -> int:
    """Where a line's field name (or value) starts: after its spaces and '- ' marks."""
    return _INDENT.match(source).end()


def _indent_problem(lines: list[str], line: int, column: int, what: str) -> tuple[str, str] | None:
    """Counts for a line that starts with too many or too few spaces, if that is what is wrong."""
    if not 0 <= line < len(lines):
        return None
    source = lines[line]
    spaces = len(source) - len(source.lstrip(" "))
    is_item = source.lstrip(" ").startswith("- ") or source.strip() == "-"
    is_field = bool(_FIELD.match(source, spaces))
    if not (is_item or is_field) or not any(
            words in what for words in ("expected key", "'-' indicator", "mapping values", "block sequence")):
        return None
    if "mapping values" in what and not (is_field and column <= _FIELD.match(source, spaces).end()):
        return None  # a ': ' later in the line: a colon in the value, not a line too deep
    fields, items = _levels(lines, line)
    if is_item:
        if not items or spaces in items:
            return None
        above = min(items, key=lambda col: (abs(col - spaces), -col))
        return (f"this list item starts with {spaces} spaces; the items above it start with {above}",
                f"start the line with {above} spaces, like the other items of the list")
    if not fields or spaces in fields:
        return None
    expected = min(fields, key=lambda col: (abs(col - spaces), -col))
    if expected == 0:
        return (f"this line starts with {spaces} spaces; the top-level fields of the file start at the left "
                "margin, with none", "remove the spaces at the start of the line")
    return (f"this line starts with {spaces} spaces; the other fields of this record start with {expected}",
            f"start the line with {expected} spaces, like the fields above it")


def _levels(lines: list[str], line: int) -> tuple[list[int], list[int]]:
    """The columns of the fields and of the '- ' items that are open above `line`, nearest first.

    Walks back from the line above: that line's columns, then each earlier line that starts with fewer
    spaces than any seen so far (its parents). Comments, blank lines and lines of text (those that
    are neither a field nor an item) are skipped.
    """
    fields: list[int] = []
    items: list[int] = []
    smallest = None
    for number in range(line - 1, -1, -1):
        source = lines[number]
        stripped = source.lstrip(" ")
        if not stripped or stripped.startswith("#") or source[:3] in ("---", "..."):
            continue
        spaces = len(source) - len(stripped)
        if smallest is not None and spaces >= smallest:
            continue
        at = spaces
        found = False
        while source.startswith("-", at) and source[at + 1:at + 2] in ("", " "):
            items.append(at)
            found = True
            at = _skip(source, at + 1)
        if _FIELD.match(source, at):
            fields.append(at)
            found = True
        if found:
            smallest = spaces
            if spaces == 0:
                break
    return fields, items


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] == " ":
        at += 1
    return at
