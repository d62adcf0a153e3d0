"""Where links come from: the catalogue's YAML files, a URL list, and the lines a git change touched."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from hub.catalogue.doi import bare_doi
from hub.catalogue.yamlfile import load_yaml
from hub.links.types import Link, Source
from hub.problems import Problem, display_path

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
class SourceError(Exception):
    """A source cannot be read at all (a usage error: exit 2)."""


def catalogue_files(data_dir: Path) -> list[Path]:
    """The catalogue's data files: ``data/*.yaml`` (``data/schema/`` and other folders are not data)."""
    return sorted(p for p in data_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.is_file())


def catalogue_links(data_dir: Path, doi_resolver: str = "https://doi.org/",
                    root: Path | None = None) -> tuple[list[Link], list[Problem]]:
    """Every ``url``, ``*_url`` and ``doi`` value in the data files, with file and line."""
    if not data_dir.is_dir():
        raise SourceError(f"the data folder '{data_dir}' does not exist")
    links: list[Link] = []
    problems: list[Problem] = []
    for path in catalogue_files(data_dir):
        loaded = load_yaml(path, display_path(path, root))
        problems.extend(p for p in loaded.problems if p.is_error)
        if loaded.data is None:
            continue
        _walk(loaded.data, (), None, loaded, doi_resolver, links)
    return links, problems


def _walk(value, path: tuple, doi: str | None, loaded, resolver: str, out: list[Link]) -> None:
    """Collect links depth first; a record's ``doi`` travels down to the URLs inside it."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, path + (i,), doi, loaded, resolver, out)
        return
    if not isinstance(value, dict):
        return
    record_doi = value.get("doi")
    if isinstance(record_doi, str) and record_doi.strip():
        doi = normalise_doi(record_doi)
    for key, item in value.items():
        here = path + (key,)
        if isinstance(item, str) and item.strip():
            where = loaded.locate(here)
            source = Source(loaded.path, where.line, where.column)
            if key == "doi":
                out.append(Link(doi_url(item, resolver), [source], doi=normalise_doi(item)))
            elif key == "url" or key.endswith("_url"):
                out.append(Link(item.strip(), [source], doi=doi))
        else:
            _walk(item, here, doi, loaded, resolver, out)


def normalise_doi(doi: str) -> str:
    """A DOI without the ``https://doi.org/`` or ``doi:`` prefix editors sometimes paste."""
    return bare_doi(doi)[0]


def doi_url(doi: str, resolver: str = "https://doi.org/") -> str:
    """The resolver link for a DOI, with characters a URL cannot hold escaped."""
    return resolver.rstrip("/") + "/" + quote(normalise_doi(doi), safe="/:;()._-<>[]+,@'")


def url_file_links(path: Path, root: Path | None = None) -> list[Link]:
    """One URL per line; blank lines and lines starting with '#' are ignored."""
    shown = "-" if str(path) == "-" else display_path(path, root)
    try:
        if str(path) == "-":
            import sys
            text = sys.stdin.read()
        else:
            text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SourceError(f"cannot read the URL list '{shown}': {reason}") from None
    links = []
    for number, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#"):
            links.append(Link(url, [Source(shown, number, line.index(url) + 1)]))
    return links


def changed_lines(ref: str, paths: list[Path], cwd: Path | None = None) -> dict[str, set[int]]:
    """Lines added or changed since ``ref`` (its merge base with HEAD), by file path relative to cwd.

    Files git does not track yet count as changed throughout, so a new data
    file's links are checked before it is ever committed.
    """
    cwd = cwd or Path.cwd()
    commit = resolve_ref(ref, cwd)
    if not paths:
        return {}
    base = _git(["merge-base", commit, "HEAD"], cwd, ref).strip() or commit
    rel = [display_path(p, cwd) for p in paths]
    diff = _git(["diff", "--relative", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", base, "--", *rel], cwd, ref)
    changed: dict[str, set[int]] = {}
    current = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = name[2:] if name.startswith("b/") else None
        elif line.startswith("@@") and current:
            match = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                changed.setdefault(current, set()).update(range(start, start + count))
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--", *rel], cwd, ref)
    for name in untracked.splitlines():
        changed[name] = _ALL_LINES
    return changed


def resolve_ref(ref: str, cwd: Path) -> str:
    """The commit ``ref`` names, as a hash; SourceError when it is not a revision git knows.

    Only the hash reaches the later git commands, and the ref itself only
    after ``--end-of-options``: ``--changed-since=--output=FILE`` once made
    git write FILE (issue 16). A leading '-' is refused before git runs.
    """
    if not ref.strip():
        raise SourceError("--changed-since needs a git revision, such as origin/main")
    if ref.startswith("-"):
        raise SourceError(f"--changed-since: '{ref}' is not a git revision (revisions never start with '-')")
    if any(not c.isprintable() or c.isspace() for c in ref):
        raise SourceError(f"--changed-since: {ref!r} is not a git revision (it contains a space or a control character)")
    done = _run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    commit = done.stdout.strip()
    if done.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        if "not a git repository" in done.stderr:
            raise SourceError("--changed-since only works inside a git repository")
        raise SourceError(f"--changed-since: git does not know the revision '{ref}' "
                          "(in CI, fetch it first: git fetch origin main)")
    return commit


class _AllLines(set):
    """Every line of a file (a file that is new to git)."""

    def __contains__(self, item) -> bool:
        return True


_ALL_LINES = _AllLines()


def only_changed(links: list[Link], changed: dict[str, set[int]]) -> list[Link]:
    """The links with at least one source on a changed line, keeping only those sources."""
    kept = []
    for link in links:
        sources = [s for s in link.sources if s.line is not None and s.line in changed.get(s.file, ())]
        if sources:
            kept.append(Link(link.url, sources, link.doi, link.internal))
    return kept


def _run_git(args: list[str], cwd: Path):
    import subprocess  # only for --changed-since

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SourceError(f"--changed-since needs git, which cannot be run: {exc.strerror}") from None


def _git(args: list[str], cwd: Path, ref: str) -> str:
    done = _run_git(args, cwd)
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git failed"
        if args[0] == "merge-base":
            if "Not a valid object name" in done.stderr or "not a valid" in done.stderr.lower() \
                    or "unknown revision" in done.stderr:
                raise SourceError(f"--changed-since: git does not know the revision '{ref}' "
                                  "(in CI, fetch it first: git fetch origin main)")
            if "not a git repository" in done.stderr:
                raise SourceError("--changed-since only works inside a git repository")
            return ""  # no common ancestor (e.g. a shallow clone): diff against the ref itself
        raise SourceError(f"--changed-since: {message}")
    return done.stdout
