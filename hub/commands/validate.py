"""`hub validate`: check every data file and report every problem."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hub.catalogue.checks import Validation
from hub.catalogue.checks import validate as run_validate
from hub.catalogue.vocabulary import ResourceType
from hub.commands import data_option
from hub.exitcodes import ExitCode

HELP = """Check every data file and report every problem, one per line as
path:line:column, with the field and how to fix it.

Exit status: 0 when there are no errors (notices and warnings allowed),
1 when there are errors (or warnings, with --strict), 2 on usage errors."""


@click.command(help=HELP)
@data_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
@click.option("--no-source", is_flag=True, help="Do not print the offending line under each problem.")
def validate(data_dir: Path, strict: bool, fmt: str, no_source: bool) -> ExitCode:
    result = run_validate(data_dir, root=Path.cwd())
    if fmt == "json":
        click.echo(json.dumps({
            "ok": not result.failed(strict),
            "counts": result.counts,
            "resource_types": result.resource_types,
            "without_link": result.without_link,
            "problems": [p.to_dict() for p in result.problems],
        }, indent=2, ensure_ascii=False))
    else:
        print_report(result, strict, show_source=not no_source)
    return ExitCode.PROBLEMS if result.failed(strict) else ExitCode.OK


def print_report(result: Validation, strict: bool = False, show_source: bool = True) -> None:
    """Errors and warnings in full, notices one line each, then the summary."""
    serious = [p for p in result.problems if p not in result.notices]
    for problem in serious:
        click.echo(problem.render(show_source=show_source), err=True)
    if result.notices:
        click.echo(f"notices ({len(result.notices)}): nothing to fix now, listed so nothing is forgotten", err=True)
        for problem in result.notices:
            click.echo(f"  {problem.headline()}", err=True)
    click.echo(summary(result, strict), err=True)


def summary(result: Validation, strict: bool = False) -> str:
    counts = result.counts
    lines = []
    if counts.get("resources"):
        types = ", ".join(f"{n} {ResourceType(t).label.lower()}" for t, n in
                          sorted(result.resource_types.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{counts['resources']} resources: {types}")
        others = ", ".join(f"{counts[k]} {k}" for k in
                           ("sections", "subsections", "topics", "events", "talks", "organisations",
                            "people", "measures", "helplines") if counts.get(k) is not None)
        lines.append(others)
        lines.append(f"{len(result.without_link)} resources have no verified link yet")
    verdict = "FAILED" if result.failed(strict) else "OK"
    lines.append(
        f"{verdict}: {len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        f"{' (treated as errors: --strict)' if strict and result.warnings else ''}, "
        f"{len(result.notices)} notice(s)"
    )
    return "\n".join(lines)
