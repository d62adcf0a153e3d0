"""`hub fmt`: write the data files in the one canonical layout (or, with --check, say what would change)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hub.catalogue.model import DATA_FILES
from hub.commands import data_option
from hub.editor.fmt import Formatted, format_file
from hub.exitcodes import ExitCode
from hub.problems import display_path

HELP = """Rewrite the data files in one canonical layout: fields in the
documented order, two-space indentation, quotes only where YAML needs them,
long text folded at 100 characters. Every comment and every value is kept,
and the order of the items in each list is never changed.

Without FILES: every data file in --data, and editorial/*.yaml.

--check changes nothing: it shows what would change and exits 1 if any file
would be reformatted (CI and pre-commit use it). A file that is not valid YAML
is never touched: its problem is reported and the exit status is 1.

Exit status: 0 nothing to change (or all written), 1 files would change
(--check) or could not be read, 2 internal error (nothing written)."""


@click.command(help=HELP)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@data_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file would change.")
@click.option("--diff/--no-diff", "show_diff", default=None,
              help="Show the changes as a diff (default: on with --check).")
@click.option("--quiet", "-q", is_flag=True, help="Only print problems and the summary.")
def fmt(files: tuple[Path, ...], data_dir: Path, check: bool, show_diff: bool | None, quiet: bool) -> ExitCode:
    root = Path.cwd()
    targets = list(files) or _default_files(data_dir, root)
    show_diff = check if show_diff is None else show_diff
    results = [format_file(path, display_path(path, root)) for path in targets]
    unsafe = False
    for path, result in zip(targets, results, strict=True):
        if result.problems:
            click.echo(f"cannot format {result.shown}; it was left unchanged:", err=True)
        for problem in result.problems:
            unsafe = unsafe or problem.code == "fmt-unsafe"
            click.echo(problem.render(), err=True)
        if result.changed:
            if not quiet:
                click.echo(f"{'would reformat' if check else 'reformatted'} {result.shown}", err=True)
            if show_diff and not quiet:
                click.echo(result.diff())
                sys.stdout.flush()  # keep the diff next to its file name in CI logs
            if not check and result.after is not None:
                path.write_bytes(result.after.encode("utf-8"))
    click.echo(summary(results, check), err=True)
    if unsafe:
        return ExitCode.USAGE
    failed = any(r.problems for r in results)
    return ExitCode.PROBLEMS if failed or (check and any(r.changed for r in results)) else ExitCode.OK


def _default_files(data_dir: Path, root: Path) -> list[Path]:
    found = [data_dir / name for name in DATA_FILES if (data_dir / name).exists()]
    editorial = root / "editorial"
    return found + sorted(editorial.glob("*.yaml")) if editorial.is_dir() else found


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
    if check and changed:
        text += (" To apply: python -m hub fmt (or copy the lines marked + above into the file; "
                 "see 'The fmt check' in CONTRIBUTING.md).")
    return text
