"""Hostile HTTP servers on raw sockets: they say what `http.server` never would.

Each `HostileServer` listens on a loopback address and hands every
connection to a behaviour, a function ``(conn, request, server)`` that writes
whatever it likes. Behaviours only ever wait on ``server.stop`` (never plain
sleeps) and give up after `MAX_LIFE` seconds, so a test that forgets to stop
one cannot hang the suite; `close` stops the accept loop, closes every
connection and joins every thread.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

MAX_LIFE = 20.0
"""Seconds after which any behaviour stops on its own."""


@dataclass
class Request:
    method: str
    path: str
    head: bytes


Behaviour = Callable[[socket.socket, Request, "HostileServer"], None]


class HostileServer:
    """A TCP server that answers every request with ``behaviour``; records requests and bytes sent."""

    def __init__(self, behaviour: Behaviour, host: str = "127.0.0.1", backlog: int = 16,
                 accept: bool = True, http: bool = True) -> None:
        self.behaviour = behaviour
        self.http = http
        """Whether to read an HTTP request before calling the behaviour (False: TLS and other bytes)."""
        self.requests: list[Request] = []
        self.connections = 0
        self.bytes_sent = 0
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(backlog)
        self.sock.settimeout(0.05)
        self.host, self.port = self.sock.getsockname()[:2]
        self.base = f"http://{self.host}:{self.port}"
        if accept:
            self._spawn(self._accept_loop)

    def url(self, path: str = "/") -> str:
        return self.base + path

    def send(self, conn: socket.socket, data: bytes) -> bool:
        """Send ``data``; False once the client has gone or the server is stopping."""
        if self.stop.is_set():
            return False
        try:
            conn.sendall(data)
        except OSError:
            return False
        with self._lock:
            self.bytes_sent += len(data)
        return True

    def trickle(self, conn: socket.socket, data: bytes, interval: float) -> None:
        """Send ``data`` one byte every ``interval`` seconds, within `MAX_LIFE`."""
        ends = time.monotonic() + MAX_LIFE
        for i in range(len(data)):
            if time.monotonic() > ends or not self.send(conn, data[i:i + 1]) or self.stop.wait(interval):
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
        for thread in threads:
            thread.join(timeout=5)
        assert not [t for t in threads if t.is_alive()], "a hostile server thread did not stop"

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="hostile-server")
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
                self.connections += 1
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(MAX_LIFE)
        try:
            if not self.http:
                self.behaviour(conn, None, self)
                return
            while not self.stop.is_set():
                request = _read_request(conn)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                keep = self.behaviour(conn, request, self)
                if not keep:
                    return
        except OSError:
            return
        finally:
            conn.close()


def _read_request(conn: socket.socket) -> Request | None:
    """The request line and headers (GET and HEAD have no body), or None when the client left."""
    head = b""
    while b"\r\n\r\n" not in head:
        data = conn.recv(4096)
        if not data:
            return None
        head += data
        if len(head) > 65536:
            return None
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    method, path = (line.split(" ") + ["", ""])[:2]
    return Request(method, path, head)


# -- behaviours -----------------------------------------------------------------------------------


def slow_headers(conn, request, server) -> None:
    """A status line, then headers at one byte a second, never finishing."""
    server.send(conn, b"HTTP/1.1 200 OK\r\n")
    server.trickle(conn, b"X-Slow: " + b"a" * 10_000, 1.0)


def slow_tls(conn, request, server) -> None:
    """A TLS handshake that never ends: a record header promising 16 KB, then one byte every half second."""
    conn.recv(65536)  # the ClientHello
    server.trickle(conn, b"\x16\x03\x03\x40\x00" + b"\x02" * 16384, 0.5)


def endless_chunked(conn, request, server) -> bool:
    """HEAD refused; GET answered with ``Content-Length: 0`` and an endless chunked body."""
    if request.method == "HEAD":
        return server.send(conn, b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
    server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n"
                      b"Content-Type: text/html\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    ends = time.monotonic() + MAX_LIFE
    while time.monotonic() < ends and server.send(conn, chunk):
        pass
    return False


_ZEROS = bytes(1 << 20)


def gzip_bomb(framing: str, limit: int = 400_000) -> Behaviour:
    """HEAD refused; GET answered with a gzip stream of zeros (about 1,000 times its size once inflated).

    ``framing`` is how the body is announced: ``empty`` (``Content-Length: 0``, then the bytes anyway),
    ``chunked`` (``Content-Length: 0`` and chunked) or ``close`` (no length: until the connection closes).
    At most ``limit`` compressed bytes are sent (about 400 MB inflated), so a checker that inflates the
    body shows in its memory use without exhausting the machine.
    """

    def behaviour(conn, request, server) -> bool:
        if request.method == "HEAD":
            return server.send(conn, b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        headers = {"empty": b"Content-Length: 0\r\n", "close": b"Connection: close\r\n",
                   "chunked": b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"}[framing]
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n"
                    + headers + b"\r\n")
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        sent = 0
        while sent < limit:
            piece = packer.compress(_ZEROS) + packer.flush(zlib.Z_SYNC_FLUSH)
            data = b"%x\r\n%s\r\n" % (len(piece), piece) if framing == "chunked" else piece
            if not server.send(conn, data):
                return False
            sent += len(piece)
        server.stop.wait(MAX_LIFE)  # hold the connection open: the client must not wait for the end
        return False

    return behaviour


def raw_answer(data: bytes) -> Behaviour:
    """Answer every request with ``data`` as it is, then close."""

    def behaviour(conn, request, server) -> bool:
        server.send(conn, data)
        return False

    return behaviour


def endless_continue(conn, request, server) -> bool:
    """``100 Continue`` interim answers, one after another, for ever."""
    ends = time.monotonic() + MAX_LIFE
    while time.monotonic() < ends and server.send(conn, b"HTTP/1.1 100 Continue\r\n\r\n" * 64):
        pass
    return False


def redirect_to(location: str) -> Behaviour:
    """``302 Found`` to ``location``, sent verbatim."""

    def behaviour(conn, request, server) -> bool:
        return server.send(conn, b"HTTP/1.1 302 Found\r\nLocation: " + location.encode("latin-1")
                           + b"\r\nContent-Length: 0\r\n\r\n")

    return behaviour


def redirect_with_bomb(target: str, limit: int = 400_000) -> Behaviour:
    """HEAD refused; GET answered with ``301`` to ``target`` and a chunked gzip body of zeros that never
    ends (about 1,000 times its size once inflated); ``target`` itself answers 200 with no body."""

    def behaviour(conn, request, server) -> bool:
        if request.method == "HEAD":
            return server.send(conn, b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        if request.path == target:
            return server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        server.send(conn, b"HTTP/1.1 301 Moved Permanently\r\nLocation: " + target.encode() +
                    b"\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        sent = 0
        while sent < limit:
            piece = packer.compress(_ZEROS) + packer.flush(zlib.Z_SYNC_FLUSH)
            if not server.send(conn, b"%x\r\n%s\r\n" % (len(piece), piece)):
                return False
            sent += len(piece)
        server.stop.wait(MAX_LIFE)  # hold the connection open: the client must not wait for the end
        return False

    return behaviour
