"""schema/*.json are generated from generator/intake/schema.py and must not drift from it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.intake.schema import CLAIM_FIELDS
from generator.intake.schema_json import json_schema

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schemas_match_the_loader_definitions():
    run = subprocess.run([sys.executable, "-m", "generator", "schema", "--out", str(ROOT / "schema"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + " -> run `make schema` and commit schema/"


def test_claim_schema_lists_every_field_and_allowed_value():
    schema = json.loads((ROOT / "schema" / "claim.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == {f.name for f in CLAIM_FIELDS}
    assert schema["properties"]["certainty"]["enum"] == ["high", "moderate", "low", "very-low", "not-graded"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"statement", "type", "certainty", "evidence", "reviewed"}


def test_schema_check_fails_when_a_file_drifts(tmp_path):
    (tmp_path / "claim.schema.json").write_text(json.dumps(json_schema("claim"))[:-1], encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "schema", "--out", str(tmp_path), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "out of date" in run.stderr


def test_source_schema_lists_the_tools_and_their_domains():
    from generator.core.model import ROB_TOOLS
    from generator.intake.schema import SOURCE_FIELDS

    schema = json.loads((ROOT / "schema" / "source.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == {f.name for f in SOURCE_FIELDS}
    assert set(schema["required"]) == {"reviewed", "abstract", "risk_of_bias"}
    rob = schema["properties"]["risk_of_bias"]
    assert rob["properties"]["tool"]["enum"] == list(ROB_TOOLS)
    rules = {r["if"]["properties"]["tool"]["const"]: r["then"] for r in rob["allOf"]}
    assert rules["rob-2"]["properties"]["domains"]["propertyNames"]["enum"][0] == "randomisation"
    assert rules["not-applicable"] == {"required": ["reason"]}


def test_the_source_schema_accepts_what_kb_check_accepts_and_refuses_a_wrong_domain():
    """Editors' autocompletion (and the CMS) validate with schema/source.schema.json: it must agree with kb check."""
    import datetime as _dt

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "schema" / "source.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)

    def front(path: Path) -> dict:
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, _dt.date) else v))

    files = sorted((ROOT / "tests" / "fixtures" / "appraisals" / "content" / "sources").glob("*.md"))
    assert len(files) == 4
    for path in files:
        assert list(validator.iter_errors(front(path))) == [], path.name
    wrong = front(files[0])
    wrong["risk_of_bias"]["domains"]["blinding"] = {"judgement": "low", "reason": "x"}
    assert any("'blinding' is not one of" in e.message for e in validator.iter_errors(wrong))
