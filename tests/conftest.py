"""Shared helpers: tiny knowledge bases built in tmp_path from plain dicts.

A project is a dict {relative path: text or bytes}.  `BASE` is the smallest
clean project (one injury, one claim, one source); tests copy it, change or
add a file, and assert the exact diagnostics.  The texts are written out in
full so that the line numbers the tests assert can be counted by eye.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from generator.checks.check import CheckResult, run_check
from generator.intake.config import Settings
from generator.core.diagnostics import Diagnostic

#: the date every check in the tests runs on (stale-review depends on it)
TODAY = _dt.date(2026, 6, 1)
SOURCE_DATE_EPOCH = "1780272000"  # 2026-06-01T00:00:00Z


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


BIB = dedent("""
    @article{smith2020,
      author = {Smith, Anna},
      title = {Running injuries in novice runners},
      journal = {Journal of Running},
      year = {2020},
    }
    """)

INJURY = dedent("""
    ---
    title: Shin splints
    summary: Pain along the shin bone.
    ---
    Pain along the inner edge of the shin.
    """)

CLAIM = dedent("""
    ---
    statement: Relative rest helps shin splints.
    type: advice
    injuries: [shin-splints]
    certainty: low
    evidence:
      - source: smith2020
        quote: Runners on relative rest recovered sooner.
        locator: abstract
        stance: supports
    reviewed: 2026-01-01
    grade: {start: low}
    ---
    Rest for a few weeks.
    """)

BASE: dict[str, str | bytes] = {
    "references.bib": BIB,
    "content/injuries/shin-splints.md": INJURY,
    "content/claims/rest-helps.md": CLAIM,
}


def write_project(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write *files* under *root*; a value of None leaves that file out."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def make_project(root: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    files: dict[str, str | bytes | None] = dict(BASE)
    files.update(changes or {})
    return write_project(root, files)


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"today": TODAY}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def check(root: Path, **overrides: object) -> CheckResult:
    return run_check(root, settings(**overrides))


def found(result: CheckResult) -> list[tuple[str, str, int | None]]:
    """(code, file, line) of every diagnostic, for compact assertions."""
    return [(d.code, d.file, d.line) for d in result.diagnostics]


def by_code(result: CheckResult, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


@pytest.fixture
def reproducible_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings().today and the CLI read SOURCE_DATE_EPOCH: pin it (opt in with usefixtures)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return make_project(tmp_path / "kb")


def kb_cli(*args: str):
    """Run kb in-process (click's CliRunner); an uncaught exception fails the test (no traceback ever
    reaches an editor).  Returns click's Result."""
    from click.testing import CliRunner

    from generator.commands.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kb {' '.join(args)} raised {result.exception!r}") from result.exception
    return result


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


def load_kbproject():
    """tests/payloads/kbproject.py, the realistic small project of the hostile-input tests (by path)."""
    spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """kbproject's realistic project in tmp_path/project, written afresh for each test (tests change
    it).  A module with a project of another shape defines its own `project` fixture."""
    return load_kbproject().write_project(tmp_path / "project")


@pytest.fixture(scope="session")
def shipped_sites(tmp_path_factory: pytest.TempPathFactory):
    """The shipped project built once per engine and served, for every browser module that only
    reads it (tests/browser_support.py, SharedSites); built on first use."""
    from browser_support import SharedSites

    sites = SharedSites(tmp_path_factory.mktemp("shipped-sites"))
    try:
        yield sites
    finally:
        sites.close()


def pytest_report_header(config: pytest.Config) -> str:
    return f"kb tests: SOURCE_DATE_EPOCH={SOURCE_DATE_EPOCH} ({TODAY}); KB_UPDATE_GOLDEN={os.environ.get('KB_UPDATE_GOLDEN', '')}"


# Builds in tests must not touch the developer's own reference cache (~/.cache/kb).
import tempfile as _tempfile  # noqa: E402

os.environ.setdefault("KB_CACHE_DIR", _tempfile.mkdtemp(prefix="kb-test-cache-"))
