"""`hub docs`: regenerate the field reference and the word list inside CONTRIBUTING.md."""

from __future__ import annotations

from pathlib import Path

import click

from hub.catalogue.reading import read_text
from hub.commands import data_option
from hub.editor.fieldref import BLOCKS, update
from hub.exitcodes import ExitCode

HELP = """Regenerate the generated parts of CONTRIBUTING.md: the field reference
(from the model, the same one the validator uses), the safe-messaging word
list (from editorial/language.yaml) and the subsection and topic ids (from
data/resources.yaml; with --check a list behind the data is only a warning,
since editors change the data in the browser). Each lives between markers such as
<!-- fields:start --> and <!-- fields:end -->; the rest of the file is
never touched.

--check writes nothing and exits 1 if the file is out of date (the tests and
CI run it, so the reference cannot drift from the model).

When editorial/language.yaml has a problem (not valid YAML, a field or a
pattern that is wrong, or the file is missing) the problems are shown, the
exit status is 1 and nothing is written: the word list is never regenerated
from part of the file."""


@click.command(help=HELP)
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=Path("CONTRIBUTING.md"),
              show_default=True, help="The Markdown file holding the markers.")
@click.option("--editorial", type=click.Path(file_okay=False, path_type=Path), default=Path("editorial"),
              show_default=True, help="Folder of the word list.")
@data_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file is out of date.")
def docs(path: Path, editorial: Path, data_dir: Path, check: bool) -> ExitCode:
    if not path.exists():
        click.echo(f"error: {path} does not exist", err=True)
        return ExitCode.USAGE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        for problem in read_text(path, path.as_posix())[1]:  # the loader's words for what is wrong
            click.echo(problem.render(), err=True)
        return ExitCode.PROBLEMS
    new, missing, problems = update(text, editorial, data_dir)
    if check and not missing and not problems and new != text and update(text, editorial)[0] == text:
        # The ids list follows data/resources.yaml, which editors change in the browser, where they
        # cannot run this command: like the layout (issue #15), it is reported, never a failure.
        click.echo(f"warning: {path}: the list of subsection and topic ids is behind data/resources.yaml; "
                   "run python -m hub docs to refresh it (this never fails a check)", err=True)
        return ExitCode.OK
    for problem in problems:
        click.echo(problem.render(), err=True)
    for name in missing:
        click.echo(f"error: {path}: the markers <!-- {name}:start --> and <!-- {name}:end --> are missing; "
                   "add them where the generated text should go", err=True)
    if problems:
        click.echo(f"{path} was not checked: fix the problems above first" if check else
                   f"{path} was left unchanged: fix the problems above, then run python -m hub docs again",
                   err=True)
    if missing or problems:
        return ExitCode.PROBLEMS
    if new == text:
        click.echo(f"{path} is up to date ({', '.join(BLOCKS)})", err=True)
        return ExitCode.OK
    if check:
        click.echo(f"{path} is out of date: run python -m hub docs", err=True)
        return ExitCode.PROBLEMS
    path.write_text(new, encoding="utf-8")
    click.echo(f"updated {path}", err=True)
    return ExitCode.OK
