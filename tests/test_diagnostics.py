"""Every diagnostic code, triggered by the smallest project that shows it.

Each case names the code, the file (relative, forward slashes) and the exact
line an editor is sent to.  `test_every_code_has_a_case` makes a new code in
`generator.core.diagnostics.CODES` fail the suite until it gets a case here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import BIB, CLAIM, INJURY, by_code, check, dedent, found, make_project, write_project
from generator.core.diagnostics import CODES
from generator.checks.check import run_check
from generator.intake.config import load_settings

pytestmark = pytest.mark.usefixtures("reproducible_date")

CLAIM_PATH = "content/claims/rest-helps.md"
INJURY_PATH = "content/injuries/shin-splints.md"
BIB_PATH = "references.bib"


def claim(**fields: str) -> str:
    """CLAIM with some front-matter lines replaced (same line numbers).

    Lines of CLAIM: 2 statement, 3 type, 4 injuries, 5 certainty,
    6 evidence, 7 '- source', 8 quote, 9 locator, 10 stance, 11 reviewed,
    12 grade, 14 body.
    """
    lines = CLAIM.splitlines()
    for name, value in fields.items():
        if name == "body":
            lines[13] = value
            continue
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
        lines[index] = f"{name}: {value}"
    return "\n".join(lines) + "\n"


#: lines 8-9 of CLAIM: the quote behind its 'supports' stance
QUOTE_LINES = "    quote: Runners on relative rest recovered sooner.\n    locator: abstract\n"
ABSTRACT = ("  abstract = {Background: shin splints are common. Results: runners on relative rest returned\n"
            "    to running two weeks sooner than runners on complete rest.},\n")
LONG_QUOTE = " ".join(["word"] * 61)


def graded(profile: str, certainty: str = "low") -> str:
    """CLAIM with another certainty (line 5) and the grade block (from line 12) replaced by *profile*."""
    return claim(certainty=certainty).replace("grade: {start: low}\n", profile.rstrip("\n") + "\n")


def bib_plus(extra: str) -> str:
    """BIB (lines 1-6), a blank line 7, and *extra* starting on line 8."""
    return BIB + "\n" + dedent(extra)


def cited_by_claim(*keys: str) -> str:
    """A claim citing smith2020 and *keys*, so extra entries are not unused-reference."""
    items = "".join(f"  - source: {k}\n    stance: mentions\n" for k in keys)
    return CLAIM.replace("    stance: supports\n", "    stance: supports\n" + items, 1)


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes | None]
    expected: list[tuple[str, str, int | None]]  # every diagnostic of expected[0]'s code
    message: str = ""  # substring of the first diagnostic's message
    hint: str = ""  # substring of the first diagnostic's hint
    settings: dict[str, object] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # symbolic links to make: path -> target
    #: after committing *files* (with a reason), one commit per (changed files, message); then the
    #: check runs as `kb check --since <that first commit>`
    commits: list[tuple[dict[str, str], str]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.expected[0][0]


CASES = [
    # --- reading files -------------------------------------------------------
    Case("encoding-claim",
         {CLAIM_PATH: CLAIM.replace("Relative rest", "Caf\udce9 rest").encode("utf-8", "surrogateescape")},
         [("encoding", CLAIM_PATH, 2)], message="not valid UTF-8 (byte 0xe9"),
    Case("encoding-bib",
         {BIB_PATH: BIB.replace("Smith, Anna", "M\udcfcller, Anna").encode("utf-8", "surrogateescape")},
         [("encoding", BIB_PATH, 2)], message="byte 0xfc"),
    Case("front-matter", {CLAIM_PATH: "statement: forgot the fences\n"},
         [("front-matter", CLAIM_PATH, 1)]),
    Case("front-matter-unclosed", {INJURY_PATH: "---\ntitle: Shin splints\nNo closing fence.\n"},
         [("front-matter", INJURY_PATH, 1)]),
    Case("yaml-syntax", {CLAIM_PATH: claim(certainty="low: high")},
         [("yaml-syntax", CLAIM_PATH, 5)], message="mapping values are not allowed"),
    Case("yaml-syntax-not-a-mapping", {INJURY_PATH: "---\n- just\n- a list\n---\n"},
         [("yaml-syntax", INJURY_PATH, 2)], message="must be a mapping"),
    Case("duplicate-yaml-key",
         {CLAIM_PATH: CLAIM.replace("certainty: low\n", "certainty: low\ntype: mechanism\n")},
         [("duplicate-yaml-key", CLAIM_PATH, 6)], message="the key 'type' appears twice"),
    Case("schema-enum", {CLAIM_PATH: claim(certainty="sure")},
         [("schema", CLAIM_PATH, 5)], message="'certainty' must be one of", hint="Use one of the allowed values"),
    Case("schema-unknown-field", {INJURY_PATH: INJURY.replace("summary:", "sumary:")},
         [("schema", INJURY_PATH, 3)], message="unknown field 'sumary'", hint="Did you mean 'summary'?"),
    Case("schema-missing-required", {INJURY_PATH: INJURY.replace("title: Shin splints\n", "")},
         [("schema", INJURY_PATH, 1)], message="missing required field 'title'"),
    Case("schema-date", {CLAIM_PATH: claim(reviewed="last spring")},
         [("schema", CLAIM_PATH, 11)], message="'reviewed' must be a date"),
    Case("schema-evidence-stance", {CLAIM_PATH: CLAIM.replace("stance: supports", "stance: proves")},
         [("schema", CLAIM_PATH, 10)], message="'evidence.0.stance' must be one of"),
    Case("schema-superseded-without-successor", {CLAIM_PATH: claim(type="advice\nstatus: superseded")},
         [("schema", CLAIM_PATH, 4)], message="needs 'superseded_by'"),
    Case("invalid-id", {"content/injuries/Knee_Pain.md": INJURY},
         [("invalid-id", "content/injuries/Knee_Pain.md", None)], hint="knee-pain.md"),
    Case("invalid-id-reserved-page", {"content/pages/claims.md": "---\ntitle: Claims\n---\n"},
         [("invalid-id", "content/pages/claims.md", None)], message="folder of the generated site"),
    Case("duplicate-id", {"content/interventions/shin-splints.md": INJURY},
         [("duplicate-id", "content/interventions/shin-splints.md", None)],
         message="already used by content/injuries/shin-splints.md"),
    # --- bibliography --------------------------------------------------------
    Case("missing-bibliography", {BIB_PATH: None},
         [("missing-bibliography", BIB_PATH, None)], message="references.bib is missing"),
    Case("missing-bibliography-empty", {BIB_PATH: "\n  \n"},
         [("missing-bibliography", BIB_PATH, 1)], message="references.bib is empty"),
    Case("bib-syntax", {BIB_PATH: bib_plus("""
            @article{broken
              title = {No comma after the key},
            }
            """)},
         [("bib-syntax", BIB_PATH, 8)], message="cannot be parsed ('@article{broken')"),
    Case("duplicate-key", {BIB_PATH: bib_plus("""
            @book{smith2020,
              author = {Smith, Anna},
              title = {Another work},
              publisher = {Press},
              year = {2021},
            }
            """)},
         [("duplicate-key", BIB_PATH, 8)], message="the key 'smith2020' is used by an earlier entry"),
    Case("duplicate-field", {BIB_PATH: bib_plus("""
            @misc{jones2019,
              title = {First title},
              title = {Second title},
            }
            """), CLAIM_PATH: cited_by_claim("jones2019")},
         [("duplicate-field", BIB_PATH, 8)], message="entry 'jones2019' has the field(s) title more than once"),
    Case("duplicate-field-in-another-case", {BIB_PATH: bib_plus("""
            @misc{jones2019,
              Title = {First title},
              title = {Second title},
            }
            """), CLAIM_PATH: cited_by_claim("jones2019")},
         [("duplicate-field", BIB_PATH, 8)], message="field(s) title more than once (field names ignore case)"),
    Case("bib-syntax-comment-in-entry", {BIB_PATH: bib_plus("""
            @misc{jones2019,
              % TODO: check PDF
              title = {A title},
            }
            """), CLAIM_PATH: cited_by_claim("jones2019")},
         [("bib-syntax", BIB_PATH, 9)], message="'% TODO: check PDF'", hint="Move the comment above the entry"),
    Case("invalid-setting", {"pyproject.toml": "[tool.kb]\nstale_months = 100000\ndisable = 5\n"},
         [("invalid-setting", "pyproject.toml", 2), ("invalid-setting", "pyproject.toml", 3)],
         message="expected a whole number from 1 to 1200, got 100000"),
    Case("missing-field", {BIB_PATH: BIB.replace("  journal = {Journal of Running},\n", "")},
         [("missing-field", BIB_PATH, 1)], message="lacks the required field 'journal'"),
    Case("missing-field-year-or-date", {BIB_PATH: BIB.replace("  year = {2020},\n", "")},
         [("missing-field", BIB_PATH, 1)], message="'year or date'"),
    Case("invalid-doi", {BIB_PATH: BIB.replace("  year", "  doi = {11.1234/abc},\n  year")},
         [("invalid-doi", BIB_PATH, 5)], message="'11.1234/abc'"),
    Case("invalid-pmid", {BIB_PATH: BIB.replace("  year", "  pmid = {PMID: 123},\n  year")},
         [("invalid-pmid", BIB_PATH, 5)], message="'PMID: 123'"),
    Case("invalid-year", {BIB_PATH: BIB.replace("{2020}", "{2020a}")},
         [("invalid-year", BIB_PATH, 5)], message="'2020a'"),
    Case("invalid-design", {BIB_PATH: BIB.replace("  year", "  design = {randomised},\n  year")},
         [("invalid-design", BIB_PATH, 5)], message="design 'randomised'", hint="systematic-review"),
    Case("possible-duplicate", {BIB_PATH: bib_plus("""
            @article{smith2020b,
              author = {Smith, A.},
              title = {Running Injuries in Novice Runners.},
              journal = {J Run},
              year = {2020},
            }
            """), CLAIM_PATH: cited_by_claim("smith2020b")},
         [("possible-duplicate", BIB_PATH, 8)], message="same title and year as 'smith2020'"),
    Case("unused-reference", {BIB_PATH: bib_plus("""
            @misc{lonely2001,
              title = {Nobody cites me},
            }
            """)},
         [("unused-reference", BIB_PATH, 8)], message="'lonely2001' is cited by no claim or page"),
    Case("unknown-citation-crossref", {BIB_PATH: BIB.replace("  year", "  crossref = {nobody},\n  year")},
         [("unknown-citation", BIB_PATH, 5)], message="crossref 'nobody'"),
    # --- claims and links ----------------------------------------------------
    Case("unknown-citation", {CLAIM_PATH: CLAIM.replace("source: smith2020", "source: smith2021")},
         [("unknown-citation", CLAIM_PATH, 7)], message="evidence cites 'smith2021'",
         hint="Did you mean 'smith2020'?"),
    Case("unknown-inline-citation", {CLAIM_PATH: claim(body="As shown before [@smyth2020, p. 3].")},
         [("unknown-inline-citation", CLAIM_PATH, 14)], message="[@smyth2020]", hint="'smith2020'"),
    Case("unknown-entity", {CLAIM_PATH: claim(injuries="[shin-splints, shin-splint-x]")},
         [("unknown-entity", CLAIM_PATH, 4)], message="content/injuries/shin-splint-x.md does not exist",
         hint="Did you mean 'shin-splints'?"),
    Case("unknown-claim", {CLAIM_PATH: claim(type="advice\nstatus: superseded\nsuperseded_by: no-such-claim")},
         [("unknown-claim", CLAIM_PATH, 5)], message="'no-such-claim'"),
    Case("no-evidence", {CLAIM_PATH: CLAIM.replace("evidence:\n  - source: smith2020\n" + QUOTE_LINES +
                                                    "    stance: supports\n", "evidence: []\n")},
         [("no-evidence", CLAIM_PATH, 6)], message="the claim cites no evidence"),
    Case("no-evidence-no-entity", {CLAIM_PATH: claim(injuries="[]")},
         [("no-evidence", CLAIM_PATH, 2)], message="about no injury, risk factor or intervention"),
    Case("self-contradiction", {CLAIM_PATH: CLAIM.replace(
            "    stance: supports\n", "    stance: supports\n  - source: smith2020\n    stance: contradicts\n")},
         [("self-contradiction", CLAIM_PATH, 11)], message="'smith2020' both supports and contradicts"),
    Case("broken-link", {CLAIM_PATH: claim(body="See [the injury](../injuries/shin-splint.md).")},
         [("broken-link", CLAIM_PATH, 14)], message="points to content/injuries/shin-splint.md",
         hint="Did you mean '../injuries/shin-splints.md'?"),
    Case("unsafe-html-body", {INJURY_PATH: INJURY + "\nMore text.\n<script>alert(1)</script>\n"},
         [("unsafe-html", INJURY_PATH, 8)], message="a <script> element"),
    Case("unterminated-html-comment", {CLAIM_PATH: claim(body="Rest.\n\n`<!--` in code is fine.\n<!-- a note\nmore")},
         [("unterminated-html", CLAIM_PATH, 17)], message="'<!--' that no '-->' closes"),
    Case("unsafe-html-field", {CLAIM_PATH: claim(statement="'Rest <img src=x onerror=alert(1)> helps.'")},
         [("unsafe-html", CLAIM_PATH, 2)], message="event-handler attribute 'onerror'"),
    Case("unsafe-html-javascript-link", {CLAIM_PATH: claim(body="[click](javascript:alert(1))")},
         [("unsafe-html", CLAIM_PATH, 14)], message="'javascript:' URL"),
    Case("absolute-link", {CLAIM_PATH: claim(body="Rest.\n\nSee [the injury](/injuries/shin-splints.md).")},
         [("absolute-link", CLAIM_PATH, 16)], message="starts at the site's root",
         hint="'../injuries/shin-splints.md'"),
    Case("missing-anchor", {CLAIM_PATH: claim(body="## Dosering\n\n[ok](#dosering) [x](#nergens)\n"
                                                   "[y](../injuries/shin-splints.md#nope)")},
         [("missing-anchor", CLAIM_PATH, 16), ("missing-anchor", CLAIM_PATH, 17)], message="'#nergens'"),
    Case("broken-link-angle", {CLAIM_PATH: claim(body="See [it](<../claims/hard surface.md>).")},
         [("broken-link", CLAIM_PATH, 14)], message="content/claims/hard surface.md"),
    Case("external-resource", {CLAIM_PATH: claim(body="Rest.\n\n![p](https://evil.example/p.png)\n"
                                                     "[fine](https://example.org) `![code](https://x/y.png)`\n"
                                                     "<img src=\"//evil2.example/p.png\">\n")},
         [("external-resource", CLAIM_PATH, 16), ("external-resource", CLAIM_PATH, 18)],
         message="https://evil.example/p.png", hint="link it relatively"),
    Case("stale-review", {CLAIM_PATH: claim(reviewed="2023-01-01")},
         [("stale-review", CLAIM_PATH, 11)], message="more than 24 months ago"),
    Case("stale-search", {INJURY_PATH: INJURY.replace("summary:", "last_searched: 2023-05-01\nsummary:")},
         [("stale-search", INJURY_PATH, 3)], message="last searched on 2023-05-01, more than 24 months ago",
         hint="set 'last_searched'"),
    Case("stale-search-threshold", {INJURY_PATH: INJURY.replace("summary:", "last_searched: 2025-10-01\nsummary:")},
         [("stale-search", INJURY_PATH, 3)], message="more than 6 months ago", settings={"stale_search_months": 6}),
    Case("unverified-source", {BIB_PATH: BIB.replace("  year", "  verified = {no},\n  year")},
         [("unverified-source", CLAIM_PATH, 6)], message="only on sources marked unverified"),
    # --- quotes and GRADE profiles ---------------------------------------------
    Case("unquoted-stance", {CLAIM_PATH: CLAIM.replace(QUOTE_LINES, "")},
         [("unquoted-stance", CLAIM_PATH, 7)], message="'smith2020' supports the claim, but the evidence item has "
         "no quote and locator", hint="make the stance 'mentions'"),
    Case("unquoted-stance-no-locator", {CLAIM_PATH: CLAIM.replace("    locator: abstract\n", "")},
         [("unquoted-stance", CLAIM_PATH, 7)], message="has no locator"),
    Case("long-quote", {CLAIM_PATH: CLAIM.replace("Runners on relative rest recovered sooner.", LONG_QUOTE)},
         [("long-quote", CLAIM_PATH, 8)], message="has 61 words; at most 60"),
    Case("quote-not-found", {BIB_PATH: BIB.replace("  year", ABSTRACT + "  year")},
         [("quote-not-found", CLAIM_PATH, 8)],
         message="\"Runners on relative rest recovered sooner.\" is not in the abstract of 'smith2020'",
         hint="closest passage in the abstract is: \"runners on relative rest returned"),
    Case("missing-grade", {CLAIM_PATH: CLAIM.replace("grade: {start: low}\n", "")},
         [("missing-grade", CLAIM_PATH, 5)], message="no GRADE profile", hint="docs/format.md"),
    Case("grade-reason-missing", {CLAIM_PATH: graded("grade:\n  start: low\n  imprecision: serious\n",
                                                    certainty="very-low")},
         [("grade-reason-missing", CLAIM_PATH, 14)], message="'grade.imprecision' is 'serious' without a reason",
         hint='imprecision: {rating: serious, reason: "..."}'),
    Case("grade-reason-missing-not-applicable", {CLAIM_PATH: graded("grade: {applicable: false}",
                                                                   certainty="not-graded")},
         [("grade-reason-missing", CLAIM_PATH, 12)], message="applicable: false but gives no reason"),
    Case("certainty-mismatch", {CLAIM_PATH: graded(
            "grade:\n  start: high\n  risk_of_bias: {rating: serious, reason: Not blinded.}\n"
            "  imprecision: {rating: very-serious, reason: 40 runners.}\n", certainty="moderate")},
         [("certainty-mismatch", CLAIM_PATH, 5)],
         message="certainty is 'moderate', but the GRADE profile (start high, risk_of_bias serious, "
                 "imprecision very-serious) gives 'very-low'", hint="Write certainty: very-low"),
    Case("certainty-mismatch-not-graded", {CLAIM_PATH: graded(
            "grade: {applicable: false, reason: A definition.}", certainty="low")},
         [("certainty-mismatch", CLAIM_PATH, 5)], message="GRADE does not apply", hint="certainty: not-graded"),
    Case("certainty-design", {CLAIM_PATH: graded("grade:\n  start: high\n", certainty="high")},
         [("certainty-design", CLAIM_PATH, 13)], message="cited: no design",
         hint="Designs that start high for this type: meta-analysis, rct, systematic-review"),
    Case("orphan-entity", {"content/injuries/knee-pain.md": "---\ntitle: Knee pain\n---\n"},
         [("orphan-entity", "content/injuries/knee-pain.md", 1)], message="the injury 'knee-pain'"),
]
# DOI duplicates are compared case-insensitively, with or without a resolver prefix.
for _i, (_first, _second) in enumerate([
    ("10.1234/ABC", "10.1234/abc"),
    ("10.1234/abc", "https://doi.org/10.1234/ABC"),
    ("doi:10.1234/abc", "10.1234/abc"),
    ("https://dx.doi.org/10.1234/abc", "DOI: 10.1234/Abc"),
]):
    CASES.append(Case(f"duplicate-doi-{_i}", {
        BIB_PATH: BIB.replace("  year", f"  doi = {{{_first}}},\n  year") + "\n" + dedent(f"""
            @misc{{other2021,
              title = {{Another title}},
              doi = {{{_second}}},
            }}
            """),
        CLAIM_PATH: cited_by_claim("other2021")},
        [("duplicate-doi", BIB_PATH, 11)], message="same DOI as 'smith2020'"))
CASES.append(Case("duplicate-pmid", {
    BIB_PATH: BIB.replace("  year", "  pmid = {123456},\n  year") + "\n" + dedent("""
        @misc{other2021,
          title = {Another title},
          pmid = { 123456 },
        }
        """),
    CLAIM_PATH: cited_by_claim("other2021")},
    [("duplicate-pmid", BIB_PATH, 11)], message="same PMID as 'smith2020'"))

# --- retractions (a Retraction Watch CSV in the data set's column layout) -------
RW_HEADER = ("Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,RetractionDate,"
             "RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,OriginalPaperPubMedID,"
             "RetractionNature,Reason,Paywalled,Notes\n")


def rw_row(record: str, doi: str, pmid: str, nature: str) -> str:
    return (f"{record},A title,(HSC) Medicine;,Uni,J,Press,NL,A Author,,Research Article;,1/15/2024 0:00,"
            f"10.5555/notice.{record},0,3/2/2020 0:00,{doi},{pmid},{nature},+Error in Data;,No,\n")


RW_PATH = "data/retraction_watch.csv"
RW_BIB = BIB.replace("  year", "  doi = {10.5555/smith.2020},\n  year")  # DOI on line 5
CASES += [
    Case("retracted-source", {BIB_PATH: RW_BIB, RW_PATH: RW_HEADER + rw_row("1", "10.5555/SMITH.2020", "0", "Retraction")},
         [("retracted-source", BIB_PATH, 1)], message="'smith2020' (DOI 10.5555/smith.2020) was retracted "
         "(Retraction Watch record 1, 2024-01-15, notice doi:10.5555/notice.1; reason: Error in Data)",
         hint="retracted = {yes}", settings={"retractions": RW_PATH}),
    Case("corrected-source", {BIB_PATH: BIB.replace("  year", "  pmid = {31000002},\n  year"),
                              RW_PATH: RW_HEADER + rw_row("2", "unavailable", "31000002", "Correction")},
         [("corrected-source", BIB_PATH, 1)], message="has a correction", hint="correction_note",
         settings={"retractions": RW_PATH}),
    Case("corrected-source-concern", {BIB_PATH: RW_BIB,
                                      RW_PATH: RW_HEADER + rw_row("3", "10.5555/smith.2020", "0", "Expression of concern")},
         [("corrected-source", BIB_PATH, 1)], message="has an expression of concern", settings={"retractions": RW_PATH}),
    Case("retractions-file-missing", {}, [("retractions-file", "data/none.csv", None)],
         message="cannot be read", settings={"retractions": "data/none.csv"}),
    Case("retractions-file-not-the-data-set", {RW_PATH: "doi,title\n10.5555/x,y\n"},
         [("retractions-file", RW_PATH, 1)], message="lacks the column(s) Record ID, RetractionNature",
         settings={"retractions": RW_PATH}),
    Case("retractions-row", {BIB_PATH: RW_BIB, RW_PATH: RW_HEADER + "7,Too few fields\n" + rw_row("8", "unavailable", "0", "Retraction")},
         [("retractions-row", RW_PATH, 2)], message="1 row(s)", settings={"retractions": RW_PATH}),
    Case("retracted-supports", {BIB_PATH: BIB.replace("  year", "  retracted = {yes},\n  retraction_note = {Retracted in 2024.},\n  year")},
         [("retracted-supports", CLAIM_PATH, 7)], message="'smith2020' is marked retracted"),
    Case("missing-field-retraction-note", {BIB_PATH: BIB.replace("  year", "  retracted = {yes},\n  year"),
                                           CLAIM_PATH: CLAIM.replace("stance: supports", "stance: mentions")},
         [("missing-field", BIB_PATH, 5)], message="lacks the field 'retraction_note'"),
]


# --- what may be in content/, and mkdocs.yml (issue 14) -------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
CASES += [
    Case("future-date", {CLAIM_PATH: claim(reviewed="9999-12-31")}, [("future-date", CLAIM_PATH, 11)],
         message="'reviewed' is 9999-12-31, after today (", hint="stale-review"),
    Case("control-character", {CLAIM_PATH: claim(statement='"Relative rest\\x7f helps."')},
         [("control-character", CLAIM_PATH, 2)], message="'statement' contains the control character U+007F"),
    Case("bib-control-character", {BIB_PATH: BIB.replace("novice runners", "novice\x02999\x03 runners")},
         [("bib-control-character", BIB_PATH, 3)], message="the field 'title' of entry 'smith2020' contains the "
         "control character U+0002"),
    Case("unsupported-file", {"content/claims/evil.html": "<script>alert(1)</script>\n"},
         [("unsupported-file", "content/claims/evil.html", None)], message="'.html' files may not be added",
         hint="Editors may add Markdown (.md)"),
    Case("unsupported-file-markdown-variant", {"content/pages/about.markdown": "---\ntitle: About\n---\n"},
         [("unsupported-file", "content/pages/about.markdown", None)], hint="Rename it to 'about.md'"),
    Case("unsupported-file-not-really-png", {"content/claims/chart.png": "<html>not an image</html>\n"},
         [("unsupported-file", "content/claims/chart.png", None)], message="not really a PNG file"),
    Case("unsafe-path", {}, [("unsafe-path", "content/claims/passwd.txt", None)],
         message="points outside content/ (to /etc/passwd)", links={"content/claims/passwd.txt": "/etc/passwd"}),
    Case("unsafe-path-folder", {}, [("unsafe-path", "content/claims/all", None)],
         message="points to a folder", links={"content/claims/all": "."}),
    Case("reserved-path", {"content/assets/logo.png": PNG}, [("reserved-path", "content/assets/logo.png", None)],
         message="where the site's own files live"),
    Case("too-large", {CLAIM_PATH: CLAIM + "x" * (5 * 1024 * 1024)}, [("too-large", CLAIM_PATH, None)],
         message="the limit is 5,242,880"),
    Case("unsafe-config", {"mkdocs.yml": "site_name: KB\nextra:\n  x: !!python/object/apply:os.system ['true']\n"},
         [("unsafe-config", "mkdocs.yml", 3)], message="'!!python/object/apply:os.system' imports or runs Python"),
    Case("unsafe-config-hooks", {"mkdocs.yml": "site_name: KB\nhooks:\n  - hooks.py\n"},
         [("unsafe-config", "mkdocs.yml", 2)], message="hooks: makes MkDocs run Python files"),
    Case("unsafe-config-inherit-chain", {"mkdocs.yml": "site_name: KB\nINHERIT: c0.yml\n",
                                         **{f"c{i}.yml": f"INHERIT: c{i + 1}.yml\n" for i in range(12)}},
         [("unsafe-config", "c8.yml", 1)], message="the INHERIT chain is longer than 10 files"),
    Case("unsafe-config-inherit-loop", {"mkdocs.yml": "site_name: KB\nINHERIT: a.yml\n", "a.yml": "\nINHERIT: mkdocs.yml\n"},
         [("unsafe-config", "a.yml", 2)], message="loops back to mkdocs.yml"),
    Case("duplicate-yaml-key-mkdocs", {"mkdocs.yml": "site_name: KB\nINHERIT: a.yml\nplugins: [kb]\nINHERIT: b.yml\n",
                                       "a.yml": "", "b.yml": ""},
         [("duplicate-yaml-key", "mkdocs.yml", 4)], message="the key 'INHERIT' appears twice"),
]


# --- study appraisals (content/sources/<key>.md) and the results claims cite ----
SOURCE_PATH = "content/sources/smith2020.md"
#: a clean appraisal of smith2020, lines counted from 1 (the first ---)
APPRAISAL = dedent("""
    ---
    reviewed: 2026-01-01
    abstract: {complete: true}
    risk_of_bias:
      tool: rob-2
      domains:
        randomisation: {judgement: low, reason: Concealed allocation.}
        deviations: {judgement: some-concerns, reason: Unblinded participants.}
        missing_data: {judgement: low, reason: Complete follow-up.}
        measurement: {judgement: some-concerns, reason: Self-reported return to running.}
        selection: {judgement: low, reason: Registered protocol.}
      overall: some-concerns
    effects:
      - id: return-to-run
        outcome: Return to running
        comparison: Relative rest vs. complete rest
        measure: HR
        estimate: 1.52
        ci: [1.01, 2.29]
        quote: "Runners on relative rest returned sooner (HR 1,52; 95% CI 1,01-2,29)."
        locator: results
    ---
    Reviewer notes.
    """)
#: CLAIM citing the result: 'effect' on line 11, reviewed 12, grade 13
EFFECT_CLAIM = CLAIM.replace("    stance: supports\n", "    stance: supports\n    effect: return-to-run\n")
#: the claim's risk of bias rated as the appraisal says, so only the code under test is left
ROB_SERIOUS = "grade: {start: low, risk_of_bias: {rating: serious, reason: \"Unblinded, self-reported.\"}}"


def without_interval(text: str) -> str:
    """APPRAISAL whose source gives no interval: no ci, and a quote with the estimate alone."""
    return text.replace("    ci: [1.01, 2.29]\n", "").replace("(HR 1,52; 95% CI 1,01-2,29)", "(HR 1,52)")


def crossing(text: str) -> str:
    """APPRAISAL with an interval that includes no effect (0.91 instead of 1.01)."""
    return text.replace("1.01", "0.91").replace("1,01", "0,91")


CASES += [
    Case("schema-source-domain", {SOURCE_PATH: APPRAISAL.replace("selection:", "blinding:")},
         [("schema", SOURCE_PATH, 6), ("schema", SOURCE_PATH, 11)], message="the rob-2 domain(s) selection are not "
         "judged", hint="selection: {judgement: low"),
    Case("schema-source-unknown-domain", {SOURCE_PATH: APPRAISAL.replace("selection:", "blinding:").replace(
            "    randomisation:", "    selection: {judgement: low, reason: Registered.}\n    randomisation:")},
         [("schema", SOURCE_PATH, 12)], message="'blinding' is not a domain of rob-2",
         hint="randomisation, deviations"),
    Case("schema-source-not-applicable", {SOURCE_PATH: APPRAISAL.replace("tool: rob-2", "tool: not-applicable")},
         [("schema", SOURCE_PATH, 5), ("schema", SOURCE_PATH, 6), ("schema", SOURCE_PATH, 12)],
         message="not-applicable without a reason"),
    Case("schema-source-abstract-missing", {SOURCE_PATH: APPRAISAL.replace("{complete: true}", "{complete: false}")},
         [("schema", SOURCE_PATH, 3)], message="does not say what is missing"),
    Case("schema-source-unit", {SOURCE_PATH: APPRAISAL.replace("measure: HR", "measure: MD")},
         [("schema", SOURCE_PATH, 17)], message="is a MD without a unit"),
    Case("schema-source-interval", {SOURCE_PATH: APPRAISAL.replace("[1.01, 2.29]", "[2.29, 1.01]")},
         [("schema", SOURCE_PATH, 19)], message="runs from 2.29 down to 1.01", hint="[1.01, 2.29]"),
    Case("schema-source-estimate-outside", {SOURCE_PATH: APPRAISAL.replace("estimate: 1.52", "estimate: 2.52")},
         [("schema", SOURCE_PATH, 18)], message="lies outside its interval"),
    Case("unknown-source", {"content/sources/smith2021.md": APPRAISAL},
         [("unknown-source", "content/sources/smith2021.md", 1)], message="'smith2021', which is not in references.bib",
         hint="Did you mean 'smith2020'?"),
    Case("unknown-effect", {SOURCE_PATH: APPRAISAL, CLAIM_PATH: EFFECT_CLAIM.replace("return-to-run", "return-to-rn")},
         [("unknown-effect", CLAIM_PATH, 11)], message="'return-to-rn' is not a result in content/sources/smith2020.md",
         hint="Did you mean 'return-to-run'?"),
    Case("unknown-effect-no-appraisal", {CLAIM_PATH: EFFECT_CLAIM},
         [("unknown-effect", CLAIM_PATH, 11)], message="the source has no appraisal", hint="kb new source smith2020"),
    Case("effect-not-in-quote", {SOURCE_PATH: APPRAISAL.replace("1,01-2,29", "1,01-2,39")},
         [("effect-not-in-quote", SOURCE_PATH, 20)], message="does not carry the upper bound 2.29"),
    Case("quote-not-found-effect", {BIB_PATH: BIB.replace("  year", ABSTRACT + "  year"),
                                    SOURCE_PATH: APPRAISAL.replace("locator: results", "locator: abstract"),
                                    CLAIM_PATH: CLAIM.replace("locator: abstract", "locator: results")},
         [("quote-not-found", SOURCE_PATH, 20)], message="is not in the abstract of 'smith2020'"),
    Case("incomplete-abstract", {SOURCE_PATH: APPRAISAL.replace(
            "{complete: true}", "{complete: false, missing: The conclusion sentence.}")},
         [("incomplete-abstract", CLAIM_PATH, 7)], message="The conclusion sentence."),
    Case("rob-mismatch", {SOURCE_PATH: APPRAISAL},
         [("rob-mismatch", CLAIM_PATH, 12)], message="1 of the 1 appraised sources are judged some-concerns or high "
         "(smith2020 some-concerns)", hint="rating: serious"),
    Case("imprecision-mismatch", {SOURCE_PATH: crossing(APPRAISAL),
                                  CLAIM_PATH: EFFECT_CLAIM.replace("grade: {start: low}", ROB_SERIOUS)},
         [("imprecision-mismatch", CLAIM_PATH, 13)], message="smith2020 return-to-run: HR 1.52 [0.91, 2.29]"),
    Case("imprecision-mismatch-no-interval", {SOURCE_PATH: without_interval(APPRAISAL),
                                              CLAIM_PATH: EFFECT_CLAIM.replace("grade: {start: low}", ROB_SERIOUS)},
         [("imprecision-mismatch", CLAIM_PATH, 13)], message="has no 95% interval, so its precision cannot be shown "
         "(smith2020 return-to-run: HR 1.52)", hint="the source gives no confidence interval"),
    Case("missing-interval", {SOURCE_PATH: APPRAISAL.replace("    ci: [1.01, 2.29]\n", "")},
         [("missing-interval", SOURCE_PATH, 17)], message="effect 'return-to-run' has no ci, but its quote gives a "
         "confidence interval ('CI')", hint="ci: [low, high]"),
    Case("schema-source-kappa", {SOURCE_PATH: APPRAISAL.replace("measure: HR", "measure: kappa")},
         [("schema", SOURCE_PATH, 18)], message="a kappa lies between -1 and 1, got 1.52"),
    Case("schema-source-sd", {SOURCE_PATH: APPRAISAL.replace("    ci: [1.01", "    sd: 0.4\n    ci: [1.01")},
         [("schema", SOURCE_PATH, 19)], message="'sd' belongs to a mean, not to a HR", hint="measure: mean"),
    Case("schema-source-bound-comparative", {SOURCE_PATH: without_interval(APPRAISAL).replace(
            "measure: HR", "measure: HR\n    bound: more-than")},
         [("schema", SOURCE_PATH, 18)], message="a bound (more-than) belongs to a single-group result, not to a HR",
         hint="proportion"),
    Case("schema-source-bound-with-ci", {SOURCE_PATH: APPRAISAL.replace(
            "measure: HR", "measure: proportion\n    unit: \"%\"\n    bound: more-than")},
         [("schema", SOURCE_PATH, 19)], message="a result given as a bound (more-than) has no interval, but ci is "
         "[1.01, 2.29]", hint="remove ci"),
    Case("schema-source-unit-mean", {SOURCE_PATH: APPRAISAL.replace("measure: HR", "measure: mean")},
         [("schema", SOURCE_PATH, 17)], message="is a mean without a unit", hint="unit:"),
    Case("effect-not-in-quote-sd", {SOURCE_PATH: without_interval(APPRAISAL).replace(
            "measure: HR", "measure: mean\n    unit: days\n    sd: 0.4")},
         [("effect-not-in-quote", SOURCE_PATH, 21)], message="does not carry the SD 0.4"),
    Case("no-difference-wording", {SOURCE_PATH: crossing(APPRAISAL), CLAIM_PATH: EFFECT_CLAIM.replace(
            "Relative rest helps shin splints.", "Relatieve rust werkt even goed als volledige rust.")},
         [("no-difference-wording", CLAIM_PATH, 2)], message="says 'even goed'", hint="geen verschil aangetoond"),
    Case("untraced-number", {CLAIM_PATH: claim(statement="Relative rest shortens recovery by 14,5 days.")},
         [("untraced-number", CLAIM_PATH, 2)], message="'14,5'"),
    # --- the pull-request check: kb check --since REV ----------------------------
    Case("missing-reason", {}, [("missing-reason", CLAIM_PATH, None)],
         message="(\"Audit claims 21-30\") changes 1 content file(s) but has no 'Reden:' trailer",
         hint="'Reden: ...'", commits=[
             ({CLAIM_PATH: claim(certainty="moderate")}, "Audit claims 21-30"),
             ({CLAIM_PATH: claim(certainty="low")}, "Terug naar laag\n\nReden: De tweede studie telt niet mee."),
             ({"README.md": "code only\n"}, "Docs")]),
]

@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    root = make_project(tmp_path, case.files)
    for rel, target in case.links.items():
        (root / rel).symlink_to(target)
    if case.commits:
        from generator.changes.reasons import reason_diagnostics
        from git_history import commit, git

        git(root, "init", "-q")
        commit(root, "Start\n\nReden: Eerste versie.", "2026-01-10T12:00:00+01:00")
        base = git(root, "rev-parse", "HEAD").strip()
        for changes, message in case.commits:
            write_project(root, changes)
            commit(root, message, "2026-01-11T12:00:00+01:00")
        result = run_check(root, load_settings(root)[0], reason_diagnostics(root, base, "nl"))
    elif "pyproject.toml" in case.files:  # settings from the project, as `kb check` reads them
        settings, problems = load_settings(root)
        result = run_check(root, settings, problems)
    else:
        result = check(root, **case.settings)
    got = [(d.code, d.file, d.line) for d in by_code(result, case.code)]
    assert got == case.expected, found(result)
    first = by_code(result, case.code)[0]
    assert first.severity == CODES[case.code].severity
    assert case.message in first.message
    assert case.hint in (first.hint or "")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_case(code: str) -> None:
    assert code in {c.code for c in CASES}, f"add a Case for the diagnostic code '{code}'"


def test_clean_project_has_no_diagnostics(base: Path) -> None:
    result = check(base)
    assert found(result) == []
    assert not result.failed(strict=True)


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    def windows(text: str) -> bytes:
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")

    root = make_project(tmp_path, {CLAIM_PATH: windows(CLAIM), INJURY_PATH: windows(INJURY), BIB_PATH: windows(BIB)})
    result = check(root)
    assert found(result) == []
    assert result.kb.claims["rest-helps"].statement == "Relative rest helps shin splints."
    assert result.kb.claims["rest-helps"].where.line("reviewed") == 11


def test_crlf_keeps_line_numbers(tmp_path: Path) -> None:
    text = claim(certainty="sure").replace("\n", "\r\n").encode("utf-8")
    assert found(check(make_project(tmp_path, {CLAIM_PATH: text}))) == [("schema", CLAIM_PATH, 5)]


def test_alias_bomb_ends_quickly_with_yaml_syntax(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = "---\ntitle: Bomb\n" + "\n".join(rows) + "\n---\n"
    start = time.perf_counter()
    result = check(make_project(tmp_path, {INJURY_PATH: bomb}))
    assert time.perf_counter() - start < 2
    assert [(d.code, d.file, d.line) for d in by_code(result, "yaml-syntax")] == [("yaml-syntax", INJURY_PATH, 2)]
    assert "alias bomb" in by_code(result, "yaml-syntax")[0].message


def test_deep_nesting_is_a_yaml_syntax_error(tmp_path: Path) -> None:
    deep = "---\ntitle: " + "[" * 200 + "]" * 200 + "\n---\n"
    result = check(make_project(tmp_path, {INJURY_PATH: deep}))
    assert [d.code for d in by_code(result, "yaml-syntax")] == ["yaml-syntax"]


def test_broken_entry_does_not_hide_later_entries(tmp_path: Path) -> None:
    """After a broken block, the following entries load and are still checked."""
    bib = dedent("""
        @article{broken,
          author = {Doe, Jane},
          title = {An unclosed brace,
          year = {2019},
        }

        @article{smith2020,
          author = {Smith, Anna},
          title = {Running injuries in novice runners},
          journal = {Journal of Running},
          year = {2020},
          doi = {10.1234/run.1},
        }

        @misc{copy2020,
          title = {A copy},
          doi = {https://doi.org/10.1234/RUN.1},
        }
        """)
    result = check(make_project(tmp_path, {BIB_PATH: bib, CLAIM_PATH: cited_by_claim("copy2020")}))
    assert set(result.kb.sources) == {"smith2020", "copy2020"}
    assert ("bib-syntax", BIB_PATH, 1) in found(result)
    assert ("duplicate-doi", BIB_PATH, 17) in found(result)
    [syntax] = by_code(result, "bib-syntax")
    assert "Unexpected block start" in syntax.message
    assert by_code(result, "unknown-citation") == []


def test_duplicate_field_entry_stays_known(tmp_path: Path) -> None:
    bib = BIB.replace("  year = {2020},\n", "  year = {2020},\n  year = {2021},\n")
    result = check(make_project(tmp_path, {BIB_PATH: bib}))
    assert found(result) == [("duplicate-field", BIB_PATH, 1)]
    assert result.kb.sources["smith2020"].fields["year"] == "2020"  # the first value wins


def test_unknown_citation_hint_lists_the_closest_key(tmp_path: Path) -> None:
    bib = BIB + "\n" + dedent("""
        @misc{smithson1999,
          title = {Something else},
        }
        """)
    claim_text = cited_by_claim("smithson1999").replace("source: smith2020", "source: Smith2020")
    result = check(make_project(tmp_path, {BIB_PATH: bib, CLAIM_PATH: claim_text}))
    [d] = by_code(result, "unknown-citation")
    assert d.hint is not None and d.hint.startswith("Did you mean 'smith2020'")


def test_unknown_citation_without_a_near_key_says_how_to_fix(tmp_path: Path) -> None:
    result = check(make_project(tmp_path, {CLAIM_PATH: CLAIM.replace("source: smith2020", "source: zzz")}))
    [d] = by_code(result, "unknown-citation")
    assert d.hint == "Add the entry to references.bib, or fix the key."


def test_citations_in_code_are_not_checked(tmp_path: Path) -> None:
    body = "Write `[@nokey]` to cite.\n\n```\n[@nokey2] and <script>x</script>\n```\n"
    result = check(make_project(tmp_path, {CLAIM_PATH: claim(body=body)}))
    assert found(result) == []


def test_suppressed_warning_is_silenced_on_that_claim_only(tmp_path: Path) -> None:
    old = claim(reviewed="2020-01-01")
    silenced = old.replace("reviewed:", "suppress:\n  - code: stale-review\n    reason: Checked in 2026.\nreviewed:")
    result = check(make_project(tmp_path, {CLAIM_PATH: silenced, "content/claims/other.md": old}))
    assert found(result) == [("stale-review", "content/claims/other.md", 11)]


def test_a_recent_search_is_not_stale(tmp_path: Path) -> None:
    injury = INJURY.replace("summary:", "last_searched: 2025-10-01\nsummary:")
    assert by_code(check(make_project(tmp_path, {INJURY_PATH: injury})), "stale-search") == []


def test_settings_disable_and_raise(tmp_path: Path) -> None:
    root = make_project(tmp_path, {CLAIM_PATH: claim(reviewed="2020-01-01")})
    assert found(check(root, disable=frozenset({"stale-review"}))) == []
    [d] = check(root, errors=frozenset({"stale-review"})).diagnostics
    assert d.severity == "error"


def test_an_invalid_claim_is_still_cross_checked(tmp_path: Path) -> None:
    """One bad field does not hide the citation and entity problems of the same claim."""
    text = claim(certainty="sure", injuries="[nowhere]").replace("source: smith2020", "source: nobody")
    codes = {d.code for d in check(make_project(tmp_path, {CLAIM_PATH: text})).diagnostics}
    assert {"schema", "unknown-entity", "unknown-citation"} <= codes
