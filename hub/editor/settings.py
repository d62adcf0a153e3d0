"""The editorial settings: the models of editorial/review.yaml and editorial/language.yaml, and their loaders.

`editorial/review.yaml` tunes the health report (the review period, how alike
titles must be to count as duplicates, pairs known not to be duplicates,
citations kept on purpose) and how the tools talk to Crossref;
`editorial/language.yaml` is the safe-messaging word list. `EDITORIAL_FILES`
maps each file to its model, for `hub fmt` (key order) and `hub docs` (the field
reference). The loaders never raise for bad content: they return the settings
(defaults when review.yaml is missing) and the located problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from hub.catalogue.fields import Email, Record, Slug, Text, Url
from hub.catalogue.messages import pydantic_problems, suggest
from hub.catalogue.yamlfile import LoadedYaml, load_yaml
from hub.problems import Problem, Severity, attach_sources, display_path

# --- settings: editorial/review.yaml ---------------------------------------------------


class CrossrefSettings(Record):
    """How `hub new --doi` and `hub review --online` talk to Crossref."""

    mailto: Email = "editors@example.org"
    """The editors' contact address, sent with every request as Crossref asks (its "polite pool")."""
    timeout_seconds: Annotated[int, Field(ge=1, le=120)] = 20
    """How long to wait for each answer."""
    base_url: Url | None = None
    """Crossref's address, if not https://api.crossref.org (--crossref-url wins)."""


class NotDuplicate(Record):
    """Records that look alike but are not duplicates, so the report stops listing them."""

    ids: Annotated[list[Slug], Field(min_length=2)]
    """The ids of the records, e.g. two editions of a guideline."""
    reason: Text
    """Why they are different records."""


class CitedOnPurpose(Record):
    """A deliberate citation of superseded guidance, so the report stops listing it."""

    record: Slug
    """The id of the subsection or measure that cites the older guidance."""
    cites: Slug
    """The id of the superseded guidance it cites."""
    reason: Text
    """Why readers still need the older guidance here."""


class ReviewSettings(Record):
    """`editorial/review.yaml`: settings of the editorial health report."""

    review_period_months: Annotated[int, Field(ge=1, le=60)] = 12
    """A resource is due for review this many months after its last review (never reviewed: after `added`)."""
    similar_titles: Annotated[float, Field(ge=0.5, le=1.0)] = 0.9
    """How alike two titles must be (0.5 to 1, where 1 is identical) to be listed as possible duplicates."""
    crossref: CrossrefSettings = CrossrefSettings()
    not_duplicates: list[NotDuplicate] = []
    """Pairs (or groups) of records checked by an editor and known to be different."""
    cited_on_purpose: list[CitedOnPurpose] = []
    """Citations of superseded guidance that an editor has checked and kept on purpose."""


# --- the word list: editorial/language.yaml ---------------------------------------------------


class LanguageSource(Record):
    """Guidance that a word-list entry follows."""

    id: Slug
    title: Text
    """The guidance's title and year."""
    url: Url | None = None
    """Its address, only when verified (never guessed)."""


class LanguageTerm(Record):
    """Wording to reconsider, what to write instead, and why."""

    pattern: Text
    """The words to look for (case is ignored; whole words only). A regular expression: `(?:s|ed)?` makes
    an ending optional, `\\s+` allows any spacing."""
    suggestion: Text
    """What to write instead."""
    reason: Text
    """Why, in a sentence that an editor can pass on to an author."""
    source: Slug
    """The id of the guidance in `sources`."""
    severity: Literal["warning", "notice"] = "warning"
    """`warning` (avoid) or `notice` (check the context, e.g. accepted research usage)."""
    examples: Annotated[list[Text], Field(min_length=1)]
    """Sentences that must be flagged: the tests check each one, so the pattern stays right."""


class LanguageFile(Record):
    """`editorial/language.yaml`: the safe-messaging word list used by `hub review`."""

    sources: list[LanguageSource]
    terms: list[LanguageTerm]


EDITORIAL_FILES: dict[str, type[Record]] = {"review.yaml": ReviewSettings, "language.yaml": LanguageFile}
"""Files of the editorial/ folder and their models (also used by `hub fmt` and the field reference)."""


def load_model(path: Path, model: type[Record], root: Path | None) -> tuple[Any, list[Problem], LoadedYaml | None]:
    """The file's content as ``model`` (None when it is missing or invalid), its problems (each with its
    source line, to show), and the file as loaded."""
    shown = display_path(path, root or Path.cwd())
    if not path.exists():
        return None, [], None
    loaded = load_yaml(path, shown)
    if loaded.problems:
        return None, attach_sources(loaded.problems, {shown: loaded.text}), loaded
    try:
        return model.model_validate(loaded.data if loaded.data is not None else {}), [], loaded
    except ValidationError as exc:
        return None, attach_sources(pydantic_problems(exc, model, loaded), {shown: loaded.text}), loaded


def load_settings(editorial: Path, root: Path | None = None) -> tuple[ReviewSettings, list[Problem]]:
    """The review settings (defaults when the file is missing; problems when it is invalid)."""
    settings, problems, _ = load_model(editorial / "review.yaml", ReviewSettings, root)
    return settings or ReviewSettings(), problems


@dataclass(frozen=True)
class Term:
    """A word-list entry with its compiled pattern."""

    entry: LanguageTerm
    regex: re.Pattern
    source: LanguageSource | None


def load_language(editorial: Path, root: Path | None = None) -> tuple[list[Term], list[Problem]]:
    """The compiled word list, and problems (bad YAML, bad fields, patterns that are not valid)."""
    data, problems, loaded = load_model(editorial / "language.yaml", LanguageFile, root)
    if data is None:
        if not problems:
            problems = [Problem(display_path(editorial / "language.yaml", root or Path.cwd()), None, None,
                                "missing-file", "the safe-messaging word list is missing",
                                severity=Severity.WARNING, hint="restore editorial/language.yaml from git")]
        return [], problems
    sources = {s.id: s for s in data.sources}
    terms = []
    for i, entry in enumerate(data.terms):
        where = loaded.locate(("terms", i, "pattern")) if loaded else None
        try:
            regex = re.compile(rf"(?<![\w-])(?:{entry.pattern})(?![\w-])", re.IGNORECASE)
        except re.error as exc:
            problems.append(Problem(loaded.path if loaded else "editorial/language.yaml",
                                    where.line if where else None, where.column if where else None,
                                    "bad-pattern", f"the pattern is not a valid regular expression: {exc.msg}",
                                    field=f"terms[{i}].pattern",
                                    hint="write the words plainly, or check brackets and backslashes"))
            continue
        if entry.source not in sources:
            at = loaded.locate(("terms", i, "source")) if loaded else None
            guess = suggest(entry.source, sorted(sources))
            problems.append(Problem(loaded.path if loaded else "editorial/language.yaml",
                                    at.line if at else None, at.column if at else None, "unknown-reference",
                                    f"no source has the id '{entry.source}'", field=f"terms[{i}].source",
                                    hint=f"did you mean '{guess}'?" if guess else
                                    "add it under 'sources:' or fix the spelling"))
        terms.append(Term(entry, regex, sources.get(entry.source)))
    return terms, attach_sources(problems, {loaded.path: loaded.text} if loaded else {})
