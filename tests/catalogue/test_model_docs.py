"""Every field editors can write is documented: the docstrings feed the schema and CONTRIBUTING.md."""

from __future__ import annotations

import inspect

from pydantic import BaseModel

from hub.catalogue import model
from hub.catalogue.fielddocs import documented, field_doc


def test_every_model_field_has_a_description() -> None:
    undocumented = [
        f"{name}.{field}"
        for name, cls in inspect.getmembers(model, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == "hub.catalogue.model"
        for field, info in documented(cls).model_fields.items()
        if not info.description
    ]
    assert undocumented == []


def test_the_schema_carries_each_fields_words_and_validation_reads_none() -> None:
    """`documented` gives the JSON Schema the docstrings (nested models too); the models alone carry none,
    so defining them parses no source (pydantic's use_attribute_docstrings is off)."""
    import subprocess
    import sys

    code = ("from hub.catalogue import model; "
            "print(sum(1 for f in model.Resource.model_fields.values() if f.description))")
    alone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert alone.stdout.strip() == "0"
    schema = documented(model.ResourcesFile).model_json_schema(by_alias=True)
    resource = schema["$defs"]["Resource"]["properties"]
    assert resource["title"]["description"] == field_doc(model.Resource, "title") != ""
    assert all(prop.get("description") for prop in resource.values()), [
        key for key, prop in resource.items() if not prop.get("description")]
