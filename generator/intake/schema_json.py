"""JSON Schemas (draft 2020-12) of the front matter, generated from the `FieldSpec` tables.

`kb schema` writes them to schema/<kind>.schema.json; tests/test_schema_files.py
fails when a committed file drifts from the tables in generator/intake/schema.py.
"""

from __future__ import annotations

from typing import Any

from generator.core.model import ROB_TOOLS
from generator.intake.schema import (CLAIM_FIELDS, ENTITY_FIELDS, EVIDENCE_FIELDS, GRADE_FIELDS, PAGE_FIELDS,
                                     SOURCE_FIELDS, SUPPRESS_FIELDS, FieldSpec, rating_fields)


def _json_type(spec: FieldSpec) -> dict[str, Any]:
    if spec.kind == "text":
        return {"type": "string", "minLength": 1}
    if spec.kind == "enum":
        return {"type": "string", "enum": list(spec.choices)}
    if spec.kind == "date":
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if spec.kind == "list":
        return {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}}
    if spec.kind == "words":  # free text: "pijn onder de hiel", "PFPS" (the loader also takes a bare word)
        return {"type": "array", "items": {"type": "string", "minLength": 1}}
    if spec.kind == "int":
        return {"type": "integer", "minimum": 1}
    if spec.kind == "bool":
        return {"type": "boolean"}
    if spec.kind == "grade":
        return _object(GRADE_FIELDS)
    if spec.kind == "id":
        return {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
    if spec.kind == "number":
        return {"type": "number"}
    if spec.kind == "interval":
        return {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    if spec.kind == "mapping":
        return _object(spec.fields)
    if spec.kind == "items":
        return {"type": "array", "items": _object(spec.fields)}
    if spec.kind == "domains":
        return {"type": "object", "propertyNames": {"enum": list(spec.choices)},
                "additionalProperties": _object(spec.fields)}
    if spec.kind == "rating":
        # YAML 1.1 tools read a bare `no` as false: accept both spellings
        judged = _object(rating_fields(spec.choices))
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


#: the kinds of front matter, each with its JSON Schema file schema/<kind>.schema.json
SCHEMA_KINDS = ("claim", "entity", "page", "source")


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for 'claim', 'entity', 'page' or 'source' (appraisal) front matter."""
    fields = {"claim": CLAIM_FIELDS, "entity": ENTITY_FIELDS, "page": PAGE_FIELDS, "source": SOURCE_FIELDS}[kind]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://kb.invalid/schema/{kind}.schema.json",
        "title": f"Front matter of a {kind} file",
        **_object(fields),
    }
    if kind == "claim":
        schema["anyOf"] = [{"required": [name], "properties": {name: {"minItems": 1}}}
                           for name in ("injuries", "risk_factors", "interventions")]
    if kind == "source":
        # the domain names each tool allows, and the fields only some tools need
        rob = schema["properties"]["risk_of_bias"]
        rob["allOf"] = [{"if": {"properties": {"tool": {"const": tool}}},
                         "then": {"required": ["reason"]} if not names else
                         {"required": ["domains", "overall"],
                          "properties": {"domains": {"propertyNames": {"enum": list(names)}}}}}
                        for tool, names in ROB_TOOLS.items()]
        schema["properties"]["abstract"]["if"] = {"properties": {"complete": {"const": False}}}
        schema["properties"]["abstract"]["then"] = {"required": ["missing"]}
    return schema
