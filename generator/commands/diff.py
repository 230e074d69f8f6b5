"""`kb diff REV`: what a pull request changes in the evidence, as Markdown for a PR comment.

The revision comes from whoever runs the command (in CI: from the pull
request), so it is never put where git could read it as an option: it is
resolved to a commit id first (`git rev-parse --verify --end-of-options`),
and only that id reaches `git archive`.  The old revision's files are
extracted into a temporary folder with symlinks, hard links and devices
left out: a link in an old revision is not followed anywhere.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from generator.checks.check import run_check
from generator.changes.compare import cites, compare_claims
from generator.intake.config import Settings
from generator.core.errors import DiffError
from generator.core.protected import refuse_protected

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
    """Extract content/ and references.bib as they were at *commit* (read-only: git archive)."""
    for path in ("content", "references.bib"):  # an older revision may lack one of them
        one = _git(root, "archive", "--format=tar", commit, "--", path)
        if one.returncode == 0:
            _extract(one.stdout, into)


def _plain_members(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """Only files and folders, with tarfile's `data` safety rules; links and devices are left out."""
    if not (member.isfile() or member.isdir()):
        return None
    return tarfile.data_filter(member, dest)


def _extract(data: bytes, into: Path) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(into, filter=_plain_members)
    except tarfile.TarError as exc:
        raise DiffError(f"cannot read that revision's files: {exc}") from exc


def diff_markdown(root: Path, revision: str, settings: Settings) -> str:
    commit = resolve_revision(root, revision)
    refuse_protected(root, Path(tempfile.gettempdir()))  # TMPDIR pointing into content/ or .git
    with tempfile.TemporaryDirectory() as tmp:
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
