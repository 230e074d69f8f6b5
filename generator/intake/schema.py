"""The front-matter contract, defined once.

The same `FieldSpec` tables drive validation in the loader and the JSON
Schemas under schema/ (see `json_schema`), so the editors' autocompletion
can never disagree with what `kb check` accepts.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass
from typing import Any

from generator.core.diagnostics import Diagnostic, diag
from generator.intake.frontmatter import Document
from generator.core.model import (CERTAINTIES, CLAIM_TYPES, DOMAIN_RATINGS, DOWNGRADE_DOMAINS, STANCES, START_LEVELS,
                             STATUSES, UPGRADE_DOMAINS)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "text" | "list" | "enum" | "date" | "int" | "bool" | "evidence" | "suppress" | "grade" | "rating"
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()


EVIDENCE_FIELDS = (
    FieldSpec("source", "text", "A key in references.bib.", required=True),
    FieldSpec("stance", "enum", "What this source says about the claim.", required=True, choices=STANCES),
    FieldSpec("quote", "text", "The sentence or clause that carries the stance, word for word in the source's "
                               "language (at most 60 words). Required for supports, contradicts and qualifies."),
    FieldSpec("locator", "text", "Where the quote is: 'abstract', 'results', 'p. 512', 'table 2', ... "
                                 "Required with a quote."),
    FieldSpec("participants", "int", "Number of participants, when the source states it."),
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
    FieldSpec("aliases", "list", "Other names readers search for."),
    FieldSpec("summary", "text", "One sentence."),
    FieldSpec("last_searched", "date", "When editors last searched for new studies on this topic (YYYY-MM-DD)."),
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
    if spec.kind == "grade":
        if not isinstance(value, dict):
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a mapping of GRADE domains, "
                            f"got {_type_name(value)}", "See the example in docs/format.md."))
            return None
        checked, _complete = check_mapping(value, GRADE_FIELDS, doc, rel, path, out)
        checked["_line"] = doc.line(*path)
        checked["_lines"] = {name: doc.line(*path, name) for name in value if isinstance(name, str)}
        return checked
    if spec.kind == "list":
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            out.append(diag("schema", rel, doc.line(*path), f"'{_label(path)}' must be a list of ids, got {_type_name(value)}",
                            f"Write {spec.name}: [first-id, second-id]"))
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
            items.append(checked)
        return tuple(items)
    raise AssertionError(spec.kind)  # pragma: no cover


_RATING_FIELDS_CACHE: dict[tuple[str, ...], tuple[FieldSpec, ...]] = {}


def _rating_fields(choices: tuple[str, ...]) -> tuple[FieldSpec, ...]:
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
        checked, complete = check_mapping(value, _rating_fields(spec.choices), doc, rel, path, out)
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


# --- JSON Schema -----------------------------------------------------------

def _json_type(spec: FieldSpec) -> dict[str, Any]:
    if spec.kind == "text":
        return {"type": "string", "minLength": 1}
    if spec.kind == "enum":
        return {"type": "string", "enum": list(spec.choices)}
    if spec.kind == "date":
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if spec.kind == "list":
        return {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}}
    if spec.kind == "int":
        return {"type": "integer", "minimum": 1}
    if spec.kind == "bool":
        return {"type": "boolean"}
    if spec.kind == "grade":
        return _object(GRADE_FIELDS)
    if spec.kind == "rating":
        # YAML 1.1 tools read a bare `no` as false: accept both spellings
        judged = _object(_rating_fields(spec.choices))
        judged["required"] = ["rating", "reason"]
        judged["properties"]["rating"] = {"description": "The judgement.", "type": "string",
                                          "enum": list(spec.choices[1:])}
        return {"anyOf": [{"const": "no"}, {"const": False}, judged]}
    fields = EVIDENCE_FIELDS if spec.kind == "evidence" else SUPPRESS_FIELDS
    return {"type": "array", "minItems": 1 if spec.required else 0, "items": _object(fields)}


def _object(fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: {"description": f.description, **_json_type(f)} for f in fields},
    }


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for 'claim', 'entity' or 'page' front matter."""
    fields = {"claim": CLAIM_FIELDS, "entity": ENTITY_FIELDS, "page": PAGE_FIELDS}[kind]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://kb.invalid/schema/{kind}.schema.json",
        "title": f"Front matter of a {kind} file",
        **_object(fields),
    }
    if kind == "claim":
        schema["anyOf"] = [{"required": [name], "properties": {name: {"minItems": 1}}}
                           for name in ("injuries", "risk_factors", "interventions")]
    return schema
