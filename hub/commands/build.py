"""`hub build`: load and validate → render → build with the engine → swap into site/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from hub.commands import config_option, data_option
from hub.exitcodes import ExitCode

HELP = """Validate the data, render the pages and downloads, and build the site
into site/ (or --site-dir) with MkDocs in strict mode, or with Zensical.

The build happens in a temporary folder and replaces site/ only when it
succeeds: on any data error or generator warning, site/ is left as it was.

Exit status: 0 when the site was built, 1 when the data or the build failed,
2 on usage errors (for example a --site-dir that holds other files)."""


@click.command(help=HELP)
@data_option
@config_option
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="The generator: MkDocs + Material (default) or Zensical.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Where the built site goes.")
@click.option("--base-url", default=None, metavar="URL",
              help="The site's public address, for absolute links in the Atom feed and calendar "
                   "(default: site_url in the config; without one, the feed's links are relative).")
@click.option("--build-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The date that decides which events are upcoming (default: today).")
@click.option("--no-strict", is_flag=True, help="Let the generator's warnings pass (never for publishing).")
def build(data_dir: Path, config_file: Path, engine: str, site_dir: Path, base_url: str | None,
          build_date: dt.datetime | None, no_strict: bool) -> ExitCode:
    from hub.catalogue.checks import validate
    from hub.catalogue.yamlfile import paused_gc
    from hub.commands.validate import print_report
    from hub.outputs import OutputRefused, check_output_dir
    from hub.render import RenderError, banner_lines, navigation, render
    from hub.site import build as site
    from hub.site.publish import Busy

    if not config_file.is_file():
        raise click.UsageError(f"no config file at {config_file}; run the command from the project folder")
    project = site.Project.at(config_file)
    try:  # before any work: a folder the build may not replace is a usage error, and nothing is touched
        check_output_dir(site_dir, project.root)
    except OutputRefused as exc:
        raise click.UsageError(str(exc)) from None
    when = build_date.date() if build_date else dt.date.today()
    try:
        # 1. Load and validate. The loaded data stays alive for the whole
        # build and holds no cycles: the collector is paused while it is read
        # and then told to leave it alone (gc.freeze), instead of walking it
        # again and again while the pages render and the generator runs.
        with paused_gc(freeze=True):
            result = validate(data_dir, root=Path.cwd())
        if result.failed():
            print_report(result)
            click.echo(f"Build stopped: the data has errors. {site_dir}/ was left unchanged.", err=True)
            return ExitCode.PROBLEMS
        for problem in result.warnings:
            click.echo(problem.render(), err=True)
        catalogue = result.load.catalogue

        # 2. Render every page and download, as text.
        base_url = base_url or project.site_url()
        files = render(catalogue, when, base_url=base_url)

        # 3. Build with the engine in a work folder, 4. swap it into place.
        built = site.build_site(
            files, project=project, site_dir=site_dir, engine=engine, strict=not no_strict,
            nav=navigation(catalogue), extra={"urgent_help": banner_lines(catalogue)}, site_url=base_url,
        )
    except RenderError as exc:
        click.echo(f"Build stopped: {exc}. {site_dir}/ was left unchanged.", err=True)
        return ExitCode.PROBLEMS
    except (OutputRefused, Busy) as exc:
        raise click.UsageError(str(exc)) from None
    except site.BuildFailed as exc:
        for line in exc.details:
            click.echo(f"  {line}", err=True)
        click.echo(f"Build stopped: {exc.message}. {site_dir}/ was left unchanged.", err=True)
        return ExitCode.PROBLEMS
    for line in built.log:
        click.echo(f"  {line}", err=True)
    click.echo(f"Built {built.pages} pages ({len(catalogue.resources)} resources, {built.files} generated "
               f"files) into {site_dir}/ with {site.ENGINE_NAMES[engine]} in {built.seconds:.1f} s.")
    return ExitCode.OK
