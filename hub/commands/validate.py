"""`hub validate`: check every data file and report every problem."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from hub.catalogue.checks import Validation
from hub.catalogue.checks import validate as run_validate
from hub.catalogue.vocabulary import ResourceType
from hub.commands import data_option, write_job_summary
from hub.exitcodes import ExitCode
from hub.problems import Severity, github_data, github_property, sort_problems

HELP = """Check every data file and report every problem, one per line as
path:line:column, with the field and how to fix it.

Exit status: 0 when there are no errors (notices and warnings allowed),
1 when there are errors (or warnings, with --strict), 2 on usage errors."""


@click.command(help=HELP)
@data_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for annotations on a pull request's lines "
                   "(and every problem in the job summary).")
@click.option("--notices", "list_notices", is_flag=True,
              help="List every notice (by default one line says how many there are of each kind).")
@click.option("--no-source", is_flag=True, help="Do not print the offending line under each problem.")
def validate(data_dir: Path, strict: bool, fmt: str, list_notices: bool, no_source: bool) -> ExitCode:
    result = run_validate(data_dir, root=Path.cwd())
    editorial = data_dir.parent / "editorial"  # beside the data folder, as hub review finds it
    if editorial.is_dir():  # ids named in editorial/*.yaml are checked like the data's (issue #15)
        from hub.editor.editorial_ids import editorial_problems

        result.problems = sort_problems(result.problems + editorial_problems(editorial, result.load, Path.cwd()))
    if fmt == "github":
        click.echo(github_annotations(result, strict))
        write_job_summary(markdown_report(result, strict))
        print_report(result, strict, show_source=False, list_notices=list_notices, problems=False)
    elif fmt == "json":
        click.echo(json.dumps({
            "ok": not result.failed(strict),
            "counts": result.counts,
            "resource_types": result.resource_types,
            "without_link": result.without_link,
            "problems": [p.to_dict() for p in result.problems],
        }, indent=2, ensure_ascii=False))
    else:
        print_report(result, strict, show_source=not no_source, list_notices=list_notices)
    return ExitCode.PROBLEMS if result.failed(strict) else ExitCode.OK


def print_report(result: Validation, strict: bool = False, show_source: bool = True, list_notices: bool = False,
                 problems: bool = True) -> None:
    """Errors and warnings in full, the notices (one line, or each with `list_notices`), then the summary."""
    if problems:
        for problem in result.errors + result.warnings:
            click.echo(problem.render(show_source=show_source), err=True)
    if result.notices and list_notices:
        click.echo(f"notices ({len(result.notices)}): nothing to fix now, listed so nothing is forgotten", err=True)
        for problem in result.notices:
            click.echo(f"  {problem.headline()}", err=True)
        guides = ", ".join(dict.fromkeys(p.guide for p in result.notices))
        click.echo(f"  see: {guides}", err=True)
    elif result.notices:
        kinds = Counter(p.code for p in result.notices)
        listed = ", ".join(f"{n} {code}" for code, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        click.echo(f"notices: {listed} (nothing to fix now; --notices lists them)", err=True)
    click.echo(summary(result, strict), err=True)


def github_annotations(result: Validation, strict: bool = False) -> str:
    """One workflow command per error and warning, at its file, line and column (GitHub shows them on the diff)."""
    lines = []
    for p in result.errors + result.warnings:
        level = "error" if p.severity is Severity.ERROR or strict else "warning"
        props = f"file={github_property(p.file)}"
        if p.line is not None:
            props += f",line={p.line}" + (f",col={p.column}" if p.column is not None else "")
        message = (p.said + (f"\nhint: {p.hint}" if p.hint else "")
                   + f"\nsee: {p.guide}")
        lines.append(f"::{level} {props},title={github_property(p.code)}::{github_data(message)}")
    return "\n".join(lines)


def markdown_report(result: Validation, strict: bool = False) -> str:
    """Every error and warning as a Markdown table, then the summary (for the job summary)."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = ["### Data check (`python -m hub validate`)", ""]
    listed = result.errors + result.warnings
    if listed:
        out += ["| Where | Problem | How to fix it |", "| --- | --- | --- |"]
        for p in listed:
            what = p.said + f" (`{p.code}`)"
            out.append(f"| `{cell(p.location())}` | {p.severity.value}: {cell(what)} | {cell(p.hint)} |")
        out.append("")
    out += [f"    {line}" for line in summary(result, strict).splitlines()]
    return "\n".join(out)


COUNTED_IN = {"resources": "resources.yaml", "sections": "resources.yaml", "subsections": "resources.yaml",
              "topics": "resources.yaml", "events": "events.yaml", "talks": "events.yaml",
              "organisations": "organisations.yaml", "people": "people.yaml", "measures": "measures.yaml",
              "helplines": "helplines.yaml"}
"""Which data file holds the records each count counts."""


def summary(result: Validation, strict: bool = False) -> str:
    """The counts of what validated, then the verdict; a file that could not be read is named, not counted as 0."""
    unread = {shown.rsplit("/", 1)[-1]: shown for shown in result.unreadable}
    counts = {k: n for k, n in result.counts.items() if COUNTED_IN.get(k) not in unread}
    lines = [f"{shown} could not be read (see the error above), so its records are not counted"
             for shown in unread.values()]
    if counts.get("resources"):
        types = ", ".join(f"{n} {ResourceType(t).label.lower()}" for t, n in
                          sorted(result.resource_types.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{counts['resources']} resources: {types}")
        lines.append(", ".join(f"{counts[k]} {k}" for k in
                               ("sections", "subsections", "topics", "events", "talks", "organisations",
                                "people", "measures", "helplines") if k in counts))
        organisations = len(result.organisations_without_link)
        also = f" (nor {organisations} organisation{'s' * (organisations != 1)})" if organisations else ""
        lines.append(f"{len(result.without_link)} resources have no verified link yet{also}")
    verdict = "FAILED" if result.failed(strict) else "OK"
    lines.append(
        f"{verdict}: {len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        f"{' (treated as errors: --strict)' if strict and result.warnings else ''}, "
        f"{len(result.notices)} notice(s)"
    )
    return "\n".join(lines)
