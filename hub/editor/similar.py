"""Records with near-identical titles, for `hub review`'s possible duplicates.

How alike two titles are is difflib's ratio, 2·M/T (M the characters in the
blocks that match, T the two lengths together): the report shows it as "94%
alike", and ``similar_titles`` in editorial/review.yaml is a threshold on it.
Asking difflib about every pair of records grew with the square of the
catalogue: 1.3 s of the 1.6 s at 89 resources, 150 s at 1,000 (issue #15).
Three steps now, each cheaper than the next:

1. **Which titles to compare (the blocking key).** Near-copies share most of
   their words, so each title is compared only with the titles that share one
   of its rare words or pairs of neighbouring words (in at most `RARE` titles).
   A title with fewer than `MIN_KEYS` of those (short, or in common words
   only) could lose them all to a typo or two, so it is compared with every
   title; below a threshold of `BLOCKING_FROM` every title is; and a title is never compared with one whose length puts the
   threshold out of reach (neither score can exceed 2·shorter/T).
2. **rapidfuzz** (in C) scores those pairs by ``fuzz.ratio``: the same formula
   with M the longest common subsequence, never shorter than the blocks
   difflib matches (they are a common subsequence too). A pair below the
   threshold there is below it by difflib, so only the pairs at or above it go on.
3. **difflib** scores those few, so the percentages are the ones it always gave.

Steps 2 and 3 change nothing that difflib alone would report; step 1 is what
makes the time grow with the catalogue instead of its square, and
tests/editor/test_similar.py checks that it misses no pair on the real data,
the fixtures and near-copies of the real titles. difflib here is cydifflib,
the standard library's algorithm compiled (the same results, about twelve
times faster): when every title has near-copies the pairs to score grow with
the square of the catalogue (5,000 among 1,000 such resources: 3 s with the
standard library's).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

import cydifflib as difflib
from rapidfuzz import fuzz, process

RARE = 40
"""A word (or pair of words) in at most this many titles is a blocking key."""
MIN_KEYS = 7
"""A title with fewer keys than this is compared with every title in reach."""
BLOCKING_FROM = 0.85
"""The lowest threshold the blocking key is used for. Titles only 50–80% alike need not share a rare
word (the real data has such pairs), so below it every pair in reach is compared: exact, but slower."""


def similar_pairs(titles: Sequence[Sequence[str]], threshold: float,
                  blocking: bool = True) -> list[tuple[int, int, float]]:
    """``(i, j, ratio)`` for each ``i < j`` whose best pair of titles is at least ``threshold`` alike, in order.

    ``titles[i]`` are record i's normalised titles; ``blocking=False`` compares every pair in reach.
    """
    blocking = blocking and threshold >= BLOCKING_FROM
    entries = sorted({(len(t), t, i) for i, group in enumerate(titles) for t in group if t})
    strings = [text for _, text, _ in entries]
    keys = _keys(strings) if blocking else [set()] * len(strings)
    everyone = [k for k, ks in enumerate(keys) if not blocking or len(ks) < MIN_KEYS]
    having: dict[str, list[int]] = {}
    for k, ks in enumerate(keys):
        for key in ks:
            having.setdefault(key, []).append(k)
    cutoff = threshold * 100 - 1e-6  # rapidfuzz's score is a float percentage: keep a pair right at the threshold
    reach = (2 - threshold) / threshold  # a title can be that alike only to one at most this many times as long
    candidates: set[tuple[int, int]] = set()
    end = 0
    for k, (length, text, i) in enumerate(entries):
        while end < len(entries) and entries[end][0] <= length * reach:
            end += 1
        if not blocking or len(keys[k]) < MIN_KEYS:
            others = range(k + 1, end)
        else:
            near = {m for key in keys[k] for m in having[key] if k < m < end}
            near.update(everyone[bisect.bisect_right(everyone, k):bisect.bisect_left(everyone, end)])
            others = sorted(near)
        found = process.extract(text, [strings[m] for m in others], scorer=fuzz.ratio, score_cutoff=cutoff,
                                limit=None)
        for _, _, m in found:
            j = entries[others[m]][2]
            if j != i:
                candidates.add((min(i, j), max(i, j)))
    out = []
    for i, j in sorted(candidates):
        ratio = max((difflib_ratio(a, b) for a in titles[i] for b in titles[j]
                     if a and b and fuzz.ratio(a, b) >= cutoff), default=0.0)
        if ratio >= threshold:
            out.append((i, j, ratio))
    return out


def _keys(strings: list[str]) -> list[set[str]]:
    """Each title's rare words and pairs of neighbouring words."""
    grams = []
    for text in strings:
        words = text.split()
        grams.append({*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))})
    counts = Counter(g for gs in grams for g in gs)
    return [{g for g in gs if counts[g] <= RARE} for gs in grams]


def difflib_ratio(a: str, b: str) -> float:
    """How alike two titles are, as the report shows it (0 to 1)."""
    return difflib.SequenceMatcher(None, a, b).ratio()
