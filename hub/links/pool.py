"""Run jobs on a fixed set of worker threads with a global limit and a per-host limit.

Why not ThreadPoolExecutor plus a semaphore per host: a worker that takes a
job for a host already at its limit blocks on that host's semaphore while
jobs for idle hosts wait behind it. When one host holds most of the links
(a catalogue full of nhs.uk pages), that serialises the whole run. Here a
worker only ever takes a job whose host has a free slot, so the global limit
is always spent on hosts that can take more work. Hosts can also be paused
(a 429 with Retry-After) without tying up a worker.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Host:
    limit: int
    active: int = 0
    peak: int = 0
    not_before: float = 0.0


class HostPool(Generic[T]):
    """Hand out queued items so that no host ever has more than its limit in flight."""

    def __init__(self, workers: int, host_limit: Callable[[str], int]) -> None:
        self.workers = max(1, workers)
        self._host_limit = host_limit
        self._cond = threading.Condition()
        self._queues: dict[str, deque[T]] = {}
        self._hosts: dict[str, _Host] = {}
        self._order: list[str] = []
        self._pending = 0

    def pause(self, host: str, seconds: float) -> None:
        """Start no new job for ``host`` for ``seconds`` (a server asked to slow down)."""
        with self._cond:
            state = self._hosts.get(host)
            if state is not None:
                state.not_before = max(state.not_before, time.monotonic() + seconds)

    def peaks(self) -> dict[str, int]:
        """The most jobs each host ever had in flight at once."""
        return {host: state.peak for host, state in self._hosts.items()}

    def run(self, items: Iterable[tuple[str, T]], job: Callable[[T], None]) -> None:
        """Call ``job(item)`` for every ``(host, item)``; returns when all are done, re-raising the first error."""
        with self._cond:
            for host, item in items:
                if host not in self._hosts:
                    self._hosts[host] = _Host(max(1, self._host_limit(host)))
                    self._queues[host] = deque()
                self._queues[host].append(item)
                self._pending += 1
            # Hosts with the most work first (longest job first): they set the length of the run.
            self._order = sorted((h for h in self._queues if self._queues[h]), key=lambda h: -len(self._queues[h]))
        workers = min(self.workers, self._pending)
        if workers == 0:
            return
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
            futures = [pool.submit(self._work, job) for _ in range(workers)]
            errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error

    def _work(self, job: Callable[[T], None]) -> None:
        while True:
            taken = self._take()
            if taken is None:
                return
            host, item = taken
            try:
                job(item)
            except BaseException:
                self._abandon()
                raise
            finally:
                self._release(host)

    def _take(self) -> tuple[str, T] | None:
        """The next item whose host is free and not paused; None when nothing is left."""
        with self._cond:
            while True:
                if self._pending == 0:
                    return None
                now = time.monotonic()
                wake = None
                for host in self._order:
                    queue, state = self._queues[host], self._hosts[host]
                    if state.active >= state.limit:
                        continue
                    if state.not_before > now:
                        wake = state.not_before if wake is None else min(wake, state.not_before)
                        continue
                    state.active += 1
                    state.peak = max(state.peak, state.active)
                    self._pending -= 1
                    item = queue.popleft()
                    if not queue:
                        self._order.remove(host)
                    if self._pending == 0:
                        self._cond.notify_all()  # idle workers can stop now
                    return host, item
                self._cond.wait(None if wake is None else max(0.0, wake - now))

    def _release(self, host: str) -> None:
        with self._cond:
            self._hosts[host].active -= 1
            # One slot freed means one more job can start: wake one worker, not all of them.
            self._cond.notify()

    def _abandon(self) -> None:
        """After a job raised: drop the queue so that every worker stops soon."""
        with self._cond:
            for queue in self._queues.values():
                queue.clear()
            self._order.clear()
            self._pending = 0
            self._cond.notify_all()
