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

from generator.diagnostics import Diagnostic, diag
from generator.frontmatter import Document
from generator.model import CERTAINTIES, CLAIM_TYPES, STANCES, STATUSES


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "text" | "list" | "enum" | "date" | "evidence" | "suppress"
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()


EVIDENCE_FIELDS = (
    FieldSpec("source", "text", "A key in references.bib.", required=True),
    FieldSpec("stance", "enum", "What this source says about the claim.", required=True, choices=STANCES),
    FieldSpec("locator", "text", "Where in the source, e.g. 'p. 1706' (only when verified)."),
    FieldSpec("quote", "text", "A short verbatim quote from the source."),
    FieldSpec("note", "text", "A remark about this citation."),
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
            items.append(checked)
        return tuple(items)
    raise AssertionError(spec.kind)  # pragma: no cover


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
