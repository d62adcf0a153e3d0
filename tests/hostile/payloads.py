"""A copy of the fixture catalogue with markup-bearing text in every free-text field (for the payload tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

PAYLOAD = ("Care <img src=x onerror=alert(1)> &lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt; "
           "x\"><script>alert(3)</script> ' onfocus='alert(4)' ]]> <!-- {{ 7*7 }} {% raw %}")
"""Element, entity, attribute-breaking, comment, CDATA-ending and template forms together."""

MARKER = "alert("
"""Every payload calls alert(…): a script or handler that carries it came from the data."""

TEXT_KEYS = {"title", "summary", "description", "name", "who_for", "intro", "status_note", "label", "journal",
             "publisher", "role", "affiliation", "funders", "speaker", "organisation", "note", "notes",
             "numerator", "denominator", "how_to_access", "short", "hours", "location"}
"""Keys whose values are free text (ids, links, dates, numbers and vocabularies are checked by the model)."""
LIST_KEYS = {"alt_titles", "authors", "key_points", "aims"}
"""Keys whose values are lists of free text."""


def inject(source: Path, target: Path) -> int:
    """Copy the data folder `source` to `target` with `PAYLOAD` appended to every free-text value; how many."""
    shutil.copytree(source, target)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 10_000
    count = 0

    def walk(node) -> None:
        nonlocal count
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    node[key] = f"{value} {PAYLOAD}"
                    count += 1
                elif key in LIST_KEYS and isinstance(value, list):
                    for index, item in enumerate(value):
                        value[index] = f"{item} {PAYLOAD}"
                        count += 1
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(target.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        walk(data)
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    return count
