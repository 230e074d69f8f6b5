"""SOURCE_DATE_EPOCH is range-checked once, where it is read (issue 18, finding 17).

A value after 2106-02-07 was accepted, and the default build then failed half-way with
"'L' format requires 0 <= number <= 4294967295" (gzip keeps the time in 32 bits).  Every
value the build cannot carry to the end is refused before any work, with the variable named.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project

KB = str(Path(sys.executable).with_name("kb"))


def _kb(root: Path, epoch: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KB, *args], cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch})


@pytest.mark.parametrize("epoch", ["4294967296", "99999999999", "253402300800", "999999999999"])
@pytest.mark.parametrize("command", [("build", "--out", "site"), ("build", "--pages-only", "pages"), ("check",)])
def test_an_epoch_past_2106_is_refused_at_the_start(tmp_path: Path, epoch: str, command: tuple[str, ...]) -> None:
    root = make_project(tmp_path / "kb")
    done = _kb(root, epoch, *command)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "SOURCE_DATE_EPOCH" in done.stderr and "2106" in done.stderr
    assert "Traceback" not in done.stderr and "format requires" not in done.stderr
    assert not (root / "site").exists() and not (root / "pages").exists()
    assert not [p.name for p in root.iterdir() if p.name.startswith(".site")]


def test_the_last_epoch_gzip_can_carry_still_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path / "kb")
    done = _kb(root, "4294967295", "build", "--out", "site")
    assert done.returncode == 0, done.stderr[-2000:]
    assert (root / "site/index.html").is_file()
