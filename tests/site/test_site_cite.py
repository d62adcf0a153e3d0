"""Take a citation away: each entry's "Cite this" holds its reference in Vancouver (NLM) and APA 7 as
text, and a COinS span that reference managers (Zotero's connector) read; parsed back from the built
fixture site and compared with the data, and checked by hand on a few real papers."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest

from hub.catalogue.checks import validate
from hub.render import citation
from hub.render.escape import one_line
from tests.conftest import ROOT
from tests.site.conftest import BuiltSite

# --- the formats, on real records, against references written by hand ------------------------------
# Vancouver as the NLM's Citing Medicine writes it (six authors, then "et al."; page ranges without
# repeated digits), with the journal's name as the record gives it: the catalogue has no NLM
# abbreviations. APA 7: up to 20 authors, "&" before the last, "Article" for article numbers.

VANCOUVER = {
    "kapur-2013-clinical-management":
        "Kapur N, Steeg S, Webb R, Haigh M, Bergen H, Hawton K, et al. Does Clinical Management Improve "
        "Outcomes following Self-Harm? Results from the Multicentre Study of Self-Harm in England. PLoS ONE. "
        "2013;8(8):e70434. doi:10.1371/journal.pone.0070434",
    "bergen-2010-psychosocial-assessment-repetition":
        "Bergen H, Hawton K, Waters K, Cooper J, Kapur N. Psychosocial assessment and repetition of self-harm: "
        "The significance of single and multiple repeat episode analyses. Journal of Affective Disorders. "
        "2010;127(1-3):257-65. doi:10.1016/j.jad.2010.05.001",
    "mughal-2020-role-of-the-gp":
        "Mughal F, Troya MI, Dikomitis L, Chew-Graham CA, Corp N, Babatunde OO. Role of the GP in the management "
        "of patients with self-harm behaviour: a systematic review. British Journal of General Practice. "
        "2020;70(694):e364-e373. doi:10.3399/bjgp20X708257",
    "nice-ng225":
        "NICE. Self-harm: assessment, management and preventing recurrence [Internet]. NICE; 2022. "
        "Available from: https://www.nice.org.uk/guidance/ng225",
}

APA = {
    "steeg-2018-accuracy-risk-scales":
        "Steeg, S., Quinlivan, L., Nowland, R., Carroll, R., Casey, D., Clements, C., Cooper, J., Davies, L., "
        "Knipe, D., Ness, J., O'Connor, R. C., Hawton, K., Gunnell, D., & Kapur, N. (2018). Accuracy of risk "
        "scales for predicting repeat self-harm and suicide: a multicentre, population-level cohort study using "
        "routine clinical data. BMC Psychiatry, 18(1), Article 113. https://doi.org/10.1186/s12888-018-1693-z",
    "mughal-2020-role-of-the-gp":
        "Mughal, F., Troya, M. I., Dikomitis, L., Chew-Graham, C. A., Corp, N., & Babatunde, O. O. (2020). Role "
        "of the GP in the management of patients with self-harm behaviour: a systematic review. British Journal "
        "of General Practice, 70(694), e364–e373. https://doi.org/10.3399/bjgp20X708257",
    "nice-ng225":
        "NICE. (2022). Self-harm: assessment, management and preventing recurrence. "
        "https://www.nice.org.uk/guidance/ng225",
}


@pytest.fixture(scope="module")
def real():
    result = validate(ROOT / "data", root=ROOT)
    if result.failed():
        pytest.skip("data/ does not validate yet")
    return result.load.catalogue


@pytest.mark.parametrize("rid", list(VANCOUVER))
def test_vancouver_on_real_records(real, rid):
    assert citation.vancouver(real.resources[rid]) == VANCOUVER[rid]


@pytest.mark.parametrize("rid", list(APA))
def test_apa_on_real_records(real, rid):
    assert citation.apa(real.resources[rid]) == APA[rid]


def test_apa_puts_the_journal_and_volume_or_a_report_title_in_italics(real):
    italic = [text for text, it in citation.apa_segments(real.resources["steeg-2018-accuracy-risk-scales"]) if it]
    assert italic == ["BMC Psychiatry", "18"]
    assert [t for t, it in citation.apa_segments(real.resources["nice-ng225"]) if it] == [
        "Self-harm: assessment, management and preventing recurrence"]


def test_page_ranges_and_author_lists():
    assert [citation.nlm_pages(p) for p in ("429-436", "1022-1045", "991-995", "e70434", "113", "e364-e373")] == [
        "429-36", "1022-45", "991-5", "e70434", "113", "e364-e373"]
    assert citation.page_range("e364-e373") == ("e364", "e373") and citation.page_range("e70434") is None
    assert citation.apa_author("van Heeringen K") == "van Heeringen, K."
    assert citation.apa_author("NICE") == "NICE"


# --- the built fixture site: COinS parsed back, the Cite block as text ------------------------------

pytestmark = pytest.mark.xdist_group("site")


def entries(site: BuiltSite, catalogue) -> dict[str, list]:
    """Resource id → the `details.hub-cite` elements between its heading and the next entry's."""
    found: dict[str, list] = {}
    for page in sorted({url.split("#")[0] for url in _entry_urls(catalogue)}):
        for heading in site.html(page).select("h3.hub-entry[id]"):
            blocks = []
            for el in heading.find_next_siblings():
                if el.name == "h3" or el.name == "h2":
                    break
                if el.name == "details" and "hub-cite" in el.get("class", []):
                    blocks.append(el)
            found[heading["id"]] = blocks
    return found


def _entry_urls(catalogue) -> list[str]:
    from hub.render.paths import entry_urls

    return list(entry_urls(catalogue).values())


def coins_of(block) -> list[tuple[str, str]]:
    (span,) = block.select("span.Z3988")
    assert span.get_text() == "" and set(span.attrs) == {"class", "title"}
    return parse_qsl(span["title"], keep_blank_values=True, strict_parsing=True)


def test_every_paper_carries_coins_that_say_what_the_data_says(built_site: BuiltSite, catalogue):
    blocks = entries(built_site, catalogue)
    papers = [r for r in catalogue.resources.values() if str(r.type) == "paper"]
    assert len(papers) >= 4
    for r in papers:
        (block,) = blocks[r.id]
        pairs = coins_of(block)
        values = dict(pairs)
        assert pairs[0] == ("ctx_ver", "Z39.88-2004")
        assert values["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:journal" and values["rft.genre"] == "article"
        assert values["rft.atitle"] == one_line(r.title), r.id
        assert [v for k, v in pairs if k == "rft.au"] == [
            ", ".join(p for p in citation.split_author(a) if p) for a in r.authors], r.id
        assert values["rft.date"].startswith(str(r.year)), r.id
        assert values["rft.jtitle"] == r.journal
        assert values.get("rft.volume") == (str(r.volume) if r.volume else None), r.id
        assert values.get("rft.issue") == (str(r.issue) if r.issue else None), r.id
        assert values.get("rft.pages") == (str(r.pages) if r.pages else None), r.id
        if r.pages and "-" in r.pages:
            assert f"{values['rft.spage']}-{values['rft.epage']}" == r.pages
        ids = [v for k, v in pairs if k == "rft_id"]
        assert ids == [f"info:doi/{r.doi}"] * bool(r.doi) + [r.url] * bool(r.url), r.id


def test_other_citable_types_are_reports_and_websites_and_training_have_no_cite(built_site, catalogue):
    blocks = entries(built_site, catalogue)
    for r in catalogue.resources.values():
        if not citation.is_citable(r):
            assert blocks[r.id] == [], r.id
        elif str(r.type) != "paper":
            values = dict(coins_of(blocks[r.id][0]))
            assert (values["rft.genre"], values["rft.btitle"]) == ("report", one_line(r.title)), r.id
            if r.organisation:
                assert values["rft.pub"] == r.organisation
                assert values.get("rft.aucorp") == (None if r.authors else r.organisation)


def test_the_cite_block_holds_both_references_as_plain_text(built_site: BuiltSite, catalogue):
    blocks = entries(built_site, catalogue)
    (block,) = blocks["kapur-2013-clinical-management"]
    assert block.has_attr("data-search-exclude") and not block.has_attr("open")
    summary = block.find("summary")
    assert summary.get_text() == ("Cite this research paper: Does Clinical Management Improve Outcomes following "
                                  "Self-Harm? Results from the Multicentre Study of Self-Harm in England")
    assert summary.select_one(".hub-vh").get_text().startswith(" research paper: ")
    styles = [dt.get_text() for dt in block.select("dt")]
    texts = [span.get_text() for span in block.select("dd .hub-cite__text")]
    r = catalogue.resources["kapur-2013-clinical-management"]
    assert styles == ["Vancouver (NLM)", "APA (7th edition)"]
    assert texts == [citation.vancouver(r), citation.apa(r)]
    assert [i.get_text() for i in block.select("dd i")] == ["PLoS ONE", "8"]


def test_markup_in_the_data_stays_text_in_the_cite_block_and_the_coins(built_site: BuiltSite, catalogue):
    (block,) = entries(built_site, catalogue)["escape-test"]
    r = catalogue.resources["escape-test"]
    assert {el.name for el in block.find_all(True)} <= {"summary", "span", "dl", "dt", "dd", "i"}
    assert [s.get_text() for s in block.select(".hub-cite__text")] == [citation.vancouver(r), citation.apa(r)]
    assert "<script>alert(1)</script> *x* {#evil} & | pipes" in citation.vancouver(r)
    values = coins_of(block)
    assert ("rft.atitle", "<script>alert(1)</script> *x* {#evil} & | pipes") in values
    assert ("rft.au", "Smith <b>J</b>") in values and ("rft.au", "O'Brien, T") in values
    raw = (built_site.path / "resources" / "assessment-and-treatment" / "index.html").read_text(encoding="utf-8")
    (title,) = re.findall(r'<span class="Z3988" title="([^"]*alert[^"]*)"', raw)
    assert re.fullmatch(r"[A-Za-z0-9%._~=-]+(?:&amp;[A-Za-z0-9%._~=-]+)*", title)  # encoded, then escaped


def test_the_references_are_not_in_the_search_index(built_site: BuiltSite, catalogue):
    from tests.site.test_site_search import search_text_of_site

    records = search_text_of_site(built_site.path)
    vancouver = citation.vancouver(catalogue.resources["kapur-2013-clinical-management"])
    assert not [url for url, text in records.items() if "2013;8(8):e70434" in text or vancouver in text]
