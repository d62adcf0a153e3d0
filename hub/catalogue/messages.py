"""Turn pydantic's validation errors into `Problem`s that speak YAML, not Python.

pydantic says "Input should be a valid string"; an editor needs "'phone'
should be text: put the number in quotes so the leading 0 is kept". Each
error type gets a message and a hint here, with the field's own docstring
from the model where that helps.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from hub.catalogue.datewords import date_words
from hub.catalogue.fielddocs import field_doc
from hub.catalogue.fields import PHONE_RULE, inner_model
from hub.catalogue.positions import Location, format_path
from hub.catalogue.yamlfile import LoadedYaml
from hub.problems import Problem


def describe(value: Any) -> str:
    """How a YAML value looks to an editor."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def suggest(word: str, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return match[0] if match else None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc`` (for field docs and names)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = _field_by_alias(current, part)
        if field is None:
            return None
        current = inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _other_level(model: type[BaseModel], loc: tuple, owner: type[BaseModel], name: str) -> str:
    """Where a field that is unknown here belongs, when it is a field one level down or up:
    a talk's ``person:`` written at the event's indentation, or the reverse."""
    for child_name, info in owner.model_fields.items():
        child = inner_model(info.annotation)
        if child is not None and name in field_names(child):
            list_name = info.alias or child_name
            return (f"'{name}' is a field of each item under '{list_name}:': indent it to line up with "
                    f"that item's other fields (or remove it)")
    strings = [i for i, part in enumerate(loc[:-1]) if isinstance(part, str)]
    if strings:
        parent = _model_at(model, loc[:strings[-1] + 1]) if strings[-1] else model
        if parent is not None and parent is not owner and name in field_names(parent):
            return (f"'{name}' is a field of the record above this list (not of each item in "
                    f"'{loc[strings[-1]]}:'): line it up with that record's other fields")
    return ""


def _first_line_of_doc(model: type[BaseModel], alias: str) -> str:
    """The first line of the docstring of the field written `alias` in the data."""
    fname = next((n for n, f in model.model_fields.items() if (f.alias or n) == alias), alias)
    return field_doc(model, fname).split("\n")[0]


def _field_by_alias(model: type[BaseModel], name: str):
    for fname, field in model.model_fields.items():
        if (field.alias or fname) == name:
            return field
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def pydantic_problems(
    exc: ValidationError, model: type[BaseModel], loaded: LoadedYaml, prefix: tuple = ()
) -> list[Problem]:
    """One located `Problem` per pydantic error."""
    errors = exc.errors(include_url=False)
    renamed = _misspelt_required(errors)
    problems = []
    for index, err in enumerate(errors):
        if index in renamed.values():
            continue  # the 'missing' of a field whose name is misspelt: one problem, at the misspelt name
        loc = prefix + tuple(err["loc"])
        problem = _one(err, loc, model, loaded, prefix)
        if index in renamed:
            right = errors[renamed[index]]["loc"][-1]
            problem = replace(problem, message=f"{problem.message} — did you mean '{right}'? ('{right}' is required)",
                              hint=f"rename the field to '{right}'")
        problems.append(problem)
    return problems


def _misspelt_required(errors: list[dict]) -> dict[int, int]:
    """Unknown field → the missing required field of the same record it is a misspelling of (indexes in `errors`).

    ``titel:`` for ``title:`` is one mistake: pydantic reports the unknown 'titel' and the missing 'title'.
    """
    missing = {(tuple(e["loc"][:-1]), e["loc"][-1]): i for i, e in enumerate(errors)
               if e["type"] == "missing" and e["loc"] and isinstance(e["loc"][-1], str)}
    out: dict[int, int] = {}
    for index, err in enumerate(errors):
        if err["type"] != "extra_forbidden" or not err["loc"] or not isinstance(err["loc"][-1], str):
            continue
        record = tuple(err["loc"][:-1])
        names = [name for (where, name), i in missing.items() if where == record and i not in out.values()]
        guess = suggest(err["loc"][-1], names)
        if guess:
            out[index] = missing[(record, guess)]
    return out


def _one(err: dict, loc: tuple, model: type[BaseModel], loaded: LoadedYaml, prefix: tuple) -> Problem:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    owner = _model_at(model, loc[len(prefix):]) if loc[len(prefix):] else model
    field = _field_by_alias(owner, name) if owner and isinstance(loc[-1], str) else None
    doc = _first_line_of_doc(owner, name) if field else ""
    where: Location
    hint = ""

    if kind == "missing":
        where = loaded.locate(loc[:-1])
        message = f"missing required field '{name}'"
        hint = f"add a line '{name}: …' to this record" + (f" ({doc})" if doc else "")
    elif kind == "extra_forbidden":
        where = loaded.locate(loc, key=True)
        allowed = field_names(owner) if owner else []
        guess = suggest(name, allowed)
        message = f"unknown field '{name}'"
        level = _other_level(model, loc[len(prefix):], owner, name) if owner else ""
        if guess:
            hint = f"did you mean '{guess}'? Rename the field (nothing else reads '{name}')"
        elif level:
            hint = level
        else:
            hint = "remove it or use one of: " + ", ".join(allowed)
    else:
        where = loaded.locate(loc)
        typed = loaded.typed(loc) if kind == "string_type" and isinstance(value, (int, float)) else None
        message, hint = _value_message(kind, name, value, ctx, err["msg"], doc, typed)

    return Problem(
        file=loaded.path,
        line=where.line,
        column=where.column,
        code=kind.replace("_", "-"),
        message=message,
        field=format_path(loc),
        path=loc,
        hint=hint,
    )


_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})


def _number_hint(name: str, value: Any) -> str:
    """'Without quotes' only for a number that was quoted; a letter that looks like a digit is named."""
    text = value.strip() if isinstance(value, str) else ""
    if text.isdigit():
        return f"write it without quotes: {name}: {text}"
    digits = text.translate(_LOOKALIKES)
    if text and digits.isdigit():
        letters = [f"'{c}'" for c in dict.fromkeys(c for c in text if not c.isdigit())]
        what = "is a letter, not a digit" if len(letters) == 1 else "are letters, not digits"
        return f"did you mean {name}: {digits}? ({' and '.join(letters)} {what})"
    year = "".join(c for c in text if c.isdigit())
    if name == "year" and len(year) == 4:
        return f"write the year alone, as digits: {name}: {year}"
    return f"write a whole number, e.g. {name}: 2021" if name == "year" else "write a whole number"


def _value_message(kind: str, name: str, value: Any, ctx: dict, msg: str, doc: str,
                   typed: str | None = None) -> tuple[str, str]:
    """The message and hint of one error; `typed` is the value as typed, for a number that should be text."""
    label = f"'{name}'" if name else "this value"
    if value is None and kind in ("string_type", "int_type", "date_type", "list_type", "model_type",
                                  "dict_type", "enum", "literal_error", "bool_type"):
        return f"{label} is empty", f"write a value after '{name}:' or remove the line" + (
            f" ({doc})" if doc else "")
    if kind == "string_type":
        hint = f"put the value in quotes: {name}: \"{value}\""
        if typed is not None:
            hint = f"put it in quotes, as typed: {name}: \"{typed}\""
        elif isinstance(value, int) and name in ("phone", "helpline", "text", "contact"):
            hint = (f"put the number in quotes, with its leading 0, e.g. {name}: \"0800 1111\"; "
                    "unquoted, YAML reads it as a number and drops the 0")
        elif isinstance(value, (list, dict)):
            hint = f"'{name}' holds one piece of text; check the indentation of the lines below it"
        return f"{label} should be text, not {describe(value)}", hint
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(value, str) and value.strip().isdigit():  # a number in quotes reads as text
            return f"{label} should be a whole number, not text in quotes ('{value}')", _number_hint(name, value)
        return f"{label} should be a whole number, not {describe(value)}", _number_hint(name, value)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        lo = ctx.get("ge", ctx.get("gt"))
        hi = ctx.get("le", ctx.get("lt"))
        bound = f"at least {lo}" if lo is not None else f"at most {hi}"
        return f"{label} must be {bound}, not {value}", "check for a typo in the number"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return date_words(label, name, value)
    if kind in ("enum", "literal_error"):
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",") if o.strip()]
        guess = suggest(str(value), options)
        hint = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(options)}"
        return f"{label} cannot be {describe(value)}; allowed: {', '.join(options)}", hint
    if kind == "list_type":
        return (f"{label} should be a list, not {describe(value)}",
                f"write each item on its own line under '{name}:', starting with '- '")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (f"{label} should be a group of fields (field: value lines), not {describe(value)}",
                "check the indentation: the fields of a record line up under its first field")
    if kind == "too_short":
        return f"{label} needs at least {ctx.get('min_length', 1)} item(s)", "add at least one item, or remove the field"
    if kind == "bool_type":
        return f"{label} should be true or false, not {describe(value)}", f"write {name}: true or {name}: false"
    # our own checks (PydanticCustomError) carry editor-ready wording already
    if kind == "bad-phone" and ctx.get("suggestion"):
        return msg, f"did you mean \"{ctx['suggestion']}\"? ({_CUSTOM_HINTS[kind]})"
    return msg, _CUSTOM_HINTS.get(kind, doc)


_CUSTOM_HINTS = {
    "empty": "write a value or delete the line",
    "not-slug": "ids use a-z, 0-9 and hyphens only; choose once and never change a published id",
    "url-scheme": "copy the full address from the browser's address bar (it starts with https://)",
    "url-space": "copy the address again from the browser's address bar",
    "url-host": "copy the full address from the browser's address bar",
    "bad-email": "check for a missing @ or a typo in the domain",
    "bad-phone": f"{PHONE_RULE}: no brackets or dashes",
    "doi-prefix": "DOIs are stored bare; the site adds https://doi.org/ itself",
    "bad-doi": "copy the DOI from the journal page; it starts with 10.",
    "superseded-without-replacement": "add 'superseded_by: <id of the new guidance>'",
    "replacement-but-current": "a resource with a replacement is 'superseded'",
    "superseded-by-itself": "point 'superseded_by' at the newer resource's id",
}
