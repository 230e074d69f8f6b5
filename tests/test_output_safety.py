"""No script injection: XSS payloads in every text that reaches a page.

(a) `kb check` names each one as `unsafe-html`, in the file that holds it;
(b) with those diagnostics switched off, no generated page (Markdown rendered
    and sanitized as the plugin does, and a real MkDocs build) contains a
    script, an event handler or a javascript:/data: URL that came from content.
A browser test that opens every page lives elsewhere; these are static.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner

from generator.checks.check import run_check
from browser_support import require_engine
from generator.commands.cli import main
from generator.intake.bibliography import decode_latex
from generator.intake.config import Settings
from generator.pages.references import format_sources
from generator.pages.render import render_site
from generator.text.safety import unsafe_html
from generator.pages.sanitize import sanitize_html

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

PAYLOADS = kbproject.payloads()
MARKER = kbproject.MARKER

IGNORED = kbproject.IGNORED
#: the same markdown extensions kb build's default MkDocs config uses
EXTENSIONS = ["attr_list", "tables", "admonition", "toc", "meta"]

BIB_FIELDS = kbproject.BIB_FIELDS


def y(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value)


def bib_value(payload: str) -> str:
    # BibTeX braces must balance; every payload in the corpus does, but stay safe
    return payload if payload.count("{") == payload.count("}") else payload.replace("{", "(").replace("}", ")")


def hostile_project(root: Path, payload: str, *, pyproject: str | None = None,
                    page_title: bool = True) -> dict[str, list[str]]:
    """A project with *payload* in every field and body; returns file -> the places it was put."""
    claim = f"""---
statement: {y("Exercise helps. " + payload)}
type: intervention
population: {y(payload)}
injuries: [runners-knee]
interventions: [exercise-therapy]
certainty: moderate
certainty_reason: {y(payload)}
evidence:
  - source: smith2020
    stance: supports
    locator: {y(payload)}
    quote: {y(payload)}
    note: {y(payload)}
  - source: hostile
    stance: mentions
reviewed: 2026-01-15
---
Intro [@smith2020].

{payload}

End.
"""
    injury = f"""---
title: {y("Runner's knee " + payload)}
aliases: [{y(payload)}, knee pain]
summary: {y(payload)}
---
{payload}

Text after the payload [@hostile].
"""
    page = f"""---
title: {y("About " + payload) if page_title else "About"}
summary: {y(payload)}
---
{payload}
"""
    fields = ",\n".join(f"  {name} = {{{bib_value(payload)}}}" for name in BIB_FIELDS)
    bib = kbproject.BIB + f"\n@misc{{hostile,\n{fields}\n}}\n"
    kbproject.write_project(root, claim=claim, injury=injury, page=page, bib=bib, pyproject=pyproject)
    return {
        "content/claims/exercise-helps.md": ["statement", "population", "certainty_reason", "locator", "quote",
                                             "note", "body"],
        "content/injuries/runners-knee.md": ["title", "aliases", "summary", "body"],
        "content/pages/about.md": ["title", "summary", "body"],
        "references.bib": BIB_FIELDS,
    }


def rendered_html(root: Path) -> dict[str, str]:
    """Every generated page, as the plugin serves it: Markdown -> HTML -> sanitize_html."""
    result = run_check(root, Settings())
    settings = dataclasses.replace(Settings(), disable=IGNORED)
    files = render_site(result.kb, format_sources(result.kb.sources, settings.language), settings)
    out = {}
    for f in files:
        if f.path.endswith(".md"):
            html = markdown.markdown(f.text, extensions=EXTENSIONS)
            out[f.path] = sanitize_html(html)
    return out


# --- (a) the check names every payload ------------------------------------------------

def _key_line(path: Path, prefix: str, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    begin = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i + 1 for i, line in enumerate(lines) if i >= begin and line.startswith(prefix))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_check_reports_unsafe_html_everywhere(tmp_path: Path, payload: str) -> None:
    hostile_project(tmp_path, payload)
    result = run_check(tmp_path, Settings())
    assert result.failed()
    reported: dict[str, set[int]] = {}
    for d in result.diagnostics:
        if d.code == "unsafe-html":
            assert d.severity == "error"
            reported.setdefault(d.file, set()).add(d.line or 0)
    claim, injury = tmp_path / "content/claims/exercise-helps.md", tmp_path / "content/injuries/runners-knee.md"
    page = tmp_path / "content/pages/about.md"
    expected = {
        "content/claims/exercise-helps.md": {_key_line(claim, k) for k in ("statement:", "population:",
                                                                            "certainty_reason:",
                                                                            "  - source: smith2020")},
        "content/injuries/runners-knee.md": {_key_line(injury, k) for k in ("title:", "aliases:", "summary:")},
        "content/pages/about.md": {_key_line(page, k) for k in ("title:", "summary:")},
        "references.bib": set(),
    }
    bib = tmp_path / "references.bib"
    for name in BIB_FIELDS:
        # LaTeX decoding may already have defused it ("{: onclick=...}" loses its braces): then it is text
        if unsafe_html(decode_latex(bib_value(payload))):
            expected["references.bib"].add(_key_line(bib, f"  {name} = ", after="@misc{hostile"))
    for rel, lines in expected.items():
        missing = lines - reported.get(rel, set())
        assert not missing, f"{rel}: lines {sorted(missing)} hold {payload!r} but kb check does not say so"
    for rel, path in (("content/claims/exercise-helps.md", claim), ("content/injuries/runners-knee.md", injury),
                      ("content/pages/about.md", page)):
        body_line = path.read_text(encoding="utf-8").count("\n", 0, path.read_text(encoding="utf-8").index("\n---\n") + 1) + 2
        assert any(line >= body_line for line in reported.get(rel, set())), f"{rel}: body payload not reported"


@pytest.mark.parametrize("payload", PAYLOADS[:3] + ["[kbxss](javascript:alert('kbxss'))"])
def test_check_reports_unsafe_html_in_free_page_fields(tmp_path: Path, payload: str) -> None:
    kbproject.write_project(tmp_path, page=f"---\ntitle: {y('About ' + payload)}\nsummary: {y(payload)}\n---\nSafe.\n")
    result = run_check(tmp_path, Settings())
    assert any(d.code == "unsafe-html" and d.file == "content/pages/about.md" for d in result.diagnostics), \
        "a free page's title/summary with script is not reported"


def test_payload_in_code_is_not_reported(tmp_path: Path) -> None:
    """Documentation may show HTML in code; that is text, not markup."""
    claim = kbproject.CLAIM + "\n`<script>alert(1)</script>`\n\n```html\n<img src=x onerror=alert(1)>\n```\n"
    kbproject.write_project(tmp_path, claim=claim)
    result = run_check(tmp_path, Settings())
    assert not [d for d in result.diagnostics if d.code == "unsafe-html"]
    pages = rendered_html(tmp_path)
    assert not kbproject.executable_payloads(pages["claims/exercise-helps.md"])
    assert "&lt;script&gt;" in pages["claims/exercise-helps.md"]


def test_kb_check_cli_exits_1_on_script(tmp_path: Path) -> None:
    hostile_project(tmp_path, "<img src=x onerror=alert('kbxss')>")
    res = CliRunner().invoke(main, ["check", "--root", str(tmp_path), "--format", "json"])
    assert res.exit_code == 1
    assert "unsafe-html" in res.output


def test_build_refuses_script_even_pages_only(tmp_path: Path) -> None:
    """--pages-only output is Markdown for other builders (no sanitizer there): the check must stop it."""
    hostile_project(tmp_path / "p", "<script>alert('kbxss')</script>")
    out = tmp_path / "pages"
    res = CliRunner().invoke(main, ["build", "--root", str(tmp_path / "p"), "--pages-only", str(out)])
    assert res.exit_code == 1 and not out.exists()
    res = CliRunner().invoke(main, ["build", "--root", str(tmp_path / "p"), "--out", str(tmp_path / "site")])
    assert res.exit_code == 1 and not (tmp_path / "site").exists()


# --- (b) nothing executable reaches a page, checks or no checks ------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_rendered_pages_hold_no_executable_payload(tmp_path: Path, payload: str) -> None:
    hostile_project(tmp_path, payload)
    pages = rendered_html(tmp_path)
    assert "claims/exercise-helps.md" in pages and "references/hostile.md" in pages
    for path, html in pages.items():
        problems = kbproject.executable_payloads(html)
        assert not problems, f"{path}: {problems} from {payload!r}"


def _all_payloads_project(root: Path, order: list[str], page_title: bool = False) -> None:
    disable = json.dumps(sorted(IGNORED))
    hostile_project(root, "\n\n".join(order), pyproject=f"[tool.kb]\ndisable = {disable}\n",
                    page_title=page_title)


@pytest.mark.parametrize("engine,order", [("mkdocs", "forward"), ("mkdocs", "reverse"), ("properdocs", "forward"),
                                          ("zensical", "forward")])
def test_site_holds_no_executable_payload(tmp_path: Path, engine: str, order: str) -> None:
    """A real `kb build` (engine + theme, and the plugin where the engine runs it), every payload
    in every field, checks off.  Zensical ignores the plugin: its site is safe through the
    generator's own sanitizing and the finishing pass (generator/output/finish.py)."""
    require_engine(engine)
    root, out = tmp_path / "project", tmp_path / "site"
    _all_payloads_project(root, PAYLOADS if order == "forward" else PAYLOADS[::-1])
    res = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--engine", engine])
    assert res.exit_code == 0, res.output
    html_files = sorted(out.rglob("*.html"))
    assert len(html_files) > 10
    seen_marker = False
    for path in html_files:
        text = path.read_text(encoding="utf-8")
        seen_marker |= MARKER in text
        problems = kbproject.executable_payloads(text)
        assert not problems, f"{path.relative_to(out)}: {problems[:3]}"
    assert seen_marker, "the payloads never reached a page: the test would prove nothing"
    # Material renders search results as HTML: the index must be as clean as the pages
    material = out / "search" / "search_index.json"
    docs = json.loads(material.read_text(encoding="utf-8"))["docs"] if material.is_file() else \
        json.loads((out / "search.json").read_text(encoding="utf-8"))["items"]  # Zensical's index
    assert docs
    for doc in docs:
        for key in ("title", "text"):
            problems = kbproject.executable_payloads(doc.get(key) or "")
            assert not problems, f"search index {doc['location']} {key}: {problems[:3]}"
    # page titles and descriptions sit in <head>, outside the sanitized body: the scan above covered
    # them as parsed HTML (an attribute value holding "<script>" is text); the title must be text too
    for path in html_files:
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        title = head.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in title, f"{path.relative_to(out)}: markup in <title>: {title[:80]}"


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_free_page_title_in_navigation_is_text(tmp_path: Path, engine: str) -> None:
    """A page title with markup must not reach the nav of every page as markup (checks off, as in (b))."""
    require_engine(engine)
    root, out = tmp_path / "project", tmp_path / "site"
    kbproject.write_project(root, page='---\ntitle: "About <img src=x onerror=alert(1)>"\n---\nText.\n',
                            pyproject='[tool.kb]\ndisable = ["unsafe-html"]\n')
    res = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--engine", engine])
    assert res.exit_code == 0, res.output
    problems = kbproject.executable_payloads((out / "index.html").read_text(encoding="utf-8"))
    assert not problems, problems


def test_exports_are_data_not_markup(tmp_path: Path) -> None:
    """api/*.json carry the text as data: valid JSON served as such, never HTML."""
    root, out = tmp_path / "project", tmp_path / "site"
    _all_payloads_project(root, PAYLOADS)
    res = CliRunner().invoke(main, ["build", "--root", str(root), "--pages-only", str(out)])
    assert res.exit_code == 0, res.output
    claims = json.loads((out / "api" / "claims.json").read_text(encoding="utf-8"))
    assert any(MARKER in c["statement"] for c in claims)
    json.loads((out / "api" / "references.json").read_text(encoding="utf-8"))
