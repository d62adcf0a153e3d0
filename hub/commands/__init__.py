"""One module per `hub` command: parse flags, call a pipeline stage, print, return an ExitCode."""

from pathlib import Path

import click

data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"),
    show_default=True, help="Folder holding the data files.",
)

config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
    show_default=True, help="The site's config; content/ and overrides/ are read beside it.")
