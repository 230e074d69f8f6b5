"""What the pages show of the evidence, as plain data (no HTML, no templates).

Four views, each a pure function of the checked model, so that templates
only lay them out and tests can assert them without rendering:

* `stance_tally`: how many sources support, qualify, contradict or mention
  a claim, each linked to its evidence item (and so to its quote);
* `profile_rows`: a claim's GRADE evidence profile, one row per domain;
* `summary_of_findings`: a GRADE summary-of-findings table for an injury,
  risk factor or intervention, with numbered footnotes carrying the reasons;
* `citation_statements`: a source's citation statements, scite-style: every
  current claim that cites it, once, grouped by stance, with the quote;
* `claim_effects` and `forest_groups`: the results a claim cites (from its
  sources' appraisals), written for readers, grouped into one forest plot per scale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.core import i18n
from generator.core.model import (CERTAINTIES, DIFFERENCE_MEASURES, DOWNGRADE_DOMAINS, RATIO_MEASURES, STANCES, Claim,
                                  Effect, Entity, Evidence, Grade, KnowledgeBase, Source)
from generator.pages import effect_text

#: the order readers meet stances in a tally (strongest agreement first, as the issue lists them)
TALLY_ORDER = ("supports", "qualifies", "contradicts", "mentions")
#: stances that count as evidence in a summary of findings; `mentions` does not back the claim
EVIDENCE_STANCES = ("supports", "qualifies", "contradicts")

_LANG_NAMES = {
    "english": "en", "dutch": "nl", "nederlands": "nl", "german": "de", "ngerman": "de", "french": "fr",
    "spanish": "es", "italian": "it", "portuguese": "pt", "swedish": "sv", "danish": "da", "norwegian": "no",
    "finnish": "fi", "japanese": "ja", "chinese": "zh", "korean": "ko", "russian": "ru", "polish": "pl",
}
_LANG_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def claim_order(claim: Claim) -> tuple[int, str, str]:
    """Most certain first, then by statement: the order every list of claims uses."""
    rank = CERTAINTIES.index(claim.certainty) if claim.certainty in CERTAINTIES else len(CERTAINTIES)
    return (rank, claim.statement.casefold(), claim.id)


def evidence_anchor(index: int) -> str:
    """The HTML id of a claim page's evidence item *index* (0-based): the target of tally links."""
    return f"bewijs-{index + 1}"


def quote_lang(source: Source | None) -> str:
    """BCP 47 tag of the language a source's quotes are in (`langid`/`language` field; default English).

    Only a well-formed tag is returned, so the value is safe in a `lang` attribute.
    """
    raw = ((source.get("langid") or source.get("language")) if source else None) or "en"
    value = raw.strip().casefold()
    value = _LANG_NAMES.get(value, value)
    return value if _LANG_TAG.match(value) else "en"


# -- stance tally -------------------------------------------------------------

@dataclass(frozen=True)
class TallyEntry:
    stance: str
    count: int
    anchors: tuple[str, ...]  # evidence anchors of the items with this stance, in file order


def stance_tally(claim: Claim) -> tuple[TallyEntry, ...]:
    """One entry per stance in TALLY_ORDER, zero counts included (a reader learns that nothing contradicts)."""
    anchors: dict[str, list[str]] = {stance: [] for stance in STANCES}
    for index, ev in enumerate(claim.evidence):
        anchors.setdefault(ev.stance, []).append(evidence_anchor(index))
    return tuple(TallyEntry(s, len(anchors[s]), tuple(anchors[s])) for s in TALLY_ORDER)


# -- evidence profile ---------------------------------------------------------

@dataclass(frozen=True)
class ProfileRow:
    domain: str
    label: str
    direction: str  # "down" (the five domains that rate down) | "up"
    rating: str
    rating_label: str
    reason: str | None


def profile_rows(grade: Grade | None, language: str) -> tuple[ProfileRow, ...]:
    """Every domain of the profile, rating-down domains first; empty when GRADE does not apply."""
    if grade is None or not grade.applicable:
        return ()
    lang = i18n.lang(language)
    return tuple(
        ProfileRow(j.domain, i18n.GRADE_DOMAIN[lang][j.domain], "down" if j.domain in DOWNGRADE_DOMAINS else "up",
                   j.rating, i18n.GRADE_RATING[lang][j.rating], j.reason)
        for j in grade.judgements
    )


# -- summary of findings ------------------------------------------------------

@dataclass(frozen=True)
class Footnote:
    number: int
    claim_id: str
    domain: str
    label: str
    rating: str
    rating_label: str
    reason: str


@dataclass(frozen=True)
class EffectItem:
    """A result a claim cites, as the page writes it."""

    key: str  # the source
    effect: Effect
    anchor: str  # the evidence item on the claim page
    estimate: str  # "1,52 (1,01 tot 2,29)"
    relative: str  # "HR 1,52 (1,01 tot 2,29)"
    absolute: str | None  # "104 meer per 1.000 (2 meer tot 258 meer)", with a baseline risk


def claim_effects(kb: KnowledgeBase, claim: Claim, language: str) -> tuple[EffectItem, ...]:
    """Every result the claim's backing evidence names (supports, qualifies, contradicts), in file order."""
    lang = i18n.lang(language)
    items = []
    for index, ev in enumerate(claim.evidence):
        appraisal = kb.appraisals.get(ev.source)
        effect = appraisal.effect(ev.effect) if appraisal is not None and ev.effect else None
        if effect is None or ev.stance not in EVIDENCE_STANCES:
            continue
        items.append(EffectItem(ev.source, effect, evidence_anchor(index), effect_text.estimate_text(effect, lang),
                                effect_text.relative_text(effect, lang), effect_text.absolute_text(effect, lang)))
    return tuple(items)


@dataclass(frozen=True)
class ForestGroup:
    """The results drawn on one axis: all ratios (log scale), or one difference or other measure and unit.

    Only comparative results (ratios, differences) are drawn (`plotted`); a single-group result (a proportion,
    a mean duration) or an agreement (kappa) has no value of no effect to read a forest plot against, and its
    group is shown as a table only.
    """

    measures: tuple[str, ...]
    log: bool
    no_effect: float | None
    unit: str | None
    items: tuple[EffectItem, ...]

    @property
    def plotted(self) -> bool:
        return all(item.effect.comparative for item in self.items)


def forest_groups(items: tuple[EffectItem, ...]) -> tuple[ForestGroup, ...]:
    """One group per scale, in the order the results first appear; results without a number to draw are kept."""
    groups: dict[tuple[str, ...], list[EffectItem]] = {}
    for item in items:
        e = item.effect
        key = ("ratio",) if e.measure in RATIO_MEASURES else (e.measure, e.unit or "")
        groups.setdefault(key, []).append(item)
    out = []
    for key, members in groups.items():
        measures = tuple(dict.fromkeys(m.effect.measure for m in members))
        first = members[0].effect
        ratio = key == ("ratio",)
        out.append(ForestGroup(measures, ratio, 1.0 if ratio else (0.0 if first.measure in DIFFERENCE_MEASURES
                                                                   else None),
                               None if ratio else first.unit, tuple(members)))
    return tuple(out)


@dataclass(frozen=True)
class SofRow:
    claim: Claim
    n_sources: int
    designs: tuple[tuple[str, int], ...]  # (design, number of sources), most frequent first
    participants: int | None  # sum over the sources whose number is known
    participants_known: int  # how many of the n_sources that sum covers
    certainty: str
    footnotes: tuple[int, ...]
    effects: tuple[EffectItem, ...] = ()  # the results the claim cites: relative and absolute effect


@dataclass(frozen=True)
class SofTable:
    rows: tuple[SofRow, ...]
    footnotes: tuple[Footnote, ...]

    @property
    def has_effects(self) -> bool:
        """Does any row cite a result (then the table gets the relative-effect column)?"""
        return any(row.effects for row in self.rows)

    @property
    def only_comparative(self) -> bool:
        """Do all cited results compare two groups?  Then the column is the effect of one against the other;
        with a single-group result (a mean duration) or a kappa in it, it is headed 'Resultaat (95%-BI)'."""
        return all(item.effect.comparative for row in self.rows for item in row.effects)

    @property
    def has_absolute(self) -> bool:
        """Does any row show an absolute effect (then the table gets that column)?"""
        return any(item.absolute for row in self.rows for item in row.effects)


def _participants(ev: Evidence, source: Source | None) -> int | None:
    if ev.participants is not None:
        return ev.participants
    raw = source.get("participants") if source else None
    return int(raw.strip()) if raw and raw.strip().isdigit() and int(raw.strip()) > 0 else None


def _sof_row(kb: KnowledgeBase, claim: Claim, footnotes: list[Footnote], language: str) -> SofRow:
    lang = i18n.lang(language)
    counted: dict[str, int | None] = {}  # source key -> participants, each source once
    for ev in claim.evidence:
        if ev.stance in EVIDENCE_STANCES:
            found = _participants(ev, kb.sources.get(ev.source))
            appraisal = kb.appraisals.get(ev.source)
            effect = appraisal.effect(ev.effect) if appraisal is not None and ev.effect else None
            if found is None and effect is not None:
                found = effect.participants  # the result's own count, from the appraisal
            if counted.get(ev.source) is None:
                counted[ev.source] = found
    designs: dict[str, int] = {}
    for key in counted:
        source = kb.sources.get(key)
        design = source.get("design") if source else None
        if design:
            designs[design.strip()] = designs.get(design.strip(), 0) + 1
    known = [n for n in counted.values() if n is not None]
    refs: list[int] = []
    if claim.grade is not None and claim.grade.applicable:
        for j in claim.grade.judgements:
            if j.rating != "no" and j.reason:
                footnotes.append(Footnote(len(footnotes) + 1, claim.id, j.domain, i18n.GRADE_DOMAIN[lang][j.domain],
                                          j.rating, i18n.GRADE_RATING[lang][j.rating], j.reason))
                refs.append(len(footnotes))
    return SofRow(claim, len(counted), tuple(sorted(designs.items(), key=lambda kv: (-kv[1], kv[0]))),
                  sum(known) if known else None, len(known), claim.certainty, tuple(refs),
                  claim_effects(kb, claim, language))


def summary_of_findings(kb: KnowledgeBase, entity: Entity, language: str) -> SofTable:
    """The GRADE summary of findings for one entity: its current claims, most certain first.

    Sources and participants count the evidence that backs or disputes a claim
    (`mentions` does not); each source once per claim.  Footnotes are numbered
    through the table, one per judgement that moved the certainty.
    """
    claims = sorted((c for c in kb.claims.values()
                     if c.status == "current" and entity.id in c.entities(entity.kind)), key=claim_order)
    footnotes: list[Footnote] = []
    rows = tuple(_sof_row(kb, c, footnotes, language) for c in claims)
    return SofTable(rows, tuple(footnotes))


# -- citation statements ------------------------------------------------------

@dataclass(frozen=True)
class CitationStatement:
    claim: Claim
    stance: str
    quote: str | None
    locator: str | None
    note: str | None
    anchor: str  # the evidence item on the claim page
    lang: str  # language of the quote


def citation_statements(kb: KnowledgeBase, key: str, citing: Iterable[Claim] | None = None,
                        ) -> tuple[tuple[str, tuple[CitationStatement, ...]], ...]:
    """(stance, statements) groups in TALLY_ORDER, empty groups left out.

    Every current claim citing *key* appears once: when it cites the source
    more than once, the item with the strongest stance (STANCES order) is the
    one shown, so a claim is never listed twice.  *citing*, when given, holds at
    least every claim citing *key* (the renderer's index): without it every claim
    of the KB is sorted and searched, per source (a quarter of a 1,000-claim build).
    """
    lang = quote_lang(kb.sources.get(key))
    chosen: list[CitationStatement] = []
    candidates = kb.claims.values() if citing is None else citing
    for claim in sorted((c for c in candidates if c.status == "current"), key=claim_order):
        items = [(i, ev) for i, ev in enumerate(claim.evidence) if ev.source == key]
        if not items:
            continue
        index, ev = min(items, key=lambda item: (STANCES.index(item[1].stance) if item[1].stance in STANCES
                                                 else len(STANCES), item[0]))
        chosen.append(CitationStatement(claim, ev.stance, ev.quote, ev.locator, ev.note, evidence_anchor(index), lang))
    groups = []
    for stance in TALLY_ORDER:
        members = tuple(s for s in chosen if s.stance == stance)
        if members:
            groups.append((stance, members))
    return tuple(groups)
