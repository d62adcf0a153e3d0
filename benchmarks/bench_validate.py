"""`hub validate` on the real data against a bare program that imports pydantic, yaml and click and validates one model.

The bare program is the floor any Python validator of YAML with pydantic
pays (interpreter start, the three imports, one model built and used); the
target (issue 12) is at most 1.5× it. The two commands run in pairs, their
order swapped each round (ABBA), each in a fresh process, and the ratio is
taken pair by pair, so a drift in the machine's speed counts against both
alike; medians are reported. `--compare DIR` runs another checkout's hub in
the same rounds (for a before-and-after figure).

Both run with Python's bytecode cache on, as on an editor's machine: this
workplace sets PYTHONDONTWRITEBYTECODE, which would make every run of the hub
compile its own modules from source while the bare program's libraries come
precompiled from the installation. One uncounted run of each writes the
cache.

    .venv/bin/python benchmarks/bench_validate.py [--rounds 15] [--compare ../before]
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


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `cmd`."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env or ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="another checkout whose hub/ also runs, on this checkout's data, in the same rounds")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BARE)
    commands = {"hub validate (real data)": ([sys.executable, "-m", "hub", "validate"], ENV),
                "bare pydantic + yaml + click": ([sys.executable, handle.name], ENV)}
    if args.compare:
        other = dict(ENV, PYTHONPATH=str(args.compare.resolve()))
        commands["hub validate, --compare checkout"] = (
            [sys.executable, "-m", "hub", "validate", "--data", str(ROOT / "data")], other)
    names = list(commands)
    try:
        for cmd, env in commands.values():
            timed(cmd, env)  # write the bytecode cache and warm the file cache, not counted
        rows = []
        for round_ in range(args.rounds):
            order = names if round_ % 2 == 0 else names[::-1]
            rows.append({name: timed(*commands[name]) for name in order})
    finally:
        os.unlink(handle.name)
    hub, bare = names[0], names[1]
    print(f"{args.rounds} paired rounds, order swapped each round ({os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at the end)")
    print("| | wall, median | range | CPU, median |\n|---|---:|---:|---:|")
    for name in names:
        wall = [row[name][0] for row in rows]
        cpu = [row[name][1] for row in rows]
        print(f"| {name} | {statistics.median(wall):.3f} s | {min(wall):.3f}–{max(wall):.3f} s | "
              f"{statistics.median(cpu):.3f} s |")
    for name in names:
        if name == bare:
            continue
        wall_ratio = statistics.median(row[name][0] / row[bare][0] for row in rows)
        cpu_ratio = statistics.median(row[name][1] / row[bare][1] for row in rows)
        print(f"paired ratio {name} / bare: wall {wall_ratio:.2f}×, CPU {cpu_ratio:.2f}×"
              + (" (target ≤ 1.5×)" if name == hub else ""))


if __name__ == "__main__":
    main()
