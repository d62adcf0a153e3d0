"""links.yaml: the checked-in file is valid and honest, and docs/links.md documents every setting and status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.commands.check_links import check_links
from hub.links.config import ConfigError, Exclude, HostOverride, LinksConfig, load_config
from hub.links.types import LinkStatus

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "links.md").read_text(encoding="utf-8")


def test_the_checked_in_config_is_valid_and_every_exception_says_why():
    config = load_config(ROOT / "links.yaml", "links.yaml")
    assert config.exclude and config.hosts
    assert all(rule.reason.strip() for rule in config.exclude)
    assert all(host.reason.strip() for host in config.hosts.values())


def test_futurenhs_login_walls_are_accepted_not_excluded():
    config = load_config(ROOT / "links.yaml", "links.yaml")
    key, override = config.host("www.future.nhs.uk")  # subdomains share their parent's entry
    assert key == "future.nhs.uk"
    assert set(override.accept) == {401, 403}
    assert config.excluded("https://future.nhs.uk/MentalHealth/view?objectId=1") is None


def test_an_empty_config_file_means_the_defaults(tmp_path):
    path = tmp_path / "links.yaml"
    path.write_text("# nothing to change\n", encoding="utf-8")
    assert load_config(path) == LinksConfig()


def test_a_list_instead_of_settings_is_a_located_error(tmp_path):
    path = tmp_path / "links.yaml"
    path.write_text("- max_per_host: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, "links.yaml")
    assert caught.value.problems[0].location() == "links.yaml:1:1"


@pytest.mark.parametrize("model", [LinksConfig, HostOverride, Exclude])
def test_every_setting_is_documented(model):
    section = DOCS.split("### The settings file", 1)[1].split("###", 1)[0]
    for name in model.model_fields:
        assert f"`{name}`" in section, f"docs/links.md does not document the setting '{name}'"


def test_every_default_in_the_docs_is_the_real_default():
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d.]+) \|", DOCS, flags=re.M))
    assert rows, "no settings table found"
    for name, documented in rows.items():
        assert float(documented) == float(getattr(LinksConfig(), name)), name


def test_every_status_and_exit_code_is_documented():
    for status in LinkStatus:
        assert f"| `{status.value}` |" in DOCS
    for code in (0, 1, 2):
        assert f"\n| {code} |" in DOCS


def test_every_option_is_documented():
    for param in check_links.params:
        for flag in param.opts:
            if flag.startswith("--") and flag != "--help":
                assert flag in DOCS, f"docs/links.md does not mention {flag}"
