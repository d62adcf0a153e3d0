"""The adapter's own parts, without an engine: the Pagefind records (hub.site.search) and Zensical's
raw-HTML links (hub.site.zensical). The built sites are checked in test_site_build.py and tests/e2e."""

from __future__ import annotations

from lxml import html as lxml_html

from hub.site import search, zensical

PAGE = """<html><head><title>x</title></head><body><div class="md-content"><article class="md-content__inner md-typeset">
<a id="__skip" tabindex="-1"></a>
<h1 id="section-1">Section 1: Guidance</h1>
<p>What this section holds.</p>
<h2 id="clinical-guidelines">Clinical guidelines</h2>
<p>Intro of the subsection.</p>
<h3 id="nice-ng225" class="hub-entry">Self-harm: assessment, management and preventing recurrence</h3>
<p class="hub-citation">NICE (2022). Self-harm: assessment. Bergen H, Hawton K.</p>
<p>A summary with the word zebra.</p>
<ul><li>A key point about giraffes.</li></ul>
<p class="hub-link"><a href="https://nice.org.uk">Read it<span class="hub-vh">: the title</span></a></p>
<p class="hub-alt">Also known as: NICE guideline NG225</p>
<p class="hub-meta"><strong>Type:</strong> Clinical guideline · <strong>Topics:</strong> Risk</p>
<details class="hub-cite" data-search-exclude><summary>Cite this</summary>Vancouver and APA</details>
<h3 id="nice-cg133" class="hub-entry hub-entry--superseded">Self-harm in over 8s: long-term management</h3>
<div class="admonition warning"><p class="admonition-title">Superseded</p><p>Replaced by NG225.</p></div>
<p class="hub-citation">NICE (2011). Self-harm in over 8s.</p>
<h3 id="other--nice-ng225" class="hub-entry hub-entry--short" data-search-exclude>Self-harm: again</h3>
<p class="hub-meta">See the full entry</p>
</article></div></body></html>"""


def records() -> dict[str, str]:
    doc = lxml_html.fromstring(PAGE)
    return {r.url: r.html for r in search.page_records(doc, "/resources/section-1/")}


def indexed(record_html: str) -> str:
    """The text Pagefind indexes as content (inside data-pagefind-body)."""
    doc = lxml_html.fromstring(record_html)
    return " ".join(doc.xpath("//main")[0].text_content().split())


def test_each_entry_subsection_and_page_is_a_record_of_its_own():
    assert list(records()) == ["/resources/section-1/", "/resources/section-1/#clinical-guidelines",
                               "/resources/section-1/#nice-ng225", "/resources/section-1/#nice-cg133"]


def test_an_entry_is_indexed_by_title_citation_other_titles_topics_and_id_not_by_its_summary():
    ng225 = records()["/resources/section-1/#nice-ng225"]
    text = indexed(ng225)
    for wanted in ("Self-harm: assessment, management and preventing recurrence", "NICE (2022)",
                   "Also known as: NICE guideline NG225", "Topics: Risk", "nice ng225"):
        assert wanted in text, wanted
    for unwanted in ("zebra", "giraffes", "Read it", "the title", "Vancouver"):
        assert unwanted not in text, unwanted
    assert "Bergen, Hawton." in text  # initials are not indexed
    assert 'data-pagefind-weight="10.0"' in ng225 and 'data-pagefind-weight="4.0"' in ng225
    assert '<span data-pagefind-filter="entry">yes</span>' in ng225
    assert "data-pagefind-filter" not in records()["/resources/section-1/#clinical-guidelines"]
    assert '<span data-pagefind-meta="title">Self-harm: assessment, management and preventing recurrence</span>' in ng225


def test_a_superseded_entry_weighs_less_and_says_so():
    cg133 = records()["/resources/section-1/#nice-cg133"]
    assert 'data-pagefind-weight="6.0"' in cg133  # the title: 10 × 0.6
    assert 'data-pagefind-weight="0.3"' in cg133  # the notice: 0.5 × 0.6
    assert '<span data-pagefind-meta="status">superseded</span>' in cg133


def test_pages_excluded_from_search_are_left_out():
    doc = lxml_html.fromstring(PAGE.replace("<title>x</title>", '<meta name="hub-search" content="exclude">'))
    assert search.excluded(doc)
    assert not search.excluded(lxml_html.fromstring(PAGE))


def test_one_letter_words_are_not_indexed_but_everything_else_is():
    assert search.words_only("Bergen H, Hawton K, Waters K (2010).") == "Bergen, Hawton, Waters (2010)."
    assert search.words_only("O'Connor RC, a study of 8s") == "O'Connor RC, study of 8s"
    assert search.words_only("DOI: 10.1016/j.jad.2012") == "DOI: 10.1016/j.jad.2012"


def test_zensical_raw_html_links_are_rewritten_to_mean_the_same_from_the_source_file():
    row = '<td><a href="../resources/assessment/#nice-ng225">NG225</a></td>'
    assert zensical.source_relative("browse.md", row) == '<td><a href="resources/assessment/#nice-ng225">NG225</a></td>'
    for kept in ('<a href="#top">', '<a href="?topic=x">', '<a href="tel:999">', '<a href="https://x.org/a">',
                 '<a href="/abs/">'):
        assert zensical.source_relative("browse.md", kept) == kept
    assert zensical.source_relative("index.md", row) == row  # its source folder is its address
    assert zensical.source_relative("resources/a.md", '<a href="../b/">') == '<a href="b/">'
    assert zensical.source_relative("browse.md", '<a href="./">') == '<a href="browse/">'
    text = "[Markdown](../x.md) stays"
    assert zensical.source_relative("browse.md", text) == text
