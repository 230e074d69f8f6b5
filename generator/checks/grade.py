"""GRADE arithmetic: the certainty a claim's evidence profile leads to.

Pure functions, no diagnostics.  The rules follow the GRADE Working Group:

* Balshem et al., GRADE guidelines 3 (J Clin Epidemiol 2011;64:401-6): for
  the effects of interventions, randomised trials start high and
  observational studies start low;
* Guyatt et al., GRADE guidelines 4-9 (J Clin Epidemiol 2011): five domains
  rate down one level (serious) or two (very serious) - risk of bias,
  inconsistency, indirectness, imprecision, publication bias - and three rate
  up: a large (+1) or very large (+2) effect, a dose-response gradient (+1),
  and plausible confounding that would reduce the effect shown (+1);
* Iorio et al., BMJ 2015;350:h870 (overall prognosis) and Foroutan et al.,
  J Clin Epidemiol 2020;121:62-70 (prognostic factors): for questions of
  prognosis a body of observational evidence (cohorts, and patients enrolled
  in trials) starts high;
* Schünemann et al., BMJ 2008;336:1106-10 and GRADE guidelines 21 (J Clin
  Epidemiol 2020;122:129-41): for diagnostic accuracy, cross-sectional or
  cohort studies of patients in whom the diagnosis is uncertain start high.

docs/format.md and content/pages/methode.md state the same rules for editors
and readers; change them together.
"""

from __future__ import annotations

from generator.core.model import DOWNGRADE_DOMAINS, Grade

#: numeric levels: high=4 ... very-low=1
LEVEL = {"high": 4, "moderate": 3, "low": 2, "very-low": 1}
_NAME = {number: name for name, number in LEVEL.items()}
#: how many levels each judgement moves the certainty
STEP = {"no": 0, "serious": -1, "very-serious": -2, "yes": 1, "large": 1, "very-large": 2}

#: claim types that ask about an effect (of a treatment, a prevention, a load):
#: GRADE for interventions (Balshem 2011)
EFFECT_TYPES = ("intervention", "advice", "mechanism")
#: claim types that ask about risk, course or frequency: GRADE for prognosis (Iorio 2015, Foroutan 2020)
PROGNOSIS_TYPES = ("risk-factor", "prognosis", "epidemiology")
#: study designs (the `design` field of references.bib) that may start high, per group of claim types
HIGH_START_DESIGNS: dict[str, frozenset[str]] = {
    **{t: frozenset({"rct", "systematic-review", "meta-analysis"}) for t in EFFECT_TYPES},
    **{t: frozenset({"cohort", "rct", "systematic-review", "meta-analysis"}) for t in PROGNOSIS_TYPES},
    # diagnostic accuracy (Schünemann 2008): accuracy studies are cross-sectional or cohort studies
    "diagnosis": frozenset({"cross-sectional", "cohort", "rct", "systematic-review", "meta-analysis"}),
}


def computed_level(grade: Grade) -> str | None:
    """The certainty the profile leads to, or None when GRADE does not apply or the start is unknown."""
    if not grade.applicable or grade.start not in ("high", "low"):
        return None
    level = LEVEL[grade.start] + sum(STEP.get(j.rating, 0) for j in grade.judgements)
    return _NAME[min(4, max(1, level))]


def downgrades(grade: Grade) -> int:
    """How many levels the five domains rate down (before clamping)."""
    return -sum(STEP.get(j.rating, 0) for j in grade.judgements if j.domain in DOWNGRADE_DOMAINS)


def may_start_high(claim_type: str, design: str | None) -> bool:
    """Can a source of this design let a claim of this type start at high certainty?"""
    return bool(design) and design in HIGH_START_DESIGNS.get(claim_type, frozenset())


def high_start_designs(claim_type: str) -> tuple[str, ...]:
    return tuple(sorted(HIGH_START_DESIGNS.get(claim_type, frozenset())))



#: overall risk-of-bias judgements of a study (content/sources/<key>.md) that count against a body of evidence
ROB_CONCERNS = ("some-concerns", "high")


def risk_of_bias_floor(overall: list[str]) -> str | None:
    """The least a claim's `risk_of_bias` may be rated, from the overall judgements of its appraised studies.

    `serious` when more than half of them are judged some-concerns or high, else `no`; None when no
    study is appraised (no floor).  A rating above the floor is the editor's call (see docs/format.md).
    """
    if not overall:
        return None
    return "serious" if 2 * sum(o in ROB_CONCERNS for o in overall) > len(overall) else "no"
