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
empty, or declares a redirect's body at most `MAX_BODY_BYTES` long, at most
`MAX_BODY_BYTES` and never decoded, so neither an endless chunked body nor a
gzip bomb is ever inflated.

The requests go straight to urllib3 (`Client`), as requests sent them:
the same headers, the session's cookies, the environment's proxies, the CA
bundle and the same single attempt. requests itself took about 25 ms of the
start-up and more than half of the CPU time of each request (merging
settings, preparing, hooks), and, asked not to follow a redirect, it still
read and decoded the whole body of every redirect answer. It is imported
only where a proxy variable is set, for its reading of the proxy settings.
"""

# Longer than 450 lines because the deadline guard, the connection classes that register each socket
# with it and the header and body caps must see each other's internals; split, they would import each other.

from __future__ import annotations

import base64
import heapq
import http.client
import itertools
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote

import urllib3
from urllib3 import HTTPResponse, PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import Retry, Timeout, make_headers

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


REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})

_ONE_ATTEMPT = Retry(0, read=False)
"""urllib3's retries off, as requests set them: a failed connection raises MaxRetryError, a failed read its own error."""

DEFAULT_HEADERS = {
    "User-Agent": f"python-urllib3/{urllib3.__version__}",
    "Accept-Encoding": ", ".join(re.split(r",\s*", make_headers(accept_encoding=True)["accept-encoding"])),
    "Accept": "*/*",
    "Connection": "keep-alive",
}
"""What requests sent with every request (its default headers); the checker overrides User-Agent and Accept."""


class DeadlinePassed(TimeoutError):
    """The link's deadline passed before or during a request (`errors` calls it a timeout)."""


class Client:
    """Sends one request at a time per call: urllib3 pools of guarded connections, shared by the worker threads.

    What requests' session did for the checker, and nothing more: its
    headers, a cookie jar kept for the run, the environment's proxy for
    each address (`environ_proxy`), HTTPS verified against ``ca_bundle``
    (certifi's bundle by default) and one attempt per call.
    """

    def __init__(self, headers: dict[str, str], maxsize: int, ca_bundle: str | None = None) -> None:
        self.headers = {**DEFAULT_HEADERS, **headers}
        self._pool_kw = {"num_pools": 256, "maxsize": maxsize, "block": False}
        self._ca_bundle = ca_bundle
        self._tls: dict | None = None
        self._direct = PoolManager(**self._pool_kw)
        self._direct.pool_classes_by_scheme = dict(_POOLS)
        self._proxied: dict[str, PoolManager] = {}
        self._lock = threading.Lock()
        self._jar = None
        """An `http.cookiejar.CookieJar`, made when the first answer sets a cookie."""

    def request(self, method: str, url: str, scheme: str, host: str, port: int, timeout: Timeout,
                proxy: str | None = None) -> HTTPResponse:
        """``method`` ``url`` (in normal form), its headers only (read the body with `finish`); urllib3's errors."""
        url = requote(url)
        manager = self._direct if proxy is None else self._proxy_manager(proxy)
        pool = manager.connection_from_host(host.strip("[]"), port, scheme,
                                            pool_kwargs=self._tls_settings() if scheme == "https" else None)
        headers = self.headers
        extra = self._extra_headers(url)
        if extra:
            headers = {**headers, **extra}
        if proxy is not None and scheme == "http" and not proxy.lower().startswith("socks"):
            target = _without_auth(url)  # a plain-HTTP proxy is sent the whole address
        else:
            target = _path(url)
        response = pool.urlopen(method, target, body=None, headers=headers, redirect=False, assert_same_host=False,
                                preload_content=False, decode_content=False, retries=_ONE_ATTEMPT,
                                timeout=timeout, chunked=False)
        if "Set-Cookie" in response.headers or "Set-Cookie2" in response.headers:
            self._keep_cookies(url, response)
        return response

    def close(self) -> None:
        self._direct.clear()
        for manager in self._proxied.values():
            manager.clear()

    def _tls_settings(self) -> dict:
        if self._tls is None:
            location = self._ca_bundle
            if not location:
                import certifi

                location = certifi.where()
            if not os.path.exists(location):  # a broken setting, not a broken link: the run stops (as before)
                raise CABundleMissing(f"Could not find a suitable TLS CA certificate bundle, invalid path: {location}")
            self._tls = {"cert_reqs": "CERT_REQUIRED",
                         "ca_cert_dir" if os.path.isdir(location) else "ca_certs": location}
        return self._tls

    def _extra_headers(self, url: str) -> dict[str, str] | None:
        """Authorization for ``user:password@`` in the address, and the Cookie header, as requests added them."""
        extra = None
        authority = url.split("//", 1)[1].split("/", 1)[0]
        if "@" in authority:
            user, _, password = authority.rsplit("@", 1)[0].partition(":")
            extra = {"Authorization": _basic_auth(unquote(user), unquote(password))}
        if self._jar is not None and len(self._jar):
            from urllib.request import Request

            probe = Request(url, origin_req_host=authority, unverifiable=True)
            self._jar.add_cookie_header(probe)
            cookie = probe.get_header("Cookie")
            if cookie:
                extra = {**(extra or {}), "Cookie": cookie}
        return extra

    def _keep_cookies(self, url: str, response: HTTPResponse) -> None:
        from urllib.request import Request

        if self._jar is None:
            from http.cookiejar import CookieJar

            with self._lock:
                if self._jar is None:
                    self._jar = CookieJar()
        authority = url.split("//", 1)[1].split("/", 1)[0]
        original = response._original_response  # the http.client answer, whose headers the jar reads
        if original is not None:
            self._jar.extract_cookies(_Headers(original.msg), Request(url, origin_req_host=authority, unverifiable=True))

    def _proxy_manager(self, proxy: str) -> PoolManager:
        manager = self._proxied.get(proxy)
        if manager is not None:
            return manager
        from requests.auth import _basic_auth_str
        from requests.utils import get_auth_from_url, prepend_scheme_if_needed

        with self._lock:
            manager = self._proxied.get(proxy)
            if manager is None:
                address = prepend_scheme_if_needed(proxy, "http")
                if not urllib3.util.parse_url(address).host:
                    raise InvalidProxyURL("Please check proxy URL. It is malformed and could be missing the host.")
                username, password = get_auth_from_url(address)
                if address.lower().startswith("socks"):
                    # SOCKS pools have their own connection classes, not guarded (as before).
                    try:
                        from urllib3.contrib.socks import SOCKSProxyManager
                    except ImportError:
                        raise InvalidProxyURL("Missing dependencies for SOCKS support.") from None

                    manager = SOCKSProxyManager(address, username=username, password=password, **self._pool_kw)
                else:
                    headers = {"Proxy-Authorization": _basic_auth_str(username, password)} if username else {}
                    manager = urllib3.ProxyManager(address, proxy_headers=headers, **self._pool_kw)
                    manager.pool_classes_by_scheme = dict(_POOLS)
                self._proxied[proxy] = manager
        return manager


class InvalidProxyURL(ValueError):
    """A proxy variable that names no host, or a SOCKS proxy without PySocks."""


class CABundleMissing(RuntimeError):
    """REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE names no file or folder."""


class _Headers:
    """An answer as `http.cookiejar` reads it."""

    def __init__(self, message) -> None:
        self._message = message

    def info(self):
        return self._message


def environ_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (honouring ``no_proxy``), or None: requests' rules, requests' code.

    On Linux the proxy settings are only environment variables, so without one
    requests is not even imported.
    """
    if sys.platform not in ("darwin", "win32") and not any(
            name.lower().endswith("_proxy") and name.lower() != "no_proxy" and value
            for name, value in os.environ.items()):
        return None
    from requests.utils import get_environ_proxies, select_proxy

    return select_proxy(url, get_environ_proxies(url)) or None


def redirect_target(response: HTTPResponse) -> str | None:
    """The Location of a redirect, read as UTF-8 where it is valid UTF-8 (http.client reads headers as Latin-1)."""
    if response.status not in REDIRECT_CODES:
        return None
    location = response.headers.get("Location")
    if location is None:
        return None
    raw = location.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:  # kept as Latin-1; `requote` escapes what is not ASCII
        return location


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = frozenset("0123456789abcdefABCDEF")


def requote(uri: str) -> str:
    """``uri`` as requests sent it: escapes of unreserved characters undone, what may not appear escaped."""
    if "%" not in uri and uri.isascii() and _PLAIN.fullmatch(uri):
        return uri
    parts = uri.split("%")
    for i in range(1, len(parts)):
        pair = parts[i][:2]
        if len(pair) == 2 and pair.isalnum():
            if not set(pair) <= _HEX:  # not an escape at all: escape nothing more, leave % as it is
                return quote(uri, safe="!#$&'()*+,/:;=?@[]~")
            char = chr(int(pair, 16))
            parts[i] = char + parts[i][2:] if char in _UNRESERVED else "%" + parts[i]
        else:
            parts[i] = "%" + parts[i]
    return quote("".join(parts), safe="!#$%&'()*+,/:;=?@[]~")


_PLAIN = re.compile(r"[A-Za-z0-9\-._~!#$&'()*+,/:;=?@\[\]]*")
"""Characters `requote` leaves as they are."""


def _path(url: str) -> str:
    """What follows the host: the path (at least '/') and the query."""
    rest = url.split("//", 1)[1]
    slash = rest.find("/")
    query = rest.find("?")
    if slash == -1 or (query != -1 and query < slash):
        return "/" + (rest[query:] if query != -1 else "")
    return rest[slash:]


def _without_auth(url: str) -> str:
    scheme, rest = url.split("//", 1)
    authority, slash, tail = rest.partition("/")
    return f"{scheme}//{authority.rsplit('@', 1)[-1]}{slash}{tail}"


def _basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("latin-1")).decode("ascii")


def finish(response: HTTPResponse, declared_empty: bool) -> None:
    """Release ``response``: its connection goes back to the pool only if nothing is left to read.

    An answer declared empty (HEAD, 204, 304, ``Content-Length: 0`` without
    chunking), or a redirect declaring a body of at most `MAX_BODY_BYTES`, is
    read to its end, at most `MAX_BODY_BYTES` and undecoded, whatever the
    server sends after it; any other body is not read at all, and closing it
    drops the connection (cheaper than downloading a page).
    """
    if declared_empty or (response.status in REDIRECT_CODES and _small_body(response.headers)):
        try:
            response.read(MAX_BODY_BYTES, decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError, http.client.HTTPException):
            pass  # the answer is already known; the connection is dropped below
    response.close()
    response.release_conn()


def _small_body(headers) -> bool:
    length = headers.get("Content-Length")
    return ("Transfer-Encoding" not in headers and length is not None and length.isdigit()
            and int(length) <= MAX_BODY_BYTES)
