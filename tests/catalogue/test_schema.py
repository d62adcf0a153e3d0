"""The committed JSON Schemas match the model, and editors' files point at them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from hub.catalogue.model import DATA_FILES
from hub.catalogue.schema import render_schemas, write_schemas
from hub.catalogue.yamlfile import load_yaml
from tests.conftest import MINIMAL, ROOT, run_hub


def test_committed_schemas_are_up_to_date() -> None:
    stale = write_schemas(ROOT / "data" / "schema", check=True)
    assert stale == [], f"run: python -m hub schema  (stale: {stale})"


def test_schema_check_command_reports_stale_schema(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    (tmp_path / "people.schema.json").write_text("{}")
    proc = run_hub("schema", "--check", "--out", str(tmp_path))
    assert proc.returncode == 1
    assert "people.schema.json: out of date; run: python -m hub schema" in proc.stderr


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_schema_accepts_the_minimal_catalogue(name: str) -> None:
    schema = json.loads(render_schemas()[name.replace(".yaml", ".schema.json")])
    data = load_yaml(MINIMAL / name).data
    jsonschema.validate(data, schema)


def test_schema_rejects_a_typo_while_typing() -> None:
    schema = json.loads(render_schemas()["people.schema.json"])
    data = {"people": [{"id": "x", "name": "X", "group": "core-staff", "role": "R", "titel": "oops"}]}
    with pytest.raises(jsonschema.ValidationError, match="titel"):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_each_data_file_references_its_schema(name: str) -> None:
    path = ROOT / "data" / name
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=schema/{name.replace('.yaml', '.schema.json')}"
