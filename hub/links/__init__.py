"""The link checker: sources → checker → state → report; `hub.commands.check_links` is the `hub check-links` command.

The library returns values and never prints; `hub.commands.check_links` talks to people.

The names below are imported on first use (PEP 562), not with the package:
importing one submodule (``hub.links.urls``) runs this file first, and
importing every other submodule here would load requests, urllib3 and the
YAML parsers for it. ``from hub.links import check`` works as before.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "SiteLinks": "builtsite", "site_links": "builtsite",
    "CheckStats": "checker", "Checker": "checker", "check": "checker",
    "ConfigError": "config", "LinksConfig": "config", "load_config": "config",
    "LinkReport": "report", "to_github": "report", "to_json": "report", "to_markdown": "report", "to_text": "report",
    "catalogue_links": "sources", "changed_lines": "sources", "only_changed": "sources", "url_file_links": "sources",
    "History": "state", "ResultsCache": "state",
    "Link": "types", "LinkResult": "types", "LinkStatus": "types", "Source": "types", "merge_links": "types",
}

__all__ = [
    "CheckStats", "Checker", "ConfigError", "History", "Link", "LinkReport", "LinkResult", "LinkStatus",
    "LinksConfig", "ResultsCache", "SiteLinks", "Source", "catalogue_links", "changed_lines", "check",
    "load_config", "merge_links", "only_changed", "site_links", "to_github", "to_json", "to_markdown",
    "to_text", "url_file_links",
]
assert sorted(__all__) == sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from hub.links.builtsite import SiteLinks, site_links
    from hub.links.checker import Checker, CheckStats, check
    from hub.links.config import ConfigError, LinksConfig, load_config
    from hub.links.report import LinkReport, to_github, to_json, to_markdown, to_text
    from hub.links.sources import catalogue_links, changed_lines, only_changed, url_file_links
    from hub.links.state import History, ResultsCache
    from hub.links.types import Link, LinkResult, LinkStatus, Source, merge_links
