"""No surprise end of life: the installed engines' end-of-life and deprecation notices, known ones only.

`hub build` silences Material's notice (NO_MKDOCS_2_WARNING=1 in
hub/site/build.py) so that every build does not print it. Here each engine
builds a small site *without* that setting and with Python's deprecation
warnings shown, and its output is read:

* every line of each notice listed in `KNOWN` must still be printed as
  written (a changed notice fails too: read it, then update docs/site.md,
  "The plan for 5 May 2027", and this list);
* no other line may speak of end of life, deprecation, removal or a
  successor. A new notice (MkDocs 2, Zensical, a plugin, a Python
  DeprecationWarning from an engine's code) fails loudly here, on the day
  the package that prints it is installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KNOWN = {
    "mkdocs": [
        # Material for MkDocs 9.8.1, printed on every build (silenced by NO_MKDOCS_2_WARNING=1).
        "Material for MkDocs reaches end of life on May 5, 2027.",
        "Critical fixes and security updates continue until that date.",
        "Zensical is its maintained successor, built by the same team.",
        "Try it alongside MkDocs with your existing mkdocs.yml:",
        "https://zensical.org/docs/compatibility/mkdocs/migration/",
        "To disable this warning, set NO_MKDOCS_2_WARNING=1.",
    ],
    "zensical": [],  # Zensical 0.0.73 prints none
}
"""The notices each engine prints today, line by line (decorations and colours removed)."""

NOTICE = re.compile(
    r"deprecat|end[ -]of[ -]life|\bEOL\b|no longer (?:maintained|supported|developed|updated)|unmaintained"
    r"|sunset|will be removed|to be removed|reaches end|successor|migrat|upgrade to|is obsolete", re.IGNORECASE)
"""What an end-of-life or deprecation notice says."""

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
DECORATION = re.compile(r"^[\s│|┃╭╮╰╯─]+|[\s│|┃]+$")

CONFIG = """site_name: Notices
theme:
  name: material
  features: [navigation.sections]
plugins:
  - search:
      enabled: false
markdown_extensions: [attr_list, admonition, md_in_html, tables]
"""

COMMANDS = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean"],
    "zensical": [sys.executable, "-m", "zensical", "build", "--strict", "--clean"],
}


def engine_output(engine: str, folder: Path) -> list[str]:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Notices\n\nA page.\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "NO_MKDOCS_2_WARNING"}
    env["PYTHONWARNINGS"] = "default"  # Python's DeprecationWarnings are printed too
    proc = subprocess.run(COMMANDS[engine], cwd=folder, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, f"{engine} could not build a one-page site:\n{proc.stdout}\n{proc.stderr}"
    lines = [DECORATION.sub("", ANSI.sub("", line)) for line in (proc.stdout + proc.stderr).splitlines()]
    return [line for line in lines if line]


@pytest.mark.parametrize("engine", list(KNOWN))
def test_the_engine_prints_no_new_end_of_life_or_deprecation_notice(engine, tmp_path):
    if engine == "zensical":
        pytest.importorskip("zensical", reason="Zensical is not installed: pip install -e '.[zensical]'")
    printed = engine_output(engine, tmp_path)
    missing = [line for line in KNOWN[engine] if line not in printed]
    assert not missing, (
        f"{engine}'s known notice changed: these lines are no longer printed:\n  " + "\n  ".join(missing)
        + "\nIt printed:\n  " + "\n  ".join(printed)
        + "\nRead what it says now, then update docs/site.md (the plan for 5 May 2027) and KNOWN.")
    new = [line for line in printed if NOTICE.search(line) and line not in KNOWN[engine]]
    assert not new, (
        f"{engine} prints a NEW end-of-life or deprecation notice:\n  " + "\n  ".join(new)
        + "\nRead it, decide what it means for the site (docs/site.md, the plan for 5 May 2027), "
        "then add it to KNOWN in this file.")
