"""`hub schema`: write the data files' JSON Schemas under data/schema/."""

from __future__ import annotations

from pathlib import Path

import click

from hub.catalogue.schema import write_schemas
from hub.exitcodes import ExitCode

HELP = """Generate the JSON Schema of each data file from the model, into
data/schema/. Editors' YAML plugins use them to autocomplete and check fields
while typing. --check only reports whether the committed schemas are current."""


@click.command(help=HELP)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data/schema"), show_default=True, help="Where to write the schemas.")
@click.option("--check", is_flag=True, help="Do not write; exit 1 if a schema is out of date.")
def schema(out_dir: Path, check: bool) -> ExitCode:
    changed = write_schemas(out_dir, check=check)
    if check:
        for name in changed:
            click.echo(f"{out_dir / name}: out of date; run: python -m hub schema", err=True)
        return ExitCode.PROBLEMS if changed else ExitCode.OK
    click.echo(f"wrote {len(changed)} changed schema(s) to {out_dir}" if changed else "schemas are up to date")
    return ExitCode.OK
