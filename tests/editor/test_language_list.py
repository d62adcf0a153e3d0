"""The safe-messaging word list (editorial/language.yaml) is itself checked: every entry's examples
are flagged, its suggestion is not, every entry names a source, and plain safe wording passes."""

from __future__ import annotations

import pytest

from hub.catalogue.yamlfile import load_yaml
from hub.editor.review import mask_quotes
from hub.editor.settings import load_language

from .conftest import ROOT

TERMS, PROBLEMS = load_language(ROOT / "editorial", ROOT)
REQUIRED = ["committed suicide", "commit suicide", "successful suicide", "failed attempt", "unsuccessful attempt",
            "self-harmers", "cutters", "attention-seeking", "suicide epidemic", "manipulative", "suicide victim",
            "completed suicide"]
SAFE = ["He died by suicide in 2019.", "people who self-harm", "a suicide attempt", "survived a suicide attempt",
        "services for people who self-harm by cutting", "The number of people who took their own life.",
        "staff training on self-harm", "Self-harm: assessment, management and preventing recurrence"]


def test_the_list_loads_without_problems():
    assert PROBLEMS == []
    assert len(TERMS) >= 12


@pytest.mark.parametrize("term", TERMS, ids=[t.entry.pattern for t in TERMS])
def test_each_entry_flags_its_examples_not_its_suggestion(term):
    for example in term.entry.examples:
        assert term.regex.search(example), f"the pattern does not flag its own example: {example!r}"
    for suggestion in term.entry.suggestion.split(";"):
        assert not any(t.regex.search(suggestion) for t in TERMS), f"the suggestion is flagged: {suggestion!r}"
    assert term.source is not None and term.entry.reason.strip()


@pytest.mark.parametrize("words", REQUIRED)
def test_the_wording_the_issue_names_is_on_the_list(words):
    assert any(t.regex.search(words) for t in TERMS), words


@pytest.mark.parametrize("sentence", SAFE)
def test_safe_wording_passes(sentence):
    assert not [t.entry.pattern for t in TERMS if t.regex.search(sentence)]


def test_quotes_and_italics_are_exempt():
    text = 'They wrote “a failed attempt”, the paper *Completed suicide after self-harm*, and "self-harmers".'
    assert not any(t.regex.search(mask_quotes(text)) for t in TERMS)
    assert any(t.regex.search(mask_quotes("Don’t call them self-harmers.")) for t in TERMS)


def test_every_source_is_used_and_links_only_where_verified():
    loaded = load_yaml(ROOT / "editorial" / "language.yaml")
    used = {t.entry.source for t in TERMS}
    assert {s["id"] for s in loaded.data["sources"]} == used
    # a source's address is given only when verified; an unverified one is left out, never guessed
    assert all(s["url"].startswith("https://") for s in loaded.data["sources"] if "url" in s)
