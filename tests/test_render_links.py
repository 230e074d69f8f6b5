"""Relative links in bodies point at the linked page's URL from the page's new place, wherever citations
and code stand."""

from __future__ import annotations

import datetime as dt

from generator.intake.config import Settings
from generator.core.model import Claim, Entity, Evidence, FreePage, KnowledgeBase, Located, Source
from generator.pages.references import format_sources
from generator.pages.render import render_site


def test_link_after_a_citation_and_before_a_code_block_is_rewritten() -> None:
    body = ("Zie [@a2020].\n\nLees [de bewering](../claims/c.md).\n\n```yaml\n"
            + "voorbeeld: [niet](../claims/c.md)\n" * 20 + "```\n")
    source = Source("a2020", "article", {"author": "Doe, A.", "title": "T", "journal": "J", "year": "2020"}, 1, {})
    entity = Entity("injury", "knie", "Knie", (), None, "", Located("content/injuries/knie.md"))
    claim = Claim(id="c", statement="S.", type="advice", certainty="low", reviewed=dt.date(2026, 1, 1),
                  evidence=(Evidence("a2020", "supports"),), injuries=("knie",), where=Located("content/claims/c.md"))
    page = FreePage("over", "Over", None, body, Located("content/pages/over.md"))
    kb = KnowledgeBase({"injury:knie": entity}, {"c": claim}, {"over": page}, {"a2020": source})
    files = {f.path: f.text for f in render_site(kb, format_sources(kb.sources, "nl"), Settings())}
    text = files["over.md"]
    assert '<a href="../claims/c/">de bewering</a>' in text  # the page moved from content/pages/ to the site root
    assert text.count("voorbeeld: [niet](../claims/c.md)") == 20  # code is left exactly as written
