"""Where does the source say that, and why this grade?  Checks on quotes and GRADE profiles.

Pure functions from the model to diagnostics, like generator.checks.validate (which
calls them).  Quote matching lives in generator.text.quotes, the GRADE arithmetic
and start rules in generator.checks.grade; this module only turns their answers
into diagnostics an editor can act on.
"""

from __future__ import annotations

from generator.checks import grade as grading
from generator.text import quotes
from generator.core.diagnostics import Diagnostic, diag
from generator.core.model import Claim, Grade, KnowledgeBase

#: stances a quote must carry; `mentions` may go without
QUOTED_STANCES = ("supports", "contradicts", "qualifies")
MAX_QUOTE_WORDS = 60


def _is_abstract(locator: str | None) -> bool:
    return bool(locator) and locator.strip().casefold() == "abstract"


def check_quotes(kb: KnowledgeBase, budget: quotes.HintBudget | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    budget = budget or quotes.HintBudget()  # the "closest passage" hints of one run share a bounded amount of work
    for claim in kb.claims.values():
        rel = claim.where.path
        for ev in claim.evidence:
            line = ev.quote_line or ev.line
            if ev.stance in QUOTED_STANCES and not (ev.quote and ev.locator):
                missing = " and ".join(name for name, value in (("quote", ev.quote), ("locator", ev.locator)) if not value)
                out.append(diag("unquoted-stance", rel, ev.line,
                                f"'{ev.source}' {ev.stance} the claim, but the evidence item has no {missing}",
                                "Add quote: \"...\" (the sentence that carries the stance, word for word) and "
                                "locator: abstract (or results, p. 12, table 2); if no sentence carries it, "
                                "make the stance 'mentions'."))
            if not ev.quote:
                continue
            words = quotes.word_count(ev.quote)
            if words > MAX_QUOTE_WORDS:
                out.append(diag("long-quote", rel, line,
                                f"the quote from '{ev.source}' has {words} words; at most {MAX_QUOTE_WORDS} are allowed",
                                "Quote only the sentence or clause that carries the stance."))
            problem = quote_problem(kb, ev.source, ev.quote, ev.locator, rel, line, budget)
            if problem is not None:
                out.append(problem)
    return out


def quote_problem(kb: KnowledgeBase, key: str, quote: str, locator: str | None, rel: str,
                  line: int | None, budget: quotes.HintBudget | None = None) -> Diagnostic | None:
    """`quote-not-found` when *quote* is located in the abstract of *key* but is not in it (claims and appraisals).

    The hint's "closest passage" costs a bounded amount per quote, and with a *budget* a bounded
    amount per run (issue 18, finding 13): past it the hint says it was not looked up.
    """
    source = kb.sources.get(key)
    abstract = source.get("abstract") if source else None
    if not abstract or not _is_abstract(locator) or quotes.quote_found(quote, abstract):
        return None
    near = quotes.closest_passage(quote, abstract, budget)
    shown = quote if len(quote) <= 80 else quote[:77] + "..."
    if near == quotes.NOT_COMPUTED:
        hint = ("Copy the words exactly from the abstract, or change the locator if the quote is from "
                "elsewhere in the source. (The closest passage was not looked up: this run has spent "
                "its time for such hints on the quotes before this one.)")
    elif near:
        hint = (f"The closest passage in the abstract is: \"{near}\". Copy the words exactly, "
                "or change the locator if the quote is from elsewhere in the source.")
    else:
        hint = ("Copy the words exactly from the abstract, or change the locator if the quote "
                "is from elsewhere in the source.")
    return diag("quote-not-found", rel, line, f"the quote \"{shown}\" is not in the abstract of '{key}'", hint)


def _profile_text(profile: Grade) -> str:
    moves = [f"{j.domain} {j.rating}" for j in profile.judgements if j.rating != "no"]
    return f"start {profile.start}" + "".join(f", {m}" for m in moves)


def _check_profile(claim: Claim, profile: Grade, kb: KnowledgeBase, out: list[Diagnostic]) -> None:
    rel = claim.where.path
    certainty_line = claim.where.line("certainty") or profile.line
    if not profile.applicable:
        if not profile.reason:
            out.append(diag("grade-reason-missing", rel, profile.line,
                            "'grade' says applicable: false but gives no reason",
                            "Add reason: \"...\" saying why GRADE does not rate this claim (e.g. a definition)."))
        if claim.certainty and claim.certainty != "not-graded":
            out.append(diag("certainty-mismatch", rel, certainty_line,
                            f"GRADE does not apply to this claim (applicable: false), but certainty is '{claim.certainty}'",
                            "Write certainty: not-graded, or fill in the GRADE profile (start and domains)."))
        return
    for j in profile.judgements:
        if j.rating != "no" and not j.reason:
            out.append(diag("grade-reason-missing", rel, j.line or profile.line,
                            f"'grade.{j.domain}' is '{j.rating}' without a reason",
                            f"Write {j.domain}: {{rating: {j.rating}, reason: \"...\"}} with one line on why."))
    if profile.start is None:
        if profile.start_line is not None:
            return  # an invalid start value, already reported by the schema check
        out.append(diag("schema", rel, profile.line, "'grade' needs 'start' (high or low)",
                        "Add start: high or start: low (see the start rules in docs/format.md), "
                        "or applicable: false with a reason."))
        return
    computed = grading.computed_level(profile)
    if claim.certainty == "not-graded":
        out.append(diag("certainty-mismatch", rel, certainty_line,
                        f"certainty is 'not-graded', but the GRADE profile ({_profile_text(profile)}) gives '{computed}'",
                        f"Write certainty: {computed}, or replace the profile by applicable: false with a reason."))
    elif claim.certainty and computed and claim.certainty != computed:
        out.append(diag("certainty-mismatch", rel, certainty_line,
                        f"certainty is '{claim.certainty}', but the GRADE profile ({_profile_text(profile)}) gives '{computed}'",
                        f"Write certainty: {computed}, or change the judgements that lead to it."))
    if profile.start == "high":
        designs = [kb.sources[ev.source].get("design") for ev in claim.evidence if ev.source in kb.sources]
        if not any(grading.may_start_high(claim.type, d) for d in designs):
            allowed = ", ".join(grading.high_start_designs(claim.type)) or "none"
            shown = ", ".join(sorted({d or "no design" for d in designs})) or "no sources"
            out.append(diag("certainty-design", rel, profile.start_line or profile.line,
                            f"the profile starts high, but no cited source has a design that starts high for "
                            f"a claim of type '{claim.type}' (cited: {shown})",
                            f"Designs that start high for this type: {allowed}. Start low, or set the correct "
                            "design on the source in references.bib."))


def check_grades(kb: KnowledgeBase) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for claim in kb.claims.values():
        if claim.grade is not None:
            _check_profile(claim, claim.grade, kb, out)
            continue
        rel = claim.where.path
        if claim.certainty == "not-graded":
            out.append(diag("certainty-mismatch", rel, claim.where.line("certainty"),
                            "certainty 'not-graded' needs a grade block saying why GRADE does not apply",
                            "Add grade: {applicable: false, reason: \"...\"}."))
        elif claim.status == "current":
            out.append(diag("missing-grade", rel, claim.where.line("certainty") or 1,
                            f"the claim has certainty '{claim.certainty}' but no GRADE profile",
                            "Add a grade block (start, and the domains that rate down or up, each with a "
                            "reason); see docs/format.md."))
    return out
