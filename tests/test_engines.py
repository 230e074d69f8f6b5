"""One site on three engines: MkDocs, ProperDocs and Zensical each build the shipped KB.

What a reader gets must not depend on which engine ran (or on an engine running our
plugin): the JSON-LD in <head>, the navigation to the index pages and the search
aliases must be in each engine's output.  Each installed engine builds a copy of the
shipped project once (module-scoped); an engine that is not installed is skipped,
except under CI=true, which installs them all (`pip install -e '.[test,engines]'`).
The hostile-input side (no executable markup on any engine) is in test_output_safety.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_support import ENGINES, REPO, kb_executable, require_engine
from generator import engines
from generator.commands.cli import main
from generator.output.finish import finish_page, finish_site

CLAIM = "claims/hard-surface-risk/index.html"
ACHILLES = "injuries/achilles-tendinopathy/"


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    engine = request.param
    require_engine(engine)
    base = tmp_path_factory.mktemp(f"engine-{engine}")
    project = base / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    for name in ("references.bib", "pyproject.toml", "mkdocs.yml"):
        shutil.copy2(REPO / name, project / name)
    out = base / "site"
    done = subprocess.run(kb_executable() + ["build", "--root", str(project), "--out", str(out), "--engine", engine],
                          capture_output=True, text=True, timeout=600, cwd=str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    return engine, out


def _head(html: str) -> str:
    return html[:html.index("</head>")]


def test_claim_page_has_its_json_ld_in_head_once(built: tuple[str, Path]) -> None:
    engine, out = built
    html = (out / CLAIM).read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, f"{engine}: {len(blocks)} JSON-LD blocks on {CLAIM}"
    assert blocks[0] in _head(html)
    data = json.loads(blocks[0])
    assert "Lopen op een harde ondergrond" in json.dumps(data, ensure_ascii=False)


def test_navigation_lists_the_index_pages(built: tuple[str, Path]) -> None:
    engine, out = built
    html = (out / "index.html").read_text(encoding="utf-8")
    links = {a for a in re.findall(r'<a\b[^>]*\bhref="([^"#]*)"[^>]*class="md-nav__link', html)}
    links |= {a for a in re.findall(r'<a\b[^>]*class="md-nav__link[^"]*"[^>]*\bhref="([^"#]*)"', html)}
    for target in ("injuries/", "risk-factors/", "interventions/", "claims/", "references/", "legenda/"):
        assert any(link.rstrip("/").endswith(target.rstrip("/")) for link in links), \
            f"{engine}: the navigation has no link to {target}: {sorted(links)}"


def _search_entries(out: Path) -> list[dict[str, str]]:
    """Material's search/search_index.json (MkDocs, ProperDocs) or Zensical's search.json."""
    material = out / "search" / "search_index.json"
    if material.is_file():
        return json.loads(material.read_text(encoding="utf-8"))["docs"]
    return json.loads((out / "search.json").read_text(encoding="utf-8"))["items"]


def test_search_index_finds_the_dutch_alias(built: tuple[str, Path]) -> None:
    engine, out = built
    entries = [e for e in _search_entries(out) if e["location"].startswith(ACHILLES)]
    assert entries, f"{engine}: no search entry for {ACHILLES}"
    text = " ".join(e["title"] + " " + e["text"] for e in entries).lower()
    assert "achillespees" in text and "achillodynie" in text, f"{engine}: aliases missing from the search index"


def test_finishing_pass_is_idempotent_on_the_built_site(built: tuple[str, Path], tmp_path: Path) -> None:
    engine, out = built
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    assert finish_site(copy, {}) == 0, f"{engine}: a second finishing pass changed pages"


# -- the finishing pass itself -------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>t</title><script src="theme.js"></script></head><body>
<nav><a href="#" onclick="theme()">menu</a></nav>
<article><!-- kb:content -->
<h1 id="t">T</h1><p>ok <img src="x" onerror="alert(1)"><a href="javascript:alert(2)">x</a></p><script>alert(3)</script>
<!-- /kb:content --></article><script>theme()</script></body></html>"""


def test_finish_sanitizes_only_the_content_area_and_adds_the_head_once() -> None:
    head = '<script type="application/ld+json">{"@type": "Claim"}</script>'
    once = finish_page(PAGE, head)
    content = once[once.index("<!-- kb:content -->"):once.index("<!-- /kb:content -->")]
    assert "onerror" not in content and "javascript:" not in content and "alert(3)" not in content
    assert '<h1 id="t">T</h1>' in content
    # the theme's own markup and scripts, outside the markers, stay
    assert '<script src="theme.js"></script>' in once and 'onclick="theme()"' in once
    assert once.endswith("<script>theme()</script></body></html>")
    assert once.count(head) == 1 and once.index(head) < once.index("</head>")
    assert finish_page(once, head) == once


def test_build_says_which_package_a_missing_engine_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "installed", lambda name: False)
    project = tmp_path / "p"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy2(REPO / "references.bib", project / "references.bib")
    res = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(tmp_path / "site"),
                                    "--engine", "zensical"])
    assert res.exit_code == 2
    assert "zensical engine is not installed" in res.output and "pip install 'zensical==" in res.output
    assert not (tmp_path / "site").exists()


def test_kb_finish_sanitizes_a_site_built_from_pages_only_output(tmp_path: Path) -> None:
    """`--pages-only` users run their own builder; `kb finish` gives their site the nh3 guarantee."""
    site = tmp_path / "site"
    (site / "claims" / "x").mkdir(parents=True)
    page = site / "claims" / "x" / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    res = CliRunner().invoke(main, ["finish", str(site)])
    assert res.exit_code == 0, res.output
    text = page.read_text(encoding="utf-8")
    assert "onerror" not in text and "alert(3)" not in text and '<script src="theme.js"></script>' in text
    assert CliRunner().invoke(main, ["finish", str(site)]).output.strip().endswith("(0 pages changed)")


def test_properdocs_hands_the_json_ld_to_the_finishing_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ProperDocs runs the plugin in its own process: the JSON-LD must reach kb's finishing pass too, so
    that <head> does not depend on the plugin's page hook (as under Zensical, which runs no plugin)."""
    require_engine("properdocs")
    from generator.engines import build as one_build

    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "references.bib", "mkdocs.yml", "pyproject.toml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(REPO / name, project / name)
    handed: dict[str, str] = {}
    real_finish = one_build.finish_site

    def finish(site: Path, heads: dict[str, str]) -> int:
        handed.update(heads)
        return real_finish(site, heads)

    monkeypatch.setattr(one_build, "finish_site", finish)
    one_build.build(project, tmp_path / "site", engine="properdocs")
    assert "Lopen op een harde ondergrond" in handed[CLAIM]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "the workspace is temporary"


def test_zensical_gets_no_palette_it_would_draw_a_switch_for(tmp_path: Path) -> None:
    """One palette and nothing to switch: Zensical would draw a switch whose hidden radio button takes
    keyboard focus (axe: aria-hidden-focus); the colours come from kb.css.  Real toggles stay."""
    from generator.engines.zensical import engine_config

    single = {"theme": {"name": "material", "palette": {"primary": "custom", "accent": "custom"}}}
    assert "palette" not in engine_config(single, tmp_path, [], None, tmp_path / "docs")["theme"]
    assert single["theme"]["palette"] == {"primary": "custom", "accent": "custom"}  # the project's own untouched
    toggles = [{"scheme": "default"}, {"scheme": "slate"}]
    assert engine_config({"theme": {"palette": toggles}}, tmp_path, [], None, tmp_path / "docs")["theme"]["palette"] == toggles
