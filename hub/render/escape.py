"""Escaping of catalogue text for the three places it lands: Markdown, raw HTML and plain text.

Everything an editor writes in the YAML is data, never markup (issue #8). The
templates print values through `finalize`, which runs `md_text` on anything
not already marked safe, so forgetting a filter escapes too much, never too
little. Three filters mark their output safe:

* `md_text`: literal text inside Markdown (headings, paragraphs, link text).
  HTML specials become entities; every character Python-Markdown (and its
  `tables` and `attr_list` extensions) treats as syntax gets a backslash.
* `md_inline`: the fields the model documents as "inline Markdown" (summaries,
  intros, notices). Emphasis, code and http(s)/mailto links survive; raw HTML,
  images, other link schemes, attribute lists and block syntax do not.
* `h`: text inside the raw HTML blocks (the Browse-all table, the figures
  grid), where Markdown does not run and only HTML escaping applies.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from hub.catalogue.fields import PHONE_PATTERN, SLUG_PATTERN

# md_text escapes Python-Markdown's ESCAPED_CHARS plus `|` (tables) with a
# backslash; `<`, `>` and `&` become entities instead, as Python-Markdown has
# no backslash escape for `<`. The tables say what each character becomes;
# `_replace_all` applies them with chained str.replace, which is ten times
# faster than str.translate or a regular expression (render() escapes a few
# hundred thousand values at 10,000 resources). The backslash and `&` go first,
# so that no replacement is escaped again.
MD_ESCAPES = {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;",
              **{c: "\\" + c for c in "`*_{}[]()#+-.!|"}}
HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


_MD_SPECIAL = re.compile("[" + re.escape("".join(MD_ESCAPES)) + "]")


def _replace_all(text: str, table: dict[str, str]) -> str:
    if table is MD_ESCAPES and not _MD_SPECIAL.search(text):
        return text  # names, journals and most words need no escaping
    for char, replacement in table.items():
        if char in text:
            text = text.replace(char, replacement)
    return text


_ALLOWED_LINK = re.compile(
    r"\[(?P<text>[^\[\]\n]+)\]\(\s*<?(?P<url>(?:https?://|mailto:)[^\s<>]+?)>?\s*\)"
)
_UNSAFE_INLINE = re.compile(r"([\\\[\]{}!|#])")
_BLOCK_START = re.compile(r"^(\s*)([>#=+-]|\d+[.)]|[*_](?=\s|$)|[*_](?=(?:\s*[*_]){2,}\s*$))")
"""What would start a block if it began a value: a quote, heading, list item (``-``, ``+``, ``*``,
``1.``), setext underline or rule (``***``, ``___``). Its first character is escaped; emphasis
(``*word*``, ``**bold**``) is not a block and stays."""
_new_str = str.__new__
"""``_new_str(Markup, text)`` marks text safe without `Markup.__new__`'s checks (text is already a str)."""


def one_line(value: object) -> str:
    """The value as text on one line (YAML block scalars may hold newlines)."""
    return " ".join(str(value).split())


def html_entities(text: str) -> str:
    """`&`, `<` and `>` as entities; Markdown passes entities through untouched."""
    return _replace_all(text, HTML_ESCAPES)


def md_text(value: object) -> Markup:
    """Literal text for a Markdown context: no character of it can become markup."""
    if type(value) is str:
        return _md_text_of_str(value)
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return _md_text_of_str(str(value))


@lru_cache(maxsize=32768)
def _md_text_of_str(text: str) -> Markup:
    # Cached: a title is printed three times per entry, and names and journals
    # come back entry after entry. Only exact str values reach the cache, so a
    # Markup (which compares equal to its text) never gets a plain string's escaping.
    return _new_str(Markup, _replace_all(" ".join(text.split()), MD_ESCAPES))


def md_inline(value: object) -> Markup:
    """Editor-written inline Markdown, with only emphasis, code and web/mail links left active."""
    if value is None:
        return Markup("")
    text = html_entities(one_line(value))
    out: list[str] = []
    pos = 0
    for match in _ALLOWED_LINK.finditer(text):
        out.append(_UNSAFE_INLINE.sub(r"\\\1", text[pos:match.start()]))
        label = _UNSAFE_INLINE.sub(r"\\\1", match.group("text"))
        url = match.group("url").replace(">", "%3E").replace("<", "%3C")
        out.append(f"[{label}](<{url}>)")
        pos = match.end()
    out.append(_UNSAFE_INLINE.sub(r"\\\1", text[pos:]))
    result = "".join(out)
    # A value that starts like a list, quote or heading stays a paragraph.
    result = _BLOCK_START.sub(_escape_block_start, result, count=1)
    return Markup(result)


def _escape_block_start(match: re.Match) -> str:
    indent, start = match.group(1), match.group(2)
    if start[0].isdigit():  # "1. item": the full stop is what makes a list ("1\\. item")
        return f"{indent}{start[:-1]}\\{start[-1]}"
    return f"{indent}\\{start}"


def h(value: object) -> Markup:
    """Text for a raw HTML context (attribute values included)."""
    if value is None:
        return Markup("")
    return _new_str(Markup, html_attr(value))


def html_text(value: object) -> Markup:
    """Text for the content of a raw HTML element: like `h`, but spaces are kept as they are."""
    if value is None:
        return Markup("")
    return _new_str(Markup, str.__str__(escape(str(value))))


def theme_text(value: object) -> str:
    """Text for a place the theme prints without escaping: nav titles and front-matter `description`.

    Material's and Zensical's templates print `nav` titles and
    `page.meta.description` as they are (into element text and into
    ``content="…"``), so the build hands them text already escaped for an
    attribute. The theme's `<title>` is overridden to `striptags | e`
    (overrides/main.html), which decodes these entities once and escapes again.
    """
    return html_attr(value)


def html_attr(value: object) -> str:
    """Like `h`, as a plain string (for building HTML in Python): markupsafe's escaping of `&<>"'`."""
    return str.__str__(escape(" ".join(str(value).split())))


_SLUG = re.compile(SLUG_PATTERN)


def anchor(value: str) -> Markup:
    """An id as an anchor: ids are validated slugs, so they need no escaping (but check)."""
    if not _SLUG.fullmatch(str(value)):
        raise ValueError(f"not a slug, cannot be an anchor: {value!r}")
    return Markup(value)


def md_url(url: str) -> Markup:
    """A link destination for Markdown: angle brackets keep parentheses in DOIs intact."""
    return _new_str(Markup, "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">")


_MD_LINK = re.compile(r"\[([^\[\]]+)\]\(\s*<?([^\s<>)]+(?:\([^\s<>)]*\)[^\s<>)]*)*)>?\s*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def plain_text(value: object) -> str:
    """Inline Markdown as plain text, for CSV readers, feeds and calendars: `[a](u)` → `a (u)`."""
    if value is None:
        return ""
    text = one_line(value)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
    return text


def tel_href(number: str) -> str:
    """A `tel:` link target: digits only (and a leading +), as dialled."""
    number = str(number).strip()
    digits = re.sub(r"\D", "", number)
    return "tel:" + ("+" if number.startswith("+") else "") + digits


def sms_href(number: str) -> str | None:
    """An `sms:` link target, or None when the text isn't just a phone number."""
    if not re.match(PHONE_PATTERN, str(number).strip()):
        return None
    return "sms:" + tel_href(number)[len("tel:"):]
