"""`hub review`'s near-identical titles (hub/editor/similar.py) against the difflib comparison it replaced:
the same pairs and the same percentages, on the real data, the review fixture and near-copies of real titles."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest
import yaml

from hub.editor.review import normalise_title
from hub.editor.similar import similar_pairs

from .conftest import FIXTURES, ROOT


def old_pairs(titles: list[list[str]], threshold: float, skip_by_length: bool = False) -> list[tuple]:
    """The comparison `hub review` made before issue #15: difflib on every pair of records.

    `skip_by_length` leaves out the pairs whose lengths alone keep them below the threshold (a ratio is at
    most 2·shorter/(both lengths)), only to keep the larger case quick; it changes nothing that is found.
    """
    def ratio(a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if skip_by_length and 2 * min(len(a), len(b)) / (len(a) + len(b)) < threshold:
            return 0.0
        matcher = difflib.SequenceMatcher(None, a, b)
        return matcher.ratio() if matcher.quick_ratio() >= 0.5 else 0.0

    out = []
    for i, ta in enumerate(titles):
        for j in range(i + 1, len(titles)):
            best = max(ratio(x, y) for x in ta for y in titles[j])
            if best >= threshold:
                out.append((i, j, round(best * 100)))
    return out


def titles_of(resources_yaml: Path | dict) -> list[list[str]]:
    data = resources_yaml if isinstance(resources_yaml, dict) else yaml.safe_load(resources_yaml.read_text())
    return [[normalise_title(t) for t in [r["title"], *r.get("alt_titles", [])]] for r in data["resources"]]


def new_pairs(titles, threshold, **kw) -> list[tuple]:
    return [(i, j, round(r * 100)) for i, j, r in similar_pairs(titles, threshold, **kw)]


def _catalogue():
    spec = importlib.util.spec_from_file_location("bench_review", ROOT / "benchmarks" / "bench_review.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.catalogue  # the benchmark's synthetic catalogues (the benchmark itself never runs here)


@pytest.mark.parametrize("threshold", [0.9, 0.8, 0.5])
@pytest.mark.parametrize("where", [ROOT / "data", FIXTURES / "review"], ids=["real data", "review fixture"])
def test_same_pairs_and_percentages_as_difflib(where, threshold):
    titles = titles_of(where / "resources.yaml")
    expected = old_pairs(titles, threshold)
    assert new_pairs(titles, threshold) == expected
    if where == ROOT / "data" and threshold == 0.9:
        assert len(expected) >= 2  # the real data has pairs to find (nice-cg16 and nice-cg133, …)


@pytest.mark.parametrize("kind, n", [("copies", 250), ("distinct", 300)])
def test_same_pairs_as_difflib_on_near_copies_of_real_titles(kind, n):
    """One-word changes, typos, swapped words and added years: the cases a blocking key could miss."""
    titles = titles_of(_catalogue()(n, kind))
    expected = old_pairs(titles, 0.9, skip_by_length=True)
    assert len(expected) > n // 10
    assert new_pairs(titles, 0.9) == expected


@pytest.mark.parametrize("kind, n", [("copies", 1000), ("distinct", 4000)])
def test_the_blocking_key_misses_no_pair(kind, n):
    """Against every pair in reach (rapidfuzz then difflib, which is difflib's answer: see hub.editor.similar)."""
    titles = titles_of(_catalogue()(n, kind))
    assert new_pairs(titles, 0.9) == new_pairs(titles, 0.9, blocking=False)


def test_titles_of_one_record_are_not_a_pair():
    assert similar_pairs([["self harm toolkit", "self harm toolkit 2020"], ["a different title"]], 0.9) == []
    assert similar_pairs([["self harm toolkit"], ["self harm toolkit"], [""]], 0.9) == [(0, 1, 1.0)]
