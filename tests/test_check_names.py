"""The checks CONTRIBUTING.md explains are the checks GitHub shows on a pull request, by the same names."""

from __future__ import annotations

import re

from ruamel.yaml import YAML

from tests.conftest import ROOT


def test_every_pull_request_check_is_explained_by_its_name_in_the_guide():
    workflow = YAML(typ="safe", pure=True).load((ROOT / ".github" / "workflows" / "pr.yml").read_text())
    shown = {job["name"] for job in workflow["jobs"].values()}
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = guide.split("## What the checks mean", 1)[1].split("\n## ", 1)[0]
    explained = set(re.findall(r"^\| \*\*([^*]+)\*\*", table, re.M))
    assert shown <= explained, f"explain these checks in CONTRIBUTING.md: {sorted(shown - explained)}"
    assert len(shown) >= 4  # data, layout, site, tests and links run as checks of their own
