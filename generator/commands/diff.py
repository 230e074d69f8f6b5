"""`kb diff REV`: what a pull request changes in the evidence, as Markdown for a PR comment.

The revision comes from whoever runs the command (in CI: from the pull
request), so it is never put where git could read it as an option: it is
resolved to a commit id first (`git rev-parse --verify --end-of-options`),
and only that id reaches `git ls-tree`.  The old revision's Markdown and
references.bib are read through the reading layer (sizes first, nothing over
its limit read) into a temporary folder, with symlinks and submodules left
out: a link in an old revision is not followed anywhere.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.checks.check import run_check
from generator.changes.compare import cites, compare_claims
from generator.intake.bibliography import MAX_BIB_BYTES
from generator.intake.config import Settings
from generator.intake.content_files import MAX_MARKDOWN_BYTES
from generator.intake.reader import GitError, git, read_blobs
from generator.core.errors import DiffError
from generator.core.writer import make_dirs, temp_dir, write_sparse, write_staged

__all__ = ["DiffError", "diff_markdown", "resolve_revision"]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True)


def resolve_revision(root: Path, revision: str) -> str:
    """The commit id *revision* names in the git repository holding *root*; DiffError otherwise."""
    if not revision.strip() or revision.startswith("-") or any(c in revision for c in "\x00\n\r"):
        raise DiffError(f"'{revision}' is not a git revision (it looks like an option or is empty)",
                        "Give a branch, tag or commit, e.g. `kb diff origin/main`.")
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError as exc:
        raise DiffError("git is not installed; kb diff compares with a git revision") from exc
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise DiffError(f"{root} is not inside a git repository; kb diff compares the claims with a git revision",
                        "Run it in a clone of the knowledge base.")
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    commit = found.stdout.decode("ascii", "replace").strip()
    if found.returncode != 0 or not commit or any(c not in "0123456789abcdef" for c in commit):
        raise DiffError(f"unknown git revision '{revision}'", "Try `git log --oneline` for the revisions.")
    return commit


def _snapshot(root: Path, commit: str, into: Path) -> None:
    """Write content/'s Markdown and references.bib as they were at *commit* into *into* (read-only).

    Through the reading layer: the tree is listed with each file's size (`git ls-tree --long`),
    only regular files are taken (no links, no submodules), and a file over its limit is never
    read: it is written as an empty sparse file of its size, which the loaders refuse by size
    as they would have refused the real one.  Paths are checked to stay inside *into*.
    """
    try:
        listing = git(root, "ls-tree", "-r", "-z", "--long", "--end-of-options", commit, "--", "content",
                      "references.bib")
    except GitError as exc:
        raise DiffError(f"cannot list that revision's files: {exc}") from exc
    wanted: dict[str, str] = {}  # blob id -> path
    large: list[tuple[str, int]] = []
    for record in listing.split(b"\0"):
        head, tab, raw_path = record.partition(b"\t")
        parts = head.split()
        if not tab or len(parts) != 4 or parts[0] not in (b"100644", b"100755") or parts[1] != b"blob":
            continue  # links (120000), submodules (160000) and anything else: left out
        path = raw_path.decode("utf-8", "replace")
        pieces = path.split("/")
        if path != "references.bib" and not (pieces[0] == "content" and path.endswith(".md")):
            continue
        if any(piece in ("", ".", "..") for piece in pieces):
            continue
        limit = MAX_BIB_BYTES if path == "references.bib" else MAX_MARKDOWN_BYTES
        size = int(parts[3]) if parts[3].isdigit() else limit + 1
        if size > limit:
            large.append((path, size))
        else:
            wanted[parts[2].decode("ascii")] = path
    try:
        blobs = read_blobs(root, sorted(wanted), limit=max(MAX_BIB_BYTES, MAX_MARKDOWN_BYTES))
    except GitError as exc:
        raise DiffError(f"cannot read that revision's files: {exc}") from exc
    files = [(path, blobs.get(blob, b"")) for blob, path in wanted.items()]
    for path, data in files:
        target = into.joinpath(*path.split("/"))
        make_dirs(target.parent)
        write_staged(target, data)
    for path, size in large:
        target = into.joinpath(*path.split("/"))
        make_dirs(target.parent)
        write_sparse(target, size)


def diff_markdown(root: Path, revision: str, settings: Settings) -> str:
    commit = resolve_revision(root, revision)
    with temp_dir(root, "kb-diff-") as tmp:  # refused when TMPDIR points into content/ or .git
        _snapshot(root, commit, Path(tmp))
        before = run_check(Path(tmp), settings).kb
    after = run_check(root, settings).kb
    added = sorted(set(after.claims) - set(before.claims))
    removed = sorted(set(before.claims) - set(after.claims))
    changes = {k: compare_claims(before.claims[k], after.claims[k])
               for k in sorted(set(after.claims) & set(before.claims))}
    changed = [k for k, change in changes.items() if change.evidence_changed]
    lines = [f"## Evidence changes since `{revision}`", ""]
    if not (added or removed or changed):
        lines.append("No claim was added, removed or changed.")
    for title, ids, kb in (("Added claims", added, after), ("Removed claims", removed, before)):
        if ids:
            lines += [f"### {title} ({len(ids)})", ""]
            for k in ids:
                c = kb.claims[k]
                sources = ", ".join(f"`{s}` ({st})" for s, st in sorted(cites(c).items()))
                lines.append(f"- **{k}**: {c.statement} — certainty {c.certainty}; cites {sources}")
            lines.append("")
    if changed:
        lines += [f"### Changed claims ({len(changed)})", ""]
        for k in changed:
            change, bits = changes[k], []
            if change.statement:
                bits.append(f"statement: “{change.statement[0]}” → “{change.statement[1]}”")
            if change.certainty:
                bits.append(f"certainty {change.certainty[0]} → {change.certainty[1]}")
            if change.status:
                bits.append(f"status {change.status[0]} → {change.status[1]}")
            if change.gained:
                bits.append("gained " + ", ".join(f"`{s}` ({stance})" for s, stance in change.gained))
            if change.lost:
                bits.append("lost " + ", ".join(f"`{s}`" for s, _stance in change.lost))
            if change.restanced:
                bits.append("stance " + ", ".join(f"`{s}` {old} → {new}" for s, old, new in change.restanced))
            lines.append(f"- **{k}**: " + "; ".join(bits))
        lines.append("")
    lines += _unexplained(root, commit, settings.language)
    return "\n".join(lines).rstrip() + "\n"


def _unexplained(root: Path, commit: str, language: str) -> list[str]:
    """The content commits since *commit* that give readers no reason (their pages show none)."""
    from generator.changes.history import TRAILER
    from generator.changes.reasons import ReasonsError, unexplained_commits

    try:
        found = unexplained_commits(root, commit, language)
    except ReasonsError:
        return []
    if not found:
        return []
    key = TRAILER.get(language, TRAILER["en"])
    lines = [f"### Content commits without a reason for readers ({len(found)})", "",
             f"Readers see these changes without a reason: add a last paragraph `{key}: ...` to each message.", ""]
    for c in found:
        subject = "".join(ch for ch in c.subject if ch not in "`<>[]")
        lines.append(f"- `{c.hash[:7]}` “{subject}” ({len(c.files)} file(s))")
    return lines + [""]
