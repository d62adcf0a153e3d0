"""Search at scale: what a phone downloads before the first results, and how soon they appear.

Two set-ups, built from the same data and served the same way (gzip, like
GitHub Pages; tests/e2e/harness.py), driven in Chromium at phone size:

* pagefind : the hub's search (`hub build`: Pagefind over the built pages,
             hub/site/search.py, and the box in content/assets/search.js);
* material : Material for MkDocs' own search (a lunr index in a web worker,
             one `search/search_index.json`), with its default settings;
* tuned    : Material's search with the one relevance setting it offers
             turned down: a title weighs 10 times the text instead of 1,000
             times (`plugins.search.fields.title.boost`).

For each catalogue size (the real one in data/, and synthetic ones of
10,000 resources from benchmarks/bench_site.py) and each query, a fresh
browser context (an empty cache: a first visit) opens the home page and, as
soon as it has loaded, types the query. Recorded: the bytes transferred
for the search (Pagefind's files and search.js; Material's search worker and
index) until the results are on the screen, and the time from the end of
typing to the first results (cold); then a second query on the same page
(warm). On the real catalogue the relevance set (tests/e2e/search_relevance.yaml)
is scored for each set-up as well.

    .venv/bin/python benchmarks/bench_search.py                 # 89 (data/) and 10,000
    .venv/bin/python benchmarks/bench_search.py --sizes real    # the real catalogue only
    .venv/bin/python benchmarks/bench_search.py --setups pagefind --sizes 10000

Not a test (no timing is asserted anywhere); figures: benchmarks/README.md, "Search".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import synthetic_catalogue  # noqa: E402

from tests.e2e import harness, relevance  # noqa: E402

SETUPS = ("pagefind", "material", "tuned")
QUERIES = {
    "real": ["Journal of Affective Disorders", "safety planning", "Hawton", "NG225"],
    "synthetic": ["Journal of Affective Disorders", "safety planning", "Quinlivan", "liaison psychiatry cohort"],
}
WARM_QUERY = "older adults"
MATERIAL_SEARCH = {
    "material": "plugins:\n  - search\n",
    "tuned": "plugins:\n  - search:\n      fields:\n        title:\n          boost: 10\n",
}
KB = 1000


# --- the sites ------------------------------------------------------------------------


def material_project(setup: str, where: Path) -> Path:
    """A copy of the project's site sources with Material's search on (and its header back)."""
    project = where / f"project-{setup}"
    if project.exists():
        return project / "mkdocs.yml"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "overrides" / "partials" / "header.html").unlink()  # Material's own header, with its search
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    off = "plugins:\n  - search:\n      enabled: false\n"
    assert off in config, "mkdocs.yml no longer turns the search plugin off as expected: update this benchmark"
    config = config.replace(off, MATERIAL_SEARCH[setup])
    config = config.replace("    - toc.follow\n", "    - toc.follow\n    - search.highlight\n")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project / "mkdocs.yml"


def build(setup: str, data: Path, out: Path, where: Path) -> float:
    config = ROOT / "mkdocs.yml" if setup == "pagefind" else material_project(setup, where)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "hub", "build", "--data", str(data), "--site-dir", str(out),
                           "--config", str(config), "--build-date", "2026-01-01"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        raise SystemExit(f"build failed ({setup}):\n{proc.stdout}\n{proc.stderr}")
    return time.perf_counter() - started


# --- in the browser ---------------------------------------------------------------------

MATERIAL_TYPE = """([query]) => {
  // Material's worker drops a query typed before its index is built; type it again until results show.
  if (document.querySelector('.md-search-result__item')) return true;
  const input = document.querySelector('input.md-search__input');
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  return false;
}"""


def is_search_request(setup: str, url: str) -> bool:
    if setup == "pagefind":
        return "/pagefind/" in url or url.endswith("/assets/search.js")
    return "search" in url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]  # workers/search.*.js, search/…


def type_and_wait(page, setup: str, query: str, timeout: float = 120_000) -> float:
    """Type the query at once and wait for the first results; the seconds that took."""
    started = time.perf_counter()
    if setup == "pagefind":
        page.fill("#hub-search-q", query)
        page.wait_for_function(harness.SEARCH_DONE, arg=[query], polling="raf", timeout=timeout)
    else:
        page.fill("input.md-search__input", query)
        page.wait_for_function(MATERIAL_TYPE, arg=[query], polling=100, timeout=timeout)
    return time.perf_counter() - started


def first_results(browser, base_url: str, setup: str, query: str) -> dict:
    context = browser.new_context(viewport=harness.PHONE, is_mobile=True, has_touch=True)
    harness.only_local(context, base_url, [])
    finished: list = []
    context.on("requestfinished", lambda r: finished.append(r))
    page = context.new_page()
    page.goto(base_url)  # "load": scripts have run
    if setup == "pagefind" and page.locator(".hub-search__open").is_visible():
        page.click(".hub-search__open")
    elif setup != "pagefind":
        page.click("label.md-header__button[for='__search']")
    cold = type_and_wait(page, setup, query)
    bytes_, requests = 0, 0
    for request in list(finished):
        if is_search_request(setup, request.url):
            sizes = request.sizes()
            response = request.response()
            body = sizes["responseBodySize"] or int((response and response.header_value("content-length")) or 0)
            bytes_ += body + sizes["responseHeadersSize"]
            requests += 1
    if setup == "pagefind":
        page.fill("#hub-search-q", "")
    else:
        page.fill("input.md-search__input", "")
        page.wait_for_function("!document.querySelector('.md-search-result__item')")
    warm = type_and_wait(page, setup, WARM_QUERY)
    context.close()
    return {"query": query, "bytes": bytes_, "requests": requests, "cold_s": cold, "warm_s": warm}


def material_hrefs(page, query: str) -> list[str]:
    page.fill("input.md-search__input", "")
    page.wait_for_function("!document.querySelector('.md-search-result__item')")
    page.fill("input.md-search__input", query)
    try:
        page.wait_for_function(MATERIAL_TYPE, arg=[query], polling=200, timeout=5_000)
    except Exception:  # noqa: BLE001 - no result at all
        return []
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.getAttribute('href'))")


def relevance_of(browser, base_url: str, setup: str, catalogue) -> list[str]:
    page = browser.new_page(viewport=harness.DESKTOP)
    page.goto(base_url)
    outcomes = []
    for query in relevance.load_queries():
        if setup == "pagefind":
            harness.search(page, query.query)
            results = harness.search_results(page)
            hrefs = [r["href"] for r in results]
            marked = {relevance.entry_of(r["href"], catalogue.resources): r["status"] == "superseded"
                      for r in results}
        else:
            hrefs, marked = material_hrefs(page, query.query), None
        outcomes.append(relevance.score(query, hrefs, catalogue, marked))
    page.close()
    return relevance.report(outcomes, setup)


def measure(site: Path, setup: str, queries: list[str], catalogue=None) -> dict:
    from playwright.sync_api import sync_playwright

    files = [p for p in site.rglob("*") if p.is_file()]
    if setup == "pagefind":
        index_bytes = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    else:
        index_bytes = (site / "search" / "search_index.json").stat().st_size
    row = {"setup": setup, "site_mb": sum(p.stat().st_size for p in files) / 1e6, "index_bytes": index_bytes}
    with harness.serve(site) as url, sync_playwright() as playwright:
        browser = harness.launch(playwright)
        row["runs"] = [first_results(browser, url, setup, q) for q in queries]
        if catalogue is not None:
            row["relevance"] = relevance_of(browser, url, setup, catalogue)
        browser.close()
    return row


def load_catalogue(data: Path):
    from hub.catalogue.checks import validate

    result = validate(data, root=ROOT)
    assert not result.failed(), [p.headline() for p in result.errors][:5]
    return result.load.catalogue


def summary(rows: list[dict]) -> list[str]:
    lines = ["| resources | set-up | build | index on disk | downloaded before the first results "
             "| requests | first results (cold) | next query (warm) |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        runs = row["runs"]
        kb = [r["bytes"] / KB for r in runs]
        cold = [r["cold_s"] for r in runs]
        lines.append(
            f"| {row['n']:,} | {row['setup']} | {row['build_s']:.0f} s | {row['index_bytes'] / 1e6:.2f} MB "
            f"| {statistics.median(kb):.0f} KB ({min(kb):.0f}–{max(kb):.0f}) "
            f"| {statistics.median([r['requests'] for r in runs]):.0f} "
            f"| {statistics.median(cold):.2f} s ({min(cold):.2f}–{max(cold):.2f}) "
            f"| {statistics.median([r['warm_s'] for r in runs]):.2f} s |")
    for row in rows:
        lines += row.get("relevance", [])[:1]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["real", "10000"], help="'real' and/or resource counts")
    parser.add_argument("--setups", nargs="+", default=list(SETUPS), choices=SETUPS)
    parser.add_argument("--json", type=Path, help="also write every run here")
    parser.add_argument("--keep", type=Path, help="build the sites here and keep them")
    args = parser.parse_args()
    missing = harness.chromium_missing()
    if missing:
        raise SystemExit(missing)
    rows = []
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        for size in args.sizes:
            if size == "real":
                data, kind = ROOT / "data", "real"
            else:
                data, kind = tmp / f"data-{size}", "synthetic"
                if not data.exists():
                    synthetic_catalogue(int(size), data)
            catalogue = load_catalogue(data)
            for setup in args.setups:
                site = tmp / f"site-{size}-{setup}"
                seconds = build(setup, data, site, tmp)
                row = measure(site, setup, QUERIES[kind], catalogue if kind == "real" else None)
                row.update(n=len(catalogue.resources), build_s=seconds)
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "relevance"}), flush=True)
                for line in row.get("relevance", []):
                    print(line, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(summary(rows)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
