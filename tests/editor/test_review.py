"""`hub review`: each check on the review fixture (fixtures/review/resources.yaml), the three output
formats, exit codes, and Crossref's retractions, corrections and expressions of concern."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from hub.catalogue.positions import ordinal
from hub.editor.crossref import Crossref
from hub.editor.findings import Review
from hub.editor.review import review

from .conftest import TODAY, added_lines_only, hub

DAY = dt.date(2026, 11, 23)


def findings(project: Path, online=None) -> Review:
    return review(project / "data", project, project / "editorial", DAY, online)


def codes(result: Review, check: str) -> list[tuple[str, str, str]]:
    return [(f.record, f.problem.code, f.problem.severity.value) for f in result.of(check)]


def test_stale_superseded_duplicates_and_links(review_project):
    result = findings(review_project)
    assert codes(result, "stale") == [("nice-cg16", "review-stale", "warning")]
    stale = result.of("stale")[0].problem
    assert (stale.line, stale.field) == (52, "resources[1].last_reviewed")
    assert "last reviewed on 2024-01-15, 34 months ago (the review period is 12 months)" in stale.message
    assert codes(result, "superseded") == [("nice-cg16", "review-superseded-cited", "warning")]
    assert "the subsection 'clinical-guidelines' still lists 'nice-cg16'" in result.of("superseded")[0].problem.message
    assert codes(result, "duplicates") == [("stanley-2012-copy", "review-duplicate-doi", "warning"),
                                           ("ncish-toolkit-2", "review-duplicate-url", "warning")]
    assert [f.record for f in result.of("no-link")] == [
        "clinic-2022-03-31", "clinic-2022-06-23", "clinic-2022-09-29", "local-leaflet"]
    assert result.crossref_unreachable is None and not result.online


def test_a_record_never_reviewed_is_due_a_review_period_after_it_was_added(review_project):
    path = review_project / "data" / "resources.yaml"
    text = path.read_text()
    path.write_text(text.replace("    added: 2023-05-02\n    last_reviewed: 2024-01-15\n", "    added: 2023-05-02\n"))
    (stale,) = [f.problem for f in findings(review_project).of("stale")]
    assert (stale.line, stale.field) == (51, "resources[1].added")
    assert stale.message == ("'nice-cg16' has not been reviewed since it was added on 2023-05-02, 42 months ago "
                             "(the review period is 12 months)")
    assert stale.hint.endswith("python -m hub review --mark-reviewed nice-cg16")
    # A last_reviewed that only repeats `added` is not a review either: the same finding, at its line.
    path.write_text(text.replace("    last_reviewed: 2024-01-15\n", "    last_reviewed: 2023-05-02\n"))
    (stale,) = [f.problem for f in findings(review_project).of("stale")]
    assert stale.field == "resources[1].last_reviewed" and "has not been reviewed since it was added" in stale.message
    # Added recently and never reviewed: not due yet.
    path.write_text(text.replace("    added: 2023-05-02\n    last_reviewed: 2024-01-15\n", "    added: 2026-06-01\n"))
    assert findings(review_project).of("stale") == []


def test_review_period_and_known_differences_come_from_the_settings(review_project):
    (review_project / "editorial" / "review.yaml").write_text(
        "review_period_months: 3\nsimilar_titles: 0.5\nnot_duplicates:\n"
        "  - ids:\n      - ncish-toolkit\n      - ncish-toolkit-2\n    reason: checked\n")
    result = findings(review_project)
    assert {f.record for f in result.of("stale")} >= {"nice-cg16", "nice-ng225", "brief-contact-2023"}
    assert "review-duplicate-url" not in {f.problem.code for f in result.of("duplicates")}
    assert "review-similar-title" in {f.problem.code for f in result.of("duplicates")}


def test_a_citation_kept_on_purpose_is_not_reported(review_project):
    (review_project / "editorial" / "review.yaml").write_text(
        "cited_on_purpose:\n  - record: clinical-guidelines\n    cites: nice-cg16\n"
        "    reason: kept with the superseded notice\n")
    assert codes(findings(review_project), "superseded") == []


def test_bad_settings_are_reported_with_their_location(review_project):
    (review_project / "editorial" / "review.yaml").write_text("review_period_months: twelve\n")
    result = findings(review_project)
    problem = result.setup_problems[0]
    assert (problem.file, problem.line, problem.field) == ("editorial/review.yaml", 1, "review_period_months")
    assert result.settings.review_period_months == 12  # the defaults still apply


def test_language_is_flagged_where_it_stands_but_titles_and_quotes_are_exempt(review_project):
    result = findings(review_project)
    found = [(f.record, f.problem.line, f.problem.column, f.problem.message.split(":")[0])
             for f in result.of("language")]
    assert found == [("brief-contact-2023", 63, 73, "'committed suicide'"),
                     ("rates-2022", 76, 52, "'self-harmers'")]
    text = (review_project / "data" / "resources.yaml").read_text().split("\n")
    assert text[62][72:].startswith("committed suicide")  # the column points at the words
    message = result.of("language")[0].problem.message
    assert "consider 'died by suicide; took their own life'" in message and "Samaritans" in message
    # exempt: 'completed suicide' in a title, “…attention-seeking…” in quotes, *A failed attempt* in italics


def test_text_report(review_project):
    run = hub("review", "--today", TODAY)
    assert run.code == 0, run.output
    out = run.stdout
    assert out.startswith("Editorial review\n11 resources; review period 12 months; today 2026-11-23.")
    assert "Crossref was not asked (add --online" in out
    assert "== Due for review (1)\ndata/resources.yaml:52:20: warning: the 2nd resource (nice-cg16), last_reviewed:" in out
    assert "== Wording to reconsider (safe-messaging guidance) (2)" in out


def test_strict_fails_on_warnings(review_project):
    assert hub("review", "--strict", "--today", TODAY).code == 1


def test_markdown_report_for_the_monthly_issue(review_project):
    run = hub("review", "--format", "markdown", "--today", TODAY)
    out = run.stdout
    assert out.startswith("## Editorial review, November 2026\n")
    assert "| Due for review | 0 | 1 | 0 |" in out
    assert "### Wording to reconsider (safe-messaging guidance) (2)" in out
    assert "- [ ] 🟠 `data/resources.yaml:52:20` the 2nd resource (nice-cg16), last\\_reviewed: 'nice-cg16' was " \
           "last reviewed" in out  # located as the text report locates it
    assert "<details><summary>" not in out  # only long lists of notices are folded away


def test_json_report(review_project):
    data = json.loads(hub("review", "--format", "json", "--today", TODAY).stdout)
    assert data["today"] == TODAY and data["online"] is False
    assert data["counts"]["stale"] == {"error": 0, "warning": 1, "notice": 0}
    first = data["findings"][0]
    assert set(first) >= {"check", "record", "file", "line", "column", "code", "message", "severity", "hint"}


def test_online_flags_retractions_concerns_and_corrections_by_date(review_project, crossref):
    run = hub("review", "--online", "--today", TODAY)
    assert run.code == 0, run.output
    result = findings(review_project, online=Crossref(crossref.url))
    assert codes(result, "crossref") == [
        ("brief-contact-2023", "review-retraction", "error"),
        ("ed-safety-planning-2021", "review-expression-of-concern", "warning"),
        ("no-crossref-record", "review-doi-not-found", "warning"),
        ("rates-2022", "review-correction", "notice"),
    ]
    retraction = result.of("crossref")[0].problem.message
    assert retraction == (
        "Crossref records a retraction of 'brief-contact-2023' (retraction, dated 2025-03-10, from Retraction "
        "Watch); notice: https://doi.org/10.5555/hub.retraction-notice.2025. It came after the record was added "
        "on 2024-06-01; the entry shows no notice yet")
    correction = result.of("crossref")[3].problem.message
    assert "It was already public when the record was added on 2024-06-01" in correction
    assert result.dois_checked == 6
    assert "Crossref: 6 of 6 DOIs checked" in run.stdout


def test_apply_adds_a_notice_to_flagged_papers_only_and_is_idempotent(review_project, crossref):
    path = review_project / "data" / "resources.yaml"
    before = path.read_text()
    run = hub("review", "--online", "--apply", "--today", TODAY)
    assert run.code == 0, run.output
    assert "Notices added to data/resources.yaml for: brief-contact-2023, ed-safety-planning-2021." in run.stdout
    after = path.read_text()
    assert added_lines_only(before, after) == [
        "    notice: >-",
        "      Crossref records a retraction of this paper (2025-03-10): [retraction",
        "      notice](https://doi.org/10.5555/hub.retraction-notice.2025). An editor is reviewing this",
        "      entry.",
        "    notice: >-",
        "      Crossref records an expression of concern about this paper (2025-08-04): [expression of",
        "      concern notice](https://doi.org/10.5555/hub.concern.2021.eoc). An editor is reviewing this",
        "      entry.",
    ]
    assert after.index("notice: >-") < after.index("added: 2024-06-01", after.index("brief-contact-2023"))
    again = hub("review", "--online", "--apply", "--today", TODAY)
    assert "Notices added" not in again.stdout and path.read_text() == after
    result = findings(review_project, online=Crossref(crossref.url))
    assert ("brief-contact-2023", "review-retraction", "notice") in codes(result, "crossref")
    assert hub("fmt", "--check").code == 0
    assert hub("validate").code == 0


def test_apply_reports_a_notice_it_could_not_add(review_project, crossref):
    """A notice that cannot be placed is a located problem and exit 1, not silently skipped."""
    path = review_project / "data" / "resources.yaml"
    path.write_text(path.read_text()
                    .replace("  - id: brief-contact-2023\n", "  - added: 2024-06-01\n    id: brief-contact-2023\n")
                    .replace("    added: 2024-06-01\n    last_reviewed: 2026-06-01\n  # Corrected",
                             "    last_reviewed: 2026-06-01\n  # Corrected"))
    before = path.read_text()
    run = hub("review", "--online", "--apply", "--today", TODAY)
    assert run.code == 0, run.output  # the report itself still goes out (the monthly issue)
    assert "Notices added to data/resources.yaml for: ed-safety-planning-2021." in run.stdout
    assert "data/resources.yaml:54:5: error: the 3rd resource: the notice for 'brief-contact-2023' was not added: " \
           "cannot place 'notice' before the record's first field\n    hint: add it by hand" in run.stdout
    assert len(added_lines_only(before, path.read_text())) == 4  # the other paper's notice only
    path.write_text(before)
    run = hub("review", "--online", "--apply", "--format", "markdown", "--strict", "--today", TODAY)
    assert run.code == 1
    assert "### Notices that could not be added\n\n- [ ] 🔴 `data/resources.yaml:54:5` the notice for " \
           "'brief-contact-2023' was not added" in run.stdout
    path.write_text(before)
    data = json.loads(hub("review", "--online", "--apply", "--format", "json", "--today", TODAY).stdout)
    assert [p["code"] for p in data["not_applied"]] == ["cannot-edit"]


def test_a_retraction_known_when_added_still_needs_a_notice(review_project, crossref):
    path = review_project / "data" / "resources.yaml"
    path.write_text(path.read_text().replace("    added: 2024-06-01\n    last_reviewed: 2026-06-01\n  # Corrected",
                                             "    added: 2025-06-01\n    last_reviewed: 2026-06-01\n  # Corrected"))
    result = findings(review_project, online=Crossref(crossref.url))
    retraction = result.of("crossref")[0]
    assert (retraction.record, retraction.problem.severity.value) == ("brief-contact-2023", "error")
    assert "It was already public when the record was added on 2025-06-01" in retraction.problem.message


def test_apply_needs_online(review_project):
    assert hub("review", "--apply").code == 2


def test_offline_still_reports_and_exits_2(review_project, offline):
    run = hub("review", "--online", "--format", "markdown", "--today", TODAY)
    assert run.code == 2
    assert "Crossref could not be reached (the connection failed: no internet connection?): retractions, " \
           "corrections and expressions of concern were NOT checked this time." in run.stdout
    assert "### Due for review (1)" in run.stdout
    assert "| Retractions, corrections and expressions of concern (Crossref) | not checked |" in run.stdout


def test_the_real_data_review_runs_clean_of_setup_problems(real_project):
    result = review(real_project / "data", real_project, real_project / "editorial", DAY)
    assert result.setup_problems == [] and result.data_errors == 0
    assert result.counts["resources"] > 50


# --- the wording check on pull requests (`hub review --only wording --format github`) ---------------


def test_wording_check_warns_at_the_line_of_the_words(real_project, monkeypatch):
    path = real_project / "data" / "resources.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    (n,) = [i for i, line in enumerate(lines) if "summary: NICE's 2011 guideline on the longer-term" in line]
    lines[n] = lines[n].replace("management of self-harm", "management of self-harm after a patient committed suicide")
    path.write_text("\n".join(lines), encoding="utf-8")
    ids = [r["id"] for r in yaml.safe_load(path.read_text(encoding="utf-8"))["resources"]]
    place = f"the {ordinal(ids.index('nice-cg133') + 1)} resource (nice-cg133), summary"
    summary = real_project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = hub("review", "--only", "wording", "--format", "github")
    assert run.code == 0, run.output  # warnings never fail the check
    column = lines[n].index("committed suicide") + 1
    (warning,) = run.stdout.splitlines()
    # Located in the words of the text report (not resources[89].summary), with the guide's row, as validate's are.
    assert warning.startswith(f"::warning file=data/resources.yaml,line={n + 1},col={column},title=Wording::"
                              f"{place}: 'committed suicide': consider 'died by suicide; took their own life'")
    assert warning.endswith("%0Asee: CONTRIBUTING.md#review-language")
    assert "resources[" not in warning
    assert hub("review", "--only", "wording").stdout.count(f"warning: {place}: 'committed suicide'") == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### Wording check")
    assert f"`data/resources.yaml:{n + 1}:{column}` {place}: 'committed suicide'" in text


def test_wording_check_says_which_file_it_could_not_read(real_project, monkeypatch):
    resources = real_project / "data" / "resources.yaml"
    lines = resources.read_text(encoding="utf-8").split("\n")
    (n,) = [i for i, line in enumerate(lines) if "summary: NICE's 2011 guideline on the longer-term" in line]
    lines[n] = lines[n].replace("management of self-harm", "management of self-harm after a patient committed suicide")
    lines[n + 1] = "\t" + lines[n + 1]  # a tab: the file cannot be read, so nothing in it is checked
    resources.write_text("\n".join(lines), encoding="utf-8")
    events = real_project / "data" / "events.yaml"  # a file that can be read is still checked
    text = events.read_text(encoding="utf-8")
    m = text.split("\n").index("    summary: >-") + 1  # the folded summary's first line (1-based: m + 1)
    events.write_text(text.replace("    summary: >-\n      ", "    summary: >-\n      For self-harmers. ", 1),
                      encoding="utf-8")
    summary = real_project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = hub("review", "--only", "wording", "--format", "github")
    assert run.code == 0, run.output  # as for any data error: the Data check is the job that fails
    unread, found = run.stdout.splitlines()
    said = (f"data/resources.yaml could not be read (line {n + 2}: a tab is used for indentation; YAML only allows "
            "spaces), so its wording was not checked; the Data check (python -m hub validate) shows the problem.")
    assert unread == (f"::warning file=data/resources.yaml,line={n + 2},col=1,title=Wording not checked::{said}"
                      "%0Ahint: replace the tab with spaces (two per level, as in the rest of the file)"
                      "%0Asee: CONTRIBUTING.md#tab-indent")
    assert found.startswith(f"::warning file=data/events.yaml,line={m + 1},col=11,title=Wording::the 1st event")
    assert "'self-harmers'" in found and "committed suicide" not in run.stdout
    assert "0 finding(s)" not in run.stderr and "NOT CHECKED: data/resources.yaml" in run.stderr
    text = summary.read_text(encoding="utf-8")
    assert f"**Not checked:** {said}" in text and "nothing found" not in text
    assert "Wording to reconsider (safe-messaging guidance): 1 in the files that could be read" in text
    # The other formats say so too, and --strict fails on it as on any warning.
    assert f"data/resources.yaml could not be read (line {n + 2}: a tab" in hub("review", "--only", "wording").stdout
    unread_json = json.loads(hub("review", "--only", "wording", "--format", "json").stdout)["unread"]
    assert [(u["file"], u["line"], u["code"]) for u in unread_json] == [("data/resources.yaml", n + 2, "tab-indent")]
    assert hub("review", "--only", "wording", "--strict").code == 1


def test_the_real_data_has_no_wording_to_reconsider(real_project, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    run = hub("review", "--only", "wording", "--format", "github")
    assert (run.code, run.stdout.strip()) == (0, "")


def test_only_runs_the_checks_named(review_project):
    out = hub("review", "--only", "wording", "--today", TODAY).stdout
    assert "== Wording to reconsider (safe-messaging guidance) (2)" in out
    assert "== Due for review" not in out and "== Possible duplicates" not in out
    out = hub("review", "--only", "stale", "--only", "no-link", "--today", TODAY).stdout
    assert "== Due for review (1)" in out and "== Records without a link (4)" in out and "== Wording" not in out
