"""Where links come from: catalogue YAML with file:line, URL lists, and the lines a git change touched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hub.links.sources import (
    SourceError,
    catalogue_links,
    changed_lines,
    doi_url,
    normalise_doi,
    only_changed,
    url_file_links,
)
from hub.links.types import merge_links

ROOT = Path(__file__).resolve().parents[2]

RESOURCES = """\
# A small catalogue for the tests
resources:
  - id: first
    title: First
    url: https://first.example/page
    doi: 10.1234/abc.5
    contact:
      website_url: https://first.example/contact
  - id: second
    title: Second
    url: "https://second.example/"
    notes: not a link https://ignored.example/
services:
  - name: Helpline
    booking_url: https://first.example/page
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def located(links) -> list[tuple[str, list[str], str | None]]:
    return [(link.url, [s.location() for s in link.sources], link.doi) for link in links]


def test_every_url_key_and_doi_is_found_with_its_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(write(tmp_path, {"data/resources.yaml": RESOURCES}))
    links, problems = catalogue_links(Path("data"))
    assert problems == []
    assert located(links) == [
        ("https://first.example/page", ["data/resources.yaml:5"], "10.1234/abc.5"),
        ("https://doi.org/10.1234/abc.5", ["data/resources.yaml:6"], "10.1234/abc.5"),
        ("https://first.example/contact", ["data/resources.yaml:8"], "10.1234/abc.5"),
        ("https://second.example/", ["data/resources.yaml:11"], None),
        ("https://first.example/page", ["data/resources.yaml:15"], None),
    ]


def test_the_same_url_twice_is_one_link_with_two_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(write(tmp_path, {"data/resources.yaml": RESOURCES}))
    merged = merge_links(catalogue_links(Path("data"))[0])
    [page] = [link for link in merged if link.url == "https://first.example/page"]
    assert [s.location() for s in page.sources] == ["data/resources.yaml:5", "data/resources.yaml:15"]
    assert page.doi == "10.1234/abc.5"  # remembered for the blocked-paper check


def test_schema_folder_and_other_files_are_not_data(tmp_path, monkeypatch):
    monkeypatch.chdir(write(tmp_path, {
        "data/a.yaml": "items:\n  - url: https://a.example/\n",
        "data/schema/resource.yaml": "url: https://schema.example/\n",
        "data/notes.txt": "url: https://notes.example/\n",
    }))
    links, _ = catalogue_links(Path("data"))
    assert [link.url for link in links] == ["https://a.example/"]


def test_an_unreadable_data_file_is_a_located_problem_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(write(tmp_path, {"data/bad.yaml": "items:\n  - url: [unclosed\n",
                                       "data/good.yaml": "url: https://good.example/\n"}))
    links, problems = catalogue_links(Path("data"))
    assert [link.url for link in links] == ["https://good.example/"]
    assert [(p.file, p.line, p.column, p.code) for p in problems] == [("data/bad.yaml", 2, 10, "unclosed-bracket")]


def test_a_missing_data_folder_is_a_usage_error(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        catalogue_links(tmp_path / "nope")


@pytest.mark.parametrize("written", ["10.1234/x", "https://doi.org/10.1234/x", "doi:10.1234/x", " 10.1234/x "])
def test_dois_are_stored_bare_however_they_were_pasted(written):
    assert normalise_doi(written) == "10.1234/x"


def test_doi_characters_are_escaped_in_the_link():
    assert doi_url("10.1002/(SICI)1097-4571 #x") == "https://doi.org/10.1002/(SICI)1097-4571%20%23x"


def test_url_lists_skip_blank_lines_and_comments(tmp_path, monkeypatch):
    monkeypatch.chdir(write(tmp_path, {"urls.txt": "# ad-hoc list\n\nhttps://a.example/\n  https://b.example/\n"}))
    assert located(url_file_links(Path("urls.txt"))) == [
        ("https://a.example/", ["urls.txt:3"], None),
        ("https://b.example/", ["urls.txt:4"], None),
    ]


def test_an_unreadable_url_list_is_a_usage_error(tmp_path):
    with pytest.raises(SourceError, match="cannot read the URL list"):
        url_file_links(tmp_path / "missing.txt")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_only_links_on_added_or_changed_lines_are_kept(tmp_path, monkeypatch):
    write(tmp_path, {"data/resources.yaml": RESOURCES, "data/other.yaml": "url: https://other.example/\n"})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    changed = RESOURCES.replace("https://second.example/", "https://second.example/moved")
    changed += "  - name: New service\n    booking_url: https://new.example/book\n"
    write(tmp_path, {"data/resources.yaml": changed, "data/new.yaml": "url: https://brand-new.example/\n"})
    git(tmp_path, "commit", "-q", "-am", "edit")  # data/new.yaml stays untracked: still checked
    monkeypatch.chdir(tmp_path)

    links, _ = catalogue_links(Path("data"))
    lines = changed_lines("main", sorted(Path("data").glob("*.yaml")))
    kept = only_changed(links, lines)
    assert located(kept) == [
        ("https://brand-new.example/", ["data/new.yaml:1"], None),
        ("https://second.example/moved", ["data/resources.yaml:11"], None),
        ("https://new.example/book", ["data/resources.yaml:17"], None),
    ]


def test_an_unknown_revision_is_a_usage_error(tmp_path, monkeypatch):
    write(tmp_path, {"data/a.yaml": "url: https://a.example/\n"})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceError, match="does not know the revision 'origin/nope'"):
        changed_lines("origin/nope", [Path("data/a.yaml")])


def test_the_real_catalogue_gives_every_link_a_file_and_line():
    data = ROOT / "data"
    if not any(data.glob("*.yaml")):
        pytest.skip("data/ has no catalogue files yet")
    links, _ = catalogue_links(data, root=ROOT)
    assert links, "the catalogue has no links at all"
    for link in links:
        [source] = link.sources
        assert source.file.startswith("data/") and source.file.endswith(".yaml")
        assert source.line and source.line >= 1, link.url
