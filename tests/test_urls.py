"""Awkward BibTeX keys each get their own URL-safe page, and links reach it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import INJURY, dedent, found, make_project, settings
from generator.pages.pipeline import generate
from generator.core.urls import page_url, relative_url, source_slugs

AWKWARD = [
    "Smith:2020",
    "smith-2020",
    "smith2020",
    "smith.2020",
    "Smith_2020",
    "SMITH2020",
    "doi:10.1234/abc.def",
    "a/b.c",
    "a-b-c",
    "Müller2019",
    "muller2019",
    "Øster:2018",
    "index",
    "con",
    "x" * 120,
]
URL_SAFE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_every_key_gets_a_distinct_url_safe_slug() -> None:
    slugs = source_slugs(AWKWARD)
    assert set(slugs) == set(AWKWARD)
    assert len(set(slugs.values())) == len(AWKWARD), slugs
    for key, slug in slugs.items():
        assert URL_SAFE.match(slug), (key, slug)
        assert slug not in {"index", "con"}, key  # reserved names would collide with generated pages
        assert len(slug) <= 80


def test_clean_keys_keep_readable_urls() -> None:
    slugs = source_slugs(AWKWARD)
    assert slugs["smith2020"] == "smith2020"
    assert slugs["smith-2020"] == "smith-2020"
    assert slugs["Smith:2020"].startswith("smith-2020-")


def test_slugs_do_not_depend_on_which_other_keys_exist() -> None:
    """Adding a source must not move the page of another one (links from outside would break)."""
    alone = {key: source_slugs([key])[key] for key in AWKWARD}
    assert source_slugs(AWKWARD) == alone
    assert source_slugs(list(reversed(AWKWARD))) == alone


@pytest.mark.parametrize(("src", "expected"), [
    ("index.md", ""),
    ("claims/x.md", "claims/x/"),
    ("claims/index.md", "claims/"),
])
def test_page_url(src: str, expected: str) -> None:
    assert page_url(src) == expected


@pytest.mark.parametrize(("here", "there", "expected"), [
    ("claims/a.md", "references/b.md", "../../references/b/"),
    ("index.md", "claims/a.md", "claims/a/"),
    ("claims/a.md", "index.md", "../../"),
    ("claims/a.md", "claims/b.md", "../b/"),
])
def test_relative_url(here: str, there: str, expected: str) -> None:
    assert relative_url(here, there) == expected


def _bib(keys: list[str]) -> str:
    return "\n".join(dedent(f"""
        @misc{{{key},
          author = {{Author {n}}},
          title = {{Work number {n}}},
          year = {{{2000 + n}}},
        }}
        """) for n, key in enumerate(keys))


def _claim(keys: list[str], body: str = "") -> str:
    items = "".join(f"  - source: \"{k}\"\n    stance: mentions\n" for k in keys)
    return ("---\nstatement: Awkward keys are fine.\ntype: advice\ninjuries: [shin-splints]\ncertainty: low\n"
            f"evidence:\n{items}reviewed: 2026-01-01\ngrade: {{start: low}}\n---\n{body}\n")


def test_pages_and_links_for_awkward_keys(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        "references.bib": _bib(AWKWARD),
        "content/claims/rest-helps.md": _claim(AWKWARD),
        "content/injuries/shin-splints.md": INJURY,
    })
    generated = generate(root, settings())
    assert found(generated.result) == []
    files = {f.path: f.text for f in generated.files}
    slugs = source_slugs(AWKWARD)
    source_pages = sorted(p for p in files if p.startswith("references/") and p != "references/index.md")
    assert source_pages == sorted(f"references/{slug}.md" for slug in slugs.values())
    claim_page = files["claims/rest-helps.md"]
    for n, key in enumerate(AWKWARD):
        page = files[f"references/{slugs[key]}.md"]
        assert f"Work number {n}" in page, key  # each page shows its own entry, not another's
        assert f'href="../../references/{slugs[key]}/"' in claim_page, key
    # every relative link on the claim page (claims/rest-helps/) points to a page that exists
    targets = re.findall(r'href="\.\./\.\./([^"#]+)/"', claim_page)
    assert targets
    for target in targets:
        assert f"{target}.md" in files, target


def test_inline_citations_of_awkward_keys_link_to_their_pages(tmp_path: Path) -> None:
    keys = ["Smith:2020", "doi:10.1234/abc.def", "a/b.c", "Müller2019"]
    body = "As shown [@Smith:2020, p. 4; @a/b.c] and [@doi:10.1234/abc.def] and by [@Müller2019]."
    root = make_project(tmp_path, {
        "references.bib": _bib(keys),
        "content/claims/rest-helps.md": _claim(["Smith:2020"], body),
    })
    generated = generate(root, settings())
    assert found(generated.result) == []  # all four count as cited: no unused-reference
    claim_page = next(f.text for f in generated.files if f.path == "claims/rest-helps.md")
    slugs = source_slugs(keys)
    for key in keys:
        assert f'href="../../references/{slugs[key]}/"' in claim_page, key
    assert "[@" not in claim_page


def test_inline_citation_of_an_unknown_unicode_key_is_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/claims/rest-helps.md": _claim(["smith2020"], "See [@Mûller2019].")})
    root.joinpath("references.bib").write_text(
        "@misc{smith2020,\n  title = {T},\n  year = {2020},\n}\n", encoding="utf-8")
    codes = [d.code for d in generate(root, settings()).result.diagnostics]
    assert codes == ["unknown-inline-citation"]
