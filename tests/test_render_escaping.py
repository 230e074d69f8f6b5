"""Fields (front matter and BibTeX) are text: even without the sanitizer they never become markup.

Bodies are Markdown on purpose and are guarded by `unsafe-html` plus the nh3 sanitizer; every
other value is escaped by the renderer itself, which this test checks on the raw Markdown output
(the renderer's own sanitizing switched off), converted with the site's own Markdown extensions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from html.parser import HTMLParser

import markdown
import pytest

from generator.intake.config import Settings
from generator.core.model import Claim, Entity, Evidence, FreePage, KnowledgeBase, Located, Source
from generator.pages.references import format_sources
from generator.pages.render import render_site

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "\"><svg onload=alert(1)>",
    "{: onclick=\"alert(1)\" }",
    "`code` **bold** _x_ <b onmouseover=alert(1)>b</b>",
    "[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
]
class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


EXTENSIONS = ["attr_list", "tables", "admonition", "toc"]


def _kb(payload: str) -> KnowledgeBase:
    fields = {f: payload for f in ("title", "journal", "abstract", "note", "population", "doi", "pmid", "pmcid",
                                   "url", "volume", "pages", "cited_as", "cited_as_note", "verification_note",
                                   "publisher", "booktitle")}
    fields.update(author=f"Doe, {payload} and Roe, R.", year="2020", design="rct", verified="no")
    source = Source("src:1", "article", fields, 1, {})
    entity = Entity("injury", "knie", payload, (payload,), payload, "Intro.", Located("content/injuries/knie.md"))
    claim = Claim(id="c", statement=payload, type="advice", certainty="low", reviewed=dt.date(2026, 1, 1),
                  evidence=(Evidence("src:1", "supports", payload, payload, payload, 5),),
                  injuries=("knie",), population=payload, certainty_reason=payload,
                  where=Located("content/claims/c.md"))
    old = dataclasses.replace(claim, id="old", status="superseded", superseded_by="c",
                              where=Located("content/claims/old.md"))
    page = FreePage("over", payload, payload, "Tekst.", Located("content/pages/over.md"))
    return KnowledgeBase({"injury:knie": entity}, {"c": claim, "old": old}, {"over": page}, {"src:1": source})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_field_becomes_markup(payload: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the renderer sanitizes every page; switch that off: escaping alone must already hold
    monkeypatch.setattr("generator.pages.render.sanitize_html", lambda html: html)
    kb = _kb(payload)
    files = render_site(kb, format_sources(kb.sources, "nl"), Settings())
    for f in files:
        if not f.path.endswith(".md"):
            continue
        body = f.text.split("\n---\n", 1)[1] if f.text.startswith("---\n") else f.text
        html = markdown.markdown(body, extensions=EXTENSIONS)
        tags = _tags(html)
        assert not [t for t, _ in tags if t in {"script", "svg", "img", "iframe"}], f.path
        assert not [(t, a) for t, attrs in tags for a, _v in attrs if a.startswith("on")], f.path
        assert not [(t, v) for t, attrs in tags for a, v in attrs
                    if a in {"href", "src"} and v and re.sub(r"\s", "", v).lower().startswith("javascript:")], f.path
        front = f.text.split("\n---\n", 1)[0]
        assert "<" not in front, f"{f.path}: front matter (rendered unescaped by MkDocs themes) holds '<'"
