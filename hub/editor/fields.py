"""The model's fields as the editor tools see them: their keys in order, and what each one holds.

`field_models` gives a model's keys (aliases) in field order with the record
model each value holds, if any; `hub fmt` sorts keys by it, `hub review`
walks the prose with it and `hub docs` finds the nested tables with it.
`field_spec` tells a `hub new` prompt (and the field reference) what one field
needs: its help text, whether it is required, its Python type, whether it is a
list, the kind of record an id must name, and its choices. Everything here is
read from `hub.catalogue.model`, so the tools cannot drift from the validator.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from hub.catalogue.fielddocs import documented
from hub.catalogue.fields import Quoted, Ref, inner_model


def field_models(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Key (alias) → the record model of its value (for lists of records too), in field order."""
    out: dict[str, type[BaseModel] | None] = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = inner_model(info.annotation)
    return out


@dataclass(frozen=True)
class FieldSpec:
    """What a prompt needs to know about one field."""

    key: str
    doc: str
    required: bool
    base: Any
    """The Python type of the value (or of each item): str, int, bool, dt.date, an Enum, a model…"""
    is_list: bool
    ref: str | None
    """The kind of record an id must name (``topic``, ``person``…), if any."""
    choices: tuple = ()

    @property
    def is_record_list(self) -> bool:
        return self.is_list and isinstance(self.base, type) and issubclass(self.base, BaseModel)


def field_spec(model: type[BaseModel], key: str) -> FieldSpec:
    name, info = next((n, i) for n, i in documented(model).model_fields.items() if (i.alias or n) == key)
    base, is_list, ref = unwrap(info.annotation, info.metadata)
    choices: tuple = ()
    if isinstance(base, type) and issubclass(base, Enum):
        choices = tuple(m.value for m in base)
    elif get_origin(base) is Literal:
        choices = get_args(base)
        base = type(choices[0])
    return FieldSpec(key, (info.description or "").strip(), info.is_required(), base, is_list, ref, choices)


def unwrap(annotation: Any, metadata: list) -> tuple[Any, bool, str | None]:
    """An annotation's base type, whether it is a list of them, and the kind of record it refers to."""
    ref = next((m.kind for m in metadata if isinstance(m, Ref)), None)
    is_list = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            ref = ref or next((m.kind for m in annotation.__metadata__ if isinstance(m, Ref)), None)
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif origin is list:
            is_list, annotation = True, get_args(annotation)[0]
        else:
            return annotation, is_list, ref


def quoted_keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys whose text is always written in double quotes (phone numbers: `hub.catalogue.fields.Quoted`)."""
    return frozenset(info.alias or name for name, info in model.model_fields.items()
                     if any(isinstance(m, Quoted) for m in info.metadata) or _has_quoted(info.annotation))


def _has_quoted(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated and any(isinstance(m, Quoted) for m in annotation.__metadata__):
        return True
    return any(_has_quoted(arg) for arg in get_args(annotation))
