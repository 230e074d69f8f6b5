"""Editors' workflow: `kb new` skeletons pass `kb check`; `kb diff` reports evidence changes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    return root


@pytest.mark.parametrize("kind", ["injury", "risk-factor", "intervention", "page"])
def test_new_entity_then_check_passes(project: Path, kind: str) -> None:
    made = kb("new", kind, "nieuw-onderwerp", cwd=project)
    assert made.returncode == 0, made.stderr
    checked = kb("check", cwd=project)
    assert checked.returncode == 0, checked.stdout


def test_new_claim_then_check_passes_and_never_overwrites(project: Path) -> None:
    args = ("new", "claim", "nieuwe-bewering", "--injury", "achilles-tendinopathy", "--source", "beyer2015")
    assert kb(*args, cwd=project).returncode == 0
    path = project / "content" / "claims" / "nieuwe-bewering.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=")
    assert kb("check", "--strict", cwd=project).returncode == 0
    again = kb(*args, cwd=project)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == text


def test_new_rejects_invalid_ids(project: Path) -> None:
    for bad in ("Foo", "../x", "index", "con", "a b"):
        run = kb("new", "injury", bad, cwd=project)
        assert run.returncode != 0
    assert not any(p.stem in {"Foo", "index", "con"} for p in (project / "content" / "injuries").iterdir())


def test_diff_reports_gained_and_lost_citations(project: Path) -> None:
    git = lambda *a: subprocess.run(["git", "-C", str(project), *a], check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    claim = project / "content" / "claims" / "hsr-achilles-patellar.md"
    if not claim.exists():
        claim = sorted((project / "content" / "claims").glob("*.md"))[0]
    text = claim.read_text(encoding="utf-8")
    first_source = text.split("source:", 1)[1].split()[0]
    claim.write_text(text.replace(f"source: {first_source}", "source: yamato2015", 1), encoding="utf-8")
    (project / "content" / "claims" / "extra.md").write_text(
        "---\nstatement: Test.\ntype: advice\ninjuries: [achilles-tendinopathy]\ncertainty: low\n"
        "evidence:\n  - source: beyer2015\n    stance: supports\nreviewed: 2026-11-29\n---\n", encoding="utf-8")
    out = kb("diff", "HEAD", cwd=project)
    assert out.returncode == 0, out.stderr
    assert "### Added claims (1)" in out.stdout and "**extra**" in out.stdout
    assert f"**{claim.stem}**" in out.stdout and "gained `yamato2015`" in out.stdout
    assert f"lost `{first_source}`" in out.stdout or first_source == "yamato2015"
