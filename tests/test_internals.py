"""generator/engines/internals.py: private MkDocs/Material names are reached only on versions kb was tested on.

On another version the build still works, the slower public way: Material indexes the pages
itself, one process writes every page, and the build says which versions kb was tested on.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands.cli import main
from generator.engines import internals

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]


def test_the_installed_versions_are_the_tested_ones() -> None:
    """The suite runs on the versions TESTED names (update both together when upgrading)."""
    assert internals.tested("mkdocs") and internals.tested("mkdocs-material"), internals.version_warnings()
    assert internals.version_warnings("mkdocs") == []


def test_an_untested_version_is_named_and_not_reached_into(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(internals, "installed_version", lambda name: "99.0.0")
    warnings = internals.version_warnings("mkdocs")
    assert len(warnings) == 2 and "mkdocs 99.0.0 is installed" in warnings[0] and "1.6.1" in warnings[0]
    assert internals.page_builder("mkdocs") is None
    assert internals.material_search([object()]) is None


def _search_locations(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


def test_untested_material_still_indexes_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = kbproject.write_project(tmp_path / "project", claim=kbproject.CLEAN_CLAIM)
    ours = tmp_path / "ours"
    assert CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(ours)]).exit_code == 0
    real = internals.installed_version
    monkeypatch.setattr(internals, "installed_version",
                        lambda name: "99.0.0" if name == "mkdocs-material" else real(name))
    theirs = tmp_path / "theirs"
    res = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(theirs)])
    assert res.exit_code == 0, res.output
    assert "mkdocs-material 99.0.0 is installed" in res.output
    assert _search_locations(theirs) == _search_locations(ours)
    assert "claims/exercise-helps/" in _search_locations(theirs)
