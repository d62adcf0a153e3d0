"""What a scalar means: the YAML 1.2 core schema, as ruamel's resolver has it, for the loader and `hub fmt` alike.

libyaml gives only the syntax: the parser tags every plain (unquoted) scalar `IMPLICIT`, and
`plain_value_by_rule` decides here what it means (``no`` stays text, as YAML 1.2 says, where PyYAML's 1.1
makes it false). Quoted and block scalars, dates and anything tagged text stay text; a whole number of
more than `MAX_INT_DIGITS` digits stays its text too, as a `LongNumber` the loader reports. The same
rule decides when `hub fmt` may write a value without quotes (`scalar_value`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MAX_INT_DIGITS = 20
"""The longest whole number, in digits. Years, volumes, issues, page numbers and counts need at most
six; anything longer is an identifier that belongs in quotes. (Python refuses to convert numbers of
over 4,300 digits, and a number of a million digits takes minutes to convert.)"""

IMPLICIT = "tag:hub,2026:implicit-plain"
"""The tag the parser gives a plain scalar, so that its meaning is decided here (`syntax.Loader.resolve`)."""
STR = "tag:yaml.org,2002:str"

YAML_1_2_RULES = (
    ("bool", '^(?:true|True|TRUE|false|False|FALSE)$', "tTfF", re.X),
    ("float", '^(?:\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n        |[-+]?\\.(?:inf|Inf|INF)\n        |\\.(?:nan|NaN|NAN))$',
     "-+0123456789.", re.X),
    ("int", '^(?:[-+]?0b[0-1_]+\n        |[-+]?0o?[0-7_]+\n        |[-+]?[0-9_]+\n        |[-+]?0x[0-9a-fA-F_]+)$',
     "-+0123456789", re.X),
    ("timestamp", '^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$',
     "0123456789", re.X),
    ("merge", '^(?:<<)$', "<", 0),
    ("null", '^(?: ~\n        |null|Null|NULL\n        | )$', "~nN", re.X),  # and the empty value
    ("value", '^(?:=)$', "=", 0),
    ("yaml", '^(?:!|&|\\*)$', "!&*", 0),
)
"""ruamel.yaml 0.19's YAML 1.2 implicit resolvers (`VersionedResolver(version=(1, 2))`), copied as data: (tag,
pattern, first characters, flags), in ruamel's order. Reading the data then does not import ruamel (about 20 ms
of `hub validate`, whose whole run is about 0.3 s); `hub fmt` still does. tests/catalogue/test_yaml12_rules.py checks
the copy is ruamel's table, rule for rule, so a ruamel upgrade that changes it fails the tests."""


def _rules_by_first_character() -> dict[str, list[tuple[str, re.Pattern]]]:
    table: dict[str, list[tuple[str, re.Pattern]]] = {}
    for tag, pattern, firsts, flags in YAML_1_2_RULES:
        compiled = re.compile(pattern, flags)
        for first in [*firsts, ""] if tag == "null" else firsts:
            table.setdefault(first, []).append((f"tag:yaml.org,2002:{tag}", compiled))
    return table


RULES_BY_FIRST = _rules_by_first_character()

MAY_NOT_BE_TEXT = frozenset(first for first in RULES_BY_FIRST if first)
"""First characters for which the YAML 1.2 rules have a rule (digits, signs, '.', '~', n/t/f…)."""


class LongNumber(str):
    """A plain whole number of more than `MAX_INT_DIGITS` digits: kept as its text, reported by the loader."""

    digits: int = 0


def _plain_value(value: str) -> Any:
    """What a plain (unquoted) scalar means by the YAML 1.2 core schema."""
    if value and value[0] not in MAY_NOT_BE_TEXT:
        return value  # no implicit type starts with this character: it is text (most values)
    return plain_value_by_rule(value)


@lru_cache(maxsize=65536)
def plain_value_by_rule(value: str) -> Any:
    return resolve_scalar(value, _plain_tag(value), None)


def _plain_tag(value: str) -> str:
    """The tag of a plain scalar, as ruamel's `VersionedResolver.resolve` gives it (the first rule that matches)."""
    for tag, pattern in RULES_BY_FIRST.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return STR


_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|0[0-9_]+)$")


def scalar_value(node) -> Any:
    """What a ruamel scalar node means (used by `hub fmt`); see `resolve_scalar`."""
    value = node.value
    if node.style == ">":
        # ruamel's round-trip scanner marks where a folded scalar was folded
        # with BEL characters (to re-fold it on output); they are not content
        value = value.replace("\a", "")
    return resolve_scalar(value, str(node.tag), node.style)


def resolve_scalar(value: str, tag: str, style: str | None) -> Any:
    """YAML 1.2 core types; quoted and block text, dates and anything tagged text stay text.

    A whole number of more than `MAX_INT_DIGITS` digits stays its text, as a `LongNumber`.
    """
    if style in ("'", '"', "|", ">") or tag.endswith(":str"):
        return value
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() == "true"
    if tag.endswith(":int") and _INT.match(value):
        digits = value.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        base = 8 if digits.startswith("0o") else 16 if digits.startswith("0x") else 10
        if base != 10:
            digits = digits[2:]
        if len(digits) > MAX_INT_DIGITS:
            long = LongNumber(value)
            long.digits = len(digits)
            return long
        return sign * int(digits, base)
    if tag.endswith(":float"):
        try:
            return float(value.replace("_", "").replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            return value
    # timestamps stay text: the model decides whether it is a real date
    return value
