"""The "closest passage" hint of `quote-not-found` has a bounded cost (issue 18, finding 13).

20 long quotes that are not in their abstracts made `kb check` take 43 s (CI runs it four
times): each hint aligned up to 2,000 characters of quote with up to 20,000 of abstract on
RapidFuzz's slow path.  Now each hint aligns a few 64-character pieces of the quote, and a
run's hints share a budget after which the hint says it was not looked up.  The figures are in
benchmarks/quote_check.py --long 20; these tests check the bounds and that the hints stay useful.
"""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from generator.checks.evidence_checks import check_quotes
from generator.core.model import Claim, Evidence, KnowledgeBase, Located, Source
from generator.text import quotes

WORDS = ("runners", "injury", "risk", "load", "weekly", "volume", "tendon", "bone", "stress", "rest", "trial",
         "cohort", "hazard", "ratio", "confidence", "interval", "novice", "training", "pain", "return")


def _text(rng: random.Random, chars: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(chars // 4))[:chars].rsplit(" ", 1)[0]


def _kb(pairs: list[tuple[str, str]]) -> KnowledgeBase:
    sources = {f"s{i}": Source(f"s{i}", "article", {"title": f"s{i}", "abstract": abstract})
               for i, (_quote, abstract) in enumerate(pairs)}
    claims = {f"c{i}": Claim(id=f"c{i}", statement="A claim.", type="advice", certainty="low", reviewed=None,
                             evidence=(Evidence(f"s{i}", "supports", "abstract", quote, line=7),),
                             where=Located(f"content/claims/c{i}.md", {}))
              for i, (quote, _abstract) in enumerate(pairs)}
    return KnowledgeBase(entities={}, claims=claims, pages={}, sources=sources)


def test_every_alignment_stays_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the quote's length, no alignment compares more than 64 characters of it with the text."""
    seen: list[tuple[int, int]] = []
    real = fuzz.partial_ratio_alignment

    def spy(needle: str, hay: str, **kwargs: object) -> object:
        seen.append((len(needle), len(hay)))
        return real(needle, hay, **kwargs)

    monkeypatch.setattr(quotes.fuzz, "partial_ratio_alignment", spy)
    rng = random.Random(13)
    for length in (40, 200, 1_000, 1_990):
        abstract = _text(rng, 19_000)
        quotes.closest_passage(_text(rng, length), abstract)
    assert seen and max(n for n, _ in seen) <= quotes.PIECE
    assert len(seen) <= 4 * quotes.PIECES


@pytest.mark.parametrize("length", [300, 1_000, 1_900])
def test_a_long_quote_with_changed_words_is_placed_where_it_comes_from(length: int) -> None:
    rng = random.Random(length)
    abstract = _text(rng, 18_000)
    at = abstract.index(" ", 9_000) + 1
    original = abstract[at:at + length].rsplit(" ", 1)[0]
    quote = original.replace(" ", " not ", 3)  # three words more: no longer found
    assert not quotes.quote_found(quote, abstract)
    near = quotes.closest_passage(quote, abstract)
    assert near is not None and near != quotes.NOT_COMPUTED
    start = abstract.find(near)
    assert start >= 0 and abs(start - at) < 40, (start, at)
    assert abs(len(near) - len(original)) < 0.2 * len(original)


def test_a_runs_hints_share_one_budget() -> None:
    rng = random.Random(18)
    pairs = [(_text(rng, 1_990), _text(rng, 19_000)) for _ in range(12)]
    found = [d for d in check_quotes(_kb(pairs), quotes.HintBudget(60_000)) if d.code == "quote-not-found"]
    assert len(found) == 12  # (each is also a long-quote)
    hinted = ["closest passage in the abstract is" in (d.hint or "") for d in found]
    skipped = ["was not looked up" in (d.hint or "") for d in found]
    assert hinted[:3] == [True, True, True] and all(skipped[3:])
    assert not any(h and s for h, s in zip(hinted, skipped))
    assert all("\0" not in (d.hint or "") for d in found)


def test_the_default_budget_covers_an_ordinary_project() -> None:
    """300 wrong quotes against ordinary abstracts (1,800 characters) all get their hint."""
    rng = random.Random(300)
    pairs = [(_text(rng, 120), _text(rng, 1_800)) for _ in range(300)]
    found = check_quotes(_kb(pairs))
    assert len(found) == 300
    assert not any("was not looked up" in (d.hint or "") for d in found)
