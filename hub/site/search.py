"""The site's search index: Pagefind, built from the engine's HTML, one record per entry.

`index_site(site)` runs after the engine has built the site (MkDocs or
Zensical, in the work folder, before the swap) and writes `site/pagefind/`,
a chunked static index: a browser downloads only the chunks for the words
typed and the records it shows (`content/assets/search.js` is the UI).

Pagefind indexes HTML; on its own it makes one result per page, with the
page's whole text as one fragment. A section page holds hundreds of entries
(1,700 at 10,000 resources), so here every page is cut into records at its
headings that have an id: each entry (and each subsection intro, each
organisation…) is a record of its own whose address is `page/#id`. Each
record is handed to Pagefind as a small HTML document carrying Pagefind's
attributes, which decide the ranking (`WEIGHTS`, below):

* `data-pagefind-weight`: an entry's title, its other titles and its record
  id (`nice-cg133`, so "CG133" finds it) weigh most, then its citation line
  (authors, journal), then its type and topics (the summary and key points
  are not indexed: see `WEIGHTS`); a superseded
  or withdrawn entry weighs less (`RETIRED`), so current guidance comes
  first for its own name and number, and its notice ("replaced by NG225")
  hardly counts;
* `data-pagefind-meta`: the title, the citation (for a page, the start of
  its text) and the status ("superseded"), which the results show as
  written (Pagefind 1.5 indexes metadata too, so the citation goes without
  its initials);
* `data-pagefind-filter`: `entry:yes` on entries, so that the box lists the
  entries first. One filter with one value: Pagefind writes a filter's
  values in a different order on every run, and the site must come out the
  same from the same data;
* `data-pagefind-body`: the record's text, without the links' hidden text.

Pages whose front matter says `search: exclude: true` (Browse all and
What's new repeat every title) carry `<meta name="hub-search"
content="exclude">` (overrides/main.html) and are left out, as are short
entries (`data-search-exclude`) and 404.html.

Pagefind runs as a child process (`pagefind --service`, from the
`pagefind-bin` package) that dies with the build, spoken to over its pipe
the way Pagefind's own Python and Node wrappers do; the wrapper package
itself waits 0.1 s per message, 17 minutes at 10,000 entries.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from hub.site import publish
from hub.site.publish import BuildFailed

OUTPUT = "pagefind"
"""The index's folder in the site."""

WEIGHTS = {
    "title": 10.0,        # the entry's heading (with its record id)
    "hub-alt": 9.0,       # "Also known as: NICE guideline NG225"
    "hub-citation": 4.0,  # authors, year, title, journal or publisher
    "hub-meta": 2.5,      # type, audience, setting, topics, dates
    "admonition": 0.5,    # notices: "This guideline has been replaced by …"
}
"""Pagefind weights (0-10, a quadratic scale: 2 counts four times as much as plain text, 1).

These are also the only parts of an entry that are indexed, besides its
title and id: not its summary, key points or "Replaces" line. Pagefind ranks
each matching record against every (word, record) pair of the words typed
(quadratic in the records that match), and a summary puts the common words
into nearly every record: at 10,000 synthetic resources a two-word search
took 1.1-1.7 s with summaries and 0.1-0.4 s without (benchmarks/README.md,
"Search"). What a summary would have matched, the entry's topics mostly do;
for the rest, search.js retries without a word (`risk assessment tools` →
`risk assessment`)."""
RETIRED = 0.6
"""A superseded or withdrawn entry's weights are multiplied by this."""
IGNORED_CLASSES = ("hub-vh", "hub-link", "hub-cite", "md-content__button", "headerlink")
"""Hidden link text (the title again), the entry's main link, theme buttons: not indexed."""
SHOWN_TEXT = 240
"""Characters of a result's text (an entry's citation, the start of a page's text) the results show."""
RECORD_HEADINGS = ("h2", "h3")
"""Headings with an id that start a record of their own (h1 starts the page's)."""
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
"""Files Pagefind writes that the site does not use."""
STATUSES = {"hub-entry--superseded": "superseded", "hub-entry--withdrawn": "withdrawn"}


@dataclass
class Record:
    url: str
    """From the site root, with a leading slash: `/resources/assessment-and-treatment/#nice-ng225`."""
    html: str
    """A small HTML document for Pagefind."""


@dataclass
class SearchIndex:
    records: int
    files: int
    bytes: int


# --- the records ---------------------------------------------------------------------


def page_url(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def excluded(doc) -> bool:
    return bool(doc.xpath("//meta[@name='hub-search'][@content='exclude']"))


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _weigh(el, factor: float) -> None:
    """Give an entry's elements their weights, by their class (in place)."""
    for child in el.iter():
        if not isinstance(child.tag, str):
            continue
        classes = _classes(child)
        for name, weight in WEIGHTS.items():
            if name in classes:
                child.set("data-pagefind-weight", f"{weight * factor:.1f}")
        if factor != 1.0 and child.tag in ("p", "ul", "ol") and child.get("data-pagefind-weight") is None:
            child.set("data-pagefind-weight", f"{factor:.1f}")


_LETTER = re.compile(r"(?<![\w'’./-])[^\W\d_](?![\w'’/-]|\.\w)")
_GAP = re.compile(r" +(?=[,;:.)])|(?<= ) +")


def words_only(text: str) -> str:
    """Text as it is indexed: without its one-letter words (initials: "Hawton K", and "a").

    When a word typed starts no indexed word, Pagefind falls back to the
    longest indexed word that starts it: with initials indexed, "Hawtom" (a
    typo on a phone) became "H" and matched every author with that initial.
    Without them it matches nothing, and the box shortens it (search.js).
    """
    return _GAP.sub("", _LETTER.sub("", text))


def _shown(text: str) -> str:
    """What a result shows: the text as written, without initials (Pagefind indexes it too)."""
    return _shorten(words_only(text))


def _strip_words(el) -> None:
    for child in el.iter():
        if isinstance(child.tag, str):
            if child.text:
                child.text = words_only(child.text)
            if child.tail and child is not el:
                child.tail = words_only(child.tail)


def _document(heading: str, weight: float | None, record_id: str, body: list, meta: dict[str, str],
              filters: dict[str, str]) -> str:
    weighed = f' data-pagefind-weight="{weight:.1f}"' if weight is not None else ""
    parts = "\n".join(etree.tostring(el, encoding="unicode", with_tail=False) for el in body)
    # Pagefind 1.5 indexes the metadata too: only the title, and the shown text without initials.
    metas = "".join(f'<span data-pagefind-meta="{key}">{html.escape(value)}</span>'
                    for key, value in meta.items() if value)
    # Filters are not words: what kind of record, the page it is on, its status.
    tags = "".join(f'<span data-pagefind-filter="{key}">{html.escape(value)}</span>'
                   for key, value in filters.items() if value)
    # The record id, in words ("nice cg133"), so that "CG133" finds its entry.
    ids = f"<p{weighed}>{html.escape(record_id.replace('-', ' '))}</p>" if record_id else ""
    return (f'<html lang="en"><head><meta charset="utf-8"></head><body>'
            f'<main data-pagefind-body>\n<h2{weighed}>{html.escape(words_only(heading))}</h2>\n{parts}\n{ids}</main>\n'
            f'<div data-pagefind-ignore="index">{metas}{tags}</div></body></html>')


def _ignored(el) -> bool:
    return isinstance(el.tag, str) and (bool(_classes(el) & set(IGNORED_CLASSES))
                                        or el.tag in ("script", "style", "form", "button", "details"))


def _clean(el) -> bool:
    """Drop what is not indexed from a copied element; False when that is the whole element."""
    if _ignored(el):
        return False
    for child in list(el.iter()):
        if child is not el and _ignored(child):
            child.drop_tree()
    _strip_words(el)
    return True


def _groups(article) -> Iterator[tuple]:
    """(heading, the elements after it) for the page's h1 and each record heading of the article."""
    h1 = article.find(".//h1")
    heading, body = h1, []
    for child in article:
        if not isinstance(child.tag, str) or child is h1 or child.get("id") == "__skip":  # Zensical's
            continue
        if child.tag in RECORD_HEADINGS and child.get("id"):
            yield heading, body
            heading, body = child, []
        else:
            body.append(child)
    yield heading, body


def page_records(doc, url: str) -> Iterator[Record]:
    """The records of one built page: its h1 and what follows, then one per heading with an id."""
    articles = doc.xpath("//article[contains(concat(' ', normalize-space(@class), ' '), ' md-content__inner ')]")
    if not articles:
        return
    h1 = articles[0].find(".//h1")
    page_title = _text(h1) if h1 is not None else ""
    for heading, elements in _groups(articles[0]):
        if heading is None or heading.get("data-search-exclude") is not None:  # short entries
            continue
        anchor = heading.get("id", "") if heading is not h1 else ""
        classes = _classes(heading)
        entry = "hub-entry" in classes
        status = next((s for cls, s in STATUSES.items() if cls in classes), "")
        factor = RETIRED if status else 1.0
        if entry:  # an entry's words: its citation, other titles, notices and labels (see WEIGHTS)
            elements = [el for el in elements if _classes(el) & set(WEIGHTS)]
            shown = " ".join(_text(el) for el in elements if "hub-citation" in _classes(el))
        else:
            shown = " ".join(_text(el) for el in elements if not _ignored(el))
        body = [el for el in map(_copy, elements) if _clean(el) and _text(el)]
        if entry:
            for el in body:
                _weigh(el, factor)
        if not body and not anchor and not page_title:
            continue
        meta = {"title": _text(heading), "text": _shown(shown), "status": status}
        # One filter with one value (Pagefind writes a filter's values in a different order on
        # every run; a single value keeps the index the same from build to build).
        filters = {"entry": "yes" if entry else ""}
        yield Record(url + (f"#{anchor}" if anchor else ""),
                     _document(_text(heading), WEIGHTS["title"] * factor if entry else None,
                               anchor if entry else "", body, meta, filters))


def _shorten(text: str, limit: int = SHOWN_TEXT) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _copy(el):
    el = copy.deepcopy(el)
    el.tail = None
    return el


def site_records(site: Path) -> Iterator[Record]:
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith(OUTPUT + "/"):
            continue
        doc = lxml_html.fromstring(path.read_bytes())
        if excluded(doc):
            continue
        yield from page_records(doc, page_url(site, path))


# --- Pagefind ----------------------------------------------------------------------


def pagefind_binary() -> Path:
    """The Pagefind executable: `PAGEFIND_BINARY_PATH`, else the one in the `pagefind-bin` package."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise BuildFailed("Pagefind is not installed",
                                ["install the pinned dependencies: pip install -e ."]) from None
    return Path(get_executable())


class Service:
    """`pagefind --service`: base64 JSON messages, each ended by a comma, on stdin and stdout.

    Answers carry the message's id; `send` and `receive` may run in two
    threads (the records are sent while the answers are read: a round trip
    per record cost 6 s at 10,000).
    """

    def __init__(self, binary: Path, cwd: Path):
        self._log = tempfile.TemporaryFile()
        try:
            self._proc = publish.start_child([str(binary), "--service"], cwd=cwd, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._log)
        except OSError as exc:
            self._log.close()
            raise BuildFailed(f"cannot run Pagefind: {exc}") from exc
        self._id = 0
        self._buffer = b""

    def send(self, payload: dict) -> int:
        self._id += 1
        message = base64.b64encode(json.dumps({"message_id": self._id, "payload": payload}).encode())
        try:
            self._proc.stdin.write(message + b",")
            self._proc.stdin.flush()
        except (BrokenPipeError, ValueError):  # ValueError: closed by close() in the other thread
            raise BuildFailed("Pagefind stopped unexpectedly", self.stderr()) from None
        return self._id

    def receive(self) -> tuple[int | None, dict]:
        while b"," not in self._buffer:
            chunk = self._proc.stdout.read1(1 << 16)
            if not chunk:
                raise BuildFailed("Pagefind stopped unexpectedly", self.stderr())
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b",")
        answer = json.loads(base64.b64decode(raw))
        payload = answer["payload"]
        if payload.get("type") == "Error":
            raise BuildFailed(f"Pagefind refused the index: {payload.get('message')}", self.stderr())
        return answer.get("message_id"), payload

    def call(self, payload: dict) -> dict:
        sent = self.send(payload)
        while True:
            got, answer = self.receive()
            if got == sent:
                return answer

    def stderr(self) -> list[str]:
        self._log.seek(0)
        return [line for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]

    def finish(self, timeout: float = 120) -> None:
        """Let Pagefind end by itself: it answers WriteFiles before every file is on disk."""
        self._proc.stdin.close()
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise BuildFailed("Pagefind did not finish writing the index", self.stderr()) from None

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self._log.close()


def _send_records(service: Service, index: int, site: Path, sent: list, failed: list) -> None:
    try:
        for record in site_records(site):
            service.send({"type": "AddFile", "index_id": index, "url": record.url,
                          "file_contents": record.html, "file_path": None})
            sent.append(record.url)
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread
        failed.append(exc)
    finally:
        sent.append(None)  # done


def index_site(site: Path) -> SearchIndex:
    """Write `site/pagefind/`: one Pagefind record per entry, subsection and page of the built site."""
    service = Service(pagefind_binary(), site)
    sent: list = []
    failed: list = []
    try:
        index = service.call({"type": "NewIndex", "config": {"force_language": "en"}})["index_id"]
        writer = threading.Thread(target=_send_records, args=(service, index, site, sent, failed), daemon=True)
        writer.start()
        answered = 0
        while True:  # read the answers while the writer sends; `sent` ends with None when it is done
            done = bool(sent) and sent[-1] is None
            if failed:
                raise failed[0]
            if len(sent) - done > answered:
                service.receive()
                answered += 1
            elif done:
                break
            else:
                writer.join(0.005)
        writer.join()
        if failed:
            raise failed[0]
        service.call({"type": "WriteFiles", "index_id": index, "output_path": str(site / OUTPUT)})
        service.finish()
    finally:
        service.close()
    for name in UNUSED:  # Pagefind's own interfaces: the site has its own (content/assets/search.js)
        (site / OUTPUT / name).unlink(missing_ok=True)
    files = [p for p in (site / OUTPUT).rglob("*") if p.is_file()]
    return SearchIndex(len(sent) - 1, len(files), sum(p.stat().st_size for p in files))
