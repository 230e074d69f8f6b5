"""`kb diff REV`: what a pull request changes in the evidence, as Markdown for a PR comment."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from generator.check import run_check
from generator.config import Settings
from generator.model import Claim


class DiffError(Exception):
    pass


def _snapshot(root: Path, revision: str, into: Path) -> None:
    """Extract content/ and references.bib as they were at *revision* (read-only: git archive)."""
    run = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", revision, "--", "content",
                          "references.bib"], capture_output=True)
    if run.returncode != 0:
        # an older revision may lack references.bib or content/: try each path alone
        for path in ("content", "references.bib"):
            one = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", revision, "--", path],
                                 capture_output=True)
            if one.returncode == 0:
                _extract(one.stdout, into)
            elif b"not a valid" in one.stderr or b"unknown revision" in one.stderr or b"bad revision" in one.stderr:
                raise DiffError(f"unknown git revision '{revision}'")
        return
    _extract(run.stdout, into)


def _files_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """Extract files and folders only: a link in the revision (to /etc/passwd, or ..) is no content."""
    if not (member.isfile() or member.isdir()):
        return None
    return tarfile.data_filter(member, path)


def _extract(data: bytes, into: Path) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(into, filter=_files_only)
    except tarfile.TarError as exc:
        raise DiffError(f"cannot read that revision's files: {exc}") from exc


def _cites(claim: Claim) -> dict[str, str]:
    return {ev.source: ev.stance for ev in claim.evidence}


def diff_markdown(root: Path, revision: str, settings: Settings) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        _snapshot(root, revision, Path(tmp))
        before = run_check(Path(tmp), settings).kb
    after = run_check(root, settings).kb
    added = sorted(set(after.claims) - set(before.claims))
    removed = sorted(set(before.claims) - set(after.claims))
    changed = sorted(k for k in set(after.claims) & set(before.claims)
                     if (after.claims[k].statement, after.claims[k].certainty, _cites(after.claims[k]),
                         after.claims[k].status) !=
                     (before.claims[k].statement, before.claims[k].certainty, _cites(before.claims[k]),
                      before.claims[k].status))
    lines = [f"## Evidence changes since `{revision}`", ""]
    if not (added or removed or changed):
        lines.append("No claim was added, removed or changed.")
    for title, ids, kb in (("Added claims", added, after), ("Removed claims", removed, before)):
        if ids:
            lines += [f"### {title} ({len(ids)})", ""]
            for k in ids:
                c = kb.claims[k]
                sources = ", ".join(f"`{s}` ({st})" for s, st in sorted(_cites(c).items()))
                lines.append(f"- **{k}**: {c.statement} — certainty {c.certainty}; cites {sources}")
            lines.append("")
    if changed:
        lines += [f"### Changed claims ({len(changed)})", ""]
        for k in changed:
            old, new = before.claims[k], after.claims[k]
            bits = []
            if old.statement != new.statement:
                bits.append(f"statement: “{old.statement}” → “{new.statement}”")
            if old.certainty != new.certainty:
                bits.append(f"certainty {old.certainty} → {new.certainty}")
            if old.status != new.status:
                bits.append(f"status {old.status} → {new.status}")
            oc, nc = _cites(old), _cites(new)
            gained = sorted(set(nc) - set(oc))
            lost = sorted(set(oc) - set(nc))
            restanced = sorted(s for s in set(oc) & set(nc) if oc[s] != nc[s])
            if gained:
                bits.append("gained " + ", ".join(f"`{s}` ({nc[s]})" for s in gained))
            if lost:
                bits.append("lost " + ", ".join(f"`{s}`" for s in lost))
            if restanced:
                bits.append("stance " + ", ".join(f"`{s}` {oc[s]} → {nc[s]}" for s in restanced))
            lines.append(f"- **{k}**: " + "; ".join(bits))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
