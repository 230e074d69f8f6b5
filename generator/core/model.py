"""The data model: frozen dataclasses, no I/O.

Everything the loaders read ends up here, with the line numbers the
validators need to point an editor at the right place.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal["injury", "risk-factor", "intervention"]

#: content sub-folder -> entity kind, in the order the site lists them.
ENTITY_DIRS: dict[str, EntityKind] = {
    "injuries": "injury",
    "risk-factors": "risk-factor",
    "interventions": "intervention",
}
#: claim field that refers to each entity kind
ENTITY_FIELDS: dict[EntityKind, str] = {
    "injury": "injuries",
    "risk-factor": "risk_factors",
    "intervention": "interventions",
}
KIND_DIRS: dict[EntityKind, str] = {kind: folder for folder, kind in ENTITY_DIRS.items()}

CLAIM_TYPES = ("intervention", "risk-factor", "prognosis", "diagnosis", "mechanism", "epidemiology", "advice")
#: GRADE levels, best first; `not-graded` is for claims GRADE does not apply to (a definition)
CERTAINTIES = ("high", "moderate", "low", "very-low", "not-graded")
GRADED_LEVELS = CERTAINTIES[:4]
#: the five GRADE domains that rate certainty down, and the three that rate it up
DOWNGRADE_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UPGRADE_DOMAINS = ("large_effect", "dose_response", "plausible_confounding")
#: the judgements each domain allows; "no" is always first
DOMAIN_RATINGS: dict[str, tuple[str, ...]] = {
    **{d: ("no", "serious", "very-serious") for d in DOWNGRADE_DOMAINS},
    "large_effect": ("no", "large", "very-large"),
    "dose_response": ("no", "yes"),
    "plausible_confounding": ("no", "yes"),
}
START_LEVELS = ("high", "low")
STANCES = ("supports", "contradicts", "qualifies", "mentions")
STATUSES = ("current", "superseded")
DESIGNS = (
    "systematic-review", "meta-analysis", "rct", "cohort", "case-control", "cross-sectional",
    "narrative-review", "consensus", "guideline", "case-series", "expert-opinion", "other",
)

# -- study appraisals (content/sources/<key>.md) --------------------------------
#: risk-of-bias tools and the names of their domains (docs/format.md; kb's 7 critical AMSTAR 2 domains)
ROB_TOOLS: dict[str, tuple[str, ...]] = {
    "rob-2": ("randomisation", "deviations", "missing_data", "measurement", "selection"),
    "robins-i": ("confounding", "selection", "classification", "deviations", "missing_data", "measurement",
                 "reported_result"),
    "robins-e": ("confounding", "measurement_exposure", "selection", "post_exposure_interventions", "missing_data",
                 "measurement_outcome", "reported_result"),
    "quips": ("participation", "attrition", "prognostic_factor", "outcome", "confounding", "analysis"),
    "amstar-2": ("protocol", "search", "selection", "extraction", "risk_of_bias_assessment", "meta_analysis",
                 "publication_bias"),
    "robis": ("eligibility", "identification", "data_collection", "synthesis"),
    "not-applicable": (),
}
#: judgements of a risk-of-bias domain and overall, best first (ROBINS and QUIPS words map onto these)
ROB_JUDGEMENTS = ("low", "some-concerns", "high")
#: effect measures, in the families RevMan and GRADEpro use.  Comparative measures compare two groups and
#: have a value of no effect: ratios at 1, differences (mean, standardised mean, risk difference) at 0; they
#: are the ones a forest plot draws.  Single-group measures (a proportion, an incidence, a mean or median
#: such as a duration in days, or a `pooled` estimate whose source does not say whether it is a mean or a
#: median) and agreement (Cohen's kappa) describe one group or two raters: they have no
#: value of no effect and appear in tables only.
RATIO_MEASURES = ("RR", "OR", "HR", "SHR", "IRR")
DIFFERENCE_MEASURES = ("MD", "SMD", "RD")
COMPARATIVE_MEASURES = RATIO_MEASURES + DIFFERENCE_MEASURES
SINGLE_GROUP_MEASURES = ("proportion", "incidence", "mean", "median", "pooled")
AGREEMENT_MEASURES = ("kappa",)
EFFECT_MEASURES = COMPARATIVE_MEASURES + SINGLE_GROUP_MEASURES + AGREEMENT_MEASURES
#: measures that need a unit ("%", "per 1000 h", "points VISA-A", "days")
UNIT_MEASURES = ("MD", "RD", "proportion", "incidence", "mean", "median", "pooled")
#: measures whose spread a source may give as a standard deviation (a mean, also a mean change within a group)
SD_MEASURES = ("mean",)
#: a result a source gives only as a bound ("more than 90% returned"): no estimate, no interval
EFFECT_BOUNDS = ("more-than", "less-than")


@dataclass(frozen=True)
class Located:
    """Where an item came from: a path relative to the root and field lines."""

    path: str
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    body_line: int = 1

    def line(self, name: str) -> int | None:
        return self.lines.get(name)


@dataclass(frozen=True)
class Entity:
    kind: EntityKind
    id: str
    title: str
    aliases: tuple[str, ...]
    summary: str | None
    body: str
    where: Located
    #: when editors last looked for new studies on this topic (living evidence); None: not said
    last_searched: _dt.date | None = None
    #: words readers search with that are no other name for the topic (e.g. "hielspoor" for plantar
    #: fasciopathy): searched like the aliases, but never shown as "also known as"
    search_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    source: str
    stance: str
    locator: str | None = None
    quote: str | None = None
    note: str | None = None
    line: int | None = None
    participants: int | None = None
    quote_line: int | None = None
    #: the id of a result in the source's appraisal (content/sources/<key>.md) this item rests on
    effect: str | None = None
    effect_line: int | None = None


@dataclass(frozen=True)
class Judgement:
    """One GRADE domain of a claim's evidence profile."""

    domain: str  # a key of DOMAIN_RATINGS
    rating: str = "no"
    reason: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Grade:
    """A claim's GRADE evidence profile: where it starts and why it moved.

    `judgements` always holds all eight domains, in the order of
    DOWNGRADE_DOMAINS then UPGRADE_DOMAINS (an omitted domain is "no"), so a
    page can show the whole profile and a check never needs a default.
    `applicable=False` marks a claim GRADE does not rate (a definition), with
    `reason` saying why.
    """

    applicable: bool = True
    start: str | None = None  # "high" | "low"
    judgements: tuple[Judgement, ...] = ()
    reason: str | None = None
    line: int | None = None
    start_line: int | None = None

    def judgement(self, domain: str) -> Judgement:
        return next((j for j in self.judgements if j.domain == domain), Judgement(domain))


@dataclass(frozen=True)
class Claim:
    id: str
    statement: str
    type: str
    certainty: str
    reviewed: _dt.date | None
    evidence: tuple[Evidence, ...]
    injuries: tuple[str, ...] = ()
    risk_factors: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    population: str | None = None
    certainty_reason: str | None = None
    status: str = "current"
    superseded_by: str | None = None
    suppress: tuple[tuple[str, str], ...] = ()
    grade: Grade | None = None
    body: str = ""
    where: Located = field(default_factory=lambda: Located(""))

    def entities(self, kind: EntityKind) -> tuple[str, ...]:
        return getattr(self, ENTITY_FIELDS[kind])


@dataclass(frozen=True)
class FreePage:
    """A hand-written page (content/pages/<id>.md), published at /<id>/."""

    id: str
    title: str
    summary: str | None
    body: str
    where: Located


@dataclass(frozen=True)
class Source:
    """One BibTeX entry, fields decoded from LaTeX to Unicode."""

    key: str
    entry_type: str
    fields: dict[str, str] = field(compare=False, hash=False)
    line: int | None = None
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def get(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if value else None

    @property
    def verified(self) -> bool:
        return (self.get("verified") or "yes").strip().lower() not in {"no", "false", "0"}

    @property
    def retracted(self) -> bool:
        """`retracted = {yes}`: the editor has recorded that the work was retracted."""
        return (self.get("retracted") or "no").strip().lower() in {"yes", "true", "1"}


@dataclass(frozen=True)
class DomainJudgement:
    """One domain of a risk-of-bias tool, judged for one study."""

    name: str
    judgement: str  # one of ROB_JUDGEMENTS
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class Effect:
    """One result of a study, as the study reports it: the data a forest plot and an SoF row need."""

    id: str
    outcome: str
    comparison: str
    measure: str  # one of EFFECT_MEASURES
    estimate: float
    ci_low: float | None
    ci_high: float | None
    unit: str | None
    participants: int | None
    follow_up: str | None
    baseline_risk: float | None
    quote: str
    locator: str
    line: int | None = None
    quote_line: int | None = None
    #: the line of each field, for diagnostics
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    #: the standard deviation, when the source gives a mean with its SD ("-12+/-13%")
    sd: float | None = None
    #: "more-than" / "less-than" when the source gives only a bound ("more than 90%"), not an estimate
    bound: str | None = None

    @property
    def comparative(self) -> bool:
        """Does the result compare two groups (a ratio or a difference), so that a forest plot can draw it?"""
        return self.measure in COMPARATIVE_MEASURES

    @property
    def has_interval(self) -> bool:
        """Does the source give a 95% interval?  Without one, the result cannot show its precision."""
        return self.ci_low is not None and self.ci_high is not None

    @property
    def no_effect(self) -> float | None:
        """The value of no effect: 1 for ratios, 0 for differences, None for single-group measures and kappa."""
        if self.measure in RATIO_MEASURES:
            return 1.0
        if self.measure in DIFFERENCE_MEASURES:
            return 0.0
        return None

    @property
    def crosses_no_effect(self) -> bool | None:
        """Does the 95% interval include no effect?  None when there is no interval or no such value."""
        if self.no_effect is None or self.ci_low is None or self.ci_high is None:
            return None
        return self.ci_low <= self.no_effect <= self.ci_high


@dataclass(frozen=True)
class Appraisal:
    """A study appraised once (content/sources/<key>.md): risk of bias, the results the KB uses, what was read."""

    key: str
    reviewed: _dt.date | None
    abstract_complete: bool
    abstract_missing: str | None
    tool: str
    tool_reason: str | None
    domains: tuple[DomainJudgement, ...]
    overall: str | None  # None with tool not-applicable
    effects: tuple[Effect, ...]
    notes_md: str
    file: str
    line: int | None = None
    where: Located = field(default_factory=lambda: Located(""), compare=False, hash=False)

    def effect(self, id_: str) -> Effect | None:
        return next((e for e in self.effects if e.id == id_), None)


@dataclass(frozen=True)
class KnowledgeBase:
    entities: dict[str, Entity]  # keyed by "<kind>:<id>"
    claims: dict[str, Claim]
    pages: dict[str, FreePage]
    sources: dict[str, Source]
    bib_path: str = "references.bib"
    #: the editors' images and PDFs (content/... paths) that are published as they are
    assets: frozenset[str] = frozenset()
    #: study appraisals by BibTeX key (content/sources/<key>.md); a source without one is "not appraised"
    appraisals: dict[str, Appraisal] = field(default_factory=dict)

    def entity(self, kind: EntityKind, id_: str) -> Entity | None:
        return self.entities.get(f"{kind}:{id_}")

    def entities_of(self, kind: EntityKind) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.title.casefold())
