"""The three forms of a generated page agree: prepared HTML (MkDocs), Markdown file (other engines), search.

`kb build` hands MkDocs finished HTML and Material's search index finished entries; `--pages-only`
(Zensical, ProperDocs, plain MkDocs) writes a Markdown file instead.  A reader must get the same page
either way: the Markdown file, converted with the site's extensions, gives the same HTML, anchors and
table of contents, and our search entries are the ones Material's own parser makes of that HTML.
"""

from __future__ import annotations

import re

import pytest
from markdown import Markdown

from conftest import SOURCE_DATE_EPOCH
from generator.intake.config import load_settings
from generator.pages.pipeline import generate
from generator.pages.sanitize import sanitize_html
from test_golden import GOLDEN

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition"]


def _generate(target: str) -> dict[str, object]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        settings, _ = load_settings(GOLDEN)
        return {f.path: f for f in generate(GOLDEN, settings, target=target).files if f.path.endswith(".md")}


@pytest.fixture(scope="module")
def forms() -> tuple[dict[str, object], dict[str, object]]:
    return _generate("markdown"), _generate("mkdocs")


def _blocks(html: str) -> str:
    """Blank lines between blocks are invisible (Markdown keeps some around raw HTML)."""
    return re.sub(r"\n\s*\n", "\n", html).strip()


def _names(tokens: list[dict]) -> list[tuple[int, str, str, list]]:
    return [(t["level"], t["id"], t["name"], _names(t["children"])) for t in tokens]


def test_prepared_pages_carry_no_markdown(forms) -> None:
    """MkDocs gets only the front matter of a generated page: Python-Markdown has nothing to convert."""
    _, prepared = forms
    assert prepared
    for path, f in prepared.items():
        assert f.prepared is not None, path
        front, _, rest = f.text.partition("\n---\n")
        assert front.startswith("---\ntitle: ") and rest.strip() == "", path


def test_markdown_form_gives_the_prepared_html_and_toc(forms) -> None:
    markdown_files, prepared = forms
    assert markdown_files.keys() == prepared.keys()
    for path, f in markdown_files.items():
        body = f.text.split("\n---\n", 1)[1]
        md = Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
        html = sanitize_html(md.convert(body))  # the sanitizer writes the permalink's &para; as ¶
        expected = prepared[path].prepared
        assert _blocks(html) == _blocks(expected.html), path
        assert _names(md.toc_tokens) == _names(list(expected.toc)), path


def test_search_entries_are_what_materials_parser_makes_of_the_page(forms) -> None:
    parser_module = pytest.importorskip("material.plugins.search.plugin")
    _, prepared = forms
    checked = 0
    for path, f in prepared.items():
        parser = parser_module.Parser()
        parser.feed(f.prepared.html)
        parser.close()
        expected = [(s.id, "".join(s.title).strip(), "".join(s.text).strip())
                    for s in parser.data if not s.is_excluded()]
        assert [tuple(e[:3]) for e in f.prepared.search] == expected, path
        checked += len(expected)
    assert checked > 40


def test_excluded_sections_stay_out_of_search(forms) -> None:
    _, prepared = forms
    claim = prepared["claims/relative-rest-helps.md"].prepared
    titles = [title for _, title, _, _ in claim.search]
    assert "Evidence" in titles and "Note" in titles
    assert "Sources on this page" not in titles and "Cite this page" not in titles
    assert "@misc" not in " ".join(text for _, _, text, _ in claim.search)


def test_a_topic_page_is_found_by_its_name_and_aliases(forms) -> None:
    """A topic page's own search entry carries its name and aliases as tags (Material weighs tags
    10^6, titles 10^3): a reader's word for the topic finds it before the claims that use the word.
    Its sections and other pages carry none."""
    _, prepared = forms
    for path, f in prepared.items():
        entries = f.prepared.search
        assert all(tags == () for _, _, _, tags in entries[1:]), path
        if path.startswith(("injuries/", "risk-factors/", "interventions/")) and not path.endswith("index.md"):
            assert entries[0][3], path
        else:
            assert entries[0][3] == (), path
    shin = prepared["injuries/shin-splints.md"].prepared.search[0]
    assert shin[3][0] == "Shin splints"
