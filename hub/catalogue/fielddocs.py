"""What each field of the data model means: the docstring under it in the class body, read when asked.

The models document their fields with a string under each one (`hub.catalogue.model`). Pydantic can read
those itself (`use_attribute_docstrings`), but it does so for every model as the model is defined, by
finding and parsing the class's source: about a tenth of `hub validate`, which needs the words only for a
problem's hint. So the models leave it off, and the three places that show the words take them from here:
a problem's hint (`field_doc`), and the JSON Schemas, the field reference and `hub new`, which first call
`documented` to give every field its description, as pydantic would have.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel


@cache
def _own_docs(cls: type) -> dict[str, str]:
    """Field name → docstring, for the fields written in `cls`'s own body."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # no source (e.g. a model made at run time): no docs
        return {}
    body = ast.parse(source).body[0].body
    docs = {}
    for field, after in zip(body, body[1:], strict=False):
        if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[field.target.id] = inspect.cleandoc(after.value.value)
    return docs


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """Field name → docstring for every field of `model`, its own and those it inherits."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls is not BaseModel:
            docs.update(_own_docs(cls))
    return docs


def field_doc(model: type[BaseModel], name: str) -> str:
    """The docstring of one field ('' when it has none)."""
    return field_docs(model).get(name, "")


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def documented(model: type[BaseModel], _seen: set | None = None) -> type[BaseModel]:
    """`model`, with every field's description set from its docstring, and so every model inside it.

    Models inside are done first, then `model` is rebuilt, so that its JSON Schema carries the words.
    """
    seen = _seen if _seen is not None else set()
    if model in seen:
        return model
    seen.add(model)
    for info in model.model_fields.values():
        for inner in _models_in(info.annotation):
            documented(inner, seen)
    docs = field_docs(model)
    changed = False
    for name, info in model.model_fields.items():
        if info.description is None and docs.get(name):
            info.description = docs[name]
            changed = True
    if changed:
        model.model_rebuild(force=True)
    return model
