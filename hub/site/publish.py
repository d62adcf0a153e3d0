"""Publishing a built site safely: work folders, one build at a time per output, and an atomic swap.

* **Work folders.** Each build writes into `.site-build-XXXX/` in the project
  (both engines want `docs_dir` and `site_dir` under their config's folder)
  and holds an exclusive `flock` on `.site-build-XXXX.lock` while it lives.
  The kernel drops that lock when the process ends, however it ends, so the
  next build removes every work folder whose lock it can take: the debris of
  builds that were killed (SIGKILL included) disappears on the next build.
* **One build per output.** `output_lock` takes an exclusive `flock` on
  `.site-output-<digest>.lock` in the project folder (one per output folder)
  for the whole build; a second build of the same output is refused at once
  with a sentence.
* **The swap.** `swap_into_place` exchanges the new site and the old one with
  Linux's `renameat2(RENAME_EXCHANGE)` (one system call, through ctypes): at
  every instant the output path is the complete old site or the complete new
  one, never missing and never half-written. Where the call does not exist
  (macOS, old kernels, some file systems), the old site is renamed away and
  the new one renamed in: two renames, with a moment between them when the
  path is missing. A `site` symlink switched atomically was the alternative;
  it was not chosen because GitHub's upload-pages-artifact and many web
  servers do not follow a symlinked root, and `site/` stays a plain folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hub.outputs import MARKER, MARKER_TEXT

WORK_PREFIX = ".site-build-"
"""The name of every work folder starts so (git-ignored as `/.site-*/`)."""
_LOCK_SUFFIX = ".lock"
"""`.site-build-XXXX.lock` beside each work folder: held while its build lives."""


class BuildFailed(Exception):
    """The site could not be built (the generator or the search index refused it); `details` holds its warning and error lines."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class Busy(Exception):
    """Another build is writing the same output; the message says which."""


# --- work folders --------------------------------------------------------------------------


@contextlib.contextmanager
def work_folder(root: Path, keep: bool = False) -> Iterator[Path]:
    """A fresh `.site-build-XXXX/` in `root`, locked while in use and removed afterwards (unless `keep`).

    The lock file `.site-build-XXXX.lock` is made first and locked, then the
    folder: whenever the process dies, the folder has a lock file the next
    build can take. SIGINT and SIGTERM wait while the two are made, so that
    a stop lands inside the `try` that removes them.
    """
    remove_stale_work(root)
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        lock, lock_name = tempfile.mkstemp(prefix=WORK_PREFIX, suffix=_LOCK_SUFFIX, dir=root)
        fcntl.flock(lock, fcntl.LOCK_EX)
        work = root / lock_name.rsplit("/", 1)[-1].removesuffix(_LOCK_SUFFIX)
        work.mkdir()
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
    try:
        yield work
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        # Without its lock file a kept folder is the caller's: no later build removes it.
        Path(lock_name).unlink(missing_ok=True)
        os.close(lock)


def remove_stale_work(root: Path) -> list[Path]:
    """Remove the work folders of builds that have ended (their lock is free); the ones removed."""
    removed = []
    for lock_path in sorted(root.glob(WORK_PREFIX + "*" + _LOCK_SUFFIX)):
        work = lock_path.with_name(lock_path.name.removesuffix(_LOCK_SUFFIX))
        if lock_path.is_symlink() or work.is_symlink():
            continue  # not one of ours: leave it
        try:
            lock = os.open(lock_path, os.O_WRONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live build holds it
        else:
            shutil.rmtree(work, ignore_errors=True)
            lock_path.unlink(missing_ok=True)
            removed.append(work)
        finally:
            os.close(lock)
    return removed


# --- one build per output ----------------------------------------------------------------


@contextlib.contextmanager
def output_lock(target: Path, root: Path) -> Iterator[None]:
    """Hold the lock of `target` for the build; raise `Busy` if another build holds it.

    The lock file is `.site-output-<digest>.lock` in the project folder `root`
    (git-ignored, like the work folders), one per output folder, so nothing
    is left beside an output folder outside the project.
    """
    digest = hashlib.sha1(os.fsencode(os.path.abspath(target))).hexdigest()[:16]
    lock = os.open(root / f".site-output-{digest}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            other = os.read(lock, 32).decode(errors="replace").strip() or "another process"
            raise Busy(f"another build is writing {target.name}/ right now (process {other}); wait for it to "
                       f"finish and run the command again") from None
        os.ftruncate(lock, 0)
        os.write(lock, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(lock)


# --- the swap -------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap `a` and `b` in one step (Linux renameat2); False where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_into_place(new_site: Path, target: Path, work: Path) -> None:
    """Put `new_site` at `target` atomically; the old site ends up inside `work` (removed with it)."""
    (new_site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(new_site).st_dev != os.stat(target.parent).st_dev:
        # Another file system: copy beside the target first, so that the swap itself is a rename.
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.hub-new-", dir=target.parent))
        try:
            shutil.copytree(new_site, staging / "site")
            _swap(staging / "site", target, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    _swap(new_site, target, work)


def _swap(new_site: Path, target: Path, work: Path) -> None:
    if not target.exists() and not target.is_symlink():
        os.rename(new_site, target)
        return
    if _exchange(new_site, target):
        return  # the old site is now at new_site, inside the work folder
    old = work / "old-site"
    os.rename(target, old)
    os.rename(new_site, target)


# --- stopping ---------------------------------------------------------------------------------


@contextlib.contextmanager
def stop_cleanly_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt for the block, so `finally` clauses run and no traceback shows."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


STOPS = {signal.SIGINT, signal.SIGTERM}


def die_with_parent() -> None:
    """In a child process (subprocess's preexec_fn): be sent SIGKILL when the parent dies (Linux; else
    nothing), and let Ctrl-C and SIGTERM through again (`start_child` held them off)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


def start_child(cmd: list[str], **popen) -> subprocess.Popen:
    """`subprocess.Popen(cmd)` for a child that dies with this process.

    Ctrl-C or SIGTERM during the fork would land in an at-fork handler, which
    Python reports ("Exception ignored in … _releaseLock") and then forgets:
    the build went on. So they wait until the child exists; the child lets
    them through again before it runs.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        proc = subprocess.Popen(cmd, preexec_fn=die_with_parent, **popen)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a stop held off meanwhile is raised here
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc
