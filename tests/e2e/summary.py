"""The "end-to-end results" at the end of a test run: page weights, axe results, Lighthouse scores.

The tests attach their figures as user properties (`record_property`).
`write_summary` (called at the end of the session, in the process that ran
the tests) writes them to test-artifacts/e2e-summary.txt; the terminal hook
prints them from the test reports, which pytest-xdist carries back from its
workers.

tests/e2e/conftest.py imports the hook, which covers runs in one process.
Under xdist the controller process only loads the conftest files above the
test folders, so the section appears in `make test` only if tests/conftest.py
imports `pytest_terminal_summary` from here too; it never prints twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from tests.e2e.harness import ARTIFACTS

SECTIONS = {"e2e-relevance": "Search relevance (tests/e2e/search_relevance.yaml)",
            "e2e-search-weight": "Search download (first visit, until the first results)",
            "e2e-weight": "Page weights (first visit, empty cache)",
            "e2e-axe": "axe-core (WCAG 2.0/2.1/2.2 A and AA)",
            "e2e-lighthouse": "Lighthouse (mobile)"}


def summary_lines(properties: Iterable[tuple[str, object]]) -> list[str]:
    lines: dict[str, list[str]] = {key: [] for key in SECTIONS}
    for key, value in properties:
        if key in lines:
            lines[key].extend(value if isinstance(value, list) else [value])
    text = []
    for key, title in SECTIONS.items():
        if lines[key]:
            text.append(title + ":")
            text.extend("  " + line for line in lines[key])
    return text


def write_summary(items) -> None:
    text = summary_lines(pair for item in items for pair in getattr(item, "user_properties", []))
    if text:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "e2e-summary.txt").write_text("\n".join(text) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter) -> None:
    if getattr(terminalreporter, "_hub_e2e_summary_done", False):
        return  # imported by two conftest files
    terminalreporter._hub_e2e_summary_done = True
    reports = [report for outcome in ("passed", "failed") for report in terminalreporter.stats.get(outcome, [])
               if getattr(report, "when", None) == "call"]
    text = summary_lines(pair for report in reports for pair in getattr(report, "user_properties", []))
    if text:
        terminalreporter.section("end-to-end results")
        for line in text:
            terminalreporter.write_line(line)
