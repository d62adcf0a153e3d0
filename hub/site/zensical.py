"""What the adapter does for Zensical 0.0.73 that MkDocs needs not: where the two engines' pages differ.

* **Links in raw HTML.** MkDocs leaves an `href` written in raw HTML (the
  Browse-all table's links, `hub.render.view.BROWSE_ROW`) as it is: relative
  to the page's address (`browse/` → `../resources/…/#id`). Zensical reads
  it as relative to the page's *source file* (`browse.md`, in the docs
  folder's root) and prefixes `../` for the page's own folder, so every
  link pointed one level too high: right at a site's root only because
  browsers stop at `/`, and broken under a sub-path such as a GitHub Pages
  project site. `source_relative` rewrites those links, for Zensical only,
  to what they mean from the source file, so that Zensical's rewriting
  gives back the address the page meant.
* **The skip link.** Zensical's "Skip to content" points at an empty
  `<a id="__skip">` before the page's heading (Material's points at the
  heading). `finish` points it at the page's `h1` and removes the empty
  anchor.
* **Its own search index.** Zensical writes `search.json` even with the
  search plugin turned off; the site's search is Pagefind
  (`hub.site.search`), so `finish` removes it.

The colour-scheme radio button Zensical renders for `theme.palette` is
left out by the hub's header (overrides/partials/header.html).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

_RAW_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)")
_SKIP_LINK = '<a href="#__skip" class="md-skip">'
_SKIP_TARGET = '<a id="__skip" tabindex="-1"></a>'
_FIRST_H1 = re.compile(r'<h1 id="([^"]+)"')


def source_relative(path: str, text: str) -> str:
    """A rendered page's raw-HTML links, rewritten from its address to its source file (see above)."""
    if not path.endswith(".md") or posixpath.basename(path) == "index.md" or "<a" not in text:
        return text
    own_folder = posixpath.basename(path)[: -len(".md")]

    def rewrite(match: re.Match) -> str:
        href = match.group(2)
        if not href or _ABSOLUTE.match(href):
            return match.group(0)
        target, sep, rest = href.partition("#")
        target, qsep, query = target.partition("?")
        joined = posixpath.normpath(posixpath.join(own_folder, target or "."))
        moved = ("" if joined == "." else joined) + ("/" if target.endswith("/") and joined != "." else "")
        return match.group(1) + moved + qsep + query + sep + rest + match.group(3)

    return _RAW_HREF.sub(rewrite, text)


def prepare(files: dict[str, str]) -> dict[str, str]:
    """The rendered files as Zensical needs them (only Markdown pages change)."""
    return {path: source_relative(path, text) if path.endswith(".md") else text for path, text in files.items()}


def finish(site: Path) -> None:
    """After Zensical's build: skip links to the page's heading, and no second search index."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if _SKIP_LINK not in html:
            continue
        heading = _FIRST_H1.search(html, html.find(_SKIP_TARGET) if _SKIP_TARGET in html else 0)
        if not heading:
            continue
        html = html.replace(_SKIP_LINK, f'<a href="#{heading.group(1)}" class="md-skip">', 1)
        html = html.replace(_SKIP_TARGET, "", 1)
        page.write_text(html, encoding="utf-8")
    (site / "search.json").unlink(missing_ok=True)
