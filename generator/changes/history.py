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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.changes.compare import ClaimChange, compare_claims
from generator.intake.content import parse_claim
from generator.intake.content_files import CONTENT_DIR
from generator.intake.reader import GitError, Refused, git, read_blobs, read_bytes
from generator.core.ids import id_problem
from generator.core.model import Claim

CLAIMS_DIR = f"{CONTENT_DIR}/claims"
#: entries shown on a claim page, and on the site's list of latest changes
PER_CLAIM = 10
LATEST = 50
MAX_REASON = 200  # characters of a reason trailer shown to readers
#: the trailer that gives readers the reason for a change, per site language ("Reden: ..."); the
#: subject line is developer text (often English) and is never shown
TRAILER = {"nl": "Reden", "en": "Reason"}
MAX_BLOB = 2 * 1024 * 1024  # an old version larger than this is not read (reported without detail)
NULL_BLOB = "0" * 40
_FILE_MODES = frozenset({"100644", "100755"})

Kind = Literal["added", "changed", "removed", "earliest"]
# text that cannot appear in XML 1.0 or is invisible control: removed from reasons
_NOT_TEXT = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Commit:
    hash: str
    short: str
    when: _dt.datetime  # committer date, with the committer's UTC offset
    #: (language, reason) from the message's trailers ("Reden: ..." for nl, "Reason: ..." for en), plain text
    reasons: tuple[tuple[str, str], ...] = ()

    def reason_in(self, lang: str) -> str:
        """The reason written for readers of a site in *lang*; "" when the message gives none."""
        return dict(self.reasons).get(lang, "")

    @property
    def reason(self) -> str:
        """The first reason given in any language ("" when none)."""
        return next((text for _lang, text in self.reasons if text), "")

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


def clean_text(text: str, limit: int = MAX_REASON) -> str:
    """A reason as one line of plain text that XML and HTML can carry."""
    text = " ".join(_NOT_TEXT.sub(" ", text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


#: hash, committer time (seconds since 1970, and as ISO text for its UTC offset), then the value of
#: each language's reason trailer (empty when the message has none)
_FORMAT = ("%x1e%H%x1f%ct%x1f%cI" + "".join(f"%x1f%(trailers:key={key},valueonly,separator=%x20)"
                                          for key in TRAILER.values()) + "%x1f%b")
#: a line that starts another trailer ("Co-authored-by: ...") ends a reason paragraph
_OTHER_TRAILER = re.compile(r"[A-Za-z][A-Za-z0-9-]*:\s")


def paragraph_reason(body: str, key: str) -> str:
    """The reason of a message whose `Reden:` paragraph wraps without indenting its lines.

    git reads a trailer's further lines only when they are indented, so "Reden: a\nb" gives git
    no trailer at all; editors wrap their reason like any paragraph.  The last paragraph that
    starts with "<key>:" is the reason, up to a line that starts another trailer.
    """
    found = ""
    for paragraph in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")):
        lines = paragraph.strip("\n").split("\n")
        if not lines[0].startswith(f"{key}:"):
            continue
        taken = [lines[0][len(key) + 1:]]
        for line in lines[1:]:
            if _OTHER_TRAILER.match(line) and not line.startswith(f"{key}:"):
                break
            taken.append(line)
        found = " ".join(" ".join(taken).split())
    return found
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")
#: a commit dated past what Python's datetime holds (git stores any number): shown as this, in UTC
LATEST_WHEN = _dt.datetime(9999, 12, 31, tzinfo=_dt.timezone.utc)
EARLIEST_WHEN = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _when(stamp: str, iso: str) -> _dt.datetime:
    """The committer date: whatever git stored (a zone +9959, the year 10000) gives a date, never an error.

    An offset of a day or more (which no zone has) is read as UTC; a time outside 1970-9999 is
    clamped to that range, in UTC (so later conversions cannot overflow either).
    """
    zone = _dt.timezone.utc
    found = _OFFSET.search(iso.strip())
    if found:
        minutes = int(found.group(2)) * 60 + int(found.group(3))
        if minutes < 24 * 60 and int(found.group(3)) < 60:
            zone = _dt.timezone((-1 if found.group(1) == "-" else 1) * _dt.timedelta(minutes=minutes))
    try:
        seconds = int(stamp.strip())
    except ValueError:
        return EARLIEST_WHEN
    if seconds <= 0:
        return EARLIEST_WHEN
    try:
        when = _dt.datetime.fromtimestamp(seconds, zone)
        when.astimezone(_dt.timezone.utc)  # a local time that fits but whose UTC time does not
        return when if when <= LATEST_WHEN else LATEST_WHEN
    except (OverflowError, ValueError, OSError):
        return LATEST_WHEN
#: shown hashes have a fixed length: git's own abbreviation grows with the repository (and a clone)
SHORT = 7


def _commit(header: str) -> Commit:
    hash_, stamp, iso, *trailers, body = header.lstrip("\n\x1e").split("\x1f", 3 + len(TRAILER))
    if len(trailers) != len(TRAILER):
        raise ValueError("not our header")
    # the reason shown to readers: only a trailer written for them; no trailer, no reason
    texts = [text if text.strip() else paragraph_reason(body, TRAILER[lang]) for lang, text in zip(TRAILER, trailers)]
    reasons = tuple((lang, clean_text(text)) for lang, text in zip(TRAILER, texts) if text.strip())
    return Commit(hash_, hash_[:SHORT], _when(stamp, iso), reasons)


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
            try:
                commit, changes = _commit(token), []
            except ValueError:  # a header that is not ours (a crafted message): skip that commit
                commit, changes = None, []
        elif token.startswith(":") and i + 1 < len(tokens):
            # ":100644 100644 <old> <new> M" then the path as the next token.  Only a regular file is a
            # claim version: a gitlink (160000: a submodule's commit), a symbolic link (120000) or a
            # folder counts as no version at all, so its id is never read as a claim's text.
            parts = token[1:].split()
            if len(parts) >= 5:
                old = parts[2] if parts[0] in _FILE_MODES else NULL_BLOB
                new = parts[3] if parts[1] in _FILE_MODES else NULL_BLOB
                status = parts[4][:1]
                if old != NULL_BLOB or new != NULL_BLOB:
                    if status in "MT" and old == NULL_BLOB:
                        status = "A"  # e.g. a gitlink replaced by a file
                    elif status in "MT" and new == NULL_BLOB:
                        status = "D"
                    changes.append((old, new, status, tokens[i + 1]))
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


def _read_blobs(root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The versions to compare, through the reading layer: none larger than MAX_BLOB is read at all."""
    return read_blobs(root, blobs, limit=MAX_BLOB)


class _Versions:
    """Claim versions parsed from blobs, each at most once per run."""

    def __init__(self, raw: dict[str, bytes]) -> None:
        self.raw = raw
        self.parsed: dict[str, Claim | None] = {}

    def claim(self, claim_id: str, blob: str) -> Claim | None:
        if blob not in self.parsed:
            data = self.raw.pop(blob, None)
            try:
                self.parsed[blob] = None if data is None else parse_claim(claim_id, data, f"{CLAIMS_DIR}/{claim_id}.md")
            except Exception:  # noqa: BLE001 - an old version must never stop the build
                self.parsed[blob] = None
        return self.parsed[blob]


#: what each (claim, old blob, new blob, status, gone) change meant.  The same pair always means
#: the same, so `kb serve`, which rebuilds in one process, reads and compares each pair once.
_MEANING: dict[tuple[str, str, str, str, bool], tuple[str, ClaimChange | None, bool]] = {}
_MEANING_LIMIT = 500_000
#: below this many changes to read, a second process costs more than it saves
PARALLEL_CHANGES = 2000


def _wanted(old: str, new: str, status: str, gone: bool) -> tuple[str, ...]:
    """The blobs needed to say what a change meant."""
    if status == "A":
        return (new,) if gone else ()
    if status == "D":
        return (old,)
    return (old, new)


def _meaning(claim_id: str, old: str, new: str, status: str, gone: bool,
             versions: _Versions) -> tuple[str, ClaimChange | None, bool]:
    """(statement, change, shown) of one change; shown is False when no reader would notice it.

    *gone*: the claim no longer exists, so its statement must come from an old version
    (the pages show an existing claim as it is now: its addition is not read at all).
    """
    if status == "A":
        after = versions.claim(claim_id, new) if gone else None
        return (after.statement if after else "", None, True)
    if status == "D":
        before = versions.claim(claim_id, old)
        return (before.statement if before else "", None, True)
    before, after = versions.claim(claim_id, old), versions.claim(claim_id, new)
    if before is None or after is None:  # a version that no longer parses: "changed", without detail
        return (after.statement if after else "", None, True)
    change = compare_claims(before, after)
    return (after.statement, change, not change.empty)


Change = tuple[str, str, str, str, bool]  # (claim id, old blob, new blob, status, claim gone)
Meaning = tuple[str, ClaimChange | None, bool]


def _meanings_here(root: Path, todo: list[Change]) -> list[tuple[Change, Meaning]]:
    needed = sorted({blob for _k, old, new, status, gone in todo for blob in _wanted(old, new, status, gone)
                     if blob.strip("0")})
    versions = _Versions(_read_blobs(root, needed) if needed else {})
    return [(change, _meaning(*change, versions)) for change in todo]


def _meanings(root: Path, todo: list[Change]) -> list[tuple[Change, Meaning]]:
    """What each change meant; many changes are read and compared in two processes (fork)."""
    from generator.core import parallel

    workers = parallel.workers()
    light = [change for change in todo if not _wanted(*change[1:])]  # additions of existing claims
    todo = [change for change in todo if _wanted(*change[1:])]
    if len(todo) < PARALLEL_CHANGES or workers < 2:
        return _meanings_here(root, light + todo)
    # split by claim (todo is sorted by claim id), so that a version shared by two changes is read once
    size = -(-len(todo) // workers)
    chunks, start = [], 0
    while start < len(todo):
        end = min(len(todo), start + size)
        while end < len(todo) and todo[end][0] == todo[end - 1][0]:
            end += 1
        chunks.append(todo[start:end])
        start = end
    parts = parallel.fork_map(_meanings_here, [(root, chunk) for chunk in chunks], workers)
    return _meanings_here(root, light) + [item for part in parts for item in part]


def _repository(root: Path) -> tuple[bool, set[str]]:
    """(shallow, commits at a shallow clone's edge); raises GitError unless *root* is a repository's top."""
    lines = git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository", "--git-path", "shallow")
    top, shallow, shallow_file = (lines.decode("utf-8", "replace").splitlines() + ["", "", ""])[:3]
    # A project inside another repository (e.g. a test fixture) has no history of its own.
    if not top or Path(top).resolve() != root.resolve():
        raise GitError("not the top level of a git repository")
    edge: set[str] = set()
    if shallow.strip() == "true":
        path = Path(shallow_file) if Path(shallow_file).is_absolute() else root / shallow_file
        try:
            edge = set(read_bytes(path, limit=MAX_BLOB).decode("ascii").split())
        except (Refused, UnicodeDecodeError):
            pass
    return shallow.strip() == "true", edge


def read_history(root: Path) -> History:
    """The history of every claim under *root*/content/claims, or NO_HISTORY outside git."""
    try:
        shallow, edge = _repository(root)
        log = git(root, "log", "-z", "--no-renames", "--no-abbrev", "--raw", "--no-color", f"--format={_FORMAT}",
                   "HEAD", "--", CLAIMS_DIR)
        last = git(root, "log", "-1", "-z", f"--format={_FORMAT}", "HEAD", "--", CONTENT_DIR, "references.bib")
    except GitError:
        return NO_HISTORY
    try:
        version = _commit(last.decode("utf-8", "replace").rstrip("\0")) if last.strip(b"\0\n") else None
    except ValueError:  # a header that is not ours (a crafted message)
        version = None
    # claim id -> its raw changes, newest first (git log's order, which is deterministic)
    pending: dict[str, list[tuple[int, Commit, str, str, str]]] = {}
    for order, (commit, changes) in enumerate(_walk(log)):
        for old, new, status, path in changes:
            claim_id = _claim_id(path)
            if claim_id is not None:
                pending.setdefault(claim_id, []).append((order, commit, old, new, status))
    # Only the LATEST newest changes of a claim can be shown anywhere: older ones are never read.
    plan = {k: changes[:LATEST] for k, changes in pending.items()}
    gone = {k: changes[0][4] == "D" for k, changes in plan.items()}
    if len(_MEANING) > _MEANING_LIMIT:
        _MEANING.clear()
    todo = sorted({(k, old, new, status, gone[k]) for k, changes in plan.items()
                   for _o, _c, old, new, status in changes} - _MEANING.keys())
    try:
        _MEANING.update(_meanings(root, todo))
    except GitError:
        return NO_HISTORY
    kept: dict[str, list[tuple[int, HistoryEntry]]] = {}
    for claim_id in sorted(plan):
        entries = kept.setdefault(claim_id, [])
        for order, commit, old, new, status in plan[claim_id]:
            statement, change, shown = _MEANING[(claim_id, old, new, status, gone[claim_id])]
            if not shown:
                continue
            kind: Kind = "added" if status == "A" else "removed" if status == "D" else "changed"
            if kind == "added" and commit.hash in edge:
                kind = "earliest"
            entries.append((order, HistoryEntry(claim_id, commit, kind, statement, change)))
    everything = sorted((item for items in kept.values() for item in items
                         if item[1].kind != "earliest"),  # a shallow clone's edge is no change
                        key=lambda item: (-item[1].commit.when.timestamp(), item[0], item[1].claim))
    return History(
        available=True, incomplete=shallow,
        claims={k: tuple(e for _, e in items[:PER_CLAIM]) for k, items in kept.items() if items},
        latest=tuple(e for _, e in everything[:LATEST]),
        version=version,
    )
