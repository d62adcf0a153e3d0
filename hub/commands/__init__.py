"""One module per `hub` command: parse flags, call a pipeline stage, print, return an ExitCode."""

import os
from pathlib import Path

import click

data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"),
    show_default=True, help="Folder holding the data files.",
)

config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
    show_default=True, help="The site's config; content/ and overrides/ are read beside it.")


def write_job_summary(markdown: str) -> None:
    """Append to the GitHub job summary, when running in GitHub Actions. Annotations stop at 10 per
    kind and step; the summary has no limit, so it lists every problem."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
