"""Read a study appraisal (content/sources/<key>.md) into an `Appraisal`.

A study is judged once, here, for every claim that cites it: its risk of bias
(one tool, each of the tool's domains, the overall judgement), the results the
knowledge base uses (`Effect`s, each with the verbatim sentence it comes from)
and whether the abstract stored in references.bib is the whole abstract.

The field types are checked by the shared `FieldSpec` tables (SOURCE_FIELDS in
generator/intake/schema.py, which also write schema/source.schema.json); this
module adds the rules that tie fields together: the domain names a tool has,
what `not-applicable` and `complete: false` require, the unit a measure needs,
a kappa between -1 and 1, an SD only with a mean, an estimate inside its
interval, effect ids unique within the file.  Whether the key is in
references.bib is a cross-file check (generator/checks/appraisal_checks.py).
"""

from __future__ import annotations

from typing import Any

from generator.core.diagnostics import Diagnostic, diag
from generator.core.model import AGREEMENT_MEASURES, ROB_TOOLS, SD_MEASURES, SINGLE_GROUP_MEASURES, UNIT_MEASURES, Appraisal, DomainJudgement, Effect, Located
from generator.intake.frontmatter import Document
from generator.intake.schema import SOURCE_FIELDS, check_mapping


def _fmt(value: float) -> str:
    return f"{value:g}"


def _domains(rob: dict[str, Any], doc: Document, rel: str, out: list[Diagnostic]) -> tuple[DomainJudgement, ...]:
    tool = rob.get("tool")
    given: dict[str, Any] = rob.get("domains") or {}
    line = rob.get("_line")
    if tool is None:
        return ()
    names = ROB_TOOLS[tool]
    if not names:  # not-applicable: a reason, and nothing to judge
        if not rob.get("reason"):
            out.append(diag("schema", rel, rob["_lines"].get("tool", line),
                            "'risk_of_bias.tool' is not-applicable without a reason",
                            "Add reason: \"...\" (e.g. 'Narrative review: no study design to judge')."))
        for name, key in (("domains", "domains"), ("overall", "overall")):
            if key in rob:
                out.append(diag("schema", rel, rob["_lines"].get(key, line),
                                f"'risk_of_bias.{name}' is given, but the tool is not-applicable",
                                f"Remove {name}, or name the tool that was used."))
        return ()
    for name in given:
        if name not in names:
            out.append(diag("schema", rel, doc.line("risk_of_bias", "domains", name),
                            f"'{name}' is not a domain of {tool}",
                            f"The domains of {tool} are: {', '.join(names)}."))
    raw = doc.data.get("risk_of_bias")
    written = raw if isinstance(raw, dict) else {}
    if written.get("domains") is None:
        out.append(diag("schema", rel, rob["_lines"].get("domains", line),
                        f"'risk_of_bias' needs 'domains' (the {tool} domains)",
                        f"Add domains: with {', '.join(names)}, each {{judgement: ..., reason: \"...\"}}."))
    elif "domains" in rob:  # a domain written but incomplete was reported by the schema check
        missing = [n for n in names if n not in given and ("risk_of_bias", "domains", n) not in doc.lines]
        if missing:
            out.append(diag("schema", rel, rob["_lines"].get("domains", line),
                            f"the {tool} domain(s) {', '.join(missing)} are not judged",
                            "Judge every domain of the tool: " + ", ".join(
                                f"{n}: {{judgement: low, reason: \"...\"}}" for n in missing[:2]) + "."))
    if written.get("overall") is None:
        out.append(diag("schema", rel, rob["_lines"].get("overall", line),
                        "'risk_of_bias' needs 'overall' (low, some-concerns or high)",
                        "Write overall: some-concerns (the tool's overall judgement)."))
    return tuple(DomainJudgement(n, given[n]["judgement"], given[n]["reason"], given[n]["_line"])
                 for n in names if n in given)


def _effect(values: dict[str, Any], rel: str, out: list[Diagnostic]) -> Effect | None:
    line = values["_line"]
    lines = values["_lines"]
    if not values["_complete"]:
        return None
    measure = values["measure"]
    ci = values.get("ci")
    if measure in UNIT_MEASURES and not values.get("unit"):
        out.append(diag("schema", rel, lines.get("measure", line), f"effect '{values['id']}' is a {measure} without "
                        "a unit", "Add unit: \"%\" (or \"per 1000 h\", \"points VISA-A\": what the number counts)."))
    if measure in AGREEMENT_MEASURES:
        outside = [v for v in (values["estimate"], *(ci or ())) if not -1 <= v <= 1]
        if outside:
            out.append(diag("schema", rel, lines.get("estimate", line),
                            f"effect '{values['id']}': a kappa lies between -1 and 1, got {_fmt(outside[0])}",
                            "Copy the kappa as the source writes it (0.89, not 89)."))
    sd = values.get("sd")
    if sd is not None and measure not in SD_MEASURES:
        out.append(diag("schema", rel, lines.get("sd", line),
                        f"effect '{values['id']}': 'sd' belongs to a mean, not to a {measure}",
                        "Remove sd, or write measure: mean when the source gives a mean +/- SD of one group."))
        sd = None
    if sd is not None and sd < 0:
        out.append(diag("schema", rel, lines.get("sd", line),
                        f"effect '{values['id']}': a standard deviation cannot be negative, got {_fmt(sd)}",
                        "Copy the SD as the source writes it after '+/-'."))
        sd = None
    bound = values.get("bound")
    if bound is not None and measure not in SINGLE_GROUP_MEASURES:
        out.append(diag("schema", rel, lines.get("bound", line),
                        f"effect '{values['id']}': a bound ({bound}) belongs to a single-group result, not to a "
                        f"{measure}", "Remove bound, or record the result as a proportion, incidence, mean or median."))
        bound = None
    if bound is not None and ci is not None:
        out.append(diag("schema", rel, lines.get("bound", line),
                        f"effect '{values['id']}': a result given as a bound ({bound}) has no interval, "
                        f"but ci is [{_fmt(ci[0])}, {_fmt(ci[1])}]",
                        "Remove bound when the source gives an estimate with its interval; remove ci when it "
                        "gives only 'more than' or 'less than'."))
        bound = None
    if ci is not None and not ci[0] <= values["estimate"] <= ci[1]:
        out.append(diag("schema", rel, lines.get("estimate", line),
                        f"effect '{values['id']}': the estimate {_fmt(values['estimate'])} lies outside its interval "
                        f"[{_fmt(ci[0])}, {_fmt(ci[1])}]", "Copy estimate and interval again from the source."))
    baseline = values.get("baseline_risk")
    if baseline is not None and not 0 < baseline < 1:
        out.append(diag("schema", rel, lines.get("baseline_risk", line),
                        f"effect '{values['id']}': baseline_risk must be a risk between 0 and 1, got {_fmt(baseline)}",
                        "Write the control group's risk as a fraction: 20% is baseline_risk: 0.2."))
        baseline = None
    return Effect(id=values["id"], outcome=values["outcome"], comparison=values["comparison"], measure=measure,
                  estimate=values["estimate"], ci_low=ci[0] if ci else None, ci_high=ci[1] if ci else None,
                  unit=values.get("unit"), participants=values.get("participants"),
                  follow_up=values.get("follow_up"), baseline_risk=baseline, quote=values["quote"],
                  locator=values["locator"], line=line, quote_line=lines.get("quote", line),
                  lines={k: v for k, v in lines.items() if v is not None}, sd=sd, bound=bound)


def build_appraisal(key: str, doc: Document, rel: str, out: list[Diagnostic]) -> Appraisal | None:
    """The appraisal in *doc*, or None when a required part is missing (every problem reported in *out*)."""
    values, complete = check_mapping(doc.data, SOURCE_FIELDS, doc, rel, (), out)
    abstract = values.get("abstract") or {}
    if abstract.get("complete") is False and not abstract.get("missing"):
        out.append(diag("schema", rel, abstract["_lines"].get("complete", abstract["_line"]),
                        "'abstract.complete' is false, but 'missing' does not say what is missing",
                        "Add missing: \"...\" (e.g. 'The conclusion sentence.'), so readers know what was not read."))
    rob = values.get("risk_of_bias") or {}
    domains = _domains(rob, doc, rel, out) if rob else ()
    effects = []
    seen: dict[str, int | None] = {}
    for item in values.get("effects", ()):
        effect = _effect(item, rel, out)
        if effect is None:
            continue
        if effect.id in seen:
            out.append(diag("schema", rel, effect.line, f"the effect id '{effect.id}' is used twice in this file "
                            f"(first on line {seen[effect.id]})", "Give every effect its own id."))
            continue
        seen[effect.id] = effect.line
        effects.append(effect)
    if not complete or "complete" not in abstract or "tool" not in rob:
        return None
    where = Located(rel, {str(path[0]): line for path, line in doc.lines.items() if len(path) == 1}, doc.body_line)
    return Appraisal(key=key, reviewed=values.get("reviewed"), abstract_complete=abstract["complete"],
                     abstract_missing=abstract.get("missing"), tool=rob["tool"], tool_reason=rob.get("reason"),
                     domains=domains, overall=rob.get("overall") if domains or rob.get("overall") else None,
                     effects=tuple(effects), notes_md=doc.body, file=rel, line=1, where=where)
