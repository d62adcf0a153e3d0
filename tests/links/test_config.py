"""links.yaml: the checked-in file is valid and honest, and docs/links.md documents every setting and status."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hub.commands.check_links import check_links
from hub.links import config as config_module
from hub.links.config import ConfigError, Exclude, HostOverride, LinksConfig, load_config, setting_names
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
    for name in setting_names(model):
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


# -- the quick check decides as pydantic would ------------------------------------------------------

VALID = [
    {},
    {"max_concurrency": 8, "max_per_host": 2, "deadline": 5, "backoff": 0, "user_agent": "x"},
    {"connect_timeout": 2.5, "read_timeout": 1e9, "retries": 0, "cache_ttl_hours": 0.0},
    {"exclude": [{"pattern": "^https://a\\.example/", "reason": "why"}]},
    {"hosts": {"nhs.uk": {"reason": "slow", "max_concurrency": 1, "accept": [401, 403], "deadline": None}}},
]
CONVERTED_OR_WRONG = [
    {"max_per_host": "4"}, {"max_per_host": 4.0}, {"max_per_host": True}, {"deadline": "5"}, {"deadline": False},
    {"max_per_host": 0}, {"max_concurrency": 257}, {"deadline": 0}, {"deadline": float("nan")}, {"backoff": -1},
    {"retries": 2 ** 70}, {"user_agent": ""}, {"user_agent": 5}, {"max_concurency": 4}, {"exclude": "x"},
    {"exclude": [{"pattern": "("}]}, {"exclude": [{"pattern": "(", "reason": "r"}]}, {"exclude": [{"reason": "r"}]},
    {"exclude": [{"pattern": "a", "reason": "r", "extra": 1}]}, {"hosts": {"a.org": {"accept": [401]}}},
    {"hosts": {"a.org": {"reason": "r", "accept": ["401"]}}}, {"hosts": {1: {"reason": "r"}}},
    {"hosts": {"a.org": {"reason": "r", "max_concurrency": 65}}}, {"hosts": []}, {"doi_resolver": None},
]


def _by_pydantic(data: dict):
    from pydantic import ValidationError

    try:
        return config_module._from_model(LinksConfig, config_module._model(LinksConfig).model_validate(data))
    except ValidationError as exc:
        return sorted((tuple(e["loc"]), e["type"]) for e in exc.errors())


@pytest.mark.parametrize("data", VALID + CONVERTED_OR_WRONG, ids=repr)
def test_the_quick_check_accepts_only_what_pydantic_accepts_with_the_same_values(data):
    try:
        quick = config_module._build(LinksConfig, data)
    except config_module._NotExact:
        assert data not in VALID, "a valid file should not need pydantic"
        return
    assert data in VALID
    assert quick == _by_pydantic(data)
    assert all(type(getattr(quick, f)) is type(getattr(_by_pydantic(data), f)) for f in setting_names(LinksConfig))


def test_values_pydantic_converts_are_converted_as_before(tmp_path):
    path = tmp_path / "links.yaml"
    path.write_text('max_per_host: "2"\ndeadline: 5\nhosts:\n  a.org: {reason: r, max_concurrency: 3.0}\n',
                    encoding="utf-8")
    config = load_config(path)
    assert (config.max_per_host, config.deadline, config.hosts["a.org"].max_concurrency) == (2, 5.0, 3)
    assert LinksConfig(max_per_host="3").max_per_host == 3  # made in Python, as the pydantic model was


def test_reading_the_checked_in_config_needs_no_pydantic():
    code = ("import sys; from pathlib import Path; from hub.links.config import load_config; "
            "load_config(Path('links.yaml')); print('pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "False"
