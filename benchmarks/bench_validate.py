"""`hub validate` on the real data against a bare program that imports pydantic, yaml and click and validates one model.

The bare program is the floor any Python validator of YAML with pydantic
pays (interpreter start, the three imports, one model built and used); the
target (issue 12) is at most 1.5× it. The two commands run in turn, A B A B…,
each in a fresh process, and the ratio is taken pair by pair, so a drift in
the machine's speed counts against both alike; medians are reported.

    .venv/bin/python benchmarks/bench_validate.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = '''
import click, pydantic, yaml

class Record(pydantic.BaseModel):
    id: str
    title: str
    year: int

Record.model_validate(yaml.safe_load("id: a\\ntitle: b\\nyear: 2022\\n"))
click.echo("ok")
'''


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `cmd`."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BARE)
    hub = [sys.executable, "-m", "hub", "validate"]
    bare = [sys.executable, handle.name]
    try:
        timed(hub), timed(bare)  # warm the file cache, not counted
        rows = [(timed(hub), timed(bare)) for _ in range(args.rounds)]
    finally:
        os.unlink(handle.name)
    hub_wall = [h[0] for h, _ in rows]
    bare_wall = [b[0] for _, b in rows]
    wall_ratio = statistics.median(h[0] / b[0] for h, b in rows)
    cpu_ratio = statistics.median(h[1] / b[1] for h, b in rows)
    print(f"{args.rounds} paired rounds ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print("| | wall, median | range |\n|---|---:|---:|")
    print(f"| hub validate (real data) | {statistics.median(hub_wall):.3f} s | "
          f"{min(hub_wall):.3f}–{max(hub_wall):.3f} s |")
    print(f"| bare pydantic + yaml + click | {statistics.median(bare_wall):.3f} s | "
          f"{min(bare_wall):.3f}–{max(bare_wall):.3f} s |")
    print(f"paired ratio hub / bare: wall {wall_ratio:.2f}×, CPU {cpu_ratio:.2f}× (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
