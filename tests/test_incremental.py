"""After one claim changes, `kb build --pages-only` rewrites only the pages whose text changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _kb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True)


def _first_build(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped knowledge base and its pages, built once."""
    project = tmp_path / "kb"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "references.bib", project / "references.bib")
    out = tmp_path / "pages"
    assert _kb("build", "--root", str(project), "--pages-only", str(out)).returncode == 0
    return project, out


def test_one_claim_edit_rewrites_few_pages(tmp_path: Path) -> None:
    project, out = _first_build(tmp_path)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    for p in before:  # make any rewrite visible in the mtime
        os.utime(p, ns=(1, 1))
    claim = sorted((project / "content" / "claims").glob("*.md"))[0]
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("certainty_reason: \"", "certainty_reason: \"Herzien. ", 1)
                     if "certainty_reason: \"" in text else text + "\nExtra uitleg.\n", encoding="utf-8")
    run = _kb("build", "--root", str(project), "--pages-only", str(out))
    assert run.returncode == 0, run.stderr
    assert "files rewritten" in run.stdout
    touched = [p for p in before if p.stat().st_mtime_ns != 1]
    assert 1 <= len(touched) <= 12, [p.relative_to(out).as_posix() for p in touched]
    assert out / "claims" / claim.name in touched
    assert len(touched) < len(before) / 5


def test_removed_claim_page_is_removed(tmp_path: Path) -> None:
    project, out = _first_build(tmp_path)
    victim = next(p for p in sorted((project / "content" / "claims").glob("*.md"))
                  if "superseded" not in p.read_text(encoding="utf-8"))
    victim.unlink()
    run = _kb("build", "--root", str(project), "--pages-only", str(out))
    if run.returncode == 0:
        assert not (out / "claims" / victim.name).exists()
    else:  # the claim was needed (e.g. a superseded_by target): the old pages stay as they were
        assert (out / "claims" / victim.name).exists()
