"""Escaping: text from the YAML stays text in every place it lands (issue item 8).

The filters are checked through Python-Markdown with the site's own
extensions, so what is asserted is the HTML a reader's browser receives.
"""

from __future__ import annotations

import markdown
import markupsafe
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.render.escape import h, md_inline, md_text, one_line, plain_text, sms_href, tel_href

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
NASTY = "<script>alert(1)</script> *x* {#evil} & | pipes"
SPECIALS = st.text(alphabet=st.sampled_from(list("ab <>&\"'\\`*_{}[]()#+-.!|:;=~^%$@/\n\t") + ["é", "“"]),
                   min_size=1, max_size=40).filter(str.strip)
"""Titles and other text fields are never empty (the model refuses empty values)."""


def to_html(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "html.parser")


def test_md_text_heading_keeps_the_title_as_text_and_the_real_anchor():
    soup = to_html(f"### {md_text(NASTY)} {{ #safe-id }}")
    heading = soup.find("h3")
    assert heading["id"] == "safe-id"
    assert heading.get_text() == NASTY
    assert soup.find("script") is None and not heading.find_all(True)


@settings(max_examples=300, deadline=None)
@given(SPECIALS)
def test_md_text_is_literal_in_headings_for_any_text(text):
    soup = to_html(f"### {md_text(text)} {{ #anchor }}")
    heading = soup.find("h3")
    assert heading is not None and heading["id"] == "anchor"
    assert heading.get_text() == one_line(text)
    assert not heading.find_all(True), "no element may come from the text"


@settings(max_examples=300, deadline=None)
@given(SPECIALS)
def test_md_text_is_literal_in_paragraphs_and_table_cells(text):
    soup = to_html(f"Before {md_text(text)} after")
    assert soup.find("p").get_text() == f"Before {one_line(text)} after"
    table = to_html(f"| A | B |\n| --- | --- |\n| {md_text(text)} | x |")
    cells = table.find_all("td")
    assert [c.get_text() for c in cells] == [one_line(text), "x"]


@settings(max_examples=300, deadline=None)
@given(SPECIALS)
def test_md_inline_only_ever_makes_emphasis_code_and_web_links(text):
    soup = to_html(f"Summary: {md_inline(text)}")
    for el in soup.find_all(True):
        assert el.name in {"p", "em", "strong", "code", "a"}, el
        if el.name == "a":
            assert el["href"].startswith(("http://", "https://", "mailto:"))
            assert set(el.attrs) <= {"href", "title"}
        else:
            assert not el.attrs


def test_md_inline_keeps_emphasis_and_web_links_but_not_html_or_other_schemes():
    value = ("See *this* and [the guideline](https://www.nice.org.uk/guidance/ng225), not <b>bold</b>, "
             "[a trap](javascript:alert(1)), ![an image](https://tracker.example/x.png) or {: onclick=x}.")
    soup = to_html(str(md_inline(value)))
    assert soup.find("em").get_text() == "this"
    links = soup.find_all("a")
    # The image becomes a plain link: nothing is loaded from another host.
    assert [a["href"] for a in links] == ["https://www.nice.org.uk/guidance/ng225", "https://tracker.example/x.png"]
    assert soup.find("b") is None and soup.find("img") is None
    assert "<b>bold</b>" in soup.get_text() and "[a trap](javascript:alert(1))" in soup.get_text()
    assert "onclick" not in str(soup.find("p").attrs)


def test_md_inline_cannot_start_a_block():
    for start in ("# Heading", "- item", "> quote", "1. item", "+ item", "* item", "***", "* * *", "___", "---",
                  "_ item"):
        soup = to_html(f"{md_inline(start)}")
        assert soup.find(["h1", "h2", "ul", "ol", "blockquote", "hr"]) is None, start
        assert soup.get_text().strip() == start


def test_md_inline_keeps_emphasis_at_the_start():
    assert to_html(str(md_inline("*Draft* guidance"))).find("em").get_text() == "Draft"
    assert to_html(str(md_inline("**New** guidance"))).find("strong").get_text() == "New"


def test_h_escapes_for_html_attributes_and_text():
    assert h('a "b" <c> & \'d\'') == "a &#34;b&#34; &lt;c&gt; &amp; &#39;d&#39;"
    assert h(None) == ""


@pytest.mark.parametrize("value, expected", [
    ("See [the page](https://a.org/x) for *more*", "See the page (https://a.org/x) for more"),
    ("**bold** and _under_ and `code`", "bold and under and code"),
    ("plain text", "plain text"),
])
def test_plain_text(value, expected):
    assert plain_text(value) == expected


@pytest.mark.parametrize("number, href", [
    ("999", "tel:999"), ("116 123", "tel:116123"), ("0808 800 8088", "tel:08088008088"),
    ("+44 117 927 9600", "tel:+441179279600"),
])
def test_tel_links_dial_digits_only(number, href):
    assert tel_href(number) == href


def test_sms_links_only_for_numbers():
    assert sms_href("85258") == "sms:85258"
    assert sms_href("text SHOUT to 85258") is None


# --- the fast escaping gives what a character-by-character table gives --------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hub.render import escape as esc  # noqa: E402

_SPECIALS = st.sampled_from(list("\\`*_{}[]()#+-.!|&<>\"' aé\n\t;x"))


@given(st.text(_SPECIALS, max_size=40) | st.text(max_size=40))
def test_chained_replacements_equal_a_translation_table(text: str) -> None:
    one_line = " ".join(text.split())
    assert esc.md_text(text) == one_line.translate(str.maketrans(esc.MD_ESCAPES))
    assert esc.html_attr(text) == str(markupsafe.escape(one_line))
    assert esc.html_entities(text) == text.translate(str.maketrans(esc.HTML_ESCAPES))
