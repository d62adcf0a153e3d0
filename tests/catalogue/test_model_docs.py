"""Every field editors can write is documented: the docstrings feed the schema and CONTRIBUTING.md."""

from __future__ import annotations

import inspect

from pydantic import BaseModel

from hub.catalogue import model


def test_every_model_field_has_a_description() -> None:
    undocumented = [
        f"{name}.{field}"
        for name, cls in inspect.getmembers(model, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == "hub.catalogue.model"
        for field, info in cls.model_fields.items()
        if not info.description
    ]
    assert undocumented == []
