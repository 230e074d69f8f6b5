"""Is every study appraisal about a real source, and does every result say where it comes from?

Checks on content/sources/<key>.md and on the claims that cite its results, one
code per rule (the GRADE rules that read the appraisals are in effect_checks):

* `unknown-source`: an appraisal whose file name is no key of references.bib;
* `unknown-effect`: an evidence item names `effect: x`, and the source's appraisal has no result x;
* `quote-not-found`: a result's quote, located in the abstract, is not in it (as for claims);
* `effect-not-in-quote`: a result's estimate, an interval bound or its SD is not in its own quote;
* `missing-interval`: a result recorded without an interval while its quote gives one;
* `incomplete-abstract`: a claim rests (supports, qualifies, contradicts) on a source whose
  stored abstract is marked incomplete: what the site says the source does not say may be
  in the part that is missing.

Pure functions from the model to diagnostics, like generator.checks.validate (which calls them).
"""

from __future__ import annotations

import difflib
import re

from generator.checks.evidence_checks import QUOTED_STANCES, quote_problem
from generator.core.diagnostics import Diagnostic, diag
from generator.core.model import Effect, KnowledgeBase
from generator.text import numbers


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_sources(kb: KnowledgeBase) -> list[Diagnostic]:
    """unknown-source: every appraisal file is named after a key of references.bib."""
    out: list[Diagnostic] = []
    keys = sorted(kb.sources)
    for key, appraisal in sorted(kb.appraisals.items()):
        if key in kb.sources:
            continue
        near = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
        out.append(diag("unknown-source", appraisal.file, 1,
                        f"content/sources/{key}.md appraises '{key}', which is not in references.bib",
                        f"Did you mean '{near[0]}'? Rename the file to content/sources/{near[0]}.md." if near else
                        "Name the file after the BibTeX key of the source it appraises, or add the entry first."))
    return out


def check_effect_references(kb: KnowledgeBase) -> list[Diagnostic]:
    """unknown-effect: `effect: x` on an evidence item must name a result in its source's appraisal."""
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        for ev in claim.evidence:
            if ev.effect is None or ev.source not in kb.sources:
                continue  # an unknown source is unknown-citation already
            appraisal = kb.appraisals.get(ev.source)
            line = ev.effect_line or ev.line
            if appraisal is None:
                out.append(diag("unknown-effect", claim.where.path, line,
                                f"effect '{ev.effect}' of '{ev.source}': the source has no appraisal "
                                f"(content/sources/{ev.source}.md)",
                                f"Create it with `kb new source {ev.source}` and record the result under effects:, "
                                "or remove the effect line."))
            elif appraisal.effect(ev.effect) is None:
                ids = [e.id for e in appraisal.effects]
                near = difflib.get_close_matches(ev.effect, ids, n=1)
                out.append(diag("unknown-effect", claim.where.path, line,
                                f"effect '{ev.effect}' is not a result in {appraisal.file}",
                                f"Did you mean '{near[0]}'?" if near else
                                (f"Its results are: {', '.join(ids)}." if ids else
                                 f"{appraisal.file} records no results yet: add it under effects:.")))
    return out


def missing_from_quote(effect: Effect) -> list[str]:
    """The estimate and interval bounds (as written in the appraisal) that the effect's quote does not carry."""
    carried = numbers.values_in(effect.quote)
    wanted = [("estimate", effect.estimate)]
    if effect.ci_low is not None and effect.ci_high is not None:
        wanted += [("lower bound", effect.ci_low), ("upper bound", effect.ci_high)]
    if effect.sd is not None:
        wanted.append(("SD", effect.sd))
    return [f"{name} {_fmt(value)}" for name, value in wanted if not numbers.same(value, carried)]


def check_effect_quotes(kb: KnowledgeBase) -> list[Diagnostic]:
    """quote-not-found and effect-not-in-quote for every result of every appraisal."""
    out: list[Diagnostic] = []
    for key, appraisal in sorted(kb.appraisals.items()):
        for effect in appraisal.effects:
            problem = quote_problem(kb, key, effect.quote, effect.locator, appraisal.file, effect.quote_line)
            if problem is not None:
                out.append(problem)
            missing = missing_from_quote(effect)
            if missing:
                out.append(diag("effect-not-in-quote", appraisal.file, effect.quote_line or effect.line,
                                f"effect '{effect.id}': the quote does not carry the {', '.join(missing)}",
                                "Quote the sentence that states the estimate and its 95% interval, or correct the "
                                "numbers (1.52 and 1,52 are the same; the sign is not compared)."))
    return out


#: words with which a quote gives a confidence interval ("95% CI", "confidence interval", "95%-BI")
_INTERVAL_WORDS = re.compile(r"\b(?:CI|confidence interval|BI|betrouwbaarheidsinterval|Konfidenzintervall)\b",
                             re.IGNORECASE)


def check_missing_intervals(kb: KnowledgeBase) -> list[Diagnostic]:
    """missing-interval: a result without `ci` whose quote gives a confidence interval.

    A result may go without an interval only where the source gives none; readers then see "geen
    betrouwbaarheidsinterval gerapporteerd" and the result cannot show its precision (imprecision-mismatch).
    """
    out: list[Diagnostic] = []
    for _key, appraisal in sorted(kb.appraisals.items()):
        for effect in appraisal.effects:
            if effect.has_interval:
                continue
            found = _INTERVAL_WORDS.search(effect.quote)
            if found:
                out.append(diag("missing-interval", appraisal.file, effect.lines.get("measure", effect.line),
                                f"effect '{effect.id}' has no ci, but its quote gives a confidence interval "
                                f"('{found.group(0)}')",
                                "Copy the interval into ci: [low, high]; leave ci out only when the source gives none."))
    return out


def check_incomplete_abstracts(kb: KnowledgeBase) -> list[Diagnostic]:
    """incomplete-abstract: a claim relies on a source whose stored abstract stops early."""
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        warned: set[str] = set()
        for ev in claim.evidence:
            appraisal = kb.appraisals.get(ev.source)
            if ev.stance not in QUOTED_STANCES or appraisal is None or appraisal.abstract_complete:
                continue
            if ev.source in warned:
                continue
            warned.add(ev.source)
            out.append(diag("incomplete-abstract", claim.where.path, ev.line,
                            f"'{ev.source}' {ev.stance} the claim, but its stored abstract is incomplete "
                            f"({appraisal.file}: {appraisal.abstract_missing or 'what is missing is not said'})",
                            "Complete the abstract in references.bib from the publisher's page, then set "
                            "abstract: {complete: true} in the appraisal; until then, read the missing part "
                            "before relying on what the abstract does not say."))
    return out


def check_appraisal_fields(kb: KnowledgeBase, scan: object) -> None:
    """unsafe-html in an appraisal's text fields (*scan* is validate's field scanner: (rel, line, value))."""
    for appraisal in kb.appraisals.values():
        rel = appraisal.file
        scan(rel, appraisal.where.line("abstract"), appraisal.abstract_missing)  # type: ignore[operator]
        scan(rel, appraisal.where.line("risk_of_bias"), appraisal.tool_reason)  # type: ignore[operator]
        for domain in appraisal.domains:
            scan(rel, domain.line, domain.reason)  # type: ignore[operator]
        for effect in appraisal.effects:
            for name in ("outcome", "comparison", "unit", "follow_up", "quote", "locator"):
                scan(rel, effect.lines.get(name, effect.line), getattr(effect, name))  # type: ignore[operator]


def check_appraisals(kb: KnowledgeBase) -> list[Diagnostic]:
    return (check_sources(kb) + check_effect_references(kb) + check_effect_quotes(kb)
            + check_missing_intervals(kb) + check_incomplete_abstracts(kb))
