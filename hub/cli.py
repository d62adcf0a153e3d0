"""The `hub` command line: a click group whose commands live in their own modules.

Each command is imported only when it runs (as MkDocs does), so `hub validate`
never pays for importing MkDocs or requests. Commands return an `ExitCode`;
only command modules print. An unexpected failure prints one line asking for
a report and exits 2; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from hub import __version__
from hub.exitcodes import ExitCode

COMMANDS: dict[str, str] = {
    "validate": "hub.commands.validate:validate",
    "schema": "hub.commands.schema:schema",
    "build": "hub.commands.build:build",
    "serve": "hub.commands.build:serve",
    "check-links": "hub.links.cli:check_links",
    "new": "hub.commands.new:new",
    "fmt": "hub.commands.fmt:fmt",
    "review": "hub.commands.review:review",
    "docs": "hub.commands.docs:docs",
}
"""Command name → 'module:attribute' of its click command."""


QUICK_EXIT = {"build"}
"""Commands after which the process ends without freeing its objects one by one (`_leave`).

`hub build` holds the catalogue, its YAML nodes, the rendered pages and
MkDocs' pages (430 MB at 10,000 resources); the interpreter's teardown
freed them one object at a time, 0.15 s after the work was done. Every
file is closed and every second process joined before the command returns."""


class LazyGroup(click.Group):
    """Import a command's module only when that command is used (or listed in --help)."""

    ran: str | None = None
    """The command this run resolved to."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        LazyGroup.ran = name
        return name, command, rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, target in COMMANDS.items()
                if importlib.util.find_spec(target.split(":")[0]) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or cmd_name not in self.list_commands(ctx):
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hub")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
def cli(debug: bool) -> None:
    """The self-harm care resource hub: validate the catalogue, build the site, check links."""
    if debug:
        os.environ["HUB_DEBUG"] = "1"


def main() -> None:
    """Entry point of `python -m hub` and the `hub` script."""
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(ExitCode.USAGE)
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a sentence
        if os.environ.get("HUB_DEBUG") or "--debug" in sys.argv:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("This is a bug in the hub, not in your data. Please report it with the command you ran; "
                   "add --debug (python -m hub --debug …) to see the details.", err=True)
        sys.exit(ExitCode.USAGE)
    status = int(code) if isinstance(code, int) else ExitCode.OK
    if LazyGroup.ran in QUICK_EXIT:
        _leave(status)
    sys.exit(status)


def _leave(status: int) -> None:
    """Flush the output and end the process now, without the interpreter's teardown (see `QUICK_EXIT`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError):  # the reader has gone (e.g. `hub build | head -1`)
            pass
    os._exit(status)
