"""Real HTTP servers on loopback addresses for the link checker's tests (no mocked sessions).

`link_server` serves one route per rule on 127.0.0.1 (see `server.LinkServer`);
`make_server` starts more on 127.0.0.2, 127.0.0.3… (all of 127.0.0.0/8 is
loopback on Linux, no setup needed).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import Gauge, LinkServer


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    server = LinkServer()
    yield server
    server.close()


@pytest.fixture
def make_server() -> Iterator:
    """Start servers on other loopback addresses: ``make_server("127.0.0.2")``."""
    started: list[LinkServer] = []

    def start(host: str = "127.0.0.1", tls: bool = False, gauge: Gauge | None = None) -> LinkServer:
        server = LinkServer(host, tls, gauge)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
