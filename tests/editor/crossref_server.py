"""A local HTTP server that answers like the Crossref REST API, for the tests.

It serves the work records in ``fixtures/crossref/*.json`` (each file is the
``message`` of ``GET /works/{doi}``, in Crossref's own shape):

* ``GET /works/{doi}`` → ``{"status": "ok", "message-type": "work", "message": …}``, or
  404 with Crossref's plain-text "Resource not found." for an unknown DOI;
* ``GET /works?filter=updates:{doi}`` → the works whose ``update-to`` names the DOI
  (retraction notices, errata…), as ``{"message": {"items": […]}}``.

Tests can add works, make a DOI answer with an HTTP error, and read back the
requests (to check the User-Agent and ``mailto``).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "crossref"


class CrossrefStub:
    """The works the server knows, and what it was asked."""

    def __init__(self) -> None:
        self.works: dict[str, dict] = {}
        self.errors: dict[str, int] = {}
        """DOI (lower case) → HTTP status to answer with instead."""
        self.requests: list[dict] = []
        for path in sorted(FIXTURES.glob("*.json")):
            self.add(json.loads(path.read_text(encoding="utf-8")))

    def add(self, work: dict) -> None:
        self.works[work["DOI"].lower()] = work

    def notices_for(self, doi: str) -> list[dict]:
        return [w for w in self.works.values()
                if any(u.get("DOI", "").lower() == doi.lower() for u in w.get("update-to", []))]


def _handler(stub: CrossrefStub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: dict | str) -> None:
            data = (json.dumps(body) if isinstance(body, dict) else body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if isinstance(body, dict) else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            stub.requests.append({"path": parts.path, "query": query, "headers": dict(self.headers)})
            if parts.path.startswith("/works/"):
                doi = unquote(parts.path[len("/works/"):]).lower()
                if doi in stub.errors:
                    return self._send(stub.errors[doi], "error")
                work = stub.works.get(doi)
                if work is None:
                    return self._send(404, "Resource not found.")
                return self._send(200, {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                                        "message": work})
            if parts.path == "/works":
                doi = query.get("filter", [""])[0].removeprefix("updates:").lower()
                if doi in stub.errors:
                    return self._send(stub.errors[doi], "error")
                items = stub.notices_for(doi)
                return self._send(200, {"status": "ok", "message-type": "work-list",
                                        "message": {"total-results": len(items), "items": items}})
            return self._send(404, "Resource not found.")

    return Handler


class CrossrefServer:
    """Run the stub on 127.0.0.1 on a free port, in a thread."""

    def __init__(self) -> None:
        self.stub = CrossrefStub()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.stub))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> CrossrefServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
