"""`kb fmt` normalizes references.bib and loses nothing (round-trip)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.intake.bibliography import normalize_doi, parse_bibliography
from generator.commands.fmt import FormatError, format_bib

ROOT = Path(__file__).resolve().parent.parent

TRICKY = r"""% A leading comment that must survive.
@string{ajsm = "The American Journal of Sports Medicine"}
@preamble{"\newcommand{\noop}[1]{}"}

@comment{jabref-meta: databaseType:bibtex;}

% comment about the entry below
@ARTICLE{Beyer:2015/hsr,
    doi = {https://doi.org/10.1177/0363546515584760},
  note = "with ""quotes"" and {braces}",
      journal = ajsm,
  title = {Heavy {Slow} Resistance {\"o} test},
  year = 2015,
  author = {Beyer, Rikke and {\O}hlenschl{\ae}ger, Tommy},
  custom_field = {kept as written}
}
@book{b2, publisher = {P}, title = {T}, author = {A, B}, year = {2001}, doi = {doi:10.1000/ABC}}
trailing text between entries
"""


def _entries(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    sources, _diags = parse_bibliography(text)
    out = {}
    for key, s in sources.items():
        fields = dict(s.fields)
        if "doi" in fields:
            fields["doi"] = normalize_doi(fields["doi"])
        out[key] = (s.entry_type, fields)
    return out


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if line.strip().startswith("%") or line.strip().startswith("@comment") or "trailing text" in line]


@pytest.mark.parametrize("text", [TRICKY, (ROOT / "references.bib").read_text(encoding="utf-8")],
                         ids=["tricky", "shipped"])
def test_round_trip_keeps_every_entry_field_and_comment(text: str) -> None:
    formatted = format_bib(text)
    assert _entries(formatted) == _entries(text)
    assert _comments(formatted) == _comments(text)
    assert format_bib(formatted) == formatted  # idempotent


def test_normalizes_order_indentation_and_doi_prefix() -> None:
    formatted = format_bib(TRICKY)
    entry = formatted.split("@article{Beyer:2015/hsr,\n", 1)[1].split("\n}", 1)[0].splitlines()
    names = [line.split("=")[0].strip() for line in entry]
    assert names[:4] == ["author", "title", "journal", "year"]
    assert all(re.match(r"^  \S", line) for line in entry)
    assert "doi          = {10.1177/0363546515584760}" in formatted
    assert "{10.1000/ABC}" in formatted
    assert "@string{ajsm" in formatted and "@preamble" in formatted


def test_refuses_a_file_that_does_not_parse() -> None:
    with pytest.raises(FormatError):
        format_bib("@article{a, title = {unterminated\n@article{b, title={x}}\n")


def _kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_check_and_write(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(TRICKY, encoding="utf-8")
    assert _kb("fmt", "--check", cwd=tmp_path).returncode == 1
    assert bib.read_text(encoding="utf-8") == TRICKY  # --check changes nothing
    assert _kb("fmt", cwd=tmp_path).returncode == 0
    assert _kb("fmt", "--check", cwd=tmp_path).returncode == 0
    assert list(tmp_path.iterdir()) == [bib]  # no temporary file left behind


def test_cli_leaves_a_broken_file_untouched(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    broken = "@article{a, title = {unterminated\n"
    bib.write_text(broken, encoding="utf-8")
    run = _kb("fmt", cwd=tmp_path)
    assert run.returncode == 2 and "does not parse" in run.stderr
    assert bib.read_text(encoding="utf-8") == broken


def test_shipped_bibliography_is_formatted() -> None:
    assert _kb("fmt", "--check", cwd=ROOT).returncode == 0
