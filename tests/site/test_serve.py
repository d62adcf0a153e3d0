"""`hub serve` as an editor uses it: a real server on 127.0.0.1, real saves, real requests.

While the data has errors the preview keeps answering (the last good site,
with a banner listing the problems at their lines); one save is one
rebuild; stopping it leaves nothing behind; a port in use is a sentence.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site.conftest import FIXTURE_DATA

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


class Preview:
    def __init__(self, project: Path, port: int):
        self.project, self.port = project, port
        self.url = f"http://127.0.0.1:{port}/"
        self.log = project / "serve.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(project / "tmp")}
        (project / "tmp").mkdir()
        self.proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--port", str(port)], cwd=project,
                                     env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                get(self.url, timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise AssertionError(self.log.read_text()) from None
                time.sleep(0.2)
        raise AssertionError("the preview did not start:\n" + self.log.read_text())

    def builds(self) -> int:
        return self.log.read_text().count("Documentation built in")

    def wait_for(self, condition, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        page = ""
        while time.monotonic() < deadline:
            page = get(self.url, timeout=timeout)
            if condition(page):
                return page
            time.sleep(0.1)
        raise AssertionError(f"condition not met; last page:\n{page[:2000]}\nlog:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


@pytest.fixture
def preview(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(FIXTURE_DATA, project / "data")
    running = Preview(project, free_port())
    running.wait_until_up()
    yield running
    running.stop()


def test_the_preview_keeps_answering_while_the_data_has_errors_and_lists_them(preview):
    resources = preview.project / "data" / "resources.yaml"
    good = resources.read_text(encoding="utf-8")
    assert "hub-preview-problems" not in get(preview.url)
    line = good[:good.index("    type: infographic\n")].count("\n") + 1
    resources.write_text(good.replace("    type: infographic\n", "    type: infographik\n", 1), encoding="utf-8")

    started = time.monotonic()
    page = preview.wait_for(lambda page: "hub-preview-problems" in page)
    assert time.monotonic() - started < 15
    assert f"data/resources.yaml:{line}:11" in page and "infographik" in page
    assert "Need help now?" in page  # the last good site, not an error page

    resources.write_text(good, encoding="utf-8")
    preview.wait_for(lambda page: "hub-preview-problems" not in page)


def test_one_save_is_one_rebuild_and_the_change_is_served(preview):
    resources = preview.project / "data" / "resources.yaml"
    text = resources.read_text(encoding="utf-8")
    before = preview.builds()
    title = re.search(r"^    title: (.+)$", text.split("\nresources:\n", 1)[1], re.M).group(1)
    resources.write_text(text.replace(f"    title: {title}\n", "    title: A title saved just now\n", 1),
                         encoding="utf-8")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and preview.builds() == before:
        time.sleep(0.1)
    time.sleep(2)  # a second rebuild, if the save caused one, would have started by now
    assert preview.builds() == before + 1, preview.log.read_text()[-2000:]
    assert "A title saved just now" in get(preview.url + "browse/")


def test_stopping_the_preview_leaves_nothing_behind(preview):
    before = sorted(p.relative_to(preview.project).as_posix() for p in preview.project.rglob("*")
                    if "tmp" not in p.parts and p.name != "serve.log")
    assert preview.stop() in (0, 130)
    after = sorted(p.relative_to(preview.project).as_posix() for p in preview.project.rglob("*")
                   if "tmp" not in p.parts and p.name != "serve.log")
    assert after == before
    assert list((preview.project / "tmp").iterdir()) == []  # MkDocs' own site folder is removed too
    assert "Traceback" not in preview.log.read_text()


def test_a_port_in_use_is_a_sentence_not_a_bug(preview, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": tempfile.gettempdir()}
    done = subprocess.run([sys.executable, "-m", "hub", "serve", "--port", str(preview.port)],
                          cwd=preview.project, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"port {preview.port} is already in use" in done.stderr
    assert "bug" not in done.stderr and "Traceback" not in done.stderr
