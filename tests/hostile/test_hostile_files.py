"""Every hostile data file gets a located answer in bounded time and memory (issue 16, item 5).

Each case is a copy of the minimal valid catalogue with one file replaced by
something hostile: a FIFO, links to /dev/zero and /etc/passwd, a loop of
links, a folder, nesting 10,000 deep, a 5,000-digit number, a file past the
size limit, control characters, a second document, a million tiny values.
`hub validate --data DIR` runs in a subprocess, as editors and CI run it, and
must exit 1 within `TIMEOUT` seconds and `MAX_RSS_MB` of memory, name the
file (with line and column where there is one), and never print "internal
error", a traceback, or a line of a file outside the project.

Before this suite, each case hung, crashed (RecursionError, a C stack
overflow, MemoryError after reading gigabytes of /dev/zero), printed the first
line of /etc/passwd, passed, or gave no line and column. To run it against
another checkout: HOSTILE_HUB_PATH=/path/to/checkout pytest tests/hostile/test_hostile_files.py.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, ROOT

TIMEOUT = 20
"""Seconds a run may take (each takes under two on an idle machine)."""

MAX_RSS_MB = 500
"""Peak memory a run may use (a valid run of the minimal catalogue uses about 60 MB)."""

ADDRESS_SPACE = 3 * 1024**3
"""The child's address-space limit, so that a runaway fails with MemoryError instead of taking the machine."""


@dataclass
class Run:
    code: int
    output: str
    seconds: float
    max_rss_mb: float


def validate(project: Path) -> Run:
    """`python -m hub validate --data DIR` from the project folder; its exit code, output, time and peak memory."""
    env = {**os.environ, "PYTHONPATH": os.environ.get("HOSTILE_HUB_PATH", str(ROOT))}
    out_path = project / "output.txt"
    with out_path.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hub", "validate", "--data", str(project / "data")],
            cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE)),
        )
        start = time.monotonic()
        # os.wait4, not proc.wait: it gives this child's own peak memory
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > TIMEOUT:
                os.kill(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                pytest.fail(f"no answer within {TIMEOUT} s:\n{out_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    return Run(proc.returncode, out_path.read_text(encoding="utf-8", errors="replace"), seconds,
               usage.ru_maxrss / 1024)


def assert_answered(run: Run, where: str, says: str) -> None:
    """Exit 1, the problem at `where` (``data/x.yaml:4:18`` or ``data/x.yaml``) saying `says`, in bounds."""
    assert run.code == 1, run.output
    assert f"{where}: error: " in run.output, run.output
    assert says in run.output, run.output
    assert "internal error" not in run.output and "Traceback" not in run.output, run.output
    assert run.max_rss_mb < MAX_RSS_MB, f"{run.max_rss_mb:.0f} MB"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "data")
    return tmp_path


def replace(project: Path, name: str, content: str | bytes) -> Path:
    path = project / "data" / name
    path.unlink()
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


PEOPLE_NAME = "    name: Dr Leah Quinlivan\n"
"""Line 4 of the minimal people.yaml; the column of 'Quinlivan' is 18."""


def people_with(project: Path, name_line: str) -> None:
    path = project / "data" / "people.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[3] + "\n" == PEOPLE_NAME
    path.write_text(text.replace(PEOPLE_NAME, name_line), encoding="utf-8")


# --- what the file is -------------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(project: Path) -> None:
    (project / "data" / "resources.yaml").unlink()
    os.mkfifo(project / "data" / "resources.yaml")
    assert_answered(validate(project), "data/resources.yaml", "is a named pipe (FIFO), not a file")


def test_a_folder_named_like_a_data_file_is_refused(project: Path) -> None:
    (project / "data" / "resources.yaml").unlink()
    (project / "data" / "resources.yaml").mkdir()
    assert_answered(validate(project), "data/resources.yaml", "is a folder, not a file")


def test_a_link_to_dev_zero_is_refused_before_reading(project: Path) -> None:
    (project / "data" / "resources.yaml").unlink()
    os.symlink("/dev/zero", project / "data" / "resources.yaml")
    run = validate(project)
    assert_answered(run, "data/resources.yaml", "is a link to '/dev/zero', outside the project folder")
    assert run.max_rss_mb < 300  # a bare `hub validate` peaks near 150 MB on a busy runner


def test_a_loop_of_links_is_reported(project: Path) -> None:
    data = project / "data"
    (data / "resources.yaml").unlink()
    os.symlink("loop.yaml", data / "resources.yaml")
    os.symlink("resources.yaml", data / "loop.yaml")
    assert_answered(validate(project), "data/resources.yaml", "a loop of links")


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
def test_a_link_to_etc_passwd_is_refused_and_nothing_of_it_is_printed(project: Path) -> None:
    (project / "data" / "resources.yaml").unlink()
    os.symlink("/etc/passwd", project / "data" / "resources.yaml")
    run = validate(project)
    assert_answered(run, "data/resources.yaml", "is a link to '/etc/passwd', outside the project folder")
    secret = [line for line in Path("/etc/passwd").read_text(errors="replace").splitlines() if line.strip()]
    assert secret and not [line for line in secret if line in run.output]
    assert "root:" not in run.output


def test_a_link_inside_the_project_is_followed_and_shown_by_its_own_name(project: Path) -> None:
    shared = project / "shared"
    shared.mkdir()
    shutil.move(project / "data" / "people.yaml", shared / "everyone.yaml")
    os.symlink("../shared/everyone.yaml", project / "data" / "people.yaml")
    people_with(project, "    name: 12345678901234567890123\n")
    run = validate(project)
    assert_answered(run, "data/people.yaml:4:11", "this number has 23 digits")


def test_a_file_over_the_size_limit_is_refused_unread(project: Path) -> None:
    path = project / "data" / "resources.yaml"
    with path.open("r+b") as handle:
        handle.truncate(40 * 1024 * 1024)  # sparse: 40 MB of NUL after the real content
    run = validate(project)
    assert_answered(run, "data/resources.yaml", "is 40.0 MB, over the limit of 32 MB for a data file")
    assert run.max_rss_mb < 300  # not read (a bare run peaks near 150 MB)


# --- what the text holds ----------------------------------------------------------------------


def test_ten_thousand_nested_brackets_are_refused_where_the_limit_is_passed(project: Path) -> None:
    replace(project, "people.yaml", "people: " + "[" * 10_000 + "]" * 10_000 + "\n")
    # the file is the 1st level, 'people' the 2nd: the 50th '[' (column 9 + 49) is the 51st
    assert_answered(validate(project), "data/people.yaml:1:58", "nested more than 50 levels deep")


def test_a_million_unclosed_brackets_are_refused_without_a_crash(project: Path) -> None:
    replace(project, "people.yaml", "people: " + "[" * 1_000_000 + "\n")  # PyYAML's composer dies at ~30,000
    assert_answered(validate(project), "data/people.yaml:1:58", "nested more than 50 levels deep")


def test_three_thousand_nested_block_lists_are_refused(project: Path) -> None:
    replace(project, "people.yaml", "people:\n" + "".join(" " * (2 * i) + "-\n" for i in range(3_000)))
    # line 2 holds the 2nd level: line 50 the 50th, at column 2 × 48 + 1
    assert_answered(validate(project), "data/people.yaml:51:99", "nested more than 50 levels deep")


def test_three_thousand_nested_lists_on_one_line_are_refused(project: Path) -> None:
    replace(project, "people.yaml", "people:\n" + "- " * 3_000 + "x\n")
    assert_answered(validate(project), "data/people.yaml:2:99", "nested more than 50 levels deep")


def test_a_five_thousand_digit_number_is_refused_where_it_is(project: Path) -> None:
    people_with(project, "    name: " + "9" * 5_000 + "\n")
    assert_answered(validate(project), "data/people.yaml:4:11", "this number has 5,000 digits")


@pytest.mark.parametrize(("char", "named"), [
    ("\x00", "U+0000 NULL"),
    ("\x01", "U+0001"),
    ("\x1b", "U+001B ESCAPE"),
    ("\x7f", "U+007F DELETE"),
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
], ids=["NUL", "x01", "ESC", "DEL", "RLO"])
def test_a_control_character_is_reported_at_its_line_and_column(project: Path, char: str, named: str) -> None:
    people_with(project, f"    name: Dr Leah {char}Quinlivan\n")
    run = validate(project)
    assert_answered(run, "data/people.yaml:4:19", named)
    assert char not in run.output  # the excerpt shows a visible stand-in, not the character itself


def test_a_second_document_is_reported_at_its_dashes(project: Path) -> None:
    path = project / "data" / "people.yaml"
    lines = path.read_text(encoding="utf-8").count("\n")
    path.write_text(path.read_text(encoding="utf-8") + "---\npeople: []\n", encoding="utf-8")
    run = validate(project)
    assert_answered(run, f"data/people.yaml:{lines + 1}:1", "holds a second document starting here")
    assert "remove the line '---'" in run.output


def test_a_small_file_of_a_million_values_is_refused_before_it_is_composed(project: Path) -> None:
    replace(project, "people.yaml", "people: [" + "1," * 1_100_000 + "]\n")  # 2.2 MB: 3 GB composed
    # value 1,000,001: the root mapping, its key and the list are the first three, then the items at 10, 12, …
    assert_answered(validate(project), "data/people.yaml:1:2000004", "holds more than 1,000,000 values")


def test_hundreds_of_thousands_of_broken_records_cost_their_first_problems(project: Path) -> None:
    replace(project, "people.yaml", "people: [" + "{}, " * 300_000 + "]\n")  # 1.2 MB: 1.5 million errors
    run = validate(project)
    assert_answered(run, "data/people.yaml:1:10", "missing required field 'id'")
    assert "more problems in this file are not listed" in run.output
    assert run.output.count("data/people.yaml:") <= 1_002


def test_a_control_character_written_as_an_escape_is_refused_too(project: Path) -> None:
    people_with(project, '    name: "Dr Leah \\u202eQuinlivan"\n')  # the escape, not the character, is in the file
    assert_answered(validate(project), "data/people.yaml:4:11", "U+202E RIGHT-TO-LEFT OVERRIDE")
