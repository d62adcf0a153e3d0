"""Memory between runs: a results cache with a time-to-live, and each link's failure history.

Both files are plain JSON under ``.hub-cache/`` (git-ignored; CI keeps them
with actions/cache). A missing or damaged file is treated as empty, with a
warning: losing the memory makes a run slower or more cautious, never wrong.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.links.types import LinkResult, LinkStatus

CACHE_PATH = Path(".hub-cache/links-cache.json")
STATE_PATH = Path(".hub-cache/links-state.json")
FORMAT_VERSION = 1
FORGET_AFTER = timedelta(days=180)
"""History of a link not seen for this long is dropped (it left the catalogue)."""

# Only good news is cached: a failure is always checked again, so re-running a job once a
# publisher is back turns it green at once.
CACHED_STATUSES = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED})


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _read_json(path: Path, warnings: list[str]) -> dict:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        warnings.append(f"{path}: cannot be read ({exc}); starting from an empty file")
        return {}
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        warnings.append(f"{path}: not a file this version wrote; starting from an empty file")
        return {}
    return data


def _write_json(path: Path, data: dict) -> None:
    """Write atomically, so that a cancelled job never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResultsCache:
    """Recent ok and redirected results, reused for ``ttl`` instead of fetching again."""

    def __init__(self, path: Path, ttl: timedelta, now: datetime | None = None) -> None:
        self.path = path
        self.ttl = ttl
        self.now = now or now_utc()
        self.warnings: list[str] = []
        self.entries: dict[str, dict] = _read_json(path, self.warnings).get("entries", {})

    def get(self, url: str) -> LinkResult | None:
        entry = self.entries.get(url)
        if not entry or self.ttl <= timedelta(0):
            return None
        checked = parse_iso(entry.get("checked_at", ""))
        if checked is None or self.now - checked >= self.ttl:
            return None
        try:
            status = LinkStatus(entry["status"])
        except (KeyError, ValueError):
            return None
        age = _age(self.now - checked)
        detail = entry.get("detail", "")
        return LinkResult(url, status, entry.get("code"), f"{detail} (cached, checked {age} ago)".strip(),
                          entry.get("final_url"), cached=True)

    def put(self, result: LinkResult) -> None:
        if result.status in CACHED_STATUSES and not result.cached:
            self.entries[result.url] = {
                "checked_at": iso(self.now), "status": result.status.value, "code": result.code,
                "detail": result.detail, "final_url": result.final_url,
            }

    def save(self) -> None:
        fresh = {url: e for url, e in self.entries.items()
                 if (when := parse_iso(e.get("checked_at", ""))) is not None and self.now - when < self.ttl}
        _write_json(self.path, {"version": FORMAT_VERSION, "entries": fresh})


@dataclass
class History:
    """Per link: when it last checked ok, and since when it has been failing."""

    path: Path
    now: datetime = field(default_factory=now_utc)
    links: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, now: datetime | None = None) -> History:
        history = cls(path, now or now_utc())
        history.links = _read_json(path, history.warnings).get("links", {})
        return history

    def apply(self, results: list[LinkResult], confirm_twice: bool) -> None:
        """Record this run and annotate the results; with ``confirm_twice``, a first failure is not yet broken.

        Ok and redirected reset the history; broken counts one more failure;
        unverifiable and skipped leave it as it was (they say nothing new).
        """
        stamp = iso(self.now)
        for result in results:
            if result.status is LinkStatus.SKIPPED:
                continue
            entry = self.links.setdefault(result.url, {})
            entry["last_seen"] = stamp
            if result.status in (LinkStatus.OK, LinkStatus.REDIRECTED):
                entry["last_ok"] = stamp if not result.cached else entry.get("last_ok", stamp)
                entry.pop("failing_since", None)
                entry["consecutive_failures"] = 0
            elif result.status is LinkStatus.BROKEN:
                entry["consecutive_failures"] = entry.get("consecutive_failures", 0) + 1
                entry.setdefault("failing_since", stamp)
                entry["last_failure"] = result.detail
            result.last_ok = entry.get("last_ok")
            result.failing_since = entry.get("failing_since")
            result.consecutive_failures = entry.get("consecutive_failures", 0)
            if confirm_twice and result.status is LinkStatus.BROKEN and result.consecutive_failures < 2:
                result.status = LinkStatus.UNVERIFIABLE
                result.detail = f"failing once, will be confirmed next run: {result.detail}"

    def save(self) -> None:
        kept = {url: e for url, e in self.links.items()
                if (seen := parse_iso(e.get("last_seen", ""))) is None or self.now - seen < FORGET_AFTER}
        _write_json(self.path, {"version": FORMAT_VERSION, "links": kept})


def _age(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"
