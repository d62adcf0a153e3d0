"""What went wrong with a request, in words: ``(kind, message)`` pairs that `classify` reads."""

from __future__ import annotations

import email.utils
import errno
import http.client
import re
import socket
import ssl
from datetime import UTC, datetime

from urllib3.exceptions import ConnectTimeoutError, LocationValueError, NewConnectionError, ReadTimeoutError
from urllib3.exceptions import SSLError as TLSError


def describe_error(exc: BaseException) -> tuple[str, str]:
    """(kind, message) for a failed request; kinds are read by `classify`."""
    causes = list(_causes(exc))
    if any(isinstance(c, (ssl.SSLError, TLSError)) for c in causes):
        reason = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
        text = reason.verify_message if reason is not None and reason.verify_message else _last_words(exc)
        return "tls", f"invalid TLS certificate: {text}"
    if any(isinstance(c, (socket.timeout, TimeoutError, ReadTimeoutError))
           or (isinstance(c, ConnectTimeoutError) and not isinstance(c, NewConnectionError)) for c in causes):
        return "timeout", "timed out"
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return "dns", "name not found: the host name does not exist in DNS"
            return "dns-temporary", f"the name could not be looked up ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return "refused", "connection refused: nothing is listening at this address"
    if type(exc).__name__ == "NameResolutionError" or any(type(c).__name__ == "NameResolutionError" for c in causes):
        return "dns-temporary", "the name could not be looked up"
    # RemoteDisconnected is also a BadStatusLine, but a dropped connection is no answer at all.
    garbled = next((c for c in causes if isinstance(c, http.client.HTTPException)
                    and not isinstance(c, ConnectionError)), None)
    if garbled is not None:
        return "protocol", f"the server's answer is not valid HTTP ({_protocol_words(garbled)})"
    if isinstance(exc, LocationValueError):
        return "invalid-url", f"not a valid address: {_last_words(exc)}"
    return "connection", f"the connection failed without an answer ({_last_words(exc)})"


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _protocol_words(exc: http.client.HTTPException) -> str:
    if isinstance(exc, http.client.LineTooLong):
        return f"a {exc.args[0] if exc.args else 'line'} longer than {http.client._MAXLINE:,} bytes"
    if isinstance(exc, http.client.BadStatusLine):
        return f"the status line is {str(exc.args[0] if exc.args else '').strip()[:80]!r}"
    if isinstance(exc, http.client.UnknownProtocol):
        return f"unknown protocol {str(exc.args[0] if exc.args else '')[:40]!r}"
    return str(exc)[:200].removeprefix("got ")


def _causes(exc: BaseException):
    """Every exception wrapped inside ``exc`` (urllib3 → http.client → socket)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        context = None if current.__suppress_context__ else current.__context__  # `raise … from None`
        for nested in (current.__cause__, context, getattr(current, "reason", None),
                       *[a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]):
            if isinstance(nested, BaseException):
                stack.append(nested)


def _last_words(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(r"\(Caused by \w+\((.*)\)\)\s*$", text)
    if match:
        text = match.group(1)
    return text.strip("'\" ")[:200]
