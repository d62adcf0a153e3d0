"""The YAML 1.2 rules the loader uses are ruamel's, rule for rule, and reading the data does not import ruamel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from hub.catalogue import scalars

ROOT = Path(__file__).resolve().parents[2]


def _table(resolvers: dict) -> dict:
    return {first: [(str(tag), rx.pattern, rx.flags) for tag, rx in rules] for first, rules in resolvers.items()}


def test_the_copied_rules_are_ruamels():
    assert _table(scalars.RULES_BY_FIRST) == _table(VersionedResolver(version=(1, 2)).versioned_resolver)


def test_every_value_gets_the_tag_ruamel_gives_it():
    resolver = VersionedResolver(version=(1, 2))
    values = ["", "~", "null", "Null", "NULL", "nul", "true", "False", "TRUE", "yes", "no", "on", "2021",
              "-3", "+4", "0o17", "0x1F", "0b101", "017", "1_000", "1.5", ".5", "-.inf", ".NaN", "1e5",
              "2024-02-30", "2024-2-3 4:05:06", "<<", "=", "!", "&", "*", "12:30", "3rd", "9780199674039",
              "0808 800 8088", "Kapur N", "NG225", ".", "-", "+", "1.2.3"]
    for value in values:
        expected = str(resolver.resolve(ScalarNode, value, (True, False)))
        assert scalars._plain_tag(value) == expected, value


def test_reading_the_data_does_not_import_ruamel():
    code = ("import sys; from pathlib import Path; from hub.catalogue.checks import validate; "
            "assert validate(Path('data'), root=Path('.')).load.catalogue; "
            "print(sorted(m for m in sys.modules if m.startswith('ruamel')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
