"""`hub check-links`: gather links from the chosen sources, check them, print a report, exit 0, 1 or 2."""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from datetime import timedelta
from pathlib import Path

import click

from hub.exitcodes import ExitCode
from hub.links.config import DEFAULT_CONFIG, ConfigError, LinksConfig, load_config
from hub.links.sources import (
    SourceError,
    catalogue_files,
    catalogue_links,
    changed_lines,
    only_changed,
    url_file_links,
)
from hub.links.state import CACHE_PATH, STATE_PATH, History, ResultsCache
from hub.links.types import Link, LinkResult, LinkStatus, merge_links
from hub.links.urls import hostname
from hub.problems import display_path

HELP = """Check the links of the catalogue, of a built site or of a URL list.

\b
By default every url, *_url and doi in data/*.yaml is checked. Exit status:
0 nothing is broken, 1 a link is broken (or unverifiable, with --strict),
2 a usage error (bad flag, unreadable config or URL list) or an internal error.
See docs/links.md for what each status means and how to fix it.
"""


def check(links: list[Link], config: LinksConfig, cache: ResultsCache | None = None, on_result=None):
    """`hub.links.checker.check`, imported when there is something to check: it brings in urllib3 and http.client."""
    from hub.links.checker import check as check_links

    return check_links(links, config, cache, on_result)


class UsageProblem(click.ClickException):
    """A mistake in how the command was called or configured: one sentence, exit 2."""

    exit_code = ExitCode.USAGE


@click.command("check-links", help=HELP)
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"), show_default=True,
              help="The catalogue's data folder (its *.yaml files are read, not its subfolders).")
@click.option("--catalogue", is_flag=True, help="Also check the catalogue when --site or --urls is given.")
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False),
              help="A built site: check its internal links and #anchors, and its external links.")
@click.option("--internal-only", is_flag=True, help="With --site: check internal links and anchors only.")
@click.option("--urls", "url_file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="A file with one URL per line ('-' for standard input).")
@click.option("--changed-since", metavar="REF",
              help="Only catalogue links on lines added or changed since the git revision REF.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help=f"The settings file (default: {DEFAULT_CONFIG} when it exists).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown", "github"]),
              default="text", show_default=True, help="What to print on standard output.")
@click.option("--json-out", type=click.Path(path_type=Path, dir_okay=False), help="Also write the JSON report here.")
@click.option("--markdown-out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the Markdown report here.")
@click.option("--strict", is_flag=True, help="Fail on unverifiable links too.")
@click.option("--confirm-twice", is_flag=True,
              help="Report a link as broken only after it failed in two consecutive runs (needs the state file).")
@click.option("--cache", "cache_path", type=click.Path(path_type=Path, dir_okay=False), default=CACHE_PATH,
              show_default=True, help="The results cache.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--state", "state_path", type=click.Path(path_type=Path, dir_okay=False), default=STATE_PATH,
              show_default=True, help="The history of each link (last ok, failing since).")
@click.option("--no-state", is_flag=True, help="Neither read nor write the state file.")
@click.option("--max-concurrency", type=click.IntRange(1, 256), help="Override the global limit of requests in flight.")
@click.option("--max-per-host", type=click.IntRange(1, 64), help="Override the per-host limit of requests in flight.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: only on a terminal, never in CI).")
@click.option("-v", "--verbose", is_flag=True, help="List ok and skipped links too (text format).")
def check_links(**options) -> ExitCode:
    return run(**options)


def run(data_dir: Path, catalogue: bool, site_dir: Path | None, internal_only: bool, url_file: Path | None,
        changed_since: str | None, config_path: Path | None, output_format: str, json_out: Path | None,
        markdown_out: Path | None, strict: bool, confirm_twice: bool, cache_path: Path, no_cache: bool,
        state_path: Path, no_state: bool, max_concurrency: int | None, max_per_host: int | None,
        progress: bool | None, verbose: bool) -> ExitCode:
    """The whole command, top to bottom; returns the exit code."""
    _check_report_paths(json_out=json_out, markdown_out=markdown_out)
    config = _config(config_path, max_concurrency, max_per_host)
    if internal_only and site_dir is None:
        raise click.UsageError("--internal-only only makes sense with --site DIR")
    if confirm_twice and no_state:
        raise click.UsageError("--confirm-twice needs the state file; drop --no-state")

    # 1. Gather links from the sources, each with its file and line.
    links: list[Link] = []
    internal: list[LinkResult] = []
    notes: list[str] = []
    input_errors = 0
    try:
        if catalogue or (site_dir is None and url_file is None):
            found, problems = catalogue_links(data_dir, config.doi_resolver)
            for problem in problems:
                click.echo(problem.render(), err=True)
            input_errors = len(problems)
            if changed_since is not None:
                changed = changed_lines(changed_since, catalogue_files(data_dir))
                found = only_changed(found, changed)
                notes.append(f"links on lines changed since {changed_since}")
            links += found
        if site_dir is not None:
            if not site_dir.is_dir():
                raise SourceError(f"the site folder '{site_dir}' does not exist: build it first (make site)")
            from hub.links.builtsite import site_links  # only for a built site (html.parser)

            site = site_links(site_dir)
            internal = site.internal
            notes.append(f"{site.pages:,} pages")
            if not internal_only:
                links += site.external
        if url_file is not None:
            links += url_file_links(url_file)
    except SourceError as exc:
        raise UsageProblem(str(exc)) from None
    links = merge_links(links)
    # The modules, the settings and the links live as long as this process: frozen, the garbage
    # collector stops walking them during the run and when the interpreter shuts down (40-100 ms
    # for the benchmark's 1,000 links, more on a busy machine). Objects made from here on are
    # collected as usual, and the shutdown is otherwise the normal one (atexit, flushing). Frozen
    # once per process, so running the command many times in one (the tests) does not freeze
    # their garbage again and again.
    if not gc.get_freeze_count():
        gc.freeze()

    # 2. Check them, remembering results between runs.
    cache = None if no_cache else ResultsCache(cache_path, timedelta(hours=config.cache_ttl_hours))
    history = None if no_state else History.load(state_path)
    for warning in (cache.warnings if cache else []) + (history.warnings if history else []):
        click.echo(f"warning: {warning}", err=True)
    bar = _progress_bar(len(links), progress)
    try:
        results, stats = check(links, config, cache, on_result=(lambda _: bar.update(1)) if bar else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if looks_offline(results):
        raise UsageProblem(
            f"no answer from any of the {len(_hosts(results))} hosts checked (every lookup or connection failed): "
            "this machine looks offline or behind a proxy, so no link was judged broken. "
            "Check the network (or HTTPS_PROXY) and run again."
        )
    if history is not None:
        history.apply(results, confirm_twice)
    _save(cache, history)
    if stats.fetched or stats.cached:
        notes.append(f"{stats.fetched:,} fetched with {stats.requests:,} requests, {stats.cached:,} from the cache")

    # 3. Report (imported after the checking, which need not wait for it).
    from hub.links import report as fmt

    report = fmt.LinkReport(internal + results, strict=strict, notes=notes, input_errors=input_errors)
    # Each format is made only if it is written or printed, and once (the JSON of 1,000 links took
    # 10-15 ms, made even when nobody asked for it).
    as_json = fmt.to_json(report) if json_out is not None or output_format == "json" else None
    as_markdown = fmt.to_markdown(report) if markdown_out is not None or output_format == "markdown" else None
    if json_out is not None:
        _write(json_out, as_json)
    if markdown_out is not None:
        _write(markdown_out, as_markdown)
    if output_format == "json":
        click.echo(as_json)
    elif output_format == "markdown":
        click.echo(as_markdown)
    elif output_format == "github":
        click.echo(fmt.to_github(report))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            # Annotations stop at 10 per kind; the job summary lists every failure.
            _write(Path(summary), as_markdown or fmt.to_markdown(report), append=True)
    else:
        click.echo(fmt.to_text(report, verbose=verbose))
    if input_errors:
        click.echo(f"{input_errors} data file problem(s) above: the links in those files were not checked.",
                   err=True)
    return report.exit_code


OFFLINE_MIN_HOSTS = 5
"""With this many distinct hosts and not one HTTP answer, the network is down, not the links."""


def _hosts(results: list[LinkResult]) -> set[str]:
    return {hostname(r.url) for r in results if r.url.startswith(("http://", "https://"))}


def looks_offline(results: list[LinkResult]) -> bool:
    """True when every fetched web link failed without any HTTP answer, across many hosts.

    A red run must mean a link is really broken: a runner without network
    would otherwise call every link "name not found".
    """
    fetched = [r for r in results if r.requests and r.url.startswith(("http://", "https://"))]
    # One answer settles it; only then count the hosts (which parses every address again).
    if not all(r.code is None and r.status is LinkStatus.BROKEN for r in fetched):
        return False
    return len(_hosts(fetched)) >= OFFLINE_MIN_HOSTS


def _config(path: Path | None, max_concurrency: int | None, max_per_host: int | None) -> LinksConfig:
    if path is None and Path(DEFAULT_CONFIG).is_file():
        path = Path(DEFAULT_CONFIG)
    elif path is not None and not path.is_file():
        raise UsageProblem(f"the config file '{path}' does not exist")
    try:
        config = load_config(path, display_path(path) if path else None)
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(problem.render(show_source=False), err=True)
        raise UsageProblem(f"{display_path(path)} has {len(exc.problems)} problem(s); "
                           "fix them and run again (see docs/links.md)") from None
    updates = {k: v for k, v in (("max_concurrency", max_concurrency), ("max_per_host", max_per_host)) if v}
    return dataclasses.replace(config, **updates) if updates else config


def _progress_bar(total: int, wanted: bool | None):
    if wanted is None:
        wanted = sys.stderr.isatty() and not os.environ.get("CI")
    if not wanted or total == 0:
        return None
    bar = click.progressbar(length=total, label="Checking links", file=sys.stderr, show_pos=True)
    bar.__enter__()
    return bar


def _save(cache: ResultsCache | None, history: History | None) -> None:
    for store in (cache, history):
        if store is None:
            continue
        try:
            store.save()
        except OSError as exc:
            click.echo(f"warning: cannot write {store.path} ({exc.strerror}); the next run will not remember this one",
                       err=True)


def _check_report_paths(**paths: Path | None) -> None:
    """Before any link is checked: a report file may not land inside the project's own folders (hub.outputs)."""
    from hub.outputs import OutputRefused, check_output_file

    for flag, path in paths.items():
        if path is not None:
            try:
                check_output_file(path, Path.cwd(), "--" + flag.replace("_", "-"))
            except OutputRefused as exc:
                raise UsageProblem(str(exc)) from None


def _write(path: Path | None, text: str, append: bool = False) -> None:
    if path is None:
        return
    try:
        if path.parent != Path("."):
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a" if append else "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise UsageProblem(f"cannot write the report to '{path}': {exc.strerror}") from None
