"""The data behind the claim, entity and source pages' evidence parts (before any template)."""

from __future__ import annotations

import datetime as _dt

import pytest

from generator.pages.evidence_views import (citation_statements, evidence_anchor, profile_rows, quote_lang, stance_tally,
                                      summary_of_findings)
from generator.core.model import DOWNGRADE_DOMAINS, UPGRADE_DOMAINS, Claim, Entity, Evidence, Grade, Judgement, \
    KnowledgeBase, Located, Source


def _grade(start: str = "high", **judged: tuple[str, str]) -> Grade:
    return Grade(start=start, judgements=tuple(
        Judgement(d, *judged[d]) if d in judged else Judgement(d) for d in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS))


def _claim(id_: str, certainty: str, evidence: tuple[Evidence, ...], grade: Grade | None = None,
           status: str = "current", injuries: tuple[str, ...] = ("shin-splints",)) -> Claim:
    return Claim(id=id_, statement=f"Statement {id_}.", type="intervention", certainty=certainty,
                 reviewed=_dt.date(2026, 1, 1), evidence=evidence, injuries=injuries, grade=grade, status=status,
                 superseded_by="a" if status == "superseded" else None, where=Located(f"content/claims/{id_}.md"))


def _source(key: str, **fields: str) -> Source:
    return Source(key, "article", {"title": key, **fields})


SOURCES = {
    "trial": _source("trial", design="rct", participants="120"),
    "cohort": _source("cohort", design="cohort", langid="dutch"),
    "review": _source("review", design="systematic-review"),
    "opinion": _source("opinion"),
}
A = _claim("a", "low", (
    Evidence("trial", "supports", "abstract", "Rest helped.", participants=100),
    Evidence("cohort", "qualifies", "p. 3", "Rust hielp soms."),
    Evidence("review", "supports", "results", "Pooled, rest helped."),
    Evidence("opinion", "mentions"),
    Evidence("trial", "qualifies", "table 2", "Only in women."),
), _grade(risk_of_bias=("serious", "Not blinded."), imprecision=("serious", "Wide interval.")))
B = _claim("b", "high", (Evidence("trial", "contradicts", "abstract", "No effect."),), _grade())
C = _claim("c", "not-graded", (Evidence("opinion", "mentions"),), Grade(applicable=False, reason="A definition."))
OLD = _claim("old", "low", (Evidence("trial", "supports", "abstract", "Old quote."),), status="superseded")
ELSEWHERE = _claim("elsewhere", "low", (Evidence("trial", "supports", "abstract", "x"),), _grade("low"),
                   injuries=("knee-pain",))
SHIN = Entity("injury", "shin-splints", "Shin splints", (), None, "", Located("content/injuries/shin-splints.md"))


@pytest.fixture
def kb() -> KnowledgeBase:
    """Built per test: a module-level KnowledgeBase would outlive generation in test_memory's eyes."""
    return KnowledgeBase(entities={}, claims={c.id: c for c in (A, B, C, OLD, ELSEWHERE)}, pages={}, sources=SOURCES)


def test_stance_tally_counts_every_item_and_links_to_it() -> None:
    tally = {t.stance: (t.count, t.anchors) for t in stance_tally(A)}
    assert list(tally) == ["supports", "qualifies", "contradicts", "mentions"]
    assert tally["supports"] == (2, ("bewijs-1", "bewijs-3"))
    assert tally["qualifies"] == (2, ("bewijs-2", "bewijs-5"))
    assert tally["contradicts"] == (0, ())
    assert tally["mentions"] == (1, ("bewijs-4",))
    assert evidence_anchor(0) == "bewijs-1"


def test_profile_rows_show_every_domain_with_its_reason() -> None:
    rows = profile_rows(A.grade, "nl")
    assert [r.domain for r in rows] == list(DOWNGRADE_DOMAINS + UPGRADE_DOMAINS)
    bias = rows[0]
    assert (bias.label, bias.direction, bias.rating_label, bias.reason) == \
        ("Risico op vertekening", "down", "ernstig (−1)", "Not blinded.")
    assert rows[1].rating_label == "geen" and rows[1].reason is None
    assert rows[-1].direction == "up"
    assert profile_rows(C.grade, "nl") == ()  # GRADE does not apply: no profile to show
    assert profile_rows(None, "nl") == ()


def test_summary_of_findings_rows_most_certain_first_with_footnotes(kb: KnowledgeBase) -> None:
    table = summary_of_findings(kb, SHIN, "nl")
    assert [r.claim.id for r in table.rows] == ["b", "a", "c"]  # current claims about the entity only
    b, a, c = table.rows
    # a: trial, cohort, review count (mentions does not); the trial once although cited twice
    assert a.n_sources == 3
    assert a.designs == (("cohort", 1), ("rct", 1), ("systematic-review", 1))
    assert (a.participants, a.participants_known) == (100, 1)  # the item's own number wins over the entry's 120
    assert b.participants == 120 and b.footnotes == ()
    assert c.n_sources == 0 and c.certainty == "not-graded"
    assert a.footnotes == (1, 2)
    assert [(f.number, f.claim_id, f.label, f.reason) for f in table.footnotes] == [
        (1, "a", "Risico op vertekening", "Not blinded."), (2, "a", "Onnauwkeurigheid", "Wide interval.")]


def test_citation_statements_list_each_citing_claim_once_by_stance(kb: KnowledgeBase) -> None:
    groups = dict(citation_statements(kb, "trial"))
    assert list(groups) == ["supports", "contradicts"]
    # claim a cites the trial twice (supports, qualifies): listed once, with its strongest stance
    assert [(s.claim.id, s.quote, s.anchor) for s in groups["supports"]] == [
        ("a", "Rest helped.", "bewijs-1"), ("elsewhere", "x", "bewijs-1")]
    assert [s.claim.id for s in groups["contradicts"]] == ["b"]
    assert all(s.claim.id != "old" for g in groups.values() for s in g)  # superseded claims are not cited statements
    assert dict(citation_statements(kb, "cohort"))["qualifies"][0].lang == "nl"
    assert citation_statements(kb, "nobody") == ()


def test_quote_language_is_a_safe_tag() -> None:
    assert quote_lang(None) == "en"
    assert quote_lang(_source("x", langid="ngerman")) == "de"
    assert quote_lang(_source("x", language="nl")) == "nl"
    assert quote_lang(_source("x", langid='en" onmouseover="x')) == "en"
