"""The front-matter contract, defined once.

The same `FieldSpec` tables drive validation in the loader and the JSON
Schemas under schema/ (generator/intake/schema_json.py), so the editors'
autocompletion can never disagree with what `kb check` accepts.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from generator.core.diagnostics import Diagnostic, diag
from generator.intake.frontmatter import Document
from generator.core.model import (CERTAINTIES, CLAIM_TYPES, DOMAIN_RATINGS, DOWNGRADE_DOMAINS, EFFECT_BOUNDS,
                                  EFFECT_MEASURES, ROB_JUDGEMENTS, ROB_TOOLS, STANCES, START_LEVELS, STATUSES, UPGRADE_DOMAINS)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "text" | "list" (of ids) | "words" (of free text) | "enum" | "date" | "int" | "bool" | "evidence" | "suppress" | "grade" | "rating"
    #            | "number" | "interval" | "mapping" | "items" | "domains" | "id"
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    #: the fields of a "mapping", of each of "items", or of each domain of "domains"
    fields: tuple["FieldSpec", ...] = ()


EVIDENCE_FIELDS = (
    FieldSpec("source", "text", "A key in references.bib.", required=True),
    FieldSpec("stance", "enum", "What this source says about the claim.", required=True, choices=STANCES),
    FieldSpec("quote", "text", "The sentence or clause that carries the stance, word for word in the source's "
                               "language (at most 60 words). Required for supports, contradicts and qualifies."),
    FieldSpec("locator", "text", "Where the quote is: 'abstract', 'results', 'p. 512', 'table 2', ... "
                                 "Required with a quote."),
    FieldSpec("participants", "int", "Number of participants, when the source states it."),
    FieldSpec("effect", "id", "The id of a result in the source's appraisal (content/sources/<key>.md) this "
                              "item rests on."),
    FieldSpec("note", "text", "A remark about this citation."),
)
_DOMAIN_HELP = {
    "risk_of_bias": "Limitations in the design or conduct of the studies.",
    "inconsistency": "Unexplained differences between the studies' results.",
    "indirectness": "Population, intervention or outcome differs from the claim's.",
    "imprecision": "Few participants or events, wide confidence intervals.",
    "publication_bias": "Studies likely missing from the published record.",
    "large_effect": "A large or very large effect (observational evidence).",
    "dose_response": "A dose-response gradient.",
    "plausible_confounding": "All plausible confounding would reduce the effect shown.",
}
GRADE_FIELDS = (
    FieldSpec("applicable", "bool", "false for a claim GRADE does not rate (a definition); then certainty: not-graded."),
    FieldSpec("reason", "text", "With applicable: false, why GRADE does not apply."),
    FieldSpec("start", "enum", "Starting level for this claim type and the cited designs (see docs/format.md).",
              choices=START_LEVELS),
    *(FieldSpec(d, "rating", _DOMAIN_HELP[d], choices=DOMAIN_RATINGS[d]) for d in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS),
)
SUPPRESS_FIELDS = (
    FieldSpec("code", "text", "The warning code to silence on this claim.", required=True),
    FieldSpec("reason", "text", "Why the warning does not apply.", required=True),
)
CLAIM_FIELDS = (
    FieldSpec("statement", "text", "One sentence, in the site's language.", required=True),
    FieldSpec("type", "enum", "What kind of claim this is.", required=True, choices=CLAIM_TYPES),
    FieldSpec("population", "text", "Who the evidence is about, when that limits the claim."),
    FieldSpec("injuries", "list", "Ids of injuries (content/injuries/<id>.md)."),
    FieldSpec("risk_factors", "list", "Ids of risk factors (content/risk-factors/<id>.md)."),
    FieldSpec("interventions", "list", "Ids of interventions (content/interventions/<id>.md)."),
    FieldSpec("certainty", "enum", "GRADE certainty of the evidence.", required=True, choices=CERTAINTIES),
    FieldSpec("certainty_reason", "text", "Why the certainty is at this level."),
    FieldSpec("grade", "grade", "The GRADE evidence profile the certainty follows from."),
    FieldSpec("evidence", "evidence", "The sources, each with its stance.", required=True),
    FieldSpec("reviewed", "date", "When the claim was last checked against its sources (YYYY-MM-DD).", required=True),
    FieldSpec("status", "enum", "'superseded' moves the claim to the page of outdated advice.", choices=STATUSES),
    FieldSpec("superseded_by", "text", "Id of the claim that replaces this one."),
    FieldSpec("suppress", "suppress", "Warnings silenced on this claim, each with a reason."),
)
ENTITY_FIELDS = (
    FieldSpec("title", "text", "The page title, in the site's language.", required=True),
    FieldSpec("aliases", "words", "Other names for the topic, shown on its page as 'also known as' and searched."),
    FieldSpec("search_terms", "words", "Words readers search with that are not another name for the topic (a "
                                       "related or ambiguous word): searched like aliases, never shown as one."),
    FieldSpec("summary", "text", "One sentence."),
    FieldSpec("last_searched", "date", "When editors last searched for new studies on this topic (YYYY-MM-DD)."),
)
_JUDGEMENT_FIELDS = (
    FieldSpec("judgement", "enum", "low, some-concerns or high (ROBINS moderate -> some-concerns, serious or "
                                   "critical -> high; QUIPS moderate -> some-concerns).", required=True,
              choices=ROB_JUDGEMENTS),
    FieldSpec("reason", "text", "One line: why.", required=True),
)
_ALL_DOMAINS = tuple(dict.fromkeys(name for names in ROB_TOOLS.values() for name in names))
ABSTRACT_FIELDS = (
    FieldSpec("complete", "bool", "Is the abstract stored in references.bib the whole abstract?", required=True),
    FieldSpec("missing", "text", "With complete: false, what is missing (e.g. 'The conclusion sentence.')."),
)
RISK_OF_BIAS_FIELDS = (
    FieldSpec("tool", "enum", "The risk-of-bias tool: RoB 2 (randomised trials), ROBINS-I/ROBINS-E or QUIPS "
                              "(observational, prognostic), AMSTAR 2 or ROBIS (systematic reviews); not-applicable "
                              "for narrative reviews and consensus statements.", required=True,
              choices=tuple(ROB_TOOLS)),
    FieldSpec("reason", "text", "With tool: not-applicable, why no tool applies."),
    FieldSpec("domains", "domains", "Each of the tool's domains (names in docs/format.md) with a judgement and a "
                                    "one-line reason.", choices=_ALL_DOMAINS, fields=_JUDGEMENT_FIELDS),
    FieldSpec("overall", "enum", "The overall judgement.", choices=ROB_JUDGEMENTS),
)
EFFECT_FIELDS = (
    FieldSpec("id", "id", "Unique within the file: lowercase letters, digits and hyphens.", required=True),
    FieldSpec("outcome", "text", "The outcome measured.", required=True),
    FieldSpec("comparison", "text", "What is compared with what.", required=True),
    FieldSpec("measure", "enum", "The effect measure: a ratio (RR, OR, HR, SHR, IRR) or difference (MD, SMD, RD: "
                                 "risk difference) comparing two groups; a single-group proportion, incidence, mean "
                                 "or median (e.g. a duration in days), or a pooled estimate the source does not call a "
                                 "mean or median; or kappa (agreement between raters).",
              required=True, choices=EFFECT_MEASURES),
    FieldSpec("estimate", "number", "The point estimate, exactly as the source writes it (38.5 for '38.5%').",
              required=True),
    FieldSpec("ci", "interval", "The 95% interval [low, high]; leave out only when the source gives none."),
    FieldSpec("sd", "number", "With measure mean: the standard deviation, when the source gives mean +/- SD."),
    FieldSpec("bound", "enum", "With a single-group measure: more-than or less-than when the source gives only a "
                               "bound ('more than 90%'); estimate is then the bound, and there is no ci.",
              choices=EFFECT_BOUNDS),
    FieldSpec("unit", "text", "Required for MD, RD, proportion, incidence, mean, median and pooled ('%', 'per 1000 h', "
                              "'points VISA-A', 'days')."),
    FieldSpec("participants", "int", "Number of participants in this analysis."),
    FieldSpec("follow_up", "text", "Length of follow-up ('1 year')."),
    FieldSpec("baseline_risk", "number", "The control group's risk (0-1), for the absolute effect per 1,000."),
    FieldSpec("quote", "text", "The sentence carrying the estimate and its interval, word for word.", required=True),
    FieldSpec("locator", "text", "Where the quote is: 'abstract', 'results', 'table 2', ...", required=True),
)
SOURCE_FIELDS = (
    FieldSpec("reviewed", "date", "When this appraisal was last made (YYYY-MM-DD).", required=True),
    FieldSpec("abstract", "mapping", "What was read: is the stored abstract complete?", required=True,
              fields=ABSTRACT_FIELDS),
    FieldSpec("risk_of_bias", "mapping", "The study's risk of bias, judged once for every claim that cites it.",
              required=True, fields=RISK_OF_BIAS_FIELDS),
    FieldSpec("effects", "items", "The results the knowledge base uses, each with its verbatim quote.",
              fields=EFFECT_FIELDS),
)
PAGE_FIELDS = (
    FieldSpec("title", "text", "The page title.", required=True),
    FieldSpec("summary", "text", "One sentence."),
)


def _closest(word: str, options: tuple[str, ...] | list[str]) -> str:
    near = difflib.get_close_matches(word, list(options), n=1)
    return f" Did you mean '{near[0]}'?" if near else ""


def _type_name(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)


def _label(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def _check_value(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple,
                 out: list[Diagnostic]) -> Any:
    """Return the value converted to its model type, or None after a diagnostic."""
    # line and label are only needed for a diagnostic: computed lazily (this runs for every field)
    if spec.kind == "text":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, _dt.date):
            return value.isoformat()
        if not isinstance(value, str) or not value.strip():
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be non-empty text, got {_type_name(value)}",
                            f"Write {spec.name}: \"...\" ({spec.description})"))
            return None
        return value.strip()
    if spec.kind == "enum":
        if not isinstance(value, str) or value not in spec.choices:
            shown = value if isinstance(value, str) else _type_name(value)
            near = _closest(str(value), spec.choices) if isinstance(value, str) else ""
            out.append(diag("schema", rel, doc.line(*path),
                            f"'{_label(path)}' must be one of {', '.join(spec.choices)}; got '{shown}'",
                            f"Use one of the allowed values.{near}"))
            return None
        return value
    if spec.kind == "date":
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a date YYYY-MM-DD, got '{value}'",
                        f"Write {spec.name}: {_dt.date.today().isoformat()} (without quotes)."))
        return None
    if spec.kind == "int":
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            out.append(diag("schema", rel, doc.line(*path),
                            f"'{_label(path)}' must be a positive whole number, got '{value}'",
                            f"Write {spec.name}: 120 (digits only), or leave the field out."))
            return None
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be true or false, got '{value}'",
                            f"Write {spec.name}: false"))
            return None
        return value
    if spec.kind == "rating":
        return _check_rating(spec, value, doc, rel, path, out)
    if spec.kind in _NESTED:
        return _NESTED[spec.kind](spec, value, doc, rel, path, out)
    if spec.kind == "grade":
        if not isinstance(value, dict):
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a mapping of GRADE domains, "
                            f"got {_type_name(value)}", "See the example in docs/format.md."))
            return None
        checked, _complete = check_mapping(value, GRADE_FIELDS, doc, rel, path, out)
        checked["_line"] = doc.line(*path)
        checked["_lines"] = {name: doc.line(*path, name) for name in value if isinstance(name, str)}
        return checked
    if spec.kind in ("list", "words"):
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            what, example = ("ids", "first-id, second-id") if spec.kind == "list" else ("words", "first word, second")
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a list of {what}, got "
                            f"{_type_name(value)}", f"Write {spec.name}: [{example}]"))
            return None
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
                out.append(diag("schema", rel, doc.line(*path, index),
                                f"'{_label(path)}' item {index + 1} must be text, got {_type_name(item)}", None))
                continue
            items.append(str(item).strip())
        return tuple(items)
    if spec.kind in ("evidence", "suppress"):
        fields = EVIDENCE_FIELDS if spec.kind == "evidence" else SUPPRESS_FIELDS
        if value is None:
            return ()
        if not isinstance(value, list):
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a list of items starting with '- '",
                            "See the example in docs/format.md."))
            return None
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                out.append(diag("schema", rel, doc.line(*path, index),
                                f"'{_label(path)}' item {index + 1} must be a mapping with "
                                f"{', '.join(f.name for f in fields if f.required)}", None))
                continue
            checked, _complete = check_mapping(item, fields, doc, rel, path + (index,), out)
            # keep partial items: their other fields (e.g. the source key) still get checked
            checked["_line"] = doc.line(*path, index)
            if "quote" in item:
                checked["_quote_line"] = doc.line(*path, index, "quote")
            if "effect" in item:
                checked["_effect_line"] = doc.line(*path, index, "effect")
            items.append(checked)
        return tuple(items)
    raise AssertionError(spec.kind)  # pragma: no cover


ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_id(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple, out: list[Diagnostic]) -> Any:
    if isinstance(value, str) and ID_PATTERN.fullmatch(value.strip()):
        return value.strip()
    shown = value if isinstance(value, str) else _type_name(value)
    out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be an id (lowercase letters, digits "
                    f"and hyphens), got '{shown}'", f"Write {spec.name}: injury-risk-previous-injury"))
    return None


def _check_number(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple, out: list[Diagnostic]) -> Any:
    if _is_number(value):
        return float(value)
    out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a number, got "
                    f"{_type_name(value) if not isinstance(value, str) else repr(value)}",
                    f"Write {spec.name}: 1.52 (a point, no quotes, no unit; the unit goes in 'unit')."))
    return None


def _check_interval(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple,
                    out: list[Diagnostic]) -> Any:
    if isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value):
        low, high = float(value[0]), float(value[1])
        if low <= high:
            return (low, high)
        out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' runs from {value[0]} down to {value[1]}",
                        f"Write the lower bound first: {spec.name}: [{value[1]}, {value[0]}]"))
        return None
    out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be two numbers [low, high], got "
                    f"{_type_name(value)}", f"Write {spec.name}: [1.01, 2.29] (the 95% interval)."))
    return None


def _check_nested_mapping(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple,
                          out: list[Diagnostic]) -> Any:
    if not isinstance(value, dict):
        out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a mapping with "
                        f"{', '.join(f.name for f in spec.fields)}, got {_type_name(value)}",
                        "See the example in docs/format.md."))
        return None
    checked, complete = check_mapping(value, spec.fields, doc, rel, path, out)
    checked["_line"] = doc.line(*path)
    checked["_lines"] = {name: doc.line(*path, name) for name in value if isinstance(name, str)}
    checked["_complete"] = complete
    return checked


def _check_items(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple, out: list[Diagnostic]) -> Any:
    if not isinstance(value, list):
        out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a list of items starting with '- '",
                        "See the example in docs/format.md."))
        return None
    items = []
    for index, item in enumerate(value):
        checked = _check_nested_mapping(spec, item, doc, rel, path + (index,), out)
        if checked is not None:
            items.append(checked)
    return tuple(items)


def _check_domains(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple,
                   out: list[Diagnostic]) -> Any:
    """name -> {judgement, reason}; which names a tool has is checked where the tool is known."""
    if not isinstance(value, dict):
        out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a mapping of domain names, got "
                        f"{_type_name(value)}", "See the domain names per tool in docs/format.md."))
        return None
    domains: dict[str, Any] = {}
    for name, judged in value.items():
        if not isinstance(name, str):
            continue
        checked = _check_nested_mapping(spec, judged, doc, rel, path + (name,), out)
        if checked is not None and checked["_complete"]:
            domains[name] = checked
    return domains


_NESTED = {"id": _check_id, "number": _check_number, "interval": _check_interval, "mapping": _check_nested_mapping,
           "items": _check_items, "domains": _check_domains}


_RATING_FIELDS_CACHE: dict[tuple[str, ...], tuple[FieldSpec, ...]] = {}


def rating_fields(choices: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    if choices not in _RATING_FIELDS_CACHE:
        _RATING_FIELDS_CACHE[choices] = (
            FieldSpec("rating", "enum", "The judgement.", required=True, choices=choices),
            FieldSpec("reason", "text", "One line: why (required unless the rating is 'no')."),
        )
    return _RATING_FIELDS_CACHE[choices]


def _yaml_word(value: Any) -> Any:
    """YAML 1.1 reads a bare `no`/`yes` as false/true: take them back as the words the editor wrote."""
    if value is False:
        return "no"
    if value is True:
        return "yes"
    return value


def _check_rating(spec: FieldSpec, value: Any, doc: Document, rel: str, path: tuple,
                  out: list[Diagnostic]) -> dict[str, Any] | None:
    """A GRADE domain: a bare word (`no`) or {rating, reason}.

    A bare non-`no` word is accepted here so that the missing reason is
    reported as `grade-reason-missing`, which says exactly what to add.
    """
    line = doc.line(*path)
    if isinstance(value, dict):
        value = {k: (_yaml_word(v) if k == "rating" else v) for k, v in value.items()}
        checked, complete = check_mapping(value, rating_fields(spec.choices), doc, rel, path, out)
        if not complete:
            return None
        return {"rating": checked["rating"], "reason": checked.get("reason"), "_line": line}
    word = _yaml_word(value)
    if not isinstance(word, str) or word not in spec.choices:
        shown = word if isinstance(word, str) else _type_name(word)
        near = _closest(str(word), spec.choices) if isinstance(word, str) else ""
        out.append(diag("schema", rel, line,
                        f"'{_label(path)}' must be one of {', '.join(spec.choices)}; got '{shown}'",
                        f"Write {spec.name}: no, or {spec.name}: {{rating: {spec.choices[1]}, reason: \"...\"}}.{near}"))
        return None
    return {"rating": word, "reason": None, "_line": line}


def check_mapping(data: dict[str, Any], fields: tuple[FieldSpec, ...], doc: Document, rel: str,
                  path: tuple, out: list[Diagnostic]) -> tuple[dict[str, Any], bool]:
    """Validate *data* against *fields*.

    Returns the converted values that are valid, and whether every required
    field is among them.  Callers keep partial results so that one bad
    field does not hide the problems of the others.
    """
    known = {f.name: f for f in fields}
    result: dict[str, Any] = {}
    ok = True
    for key in data:
        if key not in known:
            out.append(diag("schema", rel, doc.line(*path, key),
                            f"unknown field '{'.'.join(str(p) for p in path + (key,))}'",
                            f"Allowed fields: {', '.join(known)}.{_closest(key, list(known))}"))
    for spec in fields:
        if spec.name not in data or data[spec.name] is None:
            if spec.required:
                out.append(diag("schema", rel, doc.line(*path) or 1,
                                f"missing required field '{spec.name}'",
                                f"Add {spec.name}: ... ({spec.description})"))
                ok = False
            continue
        converted = _check_value(spec, data[spec.name], doc, rel, path + (spec.name,), out)
        if converted is None and spec.required:
            ok = False
        if converted is not None:
            result[spec.name] = converted
    return result, ok
