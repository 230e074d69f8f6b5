"""Each claim's history, read from git: when its file changed, what changed for a reader, and why.

Living evidence: a reader should see when and why a conclusion changed, with
no extra work for editors.  Everything comes from the repository:

* ONE `git log --raw` walk over content/claims lists every commit that touched
  a claim file, with the blob before and after (so no process per claim, and
  the "before" is the commit's real parent version, also across branches);
* ONE `git cat-file --batch` process reads the versions that are needed;
* each version is parsed with the normal loader (content.parse_claim) and two
  versions are compared with compare.compare_claims, the comparison `kb diff`
  makes.  A version that no longer parses gives "changed" without detail.

Dates are the commits' committer dates, so the same history builds the same
pages.  Commit messages are untrusted text: kept as plain text here (control
characters removed, length capped) and escaped by whoever renders them.

No history (a tarball, git missing, a project that is not the top level of its
repository, an empty repository) is a normal state: `History.available` is
False and the site says so.  A shallow clone (CI often fetches one commit)
lists each claim's oldest visible version as "earliest", never as "added".
A claim's history follows its file name: renaming the file starts a new one.
"""

from __future__ import annotations

import datetime as _dt
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.compare import ClaimChange, compare_claims
from generator.content import CONTENT_DIR, parse_claim
from generator.ids import id_problem
from generator.model import Claim

CLAIMS_DIR = f"{CONTENT_DIR}/claims"
#: entries shown on a claim page, and on the site's list of latest changes
PER_CLAIM = 10
LATEST = 50
MAX_REASON = 200  # characters of a commit subject shown as the reason
MAX_BLOB = 2 * 1024 * 1024  # an old version larger than this is not read (reported without detail)

Kind = Literal["added", "changed", "removed", "earliest"]
# text that cannot appear in XML 1.0 or is invisible control: removed from commit subjects
_NOT_TEXT = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Commit:
    hash: str
    short: str
    when: _dt.datetime  # committer date, with the committer's UTC offset
    reason: str  # the subject line, plain text

    @property
    def date(self) -> _dt.date:
        return self.when.astimezone(_dt.timezone.utc).date()


@dataclass(frozen=True)
class HistoryEntry:
    claim: str  # the claim id (file name)
    commit: Commit
    kind: Kind
    #: the statement after a change, or before a removal; "" when unreadable, or not read (the
    #: addition of a claim that still exists: the pages show it as it is now)
    statement: str = ""
    #: for "changed": what changed; None when a version could not be read or parsed
    change: ClaimChange | None = None

    @property
    def conclusion_changed(self) -> bool:
        return self.change is not None and self.change.conclusion_changed


@dataclass(frozen=True)
class History:
    available: bool
    incomplete: bool = False  # a shallow clone: older commits are missing
    claims: dict[str, tuple[HistoryEntry, ...]] = field(default_factory=dict)  # newest first, <= PER_CLAIM
    latest: tuple[HistoryEntry, ...] = ()  # across the knowledge base, newest first, <= LATEST
    version: Commit | None = None  # the last commit that changed the content: what the site was built from

    def of(self, claim_id: str) -> tuple[HistoryEntry, ...]:
        return self.claims.get(claim_id, ())


NO_HISTORY = History(available=False)


class _GitError(Exception):
    pass


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    # Fixed formats and options only; nothing an editor wrote reaches the command line.
    command = ["git", "-C", str(root), "-c", "log.showSignature=false", "-c", "core.quotePath=false", *args]
    try:
        run = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except OSError as exc:  # git is not installed
        raise _GitError(str(exc)) from exc
    if run.returncode != 0:
        raise _GitError(run.stderr.decode("utf-8", "replace").strip())
    return run.stdout


def clean_text(text: str, limit: int = MAX_REASON) -> str:
    """A commit subject as one line of plain text that XML and HTML can carry."""
    text = " ".join(_NOT_TEXT.sub(" ", text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


_FORMAT = "%x1e%H%x1f%cI%x1f%s"
#: shown hashes have a fixed length: git's own abbreviation grows with the repository (and a clone)
SHORT = 7


def _commit(header: str) -> Commit:
    hash_, iso, subject = header.lstrip("\n\x1e").split("\x1f", 2)
    return Commit(hash_, hash_[:SHORT], _dt.datetime.fromisoformat(iso), clean_text(subject))


def _walk(raw: bytes) -> Iterator[tuple[Commit, list[tuple[str, str, str, str]]]]:
    """(commit, [(old blob, new blob, status, path)]) from `git log -z --raw`, in log order."""
    tokens = raw.decode("utf-8", "replace").split("\0")
    commit: Commit | None = None
    changes: list[tuple[str, str, str, str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith("\x1e"):
            if commit is not None:
                yield commit, changes
            commit, changes = _commit(token), []
        elif token.startswith(":") and i + 1 < len(tokens):
            # ":100644 100644 <old> <new> M" then the path as the next token
            parts = token[1:].split()
            if len(parts) >= 5:
                changes.append((parts[2], parts[3], parts[4][:1], tokens[i + 1]))
            i += 1
        i += 1
    if commit is not None:
        yield commit, changes


def _claim_id(path: str) -> str | None:
    folder, _, name = path.rpartition("/")
    if folder != CLAIMS_DIR or not name.endswith(".md"):
        return None
    stem = name[:-3]
    return stem if id_problem(stem) is None else None


class _Blobs:
    """Parsed claim versions by blob id, read on demand through one `git cat-file --batch`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.parsed: dict[str, Claim | None] = {}
        self.proc: subprocess.Popen[bytes] | None = None

    def claim(self, claim_id: str, blob: str) -> Claim | None:
        if not blob.strip("0"):
            return None
        if blob not in self.parsed:
            data = self._read(blob)
            try:
                self.parsed[blob] = None if data is None else parse_claim(claim_id, data, f"{CLAIMS_DIR}/{claim_id}.md")
            except Exception:  # noqa: BLE001 - an old version must never stop the build
                self.parsed[blob] = None
        return self.parsed[blob]

    def _read(self, blob: str) -> bytes | None:
        if self.proc is None:
            self.proc = subprocess.Popen(["git", "-C", str(self.root), "cat-file", "--batch"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(blob.encode("ascii") + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None  # "<id> missing" (e.g. beyond a shallow clone's edge)
        size = int(header[2])
        data = self.proc.stdout.read(size + 1)[:size]  # the content, then a newline
        return data if size <= MAX_BLOB else None

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait()
            self.proc = None


def _entry(claim_id: str, commit: Commit, old: str, new: str, status: str, shallow: set[str],
           blobs: _Blobs, gone: bool) -> HistoryEntry | None:
    """One history entry, or None for a change no reader would notice (e.g. reformatting).

    *gone*: the claim no longer exists, so its statement must come from the old versions.
    """
    if status == "A":
        kind: Kind = "earliest" if commit.hash in shallow else "added"
        if not gone:  # not read: the pages show the claim as it is now
            return HistoryEntry(claim_id, commit, kind)
        after = blobs.claim(claim_id, new)
        return HistoryEntry(claim_id, commit, kind, after.statement if after else "")
    if status == "D":
        before = blobs.claim(claim_id, old)
        return HistoryEntry(claim_id, commit, "removed", before.statement if before else "")
    before, after = blobs.claim(claim_id, old), blobs.claim(claim_id, new)
    if before is None or after is None:
        return HistoryEntry(claim_id, commit, "changed", after.statement if after else "", None)
    change = compare_claims(before, after)
    if change.empty:
        return None
    return HistoryEntry(claim_id, commit, "changed", after.statement, change)


def _repository(root: Path) -> tuple[bool, set[str]]:
    """(shallow, commits at a shallow clone's edge); raises _GitError unless *root* is a repository's top."""
    lines = _git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository", "--git-path", "shallow")
    top, shallow, shallow_file = (lines.decode("utf-8", "replace").splitlines() + ["", "", ""])[:3]
    # A project inside another repository (e.g. a test fixture) has no history of its own.
    if not top or Path(top).resolve() != root.resolve():
        raise _GitError("not the top level of a git repository")
    edge: set[str] = set()
    if shallow.strip() == "true":
        path = Path(shallow_file) if Path(shallow_file).is_absolute() else root / shallow_file
        try:
            edge = set(path.read_text(encoding="ascii").split())
        except (OSError, UnicodeDecodeError):
            pass
    return shallow.strip() == "true", edge


def read_history(root: Path) -> History:
    """The history of every claim under *root*/content/claims, or NO_HISTORY outside git."""
    try:
        shallow, edge = _repository(root)
        log = _git(root, "log", "-z", "--no-renames", "--no-abbrev", "--raw", "--no-color", f"--format={_FORMAT}",
                   "HEAD", "--", CLAIMS_DIR)
        last = _git(root, "log", "-1", "-z", f"--format={_FORMAT}", "HEAD", "--", CONTENT_DIR, "references.bib")
    except _GitError:
        return NO_HISTORY
    version = _commit(last.decode("utf-8", "replace").rstrip("\0")) if last.strip(b"\0\n") else None
    # claim id -> its raw changes, newest first (git log's order, which is deterministic)
    pending: dict[str, list[tuple[int, Commit, str, str, str]]] = {}
    for order, (commit, changes) in enumerate(_walk(log)):
        for old, new, status, path in changes:
            claim_id = _claim_id(path)
            if claim_id is not None:
                pending.setdefault(claim_id, []).append((order, commit, old, new, status))
    blobs = _Blobs(root)
    kept: dict[str, list[tuple[int, HistoryEntry]]] = {}
    try:
        for claim_id in sorted(pending):
            entries = kept.setdefault(claim_id, [])
            gone = pending[claim_id][0][4] == "D"
            for order, commit, old, new, status in pending[claim_id]:
                entry = _entry(claim_id, commit, old, new, status, edge, blobs, gone)
                if entry is not None:
                    entries.append((order, entry))
                if len(entries) >= LATEST:  # enough for both lists; older versions are never read
                    break
    finally:
        blobs.close()
    everything = sorted((item for items in kept.values() for item in items
                         if item[1].kind != "earliest"),  # a shallow clone's edge is no change
                        key=lambda item: (-item[1].commit.when.timestamp(), item[0], item[1].claim))
    return History(
        available=True, incomplete=shallow,
        claims={k: tuple(e for _, e in items[:PER_CLAIM]) for k, items in kept.items() if items},
        latest=tuple(e for _, e in everything[:LATEST]),
        version=version,
    )
