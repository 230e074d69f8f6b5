"""The theme writes pages in two processes (generator/engines/page_workers.py): same site, same errors.

A reader must not be able to tell whether a second process wrote half of the pages, and an
editor must see every warning and error a page gives, whichever process met it.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest

from generator.core import parallel
from generator.core.errors import BuildFailed
from generator.engines.build import build as build_site

ROOT = Path(__file__).resolve().parent.parent
SECOND = "a second process writes"

needs_two = pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores and fork")


@pytest.fixture(autouse=True)
def _no_other_threads() -> None:
    """kb forks only while no other thread runs (parallel.workers): a thread an earlier test left
    running (a site server) would make these tests of two processes test one, and fail obscurely."""
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by earlier tests: {others}"


def shipped(tmp_path: Path, name: str = "project") -> Path:
    project = tmp_path / name
    project.mkdir()
    for item in ("content", "references.bib", "mkdocs.yml", "pyproject.toml"):
        (shutil.copytree if (ROOT / item).is_dir() else shutil.copy2)(ROOT / item, project / item)
    return project


def build(project: Path, out: Path) -> list[str]:
    said: list[str] = []
    build_site(project, out, progress=said.append)
    return said


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@needs_two
def test_two_processes_give_the_same_site_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = shipped(tmp_path)
    said = build(project, tmp_path / "two")
    assert any(SECOND in line for line in said), said
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("\n  - kb\n", "\n  - kb:\n      parallel: false\n"),
                                        encoding="utf-8")
    said = build(project, tmp_path / "one")
    assert not any(SECOND in line for line in said)
    two, one = files_of(tmp_path / "two"), files_of(tmp_path / "one")
    assert sorted(two) == sorted(one)
    assert [name for name in one if one[name] != two[name]] == []
    assert b"application/ld+json" in two["claims/previous-injury-risk-factor/index.html"]


@needs_two
def test_an_unknown_plugin_keeps_one_process(tmp_path: Path) -> None:
    """A plugin we do not know may keep state between pages: the child would not share it."""
    project = shipped(tmp_path)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("\n  - kb\n", "\n  - kb\n  - tags\n"), encoding="utf-8")
    said = build(project, tmp_path / "site")
    assert not any(SECOND in line for line in said)
    assert (tmp_path / "site" / "index.html").is_file()


def _fail_in_child(monkeypatch: pytest.MonkeyPatch, action) -> None:
    """Make MkDocs' _build_page misbehave in the child only (the parent's pid is the test's)."""
    import mkdocs.commands.build as mk

    parent = os.getpid()
    original = mk._build_page

    def patched(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and page.file.src_uri.startswith("claims/"):
            action(page)
        return original(page, *args, **kwargs)

    monkeypatch.setattr(mk, "_build_page", patched)


@needs_two
def test_an_error_in_the_second_process_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(page) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError(f"template exploded on {page.file.src_uri}")

    _fail_in_child(monkeypatch, boom)
    out = tmp_path / "site"
    with pytest.raises(BuildFailed, match=r"writing pages failed: RuntimeError: template exploded on claims/"):
        build(shipped(tmp_path), out)
    assert not out.exists(), "a failed build must not publish a half-written site"
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child was waited for: no zombie


@needs_two
def test_a_warning_in_the_second_process_fails_a_strict_build(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    warned = {"done": False}

    def warn(page) -> None:  # type: ignore[no-untyped-def]
        if not warned["done"]:
            warned["done"] = True
            logging.getLogger("mkdocs.commands.build").warning("odd link on %s", page.file.src_uri)

    _fail_in_child(monkeypatch, warn)
    with pytest.raises(BuildFailed, match=r"odd link on claims/"):
        build(shipped(tmp_path), tmp_path / "site")  # the shipped mkdocs.yml is strict


@needs_two
def test_a_failure_in_the_parent_ends_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.build as mk

    parent = os.getpid()
    original = mk._build_page

    def patched(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() == parent and page.file.src_uri == "methode.md":
            raise RuntimeError("parent broke")
        return original(page, *args, **kwargs)

    monkeypatch.setattr(mk, "_build_page", patched)
    with pytest.raises(BuildFailed, match="parent broke"):
        build(shipped(tmp_path), tmp_path / "site")
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)

