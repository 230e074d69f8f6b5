"""Golden output: the pages generated from tests/fixtures/golden/, file by file.

A change to the templates or renderer shows up here as a readable diff of
the pages as `kb build --pages-only` writes them (Markdown headings, HTML between them).  When the change is intended, regenerate the expected files:

    KB_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff of tests/fixtures/golden/expected/ before committing.

The static assets (assets/kb.css, assets/kb.js) are copied verbatim from
generator/assets/; they are compared with those files rather than with a
golden copy, so editing the stylesheet does not churn this fixture.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from conftest import SOURCE_DATE_EPOCH
from generator.intake.config import load_settings
from generator.pages.pipeline import generate

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
EXPECTED = GOLDEN / "expected"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"
ASSETS_PREFIX = "assets/"
PACKAGE_ASSETS = Path(__file__).resolve().parent.parent / "generator" / "assets"


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        settings, problems = load_settings(GOLDEN)
        assert problems == []
        result = generate(GOLDEN, settings)
    assert [d for d in result.result.diagnostics] == [], "the golden project must check clean"
    files = {f.path: f.text for f in result.files if not f.path.startswith(ASSETS_PREFIX)}
    if UPDATE:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, text in files.items():
            target = EXPECTED / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    return files


def _expected_paths() -> list[str]:
    return sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file())


def test_same_set_of_files(generated: dict[str, str]) -> None:
    assert _expected_paths(), "no golden files yet: run with KB_UPDATE_GOLDEN=1"
    assert sorted(generated) == _expected_paths()


@pytest.mark.parametrize("path", _expected_paths() or ["<none>"])
def test_file_matches_golden(path: str, generated: dict[str, str]) -> None:
    if path == "<none>":
        if UPDATE:
            pytest.skip("golden files written; run again without KB_UPDATE_GOLDEN to compare")
        pytest.fail("no golden files yet: run with KB_UPDATE_GOLDEN=1")
    assert path in generated, f"{path} is no longer generated"
    expected = (EXPECTED / path).read_bytes().decode("utf-8")
    actual = generated[path]
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"expected/{path}", f"generated/{path}", n=2))
        pytest.fail(f"{path} differs from the golden file (KB_UPDATE_GOLDEN=1 to accept):\n{diff[:4000]}")


def test_assets_are_copied_verbatim() -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        settings, _ = load_settings(GOLDEN)
        assets = {f.path: f.text for f in generate(GOLDEN, settings).files if f.path.startswith(ASSETS_PREFIX)}
    shipped = {f"assets/{p.name}": p.read_text(encoding="utf-8") for p in PACKAGE_ASSETS.iterdir() if p.is_file()}
    assert assets and assets == shipped


def test_generation_is_reproducible(generated: dict[str, str]) -> None:
    """Same input and SOURCE_DATE_EPOCH: byte-identical output (no dict order or clock leaks)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        settings, _ = load_settings(GOLDEN)
        again = {f.path: f.text for f in generate(GOLDEN, settings).files if not f.path.startswith(ASSETS_PREFIX)}
    assert again == generated


def test_golden_pages_link_where_they_should(generated: dict[str, str]) -> None:
    """A few facts a reader would notice, independent of the exact layout."""
    claim = generated["claims/relative-rest-helps.md"]
    assert "../../references/smith2020/" in claim
    assert "Relative rest shortens recovery" in claim
    superseded = [p for p in generated if "complete-rest" in p]
    assert superseded, "the superseded claim still gets a page"
    unicode_pages = [p for p in generated if p.startswith("references/m") and "ller2018" in p]
    assert len(unicode_pages) == 1 and unicode_pages[0].isascii()
