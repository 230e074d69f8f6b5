"""The shipped Dutch knowledge base keeps the promises of its issue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checks.check import run_check
from generator.intake.config import Settings, load_settings
from generator.core.model import ENTITY_FIELDS
from generator.pages.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result():
    settings, problems = load_settings(ROOT)
    assert problems == []
    return run_check(ROOT, settings)


def test_check_strict_is_clean(result):
    assert [f"{d.file}:{d.line} {d.code} {d.message}" for d in result.diagnostics] == []


def test_at_least_forty_claims(result):
    assert len(result.kb.claims) >= 40


def test_every_entity_has_two_claims(result):
    kb = result.kb
    for entity in kb.entities.values():
        field = ENTITY_FIELDS[entity.kind]
        about = [c for c in kb.claims.values() if entity.id in getattr(c, field)]
        assert len(about) >= 2, f"{entity.kind} {entity.id} has {len(about)} claim(s)"


def test_every_source_is_cited_by_a_claim(result):
    cited = {ev.source for c in result.kb.claims.values() for ev in c.evidence}
    assert set(result.kb.sources) - cited == set()


def test_every_source_has_a_design(result):
    assert [k for k, s in result.kb.sources.items() if not s.get("design")] == []


def test_required_entities_exist(result):
    kinds = {kind: {e.id for e in result.kb.entities.values() if e.kind == kind} for kind in ENTITY_FIELDS}
    assert len(kinds["injury"]) >= 6
    assert len(kinds["risk-factor"]) >= 8
    assert len(kinds["intervention"]) >= 11


def test_brody_is_marked_unverified_on_its_page(result):
    assert not result.kb.sources["brody1982"].verified
    pages = {f.path: f.text for f in generate(ROOT, Settings()).files}
    assert "kon niet worden geverifieerd" in pages["references/brody1982.md"]


def test_online_first_years_are_explained(result):
    pages = {f.path: f.text for f in generate(ROOT, Settings()).files}
    assert "2020" in pages["references/vanpoppel2021.md"]
    assert "2021" in pages["references/willwacher2022.md"]


def test_article_attributions_are_not_overstated(result):
    """The seed notes: Arnold & Moody say nothing about rest failing to improve tendons."""
    claims = result.kb.claims.values()
    for claim in claims:
        if "kwaliteit" in claim.statement and "pees" in claim.statement:
            stances = {ev.source: ev.stance for ev in claim.evidence}
            if "arnold2018" in stances:
                assert stances["arnold2018"] in {"mentions", "qualifies"}


def test_generator_labels_are_dutch():
    pages = {f.path: f.text for f in generate(ROOT, Settings()).files}
    claim_page = next(text for path, text in pages.items() if path.startswith("claims/") and path != "claims/index.md")
    for word in ("Zekerheid", "Bewijs", "Laatst beoordeeld"):
        assert word in claim_page
    assert not re.search(r"\b(Certainty|Evidence|Last reviewed|Sources on this page)\b", claim_page)
