"""Quote matching: typography never hides a real quote, and a wrong quote gets the source's words back."""

from __future__ import annotations

import time

import pytest

from generator.text.quotes import closest_passage, normalise, quote_found, word_count

ABSTRACT = ("Background: Running-related injuries are common.\n"
            "Results: Novice runners with a BMI > 30 had a “higher” risk — HR 1.59 (95% CI 0.96–2.66) —\n"
            "than those with a BMI < 25. Conclusion: ﬁndings were imprecise.")


@pytest.mark.parametrize("quote", [
    'novice runners with a BMI > 30 had a "higher" risk - HR 1.59 (95% CI 0.96-2.66)',  # straight quotes, hyphens
    "Novice  runners with a BMI > 30 had a ‘higher’ risk",  # curly single quotes, double space
    "HR 1.59 (95% CI 0.96–2.66) — than those",  # across a line break
    "FINDINGS WERE IMPRECISE.",  # case, and the ﬁ ligature
    "Running\u00ad-related injuries",  # a soft hyphen copied from a PDF
])
def test_typography_does_not_hide_a_real_quote(quote: str) -> None:
    assert quote_found(quote, ABSTRACT)


@pytest.mark.parametrize("quote", [
    "Novice runners had a lower risk",  # different words
    "risk had a higher",  # same words, other order
    "",  # nothing
])
def test_a_quote_with_other_words_is_not_found(quote: str) -> None:
    assert not quote_found(quote, ABSTRACT)


def test_normalise_folds_quotes_dashes_space_and_case() -> None:
    assert normalise(" «A»\u2009—\tB’s\n\nC ") == "'a' - b's c"


def test_closest_passage_is_the_sources_own_words_on_word_boundaries() -> None:
    near = closest_passage("Novice runners with a BMI above 30 had a higher risk", ABSTRACT)
    assert near is not None
    assert near.startswith("Novice runners with a BMI > 30")
    assert "“higher”" in near  # the source's typography, not the normalised form
    assert near in " ".join(ABSTRACT.split())


def test_closest_passage_without_anything_alike_is_none() -> None:
    assert closest_passage("zzzz qqqq", "Background: shin pain.") is None


def test_word_count() -> None:
    assert word_count("  one two\nthree ") == 3


def test_matching_cost_stays_bounded_for_a_huge_abstract() -> None:
    """A hostile 2 MB abstract must not make `kb check` hang (a generous bound: super-linear work would blow it)."""
    huge = "lorem ipsum dolor " * 120_000
    start = time.perf_counter()
    assert not quote_found("not there at all", huge)
    assert closest_passage("not there at all", huge) is None  # above MAX_ALIGN_CHARS: no alignment attempted
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("text", [ABSTRACT, " «A»\u2009—\tB’s\n\nC\u00ad ", "Straße – ‘x’ \u200b y", "ﬁ\u2028x"])
def test_fast_and_mapped_normalisation_agree(text: str) -> None:
    """`normalise` (translate table) and the index-keeping version behind the hints must fold alike."""
    import unicodedata

    from generator.text.quotes import _normalise_mapped

    assert normalise(text) == _normalise_mapped(unicodedata.normalize("NFKC", text))[0]
