"""The `hub` command line: a click group whose commands live in `hub.commands`.

Each command is imported only when it runs (as MkDocs does), so `hub validate`
never pays for importing MkDocs or requests. Commands return an `ExitCode`;
only command modules print. An unexpected failure prints one line asking for
a report and exits 2; `hub --debug …` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import sys

import click

from hub import __version__
from hub.exitcodes import ExitCode

COMMANDS: dict[str, str] = {
    "validate": "hub.commands.validate:validate",
    "schema": "hub.commands.schema:schema",
    "build": "hub.commands.build:build",
    "serve": "hub.commands.serve:serve",
    "check-links": "hub.commands.check_links:check_links",
    "new": "hub.commands.new:new",
    "fmt": "hub.commands.fmt:fmt",
    "review": "hub.commands.review:review",
    "docs": "hub.commands.docs:docs",
}
"""Command name → 'module:attribute' of its click command."""


class LazyGroup(click.Group):
    """Import a command's module only when that command is used (or listed in --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        """Run the command; a bug becomes one sentence and exit 2 (the traceback only with --debug)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a sentence
            if ctx.params.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("This is a bug in the hub, not in your data. Please report it with the command you ran; "
                       "add --debug (python -m hub --debug …) to see the details.", err=True)
            ctx.exit(ExitCode.USAGE)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hub")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
def cli(debug: bool) -> None:
    """The self-harm care resource hub: validate the catalogue, build the site, check links."""


@cli.result_callback()
def _exit_with(code, debug: bool) -> None:
    """A command's returned `ExitCode` becomes the process's exit status."""
    click.get_current_context().exit(int(code) if isinstance(code, int) else ExitCode.OK)


def main() -> None:
    """Entry point of `python -m hub` and the `hub` script."""
    try:
        code = cli.main(standalone_mode=False)  # without standalone mode, click returns ctx.exit's code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code if exc.exit_code else ExitCode.USAGE)
    except KeyboardInterrupt:
        click.echo("Stopped (Ctrl-C).", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(ExitCode.USAGE)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
