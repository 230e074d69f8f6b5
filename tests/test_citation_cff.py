"""CITATION.cff: valid Citation File Format 1.2.0, and in step with the project.

The schema is the CFF 1.2.0 JSON Schema that check-jsonschema ships
(`vendor.citation-file-format`, from citation-file-format/citation-file-format), used offline.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CFF = ROOT / "CITATION.cff"


def test_citation_cff_is_valid_cff_1_2_0() -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.citation-file-format", str(CFF)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_citation_cff_names_this_knowledge_base_and_version() -> None:
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    mkdocs = yaml.safe_load("\n".join(line for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
                                      if line.startswith("site_name:")))
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == project["version"]
    assert cff["title"] == mkdocs["site_name"]
    assert "doi" not in cff and "date-released" not in cff  # only for a real release that has them


def test_the_schema_check_would_catch_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "CITATION.cff"
    broken.write_text(CFF.read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 1.2"),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.citation-file-format", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0
