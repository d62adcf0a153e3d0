"""The link checker's settings: the typed model of `links.yaml` and its loader.

The settings are frozen dataclasses, each field's bounds in its metadata
(`_setting`). A file whose every value already has its exact type and lies
within bounds, as every real links.yaml does, is checked here without
pydantic: importing pydantic and building its models took about 60 ms of
`hub check-links`' start-up. Anything else (a value pydantic would convert,
such as ``"4"`` or ``4.0`` for a whole number, and every mistake) goes to
pydantic models made from the same fields (`_model`), which then decide
exactly as before, with the same located error messages. The quick check only
ever accepts what pydantic accepts, with the same values (tests/links/test_config.py
compares the two).
"""

import dataclasses
import functools
import re
import types
import typing
from dataclasses import MISSING, dataclass, field
from pathlib import Path

from hub import __version__
from hub.catalogue.positions import format_path
from hub.catalogue.yamlfile import LoadedYaml, load_yaml
from hub.links.urls import BadURL, normal_host, parse_web_url
from hub.problems import Problem, sort_problems

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

DEFAULT_CONFIG = "links.yaml"

DEFAULT_USER_AGENT = (
    f"selfharm-care-hub-linkcheck/{__version__} "
    "(checks the links of a curated catalogue of self-harm care resources, about once a week)"
)

_BOUNDS = ("ge", "gt", "le", "lt", "min_length")
"""The constraints a `_setting` may carry, named as pydantic's `Field` names them."""


def _setting(default=MISSING, *, factory=MISSING, check=None, **bounds):
    """A field with its bounds (``ge=1``…) and an optional ``check`` that raises ValueError for a bad value."""
    assert set(bounds) <= set(_BOUNDS), bounds
    metadata = {"bounds": bounds, "check": check}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _compiles(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"is not a valid regular expression ({exc})") from None
    return value


class _Settings:
    """Checks a settings dataclass on creation, as the pydantic models did (`ValidationError` when invalid)."""

    def __post_init__(self) -> None:
        try:
            for spec in dataclasses.fields(self):
                object.__setattr__(self, spec.name, _exact(spec, getattr(self, spec.name)))
        except _NotExact:
            # Not of the exact types: pydantic converts the values or raises ValidationError.
            valid = _model(type(self)).model_validate(_plain(self))
            for spec in dataclasses.fields(self):
                object.__setattr__(self, spec.name, _from_model(spec.type, getattr(valid, spec.name)))


@dataclass(frozen=True, kw_only=True)
class Exclude(_Settings):
    """A URL pattern that is never fetched: matching links are reported as skipped."""

    pattern: str = _setting(check=_compiles)
    """A regular expression searched for in the URL as written and in its normal form, e.g. '^https://example\\.org/'."""
    reason: str = _setting(min_length=1)
    """Why these links cannot or should not be checked; shown in reports."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "_regex", re.compile(self.pattern))  # compiled once, not on every URL

    def search(self, url: str) -> bool:
        """Whether the pattern is found in ``url``."""
        return self._regex.search(url) is not None  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class HostOverride(_Settings):
    """Settings for one host (and its subdomains) that differ from the defaults."""

    reason: str = _setting(min_length=1)
    """Why this host needs different treatment; shown in reports."""
    max_concurrency: int | None = _setting(None, ge=1, le=64)
    """At most this many requests in flight to the host at once (default: max_per_host)."""
    accept: list[int] = _setting(factory=list)
    """HTTP codes that count as ok for this host, e.g. [401, 403] for a site behind a login."""
    connect_timeout: float | None = _setting(None, gt=0)
    """Seconds to wait for a connection to this host (default: connect_timeout)."""
    read_timeout: float | None = _setting(None, gt=0)
    """Seconds to wait for each answer from this host (default: read_timeout)."""
    deadline: float | None = _setting(None, gt=0)
    """Seconds one URL on this host may take, retries included (default: deadline)."""


@dataclass(frozen=True, kw_only=True)
class LinksConfig(_Settings):
    """Everything in links.yaml; every field has a default, so the file may be empty."""

    max_concurrency: int = _setting(32, ge=1, le=256)
    """At most this many requests in flight at once, over all hosts."""
    max_per_host: int = _setting(4, ge=1, le=64)
    """At most this many requests in flight to any one host at once."""
    connect_timeout: float = _setting(10.0, gt=0)
    """Seconds to wait for a connection."""
    read_timeout: float = _setting(20.0, gt=0)
    """Seconds to wait for each read of an answer (its status line and headers); `deadline` bounds the whole."""
    deadline: float = _setting(60.0, gt=0)
    """Seconds one URL may take in all, retries and redirects included: a wall clock, however slowly a server sends."""
    retries: int = _setting(2, ge=0, le=10)
    """How many times a transient failure (timeout, connection error, 5xx, 429) is retried."""
    backoff: float = _setting(1.0, ge=0)
    """Seconds before the first retry; doubled for each further retry, with random jitter."""
    backoff_max: float = _setting(30.0, ge=0)
    """The longest wait between two attempts."""
    retry_after_max: float = _setting(60.0, ge=0)
    """The longest Retry-After honoured; a server asking for more is reported as unverifiable."""
    max_redirects: int = _setting(10, ge=0, le=50)
    """Redirect hops followed before a link is reported as broken (too many redirects)."""
    user_agent: str = _setting(DEFAULT_USER_AGENT, min_length=1)
    """The User-Agent header: honest and identifying, so publishers know who is asking."""
    cache_ttl_hours: float = _setting(24.0, ge=0)
    """How long an ok result is reused before the link is fetched again (0: never reuse)."""
    doi_resolver: str = _setting("https://doi.org/")
    """The base URL a DOI is appended to, to make the link that is checked."""
    doi_handle_api: str = _setting("https://doi.org/api/handles/")
    """The doi.org handle API, asked whether a blocked paper's DOI is still registered."""
    exclude: list[Exclude] = _setting(factory=list)
    """URL patterns that are never fetched, each with the reason."""
    hosts: dict[str, HostOverride] = _setting(factory=dict)
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
            if any(rule.search(form) for form in forms):
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
        return _build(LinksConfig, loaded.data)
    except _NotExact:
        pass
    from pydantic import ValidationError

    try:
        valid = _model(LinksConfig).model_validate(loaded.data)
    except ValidationError as exc:
        raise ConfigError(_problems(exc, loaded)) from None
    return _from_model(LinksConfig, valid)


# -- the quick, exact check, and the pydantic models for everything else ----------------------------


class _NotExact(Exception):
    """A value is not of its field's exact type or not within its bounds: pydantic decides."""


def _build(cls: type, data: dict):
    """``cls`` from plain data of the exact types (unknown and missing keys are _NotExact too)."""
    specs = {spec.name: spec for spec in dataclasses.fields(cls)}
    if any(type(key) is not str or key not in specs for key in data):
        raise _NotExact
    if any(spec.default is MISSING and spec.default_factory is MISSING and name not in data
           for name, spec in specs.items()):
        raise _NotExact
    return cls(**{key: _exact(specs[key], value) for key, value in data.items()})


def _exact(spec: dataclasses.Field, value):
    """``value`` checked against the field's type and bounds, without any conversion but int → float."""
    value = _typed(spec.type, value)
    if value is None:
        return value
    bounds = spec.metadata.get("bounds") or {}
    if bounds and not all(_within(kind, limit, value) for kind, limit in bounds.items()):
        raise _NotExact
    check = spec.metadata.get("check")
    if check is not None:
        try:
            check(value)
        except ValueError:
            raise _NotExact from None
    return value


def _within(kind: str, limit, value) -> bool:
    if kind == "min_length":
        return len(value) >= limit
    return {"ge": value >= limit, "gt": value > limit, "le": value <= limit, "lt": value < limit}[kind]


def _typed(tp, value):
    if tp is int or tp is str:
        if type(value) is not tp:
            raise _NotExact
        return value
    if tp is float:
        if type(value) is float:
            return value
        if type(value) is int and abs(value) < 2 ** 53:  # pydantic turns a whole number into a float too
            return float(value)
        raise _NotExact
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is types.UnionType:  # X | None
        return None if value is None else _typed(next(a for a in args if a is not type(None)), value)
    if origin is list:
        if type(value) is not list:
            raise _NotExact
        return [_typed(args[0], item) for item in value]
    if origin is dict:
        if type(value) is not dict:
            raise _NotExact
        return {_typed(args[0], key): _typed(args[1], item) for key, item in value.items()}
    if isinstance(value, tp):  # a settings dataclass, already checked when it was made
        return value
    if type(value) is dict:
        return _build(tp, value)
    raise _NotExact


def _plain(value):
    """Settings dataclasses as dicts, what the pydantic models read."""
    if isinstance(value, _Settings):
        return {spec.name: _plain(getattr(value, spec.name)) for spec in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@functools.cache
def _model(cls: type) -> "type[BaseModel]":
    """The pydantic model of a settings dataclass: same fields, defaults, bounds and checks; unknown keys refused."""
    from pydantic import ConfigDict, Field, create_model, field_validator

    fields, validators = {}, {}
    for spec in dataclasses.fields(cls):
        bounds = spec.metadata.get("bounds") or {}
        if spec.default_factory is not MISSING:
            info = Field(default_factory=spec.default_factory, **bounds)
        elif spec.default is not MISSING:
            info = Field(default=spec.default, **bounds)
        else:
            info = Field(**bounds)
        fields[spec.name] = (_model_type(spec.type), info)
        check = spec.metadata.get("check")
        if check is not None:
            validators[f"_check_{spec.name}"] = field_validator(spec.name)(_validator(check))
    return create_model(cls.__name__, __config__=ConfigDict(extra="forbid", frozen=True),
                        __validators__=validators, **fields)


def _validator(check):
    def validate(cls, value):
        return check(value)
    return validate


def _model_type(tp):
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is types.UnionType:
        return functools.reduce(lambda a, b: a | b, (_model_type(a) for a in args))
    if origin is list:
        return list[_model_type(args[0])]
    if origin is dict:
        return dict[_model_type(args[0]), _model_type(args[1])]
    if dataclasses.is_dataclass(tp):
        return _model(tp)
    return tp


def _from_model(tp, value):
    """A value validated by the pydantic models, back as settings dataclasses."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if value is None:
        return None
    if origin is types.UnionType:
        return _from_model(next(a for a in args if a is not type(None)), value)
    if origin is list:
        return [_from_model(args[0], item) for item in value]
    if origin is dict:
        return {key: _from_model(args[1], item) for key, item in value.items()}
    if dataclasses.is_dataclass(tp):
        return tp(**{spec.name: _from_model(spec.type, getattr(value, spec.name)) for spec in dataclasses.fields(tp)})
    return value


def setting_names(cls: type) -> list[str]:
    """The settings of ``LinksConfig``, ``HostOverride`` or ``Exclude``, in their order."""
    return [spec.name for spec in dataclasses.fields(cls)]


_DETAILS = {
    "int_parsing": "should be a whole number", "int_type": "should be a whole number",
    "int_from_float": "should be a whole number", "float_parsing": "should be a number of seconds",
    "float_type": "should be a number of seconds", "string_type": "should be some text",
    "string_too_short": "should be some text", "list_type": "should be a list (lines starting with '- ')",
    "dict_type": "should be a group of settings (name: value lines)",
    "model_type": "should be a group of settings (name: value lines)",
}


def _problems(exc: "ValidationError", loaded: LoadedYaml) -> list[Problem]:
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
            import difflib  # only for a mistake

            guess = difflib.get_close_matches(name, setting_names(owner), n=1)
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
