"""`kb diff REV`: what a pull request changes in the evidence, as Markdown for a PR comment."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from generator.check import run_check
from generator.compare import cites, compare_claims
from generator.config import Settings


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


def _extract(data: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")


def diff_markdown(root: Path, revision: str, settings: Settings) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        _snapshot(root, revision, Path(tmp))
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
    return "\n".join(lines).rstrip() + "\n"
