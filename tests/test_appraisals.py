"""Study appraisals (content/sources/<key>.md): read once, scaffolded safely, and the numbers rules.

The diagnostics each have their fixture in test_diagnostics.py; this file covers
what an editor notices besides them: the form `kb new source` writes, the
appraisal as the pages see it, and how numbers are read in quotes and statements.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIB, CLAIM, by_code, check, make_project
from generator.text import numbers
from test_diagnostics import APPRAISAL, EFFECT_CLAIM, ROB_SERIOUS, SOURCE_PATH

CLAIM_PATH = "content/claims/rest-helps.md"


def kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_appraisal_is_read_with_its_domains_and_effects(tmp_path: Path) -> None:
    result = check(make_project(tmp_path, {SOURCE_PATH: APPRAISAL}))
    appraisal = result.kb.appraisals["smith2020"]
    assert appraisal.tool == "rob-2" and appraisal.overall == "some-concerns"
    assert [d.name for d in appraisal.domains] == ["randomisation", "deviations", "missing_data", "measurement",
                                                   "selection"]
    [effect] = appraisal.effects
    assert (effect.measure, effect.estimate, effect.ci_low, effect.ci_high) == ("HR", 1.52, 1.01, 2.29)
    assert effect.crosses_no_effect is False
    assert appraisal.notes_md.strip() == "Reviewer notes."


def test_a_claim_citing_an_effect_graded_from_its_study_is_clean(tmp_path: Path) -> None:
    claim = EFFECT_CLAIM.replace("grade: {start: low}", ROB_SERIOUS).replace("certainty: low", "certainty: very-low")
    result = check(make_project(tmp_path, {SOURCE_PATH: APPRAISAL, CLAIM_PATH: claim}))
    assert [(d.code, d.line) for d in result.diagnostics] == []


def test_not_applicable_needs_only_a_reason(tmp_path: Path) -> None:
    text = APPRAISAL.split("risk_of_bias:")[0] + 'risk_of_bias: {tool: not-applicable, reason: "Expert opinion."}\n---\n'
    result = check(make_project(tmp_path, {SOURCE_PATH: text}))
    assert result.diagnostics == ()
    appraisal = result.kb.appraisals["smith2020"]
    assert appraisal.overall is None and appraisal.domains == () and appraisal.tool_reason == "Expert opinion."
    # an appraisal without a tool sets no risk-of-bias floor
    assert by_code(result, "rob-mismatch") == []


def test_rob_floor_needs_more_than_half(tmp_path: Path) -> None:
    """One of two appraised sources with concerns is not more than half: no floor, no error."""
    bib = BIB + "\n" + BIB.replace("smith2020", "jones2021").replace("Smith, Anna", "Jones, Bob")
    low = APPRAISAL.replace("overall: some-concerns", "overall: low")
    two = CLAIM.replace("    stance: supports\n", "    stance: supports\n  - source: jones2021\n"
                        "    quote: Runners on relative rest recovered sooner.\n    locator: results\n"
                        "    stance: supports\n")
    files = {"references.bib": bib, CLAIM_PATH: two, SOURCE_PATH: APPRAISAL,
             "content/sources/jones2021.md": low}
    assert by_code(check(make_project(tmp_path, files)), "rob-mismatch") == []
    files["content/sources/jones2021.md"] = APPRAISAL
    [d] = by_code(check(make_project(tmp_path / "again", files)), "rob-mismatch")
    assert "jones2021 some-concerns" in d.message and "smith2020 some-concerns" in d.message


def test_new_source_writes_a_form_that_check_walks_through(tmp_path: Path) -> None:
    bib = BIB.replace("  year", "  design = {rct},\n  year")
    root = make_project(tmp_path, {"references.bib": bib})
    made = kb("new", "source", "smith2020", cwd=root)
    assert made.returncode == 0, made.stderr
    path = root / SOURCE_PATH
    text = path.read_text(encoding="utf-8")
    assert "tool: rob-2" in text and "randomisation: {judgement: , reason: }" in text
    checked = kb("check", cwd=root)
    # nothing judged yet: check names what to fill in, in the new file, and does not pass
    assert checked.returncode == 1 and "content/sources/smith2020.md:" in checked.stdout
    again = kb("new", "source", "smith2020", cwd=root)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == text


def test_new_source_refuses_an_unknown_key(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    run = kb("new", "source", "smith2021", cwd=root)
    assert run.returncode == 1 and "did you mean 'smith2020'" in run.stderr
    assert not (root / "content" / "sources").exists()


@pytest.mark.parametrize("text, expected", [
    ("HR 1.52 (95% CI 1.01-2.29)", {1.52, 95.0, 1.01, 2.29}),
    ("RR 0,52 (0,31 tot .87)", {0.52, 0.31, 0.87}),
    ("1.000 lopers", {1.0, 1000.0}),
    ("MD −2.3 points", {2.3}),
])
def test_numbers_are_read_with_point_or_comma(text: str, expected: set[float]) -> None:
    assert numbers.values_in(text) == expected


def test_statement_numbers_leave_out_years_ordinals_and_names() -> None:
    found = [token for token, _values in numbers.statement_numbers("In 2018 liep 1 op de 3e keer 40% (COVID-19, RoB2)")]
    assert found == ["1", "40"]


def _effect(measure: str, estimate: float, low: float | None, high: float | None, baseline: float | None = None):
    from generator.core.model import Effect

    return Effect("e", "o", "c", measure, estimate, low, high,
                  "%" if measure in ("MD", "RD", "proportion", "mean") else None, None, None, baseline, "q", "results")


@pytest.mark.parametrize("measure, low, high, crosses", [
    ("RR", 0.8, 1.2, True), ("HR", 1.01, 2.29, False), ("MD", -1.0, 0.5, True), ("SMD", 0.1, 0.6, False),
    ("RD", 0.9, 44.3, False), ("RD", -3.0, 12.0, True),  # a risk difference: no effect at 0
    ("proportion", 10.0, 30.0, None), ("mean", 27.0, 61.0, None), ("kappa", 0.74, 1.0, None),  # no "no effect"
    ("HR", None, None, None),  # no interval: it cannot show whether it includes no effect
])
def test_an_interval_crosses_no_effect_at_1_for_ratios_and_0_for_differences(measure, low, high, crosses) -> None:
    estimate = (low + high) / 2 if low is not None else 1.5
    assert _effect(measure, estimate, low, high).crosses_no_effect is crosses


def test_a_risk_difference_in_percent_is_an_absolute_effect_per_1000() -> None:
    from generator.pages.effect_text import absolute_text, relative_text

    rd = _effect("RD", 22.6, 0.9, 44.3)  # "risk difference, 22.6%; 95% confidence interval: 0.9%, 44.3%"
    assert absolute_text(rd, "nl") == "226 meer per 1.000 (9 meer tot 443 meer)"
    assert relative_text(rd, "nl") == "RD (risicoverschil) 22,6 (0,9 tot 44,3)%"
    assert relative_text(rd, "en") == "RD (risk difference) 22.6 (0.9 to 44.3)%"


def test_a_result_without_interval_says_so_in_both_languages() -> None:
    from dataclasses import replace

    from generator.pages.effect_text import estimate_text, relative_text

    change = replace(_effect("mean", -12.0, None, None), sd=13.0)
    assert estimate_text(change, "nl") == "\u221212% (SD 13%; geen betrouwbaarheidsinterval gerapporteerd)"
    assert estimate_text(change, "en") == "\u221212% (SD 13%; no confidence interval reported)"
    assert relative_text(_effect("HR", 1.5, None, None), "nl") == "HR 1,5 (geen betrouwbaarheidsinterval gerapporteerd)"
    days = replace(_effect("median", 56.0, 13.0, 100.0), unit="dagen")
    assert relative_text(days, "nl") == "mediaan 56 (13 tot 100) dagen"
    # a source that gives only a bound ("more than 90%"): never shown as an estimate
    share = replace(_effect("proportion", 90.0, None, None), bound="more-than")
    assert estimate_text(share, "nl") == "meer dan 90% (een grens, geen schatting; geen betrouwbaarheidsinterval gerapporteerd)"
    assert relative_text(share, "en") == ("proportion more than 90% (a bound, not an estimate; "
                                          "no confidence interval reported)")
    # a pooled duration whose source does not say mean or median is not called either
    pooled = replace(days, measure="pooled")
    assert relative_text(pooled, "nl") == "gepoolde schatting 56 (13 tot 100) dagen"
    assert relative_text(pooled, "en") == "pooled estimate 56 (13 to 100) dagen"


def test_only_comparative_results_are_plotted() -> None:
    from generator.pages.evidence_views import EffectItem, forest_groups

    items = tuple(EffectItem("k", _effect(m, 1.5, 1.1, 1.9), "a", "", "", None)
                  for m in ("RR", "RD", "mean", "kappa", "proportion", "HR"))
    groups = {g.measures: g for g in forest_groups(items)}
    assert groups[("RR", "HR")].plotted and groups[("RR", "HR")].no_effect == 1.0
    assert groups[("RD",)].plotted and groups[("RD",)].no_effect == 0.0 and not groups[("RD",)].log
    assert [m for m, g in groups.items() if not g.plotted] == [("mean",), ("kappa",), ("proportion",)]


def test_absolute_effects_per_1000_follow_gradepro() -> None:
    from generator.pages.effect_text import absolute_effect, absolute_text, relative_text

    # RR 0.62 (0.41-0.94), control risk 30%: 1000 x (0.3 x RR - 0.3)
    rr = _effect("RR", 0.62, 0.41, 0.94, 0.3)
    assert (absolute_effect(rr).estimate, absolute_effect(rr).low, absolute_effect(rr).high) == (-114, -177, -18)
    assert absolute_text(rr, "nl") == "114 minder per 1.000 (177 minder tot 18 minder)"
    # OR 2 at 10%: OR x b / (1 - b + OR x b) = 0.1818...; HR 2 at 10%: 1 - 0.9^2 = 0.19
    assert absolute_effect(_effect("OR", 2.0, 1.0, 4.0, 0.1)).estimate == 82
    assert absolute_effect(_effect("HR", 2.0, 1.0, 4.0, 0.1)).estimate == 90
    assert absolute_effect(_effect("MD", 2.0, 1.0, 4.0, 0.1)) is None and absolute_effect(_effect("RR", 2, 1, 4)) is None
    assert relative_text(_effect("RR", 1.5, 0.96, 2.66), "nl") == "RR 1,50 (0,96 tot 2,66)"
    assert relative_text(_effect("MD", -2.3, -4.1, -0.5), "en") == "MD \u22122.3 (\u22124.1 to \u22120.5)%"


def test_a_statement_that_says_the_difference_was_not_shown_is_fine(tmp_path: Path) -> None:
    from test_diagnostics import crossing

    claim = EFFECT_CLAIM.replace("Relative rest helps shin splints.",
                                 "Er is geen verschil aangetoond tussen relatieve en volledige rust.")
    result = check(make_project(tmp_path, {SOURCE_PATH: crossing(APPRAISAL), CLAIM_PATH: claim}))
    assert by_code(result, "no-difference-wording") == []
    claim = claim.replace("Er is geen verschil aangetoond tussen", "Er is geen verschil tussen")
    assert len(by_code(check(make_project(tmp_path / "b", {SOURCE_PATH: crossing(APPRAISAL), CLAIM_PATH: claim})),
                       "no-difference-wording")) == 1
