"""The report formats: JSON is a contract, Markdown fits an issue, GitHub annotations land on the diff."""

from __future__ import annotations

import json

from hub.exitcodes import ExitCode
from hub.links.report import LinkReport, to_github, to_json, to_markdown, to_text
from hub.links.types import LinkResult, LinkStatus, Source


def sample() -> list[LinkResult]:
    return [
        LinkResult("https://ok.example/", LinkStatus.OK, 200, "200 OK", None, [Source("data/a.yaml", 3)]),
        LinkResult("https://gone.example/x|y", LinkStatus.BROKEN, 404, "404 Not Found", None,
                   [Source("data/b.yaml", 12), Source("data/a.yaml", 7)], failing_since="2025-03-03T05:00:00Z"),
        LinkResult("http://moved.example/", LinkStatus.REDIRECTED, 200, "moved permanently (301)",
                   "https://moved.example/", [Source("data/a.yaml", 9)]),
        LinkResult("https://journal.example/paper", LinkStatus.UNVERIFIABLE, 403, "403 Forbidden",
                   None, [Source("data/papers.yaml", 4)], doi="10.1234/x", doi_registered=True,
                   last_ok="2025-02-24T05:00:00Z"),
        LinkResult("mailto:help@example.org", LinkStatus.SKIPPED, None, "e-mail address", None,
                   [Source("data/a.yaml", 20)]),
    ]


def test_json_is_the_documented_contract():
    data = json.loads(to_json(LinkReport(sample())))
    assert data["summary"] == {"ok": 1, "redirected": 1, "broken": 1, "unverifiable": 1, "skipped": 1}
    broken = data["results"][0]  # most urgent first
    assert {k: broken[k] for k in ("url", "status", "code", "detail", "final_url", "sources")} == {
        "url": "https://gone.example/x|y", "status": "broken", "code": 404, "detail": "404 Not Found",
        "final_url": None, "sources": [{"file": "data/a.yaml", "line": 7}, {"file": "data/b.yaml", "line": 12}],
    }
    blocked = next(r for r in data["results"] if r["status"] == "unverifiable")
    assert (blocked["doi"], blocked["doi_registered"], blocked["last_ok"]) == ("10.1234/x", True,
                                                                               "2025-02-24T05:00:00Z")


def test_exit_code_counts_broken_and_under_strict_unverifiable():
    assert LinkReport(sample()).exit_code is ExitCode.PROBLEMS
    calm = [r for r in sample() if r.status is not LinkStatus.BROKEN]
    assert LinkReport(calm).exit_code is ExitCode.OK
    assert LinkReport(calm, strict=True).exit_code is ExitCode.PROBLEMS
    assert LinkReport([], input_errors=1).exit_code is ExitCode.PROBLEMS


def test_markdown_is_grouped_by_status_with_every_file_and_line():
    text = to_markdown(LinkReport(sample()), title="Weekly link check")
    assert text.startswith("# Weekly link check\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## ✘ Broken (1)", "## ? Unverifiable (1)", "## ↪ Redirected (1)", "## – Skipped (1)"]
    assert "| https://gone.example/x\\|y | `data/a.yaml:7`<br>`data/b.yaml:12` | 404 Not Found " \
           "(failing since 2025-03-03) |" in text
    assert "last ok 2025-02-24" in text
    assert "| http://moved.example/ | `data/a.yaml:9` | https://moved.example/ |" in text


def test_markdown_stays_under_githubs_issue_size_limit():
    many = [LinkResult(f"https://gone.example/{i}", LinkStatus.BROKEN, 404, "404 Not Found", None,
                       [Source("data/big.yaml", i)]) for i in range(3000)]
    text = to_markdown(LinkReport(many), limit=20_000)
    assert len(text) <= 20_000
    assert "more rows, left out to fit GitHub's size limit" in text


def test_github_annotations_point_at_each_source_line():
    lines = to_github(LinkReport(sample())).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert errors[0].startswith("::error file=data/a.yaml,line=7,title=Broken link::https://gone.example/x|y: "
                                "404 Not Found%0Ahint: ")
    assert len(errors) == 2
    assert any(line.startswith("::warning file=data/papers.yaml,line=4,") for line in lines)
    assert any(line.startswith("::notice file=data/a.yaml,line=9,") for line in lines)
    assert lines[-1].startswith("5 links: 1 ok, 1 redirected, 1 broken")


def test_text_lists_what_needs_action_with_hints():
    text = to_text(LinkReport(sample()))
    assert "data/a.yaml:7: broken: https://gone.example/x|y" in text
    assert "also at: data/b.yaml:12" in text
    assert "hint: the page is gone" in text
    assert "data/a.yaml:9: redirected: http://moved.example/" in text
    assert "hint: replace the link with https://moved.example/" in text
    assert "https://ok.example/" not in text  # ok links only with --verbose
    assert "https://ok.example/" in to_text(LinkReport(sample()), verbose=True)
