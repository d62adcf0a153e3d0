"""Benchmark `hub review` (offline) on the real data and on synthetic catalogues of 1,000 and 10,000 resources.

    .venv/bin/python benchmarks/bench_review.py [--rounds 5] [--sizes 1000,10000] [--compare ../before]

The catalogues (`catalogue()`; the same ones every run, from a fixed seed):

* **real**: the repository's data as it is (89 resources).
* **distinct-N**: N resources cloned from the real ones (new ids, DOIs and web
  addresses), with titles made from the real titles: each is a real title with
  half its words replaced by others from the real titles' vocabulary, and
  one in five is instead a near-copy of a title already in the catalogue (one
  word changed, a typo, two words swapped, or a year added). A catalogue that
  grows the way a real one does: a few pairs to report among many titles.
* **copies-N**: every title a real title or a near-copy of one, so each title
  has about N/89 near-identical ones: the worst case for pairwise comparison.
  The pairs to report grow with N² here (about 3,000 at 1,000 resources), so
  it runs at 1,000 only.

Each run is `python -m hub review --today 2026-11-23` as a whole process, as
editors run it (offline: Crossref is not asked), in a copy of the project with
the catalogue's data/resources.yaml; the time is from just before the process
starts to its exit, medians over the rounds after one uncounted warm-up run
that writes the bytecode cache. `--compare DIR` runs another checkout's hub
(e.g. a `git worktree` of the commit before a change) on the same copy in
paired rounds, its order swapped each round, and checks that both list the
same near-identical titles. A compared run slower than 20 s runs only once,
and one slower than `--compare-timeout` seconds is stopped and reported as
"more than" that time (the pairwise difflib comparison took minutes at 1,000
resources and would take hours at 10,000). Timing targets (issue 15: at
most 2 s at 1,000 resources, linear growth to 10,000) are reported, not
enforced: a busy machine can miss them.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-23"
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CI")}
SIMILAR = re.compile(r"^.*have near-identical titles.*$", re.M)
"""The lines of the near-identical titles (`review-similar-title`) in the text report."""


def _words(records: list[dict]) -> list[str]:
    return sorted({w for r in records for t in [r["title"], *r.get("alt_titles", [])] for w in t.split()})


def near_copy(title: str, rng: random.Random, vocab: list[str]) -> str:
    """The title with one word changed, a typo, two neighbouring words swapped, or a year added."""
    words = title.split()
    change = rng.randrange(4)
    i = rng.randrange(len(words))
    if change == 0:
        words[i] = rng.choice(vocab)
    elif change == 1 and len(words[i]) > 3:
        j = rng.randrange(len(words[i]) - 1)
        w = words[i]
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif change == 2 and len(words) > 1:
        i = min(i, len(words) - 2)
        words[i], words[i + 1] = words[i + 1], words[i]
    else:
        words.append(f"({rng.randrange(1990, 2026)})")
    return " ".join(words)


def _remade(title: str, rng: random.Random, vocab: list[str]) -> str:
    """A new title in the real ones' words: half the words (rounded up) replaced."""
    words = title.split()
    for i in rng.sample(range(len(words)), (len(words) + 1) // 2):
        words[i] = rng.choice(vocab)
    return " ".join(words)


def catalogue(n: int, kind: str, seed: int = 15) -> dict:
    """resources.yaml's data with n resources; titles as the module's docstring describes for `kind`."""
    data = yaml.safe_load((ROOT / "data" / "resources.yaml").read_text(encoding="utf-8"))
    real = data["resources"]
    vocab = _words(real)
    rng = random.Random(seed)
    out = [copy.deepcopy(r) for r in real[:n]]
    for k in range(len(out), n):
        r = copy.deepcopy(real[k % len(real)])
        r["id"] = f"{r['id']}-{k}"
        if r.get("doi"):
            r["doi"] = f"{r['doi']}.{k}"
        if r.get("url"):
            r["url"] = f"{r['url'].rstrip('/')}/copy-{k}"
        if kind == "copies":
            titles = [r["title"], *r.get("alt_titles", [])]
            titles = [t if rng.random() < 0.1 else near_copy(t, rng, vocab) for t in titles]
        elif rng.random() < 0.2:
            titles = [near_copy(rng.choice(out)["title"], rng, vocab)]
        else:
            titles = [_remade(t, rng, vocab) for t in [r["title"], *r.get("alt_titles", [])]]
        r["title"], alt = titles[0], titles[1:]
        if alt:
            r["alt_titles"] = alt
        else:
            r.pop("alt_titles", None)
        out.append(r)
    data["resources"] = out
    return data


def make_project(where: Path, n: int | None, kind: str) -> Path:
    """A copy of the project's data and editorial files, with the catalogue's resources (n None: the real data)."""
    shutil.copytree(ROOT / "data", where / "data", ignore=shutil.ignore_patterns("schema"))
    shutil.copytree(ROOT / "editorial", where / "editorial")
    if n is not None:
        text = yaml.safe_dump(catalogue(n, kind), sort_keys=False, allow_unicode=True, width=100)
        (where / "data" / "resources.yaml").write_text(text, encoding="utf-8")
    return where


def timed(hub_root: Path, project: Path, timeout: float | None = None) -> tuple[float | None, str]:
    """Wall seconds of one `hub review` in `project` (None when stopped at `timeout`), and what it printed."""
    env = dict(ENV, PYTHONPATH=str(hub_root))  # this checkout's hub (or --compare's), not an installed one
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "hub", "review", "--today", TODAY], cwd=project, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, ""
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"hub review failed in {project} ({hub_root}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000", help="sizes of the distinct-N catalogues (comma-separated)")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="another checkout whose hub runs in the same rounds")
    parser.add_argument("--compare-timeout", type=float, default=300, metavar="SECONDS")
    args = parser.parse_args()
    cases = [("real", None, "real"), *((f"distinct-{int(n):,}", int(n), "distinct") for n in args.sizes.split(",")),
             ("copies-1,000", 1000, "copies")]
    hubs = {"hub": ROOT, **({"compare": args.compare.resolve()} if args.compare else {})}
    print(f"{args.rounds} rounds, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print("| catalogue | resources | similar titles | hub, median | range |"
          + (" compared, median | hub / compared |" if args.compare else ""))
    print("|---|---:|---:|---:|---:|" + ("---:|---:|" if args.compare else ""))
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        for name, n, kind in cases:
            project = make_project(Path(tmp) / name, n, kind)
            count = len(yaml.safe_load((project / "data" / "resources.yaml").read_text())["resources"])
            _, printed = timed(ROOT, project)  # warm-up: bytecode cache, file cache
            similar = {"hub": set(SIMILAR.findall(printed))}
            times: dict[str, list[float | None]] = {h: [] for h in hubs}
            slow = set()
            for round_ in range(args.rounds):
                for h in (list(hubs) if round_ % 2 == 0 else list(hubs)[::-1]):
                    if h in slow:
                        continue
                    seconds, printed = timed(hubs[h], project, args.compare_timeout if h == "compare" else None)
                    times[h].append(seconds)
                    if seconds is None or seconds > 20:
                        slow.add(h)  # one run of the old code is enough to show it
                    if h == "compare" and seconds is not None:
                        similar["compare"] = set(SIMILAR.findall(printed))
            row = f"| {name} | {count:,} | {len(similar['hub']):,} | {_median(times['hub'])} | {_range(times['hub'])} |"
            if args.compare:
                hub, other = times["hub"], times["compare"]
                paired = len(hub) == len(other) and all(other)  # a slow compared run is not repeated
                ratio = f"{statistics.median(h / c for h, c in zip(hub, other, strict=True)):.3f}" if paired else ""
                row += f" {_median(other, args.compare_timeout)} | {ratio} |"
                if "compare" in similar and similar["compare"] != similar["hub"]:
                    failed = True
                    row += " DIFFERENT similar-title findings"
            print(row, flush=True)
    return 1 if failed else 0


def _median(times: list[float | None], timeout: float | None = None) -> str:
    if any(t is None for t in times):
        return f"> {timeout:.0f} s"
    return f"{statistics.median(times):.2f} s"


def _range(times: list[float | None]) -> str:
    return f"{min(times):.2f}–{max(times):.2f} s" if times and all(times) else ""


if __name__ == "__main__":
    sys.exit(main())
