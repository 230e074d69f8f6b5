"""search_view(): what the search plugin is shown must index exactly like the whole page."""

from __future__ import annotations

from generator.plugin import search_view

PAGE = ('<h1 id="t">Title</h1><p>Body</p>'
        '<h2 id="b">Bewijs</h2><p>text</p>'
        '<h2 data-search-exclude="" id="bronnen">Bronnen</h2><ol><li>ref</li></ol>'
        '<h2 data-search-exclude="" id="citeren">Citeren</h2><pre><code>@misc{}</code></pre>')


def test_trailing_excluded_sections_are_cut() -> None:
    assert search_view(PAGE) == '<h1 id="t">Title</h1><p>Body</p><h2 id="b">Bewijs</h2><p>text</p>'


def test_nothing_is_cut_when_an_indexed_heading_follows() -> None:
    page = PAGE + '<h3 id="later">Later</h3><p>indexed</p>'
    assert search_view(page) is None


def test_pages_without_excluded_sections_are_left_alone() -> None:
    assert search_view('<h1 id="t">Title</h1><p>Body</p>') is None


def test_pages_with_valued_search_attributes_are_left_alone() -> None:
    # the search plugin strips data-search-*="..." from the page it renders: keep its path
    assert search_view('<h1 id="t" data-search-boost="2">T</h1>' + PAGE) is None


def test_excluded_blocks_that_are_not_headings_do_not_cut() -> None:
    # an excluded paragraph after a rule: the text between them is indexed and must stay
    page = '<h1 id="t">T</h1><p>a</p><hr><p>indexed</p><p data-search-exclude="">skip</p>'
    assert search_view(page) is None
