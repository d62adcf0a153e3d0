"""`hub new`: add a record by answering questions (or from options, for scripts)."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import click

from hub.catalogue.doi import bare_doi
from hub.commands import data_option
from hub.editor.crossref import Crossref, CrossrefError, NotFound, Unreachable, base_url, record_fields
from hub.editor.edit import EditError
from hub.editor.fields import FieldSpec, field_spec
from hub.editor.new import (
    KINDS,
    NOT_ASKED,
    Context,
    Kind,
    build_record,
    check_fields,
    check_record,
    convert,
    convert_record,
    field_of,
    load_context,
    plan,
    suggest_id,
)
from hub.editor.settings import load_settings
from hub.exitcodes import ExitCode
from hub.problems import Problem

HELP = f"""Add a new record to the catalogue: answer the questions (press Enter to
skip an optional field), check the record shown, and confirm. The record is
added at the end of its list (events in date order) and nothing else in the
file changes. It is checked with the validator first, so it always validates.

KIND is one of: {', '.join(sorted(KINDS))}.

\b
Examples:
  python -m hub new paper --doi 10.1192/bjp.2021.50 --subsection safety-plans
  python -m hub new guideline
  python -m hub new event
  python -m hub new organisation --no-input --set name="Mind" \\
      --set description="A mental health charity." --set who_for="anyone"

--set FIELD=VALUE fills a field without asking (repeat it for each item of
a list, e.g. --set authors="Kapur N" --set authors="Hawton K"; a talk or
other nested record is written as --set talks="{{title: …, speaker: …}}").
With --no-input nothing is asked: a missing required field is an error.

--doi fills a paper's title, authors, journal, volume, issue, pages and year
from Crossref. Without an internet connection the command stops with a
message (exit status 2) and nothing is written; add the details by hand.

Exit status: 0 added (or shown with --dry-run), 1 the record has problems or
its data file is missing, unreadable or not valid YAML (nothing written),
2 usage error or Crossref could not be reached."""


@click.command(help=HELP)
@click.argument("kind_name", metavar="KIND", type=click.Choice(sorted(KINDS)))
@click.option("--set", "settings", multiple=True, metavar="FIELD=VALUE", help="Set a field without a prompt.")
@click.option("--doi", help="Pre-fill a paper from Crossref's record of this DOI.")
@click.option("--section", "section", metavar="ID", help="Check that --subsection belongs to this section.")
@click.option("--subsection", "subsections", multiple=True, metavar="ID",
              help="Also list the resource in this subsection (repeatable).")
@click.option("--no-input", is_flag=True, help="Never ask: use only --set, --doi and defaults.")
@click.option("--dry-run", is_flag=True, help="Show the record and where it would go; write nothing.")
@click.option("--crossref-url", metavar="URL", help="Crossref API address (default: crossref.base_url in editorial/review.yaml, or "
              "https://api.crossref.org).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Pretend today is this date.")
@data_option
def new(kind_name: str, settings: tuple[str, ...], doi: str | None, section: str | None,
        subsections: tuple[str, ...], no_input: bool, dry_run: bool, crossref_url: str | None,
        today: dt.datetime | None, data_dir: Path) -> ExitCode:
    kind = KINDS[kind_name]
    ctx = load_context(data_dir, Path.cwd())
    shown = ctx.shown(kind.file)
    broken = ctx.problems_of(kind.file)
    if broken:  # before any question: the editor fixes the file first
        return _fail(broken)
    interactive = not no_input
    day = today.date() if today else dt.date.today()

    values, problems = _from_options(kind, settings, shown)
    if doi:
        if kind.model.__name__ != "Resource":
            raise click.UsageError("--doi only pre-fills resources (papers)")
        prefill, code = _crossref(doi, crossref_url)
        if code is not None:
            return code
        values = {**prefill, **values}
    subs, code = _placement(ctx, kind, section, list(subsections), interactive)
    if code is not None:
        return code
    if problems and not interactive:
        return _fail(problems)

    if interactive:
        for problem in problems:
            click.echo(problem.render(show_source=False), err=True)
        given = _given(settings) - {field_of(p) for p in problems}
        click.echo(f"New {kind.name} for {shown}. Press Enter to skip an optional field.")
        for key in kind.fields:
            if key not in given:
                values[key] = _ask(ctx, kind.model, field_spec(kind.model, key), shown, values.get(key))
        if "id" not in given:  # asked last, so that the suggestion can use the answers
            values["id"] = _ask_id(ctx, kind, values, shown, day)
        if not subs and kind.list_key == "resources":
            subs = _ask_subsections(ctx)
    values.setdefault("id", suggest_id(kind, build_record(kind, values, day), ctx.ids))

    while True:
        record = build_record(kind, values, day)
        problems = check_record(kind.model, record, shown)
        result = None
        if not problems:
            try:
                result = plan(ctx, kind, record, subs)
            except EditError as exc:
                return _fail(exc.problems)
            problems = result.errors
        if not problems:
            break
        if not interactive:
            return _fail(problems)
        for problem in problems:
            click.echo(problem.render(show_source=False), err=True)
        for key in dict.fromkeys(field_of(p) for p in problems):
            if key in [f.alias or n for n, f in kind.model.model_fields.items()]:
                values[key] = _ask(ctx, kind.model, field_spec(kind.model, key), shown, None)
            else:
                return _fail(problems)

    assert result is not None
    first, count = result.record_lines
    click.echo(f"\nThe new record, at line {first} of {shown}:\n")
    click.echo(result.record_text())
    if subs:
        click.echo(f"\nIt is also listed in: {', '.join(subs)}.")
    for note in result.notes:
        click.echo(f"note: {note.message}" + (f" ({note.hint})" if note.hint else ""))
    if result.known_errors:
        click.echo(f"note: the catalogue already has {result.known_errors} error(s) elsewhere, not caused by "
                   "this record; python -m hub validate lists them.")
    if dry_run:
        click.echo("\n--dry-run: nothing was written.")
        return ExitCode.OK
    if interactive and not click.confirm("\nAdd it?", default=True):
        click.echo("Nothing was written.")
        return ExitCode.OK
    result.write()
    click.echo(f"\nAdded '{record['id']}' to {shown}. Next: python -m hub validate, then preview the site "
               "with python -m hub serve.")
    return ExitCode.OK


def _given(settings: tuple[str, ...]) -> set[str]:
    return {s.split("=", 1)[0].strip() for s in settings}


def _from_options(kind: Kind, settings: tuple[str, ...], shown: str) -> tuple[dict, list[Problem]]:
    """``--set`` options → typed values; problems for unknown fields or bad values."""
    keys = [info.alias or name for name, info in kind.model.model_fields.items()]
    values: dict = {}
    problems: list[Problem] = []
    for item in settings:
        if "=" not in item:
            raise click.UsageError(f"--set expects FIELD=VALUE, not '{item}'")
        key, text = (part.strip() for part in item.split("=", 1))
        if key not in keys:
            guess = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else "fields: " + ", ".join(keys)
            problems.append(Problem(shown, None, None, "extra-forbidden",
                                    f"a {kind.name} has no field '{key}'", field=key, hint=hint))
            continue
        spec = field_spec(kind.model, key)
        if spec.is_record_list:
            value, unreadable = convert_record(spec.base, text)
            if unreadable:
                example = ", ".join(f"{key}: …" for key in [info.alias or name for name, info in
                                    spec.base.model_fields.items() if (info.alias or name) not in NOT_ASKED][:2])
                problems.append(Problem(shown, None, None, unreadable[0].code, f"cannot read '{text}' as a "
                                        f"{spec.base.__name__.lower()}: {unreadable[0].message}", field=key,
                                        hint=f'write it in braces: --set {key}="{{{example}}}"'))
                continue
        else:
            value = convert(spec, text)
        if spec.is_list:
            values.setdefault(key, []).append(value)
        else:
            values[key] = value
    problems += check_fields(kind.model, {**kind.preset, **values}, shown, only=set(values))
    return values, problems


def _crossref(doi: str, url: str | None) -> tuple[dict, ExitCode | None]:
    doi, _ = bare_doi(doi)
    settings, problems = load_settings(Path("editorial"))
    if problems:  # its Crossref settings (contact address, timeout, address) would be ignored
        return {}, _fail(problems)
    client = Crossref(base_url(url, settings.crossref.base_url), mailto=settings.crossref.mailto,
                      timeout=settings.crossref.timeout_seconds)
    click.echo(f"Looking up {doi} on Crossref…")
    try:
        work = client.work(doi)
    except Unreachable as exc:
        click.echo(f"error: could not reach Crossref ({exc}); add the details by hand or try again later. "
                   "Nothing was written.", err=True)
        return {}, ExitCode.USAGE
    except NotFound:
        click.echo(f"error: Crossref has no record of the DOI '{doi}'. Check it at https://doi.org/{doi} "
                   "(some DOIs, e.g. from DataCite, are not in Crossref) and add the details by hand.", err=True)
        return {}, ExitCode.PROBLEMS
    except CrossrefError as exc:  # pragma: no cover - both subclasses handled above
        click.echo(f"error: {exc}", err=True)
        return {}, ExitCode.USAGE
    fields = {"doi": doi, **record_fields(work)}
    click.echo(f"Found: {fields.get('title', '(no title)')}")
    return fields, None


def _placement(ctx: Context, kind: Kind, section: str | None, subs: list[str],
               interactive: bool) -> tuple[list[str], ExitCode | None]:
    if (section or subs) and kind.list_key != "resources":
        raise click.UsageError("--section and --subsection only apply to resources")
    known = {sub: sec for sec, sub, _ in ctx.subsections}
    for sub in subs:
        if sub not in known:
            guess = difflib.get_close_matches(sub, list(known), n=1)
            raise click.UsageError(f"no subsection has the id '{sub}'" + (f"; did you mean '{guess[0]}'?"
                                                                          if guess else ""))
        if section and known[sub] != section:
            raise click.UsageError(f"the subsection '{sub}' is in the section '{known[sub]}', not '{section}'")
    if section and not subs:
        in_section = [sub for sec, sub, _ in ctx.subsections if sec == section]
        if not in_section:
            raise click.UsageError(f"no section has the id '{section}'")
        if not interactive:
            raise click.UsageError(f"choose a subsection of '{section}' with --subsection: {', '.join(in_section)}")
    return subs, None


def _ask_subsections(ctx: Context) -> list[str]:
    if not ctx.subsections:
        return []
    click.echo("\nWhich subsections should list it? (numbers separated by commas; Enter for none)")
    for n, (sec, sub, title) in enumerate(ctx.subsections, start=1):
        click.echo(f"  {n:>2}. {title} ({sec} / {sub})")
    while True:
        text = click.prompt("subsections", default="", show_default=False).strip()
        if not text:
            return []
        try:
            picks = [int(x) for x in text.replace(" ", "").split(",") if x]
            return [ctx.subsections[n - 1][1] for n in picks if 1 <= n <= len(ctx.subsections)]
        except ValueError:
            click.echo("  type numbers from the list, e.g. 3 or 3,5")


def _ask_id(ctx: Context, kind: Kind, values: dict, shown: str, day: dt.date) -> str:
    suggestion = suggest_id(kind, build_record(kind, values, day), ctx.ids)
    spec = field_spec(kind.model, "id")
    click.secho("  " + (spec.doc or "A unique id: lower-case letters, digits and hyphens."), dim=True)
    while True:
        text = click.prompt("id", default=suggestion).strip()
        problems = check_fields(kind.model, {"id": text}, shown, only={"id"})
        if text in ctx.ids:
            click.echo(f"  the id '{text}' is already used; choose another")
        elif problems:
            click.echo("  " + problems[0].message)
        else:
            return text


def _ask(ctx: Context, model, spec: FieldSpec, shown: str, default) -> object:
    """Ask for one field until the answer is valid (Enter skips an optional field)."""
    if spec.doc:
        click.secho("  " + spec.doc.replace("\n", " "), dim=True)
    label = spec.key + ("" if spec.required else " (optional)")
    if spec.is_record_list:
        return _ask_records(ctx, spec, shown, default)
    if spec.base is bool:
        return click.confirm(label, default=bool(default))
    if spec.is_list:
        return _ask_list(ctx, model, spec, shown, default)
    while True:
        hint = f" [{'/'.join(map(str, spec.choices))}]" if spec.choices else ""
        text = click.prompt(label + hint, default="" if default is None else str(default),
                            show_default=default is not None).strip()
        if not text:
            if spec.required:
                click.echo("  this field is required")
                continue
            return None
        value = convert(spec, text)
        problem = _problem(ctx, model, spec, value, shown)
        if problem is None:
            return value
        click.echo("  " + problem)


def _problem(ctx: Context, model, spec: FieldSpec, value, shown: str) -> str | None:
    if spec.ref and isinstance(value, str):
        known = ctx.ids_by_kind.get(spec.ref, [])
        if value not in known:
            guess = difflib.get_close_matches(value, known, n=1)
            return f"no {spec.ref} has the id '{value}'" + (f"; did you mean '{guess[0]}'?" if guess else "")
    problems = check_fields(model, {spec.key: [value] if spec.is_list else value}, shown, only={spec.key})
    if problems:
        p = problems[0]
        return p.message + (f" ({p.hint})" if p.hint else "")
    return None


def _ask_list(ctx: Context, model, spec: FieldSpec, shown: str, default) -> list:
    if default:
        click.echo(f"  {spec.key}: " + "; ".join(map(str, default)))
        if click.confirm("  keep these?", default=True):
            return list(default)
    if spec.choices or spec.ref:
        options = list(map(str, spec.choices)) or ctx.ids_by_kind.get(spec.ref or "", [])
        click.echo(f"  choose from: {', '.join(options)}")
        while True:
            text = click.prompt(f"{spec.key} (separate with commas)", default="", show_default=False)
            items = [convert(spec, x) for x in text.split(",") if x.strip()]
            errors = [e for e in (_problem(ctx, model, spec, i, shown) for i in items) if e]
            if not errors:
                return items
            click.echo("  " + errors[0])
    items: list = []
    while True:
        text = click.prompt(f"{spec.key} {len(items) + 1} (Enter to finish)", default="",
                            show_default=False).strip()
        if not text:
            return items
        value = convert(spec, text)
        problem = _problem(ctx, model, spec, value, shown)
        if problem:
            click.echo("  " + problem)
        else:
            items.append(value)


def _ask_records(ctx: Context, spec: FieldSpec, shown: str, default) -> list:
    items: list = list(default or [])
    noun = spec.base.__name__.lower()
    while click.confirm(f"Add {'another' if items else 'a'} {noun}?", default=False):
        item: dict = {}
        for key in [info.alias or name for name, info in spec.base.model_fields.items()
                    if (info.alias or name) not in NOT_ASKED]:
            value = _ask(ctx, spec.base, field_spec(spec.base, key), shown, None)
            if value not in (None, "", []):
                item[key] = value
        items.append(item)
    return items


def _fail(problems: list[Problem]) -> ExitCode:
    for problem in problems:
        click.echo(problem.render(show_source=False), err=True)
    click.echo("Nothing was written.", err=True)
    return ExitCode.PROBLEMS
