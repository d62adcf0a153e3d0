"""The building blocks of the data model: id and link patterns, checked field types, references, `Record`.

`hub.catalogue.model` builds every record from these; the patterns are also
written into the JSON Schemas and the field reference.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from hub.catalogue.doi import bare_doi

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
URL_PATTERN = r"^(https?://[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s@]+\.[^\s@]+|tel:\+?[0-9]+)$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ]*[0-9]$"
PHONE_RULE = "digits and spaces only, with a + at the start for an international number"
"""What `PHONE_PATTERN` allows, in words: the message, the hint and the field reference all say this."""


# --- field types ---------------------------------------------------------


class Ref:
    """Marks a field as a reference to the id of another record of ``kind``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Ref({self.kind!r})"


class Quoted:
    """Marks a field whose text `hub fmt` always writes in double quotes: a phone number unquoted
    (``phone: 08088008088``) is read as a number and loses its leading 0 (issue #15)."""

    def __repr__(self) -> str:
        return "Quoted()"


QUOTED = Quoted()

_SLUG = re.compile(SLUG_PATTERN)


EMPTY_LIST = Field(default_factory=list, json_schema_extra={"default": []})
"""An optional list's default: a new list per record, made by `list()` (pydantic deep-copies a `[]`
default for every record, a tenth of validation time at 10,000 resources); the schema still says `[]`."""


def url_hostname(url: str) -> str:
    """``urlsplit(url).hostname or ""`` for an http(s) address, without urlsplit's cost for plain ones."""
    netloc = url.split("://", 1)[1] if "://" in url else ""
    for end in "/?#":
        netloc = netloc.split(end, 1)[0]
    if "@" in netloc or "[" in netloc or "%" in netloc or "\\" in netloc:
        return urlsplit(url).hostname or ""  # user names, IPv6 and escapes: let the library decide
    return netloc.split(":", 1)[0].lower()


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("empty", "is empty; write a value or remove the line")
    return value


def _author(value: str) -> str:
    if not any(ch.isalpha() for ch in value):
        raise PydanticCustomError(
            "bad-author",
            "'{value}' is not an author's name: a name has letters; write 'Surname Initials', e.g. Kapur N",
            {"value": value[:40]},
        )
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-record"
        raise PydanticCustomError(
            "not-slug",
            "'{value}' is not a valid id: use lower-case letters, digits and single hyphens "
            "(suggestion: '{suggestion}')",
            {"value": value, "suggestion": suggestion},
        )
    return value


def _url(value: str) -> str:
    value = value.strip()
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in ("http", "https", "mailto", "tel"):
        raise PydanticCustomError(
            "url-scheme",
            "'{value}' is not a web link: a link starts with https:// (or mailto:, tel:; http:// is accepted "
            "with a warning)",
            {"value": value[:80]},
        )
    if re.search(r"\s", value):
        raise PydanticCustomError(
            "url-space", "the link contains a space; replace spaces with %20 or copy the link again",
        )
    if scheme in ("http", "https"):
        host = url_hostname(value)
        if "." not in host and host != "localhost":
            raise PydanticCustomError(
                "url-host", "'{value}' has no valid web address after '//'", {"value": value[:80]}
            )
    elif scheme == "mailto":
        _email(value[len("mailto:"):])
    else:
        _phone(value[len("tel:"):])
    return value


def is_url_type(annotation: Any, metadata: list | tuple = ()) -> bool:
    """True when a field holds a `Url` (alone, optional or in a list): the fields `url-not-https` reads."""
    if any(isinstance(m, AfterValidator) and m.func is _url for m in metadata):
        return True
    if get_origin(annotation) is Annotated and is_url_type(get_args(annotation)[0], annotation.__metadata__):
        return True
    return any(is_url_type(arg) for arg in get_args(annotation) if get_origin(annotation) is not Annotated)


def _email(value: str) -> str:
    value = value.strip()
    if not re.match(EMAIL_PATTERN, value):
        raise PydanticCustomError(
            "bad-email", "'{value}' is not an email address like name@example.org.uk", {"value": value}
        )
    return value


def _phone(value: str) -> str:
    value = value.strip()
    if not _is_phone(value):
        raise PydanticCustomError(
            "bad-phone",
            "'{value}' is not a phone number: use " + PHONE_RULE + ", e.g. 0808 800 8088 or 116 123",
            {"value": value, "suggestion": phone_suggestion(value) or ""},
        )
    return value


def _is_phone(value: str) -> bool:
    return bool(re.match(PHONE_PATTERN, value)) and 3 <= sum(ch.isdigit() for ch in value) <= 15


def phone_suggestion(value: str) -> str | None:
    """The number with its brackets, dashes and dots taken out, if that makes it one:
    ``+44 (0)808 800-8088`` → ``+44 808 800 8088`` (the 0 in brackets is not dialled after +44)."""
    if re.search(r"[/,;]| or | and ", value):  # two numbers ('85258 / 116 123'): never one made up
        return None
    text = re.sub(r"^(\+[0-9]{1,3})\s*\(0\)\s*", r"\1 ", value.strip())
    text = " ".join(re.sub(r"[-.]", " ", text.replace("(", "").replace(")", "")).split())
    return text if text != value and _is_phone(text) else None


def _doi(value: str) -> str:
    bare, prefix = bare_doi(value)
    if prefix is not None:
        raise PydanticCustomError("doi-prefix", "write the DOI without '{prefix}': '{bare}'",
                                  {"prefix": prefix, "bare": bare})
    if not re.match(DOI_PATTERN, bare):
        raise PydanticCustomError(
            "bad-doi", "'{value}' is not a DOI; a DOI looks like 10.1192/bjp.2021.50", {"value": bare}
        )
    return bare


Text = Annotated[str, AfterValidator(_text)]
"""Non-empty text; surrounding spaces are ignored."""
Author = Annotated[str, AfterValidator(_text), AfterValidator(_author)]
"""An author's name: text with at least one letter (``2026`` is a year typed in the wrong field)."""
Markdown = Annotated[str, AfterValidator(_text), Field(json_schema_extra={"format": "markdown"})]
"""Text that may use inline Markdown (emphasis, links) but no raw HTML."""
Slug = Annotated[str, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG_PATTERN})]
Url = Annotated[str, AfterValidator(_url), Field(json_schema_extra={"pattern": URL_PATTERN, "format": "uri"})]
Email = Annotated[str, AfterValidator(_email), Field(json_schema_extra={"pattern": EMAIL_PATTERN})]
Phone = Annotated[str, AfterValidator(_phone), QUOTED, Field(json_schema_extra={"pattern": PHONE_PATTERN})]
Doi = Annotated[str, AfterValidator(_doi), Field(json_schema_extra={"pattern": DOI_PATTERN})]
Year = Annotated[int, Field(strict=True, ge=1900, le=2100)]
Label = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
                  AfterValidator(_text), WithJsonSchema({"type": ["string", "integer"]})]
"""Short text that editors may write unquoted as a number, e.g. a volume `8` or the number `999`."""


def ref(kind: str):
    """A slug that must be the id of an existing record of ``kind``."""
    return Annotated[str, AfterValidator(_slug), Ref(kind), Field(json_schema_extra={"pattern": SLUG_PATTERN})]


ResourceRef = ref("resource")
TopicRef = ref("topic")
OrganisationRef = ref("organisation")
PersonRef = ref("person")


class Record(BaseModel):
    """Base of every model: unknown fields are errors (a typo must not lose data)."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # field docstrings: hub.catalogue.fielddocs
    record_kind: ClassVar[str] = ""


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``list[Resource] | None``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def record_lists(model: type[BaseModel]) -> list[tuple[str, type[Record]]]:
    """The top-level lists of records in a file model: ``[("resources", Resource), …]``."""
    out = []
    for name, info in model.model_fields.items():
        if get_origin(info.annotation) is list:
            (item,) = get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, Record):
                out.append((info.alias or name, item))
    return out
