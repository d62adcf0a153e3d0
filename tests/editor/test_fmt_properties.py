"""Property tests for `hub fmt`: formatting never changes the loaded data, keeps every comment,
and is idempotent, whatever style the input was written in.

The inputs are written by a deliberately untidy printer below: random indentation, quoting
styles, flow lists, folded blocks with random line breaks, comments above entries and at
line ends, blank lines. Strings mix YAML's special characters, quotes, colons, unicode and
numbers-as-text.
"""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.catalogue.model import ResourcesFile
from hub.catalogue.yamlfile import load_yaml_text
from hub.editor.document import parse
from hub.editor.fmt import format_text

FIELDS = list(ResourcesFile.model_fields["resources"].annotation.__args__[0].model_fields)
KEYS = FIELDS + ["zz_unknown", "notes"]

SPECIAL = "abcXYZ :#'\"-,.[]{}&*!|>%@`?é€😀\\/"
TRICKY = ["2024-01-01", "yes", "No", "on", "null", "~", "8", "08", "1.5", "0x1F", "-", "- a", "a: b",
          "# x", " lead", "trail ", "", "true", "1_000", "---", "...", "=", "<<", "a #b", "a#b", "%x",
          "2020–2023", "40%", "Don’t", "10.1192/bjp.2021.50", "https://x.org/a?b=c#d", "\t", "a\nb"]

text_values = st.one_of(st.text(alphabet=SPECIAL, max_size=25), st.sampled_from(TRICKY))
long_text = st.lists(st.text(alphabet="abcdefgh,.:'\"", min_size=1, max_size=12), min_size=12,
                     max_size=30).map(" ".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), text_values, long_text)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(st.sampled_from(["label", "phone", "title", "x"]), scalars, max_size=3),
)
records = st.dictionaries(st.sampled_from(KEYS), values, min_size=1, max_size=7)
documents = st.fixed_dictionaries(
    {"resources": st.lists(records, min_size=1, max_size=4)},
    optional={"topics": st.lists(st.fixed_dictionaries({"id": text_values, "title": text_values}), max_size=3),
              "sections": st.lists(records, max_size=2)},
)
comments = st.text(alphabet="abc #:-'\"é", max_size=15).map(lambda t: "#" + t)


class Untidy:
    """Writes data as YAML in a randomly chosen, valid but untidy style."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.step = draw(st.sampled_from([2, 3, 4]))
        self.indent_lists = draw(st.booleans())
        self.comments: list[str] = []

    def comment(self) -> str | None:
        if self.draw(st.integers(0, 4)) == 0:
            text = self.draw(comments)
            self.comments.append(text)
            return text
        return None

    def scalar(self, value) -> str:
        if value is None:
            return self.draw(st.sampled_from(["", "null", "~"]))
        if isinstance(value, bool) or isinstance(value, int):
            return json.dumps(value)
        style = self.draw(st.sampled_from(["double", "single", "plain"]))
        if style == "single" and "\n" not in value and "\t" not in value:
            return "'" + value.replace("'", "''") + "'"
        if style == "plain" and value and all(c.isalnum() or c in " .,()" for c in value) \
                and value[0].isalpha() and value[-1] != " " and value.lower() not in (
                    "null", "true", "false", "yes", "no", "on", "off", "y", "n"):
            return value
        return json.dumps(value, ensure_ascii=False)

    def lines(self, value, indent: int) -> list[str]:
        """Lines for a mapping or list at `indent`."""
        out: list[str] = []
        pad = " " * indent
        items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
        for key, item in items:
            if self.draw(st.integers(0, 5)) == 0:
                out.append("")
            lead = self.comment()
            if lead:
                out.append(pad + lead)
            head = pad + (f"{key}:" if key is not None else "-")
            eol = self.comment()
            tail = f"  {eol}" if eol else ""
            if isinstance(item, (dict, list)) and item:
                if isinstance(item, list) and all(not isinstance(x, (dict, list)) for x in item) \
                        and self.draw(st.booleans()):
                    flow = ", ".join(json.dumps(x, ensure_ascii=False) for x in item)
                    out.append(f"{head} [{flow}]{tail}")
                    continue
                out.append(head + tail)
                deeper = indent + self.step
                if isinstance(item, list) and key is not None and not self.indent_lists:
                    deeper = indent
                out += self.lines(item, deeper if key is not None else indent + self.step)
            elif isinstance(item, (dict, list)):
                out.append(f"{head} {'{}' if isinstance(item, dict) else '[]'}{tail}")
            elif isinstance(item, str) and len(item) > 60 and "\n" not in item and item == item.strip() \
                    and "  " not in item and self.draw(st.booleans()):
                out.append(f"{head} >-{tail}")
                words, line = item.split(" "), ""
                for word in words:
                    if line and self.draw(st.integers(0, 3)) == 0:
                        out.append(" " * (indent + self.step) + line)
                        line = word
                    else:
                        line = f"{line} {word}" if line else word
                out.append(" " * (indent + self.step) + line)
            else:
                text = self.scalar(item)
                out.append(f"{head} {text}{tail}" if text else head + tail)
        return out


@st.composite
def untidy_documents(draw):
    data = draw(documents)
    writer = Untidy(draw)
    text = "\n".join(writer.lines(data, 0)) + "\n"
    return text, writer.comments


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(untidy_documents())
def test_fmt_keeps_data_and_comments_and_is_idempotent(case):
    text, written_comments = case
    before = load_yaml_text(text, "t.yaml")
    assert not before.problems, text  # the generator writes valid YAML
    once, problems = format_text(text, "t.yaml", ResourcesFile)
    assert not problems, (text, [p.render() for p in problems])
    after = load_yaml_text(once, "t.yaml")
    assert after.data == before.data
    twice, _ = format_text(once, "t.yaml", ResourcesFile)
    assert twice == once
    doc, _ = parse(once, "t.yaml")
    kept = Counter(text for _, _, text, _ in doc.layout.comments() if text)
    from hub.editor.document import normalise_comment

    assert kept == Counter(normalise_comment(c) for c in written_comments)
