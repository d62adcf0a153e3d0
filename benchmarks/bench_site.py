"""Site build at scale: the hub's full build against a plain `mkdocs build` of the same pages.

For synthetic catalogues of 100, 1,000 and 10,000 resources this script runs,
each in a fresh process whose wall time and peak memory (max RSS) it records:

* full  : `hub build` as `make site` runs it: load and validate the YAML,
          render the pages and downloads, write them, MkDocs in strict mode,
          swap into place;
* plain : `mkdocs build --strict` of the very same generated Markdown and
          config, already written to disk as static files.

The difference is what the hub adds to the generator: reading and
validating the catalogue, rendering, writing, the Pagefind search index
(which plain MkDocs does not make; the theme's own search plugin is off in
both) and the swap. Issue 12 asks for the added time at each size and growth
no worse than linear (the old target of 10% at 10,000 resources is retired,
with the processes and early exits that chased it). The full build also
reports its stages (validate, render, generator, search index) from inside.

After one uncounted full build (it warms the file cache and Jinja2's compiled
templates for both), each round runs the two builds back to back, in ABBA
order (full first in even rounds, plain first in odd ones), so that a drift
in the machine's speed counts against both alike; the added cost is the
median of the rounds' differences.

    .venv/bin/python benchmarks/bench_site.py              # 100, 1000, 10000
    .venv/bin/python benchmarks/bench_site.py --sizes 100 1000

Figures and how to read them: benchmarks/README.md, "Site build".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_STARTED = time.perf_counter()
"""When this script started, before anything of the hub is imported (for the layer measured inside)."""

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOPICS = ["assessment", "safety-planning", "risk-scales", "aftercare", "older-adults", "young-people",
          "primary-care-topic", "involvement", "training-topic", "covid-19"]
TYPES = ["paper"] * 6 + ["guideline", "report", "guidance", "toolkit", "infographic", "website", "training"]
JOURNALS = ["British Journal of Psychiatry", "BMJ Open", "PLoS ONE", "Journal of Affective Disorders",
            "Lancet Psychiatry", "Psychological Medicine"]
SURNAMES = ["Kapur", "Cooper", "Steeg", "Quinlivan", "Hawton", "Gunnell", "Webb", "Clements", "Turnbull",
            "Mughal", "Bickley", "Ness", "Waters", "Carr", "Emsley"]
WORDS = ("self-harm psychosocial assessment repetition hospital presentation cohort study community "
         "services aftercare safety planning risk scales prediction older adults young people primary "
         "care emergency department liaison psychiatry qualitative survey outcomes").split()


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def synthetic_catalogue(n: int, out: Path, seed: int = 1) -> None:
    """A valid catalogue of `n` resources in six sections of four subsections, like the real one."""
    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    ids = [f"resource-{i:05d}" for i in range(n)]
    subsections = [[] for _ in range(24)]
    for i, rid in enumerate(ids):
        subsections[i % 24].append(rid)
        if i % 20 == 0:  # 5% listed in a second subsection, as the real data does
            subsections[(i + 7) % 24].append(rid)
    lines = ["topics:"]
    lines += [f"  - id: {t}\n    title: {q(t.replace('-', ' ').capitalize())}" for t in TOPICS]
    lines.append("sections:")
    for s in range(6):
        lines += [f"  - id: section-{s + 1}", f"    title: {q(f'Section {s + 1} of the hub')}",
                  f"    number: {s + 1}", f"    intro: {q('Guidance and research for people who self-harm.')}",
                  "    subsections:"]
        for k in range(4):
            sub = subsections[s * 4 + k]
            lines += [f"      - id: sub-{s + 1}-{k + 1}", f"        title: {q(f'Subsection {k + 1}')}",
                      "        resources:"]
            lines += [f"          - {rid}" for rid in sub]
    lines.append("resources:")
    for i, rid in enumerate(ids):
        kind = TYPES[i % len(TYPES)]
        title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14))).capitalize()
        year = 2000 + i % 24
        lines += [f"  - id: {rid}", f"    type: {kind}", f"    title: {q(title + f' ({i})')}"]
        if kind == "paper":
            authors = [f"{rnd.choice(SURNAMES)} {chr(65 + rnd.randint(0, 25))}" for _ in range(rnd.randint(2, 8))]
            lines += ["    authors:"] + [f"      - {q(a)}" for a in authors]
            lines += [f"    journal: {q(rnd.choice(JOURNALS))}", f"    volume: {i % 300}", f"    issue: {i % 12 + 1}",
                      f"    pages: {q(f'{i % 900 + 1}-{i % 900 + 9}')}", f"    doi: {q(f'10.1000/bench.{i}')}"]
        else:
            lines.append("    organisation: NICE")
        lines += [f"    year: {year}", f"    url: https://example.org/resources/{rid}",
                  f"    summary: {q(' '.join(rnd.choice(WORDS) for _ in range(30)).capitalize() + '.')}",
                  "    audience: [adults]", "    setting: [hospital, community]",
                  f"    topics: [{TOPICS[i % 10]}, {TOPICS[(i + 3) % 10]}]",
                  f"    added: {dt.date(2024, 1, 1) + dt.timedelta(days=i % 600)}"]
        if i % 3 == 0:  # a third reviewed since, as editors would (hub review --mark-reviewed)
            lines.append(f"    last_reviewed: {dt.date(2024, 1, 1) + dt.timedelta(days=i % 600 + 200)}")
        if i % 50 == 1 and i > 1:
            lines += ["    status: superseded", f"    superseded_by: {ids[i - 1]}"]
    (out / "resources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fixture = ROOT / "tests" / "site" / "fixtures" / "data"
    for name in ("events.yaml", "measures.yaml", "organisations.yaml", "people.yaml", "programme.yaml",
                 "helplines.yaml"):
        shutil.copy(fixture / name, out / name)
    measures = (out / "measures.yaml").read_text(encoding="utf-8")
    (out / "measures.yaml").write_text(measures.replace("[nice-qs34]", f"[{ids[0]}]")
                                       .replace("[nice-ng225]", f"[{ids[0]}]"), encoding="utf-8")


# --- the two builds, each in a child process --------------------------------------------


def child_full(data: Path, site_dir: Path) -> None:
    """`hub build`, with each stage timed (printed as JSON on the last line)."""
    stages = {}
    t = time.perf_counter()
    from hub.catalogue.checks import validate
    from hub.catalogue.yamlfile import paused_gc
    from hub.render import banner_lines, navigation, render
    from hub.site import build as site

    with paused_gc(freeze=True):  # as hub build does
        result = validate(data, root=ROOT)
    assert not result.failed(), [p.headline() for p in result.errors][:5]
    stages["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    catalogue = result.load.catalogue
    files = render(catalogue, dt.date(2026, 1, 1))
    stages["render"] = time.perf_counter() - t
    t = time.perf_counter()
    built = site.build_site(files, project=site.Project.at(ROOT / "mkdocs.yml"), site_dir=site_dir,
                            nav=navigation(catalogue), extra={"urgent_help": banner_lines(catalogue)},
                            keep_work=True)
    stages["write+generator+swap"] = time.perf_counter() - t
    stages["generator"] = built.engine_seconds
    stages["search"] = built.search_seconds
    # Everything this process did besides running the generator: importing
    # the hub, validating, rendering, writing, swapping.
    stages["layer"] = time.perf_counter() - _STARTED - built.engine_seconds
    # The work folder keeps the generated docs and config: the plain build reuses them as static files.
    print(json.dumps({"stages": stages, "work": str(built.kept_work)}))


def run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """Run `cmd` in a child and return (wall seconds, peak RSS MiB, stdout) using os.wait4."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    # Read both pipes fully before waiting, so a chatty child never blocks.
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, out


def bench(n: int, tmp: Path, repeat: int) -> dict:
    """A warm-up build, then `repeat` rounds of a full and a plain build, in ABBA order (full first in even rounds)."""
    data = tmp / f"data-{n}"
    site = tmp / f"site-full-{n}"
    synthetic_catalogue(n, data)
    row: dict = {"n": n, "yaml_mb": (data / "resources.yaml").stat().st_size / 1e6,
                 "full_s": [], "full_mb": [], "plain_s": [], "plain_mb": [], "stages": []}
    work: Path | None = None

    def full() -> None:
        nonlocal work
        seconds, mb, out = run_measured([sys.executable, __file__, "--child", "full", str(data), str(site)])
        child = json.loads(out.strip().splitlines()[-1])
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        work = Path(child["work"])
        row["pages_mb"] = sum(p.stat().st_size for p in (work / "docs").rglob("*.md")) / 1e6
        row["full_s"].append(seconds)
        row["full_mb"].append(mb)
        row["stages"].append(child["stages"])

    def plain() -> None:
        seconds, mb, _ = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                                       "-f", str(work / "mkdocs.yml")])
        row["plain_s"].append(seconds)
        row["plain_mb"].append(mb)

    try:
        full()  # warm-up, not counted: the OS's file cache and Jinja2's compiled templates, for both builds
        for key in ("full_s", "full_mb", "stages"):
            row[key].clear()
        for round_ in range(repeat):
            for build in ((full, plain) if round_ % 2 == 0 else (plain, full)):
                build()
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return row


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _span(values: list[float]) -> str:
    """'34.7 s (33.9–35.2)': the median and, over several rounds, the range."""
    text = f"{_median(values):.1f} s"
    return text + (f" ({min(values):.1f}–{max(values):.1f})" if len(values) > 1 else "")


def report(rows: list[dict]) -> str:
    """A Markdown table: the two builds side by side (medians), then where the difference goes."""
    lines = [
        "| resources | YAML | pages | full build | plain mkdocs | added (paired) | layer measured inside "
        "| of which reading and validating | of which render | of which search index "
        "| peak memory full / plain | full / plain s per 1,000 |",
        "|" + "---:|" * 12,
    ]
    for r in rows:
        full, plain = _median(r["full_s"]), _median(r["plain_s"])
        # Each round runs the two builds back to back: the median of the paired
        # differences cancels the machine's slower and faster minutes.
        added = _median([f - p for f, p in zip(r["full_s"], r["plain_s"], strict=True)])
        stage = {key: _median([st.get(key, 0.0) for st in r["stages"]])
                 for key in ("layer", "validate", "render", "search")}
        lines.append(
            f"| {r['n']:,} | {r['yaml_mb']:.1f} MB | {r['pages_mb']:.1f} MB | {_span(r['full_s'])} | "
            f"{_span(r['plain_s'])} | {added:+.1f} s ({added / plain * 100:+.1f}%) | "
            f"{stage['layer']:.1f} s ({stage['layer'] / plain * 100:.1f}%) | {stage['validate']:.1f} s | "
            f"{stage['render']:.1f} s | {stage['search']:.1f} s | {_median(r['full_mb']):.0f} / {_median(r['plain_mb']):.0f} MB | "
            f"{full / r['n'] * 1000:.1f} / {plain / r['n'] * 1000:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size; medians are reported (default 3)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every round's figures to FILE")
    parser.add_argument("--child", nargs=3, metavar=("ROLE", "DATA", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _, data, out = args.child
        child_full(Path(data), Path(out))
        return
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; each build in a fresh process.", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for n in args.sizes:
            rows.append(bench(n, Path(tmp), args.repeat))
            print(f"  {n:,} resources done (full {_span(rows[-1]['full_s'])}, plain {_span(rows[-1]['plain_s'])})",
                  flush=True)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
