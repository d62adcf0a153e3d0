"""The link checker's settings: the typed model of `links.yaml` and its loader."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hub import __version__
from hub.catalogue.yamlfile import LoadedYaml, format_path, load_yaml
from hub.links.urls import BadURL, normal_host, parse_web_url
from hub.problems import Problem, sort_problems

DEFAULT_CONFIG = "links.yaml"

DEFAULT_USER_AGENT = (
    f"selfharm-care-hub-linkcheck/{__version__} "
    "(checks the links of a curated catalogue of self-harm care resources, about once a week)"
)


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class Exclude(_Settings):
    """A URL pattern that is never fetched: matching links are reported as skipped."""

    pattern: str
    """A regular expression searched for in the URL as written and in its normal form, e.g. '^https://example\\.org/'."""
    reason: str = Field(min_length=1)
    """Why these links cannot or should not be checked; shown in reports."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression ({exc})") from None
        return value


class HostOverride(_Settings):
    """Settings for one host (and its subdomains) that differ from the defaults."""

    reason: str = Field(min_length=1)
    """Why this host needs different treatment; shown in reports."""
    max_concurrency: int | None = Field(default=None, ge=1, le=64)
    """At most this many requests in flight to the host at once (default: max_per_host)."""
    accept: list[int] = []
    """HTTP codes that count as ok for this host, e.g. [401, 403] for a site behind a login."""
    connect_timeout: float | None = Field(default=None, gt=0)
    """Seconds to wait for a connection to this host (default: connect_timeout)."""
    read_timeout: float | None = Field(default=None, gt=0)
    """Seconds to wait for each answer from this host (default: read_timeout)."""
    deadline: float | None = Field(default=None, gt=0)
    """Seconds one URL on this host may take, retries included (default: deadline)."""


class LinksConfig(_Settings):
    """Everything in links.yaml; every field has a default, so the file may be empty."""

    max_concurrency: int = Field(default=32, ge=1, le=256)
    """At most this many requests in flight at once, over all hosts."""
    max_per_host: int = Field(default=4, ge=1, le=64)
    """At most this many requests in flight to any one host at once."""
    connect_timeout: float = Field(default=10.0, gt=0)
    """Seconds to wait for a connection."""
    read_timeout: float = Field(default=20.0, gt=0)
    """Seconds to wait for each read of an answer (its status line and headers); `deadline` bounds the whole."""
    deadline: float = Field(default=60.0, gt=0)
    """Seconds one URL may take in all, retries and redirects included: a wall clock, however slowly a server sends."""
    retries: int = Field(default=2, ge=0, le=10)
    """How many times a transient failure (timeout, connection error, 5xx, 429) is retried."""
    backoff: float = Field(default=1.0, ge=0)
    """Seconds before the first retry; doubled for each further retry, with random jitter."""
    backoff_max: float = Field(default=30.0, ge=0)
    """The longest wait between two attempts."""
    retry_after_max: float = Field(default=60.0, ge=0)
    """The longest Retry-After honoured; a server asking for more is reported as unverifiable."""
    max_redirects: int = Field(default=10, ge=0, le=50)
    """Redirect hops followed before a link is reported as broken (too many redirects)."""
    user_agent: str = Field(default=DEFAULT_USER_AGENT, min_length=1)
    """The User-Agent header: honest and identifying, so publishers know who is asking."""
    cache_ttl_hours: float = Field(default=24.0, ge=0)
    """How long an ok result is reused before the link is fetched again (0: never reuse)."""
    doi_resolver: str = "https://doi.org/"
    """The base URL a DOI is appended to, to make the link that is checked."""
    doi_handle_api: str = "https://doi.org/api/handles/"
    """The doi.org handle API, asked whether a blocked paper's DOI is still registered."""
    exclude: list[Exclude] = []
    """URL patterns that are never fetched, each with the reason."""
    hosts: dict[str, HostOverride] = {}
    """Per-host settings, keyed by host name (which also covers its subdomains)."""

    def excluded(self, url: str, normal: str | None = None) -> Exclude | None:
        """The first exclusion matching ``url`` as written or in its normal form (see `urls`), if any.

        ``HTTP://LOCALHOST.:80/``, ``http://127.1/`` and ``http://[::ffff:7f00:1]/``
        are all matched as ``http://localhost/`` or ``http://127.0.0.1/`` too.
        ``normal`` spares parsing ``url`` again when the caller already has its normal form.
        """
        if not self.exclude:
            return None
        if normal is None:
            try:
                normal = parse_web_url(url).url
            except BadURL:
                normal = url
        forms = [url] if normal == url else [url, normal]
        for rule in self.exclude:
            if any(re.search(rule.pattern, form) for form in forms):
                return rule
        return None

    def host(self, hostname: str) -> tuple[str, HostOverride] | None:
        """The override for ``hostname`` or its closest parent domain, with the key that matched.

        Both the name and the keys are compared in normal form (`urls.normal_host`): ``127.1`` is ``127.0.0.1``.
        """
        if not self.hosts:
            return None
        hosts = _normal_keys(self.hosts)
        name = normal_host(hostname)
        while name:
            if name in hosts:
                return name, hosts[name]
            if "." not in name or name[0] == "[" or _IPV4.match(name):
                break  # addresses have no parent domain
            name = name.split(".", 1)[1]
        return None


_IPV4 = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


_last_normal_keys: tuple[dict, dict] | None = None


def _normal_keys(hosts: dict[str, HostOverride]) -> dict[str, HostOverride]:
    """``hosts`` keyed by normal host names, remembered for the last ``hosts`` seen (asked once per request)."""
    global _last_normal_keys
    last = _last_normal_keys
    if last is not None and last[0] is hosts:
        return last[1]
    normal = {normal_host(key): value for key, value in hosts.items()}
    _last_normal_keys = (hosts, normal)
    return normal


class ConfigError(Exception):
    """links.yaml could not be read; ``problems`` say where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.headline() for p in problems))
        self.problems = problems


def load_config(path: Path | None, shown: str | None = None) -> LinksConfig:
    """Read links.yaml (or return the defaults when ``path`` is None); raise ConfigError with located problems."""
    if path is None:
        return LinksConfig()
    loaded = load_yaml(path, shown or path.as_posix())
    # An empty links.yaml is fine for us (all defaults), unlike an empty data file.
    errors = [p for p in loaded.problems if p.is_error and p.code != "empty-file"]
    if errors:
        raise ConfigError(errors)
    if loaded.data is None:
        return LinksConfig()
    if not isinstance(loaded.data, dict):
        raise ConfigError([Problem(loaded.path, 1, 1, "config-type",
                                   "links.yaml should hold settings (name: value lines), not a list or text",
                                   hint="see docs/links.md for an example")])
    try:
        return LinksConfig.model_validate(loaded.data)
    except ValidationError as exc:
        raise ConfigError(_problems(exc, loaded)) from None


_DETAILS = {
    "int_parsing": "should be a whole number", "int_type": "should be a whole number",
    "int_from_float": "should be a whole number", "float_parsing": "should be a number of seconds",
    "float_type": "should be a number of seconds", "string_type": "should be some text",
    "string_too_short": "should be some text", "list_type": "should be a list (lines starting with '- ')",
    "dict_type": "should be a group of settings (name: value lines)",
    "model_type": "should be a group of settings (name: value lines)",
}


def _problems(exc: ValidationError, loaded: LoadedYaml) -> list[Problem]:
    """pydantic's errors as located problems worded for YAML."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "setting")
        value = err.get("input")
        hint = "see docs/links.md for every setting and its default"
        if kind == "extra_forbidden":
            where = loaded.locate(loc, key=True)
            message = f"unknown setting '{name}'"
            owner = HostOverride if len(loc) == 3 and loc[0] == "hosts" else \
                Exclude if len(loc) == 3 and loc[0] == "exclude" else LinksConfig
            guess = difflib.get_close_matches(name, list(owner.model_fields), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else "check the spelling; " + hint
        elif kind == "missing":
            where = loaded.locate(loc[:-1])
            message = f"missing '{name}'"
            hint = f"add '{name}: …'; every exception needs a reason saying why"
        else:
            where = loaded.locate(loc)
            detail = _DETAILS.get(kind) or err["msg"][:1].lower() + err["msg"][1:]
            shown = "" if isinstance(value, (dict, list)) else f", not {value!r}"
            bounds = err.get("ctx") or {}
            if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
                limit = next(bounds[k] for k in ("ge", "gt", "le", "lt") if k in bounds)
                detail = {"greater_than_equal": "must be at least", "greater_than": "must be more than",
                          "less_than_equal": "must be at most", "less_than": "must be less than"}[kind] + f" {limit}"
            if kind == "value_error":  # our own validators' wording already says what is wrong
                detail, shown = err["msg"].removeprefix("Value error, "), ""
            message = f"'{name}' {detail}{shown}"
        problems.append(Problem(loaded.path, where.line, where.column,
                                "config-" + kind.replace("_", "-"), message,
                                field=format_path(loc), hint=hint))
    return sort_problems(problems)
