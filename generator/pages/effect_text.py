"""Effect estimates as readers read them: numbers in the site's format, absolute effects per 1,000.

Pure functions, no HTML.  Dutch pages write `1,52 (1,01 tot 2,29)`, English
pages `1.52 (1.01 to 2.29)`; a negative number gets a real minus sign.  The
number of decimals is the most any of the three numbers has, so an estimate
written `1.5` beside `[0.96, 2.66]` shows as `1,50`.

The absolute effect per 1,000 follows GRADEpro's summary-of-findings
formulas, from the control group's risk *b* (`baseline_risk`):

* RR: risk with = b × RR;
* OR: risk with = OR × b / (1 − b + OR × b);
* HR: risk with = 1 − (1 − b)^HR;

and the difference per 1,000 = 1000 × (risk with − b), for the estimate and
for both bounds.  A risk difference (RD) in percent is already absolute: ten
times the percentage per 1,000.  Other measures get no absolute effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.model import Effect

WORDS = {
    "nl": {"to": "tot", "more": "meer", "fewer": "minder", "per": "per 1.000", "ci": "95%-BI", "none": "geen verschil",
           "no_ci": "geen betrouwbaarheidsinterval gerapporteerd", "sd": "SD",
           "more-than": "meer dan", "less-than": "minder dan", "bound": "een grens, geen schatting"},
    "en": {"to": "to", "more": "more", "fewer": "fewer", "per": "per 1,000", "ci": "95% CI", "none": "no difference",
           "no_ci": "no confidence interval reported", "sd": "SD",
           "more-than": "more than", "less-than": "less than", "bound": "a bound, not an estimate"},
}
#: the measures as readers read them; the abbreviations GRADEpro prints stay as they are
MEASURE_LABELS = {
    "nl": {"RD": "RD (risicoverschil)", "proportion": "proportie", "incidence": "incidentie", "mean": "gemiddelde",
           "median": "mediaan", "pooled": "gepoolde schatting", "kappa": "kappa"},
    "en": {"RD": "RD (risk difference)", "proportion": "proportion", "incidence": "incidence", "mean": "mean",
           "median": "median", "pooled": "pooled estimate", "kappa": "kappa"},
}


def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "." not in text:
        return 0
    digits = text.split(".", 1)[1].rstrip("0")
    return len(digits)


def number(value: float, language: str, decimals: int | None = None) -> str:
    """One number in the site's format: decimal comma (nl) or point (en), a real minus sign."""
    places = _decimals(value) if decimals is None else decimals
    text = f"{abs(value):,.{places}f}"
    if language == "nl":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return ("\u2212" if round(value, places) < 0 else "") + text


def _words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["en"])


def _unit(effect: Effect) -> str:
    if not effect.unit:
        return ""
    return "%" if effect.unit == "%" else f" {effect.unit}"


def measure_label(measure: str, language: str) -> str:
    """`gemiddelde` for mean, `RD (risicoverschil)` for RD; ratios and MD/SMD as GRADEpro writes them."""
    return MEASURE_LABELS.get(language, MEASURE_LABELS["en"]).get(measure, measure)


def estimate_text(effect: Effect, language: str) -> str:
    """`1,52 (1,01 tot 2,29)`, with the unit; without an interval it says so: `−12% (SD 13%; geen
    betrouwbaarheidsinterval gerapporteerd)`, so no reader takes a bare number for a precise one."""
    values = [v for v in (effect.estimate, effect.ci_low, effect.ci_high) if v is not None]
    places = max(_decimals(v) for v in values)
    text = number(effect.estimate, language, places)
    w = _words(language)
    if effect.has_interval:
        text += (f" ({number(effect.ci_low, language, places)} {w['to']} "  # type: ignore[arg-type]
                 f"{number(effect.ci_high, language, places)})")  # type: ignore[arg-type]
        return text + _unit(effect)
    notes = [f"{w['sd']} {number(effect.sd, language)}{_unit(effect)}"] if effect.sd is not None else []
    if effect.bound:  # "meer dan 90% (een grens, geen schatting; ...)": never read as an estimate
        text = f"{w[effect.bound]} {text}"
        notes.insert(0, w["bound"])
    return f"{text}{_unit(effect)} ({'; '.join([*notes, w['no_ci']])})"


def relative_text(effect: Effect, language: str) -> str:
    """`HR 1,52 (1,01 tot 2,29)`: the measure and the estimate with its interval."""
    return f"{measure_label(effect.measure, language)} {estimate_text(effect, language)}"


def _risk_with(measure: str, ratio: float, baseline: float) -> float | None:
    if measure == "RR":
        return baseline * ratio
    if measure == "OR":
        return ratio * baseline / (1 - baseline + ratio * baseline)
    if measure == "HR":
        return 1 - (1 - baseline) ** ratio
    return None


@dataclass(frozen=True)
class Absolute:
    """The absolute effect per 1,000: estimate and bounds (rounded to whole people)."""

    estimate: int
    low: int | None
    high: int | None


def absolute_effect(effect: Effect) -> Absolute | None:
    """Risk difference per 1,000 from the baseline risk, or None when it cannot be computed.

    A risk difference in percent is already absolute: 22.6% is 226 more per 1,000 (GRADEpro writes it so).
    """
    if effect.measure == "RD" and effect.unit == "%":
        return Absolute(round(10 * effect.estimate), round(10 * effect.ci_low) if effect.ci_low is not None else None,
                        round(10 * effect.ci_high) if effect.ci_high is not None else None)
    b = effect.baseline_risk
    if b is None or effect.measure not in ("RR", "OR", "HR"):
        return None

    def per_1000(ratio: float) -> int:
        risk = _risk_with(effect.measure, ratio, b)
        return round(1000 * (risk - b))  # type: ignore[operator]

    low = per_1000(effect.ci_low) if effect.ci_low is not None else None
    high = per_1000(effect.ci_high) if effect.ci_high is not None else None
    return Absolute(per_1000(effect.estimate), low, high)


def _people(value: int, language: str) -> str:
    w = _words(language)
    if value == 0:
        return w["none"]
    return f"{number(float(abs(value)), language, 0)} {w['more'] if value > 0 else w['fewer']}"


def absolute_text(effect: Effect, language: str) -> str | None:
    """`104 meer per 1.000 (2 meer tot 258 meer)`, or None without a baseline risk."""
    found = absolute_effect(effect)
    if found is None:
        return None
    w = _words(language)
    text = f"{_people(found.estimate, language)} {w['per']}"
    if found.low is not None and found.high is not None:
        text += f" ({_people(found.low, language)} {w['to']} {_people(found.high, language)})"
    return text
