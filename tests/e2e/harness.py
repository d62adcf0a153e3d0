"""What the end-to-end suite and `scripts/screenshots.py` share: the browser, the local server, the pages.

No pytest here, so the screenshot script can use it outside the suite.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LIGHTHOUSE_REPORTS = ARTIFACTS / "lighthouse"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
"""Debian's Chromium in a container: no sandbox (no user namespaces), and nothing fetched in the background."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
"""A common small phone (iPhone X/11 Pro/12 mini, 375 CSS px wide)."""


def chromium_path() -> Path:
    """`HUB_CHROMIUM` if set (GitHub's runners have /usr/bin/google-chrome), else Debian's Chromium."""
    return Path(os.environ.get("HUB_CHROMIUM") or DEFAULT_CHROMIUM)


def chromium_missing() -> str | None:
    """Why the browser tests cannot run, in one line, or None."""
    path = chromium_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        return (f"Chromium not found at {path}: install it with `apt-get install chromium` "
                "(or set HUB_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -e '.[dev]'"
    return None


# --- the site's pages --------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPage:
    """A kind of page a reviewer looks at: where it is and what to call its screenshot."""

    name: str
    path: str
    search: str | None = None
    """Type this into the search box before looking (the "search results open" view)."""


KEY_PAGES = [
    KeyPage("home", ""),
    KeyPage("section", "resources/assessment-and-treatment/"),
    KeyPage("browse", "browse/"),
    KeyPage("events", "events/"),
    KeyPage("organisations", "support-organisations/"),
    KeyPage("data-dictionary", "data-dictionary/"),
    KeyPage("search", "", search="safety planning"),
]
"""One page of each kind: the axe checks and the screenshots go through these."""


# --- the local server ------------------------------------------------------------------

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml", "application/atom+xml")


class StaticHandler(SimpleHTTPRequestHandler):
    """Serves the built site as a static host does: gzip for text when the browser accepts it.

    GitHub Pages (where .github/workflows/deploy.yml publishes the site)
    compresses text, as most static hosts do, so the weights and Lighthouse
    scores measured here are the ones people get. Python's own server never
    compresses.
    """

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".json": "application/json", ".atom": "application/atom+xml"}
    _gzipped: dict[str, bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args) -> None:  # quiet: the tests report what matters
        pass

    prefix = "/"
    """Where the site lives on the server ("/some-prefix/" for a GitHub Pages project site)."""

    def translate_path(self, path: str) -> str:
        # Under a prefix, only addresses below it are the site's; anything else is missing.
        if not path.startswith(self.prefix):
            return os.path.join(self.directory, "\0missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_missing(self):
        """As GitHub Pages does: the site's own 404.html, with status 404."""
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_head(self):
        path = self.translate_path(self.path.split("?")[0].split("#")[0])
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.exists(path):
            return self.send_missing()
        ctype = self.guess_type(path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and os.path.isfile(path) and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        with self._lock:
            body = self._gzipped.get(path)
            if body is None:
                body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
                self._gzipped[path] = body
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) at `prefix`, in a thread; yield its URL, ending in '/'."""
    handler = type("Handler", (StaticHandler,), {"_gzipped": {}, "prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# --- the browser -------------------------------------------------------------------------


def launch(playwright):
    """Headless Chromium from the system (Playwright's own download is not used)."""
    return playwright.chromium.launch(executable_path=str(chromium_path()), args=CHROMIUM_ARGS,
                                      headless=True)


def only_local(context, base_url: str, blocked: list[str]) -> None:
    """Let the context reach the local server only: any other request is aborted and recorded."""
    origin = base_url.rstrip("/")

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)


SEARCH_DONE = """([query]) => {
  // The status line (role="status") names the query once its results are in the list.
  const status = document.querySelector('#hub-search-status');
  return !!status && status.textContent.includes('\u201c' + query + '\u201d');
}"""


def search(page, query: str, timeout: float = 30_000) -> None:
    """Open the search as a person does (the magnifier on a phone), type, and wait for the results.

    The hub's own search box (overrides/partials/header.html, content/assets/search.js), the
    same on both engines.
    """
    toggle = page.locator(".hub-search__open")
    if toggle.is_visible():
        toggle.click()
    field = page.locator("#hub-search-q")
    field.click()
    field.fill("")
    field.press_sequentially(query, delay=20)
    page.wait_for_function(SEARCH_DONE, arg=[query], polling=100, timeout=timeout)


def search_results(page) -> list[dict]:
    """The results shown, in reading order: each one's link, kind (entry or page), status and text."""
    return page.eval_on_selector_all("[data-search-result]", """items => items.map(li => ({
      href: li.querySelector('a').getAttribute('href'), kind: li.getAttribute('data-search-result'),
      status: li.getAttribute('data-status') || '', text: li.textContent,
      shown: li.querySelector('a').checkVisibility()}))""")


SCREENSHOT_MAX_HEIGHT = 5000


def screenshot_key_pages(browser, base_url: str, out_dir: Path, pages=KEY_PAGES) -> list[Path]:
    """Full-page screenshots of the key pages at desktop and phone widths: `<name>-<width>.png`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        only_local(context, base_url, [])
        page = context.new_page()
        for key in pages:
            page.goto(base_url + key.path)  # "load": stylesheets and scripts have run
            if key.search:
                search(page, key.search)
            path = out_dir / f"{key.name}-{viewport['width']}.png"
            if key.search:  # the results overlay: what is on the screen
                page.screenshot(path=str(path))
            else:  # the page from the top, cut at SCREENSHOT_MAX_HEIGHT (Browse all is 26,000 px on a phone)
                height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
                page.screenshot(path=str(path), full_page=True,
                                clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
            written.append(path)
        context.close()
    return written


# --- reading the page ------------------------------------------------------------------------


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def fully_visible(page, element_id: str) -> dict:
    """Where an element is: inside the viewport, and not under the sticky header?"""
    return page.evaluate("""(id) => {
      const el = document.getElementById(id);
      if (!el) return {found: false};
      const box = el.getBoundingClientRect();
      const header = document.querySelector('.md-header').getBoundingClientRect();
      const x = Math.min(box.left + 10, innerWidth - 1), y = box.top + Math.min(box.height / 2, 10);
      const hit = document.elementFromPoint(x, y);
      return {found: true, top: box.top, bottom: box.bottom, headerBottom: header.bottom,
              viewport: innerHeight, onTop: !!hit && (hit === el || el.contains(hit)),
              ok: box.top >= header.bottom - 1 && box.bottom <= innerHeight && box.height > 0};
    }""", element_id)


def horizontal_overflow(page) -> dict:
    """How far the page scrolls sideways, and the widest elements that stick out."""
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      const scroll = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
      const culprits = [];
      if (scroll > width) {
        for (const el of document.body.querySelectorAll('*')) {
          const box = el.getBoundingClientRect();
          if (box.right > width + 1 && box.width > 0 && el.checkVisibility())
            culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                          ' (right edge ' + Math.round(box.right) + ' px)');
        }
      }
      return {width, scroll, culprits: culprits.slice(0, 5)};
    }""")


def run_axe(page, axe: Path, tags: list[str]) -> dict:
    """Inject axe-core into the page and run the rules with these tags on the whole document."""
    page.add_script_tag(path=str(axe))
    return page.evaluate("""(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                        resultTypes: ['violations']})""", tags)
