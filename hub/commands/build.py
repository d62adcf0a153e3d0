"""`hub build` and `hub serve`: validate, render, build with MkDocs or Zensical, swap into site/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from hub.commands import data_option
from hub.exitcodes import ExitCode
from hub.loader import paused_gc

BUILD_HELP = """Validate the data, render the pages and downloads, and build the site
into site/ (or --site-dir) with MkDocs in strict mode, or with Zensical.

The build happens in a temporary folder and replaces site/ only when it
succeeds: on any data error or generator warning, site/ is left as it was.

Exit status: 0 when the site was built, 1 when the data or the build failed."""

SERVE_HELP = """Preview the site on http://127.0.0.1:8000 with live reload (MkDocs).
Saving a data file, a template, a page in content/ or a theme override
re-renders the catalogue and reloads the browser."""

config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
    show_default=True, help="The site's config; content/ and overrides/ are read beside it.")


@click.command(help=BUILD_HELP)
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
    if not config_file.is_file():
        raise click.UsageError(f"no config file at {config_file}; run the command from the project folder")
    # A large resources.yaml is composed half in a second process, started
    # before the models are imported (hub.ahead); the imports come after it.
    from hub.ahead import read_ahead

    ahead = read_ahead(data_dir) if data_dir.is_dir() else {}
    from hub import site
    from hub.commands.validate import print_report
    from hub.render import (
        RenderError,
        Started,
        banner_lines,
        compile_templates,
        navigation,
        render_for_build,
        start_rendering,
    )
    from hub.validate import validate

    compile_templates()  # while the second process is still reading
    project = site.Project.at(config_file)
    when = build_date.date() if build_date else dt.date.today()
    started: list[Started] = []

    def start(catalogue) -> None:
        """Begin rendering before the cross-file checks, which run meanwhile; thrown away if they find errors."""
        try:
            url = base_url or project.site_url()
        except site.BuildFailed:
            return  # reported below, after the data's own problems
        started.append(start_rendering(catalogue, when, base_url=url, checks_pending=True))

    rendered = None
    try:
        # The loaded data stays alive for the whole build but is never garbage:
        # the collector is paused while it is read and then told to leave it
        # alone (gc.freeze), instead of walking it again and again while the
        # pages render and the generator runs.
        with paused_gc(freeze=True):
            result = validate(data_dir, root=Path.cwd(), ahead=ahead, on_catalogue=start)
        if result.failed():
            print_report(result)
            click.echo(f"Build stopped: the data has errors. {site_dir}/ was left unchanged.", err=True)
            return ExitCode.PROBLEMS
        for problem in result.warnings:
            click.echo(problem.render(), err=True)

        catalogue = result.load.catalogue
        base_url = base_url or project.site_url()
        # Large catalogues render in two processes; the downloads are still
        # being written by the second while the generator builds the pages.
        rendered = started[0].pages() if started else render_for_build(catalogue, when, base_url=base_url)
        built = site.build_site(
            rendered.files, project=project, site_dir=site_dir, engine=engine, strict=not no_strict,
            nav=navigation(catalogue), extra={"urgent_help": banner_lines(catalogue)}, site_url=base_url,
            pending=rendered.pending, finish=rendered.finish,
        )
    except RenderError as exc:
        click.echo(f"Build stopped: {exc}. {site_dir}/ was left unchanged.", err=True)
        return ExitCode.PROBLEMS
    except site.BuildFailed as exc:
        for line in exc.details:
            click.echo(f"  {line}", err=True)
        click.echo(f"Build stopped: {exc.message}. {site_dir}/ was left unchanged.", err=True)
        return ExitCode.PROBLEMS
    finally:  # the second process is stopped however the build ended (its work unread if the data had errors)
        if rendered is not None:
            rendered.close()
        for begun in started:
            begun.close()
    for line in built.log:
        click.echo(f"  {line}", err=True)
    name = {"mkdocs": "MkDocs", "zensical": "Zensical"}[engine]
    click.echo(f"Built {built.pages} pages ({len(catalogue.resources)} resources, {built.files} generated "
               f"files) into {site_dir}/ with {name} in {built.seconds:.1f} s.")
    return ExitCode.OK


@click.command(help=SERVE_HELP)
@data_option
@config_option
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(data_dir: Path, config_file: Path, port: int) -> ExitCode:
    from hub import site
    from hub.commands.validate import print_report
    from hub.validate import validate

    if not config_file.is_file():
        raise click.UsageError(f"no config file at {config_file}; run the command from the project folder")
    result = validate(data_dir, root=Path.cwd())
    if result.failed():
        print_report(result)
        click.echo("Preview not started: fix the errors above first.", err=True)
        return ExitCode.PROBLEMS
    templates = Path(__file__).resolve().parent.parent / "templates"
    site.serve(project=site.Project.at(config_file), data_dir=data_dir, port=port, watch=[templates])
    return ExitCode.OK
