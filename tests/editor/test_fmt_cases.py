"""`hub fmt`, driven by the case files in cases/fmt/ (as Black's tests/data/cases).

Each case file is the input YAML, then a line ``# output`` and the expected
canonical text. Optional first lines: ``# model: resources.yaml`` (whose field
order applies) and, for files fmt must refuse, ``# problems: code line:column``
(positions counted in the input, after the directive lines). Adding a case
means adding one file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.catalogue.model import DATA_FILES
from hub.catalogue.yamlfile import load_yaml_text
from hub.editor.fmt import format_text

CASES = sorted((Path(__file__).parent / "cases" / "fmt").glob("*.yaml"))


def read_case(path: Path) -> tuple[dict, str, str | None]:
    lines = path.read_text(encoding="utf-8").split("\n")
    directives = {}
    while lines and re.match(r"# (model|problems): ", lines[0]):
        key, value = lines.pop(0)[2:].split(": ", 1)
        directives[key] = value
    source, found, expected = "\n".join(lines).partition("# output\n")
    return directives, source, expected if found else None


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path):
    directives, source, expected = read_case(path)
    model = DATA_FILES.get(directives.get("model", ""))
    out, problems = format_text(source, "case.yaml", model)
    if "problems" in directives:
        assert out is None
        assert [f"{p.code} {p.line}:{p.column}" for p in problems] == [directives["problems"]]
        return
    assert not problems, [p.render() for p in problems]
    assert out == expected
    assert format_text(out, "case.yaml", model)[0] == out, "not idempotent"
    assert load_yaml_text(out, "o").data == load_yaml_text(source, "i").data


def test_there_are_cases_of_each_kind():
    kinds = {"problems" in read_case(p)[0] for p in CASES}
    assert kinds == {True, False} and len(CASES) >= 8
