"""`hub review`: the editorial health report, as text, Markdown (the monthly issue) or JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import click

from hub.catalogue.yamlfile import paused_gc
from hub.commands import data_option
from hub.editor.findings import CHECKS, Finding, Review
from hub.editor.review import review as run_review
from hub.editor.settings import load_settings
from hub.exitcodes import ExitCode
from hub.problems import Problem, Severity, github_data, github_property

HELP = """The editorial health report: resources due for review, superseded
guidance still cited, possible duplicates, wording that safe-messaging
guidance asks us to avoid (from editorial/language.yaml) and records without
a link. Settings are in editorial/review.yaml.

--online also asks Crossref about every DOI and reports papers that were
retracted, corrected or given an expression of concern, with the notice's date
and link. --apply then adds a standard notice to each flagged paper that has
none, so the site warns readers until an editor has reviewed the entry.

--mark-reviewed ID [ID …] records instead that an editor has checked these
resources (their details and link) today: it writes today's date into their
last_reviewed, changing only that line of data/resources.yaml. It refuses the
day a record was added (the site does not show that as a review), a day
before it or in the future, and then writes nothing (exit status 1).

--only CHECK runs that check alone (again for more): stale, superseded,
duplicates, wording or no-link. `--only wording --format github` is the pull
requests' wording check: a warning at the line of each word to reconsider,
and the list in the job summary, in a second or two and offline.

A data file that cannot be read (python -m hub validate shows why) is
named at the top of the report: none of its records was reviewed.

A health report does not fail: the exit status is 0 whatever it finds.
With --strict it is 1 when there is any warning or error (a notice that
--apply could not add is reported as an error, a data file that could not
be read as a warning). It is 2 for usage
errors, and when --online could not reach Crossref at all (the rest of the
report is still printed)."""

ONLY = {"stale": "stale", "superseded": "superseded", "duplicates": "duplicates", "wording": "language",
        "no-link": "no-link"}
"""`--only`'s names for the checks (the word list's check is "wording" to editors)."""

MAX_PER_CHECK = 60
"""Findings listed per check in Markdown (a GitHub issue holds at most 65,536 characters)."""


@click.command(help=HELP)
@data_option
@click.option("--editorial", "editorial", type=click.Path(file_okay=False, path_type=Path),
              default=Path("editorial"), show_default=True, help="Folder of the word list and review settings.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "github"]), default="text",
              show_default=True, help="text for people, markdown for the monthly issue, json for tools, github "
              "for annotations on a pull request's lines (and every finding in the job summary).")
@click.option("--only", "only", multiple=True, type=click.Choice(list(ONLY)), metavar="CHECK",
              help="Run only this check (repeat for more): " + ", ".join(ONLY) + ".")
@click.option("--online", is_flag=True, help="Also check every DOI with Crossref (needs the internet).")
@click.option("--apply", "apply", is_flag=True, help="With --online: add a notice to each flagged paper.")
@click.option("--crossref-url", metavar="URL", help="Crossref API address (default: crossref.base_url in editorial/review.yaml, or "
              "https://api.crossref.org).")
@click.option("--strict", is_flag=True, help="Exit 1 when the report has any warning or error.")
@click.option("--mark-reviewed", "mark", is_flag=True,
              help="Record that you have reviewed the resources named (IDS) today, instead of reporting.")
@click.option("--date", "review_date", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
              help="With --mark-reviewed: the day of the review (for tests; default today).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Pretend today is this date.")
@click.argument("ids", nargs=-1, metavar="[IDS]...")
def review(data_dir: Path, editorial: Path, fmt: str, only: tuple[str, ...], online: bool, apply: bool,
           crossref_url: str | None, strict: bool, mark: bool, review_date: dt.datetime | None, today: dt.datetime | None,
           ids: tuple[str, ...]) -> ExitCode:
    if mark or ids or review_date:
        return _mark(data_dir, ids, mark, review_date, today, online or apply)
    if apply and not online:
        raise click.UsageError("--apply needs --online (the notices come from Crossref)")
    client = None
    if online:
        from hub.editor.crossref import Crossref, base_url  # requests: only when Crossref is asked

        settings, _ = load_settings(editorial, Path.cwd())  # its problems are in the report's setup problems
        client = Crossref(base_url(crossref_url, settings.crossref.base_url), mailto=settings.crossref.mailto,
                          timeout=settings.crossref.timeout_seconds)
    with paused_gc(freeze=True):  # one run over every record: nothing to collect until the process exits
        result = run_review(data_dir, Path.cwd(), editorial, today.date() if today else None, client,
                            {ONLY[o] for o in only} | ({"crossref"} if online else set()) if only else None)
    applied: list[str] = []
    not_applied: list[Problem] = []
    if apply and result.to_apply():
        from hub.editor.retractions import apply_notices

        applied, not_applied = apply_notices(data_dir, Path.cwd(), result)
    if fmt == "github":
        click.echo(to_github(result))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:  # annotations stop at 10 per kind and step; the job summary lists every finding
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(github_summary(result) + "\n")
        unread = "".join(f"; NOT CHECKED: {p.file} (it could not be read)" for p in result.unread)
        click.echo(f"{len(result.findings)} finding(s){unread}: see the annotations and the job summary", err=True)
    elif fmt == "json":
        click.echo(to_json(result, applied, not_applied))
    elif fmt == "markdown":
        click.echo(to_markdown(result, applied, not_applied))
    else:
        click.echo(to_text(result, applied, not_applied))
    if result.crossref_unreachable:
        return ExitCode.USAGE
    serious = [f for f in result.findings if f.problem.severity is not Severity.NOTICE]
    return ExitCode.PROBLEMS if strict and (serious or result.setup_problems or not_applied or result.unread) \
        else ExitCode.OK


def _mark(data_dir: Path, ids: tuple[str, ...], mark: bool, review_date: dt.datetime | None,
          today: dt.datetime | None, online: bool) -> ExitCode:
    if not mark:
        raise click.UsageError("resource ids (and --date) go with --mark-reviewed: "
                               "python -m hub review --mark-reviewed ID [ID ...]")
    if not ids:
        raise click.UsageError("name the resources you reviewed: python -m hub review --mark-reviewed ID [ID ...]")
    if online:
        raise click.UsageError("--mark-reviewed cannot be combined with --online or --apply")
    now = today.date() if today else dt.date.today()
    day = review_date.date() if review_date else now
    from hub.editor.reviewed import mark_reviewed

    changed, problems = mark_reviewed(data_dir, Path.cwd(), list(ids), day, now)
    if problems:
        for problem in problems:
            click.echo(problem.render(show_source=False), err=True)
        click.echo("Nothing was written.", err=True)
        return ExitCode.PROBLEMS
    already = [i for i in dict.fromkeys(ids) if i not in changed]
    if changed:
        click.echo(f"Marked as reviewed on {day.isoformat()} in {data_dir / 'resources.yaml'}: {', '.join(changed)}.")
    if already:
        click.echo(f"Already marked as reviewed on {day.isoformat()}: {', '.join(already)}.")
    return ExitCode.OK


def _counts(result: Review) -> dict[str, dict[str, int]]:
    out = {}
    for check in CHECKS:
        found = result.of(check)
        out[check] = {s.value: sum(1 for f in found if f.problem.severity is s) for s in Severity}
    return out


def _wording_only(result: Review) -> bool:
    return set(result.shown()) == {"language"}


def not_checked(result: Review, read_error: Problem, shows: str = "python -m hub validate shows the problem") -> str:
    """``data/x.yaml could not be read (line 3: …), so its wording was not checked; …`` for a file no check saw."""
    why = f"line {read_error.line}: {read_error.message}" if read_error.line is not None else read_error.message
    what = "wording was" if _wording_only(result) else "records were"
    return f"{read_error.file} could not be read ({why}), so its {what} not checked; {shows}."


def _intro(result: Review) -> list[str]:
    lines = [f"{result.counts.get('resources', 0)} resources; review period "
             f"{result.settings.review_period_months} months; today {result.today.isoformat()}."]
    lines += [not_checked(result, p).replace("not checked", "NOT checked", 1) for p in result.unread]
    if result.data_errors:
        lines.append(f"The data has {result.data_errors} error(s) (see python -m hub validate); records with "
                     "errors are left out of this review.")
    if result.online and result.crossref_unreachable:
        lines.append(f"Crossref could not be reached ({result.crossref_unreachable}): retractions, corrections "
                     "and expressions of concern were NOT checked this time.")
    elif result.online:
        lines.append(f"Crossref: {result.dois_checked} of {result.counts.get('dois', 0)} DOIs checked for "
                     "retractions, corrections and expressions of concern.")
    else:
        lines.append("Crossref was not asked (add --online to check for retractions and corrections).")
    return lines


def _applied(applied: list[str]) -> list[str]:
    if not applied:
        return []
    return [f"Notices added to data/resources.yaml for: {', '.join(applied)}. An editor should review each "
            "entry, then rewrite or remove its notice and run python -m hub review --mark-reviewed ID."]


def to_text(result: Review, applied: list[str], not_applied: list[Problem] | None = None) -> str:
    lines = ["Editorial review", *_intro(result), *_applied(applied)]
    for problem in [*(not_applied or []), *result.setup_problems]:
        lines += ["", problem.render(show_source=False)]
    for check, title in result.shown().items():
        found = result.of(check)
        if check == "crossref" and result.crossref_unreachable:
            lines += ["", f"== {title}: NOT CHECKED (Crossref could not be reached)"]
            continue
        lines += ["", f"== {title} ({len(found)})"]
        if not found:
            lines.append("nothing found")
        for finding in found:  # notices on one line each, as `hub validate` prints them
            problem = finding.problem
            lines.append(problem.headline() if problem.severity is Severity.NOTICE else
                         problem.render(show_source=False))
    return "\n".join(lines)


def _md(text: str) -> str:
    """Keep editors' text from turning into Markdown or mentions in the issue."""
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text.replace("@", "@\u200b")


def _md_item(finding: Finding) -> str:
    p = finding.problem
    where = p.location()
    icon = {"error": "🔴", "warning": "🟠", "notice": "⚪"}[p.severity.value]
    text = f"- [ ] {icon} `{where}` {_md(p.said)}"
    if p.hint:
        text += f"  \n  _{_md(p.hint)}_"
    return text


def to_markdown(result: Review, applied: list[str], not_applied: list[Problem] | None = None) -> str:
    lines = [f"## Editorial review, {result.today:%B %Y}", "", *[_md(x) for x in _intro(result)], ""]
    lines += [_md(x) for x in _applied(applied)]
    lines += ["| Check | 🔴 errors | 🟠 warnings | ⚪ notices |", "| --- | --- | --- | --- |"]
    counts = _counts(result)
    for check, title in result.shown().items():
        c = counts[check]
        if check == "crossref" and result.crossref_unreachable:
            lines.append(f"| {title} | not checked | not checked | not checked |")
            continue
        lines.append(f"| {title} | {c['error']} | {c['warning']} | {c['notice']} |")
    if not_applied:
        lines += ["", "### Notices that could not be added", ""]
        lines += [f"- [ ] 🔴 `{p.location()}` {_md(p.message)}" + (f"  \n  _{_md(p.hint)}_" if p.hint else "")
                  for p in not_applied]
    if result.setup_problems:
        lines += ["", "### Problems with the editorial files", ""]
        lines += [f"- `{p.location()}` {_md(p.message)}" for p in result.setup_problems]
    for check, title in result.shown().items():
        found = result.of(check)
        if not found:
            continue
        lines += ["", f"### {title} ({len(found)})", ""]
        shown = found[:MAX_PER_CHECK]
        body = [_md_item(f) for f in shown]
        if len(found) > MAX_PER_CHECK:
            body.append(f"- … and {len(found) - MAX_PER_CHECK} more: run `python -m hub review` for all of them")
        if all(f.problem.severity is Severity.NOTICE for f in found) and len(found) > 10:
            lines += ["<details><summary>Show them</summary>", "", *body, "", "</details>"]
        else:
            lines += body
    lines += ["", "---", "Generated by `python -m hub review --online --format markdown` "
              "(see CONTRIBUTING.md, “The monthly editorial review”). Tick items as you deal with them; "
              "next month's report starts afresh."]
    return "\n".join(lines)


def to_json(result: Review, applied: list[str], not_applied: list[Problem] | None = None) -> str:
    def item(f: Finding) -> dict:
        return {"check": f.check, "record": f.record, **f.problem.to_dict()}

    failed = {"not_applied": [p.to_dict() for p in not_applied]} if not_applied else {}
    return json.dumps({
        "today": result.today.isoformat(),
        "review_period_months": result.settings.review_period_months,
        "online": result.online,
        "crossref_unreachable": result.crossref_unreachable,
        "dois_checked": result.dois_checked,
        "data_errors": result.data_errors,
        "unread": [{**p.to_dict(), "said": not_checked(result, p)} for p in result.unread],
        "counts": _counts(result),
        "applied": applied,
        **failed,
        "setup_problems": [p.to_dict() for p in result.setup_problems],
        "findings": [item(f) for f in result.findings],
    }, indent=2, ensure_ascii=False)



GITHUB_TITLES = {"language": "Wording"}
"""An annotation's title: the check's name where editors know it by one, else the finding's code."""


DATA_CHECK = "the Data check (python -m hub validate) shows the problem"
"""Where a pull request's reader finds why a data file could not be read: the job that reports it."""


def to_github(result: Review) -> str:
    """One workflow command per file not checked, setup problem and finding, at the line and column it is
    about, worded as the text report words it (with the guide's row)."""
    lines = []
    title = "Wording not checked" if _wording_only(result) else "Not reviewed"
    for p in result.unread:  # the read error's own line, hint and guide row: how to make the file readable
        lines.append(_annotation(Severity.WARNING, p, title, not_checked(result, p, DATA_CHECK)))
    items = [(None, p) for p in result.setup_problems] + [(f.check, f.problem) for f in result.findings]
    for check, p in items:
        lines.append(_annotation(p.severity, p, GITHUB_TITLES.get(check or "", p.code), p.said))
    return "\n".join(lines)


def _annotation(level: Severity, p: Problem, title: str, said: str) -> str:
    props = f"file={github_property(p.file)}"
    if p.line is not None:
        props += f",line={p.line}" + (f",col={p.column}" if p.column is not None else "")
    message = said + (f"\nhint: {p.hint}" if p.hint else "") + f"\nsee: {p.guide}"
    return f"::{level.value} {props},title={github_property(title)}::{github_data(message)}"


def github_summary(result: Review) -> str:
    """Every finding, with its fix, as a Markdown list for the job summary."""
    shown = result.shown()
    heading = "Wording check" if set(shown) == {"language"} else "Editorial review"
    out = [f"### {heading} (`python -m hub review`)", ""]
    out += [f"**Not checked:** {_md(not_checked(result, p, DATA_CHECK))}  " for p in result.unread]
    for p in result.setup_problems:
        out.append(f"- `{p.location()}` {_md(p.said)}")
    within = " in the files that could be read" if result.unread else ""
    for check, title in shown.items():
        found = result.of(check)
        out.append(f"{title}: {len(found) or 'nothing found'}{within}" + ("" if len(shown) == 1 else "  "))
        out += [_md_item(f).replace("- [ ] ", "- ", 1) for f in found]
    if set(shown) == {"language"}:
        out += ["", "Reword, following the word list in CONTRIBUTING.md (“Language”); a quoted or italicised "
                "title of a published work is exempt. These are warnings: the check does not fail."]
    return "\n".join(out)
