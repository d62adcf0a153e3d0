"""`hub fmt` and a phone number YAML reads as a number (``helpline: 08088008088``): it is written in
quotes exactly as typed, never as the number (which has lost its leading 0); when the digits as typed
cannot be read from the line, the file is left alone with a located problem."""

from __future__ import annotations

import pytest

from hub.catalogue.model import HelplinesFile, OrganisationsFile, ResourcesFile
from hub.editor.fmt import format_text

from .conftest import hub

RECORD = "  - id: local-group\n    name: Local group\n    description: A local support group.\n"


def _add(project, lines: str) -> str:
    path = project / "data" / "organisations.yaml"
    path.write_text(path.read_text() + RECORD + lines)
    return path.read_text()


def test_fmt_quotes_an_unquoted_number_as_typed_with_its_leading_0(project):
    before = _add(project, "    helpline: 08088008088  # the free line\n    other_phones:\n"
                           "      - label: Office\n        phone: 01179279600\n")
    check = hub("fmt", "--check", "data/organisations.yaml")
    assert check.code == 1
    line = before.split("\n").index("    helpline: 08088008088  # the free line") + 1
    assert (f"data/organisations.yaml:{line}: a phone number is always written in double quotes: "
            '"08088008088" (unquoted, YAML reads 08088008088 as a number and drops its leading 0)') in check.stderr
    assert "8088008088\"" not in check.stderr.replace('"08088008088"', "")
    github = hub("fmt", "--check", "--advisory", "--format", "github", "data/organisations.yaml")
    assert github.code == 0 and f"line={line}," in github.stdout
    assert 'a phone number is always written in double quotes: "08088008088"' in github.stdout
    assert "helpline: 8088008088" not in github.stdout

    assert hub("fmt", "data/organisations.yaml").code == 0
    after = (project / "data" / "organisations.yaml").read_text()
    assert '    helpline: "08088008088"  # the free line\n' in after
    assert '        phone: "01179279600"\n' in after
    assert "8088008088" not in after.replace("08088008088", "")
    assert hub("fmt", "--check", "data/organisations.yaml").code == 0
    assert hub("validate").code == 0


@pytest.mark.parametrize("typed", ["08088008088", "0_808", "0o17", "1e3", "0x1F", "true"])
def test_every_number_in_a_phone_field_keeps_its_text(typed):
    out, problems = format_text(f"helplines:\n  - id: a\n    contact: {typed}\n", "h.yaml", HelplinesFile)
    assert not problems, [p.render() for p in problems]
    assert out == f'helplines:\n  - id: a\n    contact: "{typed}"\n'


def test_a_file_with_a_byte_order_mark_is_quoted_as_typed_too():
    out, problems = format_text("\ufeffhelplines:\n  - id: a\n    contact: 08001111\n", "h.yaml", HelplinesFile)
    assert not problems and out.endswith('    contact: "08001111"\n'), (out, problems)


@pytest.mark.parametrize("written", ["!!int 08088008088", "&line 08088008088"])
def test_a_tagged_or_anchored_number_is_refused_not_rewritten(written):
    text = f"helplines:\n  - id: a\n    contact: {written}\n"
    out, problems = format_text(text, "h.yaml", HelplinesFile)
    assert out is None and [p.code for p in problems] == ["phone-not-text"]


def test_a_number_in_another_field_is_left_a_number():
    text = "resources:\n  - id: a\n    volume: 12\n    issue: 3\n"
    out, problems = format_text(text, "r.yaml", ResourcesFile)
    assert out == text and not problems


def test_fmt_refuses_a_phone_number_whose_digits_it_cannot_read_back(project):
    before = _add(project, "    helpline: !!int 08088008088\n")
    run = hub("fmt", "data/organisations.yaml")
    assert run.code == 1
    assert (project / "data" / "organisations.yaml").read_text() == before
    line = before.split("\n").index("    helpline: !!int 08088008088") + 1
    assert f"data/organisations.yaml:{line}:15: error: cannot write 'helpline' in quotes: YAML reads " \
           "!!int 08088008088 as the number 8088008088, not as the digits typed" in run.stderr
    assert "the file was left unchanged" in run.stderr
    assert 'write the number in double quotes, as the organisation publishes it' in run.stderr
    assert "see: CONTRIBUTING.md#phone-not-text" in run.stderr


def test_an_empty_phone_field_stays_empty():
    """Nothing is not a number to quote: ``null`` is written as nothing, never as the text "null"."""
    out, problems = format_text("organisations:\n  - id: a\n    phone:\n    helpline: null\n", "o.yaml",
                                OrganisationsFile)
    assert not problems and out == "organisations:\n  - id: a\n    phone:\n    helpline:\n"


def test_a_warning_in_the_file_does_not_stop_fmt(project):
    """A non-breaking space pasted inside a description is a warning: the file is still formatted."""
    text = _add(project, "    helpline: 08088008088\n").replace("A local support group.", "A local\u00a0support group.")
    (project / "data" / "organisations.yaml").write_text(text)
    assert hub("fmt").code == 0
    after = (project / "data" / "organisations.yaml").read_text()
    assert '    helpline: "08088008088"\n' in after and "A local\u00a0support group." in after
