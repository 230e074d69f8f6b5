"""Reproducible builds: the same input with SOURCE_DATE_EPOCH gives byte-identical output, every file.

The builds run as separate `kb` processes (as CI and editors run them), into
different folders and from copies of the project in different places, so
neither the clock, the process, the output path nor the checkout path may
leak into a file.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def run_kb(*args: str, epoch: str | None = EPOCH, cwd: Path | None = None,
           prelude: str = "") -> subprocess.CompletedProcess[str]:
    """`kb ARGS` in a fresh process; *prelude* is Python run first (e.g. to switch something off)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    env["PYTHONHASHSEED"] = "random"  # set ordering must not leak into the output either
    command = [sys.executable, "-m", "generator"] if not prelude else [
        sys.executable, "-c", f"{prelude}; import sys; sys.argv[0] = 'kb'; from generator.commands.cli import main; main()"]
    return subprocess.run([*command, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_identical(a: Path, b: Path) -> None:
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb), f"different file sets: {sorted(set(fa) ^ set(fb))[:10]}"
    differ = [name for name in fa if fa[name] != fb[name]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:10]}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = kbproject.write_project(tmp_path_factory.mktemp("repro") / "project")
    # more than one of everything, so ordering matters
    extra_claim = kbproject.CLAIM.replace("Exercise therapy reduces", "Hip training reduces")
    (root / "content/claims/hip-training.md").write_text(extra_claim, encoding="utf-8")
    (root / "content/injuries/shin-splints.md").write_text(
        kbproject.INJURY.replace("Runner's knee", "Shin splints"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def first_build(project: Path) -> Path:
    out = project.parent / "site-a"
    res = run_kb("build", "--root", str(project), "--out", str(out))
    assert res.returncode == 0, res.stderr
    return out


def test_two_builds_are_byte_identical(project: Path, first_build: Path) -> None:
    time.sleep(1.1)  # a different second on the clock: the build time must not show
    out = project.parent / "site-b"
    res = run_kb("build", "--root", str(project), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert_identical(first_build, out)
    names = files(out)
    # the files most likely to carry a clock or a path are really there and compared
    for name in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "index.html", "api/claims.json"):
        assert name in names, name


def test_rebuild_in_place_is_identical(project: Path, first_build: Path, tmp_path: Path) -> None:
    copy = tmp_path / "before"
    shutil.copytree(first_build, copy)
    res = run_kb("build", "--root", str(project), "--out", str(first_build))
    assert res.returncode == 0, res.stderr
    assert_identical(copy, first_build)


def test_checkout_location_does_not_leak(project: Path, first_build: Path, tmp_path: Path) -> None:
    """CI builds a fresh clone in another folder: the site must be the same."""
    elsewhere = tmp_path / "some" / "other" / "clone"
    shutil.copytree(project, elsewhere, ignore=shutil.ignore_patterns("site*"))
    out = tmp_path / "out-elsewhere"
    res = run_kb("build", "--root", str(elsewhere), "--out", str(out), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert_identical(first_build, out)
    for name, data in files(out).items():
        assert str(elsewhere).encode() not in data and str(tmp_path).encode() not in data, name


def test_sitemap_dates_follow_source_date_epoch(first_build: Path) -> None:
    raw = (first_build / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(raw[4:8], "little") == int(EPOCH), "gzip header time is not SOURCE_DATE_EPOCH"
    assert gzip.decompress(raw) == (first_build / "sitemap.xml").read_bytes()


def test_pages_only_is_byte_identical(project: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "pages-a", tmp_path / "pages-b"
    for out in (a, b):
        res = run_kb("build", "--root", str(project), "--pages-only", str(out))
        assert res.returncode == 0, res.stderr
    assert_identical(a, b)


def test_low_memory_mode_changes_no_byte(tmp_path: Path) -> None:
    """The plugin parks each page's HTML compressed between conversion and rendering and drops
    the Markdown once converted (low_memory, on by default): the published site must not notice."""
    root = Path(__file__).resolve().parent.parent
    sites = {}
    for low_memory in (True, False):
        project = tmp_path / f"project-{low_memory}"
        project.mkdir()
        for name in ("content", "references.bib", "mkdocs.yml", "pyproject.toml"):
            (shutil.copytree if (root / name).is_dir() else shutil.copy2)(root / name, project / name)
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        assert "\n  - kb\n" in config
        if not low_memory:
            (project / "mkdocs.yml").write_text(config.replace("\n  - kb\n", "\n  - kb:\n      low_memory: false\n"),
                                                encoding="utf-8")
        sites[low_memory] = tmp_path / f"site-{low_memory}"
        res = run_kb("build", "--root", str(project), "--out", str(sites[low_memory]))
        assert res.returncode == 0, res.stderr
    assert_identical(sites[True], sites[False])

