"""The YAML loader: plain values, exact locations, and nothing executed."""

from __future__ import annotations

from hub.catalogue.positions import Location
from hub.catalogue.yamlfile import load_yaml_text


def test_folded_and_literal_text_load_as_written() -> None:
    text = "a: >-\n  Results from the Multicentre\n  Study of Self-Harm\nb: |\n  line one\n  line two\n"
    data = load_yaml_text(text, "f.yaml").data
    assert data == {"a": "Results from the Multicentre Study of Self-Harm", "b": "line one\nline two\n"}


def test_values_keep_yaml_12_types_and_dates_stay_text() -> None:
    text = "n: 42\nq: '42'\nd: 2022-02-30\nb: true\nyes_word: yes\nnothing:\nf: 1.5\n"
    data = load_yaml_text(text, "f.yaml").data
    assert data == {"n": 42, "q": "42", "d": "2022-02-30", "b": True, "yes_word": "yes",
                    "nothing": None, "f": 1.5}


def test_locations_of_values_and_keys_are_one_based() -> None:
    loaded = load_yaml_text("items:\n  - id: x\n    url: https://a.org\n", "f.yaml")
    assert loaded.locate(("items", 0, "url")) == Location(3, 10)
    assert loaded.locate(("items", 0, "url"), key=True) == Location(3, 5)
    assert loaded.locate(("items", 0), key=True) == Location(2, 5)
    assert loaded.locate(("items", 7, "url")) == Location(2, 3)
    assert loaded.locate(("items", 0, "missing")) == Location(2, 5)


def test_every_duplicate_key_is_reported() -> None:
    loaded = load_yaml_text("a: 1\nb: 2\na: 3\nb: 4\n", "f.yaml")
    assert [(p.line, p.code) for p in loaded.problems] == [(3, "duplicate-key"), (4, "duplicate-key")]
    assert loaded.data == {"a": 1, "b": 2}


def test_tags_are_refused_before_anything_is_constructed() -> None:
    loaded = load_yaml_text("a: !!python/name:os.system\nb: !include other.yaml\n", "f.yaml")
    assert [p.code for p in loaded.problems] == ["unsafe-tag", "unsafe-tag"]
    assert loaded.data is None


# --- the quick path (compose once) and the careful path (parse events first) agree ----------

import glob  # noqa: E402

import pytest  # noqa: E402

from hub.catalogue.yamlfile import LoadedYaml, _compose_once, _load_carefully  # noqa: E402

UNUSUAL = {
    "alias to a scalar": "a: &x 1\nb: *x\n",
    "alias as a key": "a: &k key\n*k : 2\n",
    "alias to a list": "a: &l [1, 2]\nb: *l\n",
    "tag on a scalar": "a: !include other.yaml\n",
    "tag on a list": "a: !!python/tuple [1, 2]\n",
    "tag on a key": "!!python/name:os.system a: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "undefined alias": "a: *nowhere\n",
    "syntax error": "a: [1, 2\n",
    "anchor defined twice": "a: &x 1\nb: &x 2\n",
}


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_the_quick_path_hands_anything_unusual_to_the_careful_one(text: str) -> None:
    assert _compose_once(text, LoadedYaml("f.yaml", text)) is None
    loaded = load_yaml_text(text, "f.yaml")
    assert loaded.problems and all(p.line or p.code == "many-documents" for p in loaded.problems)
    assert loaded.data is None


def _outcome(loaded: LoadedYaml) -> tuple:
    return loaded.data, [(p.line, p.column, p.code, p.message) for p in loaded.problems]


@pytest.mark.parametrize("path", sorted(glob.glob("data/*.yaml") + glob.glob("tests/cases/validate/*.yaml")))
def test_both_paths_read_every_real_and_case_file_the_same(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    quick = _compose_once(text, LoadedYaml(path, text))
    careful = _load_carefully(text, LoadedYaml(path, text))
    if quick is not None:
        assert _outcome(quick) == _outcome(careful)
        for loaded in (quick, careful):
            assert loaded.locate(()) is not None


def test_an_anchor_defined_twice_is_reported_at_the_second() -> None:
    (problem,) = load_yaml_text("a: &x 1\nb:\n  c: &x 2\n", "f.yaml").problems
    assert (problem.line, problem.column, problem.code) == (3, 6, "duplicate-anchor")
    assert "&x" in problem.message and "&x" in problem.hint


def test_an_anchor_without_an_alias_is_plain_data() -> None:
    loaded = load_yaml_text("a: &x 1\nb: 2\n", "f.yaml")
    assert loaded.problems == [] and loaded.data == {"a": 1, "b": 2}


@pytest.mark.parametrize("text", ["---\n", "~\n", "null\n", "---\n...\n"])
def test_a_document_with_nothing_in_it_is_an_empty_file(text: str) -> None:
    assert [p.code for p in load_yaml_text(text, "f.yaml").problems] == ["empty-file"]


@pytest.mark.parametrize("value", [
    "", "~", "null", "Null", "NULL", "true", "True", "FALSE", "yes", "no", "on", "0", "-1", "+7", "0o17", "0x1F",
    "1_000", "012", "1.5", "-.5", ".inf", "-.Inf", ".nan", "1e3", "2024-01-06", "10.1000/x", "nice-ng225",
    "https://example.org/a", "Kapur N", "<<", "=", "!x", "&a", "*b", "ftp", "none", "t", "n",
])
def test_the_first_character_shortcut_agrees_with_the_yaml_12_rules(value: str) -> None:
    from hub.catalogue.scalars import _plain_tag, _plain_value, resolve_scalar

    quick, by_rule = _plain_value(value), resolve_scalar(value, _plain_tag(value), None)
    assert type(quick) is type(by_rule)
    assert quick == by_rule or (quick != quick and by_rule != by_rule)  # NaN is not equal to itself
