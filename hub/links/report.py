"""Summarise a link check: counts, the exit code, and the text, JSON, Markdown and GitHub formats.

Counting and deciding live in `LinkReport`; each format is one function that
returns a string. Nothing here prints or writes files (the CLI does).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from hub.exitcodes import ExitCode
from hub.links.types import REPORT_ORDER, LinkResult, LinkStatus
from hub.problems import github_data, github_property

MARKDOWN_LIMIT = 60_000
"""GitHub refuses issue bodies over 65,536 characters; longer reports are cut, pointing at the JSON artifact."""

SOURCES_SHOWN = 10
"""Places listed per link in Markdown and annotations (a broken menu link can be on every page)."""


@dataclass
class LinkReport:
    """The results of one run and what they add up to."""

    results: list[LinkResult]
    strict: bool = False
    notes: list[str] = field(default_factory=list)
    """Facts about the run for the summary (cached counts, requests sent)."""
    input_errors: int = 0
    """Data files that could not be read: their links were not checked, so the run cannot pass."""

    def __post_init__(self) -> None:
        rank = {status: i for i, status in enumerate(REPORT_ORDER)}
        self.results = sorted(self.results, key=lambda r: (rank[r.status], _first(r), r.url))

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.status for r in self.results)
        return {status.value: counted.get(status, 0) for status in LinkStatus}

    def failures(self) -> list[LinkResult]:
        return [r for r in self.results if r.status.is_failure(self.strict)]

    @property
    def exit_code(self) -> ExitCode:
        """1 when a link is broken (or, under --strict, unverifiable) or a data file was unreadable; else 0."""
        return ExitCode.PROBLEMS if self.failures() or self.input_errors else ExitCode.OK

    def summary_line(self) -> str:
        """``120 links: 100 ok, 5 redirected, 2 broken, 10 unverifiable, 3 skipped``."""
        counts = self.counts
        parts = [f"{counts[s.value]:,} {s.value}" for s in LinkStatus]
        total = len(self.results)
        line = f"{total:,} link{'s' if total != 1 else ''}: " + ", ".join(parts)
        return line + (f" ({'; '.join(self.notes)})" if self.notes else "")


def _first(result: LinkResult) -> tuple:
    source = min(result.sources) if result.sources else None
    return (source.file, source.line or 0) if source else ("", 0)


def _where(result: LinkResult) -> str:
    return ", ".join(s.location() for s in sorted(result.sources)) or "(no source)"


def hint(result: LinkResult) -> str:
    """What an editor should do about this result (empty when nothing)."""
    status, code, detail = result.status, result.code, result.detail
    if status is LinkStatus.REDIRECTED:
        return f"replace the link with {result.final_url}"
    if status is LinkStatus.BROKEN:
        if result.url.startswith("/"):  # an internal link of the built site
            return ("a page was renamed or a heading changed: fix the link in the Markdown page or template "
                    "that produced this page")
        if code in (404, 410):
            return ("the page is gone: find its new address on the publisher's site (or a copy on "
                    "web.archive.org) and update the link; remove the entry if the resource no longer exists")
        if "name not found" in detail:
            return "the domain no longer exists: the organisation may have renamed itself; search for its new site"
        if "connection refused" in detail:
            return "nothing answers at this address: check the host for a typo, or whether the service has closed"
        if "TLS" in detail:
            return "the site's certificate is invalid: tell the publisher, or link to another copy of the page"
        if "only http and https redirects are followed" in detail:
            return ("the link now sends readers somewhere that is not a web page: find the page's new address "
                    "on the publisher's site, or remove the entry")
        if "redirects (" in detail and "cannot be fetched" in detail:
            return "the site redirects to a malformed address: tell the publisher, or link to another copy"
        if "redirect" in detail and code is None:
            return ("the site redirects in circles: open it in a browser; if it works there, add an exclude "
                    "with a reason to links.yaml")
        if code is not None and code >= 500:
            return "the site is failing: check again in a few days before changing anything"
        if "not a valid" in detail or "needs https://" in detail or "space" in detail or "the address " in detail:
            return "fix the address in the data file: copy it from the browser's address bar"
        return "open the link in a browser and copy the working address from the address bar"
    if status is LinkStatus.UNVERIFIABLE:
        if detail.startswith("failing once"):
            return "nothing to do yet: it is checked again next run, and reported as broken if it still fails"
        if code in (401, 403):
            return ("open it in a browser: if it works there, nothing to do (the site blocks automated checks); "
                    "for a site that always does this, add its host to links.yaml with accept and a reason")
        if code == 429:
            return "the site asked us to slow down: nothing to do, it is checked again next run"
        return "open it in a browser: if it loads, nothing to do"
    if status is LinkStatus.SKIPPED and result.final_url and "excluded in links.yaml" in detail:
        return "the link now redirects to an address links.yaml excludes: check in a browser where it leads"
    return ""


def _since(result: LinkResult) -> str:
    parts = []
    if result.failing_since:
        parts.append(f"failing since {result.failing_since[:10]}")
    if result.status is LinkStatus.UNVERIFIABLE:
        parts.append(f"last ok {result.last_ok[:10]}" if result.last_ok else "never checked ok")
    return "; ".join(parts)


# -- text --------------------------------------------------------------------------------------------


def to_text(report: LinkReport, verbose: bool = False) -> str:
    """For people at a terminal: every result worth acting on with file:line, then one summary line."""
    lines = []
    for result in report.results:
        if result.status is LinkStatus.OK and not verbose:
            continue
        if result.status is LinkStatus.SKIPPED and not verbose:
            continue
        first = min(result.sources).location() if result.sources else "(no source)"
        lines.append(f"{first}: {result.status.value}: {result.url}")
        detail = result.detail
        since = _since(result)
        if since:
            detail = f"{detail} [{since}]" if detail else since
        if detail:
            lines.append(f"    {detail}")
        others = [s.location() for s in sorted(result.sources)][1:]
        if others:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            lines.append(f"    also at: {shown}")
        advice = hint(result)
        if advice:
            lines.append(f"    hint: {advice}")
    lines.append(report.summary_line())
    return "\n".join(lines)


# -- JSON --------------------------------------------------------------------------------------------


def to_json(report: LinkReport) -> str:
    """The contract for CI and other tools: ``{"summary": {...}, "results": [...]}``."""
    return json.dumps({"summary": report.counts, "results": [r.to_dict() for r in report.results]},
                      indent=2, ensure_ascii=False)


# -- Markdown ----------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


_COLUMNS = {
    LinkStatus.BROKEN: ("Problem", lambda r: r.detail + (f" ({_since(r)})" if _since(r) else "")),
    LinkStatus.UNVERIFIABLE: ("Why", lambda r: r.detail + f" ({_since(r)})"),
    LinkStatus.REDIRECTED: ("Update to", lambda r: r.final_url or ""),
    LinkStatus.SKIPPED: ("Why", lambda r: r.detail),
    LinkStatus.OK: ("Detail", lambda r: r.detail),
}


def to_markdown(report: LinkReport, title: str = "Link check", limit: int = MARKDOWN_LIMIT,
                include_ok: bool = False) -> str:
    """Grouped by status, every row with file:line, ready to paste into a GitHub issue."""
    counts = report.counts
    head = [f"# {title}", "", report.summary_line() + ".", ""]
    if not report.failures():
        head += ["No broken links. ✔", ""]
    out = "\n".join(head) + "\n"
    cut = 0
    statuses = [s for s in REPORT_ORDER if include_ok or s is not LinkStatus.OK]
    for status in statuses:
        rows = [r for r in report.results if r.status is status]
        if not rows:
            continue
        name, value = _COLUMNS[status]
        section = [f"## {status.icon()} {status.label()} ({counts[status.value]})", "",
                   f"| Link | Where | {name} |", "|---|---|---|"]
        text = "\n".join(section) + "\n"
        for i, result in enumerate(rows):
            places = sorted(result.sources)
            where = "<br>".join(f"`{s.location()}`" for s in places[:SOURCES_SHOWN])
            if len(places) > SOURCES_SHOWN:
                where += f"<br>and {len(places) - SOURCES_SHOWN} more"
            row = f"| {_cell(result.url)} | {where} | {_cell(value(result))} |\n"
            if len(out) + len(text) + len(row) > limit - 300:
                cut += len(rows) - i
                break
            text += row
        out += text + "\n"
    if cut:
        out += (f"\n… and {cut:,} more rows, left out to fit GitHub's size limit: "
                "see the JSON report (the workflow run's artifact) for all of them.\n")
    return out


# -- GitHub Actions ----------------------------------------------------------------------------------


def to_github(report: LinkReport) -> str:
    """Workflow commands: an annotation per source line (errors for failures), then the summary line.

    GitHub shows at most 10 annotations of each kind per step; the CLI also
    writes the whole Markdown report to the job summary so nothing is lost.
    """
    lines = []
    for result in report.results:
        if result.status.is_failure(report.strict):
            level, title = "error", f"{result.status.label()} link"
        elif result.status is LinkStatus.UNVERIFIABLE:
            level, title = "warning", "Unverifiable link"
        elif result.status is LinkStatus.REDIRECTED:
            level, title = "notice", "Link moved"
        else:
            continue
        message = f"{result.url}: {result.detail}"
        advice = hint(result)
        if advice:
            message += f"\nhint: {advice}"
        for source in sorted(result.sources)[:SOURCES_SHOWN]:
            props = f"file={github_property(source.file)}"
            if source.line is not None:
                props += f",line={source.line}"
            lines.append(f"::{level} {props},title={github_property(title)}::{github_data(message)}")
    lines.append(report.summary_line())
    return "\n".join(lines)
