"""The link checker: sources → checker → state → report; `hub.commands.check_links` is the `hub check-links` command.

The library returns values and never prints; `hub.commands.check_links` talks to people.
"""

from hub.links.builtsite import SiteLinks, site_links
from hub.links.checker import Checker, CheckStats, check
from hub.links.config import ConfigError, LinksConfig, load_config
from hub.links.report import LinkReport, to_github, to_json, to_markdown, to_text
from hub.links.sources import catalogue_links, changed_lines, only_changed, url_file_links
from hub.links.state import History, ResultsCache
from hub.links.types import Link, LinkResult, LinkStatus, Source, merge_links

__all__ = [
    "CheckStats", "Checker", "ConfigError", "History", "Link", "LinkReport", "LinkResult", "LinkStatus",
    "LinksConfig", "ResultsCache", "SiteLinks", "Source", "catalogue_links", "changed_lines", "check",
    "load_config", "merge_links", "only_changed", "site_links", "to_github", "to_json", "to_markdown",
    "to_text", "url_file_links",
]
