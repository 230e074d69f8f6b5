"""One error vocabulary: every refusal kb makes is a `KbError`.

A refusal carries the message for the editor, an optional hint and the exit
code; `cli.py` turns it into one line on stderr in one place (with OSError
from paths the user gave, and the signals that stop a run), so no command
catches its own errors and no refusal can reach the editor as a traceback.
Exit codes: 1 problems found (or an editor's mistake), 2 could not run.
"""

from __future__ import annotations


class KbError(Exception):
    """A refusal with a message meant for the editor."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class OutputError(KbError):
    """Refusal to write somewhere: an editor's file, a folder kb did not make, an impossible path."""


class ScaffoldError(KbError):
    """`kb new` refuses an id or a file that exists (an editor's mistake: exit 1)."""

    exit_code = 1


class FormatError(KbError):
    """`kb fmt` cannot format references.bib faithfully, so it changes nothing."""


class DiffError(KbError):
    """`kb diff` cannot compare: not a git repository, or not a revision."""


class BuildFailed(KbError):
    """MkDocs could not build the site (the previous site is kept)."""

    exit_code = 1

    def __str__(self) -> str:
        return f"the site build failed: {self.message}"


class UnsafeConfig(KbError):
    """mkdocs.yml would run code if MkDocs loaded it (or is too large to read safely); the message says where."""


class UnsafeContent(KbError):
    """content/ holds a link or special file that no build may follow; the message lists them.

    Not subject to the settings: switching `unsafe-path` off never lets a build follow one.
    """


class EnvironmentValueError(KbError):
    """An environment variable kb reads (SOURCE_DATE_EPOCH) holds a value it cannot use."""


class Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt, so every cleanup runs.

    A BaseException (as KeyboardInterrupt is), so `except Exception` in MkDocs or in
    our own adapters cannot swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
