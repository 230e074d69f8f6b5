"""Zensical's search index, completed with each topic's aliases and search terms (generator/output/search_index.py)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.output.search_index import complete_index, complete_zensical_index, topic_words
from generator.pages.files import OutputFile


def _index() -> dict:
    return {"config": {"lang": ["nl"]}, "items": [
        {"location": "injuries/heel/", "level": 1, "title": "Heel", "text": "", "path": ["Heel"], "tags": []},
        {"location": "injuries/heel/#heel", "level": 1, "title": "Heel", "text": "<p>x</p>", "path": ["Heel"],
         "tags": []},
        {"location": "claims/a/", "level": 1, "title": "A claim", "text": "", "path": ["A claim"], "tags": []},
    ]}


def test_topic_words_are_keyed_by_the_location_the_index_uses():
    files = [OutputFile.of("injuries/heel.md", "", search_tags=("Heel", "hielpijn")), OutputFile.of("claims/a.md", "")]
    assert topic_words(files, True) == {"injuries/heel/": ("Heel", "hielpijn")}
    assert topic_words(files, False) == {"injuries/heel.html": ("Heel", "hielpijn")}


def test_the_page_entry_gets_the_words_as_title_and_keeps_its_name_as_path():
    """Zensical ranks titles first and takes no tags: the words go into the page's own entry's title;
    its sections, other pages and a topic without other words are left alone."""
    index = _index()
    words = {"injuries/heel/": ("Heel", "hielspoor", "hielpijn"), "claims/a/": ("A claim",)}
    assert complete_index(index, words) == 1
    own, section, claim = index["items"]
    assert own["title"] == "hielspoor, hielpijn" and own["path"] == ["Heel"]
    assert section["title"] == "Heel" and claim["title"] == "A claim"
    assert complete_index(index, words) == 0  # idempotent


def test_a_page_without_its_own_entry_gets_one(tmp_path: Path):
    index = _index()
    del index["items"][0]
    (tmp_path / "search.json").write_text(json.dumps(index), encoding="utf-8")
    assert complete_zensical_index(tmp_path, {"injuries/heel/": ("Heel", "hielspoor")}) == 1
    items = json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))["items"]
    assert {"location": "injuries/heel/", "level": 1, "title": "hielspoor", "text": "", "path": ["Heel"],
            "tags": []} in items
    assert complete_zensical_index(tmp_path / "nothing-here", {}) == 0  # search switched off: no index
