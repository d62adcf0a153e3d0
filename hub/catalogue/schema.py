"""JSON Schemas of the data files, generated from `hub.catalogue.model` (`python -m hub schema`).

Editors' YAML plugins (VS Code's YAML extension, JetBrains IDEs) read the
``# yaml-language-server: $schema=…`` first line of each data file and then
autocomplete field names and flag mistakes while typing.
"""

from __future__ import annotations

import json
from pathlib import Path

from hub.catalogue.fielddocs import documented
from hub.catalogue.model import DATA_FILES

SCHEMA_BASE = "https://selfharm-care-hub.invalid/schema/"
"""A placeholder $id base: schemas are referenced by relative path, never fetched."""


def schema_for(name: str) -> dict:
    model = DATA_FILES[name]
    stem = name.removesuffix(".yaml")
    schema = documented(model).model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{stem}.schema.json",
        **schema,
    }


def render_schemas() -> dict[str, str]:
    """File name under data/schema/ → its JSON text."""
    out = {}
    for name in DATA_FILES:
        stem = name.removesuffix(".yaml")
        out[f"{stem}.schema.json"] = json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"
    return out


def write_schemas(schema_dir: Path, check: bool = False) -> list[str]:
    """Write (or with ``check`` only compare) the schemas; returns the names that differ."""
    schema_dir.mkdir(parents=True, exist_ok=True) if not check else None
    changed = []
    for name, text in render_schemas().items():
        path = schema_dir / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            changed.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    return changed
