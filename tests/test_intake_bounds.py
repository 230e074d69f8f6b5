"""Every file kb reads from the repository is read with the same bounds (issue 18: one intake, finding 14).

A pull request can name any file in a setting or commit any link: `retractions = "/dev/zero"`
read memory without bound and ended in a MemoryError traceback.  Whatever the file (a device,
a FIFO, a folder, a link out of the project, a file larger than its limit), `kb check` reports
it as a diagnostic, quickly, and never reads it whole.  Each command here runs with its address
space capped, so a reader that would read without bound fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project

KB = str(Path(sys.executable).with_name("kb"))
MEMORY = 1024 * 1024 * 1024  # bytes of address space a `kb check` of a tiny project may use


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _check(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KB, "check", "--root", str(root), *extra], capture_output=True, text=True, timeout=120,
                          preexec_fn=_capped, env={**os.environ, "SOURCE_DATE_EPOCH": "1780272000"})


def _project(tmp_path: Path, setting: str | None) -> Path:
    files: dict[str, str | bytes | None] = {}
    if setting is not None:
        files["pyproject.toml"] = f'[tool.kb]\nretractions = "{setting}"\n'
    return make_project(tmp_path / "kb", files)


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


RETRACTIONS = {  # name -> (setting, how to make the file named "data/rw.csv" or "data/" in the project)
    "/dev/zero": ("/dev/zero", None),
    "/dev/urandom": ("/dev/urandom", None),
    "a committed link to /dev/zero": ("data/rw.csv", lambda root: (root / "data").mkdir() or
                                      (root / "data/rw.csv").symlink_to("/dev/zero")),
    "a link out of the project": ("data/rw.csv", lambda root: (root.parent / "elsewhere.csv").write_text(
        "Record ID\n") and ((root / "data").mkdir() or (root / "data/rw.csv").symlink_to(root.parent / "elsewhere.csv"))),
    "../ out of the project": ("../elsewhere.csv", lambda root: (root.parent / "elsewhere.csv").write_text("x\n")),
    "a FIFO": ("data/rw.csv", lambda root: _fifo(root / "data/rw.csv")),
    "a folder": ("data", lambda root: (root / "data").mkdir()),
}


@pytest.mark.parametrize("name", list(RETRACTIONS))
def test_a_retractions_file_that_is_no_regular_project_file_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    setting, make = RETRACTIONS[name]
    root = _project(tmp_path, setting)
    if make is not None:
        make(root)
    done = _check(root)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-1500:]
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[retractions-file]" in done.stdout
    assert "is not read" in done.stdout or "cannot be read" in done.stdout


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_retractions_named_on_the_command_line_are_bounded_too(tmp_path: Path, target: str) -> None:
    root = _project(tmp_path, None)
    if target == "fifo":
        _fifo(tmp_path / "rw.fifo")
        target = str(tmp_path / "rw.fifo")
    done = _check(root, "--retractions", target)
    assert "Traceback" not in done.stderr, done.stderr[-1500:]
    assert done.returncode == 1 and "[retractions-file]" in done.stdout


def test_a_csv_without_line_breaks_is_not_read_whole(tmp_path: Path) -> None:
    """300 MB without a line break: read in bounded pieces, reported, within the memory cap."""
    root = _project(tmp_path, "rw.csv")
    with open(root / "rw.csv", "wb") as handle:
        handle.write(b"Record ID," + b"x" * 10)
        handle.truncate(300 * 1024 * 1024)  # a sparse file: no disk used
    done = _check(root)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-1500:]
    assert done.returncode == 1 and "[retractions-file]" in done.stdout


@pytest.mark.parametrize("kind", ["link to /dev/zero", "fifo", "link out of the project", "too large"])
def test_pyproject_toml_is_read_with_the_same_bounds(tmp_path: Path, kind: str) -> None:
    root = make_project(tmp_path / "kb")
    path = root / "pyproject.toml"
    if kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        _fifo(path)
    elif kind == "link out of the project":
        (tmp_path / "other.toml").write_text('[tool.kb]\nstale_months = 3\n', encoding="utf-8")
        path.symlink_to(tmp_path / "other.toml")
    else:
        path.write_text("# padding\n" * 200_000, encoding="utf-8")
    done = _check(root)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-1500:]
    assert done.returncode == 1, done.stdout + done.stderr
    assert "pyproject.toml" in done.stdout and "[invalid-setting]" in done.stdout


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to /dev/zero"])
def test_references_bib_that_is_no_regular_file_is_refused_without_waiting(tmp_path: Path, kind: str) -> None:
    root = make_project(tmp_path / "kb", {"references.bib": None})
    path = root / "references.bib"
    if kind == "fifo":
        _fifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    done = _check(root)
    assert "Traceback" not in done.stderr, done.stderr[-1500:]
    assert done.returncode == 1 and "references.bib" in done.stdout
