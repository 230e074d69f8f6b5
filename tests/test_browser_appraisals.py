"""Forest plots and effect columns, seen in a real browser (Playwright + Debian's Chromium).

The small invented project tests/fixtures/appraisals (appraisal files with
results) is built with each engine (KB_ENGINES narrows them down) and served from 127.0.0.1.  At a phone's width
(390 px) and a desktop's (1280 px): a claim page shows its forest plot (an
`img` with an accessible name, drawn inside the page's width, with its text
table) and an entity page's summary of findings shows the effect columns; no
request leaves the site and nothing errs.  The plot's marks have the text's
contrast.  Skips without Chromium, except under CI=true.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser_support import (CHROMIUM, CONTRAST_JS, ENGINES, SCREENSHOTS, foreign_requests, launch_chromium, require,
                             require_engine, served_build)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "appraisals"
CLAIM = "claims/relatieve-rust-sneller-terug/"
ENTITY = "injuries/scheenbeenklachten/"
WIDTHS = [390, 1280]


@pytest.fixture(scope="module", params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    engine = request.param
    require(sync_playwright is not None, "playwright is not installed (pip install -e '.[test]')")
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    require_engine(engine)
    yield from served_build(tmp_path_factory.mktemp(f"appraisals-browser-{engine}"),
                            lambda project: shutil.copytree(FIXTURE, project), engine)


@pytest.fixture(scope="module")
def browser(site):
    yield from launch_chromium()


def open_page(browser, site: str, path: str, width: int, scheme: str = "default"):
    """A page in a fresh context that blocks and records every request leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL", service_workers="block")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort())
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(site + path)
    page.wait_for_load_state("load")
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    return context, page, requests, errors


def finish(context, page, requests: list[str], errors: list[str], shot: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
    context.close()
    assert requests and foreign_requests(requests) == []
    assert errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_claim_page_shows_the_forest_plot(browser, site, width: int) -> None:
    context, page, requests, errors = open_page(browser, site, CLAIM, width)
    plot = page.get_by_role("img", name="Forest plot: HR, RR (logaritmische schaal)")
    plot.wait_for(state="visible")
    box = plot.bounding_box()
    viewport = page.evaluate("() => document.documentElement.clientWidth")
    assert box is not None and box["width"] > 250 and box["x"] >= 0 and box["x"] + box["width"] <= viewport + 1
    # the labels are real text in the page's font, in Dutch number format, and big enough to read
    label = plot.locator("text", has_text="1,52 (1,01 tot 2,29)")
    assert label.count() == 1
    assert label.evaluate("t => t.getBoundingClientRect().height") >= 10
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport + 1
    table = page.locator("table.kb-forest-table")
    assert table.locator("caption").inner_text().startswith("De effecten uit de forest plot")
    assert table.get_by_role("rowheader").all_inner_texts() == ["Jansen & Visser, 2020", "de Vries, 2021"]
    assert table.locator("td", has_text="0,62 (0,41 tot 0,94)").is_visible()
    finish(context, page, requests, errors, f"appraisal-forest-{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_summary_of_findings_shows_the_effect_columns(browser, site, width: int) -> None:
    context, page, requests, errors = open_page(browser, site, ENTITY, width)
    table = page.locator("table.kb-sof")
    table.wait_for(state="visible")
    relative = table.locator("td.kb-sof__effect", has_text="HR 1,52 (1,01 tot 2,29)")
    assert relative.is_visible()
    absolute = table.locator("td.kb-sof__effect", has_text="114 minder per 1.000 (177 minder tot 18 minder)")
    assert absolute.is_visible()
    if width >= 1280:  # a table with its header row
        headers = table.locator("thead th").all_inner_texts()
        assert headers[1:3] == ["Absoluut effect (95%-BI)", "Relatief effect (95%-BI)"]
    else:  # a card per row: each value says what it is
        assert relative.evaluate("td => getComputedStyle(td, '::before').content").startswith('"Relatief effect')
    viewport = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport + 1
    finish(context, page, requests, errors, f"appraisal-sof-{width}.png")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_plot_has_the_contrast_of_the_text(browser, site, scheme: str) -> None:
    context, page, requests, errors = open_page(browser, site, CLAIM, 1280, scheme)
    plot = page.locator(".kb-forest__plot svg")
    plot.wait_for(state="visible")
    [result] = page.evaluate(CONTRAST_JS, ".kb-forest__plot")
    assert result["ratio"] >= 4.5, result  # text: 4.5:1; lines and squares use the same colour (3:1 needed)
    marks = plot.evaluate("svg => [...svg.querySelectorAll('line, rect, text')].map(e => "
                          "getComputedStyle(e).stroke !== 'none' ? getComputedStyle(e).stroke : getComputedStyle(e).fill)")
    assert set(marks) == {page.locator(".kb-forest__plot").evaluate("e => getComputedStyle(e).color")}
    finish(context, page, requests, errors, f"appraisal-contrast-{scheme}.png")
