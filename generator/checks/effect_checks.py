"""GRADE that follows from the studies: checks that read a claim against its sources' appraisals.

One code per rule (docs/diagnostics.md and docs/format.md state them for editors):

* `rob-mismatch`: the claim rates `risk_of_bias: no` while most of its appraised stance-carrying
  studies are judged some-concerns or high (`grade.risk_of_bias_floor`), so one study can no
  longer be judged differently in two claims;
* `imprecision-mismatch`: `imprecision: no`, while a result the claim cites has a 95% interval
  that includes no effect (1 for ratios, 0 for differences), or has no interval at all (the source
  gives none: then the result cannot show that it is precise);
* `no-difference-wording`: the statement says "no difference" (`i18n.NO_DIFFERENCE_PHRASES`)
  resting on a non-significant result without saying that the difference was not shown;
* `untraced-number`: a number in the statement that none of the claim's quotes, cited results or
  cited sources' abstracts carries (`generator.text.numbers` says what counts as a number).

Pure functions from the model to diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.checks import grade as grading
from generator.checks.evidence_checks import QUOTED_STANCES
from generator.core import i18n
from generator.core.diagnostics import Diagnostic, diag
from generator.core.model import Claim, Effect, KnowledgeBase
from generator.text import numbers


def _fmt(value: float) -> str:
    return f"{value:g}"


def cited_effects(kb: KnowledgeBase, claim: Claim) -> list[tuple[str, Effect]]:
    """(source key, result) of every result a stance-carrying evidence item names, in file order."""
    found = []
    for ev in claim.evidence:
        appraisal = kb.appraisals.get(ev.source)
        effect = appraisal.effect(ev.effect) if appraisal is not None and ev.effect else None
        if effect is not None and ev.stance in QUOTED_STANCES:
            found.append((ev.source, effect))
    return found


def _graded(claim: Claim) -> bool:
    return claim.grade is not None and claim.grade.applicable and claim.grade.start is not None


def appraised_judgements(kb: KnowledgeBase, claim: Claim) -> list[tuple[str, str]]:
    """(source key, overall judgement) of each appraised stance-carrying source with a risk-of-bias tool."""
    seen: dict[str, str] = {}
    for ev in claim.evidence:
        appraisal = kb.appraisals.get(ev.source)
        if ev.stance in QUOTED_STANCES and appraisal is not None and appraisal.overall and ev.source not in seen:
            seen[ev.source] = appraisal.overall
    return list(seen.items())


def check_rob(kb: KnowledgeBase) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        if not _graded(claim):
            continue
        judged = appraised_judgements(kb, claim)
        floor = grading.risk_of_bias_floor([overall for _key, overall in judged])
        rating = claim.grade.judgement("risk_of_bias")  # type: ignore[union-attr]
        if floor == "serious" and rating.rating == "no":
            shown = ", ".join(f"{key} {overall}" for key, overall in judged)
            concerns = sum(overall in grading.ROB_CONCERNS for _key, overall in judged)
            out.append(diag("rob-mismatch", claim.where.path, rating.line or claim.grade.line,  # type: ignore[union-attr]
                            f"grade.risk_of_bias is 'no', but {concerns} of the {len(judged)} appraised sources "
                            f"are judged some-concerns or high ({shown})",
                            "Write risk_of_bias: {rating: serious, reason: \"...\"} naming the studies' concerns, "
                            "or correct the appraisals in content/sources/ if a study was judged wrongly."))
    return out


def check_imprecision(kb: KnowledgeBase) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        if not _graded(claim):
            continue
        rating = claim.grade.judgement("imprecision")  # type: ignore[union-attr]
        if rating.rating != "no":
            continue
        cited = cited_effects(kb, claim)
        crossing = [(key, e) for key, e in cited if e.crosses_no_effect]
        if crossing:
            shown = "; ".join(f"{key} {e.id}: {e.measure} {_fmt(e.estimate)} [{_fmt(e.ci_low)}, {_fmt(e.ci_high)}]"  # type: ignore[arg-type]
                              for key, e in crossing)
            out.append(diag("imprecision-mismatch", claim.where.path, rating.line or claim.grade.line,  # type: ignore[union-attr]
                            f"grade.imprecision is 'no', but the 95% interval of a cited result includes no "
                            f"effect ({shown})",
                            "Rate imprecision serious with a reason, or suppress this warning on the claim with "
                            "a reason (e.g. the whole interval lies within a difference that does not matter)."))
            continue
        bare = [(key, e) for key, e in cited if not e.has_interval]
        if bare:
            shown = "; ".join(f"{key} {e.id}: {e.measure} {_fmt(e.estimate)}" for key, e in bare)
            out.append(diag("imprecision-mismatch", claim.where.path, rating.line or claim.grade.line,  # type: ignore[union-attr]
                            f"grade.imprecision is 'no', but a cited result has no 95% interval, so its precision "
                            f"cannot be shown ({shown})",
                            "Rate imprecision serious with a reason (the source gives no confidence interval), "
                            "or cite a result that has one."))
    return out


def check_no_difference(kb: KnowledgeBase, language: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        phrase = i18n.no_difference_phrase(claim.statement, language)
        if phrase is None or i18n.says_not_shown(claim.statement, language):
            continue
        crossing = [(key, e) for key, e in cited_effects(kb, claim) if e.crosses_no_effect]
        if crossing:
            key, effect = crossing[0]
            out.append(diag("no-difference-wording", claim.where.path, claim.where.line("statement"),
                            f"the statement says '{phrase}', but rests on a result that is not significant "
                            f"({key} {effect.id}: {effect.measure} {_fmt(effect.estimate)} "
                            f"[{_fmt(effect.ci_low)}, {_fmt(effect.ci_high)}])",  # type: ignore[arg-type]
                            "A difference that was not shown is not shown to be absent: say so (e.g. 'er is geen "
                            "verschil aangetoond'), or cite a result whose interval shows equivalence."))
    return out


def _carried(kb: KnowledgeBase, claim: Claim) -> Iterable[frozenset[float]]:
    """The values the claim's quotes and cited results carry, then (read only when still needed) its abstracts."""
    for ev in claim.evidence:
        if ev.quote:
            yield numbers.values_in(ev.quote)
    for _key, e in cited_effects(kb, claim):
        yield numbers.values_in(e.quote) | numbers.values_in(e.follow_up or "")
        yield frozenset(v for v in (e.estimate, e.ci_low, e.ci_high, e.participants) if v is not None)
    for ev in claim.evidence:
        source = kb.sources.get(ev.source)
        if source is not None and source.get("abstract"):
            yield numbers.values_in(source.fields["abstract"])


def check_untraced_numbers(kb: KnowledgeBase) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        untraced = numbers.statement_numbers(claim.statement)
        for carried in _carried(kb, claim) if untraced else ():
            untraced = [(token, values) for token, values in untraced
                        if not any(numbers.same(v, carried) for v in values)]
            if not untraced:
                break
        if untraced:
            out.append(diag("untraced-number", claim.where.path, claim.where.line("statement"),
                            f"the statement says {', '.join(repr(t) for t, _v in untraced)}, but no quote, cited "
                            "result or abstract of its sources carries that number",
                            "Quote the sentence the number comes from (or cite the result: effect: <id>), or "
                            "correct the number."))
    return out


def check_effects(kb: KnowledgeBase, language: str) -> list[Diagnostic]:
    return (check_rob(kb) + check_imprecision(kb) + check_no_difference(kb, language)
            + check_untraced_numbers(kb))
