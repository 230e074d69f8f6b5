"""The retraction banner, seen in a real browser (Playwright + Debian's Chromium).

A small project (browser_support.MINI_PROJECT) where alfredson1998 is marked
`retracted = {yes}` with a `retraction_note`: its source page and every claim
citing it (as evidence or in the text) show the banner above the content; a claim
that does not cite it shows none.  Skips without Chromium, except under CI=true.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from browser_support import CHROMIUM, MINI_PROJECT, SCREENSHOTS, launch_chromium, require, served_build

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

NOTE = "Ingetrokken in 2024 na onderzoek door het tijdschrift (testgegevens)."


def retracted_project(root: Path) -> None:
    for rel, text in MINI_PROJECT.items():
        text = textwrap.dedent(text).lstrip("\n")
        if rel == "references.bib":
            text = text.replace("doi = {10.1177/03635465980260030301},",
                                f"doi = {{10.1177/03635465980260030301}}, retracted = {{yes}}, retraction_note = {{{NOTE}}},")
        if rel == "content/claims/eccentric-achilles.md":  # a retracted source cannot support
            text = text.replace("stance: supports", "stance: mentions")
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    require(sync_playwright is not None, "playwright is not installed (pip install -e '.[test]')")
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    yield from served_build(tmp_path_factory.mktemp("retraction"), retracted_project)


@pytest.fixture(scope="module")
def browser(site):
    yield from launch_chromium()


def banner_of(browser, url: str, shot: str | None = None):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("load")
    banners = page.locator("article .kb-retracted")
    found = [(b.locator(".admonition-title").inner_text(), b.inner_text(), b.is_visible()) for b in banners.all()]
    top = page.evaluate("() => { const b = document.querySelector('article .kb-retracted');"
                        " const h = document.querySelector('article h1');"
                        " return b && h ? b.getBoundingClientRect().top - h.getBoundingClientRect().bottom : null; }")
    if shot:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / shot))
    page.close()
    assert errors == []
    return found, top


def test_the_source_page_shows_the_banner(browser, site) -> None:
    found, top = banner_of(browser, site + "references/alfredson1998/", "retracted-source.png")
    assert len(found) == 1
    title, text, visible = found[0]
    assert visible and title.strip() == "Ingetrokken"
    assert "Dit artikel is ingetrokken" in text and NOTE in text
    assert top is not None and 0 <= top < 200  # right under the heading, not below the fold


@pytest.mark.parametrize("claim", ["eccentric-achilles", "hsr-achilles"])
def test_every_claim_citing_it_shows_the_banner(browser, site, claim: str) -> None:
    found, _top = banner_of(browser, site + f"claims/{claim}/", f"retracted-claim-{claim}.png")
    assert len(found) == 1
    title, text, visible = found[0]
    assert visible and title.strip() == "Ingetrokken"
    assert "Deze bewering citeert een ingetrokken artikel" in text and "Alfredson" in text and NOTE in text


def test_a_source_that_stands_has_no_banner(browser, site) -> None:
    found, _top = banner_of(browser, site + "references/beyer2015/")
    assert found == []
