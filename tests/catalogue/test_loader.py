"""The YAML loader: plain values, exact locations, and nothing executed."""

from __future__ import annotations

from hub.loader import Location, load_yaml_text


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
    assert loaded.locations[("items", 0, "url")] == Location(3, 10)
    assert loaded.key_locations[("items", 0, "url")] == Location(3, 5)
    assert loaded.locate(("items", 0, "missing")) == Location(2, 5)


def test_every_duplicate_key_is_reported() -> None:
    loaded = load_yaml_text("a: 1\nb: 2\na: 3\nb: 4\n", "f.yaml")
    assert [(p.line, p.code) for p in loaded.problems] == [(3, "duplicate-key"), (4, "duplicate-key")]
    assert loaded.data == {"a": 1, "b": 2}


def test_tags_are_refused_before_anything_is_constructed() -> None:
    loaded = load_yaml_text("a: !!python/name:os.system\nb: !include other.yaml\n", "f.yaml")
    assert [p.code for p in loaded.problems] == ["unsafe-tag", "unsafe-tag"]
    assert loaded.data is None
