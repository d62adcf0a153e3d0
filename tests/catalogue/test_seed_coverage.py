"""Nothing from the seed documents is lost: every verified link and published record is in the data.

The seeds live beside the repository (../shared/seeds/); the test is skipped
where they are not present.
"""

from __future__ import annotations

import csv

import pytest

from hub.catalogue.checks import validate
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents (../shared/seeds) not present")


def rows(name: str) -> list[dict]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def catalogue():
    result = validate(ROOT / "data", root=ROOT)
    assert result.load.catalogue is not None
    return result.load.catalogue


def all_links(catalogue) -> set[str]:
    links = set()
    for r in catalogue.resources.values():
        if r.url:
            links.add(r.url.rstrip("/"))
        if r.doi:
            links.add(f"https://doi.org/{r.doi}".lower())
    for o in catalogue.organisations.values():
        if o.url:
            links.add(o.url.rstrip("/"))
    if catalogue.programme.url:
        links.add(catalogue.programme.url.rstrip("/"))
    return links


def test_every_verified_url_is_used(catalogue) -> None:
    links = all_links(catalogue)
    missing = []
    for row in rows("urls.tsv"):
        url = row["url"].rstrip("/")
        if url not in links and url.lower() not in links:
            missing.append(f"{row['key']}: {url}")
    assert missing == []


def test_every_published_record_is_in_the_catalogue(catalogue) -> None:
    by_doi = {r.doi.lower(): r for r in catalogue.resources.values() if r.doi}
    titles = {r.title.casefold(): r for r in catalogue.resources.values()}
    missing = []
    for row in rows("references.tsv"):
        record = by_doi.get(row["doi"].lower()) if row["doi"] else titles.get(row["title"].casefold())
        if record is None:
            missing.append(row["title"])
            continue
        if row["year"]:
            assert record.year == int(row["year"]), f"{record.id}: published year {row['year']} wins"
        assert record.title.casefold() == row["title"].casefold(), f"{record.id}: use the published title"
    assert missing == []


def test_no_link_outside_the_verified_sources(catalogue) -> None:
    """Never invent a URL: every link in the catalogue comes from urls.tsv or the seed texts."""
    verified = {row["url"].rstrip("/") for row in rows("urls.tsv")}
    verified |= {f"https://doi.org/{row['doi']}".lower() for row in rows("references.tsv") if row["doi"]}
    seed_text = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    unverified = [link for link in all_links(catalogue)
                  if link not in verified and link.lower() not in verified and link not in seed_text]
    assert unverified == []


def test_every_helpline_is_from_the_evidence_file(catalogue) -> None:
    contacts = {row["contact"].split(",")[0].strip() for row in rows("helplines.tsv")}
    assert {h.contact for h in catalogue.helplines} == contacts
