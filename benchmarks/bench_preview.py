"""Save → reload in the preview: how long after a data file is saved the served page shows the change.

Runs `python -m hub serve` on a copy of the project (the real data, content
and theme), then, round after round, saves `data/resources.yaml` with one
resource's title changed and polls the page that shows it (every 10 ms)
until the new title is served; the yardstick, in the same rounds, is the
same save → served time for a hand-written page (`content/about.md`), which
MkDocs rebuilds the same way but without the catalogue. Medians of paired
rounds; target (issue 15): at most 1.0 s median for the data file.

    .venv/bin/python benchmarks/bench_preview.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def until_served(url: str, text: str, timeout: float = 30) -> float:
    """Seconds until `url` serves a page containing `text`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if text in get(url):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"{url} never showed {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project)
        for name in ("content", "overrides", "data"):
            shutil.copytree(ROOT / name, project / name)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--port", str(port)], cwd=project,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    get(base)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the preview did not start") from None
                    time.sleep(0.2)
            resources = project / "data" / "resources.yaml"
            about = project / "content" / "about.md"
            data_text, about_text = resources.read_text(encoding="utf-8"), about.read_text(encoding="utf-8")
            title = re.search(r"^    title: (.+)$", data_text.split("\nresources:\n", 1)[1], re.M).group(1)
            data_s, content_s = [], []
            for round_ in range(args.rounds):
                marker = f"Benchmark title {round_}"
                resources.write_text(data_text.replace(f"    title: {title}\n", f"    title: {marker}\n", 1),
                                     encoding="utf-8")
                data_s.append(until_served(base + "browse/", marker))
                time.sleep(0.3)
                marker = f"Benchmark sentence {round_}"
                about.write_text(about_text + f"\n{marker}\n", encoding="utf-8")
                content_s.append(until_served(base + "about/", marker))
                time.sleep(0.3)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ratio = statistics.median(d / c for d, c in zip(data_s, content_s, strict=True))
    print(f"{args.rounds} rounds, real data ({os.cpu_count()} CPUs)")
    print("| save → served | median | range |\n|---|---:|---:|")
    print(f"| data/resources.yaml (Browse all) | {statistics.median(data_s):.2f} s | "
          f"{min(data_s):.2f}–{max(data_s):.2f} s |")
    print(f"| content/about.md (MkDocs alone) | {statistics.median(content_s):.2f} s | "
          f"{min(content_s):.2f}–{max(content_s):.2f} s |")
    print(f"paired ratio data / content: {ratio:.2f}×; target: data ≤ 1.0 s median")


if __name__ == "__main__":
    main()
