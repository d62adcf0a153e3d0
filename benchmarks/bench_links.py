"""Benchmark the link checker: N URLs over H loopback hosts answering after L ms, beside LinkChecker.

    .venv/bin/python benchmarks/bench_links.py [--urls 1000] [--hosts 20] [--latency-ms 100]

The servers run in a separate process (so they do not compete with the
checker for the GIL) on 127.0.0.2, 127.0.0.3, …, and count every request and
the most requests each host had in flight at once. The floor is the time the
concurrency limits allow at best: max(N·L / global limit, (N/H)·L / per-host
limit). Exit status 1 when a host saw more than the per-host limit or a link
was not reported ok (correctness); timing targets are reported, not enforced,
since a busy machine can miss them.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.links import Link, LinksConfig, LinkStatus, Source, check  # noqa: E402


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: dict[str, int] = {}
        self.active: dict[str, int] = {}
        self.peak: dict[str, int] = {}


def _serve(hosts: list[str], latency: float, ready, control_port) -> None:
    """The server process: one threaded HTTP/1.1 server per host, plus a control server for the stats."""
    stats = _Stats()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _answer(self) -> None:
            host = self.server.server_address[0]
            with stats.lock:
                stats.requests[host] = stats.requests.get(host, 0) + 1
                stats.active[host] = stats.active.get(host, 0) + 1
                stats.peak[host] = max(stats.peak.get(host, 0), stats.active[host])
            time.sleep(latency)
            # Done before answering: the client may send its next request as soon as it has the
            # headers, before this thread runs again, which would count one request too many.
            with stats.lock:
                stats.active[host] -= 1
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        do_GET = do_HEAD = _answer

    class Control(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            with stats.lock:
                body = json.dumps({"requests": stats.requests, "peak": stats.peak}).encode()
                if self.path == "/reset":
                    stats.reset()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

        def handle_error(self, request, client_address) -> None:
            pass

    ports = []
    for host in hosts:
        server = Server((host, 0), Handler)
        ports.append(server.server_address[1])
        threading.Thread(target=server.serve_forever, daemon=True).start()
    control = Server(("127.0.0.1", 0), Control)
    control_port.value = control.server_address[1]
    ready.put(ports)
    control.serve_forever()


def _control(port: int, path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.loads(response.read())


def _run_ours(urls: list[str], config: LinksConfig) -> tuple[float, list]:
    links = [Link(url, [Source("bench", i)]) for i, url in enumerate(urls, start=1)]
    started = time.perf_counter()
    results, _ = check(links, config)
    return time.perf_counter() - started, results


def _run_linkchecker(urls: list[str]) -> tuple[float, int] | None:
    """LinkChecker with its defaults on the same URLs: (seconds, valid results)."""
    binary = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or shutil.which("linkchecker")
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        # LinkChecker drops root privileges to 'nobody': its files must be readable by anyone.
        os.chmod(tmp, 0o755)
        started = time.perf_counter()
        done = subprocess.run([binary, "--no-status", "-o", "csv", *urls], capture_output=True, text=True,
                              cwd=tmp, check=False)
        elapsed = time.perf_counter() - started
    rows = [line for line in done.stdout.splitlines() if line and not line.startswith("#")]
    valid = sum(1 for row in rows[1:] if ";True;" in row)
    return elapsed, valid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not 1 <= args.hosts <= 250:
        parser.error("--hosts must be between 1 and 250 (addresses 127.0.0.2 to 127.0.0.251)")

    hosts = [f"127.0.0.{2 + i}" for i in range(args.hosts)]
    latency = args.latency_ms / 1000
    ready: multiprocessing.Queue = multiprocessing.Queue()
    control_port = multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=_serve, args=(hosts, latency, ready, control_port), daemon=True)
    server.start()
    try:
        ports = ready.get(timeout=30)
        urls = [f"http://{hosts[i % args.hosts]}:{ports[i % args.hosts]}/page/{i}" for i in range(args.urls)]
        config = LinksConfig()  # the defaults: 32 in flight, 4 per host
        floor = max(args.urls * latency / config.max_concurrency,
                    math.ceil(args.urls / args.hosts) * latency / config.max_per_host)

        _control(control_port.value, "/reset")
        ours, results = _run_ours(urls, config)
        ours_stats = _control(control_port.value, "/reset")
        ok = sum(1 for r in results if r.status is LinkStatus.OK)

        theirs = None if args.skip_linkchecker else _run_linkchecker(urls)
        their_stats = _control(control_port.value, "/reset")
    finally:
        server.terminate()
        server.join(5)

    figures = {
        "urls": args.urls, "hosts": args.hosts, "latency_ms": args.latency_ms,
        "limits": {"global": config.max_concurrency, "per_host": config.max_per_host},
        "floor_s": round(floor, 3),
        "hub": {"seconds": round(ours, 3), "ratio_to_floor": round(ours / floor, 3),
                "requests": sum(ours_stats["requests"].values()), "ok": ok,
                "peak_per_host": max(ours_stats["peak"].values(), default=0)},
    }
    if theirs is not None:
        figures["linkchecker"] = {"seconds": round(theirs[0], 3), "valid": theirs[1],
                                  "requests": sum(their_stats["requests"].values()),
                                  "peak_per_host": max(their_stats["peak"].values(), default=0)}
        figures["hub"]["speedup_vs_linkchecker"] = round(theirs[0] / ours, 2)

    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures)
    correct = ok == args.urls and figures["hub"]["peak_per_host"] <= config.max_per_host
    return 0 if correct else 1


def _print(f: dict) -> None:
    hub = f["hub"]
    print(f"{f['urls']} URLs over {f['hosts']} hosts answering after {f['latency_ms']} ms; "
          f"limits {f['limits']['global']} in flight, {f['limits']['per_host']} per host; floor {f['floor_s']:.2f} s")
    print(f"{'':12} {'time':>8} {'requests':>9} {'peak/host':>10} {'ok':>6}")
    print(f"{'hub':12} {hub['seconds']:>7.2f}s {hub['requests']:>9} {hub['peak_per_host']:>10} {hub['ok']:>6}")
    lc = f.get("linkchecker")
    if lc:
        print(f"{'linkchecker':12} {lc['seconds']:>7.2f}s {lc['requests']:>9} {lc['peak_per_host']:>10} {lc['valid']:>6}")
    marks = {True: "✔", False: "✘"}
    print(f"{marks[hub['ratio_to_floor'] <= 1.3]} {hub['ratio_to_floor']:.2f}× the floor (target ≤ 1.3×)")
    if lc:
        print(f"{marks[hub['speedup_vs_linkchecker'] >= 5]} {hub['speedup_vs_linkchecker']:.1f}× faster than "
              "LinkChecker (target ≥ 5×)")
    print(f"{marks[hub['peak_per_host'] <= f['limits']['per_host']]} peak per host {hub['peak_per_host']} "
          f"(limit {f['limits']['per_host']})")


if __name__ == "__main__":
    sys.exit(main())
