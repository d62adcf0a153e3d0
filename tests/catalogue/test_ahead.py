"""Reading a large file in two processes (`hub.ahead`) gives exactly what one process gives.

Every comparison is against `load_yaml_text`, the ordinary one-process
path: the same values, the same problems, and the same location for every
value and key in the file.
"""

from __future__ import annotations

import glob
import os
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.ahead import Ahead, Plan, plan_split, read_ahead
from hub.loader import LoadedYaml, load_yaml_text


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def assert_same(split: LoadedYaml, whole: LoadedYaml) -> None:
    assert split.data == whole.data
    assert [(p.line, p.column, p.code, p.message) for p in split.problems] == \
        [(p.line, p.column, p.code, p.message) for p in whole.problems]
    for path in _paths(whole.data):
        for key in (False, True):
            assert split.locate(path, key) == whole.locate(path, key), (path, key)
    # paths that do not exist are located at their closest parent, as before
    assert split.locate(("resources", 10**6, "id")) == whole.locate(("resources", 10**6, "id"))


def load_split(text: str, share: float = 0.6) -> tuple[LoadedYaml, bool]:
    """Load `text` through a forked child; also say whether the split was used (or the file read whole)."""
    plan = plan_split(text, share)
    assert plan is not None
    loaded = Ahead(Path("f.yaml"), text, plan).load("f.yaml")
    return loaded, loaded.tail is not None


def catalogue(n: int, after: str = "") -> str:
    lines = ["sections:", "  - id: s", "    title: S", "resources:"]
    for i in range(n):
        lines += [f"  - id: r{i}", f"    title: \"Title {i}: a study\"", "    year: 2020",
                  "    authors: [Kapur N, Cooper J]", "    summary: >-", "      Two lines", "      of text."]
    return "\n".join(lines) + "\n" + after


# --- where the file is cut ------------------------------------------------------------


def test_the_cut_is_at_an_item_of_the_list_that_holds_the_point() -> None:
    text = catalogue(10)
    plan = plan_split(text, 0.5)
    assert plan.key == "resources" and plan.end == len(text) and plan.end_line == -1
    assert text[plan.start:].startswith("  - id: r")
    assert plan.line == text.count("\n", 0, plan.start)
    assert plan.head(text).count("\n") == text.count("\n")  # every line keeps its number
    assert plan.tail(text).startswith("  - id: r") and plan.tail(text).endswith("of text.\n")


def test_a_list_followed_by_another_key_ends_before_it() -> None:
    text = catalogue(10, after="# the next key\nfinal: true\n")
    plan = plan_split(text, 0.5)
    assert text[plan.end:] == "final: true\n"
    assert plan.end_line == text[:plan.end].count("\n")


def test_a_list_written_at_column_0_is_cut_too() -> None:
    text = "resources:\n" + "".join(f"- id: r{i}\n  title: T\n" for i in range(20))
    plan = plan_split(text, 0.5)
    assert text[plan.start:].startswith("- id: r1")
    loaded, used = load_split(text)
    assert used and loaded.data == load_yaml_text(text, "f.yaml").data


@pytest.mark.parametrize("text", [
    "title: " + "x" * 100 + "\n",                          # no list at all
    "items:\n  - a\n  - b\nsummary: |\n" + "  text\n" * 50,  # the point is in a block of text
    "items:\n  - a\n  - b\n",                              # a list too short to cut after its first item
    "resources:\n  key: value\n" * 3,                       # a mapping, not a list
])
def test_no_cut_where_the_point_is_not_inside_a_list(text: str) -> None:
    assert plan_split(text, 0.3) is None


# --- the same values, problems and locations ---------------------------------------------


@pytest.mark.parametrize("path", sorted(glob.glob("data/*.yaml") + glob.glob("tests/cases/validate/*.yaml")
                                        + glob.glob("tests/site/fixtures/data/*.yaml")))
def test_every_data_and_case_file_reads_the_same_split(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    for share in (0.3, 0.6, 0.9):
        plan = plan_split(text, share)
        if plan is None or "\t" in text:
            continue
        split = Ahead(Path(path), text, plan).load(path)
        assert_same(split, load_yaml_text(text, path))


def test_a_large_catalogue_is_really_split_and_located_item_by_item() -> None:
    text = catalogue(300)
    loaded, used = load_split(text)
    assert used, "the split was not used"
    whole = load_yaml_text(text, "f.yaml")
    assert_same(loaded, whole)
    assert loaded.values == whole.values


# Items an editor might write, some of them awkward for a cut: text that
# looks like an item inside quotes or a block, a dash on its own line, a
# comment at column 0, a duplicate key, an alias, a bracket left open.
ITEM = st.sampled_from([
    "  - id: plain\n    title: Plain words\n",
    '  - id: quoted\n    title: "first line\n  - id: not-an-item\n  last line"\n',
    "  - id: single\n    title: 'it''s\n  - still text'\n",
    "  - id: block\n    summary: |\n      text\n      - not an item\n",
    "  -\n    id: dash-alone\n    year: 2020\n",
    "# a comment at column 0\n  - id: commented\n",
    "  - id: twice\n    id: again\n",
    "  - id: anchor\n    a: &x 1\n",
    "  - id: alias\n    b: *x\n",
    "  - id: flow\n    tags: [a,\n      b]\n",
    "  - id: open\n    tags: [a,\n",
    "  - plain scalar item\n",
    "  - id: tag\n    t: !!python/name:os.system\n",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(ITEM, min_size=2, max_size=12), share=st.floats(0.05, 0.95),
       after=st.sampled_from(["", "final: true\n", "---\nsecond: document\n", "# only a comment\n"]))
def test_any_cut_reads_the_same_as_one_pass(items: list[str], share: float, after: str) -> None:
    text = "title: T\nresources:\n" + "".join(items) + after
    plan = plan_split(text, share)
    if plan is None:
        return
    assert_same(Ahead(Path("f.yaml"), text, plan).load("f.yaml"), load_yaml_text(text, "f.yaml"))


# --- when the second process fails ---------------------------------------------------------


def test_when_the_child_dies_the_file_is_read_here() -> None:
    text = catalogue(50)
    ahead = Ahead(Path("f.yaml"), text, plan_split(text))
    os.kill(ahead._child.pid, signal.SIGKILL)
    ahead._child.join()
    loaded = ahead.load("f.yaml")
    assert loaded.tail is None
    assert_same(loaded, load_yaml_text(text, "f.yaml"))


def test_a_plan_that_does_not_match_the_text_is_not_trusted() -> None:
    text = catalogue(20)
    good = plan_split(text)
    wrong = Plan(good.key, good.start - 3, good.end, good.line, good.end_line)  # not at a line start
    loaded = Ahead(Path("f.yaml"), text, wrong).load("f.yaml")
    assert loaded.tail is None
    assert_same(loaded, load_yaml_text(text, "f.yaml"))


def test_read_ahead_starts_only_for_large_files(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "resources.yaml").write_text(catalogue(40), encoding="utf-8")
    (tmp_path / "people.yaml").write_text("people:\n  - id: a\n  - id: b\n", encoding="utf-8")
    monkeypatch.setenv("HUB_SPLIT_FROM", str(len(catalogue(40)) - 1))
    ahead = read_ahead(tmp_path)
    try:
        assert list(ahead) == [tmp_path / "resources.yaml"]
    finally:
        for started in ahead.values():
            started.close()


def test_hub_validate_reports_the_same_when_the_file_is_read_in_two_processes(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import run_hub
    from tests.site.conftest import FIXTURE_DATA

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    resources = data / "resources.yaml"
    lines = resources.read_text(encoding="utf-8").splitlines(keepends=True)
    types = [i for i, line in enumerate(lines) if line.startswith("    type: ")]
    lines[types[-1]] = "    type: infographik\n"  # in the later part, which the child composes
    resources.write_text("".join(lines), encoding="utf-8")
    plan = plan_split("".join(lines))
    assert plan is not None and plan.line < types[-1], "the broken record must be in the child's part"
    one = run_hub("validate", "--data", str(data), env={"HUB_SPLIT_FROM": "1000000000"})
    two = run_hub("validate", "--data", str(data), env={"HUB_SPLIT_FROM": "0"})
    assert one.returncode == two.returncode == 1
    assert f"resources.yaml:{types[-1] + 1}:11: error:" in two.stderr
    assert (one.stdout, one.stderr) == (two.stdout, two.stderr)
