"""`hub fmt`: write the data files in the one canonical layout (or, with --check, say what would change)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hub.catalogue.model import DATA_FILES
from hub.commands import data_option, write_job_summary
from hub.editor.changes import Change
from hub.editor.fmt import Formatted, format_file
from hub.exitcodes import ExitCode
from hub.problems import display_path, github_data, github_property

HELP = """Rewrite the data files in one canonical layout: fields in the
documented order, two-space indentation, quotes only where YAML needs them
(and always around phone numbers), long text folded at 100 characters. Every
comment and every value is kept, and the order of the items in each list is
never changed.

Without FILES: every data file in --data, and editorial/*.yaml.

--check changes nothing: it says, at each line, what would change ("line 12:
indent this line by 4 spaces, not 6") and exits 1 if any file would be
reformatted. --advisory (for pull requests, where layout never blocks a change)
reports the same and exits 0. --format github writes the changes as warnings
on the pull request's lines, and all of them in the job summary. A file that
is not valid YAML is never touched: its problem is reported (exit status 1).

Exit status: 0 nothing to change (or all written, or --advisory), 1 files would
change (--check) or could not be read, 2 internal error (nothing written)."""

SHOWN_PER_FILE = 40
"""At most this many changes are described per file (a file pasted in another layout has hundreds)."""

TITLE = "Layout (hub fmt)"
"""The title of each annotation on the pull request."""

APPLY = ("To apply every change: python -m hub fmt, or make the changes listed above by hand "
         "(see 'Layout: what hub fmt does' in CONTRIBUTING.md). Nothing about the content is wrong.")


@click.command(help=HELP)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@data_option
@click.option("--check", is_flag=True, help="Write nothing; say what would change; exit 1 if a file would change.")
@click.option("--advisory", is_flag=True, help="With --check: report, but exit 0 (the pull request's Layout check).")
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github: each change as a warning on the pull request's line, and all in the job summary.")
@click.option("--diff/--no-diff", "show_diff", default=False, help="Also show the changes as a unified diff.")
@click.option("--quiet", "-q", is_flag=True, help="Only print problems and the summary.")
def fmt(files: tuple[Path, ...], data_dir: Path, check: bool, advisory: bool, output: str, show_diff: bool,
        quiet: bool) -> ExitCode:
    root = Path.cwd()
    check = check or advisory
    targets = list(files) or _default_files(data_dir, root)
    results = [format_file(path, display_path(path, root)) for path in targets]
    unsafe = False
    for path, result in zip(targets, results, strict=True):
        if result.problems and output == "text":
            click.echo(f"cannot format {result.shown}; it was left unchanged:", err=True)
        for problem in result.problems:
            unsafe = unsafe or problem.code == "fmt-unsafe"
            if output == "text":
                click.echo(problem.render(), err=True)
        if result.changed:
            if output == "text" and not quiet:
                _print_changes(result, check, show_diff)
            if not check and result.after is not None:
                path.write_bytes(result.after.encode("utf-8"))
    if output == "github":
        click.echo(github_annotations(results, advisory))
        write_job_summary(markdown_report(results, advisory))
    click.echo(summary(results, check), err=True)
    if unsafe:
        return ExitCode.USAGE
    failed = any(r.problems for r in results) or (check and any(r.changed for r in results))
    return ExitCode.PROBLEMS if failed and not advisory else ExitCode.OK


def _default_files(data_dir: Path, root: Path) -> list[Path]:
    found = [data_dir / name for name in DATA_FILES if (data_dir / name).exists()]
    editorial = root / "editorial"
    return found + sorted(editorial.glob("*.yaml")) if editorial.is_dir() else found


def _shown(result: Formatted) -> tuple[list[Change], int]:
    changes = result.changes()
    return changes[:SHOWN_PER_FILE], max(0, len(changes) - SHOWN_PER_FILE)


def _print_changes(result: Formatted, check: bool, show_diff: bool) -> None:
    """'would reformat FILE:', then each change at its line, in words (and the diff with --diff)."""
    click.echo(f"{'would reformat' if check else 'reformatted'} {result.shown}" + (":" if check else ""), err=True)
    if check:
        changes, more = _shown(result)
        for change in changes:
            click.echo(f"{result.shown}:{change.line}: {change.text()}", err=True)
        if more:
            click.echo(f"… and {more} more change(s) in {result.shown}", err=True)
    if show_diff:
        sys.stderr.flush()
        click.echo(result.diff())
        sys.stdout.flush()  # keep the diff next to its file name in CI logs


def github_annotations(results: list[Formatted], advisory: bool = False) -> str:
    """One warning per change at its line (and each file that could not be read), for the pull request."""
    lines = []
    for result in results:
        for p in result.problems:
            where = f"file={github_property(p.file)}" + (f",line={p.line}" if p.line else "")
            text = f"the layout was not checked: {p.message}" + (" (the Data check explains it)" if advisory else "")
            lines.append(f"::{'warning' if advisory else 'error'} {where},title={github_property(TITLE)}::"
                         f"{github_data(text)}")
        changes, _ = _shown(result)
        for c in changes:
            where = f"file={github_property(result.shown)},line={c.line}" + (f",endLine={c.end}" if c.end else "")
            lines.append(f"::warning {where},title={github_property(TITLE)}::{github_data(c.text())}")
    return "\n".join(lines)


def markdown_report(results: list[Formatted], advisory: bool = False) -> str:
    """Every change as a table row (where, what to do, the lines to write), for the job summary."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", "<br>")

    out = ["### Layout check (`python -m hub fmt --check`)", ""]
    if advisory:
        out += ["Layout never blocks a pull request: these are suggestions, and the check stays green.", ""]
    rows = []
    for result in results:
        for p in result.problems:
            rows.append(f"| `{cell(p.location())}` | the layout was not checked: {cell(p.message)} | |")
        for c in result.changes():
            lines = "<br>".join(f"`{cell(x)}`" for x in c.detail_lines())
            rows.append(f"| `{cell(result.shown)}:{c.where().split(' ', 1)[1]}` | {cell(c.message)} | {lines} |")
    if rows:
        out += ["| Where | What to change | Lines |", "| --- | --- | --- |", *rows, ""]
    out.append(summary(results, check=True))
    return "\n".join(out)


def summary(results: list[Formatted], check: bool) -> str:
    """Black's summary: '1 file would be reformatted, 6 files would be left unchanged.'"""
    changed = sum(r.changed for r in results)
    failed = sum(bool(r.problems) for r in results)
    same = len(results) - changed - failed

    def n(count: int, what: str) -> str:
        return f"{count} file{'s' if count != 1 else ''} {what}"

    parts = []
    if changed:
        parts.append(n(changed, "would be reformatted" if check else "reformatted"))
    if same:
        parts.append(n(same, "would be left unchanged" if check else "left unchanged"))
    if failed:
        parts.append(n(failed, "could not be formatted"))
    text = ", ".join(parts or ["no files to format"]) + "."
    return text + " " + APPLY if check and changed else text
