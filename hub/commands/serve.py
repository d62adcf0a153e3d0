"""`hub serve`: preview the site with live reload while editors change the data."""

from __future__ import annotations

from pathlib import Path

import click

from hub.commands import config_option, data_option
from hub.exitcodes import ExitCode

HELP = """Preview the site on http://127.0.0.1:8000 with live reload (MkDocs).
Saving a data file, a template, a page in content/ or a theme override
re-renders the catalogue and reloads the browser. While the data has errors,
the preview shows the last good version with a banner listing them."""


@click.command(help=HELP)
@data_option
@config_option
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(data_dir: Path, config_file: Path, port: int) -> ExitCode:
    from hub.catalogue.checks import validate
    from hub.commands.validate import print_report
    from hub.site.build import Project
    from hub.site.serve import PortInUse
    from hub.site.serve import serve as run_preview

    if not config_file.is_file():
        raise click.UsageError(f"no config file at {config_file}; run the command from the project folder")
    result = validate(data_dir, root=Path.cwd())
    if result.failed():
        print_report(result)
        click.echo("Preview not started: fix the errors above first.", err=True)
        return ExitCode.PROBLEMS
    templates = Path(__file__).resolve().parent.parent / "render" / "templates"
    try:
        run_preview(project=Project.at(config_file), data_dir=data_dir, port=port, watch=[templates])
    except PortInUse as exc:
        raise click.UsageError(str(exc)) from None
    return ExitCode.OK
