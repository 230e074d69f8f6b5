"""The documentation cannot drift from the code.

* every diagnostic code has a `## <code>` section in docs/diagnostics.md with
  its real severity, and the docs mention no code that does not exist;
* every `kb` subcommand is documented in README.md;
* the example files in docs/format.md form a project that passes `kb check`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import check, found, write_project
from generator.commands.cli import main
from generator.core.diagnostics import CODES

ROOT = Path(__file__).resolve().parent.parent
DIAGNOSTICS = ROOT / "docs" / "diagnostics.md"
FORMAT = ROOT / "docs" / "format.md"
README = ROOT / "README.md"

_SECTION = re.compile(r"^## ([a-z0-9]+(?:-[a-z0-9]+)*)\s*$", re.MULTILINE)
_BRACKETED = re.compile(r"\[([a-z]+(?:-[a-z]+)+|[a-z]+)\]\s*$", re.MULTILINE)  # "... [unknown-citation]"
_REPORT_LINE = re.compile(r"^\S+?(?::\d+)?: (error|warning): .* \[([a-z-]+)\]$", re.MULTILINE)


def _sections() -> dict[str, str]:
    text = DIAGNOSTICS.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {p.split("\n", 1)[0].strip(): p for p in parts}


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_is_documented(code: str) -> None:
    sections = _sections()
    assert code in sections, f"docs/diagnostics.md has no '## {code}' section"
    body = sections[code]
    assert f"**Severity:** {CODES[code].severity}" in body
    assert "**Fix:**" in body
    assert "```text" in body, "show the real output of kb check"
    assert f"[{code}]" in body


def test_docs_mention_no_unknown_code() -> None:
    text = DIAGNOSTICS.read_text(encoding="utf-8")
    headings = set(_SECTION.findall(text))
    assert headings - set(CODES) == set(), "sections for codes that do not exist"
    bracketed = {c for c in _BRACKETED.findall(text)}
    assert bracketed - set(CODES) == set(), "examples with codes that do not exist"


def test_documented_output_has_the_real_severity() -> None:
    text = DIAGNOSTICS.read_text(encoding="utf-8")
    lines = _REPORT_LINE.findall(text)
    assert len(lines) >= len(CODES)
    for severity, code in lines:
        assert code in CODES and CODES[code].severity == severity, (severity, code)


def test_every_subcommand_is_in_the_readme() -> None:
    assert README.is_file(), "README.md is missing"
    text = README.read_text(encoding="utf-8")
    missing = [name for name in sorted(main.commands) if not re.search(rf"\bkb {re.escape(name)}\b", text)]
    assert missing == [], f"README.md does not document: {', '.join('kb ' + m for m in missing)}"


def _example_files() -> dict[str, str]:
    """The code blocks of docs/format.md preceded by '<!-- file: PATH -->'."""
    text = FORMAT.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- file: (\S+) -->\n(`{3,})[a-z]*\n(.*?)\n\2\n", re.DOTALL)
    return {path: body + "\n" for path, _fence, body in pattern.findall(text)}


def test_format_examples_pass_kb_check(tmp_path: Path) -> None:
    files = _example_files()
    assert "references.bib" in files
    assert any(p.startswith("content/claims/") for p in files), "docs/format.md needs a complete example claim"
    result = check(write_project(tmp_path, files))  # type: ignore[arg-type]
    assert found(result) == []


def test_format_example_claim_uses_every_claim_field() -> None:
    from generator.intake.schema import CLAIM_FIELDS, EVIDENCE_FIELDS

    claim = next(body for path, body in _example_files().items() if path.startswith("content/claims/"))
    # status/superseded_by are explained in their own section; the rest appear in the complete example
    for spec in CLAIM_FIELDS:
        if spec.name not in {"status", "superseded_by"}:
            assert re.search(rf"^{spec.name}:", claim, re.MULTILINE), spec.name
    for spec in EVIDENCE_FIELDS:
        assert re.search(rf"^\s+(- )?{spec.name}:", claim, re.MULTILINE), spec.name
    text = FORMAT.read_text(encoding="utf-8")
    for spec in CLAIM_FIELDS + EVIDENCE_FIELDS:
        assert f"`{spec.name}`" in text, f"docs/format.md does not describe '{spec.name}'"
