"""`hub review`: the editorial health report, over the same loaded catalogue as `hub validate`.

What it looks for, in report order (`CHECKS`):

* papers that Crossref says were retracted, corrected or given an expression of
  concern (``--online`` only);
* resources whose ``last_reviewed`` is older than the review period;
* superseded or withdrawn guidance that other records still cite;
* possible duplicates: the same DOI, the same web address, near-identical titles;
* wording that safe-messaging guidance asks writers to avoid, from the
  reviewable list in ``editorial/language.yaml`` (titles of published works,
  names, and anything in quotation marks or italics are exempt);
* records without a link.

Findings are `Problem`s, so they name file, line and field like the validator's.

Crossref dates and the ``added`` date: an update dated after the record was
added is news to the editors ("since it was added"); one dated before was
already public when the record was added ("already known when added"), so a
correction of that kind is only a notice. A retraction or an expression of
concern is never only a notice while the entry is current and shows no
``notice``: whatever the dates, a clinician must not reach retracted evidence
without a warning. Once an editor has reviewed the entry after the update
(``last_reviewed`` on or after its date) a correction is a notice too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, ValidationError

from hub.catalogue.load import LoadResult, shown_path
from hub.catalogue.messages import pydantic_problems
from hub.catalogue.model import (
    DATA_FILES,
    Email,
    Event,
    Measure,
    Organisation,
    Record,
    Resource,
    Slug,
    Status,
    Text,
    Url,
)
from hub.catalogue.yamlfile import LoadedYaml, format_path, load_yaml
from hub.editor import crossref as cr
from hub.editor.fmt import _field_models
from hub.problems import Problem, Severity

# --- settings: editorial/review.yaml ---------------------------------------------------


class CrossrefSettings(Record):
    """How `hub new --doi` and `hub review --online` talk to Crossref."""

    mailto: Email = "editors@example.org"
    """The editors' contact address, sent with every request as Crossref asks (its "polite pool")."""
    timeout_seconds: Annotated[int, Field(ge=1, le=120)] = 20
    """How long to wait for each answer."""
    base_url: Url | None = None
    """Crossref's address, if not https://api.crossref.org (HUB_CROSSREF_URL and --crossref-url win)."""


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
    """A resource is due for review when its `last_reviewed` date is older than this many months."""
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


def _load_model(path: Path, model: type[Record], root: Path | None) -> tuple[Any, list[Problem], LoadedYaml | None]:
    shown = shown_path(path, root or Path.cwd())
    if not path.exists():
        return None, [], None
    loaded = load_yaml(path, shown)
    if loaded.problems:
        return None, loaded.problems, loaded
    try:
        return model.model_validate(loaded.data if loaded.data is not None else {}), [], loaded
    except ValidationError as exc:
        return None, pydantic_problems(exc, model, loaded), loaded


def load_settings(editorial: Path, root: Path | None = None) -> tuple[ReviewSettings, list[Problem]]:
    """The review settings (defaults when the file is missing; problems when it is invalid)."""
    settings, problems, _ = _load_model(editorial / "review.yaml", ReviewSettings, root)
    return settings or ReviewSettings(), problems


@dataclass(frozen=True)
class Term:
    """A word-list entry with its compiled pattern."""

    entry: LanguageTerm
    regex: re.Pattern
    source: LanguageSource | None


def load_language(editorial: Path, root: Path | None = None) -> tuple[list[Term], list[Problem]]:
    """The compiled word list, and problems (bad YAML, bad fields, patterns that are not valid)."""
    data, problems, loaded = _load_model(editorial / "language.yaml", LanguageFile, root)
    if data is None:
        if not problems:
            problems = [Problem(shown_path(editorial / "language.yaml", root or Path.cwd()), None, None,
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
            problems.append(Problem(loaded.path if loaded else "editorial/language.yaml",
                                    where.line if where else None, None, "unknown-reference",
                                    f"no source has the id '{entry.source}'", field=f"terms[{i}].source",
                                    hint="add it under 'sources:' or fix the spelling"))
        terms.append(Term(entry, regex, sources.get(entry.source)))
    return terms, problems


# --- the report -------------------------------------------------------------------------------

CHECKS: dict[str, str] = {
    "crossref": "Retractions, corrections and expressions of concern (Crossref)",
    "stale": "Due for review",
    "superseded": "Superseded or withdrawn guidance still cited",
    "duplicates": "Possible duplicates",
    "language": "Wording to reconsider (safe-messaging guidance)",
    "no-link": "Records without a link",
}
"""Each check's key and heading, in report order."""


@dataclass
class Finding:
    """One thing for an editor to look at."""

    check: str
    record: str
    """The record's id ('' when there is none)."""
    problem: Problem
    notice: str | None = None
    """For `--apply`: the notice to add to the record."""
    path: tuple = ()
    """Where the record is in its file's data, e.g. ``("resources", 12)``."""


@dataclass
class Review:
    """The whole report."""

    today: dt.date
    settings: ReviewSettings
    findings: list[Finding] = field(default_factory=list)
    setup_problems: list[Problem] = field(default_factory=list)
    """Problems with the editorial files themselves."""
    data_errors: int = 0
    """Errors `hub validate` reports: records with errors are left out of the review."""
    online: bool = False
    dois_checked: int = 0
    crossref_unreachable: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def of(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.check == check]

    def to_apply(self) -> list[Finding]:
        return [f for f in self.findings if f.notice]


def review(data_dir: Path, root: Path | None = None, editorial: Path | None = None,
           today: dt.date | None = None, client: cr.Crossref | None = None) -> Review:
    """Run every check (Crossref's too when a client is given); never raises for bad content."""
    from hub.catalogue.checks import validate

    root = root or data_dir.parent
    editorial = editorial or root / "editorial"
    today = today or dt.date.today()
    settings, setup = load_settings(editorial, root)
    terms, language_problems = load_language(editorial, root)
    result = Review(today, settings, setup_problems=setup + language_problems)
    validation = validate(data_dir, root, today)
    load = validation.load
    result.data_errors = len(validation.errors)
    resources = _records(load, Resource)
    result.counts = {"resources": len(resources), "dois": sum(1 for _, _, r in resources if r.doi)}
    result.findings += _stale(load, resources, settings, today)
    result.findings += _superseded(load, resources, settings)
    result.findings += _duplicates(load, resources, settings)
    result.findings += _language(load, terms)
    result.findings += _no_link(load)
    if client is not None:
        result.online = True
        _crossref(result, load, resources, client)
    order = list(CHECKS)
    result.findings.sort(key=lambda f: (order.index(f.check), f.problem.severity.rank, f.problem.file,
                                        f.problem.line or 0))
    return result


def _records(load: LoadResult, kind: type[Record]) -> list[tuple[str, tuple, Any]]:
    """(shown file, data path, record) of every valid record of one kind."""
    out = []
    for shown, records in load.records.items():
        for list_path, record in records:
            if isinstance(record, kind):
                name, index = re.match(r"(\w+)\[(\d+)\]", list_path).groups()
                out.append((shown, (name, int(index)), record))
    return out


def _finding(check: str, load: LoadResult, shown: str, path: tuple, record_id: str, code: str,
             message: str, hint: str, severity: Severity = Severity.WARNING, **extra) -> Finding:
    loaded = load.files.get(shown)
    loc = loaded.locate(path) if loaded else None
    problem = Problem(shown, loc.line if loc else None, loc.column if loc else None, code, message,
                      severity=severity, field=format_path(path), hint=hint)
    return Finding(check, record_id, problem, **extra)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _stale(load: LoadResult, resources, settings: ReviewSettings, today: dt.date) -> list[Finding]:
    out = []
    months = settings.review_period_months
    for shown, path, r in resources:
        due = add_months(r.last_reviewed, months)
        if due <= today:
            age = (today.year - r.last_reviewed.year) * 12 + today.month - r.last_reviewed.month
            out.append(_finding(
                "stale", load, shown, path + ("last_reviewed",), r.id, "review-stale",
                f"'{r.id}' was last reviewed on {r.last_reviewed.isoformat()}, {age} months ago "
                f"(the review period is {months} months)",
                "check the link and the details still hold, then set last_reviewed to today's date"))
    return out


def _superseded(load: LoadResult, resources, settings: ReviewSettings) -> list[Finding]:
    by_id = {r.id: (shown, path, r) for shown, path, r in resources}
    old = {r.id: r for _, _, r in resources if r.status is not Status.current}
    kept = {(c.record, c.cites) for c in settings.cited_on_purpose}
    out = []
    for shown, path, record in _records(load, Record):
        sections = [record] if record.record_kind == "section" else []
        for section in sections:
            for ssi, sub in enumerate(section.subsections):
                for k, rid in enumerate(sub.resources):
                    if rid in old and (sub.id, rid) not in kept:
                        out.append(_cited(load, shown, path + ("subsections", ssi, "resources", k), old[rid],
                                          f"the subsection '{sub.id}'", by_id))
        if isinstance(record, Measure):
            for k, rid in enumerate(record.sources):
                if rid in old and (record.id, rid) not in kept:
                    out.append(_cited(load, shown, path + ("sources", k), old[rid], f"the measure '{record.id}'",
                                      by_id))
        if isinstance(record, Resource) and record.superseded_by in old:
            newer = old[record.superseded_by]
            out.append(_finding(
                "superseded", load, shown, path + ("superseded_by",), record.id, "review-superseded-chain",
                f"'{record.id}' is superseded by '{newer.id}', which is itself {newer.status.value}"
                + (f" (by '{newer.superseded_by}')" if newer.superseded_by else ""),
                f"point superseded_by at the newest guidance ('{newer.superseded_by or '…'}')"))
    return out


def _cited(load: LoadResult, shown: str, path: tuple, old: Resource, where: str, by_id) -> Finding:
    replacement = f"; it is replaced by '{old.superseded_by}'" if old.superseded_by else ""
    hint = (f"list '{old.superseded_by}' instead, or keep both if readers need the older version"
            if old.superseded_by else "remove it from the list, or keep it if readers still need it")
    return _finding("superseded", load, shown, path, old.id, "review-superseded-cited",
                    f"{where} still lists '{old.id}', which is {old.status.value}{replacement}", hint)


# --- duplicates -------------------------------------------------------------------------


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme, host, path,
                       parts.query, ""))


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _duplicates(load: LoadResult, resources, settings: ReviewSettings) -> list[Finding]:
    out: list[Finding] = []
    known = [set(group.ids) for group in settings.not_duplicates]

    def exempt(a: Resource, b: Resource) -> bool:
        return (a.superseded_by == b.id or b.superseded_by == a.id
                or any({a.id, b.id} <= group for group in known))

    reported: set[frozenset] = set()

    def same(label: str, code: str, key) -> None:
        groups: dict[str, list] = {}
        for item in resources:
            value = key(item[2])
            if value:
                groups.setdefault(value, []).append(item)
        for value, items in groups.items():
            pairs = [(a, b) for i, a in enumerate(items) for b in items[i + 1:] if not exempt(a[2], b[2])]
            if not pairs:
                continue
            others = ", ".join(f"'{r.id}' ({s}:{_line(load, s, p)})" for s, p, r in items[:-1])
            reported.update(frozenset((a[2].id, b[2].id)) for a, b in pairs)
            out.append(_finding(
                "duplicates", load, items[-1][0], items[-1][1], items[-1][2].id, code,
                f"'{items[-1][2].id}' has the same {label} as {others}: {value}",
                "if they are the same work, keep one record and list its id wherever the others were; "
                "if not, add them to not_duplicates in editorial/review.yaml"))

    same("DOI", "review-duplicate-doi", lambda r: (r.doi or "").lower())
    same("web address", "review-duplicate-url", lambda r: normalise_url(r.url) if r.url else "")
    titles = [(s, p, r, [normalise_title(t) for t in [r.title, *r.alt_titles]]) for s, p, r in resources]
    for i, (s1, p1, a, ta) in enumerate(titles):
        for s2, p2, b, tb in titles[i + 1:]:
            if frozenset((a.id, b.id)) in reported or exempt(a, b):
                continue
            ratio = max(_ratio(x, y) for x in ta for y in tb)
            if ratio >= settings.similar_titles:
                out.append(_finding(
                    "duplicates", load, s2, p2 + ("title",), b.id, "review-similar-title",
                    f"'{b.id}' and '{a.id}' ({s1}:{_line(load, s1, p1)}) have near-identical titles "
                    f"({round(ratio * 100)}% alike)",
                    "if they are the same work, keep one record; if they are different (e.g. two editions), "
                    "add them to not_duplicates in editorial/review.yaml", Severity.NOTICE))
    return out


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.ratio() if matcher.quick_ratio() >= 0.5 else 0.0


def _line(load: LoadResult, shown: str, path: tuple) -> int:
    loc = load.files[shown].locate(path) if shown in load.files else None
    return loc.line if loc else 0


# --- language --------------------------------------------------------------------------

NOT_PROSE = {"id", "url", "doi", "email", "phone", "helpline", "text", "contact", "recording_url", "slides_url",
             "url_format", "type", "kind", "status", "group", "how", "audience", "setting", "topics", "sources",
             "resources", "organisations", "superseded_by", "person", "published", "added", "last_reviewed",
             "date", "year", "volume", "issue", "pages", "number", "value", "then"}
"""Fields that hold codes, numbers and addresses, not sentences."""

PUBLISHED_WORDING = {("Resource", "title"), ("Resource", "alt_titles"), ("Resource", "authors"),
                     ("Resource", "journal"), ("Resource", "organisation"), ("Talk", "title"),
                     ("Talk", "speaker"), ("Talk", "affiliation"), ("Person", "name"),
                     ("Person", "organisation"), ("Organisation", "name"), ("Helpline", "service")}
"""Titles of published works and names: quoted as published, so exempt from the word list."""

_QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”|‘.*?’(?!\w)|(?<!\w)\*[^*\n]+\*(?!\w)|(?<!\w)_[^_\n]+_(?!\w)')


def mask_quotes(text: str) -> str:
    """Blank out quoted and italicised passages (titles of published works), keeping positions."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _language(load: LoadResult, terms: list[Term]) -> list[Finding]:
    out: list[Finding] = []
    if not terms:
        return out
    for shown, loaded in load.files.items():
        model = DATA_FILES.get(Path(shown).name)
        if model is None or not isinstance(loaded.data, dict):
            continue
        for path, record_id, text in _prose(loaded.data, model, (), ""):
            masked = mask_quotes(text)
            for term in terms:
                for match in term.regex.finditer(masked):
                    out.append(_language_finding(load, loaded, shown, path, record_id, text, match, term))
    return out


def _prose(data: Any, model, path: tuple, record_id: str):
    """Yield ``(path, record id, text)`` for every sentence-like text value of the data."""
    if isinstance(data, dict):
        record_id = data["id"] if isinstance(data.get("id"), str) else record_id
        fields = _field_models(model) if model is not None else {}
        for key, value in data.items():
            if key not in fields or (fields[key] is None and key in NOT_PROSE) \
                    or (model.__name__, key) in PUBLISHED_WORDING:
                continue
            yield from _prose(value, fields[key], path + (key,), record_id)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _prose(item, model, path + (i,), record_id)
    elif isinstance(data, str):
        yield path, record_id, data


def _language_finding(load: LoadResult, loaded: LoadedYaml, shown: str, path: tuple, record_id: str,
                      text: str, match: re.Match, term: Term) -> Finding:
    found = match.group()
    entry = term.entry
    where = _locate_words(loaded, path, found)
    source = f" ({term.source.title})" if term.source else ""
    problem = Problem(
        shown, where[0] if where else None, where[1] if where else None, "review-language",
        f"'{found}': consider '{entry.suggestion}'. {entry.reason}{source}",
        severity=Severity.NOTICE if entry.severity == "notice" else Severity.WARNING,
        field=format_path(path),
        hint="quoted or italicised titles of published works are exempt: put the title in quotes if it is one")
    return Finding("language", record_id, problem)


def _locate_words(loaded: LoadedYaml, path: tuple, words: str) -> tuple[int, int] | None:
    """Line and column of the words themselves (they may be split across a folded block's lines)."""
    loc = loaded.locate(path)
    if loc is None:
        return None
    lines = loaded.text.split("\n")
    offset = sum(len(x) + 1 for x in lines[:loc.line - 1]) + loc.column - 1
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    match = re.compile(pattern, re.IGNORECASE).search(loaded.text, offset)
    if match is None:
        return loc.line, loc.column
    before = loaded.text[:match.start()]
    return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1


# --- records without a link -----------------------------------------------------------------


def _no_link(load: LoadResult) -> list[Finding]:
    out = []
    for shown, path, r in _records(load, Resource):
        if not r.url and not r.doi:
            out.append(_finding("no-link", load, shown, path, r.id, "review-no-link",
                                f"'{r.id}' has no link (no url and no doi)",
                                "add 'url:' (or 'doi:' for a paper) once a verified address is known",
                                Severity.NOTICE))
    for shown, path, o in _records(load, Organisation):
        if not o.url:
            out.append(_finding("no-link", load, shown, path, o.id, "review-no-link",
                                f"the organisation '{o.id}' has no website", "add 'url:' once a verified "
                                "address is known", Severity.NOTICE))
    for shown, path, e in _records(load, Event):
        if not e.recording_url and not any(t.recording_url or t.slides_url for t in e.talks):
            out.append(_finding("no-link", load, shown, path, e.id, "review-no-link",
                                f"the event '{e.id}' has no recording or slides", "add 'recording_url:' (or a "
                                "talk's) once the recording is published", Severity.NOTICE))
    return out


# --- Crossref: retractions, corrections, expressions of concern ----------------------------------------

RANK = {cr.RETRACTION: 0, cr.CONCERN: 1, cr.CORRECTION: 2, cr.OTHER: 3}
UPDATE_CODES = {cr.RETRACTION: "review-retraction", cr.CONCERN: "review-expression-of-concern",
                cr.CORRECTION: "review-correction", cr.OTHER: "review-update"}
"""Problem code of each kind of Crossref update."""


def _crossref(result: Review, load: LoadResult, resources, client: cr.Crossref) -> None:
    failures_in_a_row = 0
    for shown, path, r in resources:
        if not r.doi:
            continue
        try:
            _, updates = client.updates(r.doi)
        except cr.NotFound:
            result.findings.append(_finding(
                "crossref", load, shown, path + ("doi",), r.id, "review-doi-not-found",
                f"Crossref has no record of the DOI {r.doi} of '{r.id}'",
                f"check the DOI at https://doi.org/{r.doi}; DOIs from other agencies (e.g. DataCite) are not "
                "in Crossref and cannot be checked for retractions"))
            result.dois_checked += 1
            continue
        except cr.Unreachable as exc:
            failures_in_a_row += 1
            if result.dois_checked == 0 or failures_in_a_row >= 3:
                result.crossref_unreachable = str(exc)
                return
            result.findings.append(_finding(
                "crossref", load, shown, path + ("doi",), r.id, "review-crossref-error",
                f"could not check '{r.id}' with Crossref ({exc})", "it is checked again at the next review"))
            continue
        failures_in_a_row = 0
        result.dois_checked += 1
        result.findings += _judge(load, shown, path, r, updates)


def _judge(load: LoadResult, shown: str, path: tuple, r: Resource, updates: list[cr.Update]) -> list[Finding]:
    """One finding per update, with the severity the module docstring explains."""
    out = []
    handled = bool(r.notice) or r.status is not Status.current
    flagged: list[cr.Update] = []
    for u in sorted(updates, key=lambda u: RANK[u.kind]):
        when = u.date or dt.date.min
        new = when > r.added
        reviewed = when <= r.last_reviewed and u.date is not None
        if u.kind in (cr.RETRACTION, cr.CONCERN):
            severity = Severity.NOTICE if handled else Severity.ERROR if u.kind == cr.RETRACTION \
                else Severity.WARNING
        elif u.kind == cr.CORRECTION:
            severity = Severity.NOTICE if handled or not new or reviewed else Severity.WARNING
        else:
            severity = Severity.NOTICE
        timing = (f"It came after the record was added on {r.added.isoformat()}" if new
                  else f"It was already public when the record was added on {r.added.isoformat()}")
        state = ("the entry shows a notice" if r.notice else f"the entry is {r.status.value}" if handled
                 else "the entry shows no notice yet")
        link = f"; notice: {u.link}" if u.link else ""
        via = ", from Retraction Watch" if u.source == "retraction-watch" else ""
        message = (f"Crossref records {cr.KIND_WORDS[u.kind]} '{r.id}' ({u.label.lower()}, "
                   f"dated {u.date_text}{via}){link}. {timing}; {state}")
        if severity is not Severity.NOTICE:
            flagged.append(u)
            hint = ("read the notice; then rewrite the entry's notice, set status: withdrawn with a status_note, "
                    "or remove the resource, and set last_reviewed to today. "
                    "`python -m hub review --online --apply` adds a standard notice meanwhile")
        else:
            hint = ("nothing to do now; the entry's notice (if any) stays until an editor has reviewed it"
                    if handled else "nothing to do unless the summary should mention it")
        out.append(_finding("crossref", load, shown, path + ("doi",), r.id, UPDATE_CODES[u.kind], message,
                            hint, severity))
    if flagged and not r.notice and out:
        out[0].notice = notice_text(flagged)
        out[0].path = path
    return out


def notice_text(updates: list[cr.Update]) -> str:
    """The standard notice `--apply` writes: the most serious update first."""
    u = sorted(updates, key=lambda u: RANK[u.kind])[0]
    link = f": [{u.label.lower()} notice]({u.link})" if u.link else ""
    return (f"Crossref records {cr.KIND_WORDS[u.kind]} this paper ({u.date_text}){link}. "
            "An editor is reviewing this entry.")


def apply_notices(data_dir: Path, root: Path, review_result: Review) -> list[str]:
    """Write the standard notice into every flagged record that has none; returns their ids.

    Only the new ``notice:`` lines are added: the rest of the file is unchanged.
    """
    from hub.editor.scaffold import EditError, TextFile, field_edit

    done: list[str] = []
    path = data_dir / "resources.yaml"
    todo = [f for f in review_result.to_apply() if f.path]
    if not todo:
        return done
    file = TextFile.read(path, shown_path(path, root))
    doc = file.document()
    edits = []
    for finding in todo:
        try:
            edits.append(field_edit(doc, finding.path, "notice", finding.notice, Resource))
        except EditError:
            continue
        done.append(finding.record)
    file.apply(edits)
    path.write_bytes(file.text.encode("utf-8"))
    return done

