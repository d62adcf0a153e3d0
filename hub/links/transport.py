"""The HTTP transport's limits: a wall-clock deadline for each request, and caps on what is read.

Socket timeouts bound each read, not a request: a server that sends its
status line and then one header byte a second never trips a 20 s read
timeout, and held a run with ``deadline: 5`` for 90 s (issue 16). So every
request runs under a `Guard` with its link's deadline, and one `Watchdog`
thread per checker shuts down the sockets of any request still running when
its deadline passes (``shutdown(SHUT_RDWR)`` wakes a thread blocked in
``recv``, in a TLS handshake or in ``send``). The connection classes
installed by `GuardedAdapter` hand each socket to the guard of the request
that uses it, as soon as it is connected (before TLS) or taken from the pool.

The guard keeps a duplicate of each socket's descriptor (`socket.fromfd`)
and closes it itself when the request ends: shutting down a descriptor
number that urllib3 has meanwhile closed and the kernel reused for another
connection cannot happen.

Not covered: the name lookup (``getaddrinfo`` cannot be interrupted) and
each ``connect()`` attempt, which is bounded by the connect timeout, itself
capped by the time left when the request starts.

Memory: the status line and headers together may be at most
`MAX_HEADER_BYTES`, and a body is read only when the server declares it
empty, at most `MAX_BODY_BYTES` and never decoded, so neither an endless
chunked body nor a gzip bomb is ever inflated.
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_HEADER_BYTES = 256 * 1024
"""The status line and headers of one answer, 1xx interim answers included (Chrome's limit too)."""
MAX_BODY_BYTES = 8 * 1024
"""The most body bytes ever read from one answer, and only from an answer declared empty."""

_local = threading.local()


class Guard:
    """One request's deadline and the sockets it uses; `expire` cuts them."""

    __slots__ = ("deadline", "expired", "_sockets", "_lock", "_done")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        """Whether the watchdog cut this request: whatever was read since is not an answer."""
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = False

    def attach(self, sock: socket.socket) -> None:
        """Watch ``sock`` (through a duplicate descriptor) until the request ends."""
        try:
            watched = socket.fromfd(sock.fileno(), sock.family, sock.type)
        except OSError:
            return  # already closed: nothing to cut
        with self._lock:
            if not self.expired and not self._done:
                self._sockets.append(watched)
                return
        _cut(watched)  # the deadline passed while this socket was being connected
        watched.close()

    def expire(self) -> None:
        """The deadline has passed: shut every socket down, so blocked reads and writes return."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            for watched in self._sockets:
                _cut(watched)

    def release(self) -> None:
        with self._lock:
            self._done = True
            watched, self._sockets = self._sockets, []
        for sock in watched:
            sock.close()


def _cut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # not connected any more


class Watchdog:
    """One thread that expires guards at their deadlines; started on first use, stopped by `close`."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Guard]] = []
        self._seq = itertools.count()
        self._live = 0
        self._thread: threading.Thread | None = None
        self._closed = False

    @contextmanager
    def guard(self, deadline: float) -> Iterator[Guard]:
        """Run the block's requests (in this thread) under ``deadline``, a `time.monotonic` value."""
        guard = Guard(deadline)
        with self._cond:
            if self._closed:
                raise RuntimeError("the watchdog is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="linkcheck-deadline", daemon=True)
                self._thread.start()
            heapq.heappush(self._heap, (deadline, next(self._seq), guard))
            self._live += 1
            if self._heap[0][2] is guard:
                self._cond.notify()  # the earliest deadline changed
        previous = getattr(_local, "guard", None)
        _local.guard = guard
        try:
            yield guard
        finally:
            _local.guard = previous
            guard.release()
            with self._cond:
                self._live -= 1
                # Finished guards wait in the heap until their deadline; drop them before they pile up.
                if len(self._heap) > 64 + 2 * self._live:
                    self._heap = [entry for entry in self._heap if not entry[2]._done]
                    heapq.heapify(self._heap)

    def close(self) -> None:
        """Stop the thread (requests still running keep their sockets uncut)."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _watch(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        return
                    now = time.monotonic()
                    if self._heap and self._heap[0][0] <= now:
                        break
                    self._cond.wait(self._heap[0][0] - now if self._heap else None)
                due = []
                while self._heap and self._heap[0][0] <= now:
                    due.append(heapq.heappop(self._heap)[2])
            for guard in due:
                guard.expire()


def current_guard() -> Guard | None:
    """The guard of the request running in this thread, if any."""
    return getattr(_local, "guard", None)


class _HeaderBudget:
    """The response's file while the status line and headers are read: at most `MAX_HEADER_BYTES`."""

    def __init__(self, fp) -> None:
        self._fp = fp
        self.left = MAX_HEADER_BYTES

    def readline(self, size: int = -1) -> bytes:
        if self.left <= 0:
            raise http.client.HTTPException(f"the headers are longer than {MAX_HEADER_BYTES:,} bytes")
        line = self._fp.readline(self.left + 1 if size < 0 else min(size, self.left + 1))
        self.left -= len(line)
        if self.left < 0:
            raise http.client.HTTPException(f"the headers are longer than {MAX_HEADER_BYTES:,} bytes")
        return line

    def __getattr__(self, name: str):
        return getattr(self._fp, name)


class _Response(http.client.HTTPResponse):
    """`http.client.HTTPResponse` reading at most `MAX_HEADER_BYTES` before the body."""

    def begin(self) -> None:
        fp = self.fp
        budget = _HeaderBudget(fp)
        self.fp = budget
        try:
            super().begin()
        finally:
            if self.fp is budget:  # http.client sets fp to None when it gives up on the connection
                self.fp = fp


class _GuardedHTTPConnection(HTTPConnection):
    response_class = _Response

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        guard = current_guard()
        if guard is not None:
            guard.attach(sock)  # before TLS and any proxy tunnel, so the handshake is covered too
        return sock

    def request(self, *args, **kwargs) -> None:
        guard = current_guard()
        if guard is not None and self.sock is not None:  # a connection reused from the pool
            guard.attach(self.sock)
        super().request(*args, **kwargs)


class _GuardedHTTPSConnection(_GuardedHTTPConnection, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


_POOLS = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """requests' adapter with connections that obey the `Guard` of the request using them."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools have their own connection classes
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def finish(response: requests.Response, declared_empty: bool) -> None:
    """Release ``response``: its connection goes back to the pool only if nothing is left to read.

    An answer declared empty (HEAD, 204, 304, ``Content-Length: 0`` without
    chunking) is read to its end, at most `MAX_BODY_BYTES` and undecoded,
    whatever the server sends after it; any other body is not read at all, and
    closing it drops the connection (cheaper than downloading a page).
    """
    if declared_empty:
        try:
            response.raw.read(MAX_BODY_BYTES, decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError, http.client.HTTPException):
            pass  # the answer is already known; the connection is dropped below
    response.close()
