"""Read a data file's text safely: only small regular files inside the project, decoded as UTF-8.

Before a byte is read, `read_bytes` refuses links that leave the project or loop, and anything that
is not a regular file (a FIFO would block for ever, ``/dev/zero`` never ends); it then reads at most
`MAX_FILE_BYTES` + 1 bytes. `read_text` decodes them (UTF-8, with or without a BOM) and turns CRLF
and CR line endings into LF, so files saved by Windows editors are accepted. Every refusal is a
`Problem`, never an exception.
"""

from __future__ import annotations

import errno
import math
import os
import stat
from pathlib import Path

from hub.problems import Problem

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest data file that is read: 32 MiB, four times a 10,000-resource catalogue (7.9 MB; the
real catalogue is about 100 KB). A larger file is refused without being read, and a file that grows
while it is read is cut off at this size plus one byte."""


def read_text(path: Path, shown: str, within: Path | None = None) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (BOM allowed) with LF line endings; see `read_bytes` for what is refused."""
    raw, problem = read_bytes(path, shown, within)
    if raw is None:
        return None, [problem] if problem else []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(
            shown, line, column, "not-utf8",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
            hint="save the file as UTF-8; in most editors: File → Save with encoding → UTF-8",
        )]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_bytes(path: Path, shown: str, within: Path | None = None) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the reason it is not read.

    Refused before anything is opened: a link whose target lies outside
    `within` (by default the current folder when the file is inside it, else
    the file's own folder), so that no excerpt can ever show a line of
    ``/etc/passwd``; a loop of links; anything that is not a regular file
    (folders, FIFOs, devices, sockets); a file over `MAX_FILE_BYTES`. The file
    is opened without following a link and without blocking, and at most
    `MAX_FILE_BYTES` + 1 bytes are read.
    """
    def refused(code: str, message: str, hint: str) -> tuple[None, Problem]:
        return None, Problem(shown, None, None, code, message, hint=hint)

    unreadable_hint = "check that the file exists and is readable"
    try:
        own = os.lstat(path)
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return refused("link-loop",
                           "the file is a link that leads round in a loop of links, never to a file",
                           f"replace the link with the file itself (git checkout -- {shown})")
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return refused("unreadable", f"the file is a link to '{_link_text(path)}', which does not exist",
                           f"replace the link with the file itself (git checkout -- {shown})")
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    if not _inside(real, _boundary(path, within)):
        target = _link_text(path) if stat.S_ISLNK(own.st_mode) else real
        return refused("outside-link",
                       f"the file is a link to '{target}', outside the project folder, so it is not read",
                       "put the file itself in the project "
                       "(a link could show or publish any file on the machine)")
    try:
        info = os.stat(real)
    except OSError as exc:
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    problem = _not_a_small_file(info, shown)
    if problem:
        return None, problem
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        descriptor = os.open(real, flags)
    except OSError as exc:
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    try:
        problem = _not_a_small_file(os.fstat(descriptor), shown)  # it may have been swapped since the check
        if problem:
            return None, problem
        chunks, left = [], MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 22))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return refused("unreadable", f"cannot read the file: {exc.strerror}", unreadable_hint)
    finally:
        os.close(descriptor)
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        return None, _too_large(shown, len(raw), grew=True)
    return raw, None


def _not_a_small_file(info: os.stat_result, shown: str) -> Problem | None:
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        return Problem(shown, None, None, "not-a-file", f"this is {kind}, not a file, so it is not read",
                       hint=f"replace it with the data file (git checkout -- {shown})")
    if info.st_size > MAX_FILE_BYTES:
        return _too_large(shown, info.st_size)
    return None


def _too_large(shown: str, size: int, grew: bool = False) -> Problem:
    what = "grew past" if grew else f"is {math.ceil(size * 10 / 2**20) / 10:,.1f} MB, over"
    return Problem(shown, None, None, "file-too-large",
                   f"the file {what} the limit of {MAX_FILE_BYTES // 1024 // 1024} MB for a data file, "
                   "so it is not read",
                   hint="check that it was not corrupted or generated by mistake (git diff --stat)")


def _boundary(path: Path, within: Path | None) -> str:
    """The folder a data file must stay inside once links are followed, itself with links followed."""
    if within is None:
        here, absolute = os.getcwd(), os.path.abspath(path)
        within = Path(here if _inside(absolute, here) and here != os.path.dirname(here)
                      else os.path.dirname(absolute))
    return os.path.realpath(within)


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives (Windows)
        return False


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return os.fspath(path)
