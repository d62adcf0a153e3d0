"""libyaml's parser as the hub uses it, and the located problems for what it reports.

`Loader` is PyYAML's C loader (libyaml) with the scalar resolution taken out: plain scalars are
tagged `IMPLICIT` and resolved later by the YAML 1.2 rules (`hub.catalogue.scalars`). `compose`
gives the node tree; `composer_problem` and `unsafe_event` turn an anchor defined twice, an alias or a
tag that is not in `SAFE_TAGS` into a `Problem` at its place, with a hint for the person editing the
file; `syntax_problem` (`hub.catalogue.syntaxwords`) does so for a syntax error. Nothing is ever constructed from a tag.
"""

from __future__ import annotations

import re

import yaml as libyaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import Node, ScalarNode

from hub.catalogue.scalars import IMPLICIT, STR
from hub.catalogue.syntaxwords import syntax_problem
from hub.problems import Problem

# Standard YAML tags that only say what the value already is. Anything else
# (``!!python/object``, ``!include``, custom tags) is refused.
SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


class Loader(libyaml.CSafeLoader if libyaml.__with_libyaml__ else libyaml.SafeLoader):
    """libyaml's parser; plain scalars are resolved later by the YAML 1.2 rules, not PyYAML's 1.1."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return IMPLICIT if implicit[0] else STR
        return super().resolve(kind, value, implicit)

    # The composer calls these for every node; they only serve path
    # resolvers, which the hub never adds (a tenth of the parse time).
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


def compose(text: str) -> Node | None:
    """libyaml's node tree of `text` (plain scalars tagged for the YAML 1.2 rules); raises yaml.YAMLError."""
    return libyaml.compose(text, Loader=Loader)


def composer_problem(exc: libyaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = exc.problem_mark
    if "duplicate anchor" not in (exc.context or "") or mark is None:
        return syntax_problem(exc, text, shown)
    name = re.match(r"&([^\s,\[\]{}]*)", text[mark.index:])
    anchor = f"&{name.group(1)}" if name else "&"
    return Problem(
        shown, mark.line + 1, mark.column + 1, "duplicate-anchor",
        f"the anchor {anchor} is defined twice in this file",
        hint=f"remove the '{anchor}' marks: data files do not need anchors (and aliases are not allowed)",
    )


def unsafe_event(event, shown: str) -> Problem | None:
    """The alias or unsafe tag of one parse event, if it has one."""
    mark = event.start_mark
    if isinstance(event, AliasEvent):
        return Problem(
            shown, mark.line + 1, mark.column + 1, "alias",
            f"YAML aliases (*{event.anchor}) are not allowed in data files",
            hint="write the value out in full; anchors and aliases can hide data and "
                 "expand without limit",
        )
    if isinstance(event, (ScalarEvent, CollectionStartEvent)):
        tag = event.tag
        tag = str(tag) if tag is not None else None
        if tag and tag not in SAFE_TAGS and tag not in ("!", "?"):
            return Problem(
                shown, mark.line + 1, mark.column + 1, "unsafe-tag",
                f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; "
                "nothing in the data is ever executed",
                hint="remove the tag (the word starting with '!') and write a plain value",
            )
    return None
