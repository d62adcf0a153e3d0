"""Named exit codes shared by every `hub` command."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What a `hub` command's exit status means."""

    OK = 0
    """Nothing to report, or only notices and (without --strict) warnings."""
    PROBLEMS = 1
    """Invalid data, broken links, or files that `fmt --check` would change."""
    USAGE = 2
    """Bad flags, an unreadable config file, or an internal failure (click's code for usage errors)."""
