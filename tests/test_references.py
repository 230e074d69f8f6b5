"""Formatted references say what the BibTeX entry says, character for character."""

from __future__ import annotations

from generator.intake.bibliography import parse_bibliography
from generator.pages.references import format_sources


def formatted(bibtex: str, key: str):
    sources, problems = parse_bibliography(bibtex)
    assert not [p for p in problems if p.severity == "error"], problems
    return format_sources(sources, workers=1)[key]


def test_percent_sign_does_not_cut_the_title() -> None:
    # pybtex parses field values as LaTeX, where % starts a comment: the title used to end at "10".
    f = formatted(r"""@article{nielsen2020, author = {Nielsen, Rasmus O.}, year = {2020},
        title = {Is the 10\% rule safe? A study of 873 novice runners}, journal = {J Sports Sci}}""",
                  "nielsen2020")
    assert "Is the 10% rule safe? A study of 873 novice runners." in f.text
    assert "Is the 10% rule safe? A study of 873 novice runners." in f.html


def test_tex_ligatures_become_the_characters_latex_prints() -> None:
    f = formatted(r"""@article{smith2019, author = {Smith, Jo}, year = {2019},
        title = {Pain--load relations ``in the wild''---a cohort}, journal = {Gait \& Posture}, pages = {10--19}}""",
                  "smith2019")
    assert "Pain–load relations “in the wild”—a cohort." in f.text
    assert "Gait &amp; Posture" in f.html and "10–19" in f.text


def test_markup_in_values_is_escaped_not_interpreted() -> None:
    f = formatted(r"""@article{x2020, author = {Doe, Jane}, year = {2020},
        title = {<script>alert(1)</script> and $x^2$}, journal = {J}}""", "x2020")
    assert "<script>" not in f.html and "&lt;script&gt;" in f.html
    assert "$x^2$" in f.text
