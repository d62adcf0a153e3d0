"""A real HTTP server for the link checker's tests, and small helpers to build settings and links.

Each server records every request and the peak number in flight at once.
"""

from __future__ import annotations

import re
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from hub.links.config import LinksConfig
from hub.links.types import Link, Source

FIXTURES = Path(__file__).parent / "fixtures"
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Hit:
    method: str
    path: str
    at: float
    client_port: int
    user_agent: str
    headers: dict[str, str]
    """Every request header, by its name as sent."""


class Gauge:
    """Requests in flight over several servers at once (for the global limit)."""

    def __init__(self) -> None:
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def change(self, delta: int) -> None:
        with self.lock:
            self.active += delta
            self.peak = max(self.peak, self.active)


class LinkServer:
    """A threaded HTTP/1.1 server whose routes answer the way real publishers do."""

    def __init__(self, host: str = "127.0.0.1", tls: bool = False, gauge: Gauge | None = None) -> None:
        self.gauge = gauge
        self.hits: list[Hit] = []
        self.counts: Counter[str] = Counter()
        self.bytes_sent: Counter[str] = Counter()
        self.active = 0
        self.peak = 0
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self.httpd = _Server((host, 0), _Handler)
        self.httpd.app = self  # type: ignore[attr-defined]
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(FIXTURES / "selfsigned-cert.pem", FIXTURES / "selfsigned-key.pem")
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.host, self.port = self.httpd.server_address[:2]
        self.base = f"{'https' if tls else 'http'}://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str, method: str | None = None) -> int:
        """Requests received for ``path`` (with its query), optionally for one method."""
        with self._lock:
            return sum(1 for h in self.hits if h.path == path and (method is None or h.method == method))

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [h.at for h in self.hits if h.path == path]

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- bookkeeping around each request -------------------------------------------------------------

    def enter(self, handler: BaseHTTPRequestHandler) -> int:
        if self.gauge is not None:
            self.gauge.change(+1)
        with self._lock:
            self.hits.append(Hit(handler.command, handler.path, time.monotonic(), handler.client_address[1],
                                 handler.headers.get("User-Agent", ""), dict(handler.headers.items())))
            self.counts[handler.path] += 1
            self.active += 1
            self.peak = max(self.peak, self.active)
            return self.counts[handler.path]

    def leave(self) -> None:
        with self._lock:
            self.active -= 1
        if self.gauge is not None:
            self.gauge.change(-1)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Stay quiet: checkers close connections early on purpose (they never read bodies)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _serve(self, method: str) -> None:
        app: LinkServer = self.server.app  # type: ignore[attr-defined]
        nth = app.enter(self)
        self._counted = True
        try:
            self._route(app, method, nth)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self._done()

    def _done(self) -> None:
        """Stop counting this request as in flight; before the answer is written, because the client
        may send its next request as soon as it has the headers, before this thread runs again."""
        if self._counted:
            self._counted = False
            self.server.app.leave()  # type: ignore[attr-defined]

    def _send(self, code: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self._done()
        self.send_response(code, "Whatever" if code >= 600 else None)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _route(self, app: LinkServer, method: str, nth: int) -> None:
        split = urlsplit(self.path)
        path, query = split.path, {k: v[0] for k, v in parse_qs(split.query).items()}
        times = int(query.get("times", "1000000"))
        if path == "/ok" or path == "/":
            return self._send(200, {"Content-Type": "text/html"}, b"<p>ok</p>")
        if path == "/429" or (path == "/503" and "retry_after" in query):
            if nth <= times:
                return self._send(int(path[1:]), {"Retry-After": query.get("retry_after", "1")})
            return self._send(200)
        if match := re.fullmatch(r"/(\d{3})", path):
            code = int(match.group(1))
            if code in REDIRECTS:
                return self._send(code, {"Location": query.get("to", "/ok")})
            return self._send(code, {"Content-Type": "text/html"}, b"<p>status</p>")
        if match := re.fullmatch(r"/chain/(\d+)", path):
            left = int(match.group(1))
            return self._send(301, {"Location": f"/chain/{left - 1}"}) if left else self._send(200)
        if path == "/perm-then-temp":
            return self._send(301, {"Location": "/302"})
        if path == "/relative":
            return self._send(301, {"Location": "ok"})
        if path in ("/loop", "/loop-b"):
            return self._send(302, {"Location": "/loop-b" if path == "/loop" else "/loop"})
        if path == "/cookie-gate":  # a cookie check: no cookie, off to set one and back; with it, the page
            if "gate=open" in self.headers.get("Cookie", ""):
                return self._send(200, {"Content-Type": "text/html"}, b"<p>ok</p>")
            return self._send(302, {"Location": "/cookie-set"})
        if path == "/cookie-set":
            return self._send(302, {"Location": "/cookie-gate", "Set-Cookie": "gate=open; Path=/"})
        if path == "/login-only":  # the credentials written into the address: user / pass word
            if self.headers.get("Authorization") == "Basic dXNlcjpwYXNzIHdvcmQ=":
                return self._send(200)
            return self._send(401)
        if path == "/no-location":
            return self._send(302)
        if path == "/flaky":
            return self._send(500) if nth <= times else self._send(200)
        if path == "/slow":
            time.sleep(int(query.get("ms", "200")) / 1000)
            return self._send(200)
        if path == "/hang":
            app.stop.wait(30)
            self.close_connection = True
            return None
        if path in ("/head-405", "/head-404"):
            if method == "HEAD":
                return self._send(405 if path == "/head-405" else 404)
            return self._send(200, {"Content-Type": "text/html"}, b"<p>ok</p>")
        if path == "/head-405-big":
            if method == "HEAD":
                return self._send(405)
            return self._stream_forever(app)
        if path.startswith("/api/handles/"):
            found = "missing" not in path
            return self._send(200 if found else 404, {"Content-Type": "application/json"},
                              b'{"responseCode": 1}' if found else b'{"responseCode": 100}')
        if path.startswith("/doi/"):
            return self._send(302, {"Location": "/403" if "blocked" in path else ("/404" if "gone" in path else "/ok")})
        return self._send(404)

    def _stream_forever(self, app: LinkServer) -> None:
        """A 50 MB page sent slowly: a checker that reads bodies would take minutes."""
        self._done()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        chunk = b"x" * 65536
        for _ in range(800):
            if app.stop.is_set():
                break
            self.wfile.write(chunk)
            app.bytes_sent[self.path] += len(chunk)
            time.sleep(0.01)
        self.close_connection = True


def fast_config(server: LinkServer | None = None, **overrides) -> LinksConfig:
    """Settings with short timeouts and backoff so the suite stays fast; DOIs resolve on ``server``."""
    values: dict = dict(connect_timeout=1.0, read_timeout=1.0, deadline=4.0, retries=2, backoff=0.01,
                        backoff_max=0.05, retry_after_max=3.0, cache_ttl_hours=24.0)
    if server is not None:
        values.update(doi_resolver=server.url("/doi/"), doi_handle_api=server.url("/api/handles/"))
    values.update(overrides)
    return LinksConfig(**values)


def links(*urls: str, file: str = "data/test.yaml") -> list[Link]:
    """One link per URL, on lines 1, 2, 3… of ``file``."""
    return [Link(url, [Source(file, i)]) for i, url in enumerate(urls, start=1)]
