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
class KnowledgeBase:
    entities: dict[str, Entity]  # keyed by "<kind>:<id>"
    claims: dict[str, Claim]
    pages: dict[str, FreePage]
    sources: dict[str, Source]
    bib_path: str = "references.bib"
    #: the editors' images and PDFs (content/... paths) that are published as they are
    assets: frozenset[str] = frozenset()

    def entity(self, kind: EntityKind, id_: str) -> Entity | None:
        return self.entities.get(f"{kind}:{id_}")

    def entities_of(self, kind: EntityKind) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.title.casefold())
