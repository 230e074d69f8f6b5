"""`kb check` as a user (or CI) sees it: output formats and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BIB, CLAIM, INJURY, dedent, make_project, write_project
from generator.commands.cli import main
from generator.core.diagnostics import CODES

pytestmark = pytest.mark.usefixtures("reproducible_date")

CLAIM_PATH = "content/claims/rest-helps.md"
KB = Path(sys.executable).parent / "kb"


def kb(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def check_json(root: Path, *extra: str) -> tuple[int, dict]:
    code, out, _err = kb("check", "--root", str(root), "--format", "json", *extra)
    return code, json.loads(out)


# --- exit codes ---------------------------------------------------------------

def test_clean_project_exits_0(base: Path) -> None:
    code, out, _ = kb("check", "--root", str(base))
    assert code == 0
    assert out.strip() == "0 error(s), 0 warning(s) in 1 claims and 1 sources."


def test_warnings_exit_0_but_1_with_strict(tmp_path: Path) -> None:
    root = make_project(tmp_path, {CLAIM_PATH: CLAIM.replace("reviewed: 2026-01-01", "reviewed: 2020-01-01")})
    assert kb("check", "--root", str(root))[0] == 0
    assert kb("check", "--root", str(root), "--strict")[0] == 1


def test_errors_exit_1(tmp_path: Path) -> None:
    root = make_project(tmp_path, {CLAIM_PATH: CLAIM.replace("source: smith2020", "source: nobody")})
    assert kb("check", "--root", str(root))[0] == 1


def test_no_such_folder_exits_2(tmp_path: Path) -> None:
    code, out, err = kb("check", "--root", str(tmp_path / "nope"))
    assert code == 2
    assert "no such folder" in err
    assert out == ""


def test_a_file_is_not_a_project_folder(base: Path) -> None:
    code, _out, err = kb("check", "--root", str(base / "references.bib"))
    assert code == 2 and "no such folder" in err


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["check", "--no-such-option"], ["frobnicate"]])
def test_bad_arguments_exit_2(args: list[str], base: Path) -> None:
    code, out, err = kb(*args, "--root", str(base))
    assert code == 2
    assert out == "" and "Usage:" in err


def test_empty_folder_is_checked_not_crashed(tmp_path: Path) -> None:
    code, data = check_json(tmp_path)
    assert code == 1
    assert [d["code"] for d in data["diagnostics"]] == ["missing-bibliography"]


# --- formats -----------------------------------------------------------------

def test_json_contract(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        CLAIM_PATH: CLAIM.replace("source: smith2020", "source: smith2021").replace("2026-01-01", "2020-01-01"),
    })
    code, data = check_json(root)
    assert code == 1
    assert set(data) == {"diagnostics", "summary"}
    assert data["summary"] == {"errors": 1, "warnings": 2, "claims": 1, "sources": 1}
    for d in data["diagnostics"]:
        assert set(d) == {"code", "severity", "file", "line", "message", "hint"}
        assert d["code"] in CODES and d["severity"] == CODES[d["code"]].severity
        assert isinstance(d["message"], str) and (d["hint"] is None or isinstance(d["hint"], str))
        assert d["line"] is None or (isinstance(d["line"], int) and d["line"] >= 1)
    # sorted by file, then line: the order an editor works through them
    assert [(d["code"], d["file"], d["line"]) for d in data["diagnostics"]] == [
        ("unknown-citation", CLAIM_PATH, 7),
        ("stale-review", CLAIM_PATH, 11),
        ("unused-reference", "references.bib", 1),
    ]
    unknown = next(d for d in data["diagnostics"] if d["code"] == "unknown-citation")
    assert unknown["hint"] == "Did you mean 'smith2020'?"


def test_json_stdout_is_exactly_one_object_even_with_library_warnings(tmp_path: Path) -> None:
    """bibtexparser logs about broken blocks; that must not leak into stdout (subprocess: real streams)."""
    root = make_project(tmp_path, {"references.bib": BIB + "\n@article{broken\n  title = {x},\n}\n"})
    proc = subprocess.run([str(KB), "check", "--root", str(root), "--format", "json"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 1
    data = json.loads(proc.stdout)  # raises on anything but one JSON document
    assert isinstance(data, dict)
    assert [d["code"] for d in data["diagnostics"]] == ["bib-syntax"]


def test_text_format(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        CLAIM_PATH: CLAIM.replace("source: smith2020", "source: smith2021"),
        "content/injuries/Bad_Name.md": INJURY,
    })
    code, out, _ = kb("check", "--root", str(root))
    assert code == 1
    lines = out.splitlines()
    assert "content/claims/rest-helps.md:7: error: evidence cites 'smith2021', which is not in references.bib " \
           "[unknown-citation]" in lines
    at = lines.index("content/claims/rest-helps.md:7: error: evidence cites 'smith2021', which is not in "
                     "references.bib [unknown-citation]")
    assert lines[at + 1] == "    hint: Did you mean 'smith2020'?"
    # a diagnostic without a line shows the path alone
    assert any(line.startswith("content/injuries/Bad_Name.md: error: invalid id 'Bad_Name'") for line in lines)
    assert lines[-1] == "2 error(s), 1 warning(s) in 1 claims and 1 sources."


def test_github_format(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        CLAIM_PATH: CLAIM.replace("source: smith2020", "source: smith2021").replace("2026-01-01", "2020-01-01"),
    })
    code, out, _ = kb("check", "--root", str(root), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert ("::error file=content/claims/rest-helps.md,line=7,title=unknown-citation::evidence cites 'smith2021', "
            "which is not in references.bib%0ADid you mean 'smith2020'?") in lines
    assert any(line.startswith("::warning file=content/claims/rest-helps.md,line=11,title=stale-review::")
               for line in lines)
    assert any(line.startswith("::warning file=references.bib,line=1,title=unused-reference::") for line in lines)


def test_github_format_escapes_newlines_and_percent(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"references.bib": BIB.replace("{2020}", "{100%}")})
    _, out, _ = kb("check", "--root", str(root), "--format", "github")
    [line] = [x for x in out.splitlines() if "invalid-year" in x]
    assert "100%25" in line and "\n" not in line


def test_pyproject_settings_are_applied(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        CLAIM_PATH: CLAIM.replace("2026-01-01", "2020-01-01"),
        "pyproject.toml": '[tool.kb]\nerrors = ["stale-review"]\nstale_month = 3\n',
    })
    code, data = check_json(root)
    assert code == 1
    got = {(d["code"], d["severity"], d["file"]) for d in data["diagnostics"]}
    assert ("stale-review", "error", CLAIM_PATH) in got
    assert ("invalid-setting", "error", "pyproject.toml") in got  # the typo is reported, not ignored


# --- everything in one run ------------------------------------------------------

THIRTY_BIB = dedent("""
    @article{smith2020,
      author = {Smith, Anna},
      title = {Running injuries in novice runners},
      journal = {Journal of Running},
      year = {2020},
      doi = {10.1234/run.1},
    }

    @article{broken
      title = {No comma after the key},
    }

    @misc{dupdoi,
      title = {Same DOI},
      doi = {doi:10.1234/RUN.1},
    }

    @misc{badyear,
      title = {Bad year},
      year = {20x0},
    }

    @misc{badpmid,
      title = {Bad PMID},
      pmid = {0123},
    }

    @misc{baddesign,
      title = {Bad design},
      design = {anecdote},
    }

    @article{nojournal,
      author = {Doe, Jane},
      title = {No journal},
      year = {2001},
    }

    @misc{baddoi,
      title = {Bad DOI},
      doi = {not-a-doi},
    }

    @misc{unused,
      title = {Nobody cites me},
    }

    @misc{unchecked,
      title = {Not yet verified},
      verified = {no},
    }

    @misc{smith2020,
      title = {Same key again},
    }
    """)

THIRTY_FILES: dict[str, str | bytes] = {
    "references.bib": THIRTY_BIB,
    "content/injuries/shin-splints.md": INJURY,
    "content/injuries/Bad_Name.md": INJURY,
    "content/injuries/latin.md": "---\ntitle: Caf\udce9\n---\n".encode("utf-8", "surrogateescape"),
    "content/injuries/no-front-matter.md": "title: forgot the fences\n",
    "content/injuries/typo.md": "---\ntitle: Typo\nsumary: misspelt\n---\n",
    "content/interventions/lonely.md": "---\ntitle: Nobody talks about me\n---\n",
    "content/interventions/shin-splints.md": INJURY,
    "content/risk-factors/twice.md": "---\ntitle: Twice\ntitle: Again\n---\n",
    "content/risk-factors/bad-yaml.md": "---\ntitle: [unclosed\n---\n",
    "content/pages/about.md": dedent("""
        ---
        title: About
        ---
        See [the method](method.md).

        <script>alert(1)</script>

        As [@smyth2020] showed.
        """),
    "content/claims/a.md": dedent("""
        ---
        statement: A.
        type: advice
        injuries: [shin-splints, nowhere]
        certainty: sure
        evidence:
          - source: smyth2020
            stance: mentions
        reviewed: 2026-01-01
        grade: {start: low}
        ---
        """),
    "content/claims/b.md": dedent("""
        ---
        statement: B.
        type: advice
        status: superseded
        superseded_by: ghost
        injuries: [shin-splints]
        certainty: low
        evidence:
          - {source: smith2020, stance: supports, quote: Rest helps., locator: p. 2}
          - {source: smith2020, stance: contradicts, quote: Rest does not help., locator: p. 3}
        reviewed: 2020-01-01
        grade: {start: low}
        ---
        """),
    "content/claims/c.md": dedent("""
        ---
        statement: C.
        type: advice
        risk_factors: [twice]
        certainty: low
        evidence: []
        reviewed: 2026-01-01
        grade: {start: low}
        ---
        """),
    "content/claims/d.md": dedent("""
        ---
        statement: D.
        type: advice
        injuries: [typo]
        certainty: low
        evidence:
          - {source: dupdoi, stance: mentions}
          - {source: badyear, stance: mentions}
          - {source: badpmid, stance: mentions}
          - {source: baddesign, stance: mentions}
          - {source: nojournal, stance: mentions}
          - {source: baddoi, stance: mentions}
          - {source: smith2020, stance: supports, quote: Rest helps., locator: p. 2}
        reviewed: 2026-01-01
        grade: {start: low}
        ---
        """),
    "content/claims/e.md": dedent("""
        ---
        statement: "E <script>alert(document.cookie)</script>."
        type: advice
        injuries: [shin-splints]
        certainty: low
        evidence:
          - {source: smith2020, stance: supports, quote: Rest helps., locator: p. 2}
        reviewed: 2026-01-01
        grade: {start: low}
        ---
        """),
    "content/claims/f.md": dedent("""
        ---
        statement: F.
        type: advice
        injuries: [shin-splints]
        certainty: low
        evidence:
          - {source: smith2020, stance: supports, quote: Rest helps., locator: p. 2}
        reviewed: 2026-01-01
        suppress:
          - code: stale-review
        grade: {start: low}
        ---
        """),
    "content/claims/g.md": dedent("""
        ---
        statement: G.
        type: advice
        injuries: [shin-splints]
        certainty: low
        evidence:
          - {source: unchecked, stance: supports, quote: Rest helps., locator: p. 2}
        reviewed: 2026-01-01
        grade: {start: low}
        ---
        """),
}

THIRTY_EXPECTED = {
    ("bib-syntax", "references.bib", 9),
    ("duplicate-doi", "references.bib", 15),
    ("invalid-year", "references.bib", 20),
    ("invalid-pmid", "references.bib", 25),
    ("invalid-design", "references.bib", 30),
    ("missing-field", "references.bib", 33),
    ("invalid-doi", "references.bib", 41),
    ("unused-reference", "references.bib", 44),
    ("duplicate-key", "references.bib", 53),
    ("invalid-id", "content/injuries/Bad_Name.md", None),
    ("encoding", "content/injuries/latin.md", 2),
    ("front-matter", "content/injuries/no-front-matter.md", 1),
    ("schema", "content/injuries/typo.md", 3),
    ("orphan-entity", "content/interventions/lonely.md", 1),
    ("duplicate-id", "content/interventions/shin-splints.md", None),
    ("duplicate-yaml-key", "content/risk-factors/twice.md", 3),
    ("yaml-syntax", "content/risk-factors/bad-yaml.md", 3),
    ("broken-link", "content/pages/about.md", 4),
    ("unsafe-html", "content/pages/about.md", 6),
    ("unknown-inline-citation", "content/pages/about.md", 8),
    ("unknown-entity", "content/claims/a.md", 4),
    ("schema", "content/claims/a.md", 5),
    ("unknown-citation", "content/claims/a.md", 7),
    ("unknown-claim", "content/claims/b.md", 5),
    ("self-contradiction", "content/claims/b.md", 10),
    ("stale-review", "content/claims/b.md", 11),
    ("no-evidence", "content/claims/c.md", 6),
    ("unsafe-html", "content/claims/e.md", 2),
    ("schema", "content/claims/f.md", 10),
    ("unverified-source", "content/claims/g.md", 6),
}


def test_thirty_problems_are_all_reported_in_one_run(tmp_path: Path) -> None:
    assert len(THIRTY_EXPECTED) == 30
    root = write_project(tmp_path / "kb", THIRTY_FILES)
    code, data = check_json(root)
    assert code == 1
    got = {(d["code"], d["file"], d["line"]) for d in data["diagnostics"]}
    assert got == THIRTY_EXPECTED, (sorted(got - THIRTY_EXPECTED, key=str), sorted(THIRTY_EXPECTED - got, key=str))
    assert len(data["diagnostics"]) == 30
    assert data["summary"]["errors"] == 26 and data["summary"]["warnings"] == 4


# --- progress -------------------------------------------------------------------

def test_build_reports_progress_through_the_mkdocs_phase(base: Path, tmp_path: Path) -> None:
    """Each phase says what it did and how long it took, MkDocs' page loops included."""
    run = subprocess.run([str(KB), "build", "--root", str(base), "--out", str(tmp_path / "site")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.startswith("kb: ")]
    steps = ["sources checked", "formatted ", "generated ", "MkDocs converted ", "MkDocs wrote ", "MkDocs wrote the site",
             "site built"]
    found = [next((i for i, ln in enumerate(lines) if step in ln), None) for step in steps]
    assert None not in found and found == sorted(found), lines
    converted = next(ln for ln in lines if "MkDocs converted" in ln)
    wrote = next(ln for ln in lines if "MkDocs wrote " in ln and "site" not in ln)
    assert converted.split()[3] == wrote.split()[3] != "0", (converted, wrote)


def test_page_progress_reports_how_far_along(caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    from generator.engines.plugin import PageProgress

    monkeypatch.setattr(PageProgress, "every", 0.0)
    with caplog.at_level("INFO", logger="mkdocs.plugins.kb"):
        progress = PageProgress("converted", 3)
        for _ in range(3):
            progress.tick()
        progress.finish()
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "kb: MkDocs converted 1 of 3 pages", "kb: MkDocs converted 2 of 3 pages", "kb: MkDocs converted 3 pages"]
