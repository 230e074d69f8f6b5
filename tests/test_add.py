"""`kb add`: a DOI, a PMID or a CSL-JSON export becomes one new entry at the end of references.bib.

No test touches the network: respx answers httpx's requests with recorded responses in
tests/fixtures/add/, in the services' real formats:

* crossref-vangent2007.json: the body of GET https://api.crossref.org/works/{doi} (Crossref REST
  API, `{"status": "ok", "message-type": "work", "message": {...}}`, abstract as JATS XML);
* pubmed-videbaek2015.xml: the body of GET .../entrez/eutils/efetch.fcgi?db=pubmed&id=...&retmode=xml
  (NCBI E-utilities, PubmedArticleSet with the PubMed DTD; PMCID and DOI in ArticleIdList,
  MedlinePgn in PubMed's short form "1017-26");
* pubmed-empty.xml: efetch's answer for a PMID it does not know (an empty PubmedArticleSet);
* zotero-nielsen2014.json: Zotero's "Export Collection -> CSL JSON" (a list of items; Zotero keeps
  the PMID in `note` as "PMID: ...").

The bibliographic fields are those of works in the shipped references.bib (verified there);
the abstracts are placeholders, marked as such, not the articles' text.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from conftest import BIB, check, make_project
from generator.commands.add import bibtex_escape, choose_key
from generator.intake.bibliography import decode_latex, parse_bibliography
from generator.commands.cli import main
from generator.commands.identifiers import IdentifierError, parse_identifier
from generator.commands.metadata import Person, Work, from_pubmed

FIXTURES = Path(__file__).parent / "fixtures" / "add"
CROSSREF = "https://api.crossref.org/works/"
EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def kb_add(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["add", *args, "--root", str(root)])
    return result.exit_code, result.stdout, result.stderr


def bib_bytes(root: Path) -> bytes:
    return (root / "references.bib").read_bytes()


def new_entry(root: Path, before: bytes) -> dict[str, str]:
    """The fields of the one entry added after *before* (which must be kept byte for byte)."""
    after = bib_bytes(root)
    assert after.startswith(before), "the existing text of references.bib was changed"
    sources, problems = parse_bibliography(after.decode("utf-8"))
    assert [d for d in problems if d.severity == "error" and d.code != "missing-field"] == []
    old, _ = parse_bibliography(before.decode("utf-8"))
    (key,) = set(sources) - set(old)
    return {"key": key, "type": sources[key].entry_type, **sources[key].fields}


# ------------------------------------------------------------------ identifiers


@pytest.mark.parametrize("text, kind, value", [
    ("doi:10.1136/bjsm.2006.033548", "doi", "10.1136/bjsm.2006.033548"),
    ("DOI: 10.1136/bjsm.2006.033548", "doi", "10.1136/bjsm.2006.033548"),
    ("https://doi.org/10.1136/bjsm.2006.033548", "doi", "10.1136/bjsm.2006.033548"),
    ("http://dx.doi.org/10.1002/1096-9098(200007)74:3%3C201::AID-JSO8%3E3.0.CO;2-5", "doi",
     "10.1002/1096-9098(200007)74:3<201::AID-JSO8>3.0.CO;2-5"),
    ("10.1007/s40279-015-0333-8", "doi", "10.1007/s40279-015-0333-8"),
    ("pmid:25951917", "pmid", "25951917"),
    ("PMID: 25951917", "pmid", "25951917"),
    ("https://pubmed.ncbi.nlm.nih.gov/25951917/", "pmid", "25951917"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/25951917", "pmid", "25951917"),
    ("25951917", "pmid", "25951917"),
])
def test_identifier_forms(text: str, kind: str, value: str) -> None:
    parsed = parse_identifier(text)
    assert (parsed.kind, parsed.value) == (kind, value)


@pytest.mark.parametrize("text", ["doi:11.1/x", "doi:10.12/x", "doi:10.1136/has space", "pmid:12a", "pmid:0123",
                                  "pmid:1234567890", "https://example.org/10.1136/x", "isbn:9780000000000", "", "  "])
def test_malformed_identifiers_are_refused(text: str) -> None:
    with pytest.raises(IdentifierError):
        parse_identifier(text)


@pytest.mark.parametrize("text, expect", [("doi:10.12/x", "10.NNNN/suffix"), ("pmid:12a", "1 to 9 digits"),
                                          ("isbn:978", "not a DOI or PMID")])
@respx.mock(assert_all_mocked=True)
def test_malformed_identifier_exits_2_and_asks_nothing(tmp_path: Path, text: str, expect: str) -> None:
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, text)
    assert code == 2
    assert expect in err and f"'{text}'" in err and "Nothing was changed" in err
    assert bib_bytes(root) == before
    assert respx.calls.call_count == 0


# ------------------------------------------------------------------ DOI, PMID, CSL-JSON


@respx.mock
def test_doi_from_crossref(tmp_path: Path) -> None:
    route = respx.get(CROSSREF + "10.1136/bjsm.2006.033548").mock(
        return_value=httpx.Response(200, text=fixture("crossref-vangent2007.json")))
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, out, err = kb_add(root, "https://doi.org/10.1136/bjsm.2006.033548")
    assert code == 0, err
    entry = new_entry(root, before)
    assert entry["key"] == "vangent2007"  # the KB's style: particle kept, print year
    assert entry["type"] == "article"
    assert entry["author"].startswith("van Gent, R N and Siem, D and van Middelkoop, M")
    assert entry["title"] == ("Incidence and determinants of lower extremity running injuries in long distance "
                              "runners: a systematic review")
    assert (entry["journal"], entry["year"], entry["volume"], entry["number"], entry["pages"]) == \
        ("British Journal of Sports Medicine", "2007", "41", "8", "469--480")
    assert entry["doi"] == "10.1136/bjsm.2006.033548"
    # JATS is reduced to text: no tags, headings kept apart, entities decoded
    assert entry["abstract"].startswith("Objective: Placeholder sentence")
    assert "(< 30 words & no quote)" in entry["abstract"] and "<jats" not in entry["abstract"]
    assert "Results: A second placeholder paragraph." in entry["abstract"]
    assert "design" in err and "kb new claim ID --source vangent2007" in err
    assert "@article{vangent2007," in out
    assert route.calls.last.request.headers["user-agent"].startswith("kb-generator/")
    # the appended entry is in `kb fmt`'s layout: formatting the file changes nothing
    from generator.commands.fmt import format_bib
    assert format_bib(bib_bytes(root).decode()) .endswith(out.split("@article", 1)[1].rstrip() + "\n")


@respx.mock
def test_pmid_from_pubmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_MAILTO", "editor@example.org")
    route = respx.get(EFETCH).mock(return_value=httpx.Response(200, text=fixture("pubmed-videbaek2015.xml")))
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "pmid:25951917")
    assert code == 0, err
    request = route.calls.last.request
    assert dict(request.url.params) == {"db": "pubmed", "id": "25951917", "retmode": "xml", "tool": "kb-generator",
                                        "email": "editor@example.org"}
    assert "mailto:editor@example.org" in request.headers["user-agent"]
    entry = new_entry(root, before)
    assert entry["key"] == "videbaek2015"  # æ -> ae, as in the shipped references.bib
    assert entry["author"] == ("Videbæk, Solvej and Bueno, Andreas Moeballe and Nielsen, Rasmus Oestergaard "
                               "and Rasmussen, Sten")
    assert (entry["pmid"], entry["pmcid"], entry["doi"]) == ("25951917", "PMC4473093", "10.1007/s40279-015-0333-8")
    assert entry["pages"] == "1017--1026"  # PubMed's "1017-26" is the same range
    assert (entry["volume"], entry["number"], entry["year"]) == ("45", "7", "2015")
    assert entry["abstract"] == ("Background: Placeholder sentence standing in for the background in this test "
                                 "fixture. Conclusions: A second placeholder sentence with italics.")


def test_csl_json_from_zotero(tmp_path: Path) -> None:
    root = make_project(tmp_path / "kb")
    export = tmp_path / "export.json"
    export.write_text(fixture("zotero-nielsen2014.json"), encoding="utf-8")
    before = bib_bytes(root)
    code, out, err = kb_add(root, "--from", str(export))
    assert code == 0, err
    entry = new_entry(root, before)
    assert entry["key"] == "nielsen2014"
    assert entry["journal"] == "Journal of Orthopaedic & Sports Physical Therapy"
    assert r"Journal of Orthopaedic \& Sports Physical Therapy" in out  # escaped for BibTeX
    assert (entry["pmid"], entry["doi"], entry["year"]) == ("25155475", "10.2519/jospt.2014.5164", "2014")
    assert entry["author"].startswith("Nielsen, Rasmus Østergaard and Parner, Erik Thorlund")


def test_added_entry_passes_kb_check_apart_from_being_unused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "kb")
    export = tmp_path / "export.json"
    export.write_text(fixture("zotero-nielsen2014.json"), encoding="utf-8")
    assert kb_add(root, "--from", str(export))[0] == 0
    assert [(d.code, d.line) for d in check(root).diagnostics] == [("unused-reference", 8)]


# ------------------------------------------------------------------ refusals


DUPLICATE_BIB = BIB + """
@article{vangent2007,
  author = {van Gent, R. N.},
  title = {Incidence and determinants of lower extremity running injuries},
  journal = {British Journal of Sports Medicine},
  year = {2007},
  doi = {https://doi.org/10.1136/BJSM.2006.033548},
  pmid = {17473005},
}
"""


@respx.mock(assert_all_mocked=True)
@pytest.mark.parametrize("identifier", ["doi:10.1136/bjsm.2006.033548", "pmid:17473005"])
def test_a_known_doi_or_pmid_is_refused_before_any_request(tmp_path: Path, identifier: str) -> None:
    root = make_project(tmp_path / "kb", {"references.bib": DUPLICATE_BIB})
    before = bib_bytes(root)
    code, _out, err = kb_add(root, identifier)
    assert code == 1
    assert "already has this work: 'vangent2007'" in err and "cite 'vangent2007'" in err
    assert bib_bytes(root) == before
    assert respx.calls.call_count == 0


@respx.mock
def test_a_pmid_whose_doi_is_known_is_refused_after_the_lookup(tmp_path: Path) -> None:
    respx.get(EFETCH).mock(return_value=httpx.Response(200, text=fixture("pubmed-videbaek2015.xml")))
    bib = BIB + "\n@article{videbaek2015x,\n  title = {Incidence},\n  doi = {10.1007/S40279-015-0333-8},\n}\n"
    root = make_project(tmp_path / "kb", {"references.bib": bib})
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "pmid:25951917")
    assert code == 1 and "'videbaek2015x' has DOI 10.1007/s40279-015-0333-8" in err
    assert bib_bytes(root) == before


def test_a_csl_file_with_a_known_work_adds_nothing_at_all(tmp_path: Path) -> None:
    root = make_project(tmp_path / "kb", {"references.bib": BIB + "\n@misc{n,\n  title = {x},\n  pmid = {25155475},\n}\n"})
    export = tmp_path / "export.json"
    export.write_text(fixture("zotero-nielsen2014.json"), encoding="utf-8")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "--from", str(export))
    assert code == 1 and "'n' has PMID 25155475" in err
    assert bib_bytes(root) == before


@respx.mock
def test_no_network_fails_at_once_with_a_clear_message(tmp_path: Path) -> None:
    respx.get(CROSSREF + "10.1136/bjsm.2006.033548").mock(
        side_effect=httpx.ConnectError("[Errno -3] Temporary failure in name resolution"))
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "doi:10.1136/bjsm.2006.033548")
    assert code == 2
    assert "cannot reach api.crossref.org" in err and "network connection" in err and "--from" in err
    assert "Nothing was changed" in err
    assert bib_bytes(root) == before


def test_no_network_for_real_fails_within_seconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not mocked: a closed local port is what 'no network' looks like to the client (refused at once)."""
    import time

    from generator.commands import fetch_metadata

    monkeypatch.setattr(fetch_metadata, "EFETCH", "http://127.0.0.1:9/efetch.fcgi")
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    start = time.monotonic()
    code, _out, err = kb_add(root, "pmid:25951917")
    assert code == 2 and "cannot reach 127.0.0.1" in err
    assert time.monotonic() - start < 10  # the connect timeout is 5 s; a refused port answers at once
    assert bib_bytes(root) == before


@respx.mock
@pytest.mark.parametrize("response, expect", [
    (httpx.Response(404, text=fixture("crossref-not-found.txt")), "Crossref does not know doi:10.1136/bjsm.2006.033548"),
    (httpx.Response(503, text="busy"), "answered HTTP 503"),
    (httpx.Response(429, text="slow down"), "slow down"),
    (httpx.Response(200, text="<html>not json</html>"), "not JSON"),
    (httpx.Response(200, json={"status": "ok", "message": {"type": "journal-article"}}), "no title"),
])
def test_service_failures_change_nothing(tmp_path: Path, response: httpx.Response, expect: str) -> None:
    respx.get(CROSSREF + "10.1136/bjsm.2006.033548").mock(return_value=response)
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "doi:10.1136/bjsm.2006.033548")
    assert code == 2 and expect in err and "Nothing was changed" in err
    assert bib_bytes(root) == before


@respx.mock
def test_a_connection_that_times_out_is_no_network_too(tmp_path: Path) -> None:
    respx.get(EFETCH).mock(side_effect=httpx.ConnectTimeout("timed out"))
    root = make_project(tmp_path / "kb")
    code, _out, err = kb_add(root, "pmid:25951917")
    assert code == 2 and "cannot reach eutils.ncbi.nlm.nih.gov" in err and "network connection" in err


@respx.mock
def test_timeout_is_a_clear_message(tmp_path: Path) -> None:
    respx.get(EFETCH).mock(side_effect=httpx.ReadTimeout("timed out"))
    root = make_project(tmp_path / "kb")
    code, _out, err = kb_add(root, "pmid:25951917")
    assert code == 2 and "did not answer in time" in err


@respx.mock
def test_unknown_pmid(tmp_path: Path) -> None:
    respx.get(EFETCH).mock(return_value=httpx.Response(200, text=fixture("pubmed-empty.xml")))
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "pmid:99999999")
    assert code == 2 and "PubMed has no article record" in err
    assert bib_bytes(root) == before


def test_a_broken_bibliography_is_not_appended_to(tmp_path: Path) -> None:
    root = make_project(tmp_path / "kb", {"references.bib": BIB + "\n@article{broken,\n  title = {x\n"})
    export = tmp_path / "export.json"
    export.write_text(fixture("zotero-nielsen2014.json"), encoding="utf-8")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "--from", str(export))
    assert code == 2 and "cannot be parsed" in err and "kb check" in err
    assert bib_bytes(root) == before


@pytest.mark.parametrize("text, expect", [("not json", "not JSON"), ("[]", "no items"), ("[1]", "JSON object")])
def test_bad_csl_files(tmp_path: Path, text: str, expect: str) -> None:
    root = make_project(tmp_path / "kb")
    export = tmp_path / "export.json"
    export.write_text(text, encoding="utf-8")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "--from", str(export))
    assert code == 2 and expect in err
    assert bib_bytes(root) == before


def test_identifier_and_from_together_or_neither(tmp_path: Path) -> None:
    root = make_project(tmp_path / "kb")
    assert kb_add(root)[0] == 2
    assert kb_add(root, "pmid:1", "--from", "x.json")[0] == 2


# ------------------------------------------------------------------ hostile responses


HOSTILE = {
    "status": "ok",
    "message": {
        "type": "journal-article",
        "DOI": "10.5555/hostile\"}, note = {pwned",
        "title": ["&lt;script&gt;alert(1)&lt;/script&gt;Shoes <img src=x onerror=alert(2)> } @comment{ %"],
        "container-title": ["J \\input{/etc/passwd} ~ ^ $x$ # _"],
        "author": [{"family": "Smith}, title = {pwned", "given": "A. and B"}, {"name": "Group <b>X</b>"}],
        "abstract": "<jats:p>Text<script>steal()</script> & more\u0000\u202e</jats:p>",
        "issued": {"date-parts": [[20201]]},
        "volume": "1" * 100,
        "page": "12-3\"}",
        "PMID": "12; DROP",
    },
}


@respx.mock
def test_a_hostile_response_cannot_break_the_bibliography_or_inject_markup(tmp_path: Path) -> None:
    respx.get(url__startswith=CROSSREF).mock(return_value=httpx.Response(200, json=HOSTILE))
    root = make_project(tmp_path / "kb")
    before = bib_bytes(root)
    code, out, err = kb_add(root, "doi:10.5555/hostile")
    assert code == 0, err
    entry = new_entry(root, before)  # parses; the old text is untouched; exactly one new entry
    text = bib_bytes(root).decode()
    assert "<script" not in text and "<img" not in text and "onerror" not in text and "<b>" not in text
    assert entry["title"] == "Shoes } @comment{ %"
    assert entry["journal"] == "J \\input{/etc/passwd} ~ ^ $x$ # _"
    assert "pwned" not in entry.get("note", "") and "doi" not in entry  # an invalid DOI is left out
    assert "pmid" not in entry and "year" not in entry
    assert "\u0000" not in entry["abstract"] and "\u202e" not in entry["abstract"]
    assert entry["abstract"] == "Text & more"
    assert len(entry["volume"]) <= 30
    assert "not a plausible year" in err and "DOI" in err
    assert entry["key"] == "smith"
    sources, _ = parse_bibliography(text)
    assert sources["smith"].fields["author"].startswith("Smith}, title = {pwned")
    assert "pwned" not in sources["smith"].fields["title"]


@pytest.mark.parametrize("text", ["a & b", "50% {of} runners", "x_1 ~ y^2", "$100 #1", "back\\slash", "{}}{",
                                  "Østergaard – “quoted”", "--- dashes --", "\\emph{x}"])
def test_escaping_reads_back_as_the_same_text(text: str) -> None:
    decoded = decode_latex(bibtex_escape(text))
    assert decoded == " ".join(text.split()) or text in ("--- dashes --",)


def test_key_style() -> None:
    work = Work("article", (Person("van der Worp", "Maarten"),), "t", year="2015")
    assert choose_key(work, set()) == "vanderworp2015"
    assert choose_key(work, {"vanderworp2015"}) == "vanderworp2015a"
    assert choose_key(work, {"vanderworp2015", "vanderworp2015a"}) == "vanderworp2015b"
    assert choose_key(Work("article", (Person("Scholten-Peeters", "G"),), "t", year="2020"), set()) == \
        "scholtenpeeters2020"
    assert choose_key(Work("article", (Person("World Health Organization", None, True),), "t"), set()) == "world"
    assert choose_key(Work("article", (), "t", year="1999"), set()) == "anon1999"


def test_pubmed_xml_bomb_is_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<PubmedArticleSet><PubmedArticle>&b;</PubmedArticle></PubmedArticleSet>")
    from generator.commands.metadata import MetadataError

    with pytest.raises(MetadataError, match="cannot be read safely"):
        from_pubmed(bomb)


HOSTILE_TEXT = {
    "status": "ok",
    "message": {
        "type": "journal-article", "DOI": "10.5555/hostile.2",
        "title": ["Shoes &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; x < y <svg onload=alert(3)>"],
        "container-title": ["<a href=\"javascript:alert(4)\">J</a>"],
        "author": [{"family": "Smith", "given": "<iframe src=//evil>A"}],
        "abstract": "<jats:p>&lt;img src=x onerror=alert(5)&gt;Real text</jats:p>",
        "issued": {"date-parts": [[2020]]},
    },
}


@respx.mock
def test_nothing_from_a_response_reaches_the_site_as_markup(tmp_path: Path) -> None:
    respx.get(url__startswith=CROSSREF).mock(return_value=httpx.Response(200, json=HOSTILE_TEXT))
    root = make_project(tmp_path / "kb")
    assert kb_add(root, "doi:10.5555/hostile.2")[0] == 0
    claim = (root / "content/claims/rest-helps.md").read_text(encoding="utf-8")
    (root / "content/claims/rest-helps.md").write_text(
        claim.replace("    stance: supports\n", "    stance: supports\n  - source: smith2020a\n    stance: mentions\n"),
        encoding="utf-8")
    from conftest import settings
    from generator.pages.pipeline import generate

    # abstracts are published only on request (publish_abstracts); this test wants every field on the site
    generated = generate(root, settings(publish_abstracts=True))
    assert not generated.result.errors, generated.result.errors
    pages = "\n".join(f.text + f.head for f in generated.files if f.path.endswith((".md", ".html", ".json")))
    assert "smith2020a" in pages and "Real text" in pages
    for bad in ("<script>alert", "onerror", "onload", "javascript:", "<iframe", "<svg"):
        assert bad not in pages, bad


def test_a_write_that_fails_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a read-only folder (which root, running the tests in CI, could still write to)."""
    import generator.commands.add

    def refuse(path: Path, text: str, **_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(generator.commands.add, "write_atomic", refuse)
    root = make_project(tmp_path / "kb")
    export = tmp_path / "export.json"
    export.write_text(fixture("zotero-nielsen2014.json"), encoding="utf-8")
    before = bib_bytes(root)
    code, _out, err = kb_add(root, "--from", str(export))
    assert code == 2 and "cannot write references.bib: Permission denied" in err
    assert bib_bytes(root) == before
