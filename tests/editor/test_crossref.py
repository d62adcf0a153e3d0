"""The Crossref client against the local server that speaks the Crossref REST API."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.editor import crossref as cr


def client(server, **kwargs) -> cr.Crossref:
    return cr.Crossref(server.url, mailto="editors@example.org", retry_wait=0.01, **kwargs)


def test_work_and_polite_headers(crossref):
    work = client(crossref).work("10.1016/j.cbpra.2011.01.001")
    assert work["container-title"] == ["Cognitive and Behavioral Practice"]
    request = crossref.stub.requests[-1]
    assert request["headers"]["User-Agent"].startswith("selfharm-care-hub/")
    assert "mailto:editors@example.org" in request["headers"]["User-Agent"]


def test_record_fields_cleans_titles_and_writes_authors_as_surname_initials(crossref):
    fields = cr.record_fields(client(crossref).work("10.5555/hub.new-paper.2024"))
    assert fields == {
        "title": "Aftercare after self-harm in primary care: a & b: a mixed-methods study",
        "authors": ["O'Connor KE", "Lévy JP", "The Hub Study Group"],
        "journal": "British Journal of General Practice",
        "volume": 74, "issue": 741, "pages": "e123-e130", "year": 2024, "published": "2024-03-28",
    }


@pytest.mark.parametrize("given, expected", [("Nav", "N"), ("Keith E.", "KE"), ("Jean-Pierre", "JP"),
                                             ("C. J.", "CJ"), ("", "")])
def test_initials(given, expected):
    assert cr.initials(given) == expected


def test_updates_from_updated_by(crossref):
    _, updates = client(crossref).updates("10.5555/hub.retracted.2023")
    assert updates == [cr.Update(kind=cr.RETRACTION, label="Retraction", date=dt.date(2025, 3, 10),
                                 date_text="2025-03-10", notice_doi="10.5555/hub.retraction-notice.2025",
                                 source="retraction-watch")]
    assert updates[0].link == "https://doi.org/10.5555/hub.retraction-notice.2025"


def test_updates_from_notices_update_to(crossref):
    _, updates = client(crossref).updates("10.5555/hub.concern.2021")
    assert [(u.kind, u.date_text, u.notice_doi) for u in updates] == [
        (cr.CONCERN, "2025-08-04", "10.5555/hub.concern.2021.eoc")]
    filters = [r["query"].get("filter") for r in crossref.stub.requests]
    assert ["updates:10.5555/hub.concern.2021"] in filters


def test_updates_from_relations_and_retracted_titles_without_repeats():
    work = {
        "title": ["RETRACTED: A paper"],
        "relation": {"is-retracted-by": [{"id": "10.5555/n1", "id-type": "doi"}],
                     "is-correction-of": [{"id": "10.5555/other", "id-type": "doi"}]},
        "updated-by": [{"DOI": "10.5555/n1", "type": "retraction", "label": "Retraction",
                        "updated": {"date-parts": [[2024, 5]]}}],
    }
    notices = [{"DOI": "10.5555/n2", "update-to": [{"DOI": "10.5555/P", "type": "erratum",
                                                    "updated": {"date-parts": [[2024]]}}]}]
    updates = cr.updates_of("10.5555/p", work, notices)
    kinds = sorted((u.kind, u.date_text, u.notice_doi) for u in updates)
    assert kinds == [(cr.CORRECTION, "2024", "10.5555/n2"), (cr.RETRACTION, "2024-05", "10.5555/n1")]
    assert not any(u.label == "Title marked RETRACTED" for u in updates)  # already known as retracted


def test_a_retracted_title_alone_is_a_retraction():
    updates = cr.updates_of("10.5555/p", {"title": ["Retracted: an old paper"]}, [])
    assert [(u.kind, u.notice_doi) for u in updates] == [(cr.RETRACTION, None)]


def test_not_found_and_server_errors(crossref):
    with pytest.raises(cr.NotFound):
        client(crossref).work("10.5555/none")
    crossref.stub.errors["10.5555/hub.retracted.2023"] = 503
    with pytest.raises(cr.Unreachable, match="HTTP 503"):
        client(crossref).work("10.5555/hub.retracted.2023")
    assert sum(r["path"] == "/works/10.5555/hub.retracted.2023" for r in crossref.stub.requests) == 2  # retried


def test_offline(offline):
    with pytest.raises(cr.Unreachable, match="no internet connection"):
        cr.Crossref(offline).work("10.5555/x")


def test_base_url_option_then_setting_then_default():
    assert cr.base_url() == "https://api.crossref.org"
    assert cr.base_url(None, "http://127.0.0.1:9/") == "http://127.0.0.1:9"
    assert cr.base_url("http://localhost:1", "http://127.0.0.1:9/") == "http://localhost:1"
