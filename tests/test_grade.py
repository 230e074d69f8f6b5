"""GRADE profiles: the certainty follows from the judgements, the start from the designs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BIB, CLAIM, by_code, check, found, make_project
from generator.checks.grade import computed_level, may_start_high
from generator.core.model import DOWNGRADE_DOMAINS, UPGRADE_DOMAINS, Grade, Judgement

pytestmark = pytest.mark.usefixtures("reproducible_date")
CLAIM_PATH = "content/claims/rest-helps.md"


def profile(start: str, **ratings: str) -> Grade:
    return Grade(start=start, judgements=tuple(Judgement(d, ratings.get(d, "no"), "why")
                                               for d in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS))


@pytest.mark.parametrize(("start", "ratings", "expected"), [
    ("high", {}, "high"),
    ("high", {"risk_of_bias": "serious"}, "moderate"),
    ("high", {"risk_of_bias": "serious", "imprecision": "serious"}, "low"),
    ("high", {"inconsistency": "very-serious", "indirectness": "serious"}, "very-low"),
    ("high", {"risk_of_bias": "very-serious", "imprecision": "very-serious"}, "very-low"),  # never below very low
    ("low", {}, "low"),
    ("low", {"large_effect": "large"}, "moderate"),
    ("low", {"large_effect": "very-large"}, "high"),
    ("low", {"large_effect": "very-large", "dose_response": "yes"}, "high"),  # never above high
    ("low", {"publication_bias": "serious", "plausible_confounding": "yes"}, "low"),
])
def test_computed_level(start: str, ratings: dict[str, str], expected: str) -> None:
    assert computed_level(profile(start, **ratings)) == expected


def test_not_applicable_has_no_level() -> None:
    assert computed_level(Grade(applicable=False, reason="A definition.")) is None


@pytest.mark.parametrize(("claim_type", "design", "high"), [
    ("intervention", "rct", True),
    ("intervention", "meta-analysis", True),
    ("intervention", "cohort", False),  # observational evidence on an effect starts low (Balshem 2011)
    ("risk-factor", "cohort", True),  # prognostic factors: cohorts start high (Foroutan 2020)
    ("prognosis", "cohort", True),  # overall prognosis (Iorio 2015)
    ("epidemiology", "rct", True),
    ("risk-factor", "cross-sectional", False),
    ("risk-factor", "case-control", False),
    ("advice", "expert-opinion", False),
    ("prognosis", "narrative-review", False),
    ("prognosis", None, False),
])
def test_start_rules(claim_type: str, design: str | None, high: bool) -> None:
    assert may_start_high(claim_type, design) is high


def _claim(profile_yaml: str, certainty: str = "low", type_: str = "advice") -> str:
    return (CLAIM.replace("grade: {start: low}\n", profile_yaml.rstrip("\n") + "\n")
            .replace("certainty: low", f"certainty: {certainty}").replace("type: advice", f"type: {type_}"))


def test_bare_no_and_yes_words_and_reasons_are_read(tmp_path: Path) -> None:
    text = _claim("grade:\n  start: low\n  risk_of_bias: no\n  dose_response: {rating: yes, reason: \"More km, more risk.\"}\n"
                  "  imprecision: {rating: no}\n", certainty="moderate")
    result = check(make_project(tmp_path, {CLAIM_PATH: text}))
    assert found(result) == []
    grade = result.kb.claims["rest-helps"].grade
    assert grade is not None
    assert grade.judgement("dose_response") == Judgement("dose_response", "yes", "More km, more risk.", 15)
    assert grade.judgement("risk_of_bias").rating == "no"
    assert grade.judgement("publication_bias").rating == "no"  # omitted


def test_a_definition_is_not_graded(tmp_path: Path) -> None:
    text = _claim("grade:\n  applicable: false\n  reason: A definition from a consensus.\n", certainty="not-graded")
    assert found(check(make_project(tmp_path, {CLAIM_PATH: text}))) == []


def test_not_graded_without_grade_block_is_a_mismatch(tmp_path: Path) -> None:
    text = _claim("", certainty="not-graded")
    assert found(check(make_project(tmp_path, {CLAIM_PATH: text}))) == [("certainty-mismatch", CLAIM_PATH, 5)]


def test_not_graded_with_a_profile_is_a_mismatch(tmp_path: Path) -> None:
    text = _claim("grade: {start: low}", certainty="not-graded")
    [d] = check(make_project(tmp_path, {CLAIM_PATH: text})).diagnostics
    assert (d.code, d.line) == ("certainty-mismatch", 5) and "gives 'low'" in d.message


def test_a_profile_without_start_is_a_schema_error(tmp_path: Path) -> None:
    text = _claim("grade:\n  risk_of_bias: no\n")
    assert found(check(make_project(tmp_path, {CLAIM_PATH: text}))) == [("schema", CLAIM_PATH, 12)]


@pytest.mark.parametrize(("value", "message"), [
    ("start: low\n  risk_of_bias: maybe", "'grade.risk_of_bias' must be one of no, serious, very-serious; got 'maybe'"),
    ("start: low\n  large_effect: {rating: serious, reason: x}",
     "'grade.large_effect.rating' must be one of no, large, very-large"),
    ("risk_of_bias: no\n  start: medium", "'grade.start' must be one of high, low"),
    ("start: low\n  colour: red", "unknown field 'grade.colour'"),
])
def test_bad_profile_values_are_schema_errors(tmp_path: Path, value: str, message: str) -> None:
    text = _claim(f"grade:\n  {value}\n")
    problems = by_code(check(make_project(tmp_path, {CLAIM_PATH: text})), "schema")
    assert [d.line for d in problems] == [14] and message in problems[0].message


def test_superseded_claims_need_no_grade(tmp_path: Path) -> None:
    old = (CLAIM.replace("grade: {start: low}\n", "status: superseded\nsuperseded_by: new\n"))
    new = CLAIM.replace("Relative rest helps", "Rest helps")
    result = check(make_project(tmp_path, {CLAIM_PATH: old, "content/claims/new.md": new}))
    assert by_code(result, "missing-grade") == []


def test_a_trial_lets_an_intervention_start_high(tmp_path: Path) -> None:
    bib = BIB.replace("  year", "  design = {rct},\n  year")
    text = _claim("grade: {start: high}", certainty="high", type_="intervention")
    assert found(check(make_project(tmp_path, {"references.bib": bib, CLAIM_PATH: text}))) == []


def test_a_cohort_lets_a_risk_factor_start_high_but_not_an_intervention(tmp_path: Path) -> None:
    bib = BIB.replace("  year", "  design = {cohort},\n  year")
    risk = _claim("grade: {start: high}", certainty="high", type_="risk-factor")
    assert found(check(make_project(tmp_path / "a", {"references.bib": bib, CLAIM_PATH: risk}))) == []
    effect = _claim("grade: {start: high}", certainty="high", type_="intervention")
    [d] = check(make_project(tmp_path / "b", {"references.bib": bib, CLAIM_PATH: effect})).diagnostics
    assert d.code == "certainty-design" and "(cited: cohort)" in d.message


def test_publish_abstracts_setting_defaults_to_no_and_rejects_non_booleans() -> None:
    from generator.intake.config import Settings, settings_from_mapping

    assert Settings().publish_abstracts is False
    settings, problems = settings_from_mapping({"publish_abstracts": True}, "pyproject.toml")
    assert settings.publish_abstracts is True and problems == []
    settings, problems = settings_from_mapping({"publish_abstracts": "yes"}, "pyproject.toml")
    assert settings.publish_abstracts is False
    assert [(d.code, d.message) for d in problems] == [
        ("invalid-setting", "kb setting 'publish_abstracts': expected true or false, got 'yes' (a text)")]


@pytest.mark.parametrize(("design", "high"), [("cross-sectional", True), ("cohort", True), ("case-control", False)])
def test_diagnostic_accuracy_studies_start_high(design: str, high: bool) -> None:
    """GRADE for test accuracy (Schünemann 2008): cross-sectional or cohort accuracy studies start high."""
    assert may_start_high("diagnosis", design) is high
