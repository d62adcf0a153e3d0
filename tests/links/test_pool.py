"""The worker pool on its own: limits, pauses and errors, without any network."""

from __future__ import annotations

import threading
import time

import pytest

from hub.links.pool import HostPool


class Tracker:
    """Counts jobs in flight per host and overall."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.total = self.total_peak = 0
        self.started: dict[str, list[float]] = {}

    def job(self, item: tuple[str, float]) -> None:
        host, seconds = item
        with self.lock:
            self.active[host] = self.active.get(host, 0) + 1
            self.peak[host] = max(self.peak.get(host, 0), self.active[host])
            self.total += 1
            self.total_peak = max(self.total_peak, self.total)
            self.started.setdefault(host, []).append(time.monotonic())
        time.sleep(seconds)
        with self.lock:
            self.active[host] -= 1
            self.total -= 1


def test_limits_hold_with_one_host_holding_most_of_the_work():
    tracker = Tracker()
    items = [("big", 0.01)] * 40 + [(f"small{i}", 0.01) for i in range(20)]
    pool: HostPool = HostPool(6, lambda host: 3 if host == "big" else 1)
    pool.run(((host, (host, s)) for host, s in items), tracker.job)
    assert sum(len(v) for v in tracker.started.values()) == 60
    assert tracker.peak["big"] == 3
    assert max(v for k, v in tracker.peak.items() if k != "big") == 1
    assert tracker.total_peak <= 6
    assert pool.peaks()["big"] == 3


def test_a_paused_host_starts_nothing_until_the_pause_ends():
    tracker = Tracker()
    pool: HostPool = HostPool(4, lambda host: 1)  # one at a time, so the pause comes before the rest

    def job(item):
        tracker.job(item)
        if len(tracker.started["slow-down"]) == 1:
            pool.pause("slow-down", 0.3)

    pool.run((("slow-down", ("slow-down", 0)) for _ in range(3)), job)
    first, *later = tracker.started["slow-down"]
    assert all(t - first >= 0.29 for t in later)


def test_an_error_in_a_job_stops_the_run_and_is_raised():
    done = []

    def job(n: int) -> None:
        if n == 3:
            raise RuntimeError("bug")
        done.append(n)

    with pytest.raises(RuntimeError, match="bug"):
        HostPool(1, lambda host: 1).run((("h", n) for n in range(10)), job)
    assert done == [0, 1, 2]
