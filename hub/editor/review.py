"""`hub review`'s checks: the editorial health report, over the same loaded catalogue as `hub validate`.

`review` runs every check and returns the whole `Review`. What it looks for, in
report order (`CHECKS`):

* papers that Crossref says were retracted, corrected or given an expression of
  concern (``--online`` only; see `hub.editor.retractions`);
* resources whose last review (or, never reviewed, their ``added`` date) is older than the review period;
* superseded or withdrawn guidance that other records still cite;
* possible duplicates: the same DOI, the same web address, near-identical titles;
* wording that safe-messaging guidance asks writers to avoid, from the
  reviewable list in ``editorial/language.yaml`` (titles of published works,
  names, and anything in quotation marks or italics are exempt);
* records without a link.

Findings are `Problem`s, so they name file, line and field like the validator's.
The settings come from `hub.editor.settings`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from hub.catalogue.checks import Validation, validate
from hub.catalogue.fields import Record
from hub.catalogue.load import LoadResult
from hub.catalogue.model import DATA_FILES, Event, Measure, Organisation, Resource
from hub.catalogue.positions import describe_path, format_path
from hub.catalogue.vocabulary import Status
from hub.catalogue.yamlfile import LoadedYaml
from hub.editor.editorial_ids import editorial_problems
from hub.editor.fields import field_models
from hub.editor.findings import CHECKS, Finding, Review, finding, records_of
from hub.editor.settings import ReviewSettings, Term, load_language, load_settings
from hub.editor.similar import similar_pairs
from hub.problems import Problem, Severity

if TYPE_CHECKING:  # the Crossref client (and requests) is imported only when --online asks for it
    from hub.editor import crossref as cr


def review(data_dir: Path, root: Path | None = None, editorial: Path | None = None,
           today: dt.date | None = None, client: cr.Crossref | None = None,
           only: set[str] | None = None) -> Review:
    """Run every check, or the `only` ones (Crossref's too when a client is given); never raises for bad content."""
    root = root or data_dir.parent
    editorial = editorial or root / "editorial"
    today = today or dt.date.today()
    settings, setup = load_settings(editorial, root)
    terms, language_problems = load_language(editorial, root)
    result = Review(today, settings, setup_problems=setup + language_problems, ran=only)
    validation = validate(data_dir, root, today)
    load = validation.load
    if only is None or only & {"duplicates", "superseded"}:  # the ids in not_duplicates and cited_on_purpose
        result.setup_problems += editorial_problems(editorial, load, root, settings_problems=False)  # typo'd ids
    result.data_errors = len(validation.errors)
    result.unread = unread(validation)
    resources = records_of(load, Resource)
    result.counts = {"resources": len(resources), "dois": sum(1 for _, _, r in resources if r.doi)}
    checks = {"stale": lambda: _stale(load, resources, settings, today),
              "superseded": lambda: _superseded(load, resources, settings),
              "duplicates": lambda: _duplicates(load, resources, settings),
              "language": lambda: _language(load, terms),
              "no-link": lambda: _no_link(load)}
    for check, run in checks.items():
        if only is None or check in only:
            result.findings += run()
    if client is not None:
        from hub.editor.retractions import check_crossref

        result.online = True
        check_crossref(result, load, resources, client)
    order = list(CHECKS)
    result.findings.sort(key=lambda f: (order.index(f.check), f.problem.severity.rank, f.problem.file,
                                        f.problem.line or 0, f.problem.column or 0))
    return result


def unread(validation: Validation) -> list[Problem]:
    """The first error of each data file that could not be read, or is missing: no check saw any of it."""
    read = {shown for shown, loaded in validation.load.files.items() if isinstance(loaded.data, dict)}
    first: dict[str, Problem] = {}
    for problem in validation.errors:
        if problem.file not in read:
            first.setdefault(problem.file, problem)
    return list(first.values())


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
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
        since = r.reviewed or r.added  # never reviewed: due a review period after it was added
        if add_months(since, months) <= today:
            age = (today.year - since.year) * 12 + today.month - since.month
            what = (f"was last reviewed on {since.isoformat()}" if r.reviewed else
                    f"has not been reviewed since it was added on {since.isoformat()}")
            out.append(finding(
                "stale", load, shown, path + ("last_reviewed" if r.last_reviewed else "added",), r.id,
                "review-stale", f"'{r.id}' {what}, {age} months ago (the review period is {months} months)",
                f"check the link and the details still hold, then run python -m hub review --mark-reviewed {r.id}"))
    return out


def _superseded(load: LoadResult, resources, settings: ReviewSettings) -> list[Finding]:
    by_id = {r.id: (shown, path, r) for shown, path, r in resources}
    old = {r.id: r for _, _, r in resources if r.status is not Status.current}
    kept = {(c.record, c.cites) for c in settings.cited_on_purpose}
    out = []
    for shown, path, record in records_of(load, Record):
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
            out.append(finding(
                "superseded", load, shown, path + ("superseded_by",), record.id, "review-superseded-chain",
                f"'{record.id}' is superseded by '{newer.id}', which is itself {newer.status.value}"
                + (f" (by '{newer.superseded_by}')" if newer.superseded_by else ""),
                f"point superseded_by at the newest guidance ('{newer.superseded_by or '…'}')"))
    return out


def _cited(load: LoadResult, shown: str, path: tuple, old: Resource, where: str, by_id) -> Finding:
    replacement = f"; it is replaced by '{old.superseded_by}'" if old.superseded_by else ""
    hint = (f"list '{old.superseded_by}' instead, or keep both if readers need the older version"
            if old.superseded_by else "remove it from the list, or keep it if readers still need it")
    return finding("superseded", load, shown, path, old.id, "review-superseded-cited",
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
            out.append(finding(
                "duplicates", load, items[-1][0], items[-1][1], items[-1][2].id, code,
                f"'{items[-1][2].id}' has the same {label} as {others}: {value}",
                "if they are the same work, keep one record and list its id wherever the others were; "
                "if not, add them to not_duplicates in editorial/review.yaml"))

    same("DOI", "review-duplicate-doi", lambda r: (r.doi or "").lower())
    same("web address", "review-duplicate-url", lambda r: normalise_url(r.url) if r.url else "")
    titles = [[normalise_title(t) for t in [r.title, *r.alt_titles]] for _, _, r in resources]
    for i, j, ratio in similar_pairs(titles, settings.similar_titles):
        (s1, p1, a), (s2, p2, b) = resources[i], resources[j]
        if frozenset((a.id, b.id)) in reported or exempt(a, b):
            continue
        out.append(finding(
            "duplicates", load, s2, p2 + ("title",), b.id, "review-similar-title",
            f"'{b.id}' and '{a.id}' ({s1}:{_line(load, s1, p1)}) have near-identical titles "
            f"({round(ratio * 100)}% alike)",
            "if they are the same work, keep one record; if they are different (e.g. two editions), "
            "add them to not_duplicates in editorial/review.yaml", Severity.NOTICE))
    return out


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
                     ("Talk", "alt_titles"), ("Talk", "speaker"), ("Talk", "affiliation"), ("Person", "name"),
                     ("Person", "alt_names"), ("Person", "organisation"), ("Organisation", "name"),
                     ("Organisation", "alt_names"), ("Helpline", "service")}
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


_field_models = functools.cache(field_models)
"""Asked once per record and model: thousands of times at 1,000 resources."""


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
        path=path,
        place=describe_path(path, loaded.data),
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
    for shown, path, r in records_of(load, Resource):
        if not r.url and not r.doi:
            out.append(finding("no-link", load, shown, path, r.id, "review-no-link",
                                f"'{r.id}' has no link (no url and no doi)",
                                "add 'url:' (or 'doi:' for a paper) once a verified address is known",
                                Severity.NOTICE))
    for shown, path, o in records_of(load, Organisation):
        if not o.url:
            out.append(finding("no-link", load, shown, path, o.id, "review-no-link",
                                f"the organisation '{o.id}' has no website", "add 'url:' once a verified "
                                "address is known", Severity.NOTICE))
    for shown, path, e in records_of(load, Event):
        if not e.recording_url and not any(t.recording_url or t.slides_url for t in e.talks):
            out.append(finding("no-link", load, shown, path, e.id, "review-no-link",
                                f"the event '{e.id}' has no recording or slides", "add 'recording_url:' (or a "
                                "talk's) once the recording is published", Severity.NOTICE))
    return out
