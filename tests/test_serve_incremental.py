"""`kb serve` rebuilds only what an edit changes, and the site it serves is the site a full build makes.

Runs the plugin the way `kb serve` does (MkDocs dirty builds, one plugin instance kept across
rebuilds) on a copy of the golden project, edits content, and compares the served site with a
clean `mkdocs build` of the same files, page by page and search entry by search entry.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from generator.core import memo

from generator.commands.cli import _DirtyBuildIsIntended
from generator.engines.mkdocs_build import DEFAULT_CONFIG
from test_golden import GOLDEN

mkdocs_config = pytest.importorskip("mkdocs.config")
from mkdocs.commands.build import build  # noqa: E402


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(GOLDEN / "content", root / "content")
    shutil.copy(GOLDEN / "references.bib", root / "references.bib")
    shutil.copy(GOLDEN / "pyproject.toml", root / "pyproject.toml")
    (root / "mkdocs.yml").write_text(DEFAULT_CONFIG.replace("site_url: !ENV [SITE_URL, \"http://127.0.0.1:8000/\"]",
                                                            "site_url: http://127.0.0.1:8000/"), encoding="utf-8")
    return root


def _config(root: Path, site: Path):
    return mkdocs_config.load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))


def _site(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix in (".html", ".json") and "assets/javascripts" not in p.as_posix()}


def _search(files: dict[str, bytes]) -> list[dict]:
    return json.loads(files["search/search_index.json"])["docs"]


@pytest.fixture
def serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    # serve mode switches on the process-wide parse memo: put it back as it was after the test, so
    # later tests in the same process (tests/test_memory.py counts live objects) see a plain build
    monkeypatch.setattr(memo, "_store", memo._store)
    quiet = _DirtyBuildIsIntended()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    root, site = _project(tmp_path), tmp_path / "served"
    config = _config(root, site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)

    def rebuild() -> dict[str, float]:
        before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
        build(_config(root, site), dirty=True)  # the plugin instance is reused, as under `mkdocs serve`
        return {p.relative_to(site).as_posix(): t for p, t in before.items()
                if not p.exists() or p.stat().st_mtime_ns != t}

    yield root, site, rebuild
    logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


def _clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    config = _config(root, fresh)
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` would
    build(config)
    return _site(fresh)


def test_a_claim_edit_rewrites_only_its_pages_and_matches_a_full_build(serving, tmp_path: Path) -> None:
    root, site, rebuild = serving
    claim = root / "content" / "claims" / "relative-rest-helps.md"
    claim.write_text(claim.read_text(encoding="utf-8").replace("Relative rest shortens", "Relatieve rust verkort", 1),
                     encoding="utf-8")
    rewritten = rebuild()
    assert "claims/relative-rest-helps/index.html" in rewritten
    assert "injuries/shin-splints/index.html" in rewritten  # lists the claim
    assert "references/smith2020/index.html" in rewritten  # 'cited by'
    assert "legenda/index.html" not in rewritten and "about/index.html" not in rewritten
    assert "injuries/stress-fracture/index.html" not in rewritten
    served, full = _site(site), _clean_build(root, tmp_path)
    assert served.keys() == full.keys()
    assert [p for p in full if served[p] != full[p]] == []
    assert any("Relatieve rust verkort" in e["title"] for e in _search(served))
    assert not any("Relative rest shortens" in e["title"] for e in _search(served))


def test_adding_and_removing_a_claim_and_editing_an_entity(serving, tmp_path: Path) -> None:
    root, site, rebuild = serving
    claims = root / "content" / "claims"
    text = (claims / "bone-needs-recovery.md").read_text(encoding="utf-8")
    (claims / "bone-needs-more.md").write_text(text.replace("Bone adapts", "Bone also adapts", 1), encoding="utf-8")
    rebuild()
    (claims / "bone-needs-recovery.md").unlink()
    rebuild()
    entity = root / "content" / "injuries" / "stress-fracture.md"
    entity.write_text(entity.read_text(encoding="utf-8").replace("Stress fracture", "Stressfractuur"), encoding="utf-8")
    rebuild()
    served, full = _site(site), _clean_build(root, tmp_path)
    assert "claims/bone-needs-more/index.html" in served
    assert served.keys() == full.keys()  # the removed claim's page is gone too
    assert [p for p in full if served[p] != full[p]] == []
    assert _search(served) == _search(full)
