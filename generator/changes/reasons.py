"""Which content commits give readers no reason?  (`kb check --since REV`, `kb diff REV`)

Readers see a change's reason only when its commit message carries a trailer
written for them in the site's language (`Reden: ...` on a Dutch site; see
generator/changes/history.py).  A pull request whose commits change content/
or references.bib without one would publish changes without a reason, so the
pull-request check lists them: one `missing-reason` warning per commit, at the
first content file it changes.

The revision comes from whoever runs the command, so it is resolved to a commit
id first (`git rev-parse --verify --end-of-options`), never passed where git
could read it as an option.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.changes.history import SHORT, TRAILER, clean_text, paragraph_reason
from generator.intake.reader import GitError as _GitError, git as _git
from generator.core.diagnostics import Diagnostic, diag
from generator.intake.content_files import CONTENT_DIR

#: what counts as a content commit: the files readers' pages are made from
CONTENT_PATHS = (CONTENT_DIR, "references.bib")


class ReasonsError(Exception):
    """The revision cannot be read (no git, not a repository, unknown revision)."""


@dataclass(frozen=True)
class Unexplained:
    hash: str
    subject: str
    files: tuple[str, ...]  # the content files it changes, sorted


def _resolve(root: Path, revision: str) -> str:
    if not revision.strip() or revision.startswith("-") or any(c in revision for c in "\x00\n\r"):
        raise ReasonsError(f"'{revision}' is not a git revision")
    try:
        found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except _GitError as exc:
        raise ReasonsError(f"unknown git revision '{revision}'") from exc
    return found.decode("ascii", "replace").strip()


def unexplained_commits(root: Path, revision: str, lang: str) -> list[Unexplained]:
    """The commits after *revision* (up to HEAD) that change content without a reason trailer in *lang*."""
    base = _resolve(root, revision)
    key = TRAILER.get(lang, TRAILER["en"])
    form = f"%x1e%H%x1f%(trailers:key={key},valueonly,separator=%x20)%x1f%s%x1f%b%x1d"  # \x1d: end of message
    try:
        # --no-merges: a pull request's checkout is GitHub's merge commit, which no editor wrote
        raw = _git(root, "log", "-z", "--no-merges", "--no-renames", "--name-only", "--no-color", f"--format={form}",
                   f"{base}..HEAD", "--", *CONTENT_PATHS)
    except _GitError as exc:
        raise ReasonsError(str(exc)) from exc
    out = []
    for record in raw.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, rest = record.rpartition("\x1d")
        hash_, trailer, subject, body = (head.split("\x1f", 3) + ["", "", ""])[:4]
        trailer = trailer or paragraph_reason(body, key)
        files = tuple(sorted(f.strip("\n") for f in rest.split("\0") if f.strip("\n")))
        if not trailer.strip() and files:
            out.append(Unexplained(hash_, clean_text(subject, 80), files))
    return out


def reason_diagnostics(root: Path, revision: str, lang: str) -> list[Diagnostic]:
    """`missing-reason` for each content commit since *revision* without a reader's reason."""
    key = TRAILER.get(lang, TRAILER["en"])
    return [diag("missing-reason", c.files[0], None,
                 f"commit {c.hash[:SHORT]} (\"{c.subject}\") changes {len(c.files)} content file(s) but has no "
                 f"'{key}:' trailer; readers will see the change without a reason",
                 f"Give the commit a last paragraph '{key}: ...' written for readers, in the site's language "
                 "(git commit --amend, or git rebase -i for an older commit).")
            for c in unexplained_commits(root, revision, lang)]
