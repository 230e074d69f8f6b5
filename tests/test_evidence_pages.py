"""What readers see of quotes and GRADE on the generated pages (issue 11).

Built from small projects in tmp_path (conftest's BASE plus what each test
needs); the golden files show the same parts in full.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import BIB, CLAIM, INJURY, dedent, make_project, settings
from generator.pages.pipeline import generate

pytestmark = pytest.mark.usefixtures("reproducible_date")

ABSTRACT_BIB = BIB.replace("  year", "  abstract = {Runners on relative rest recovered sooner.},\n  langid = {english},\n  year")
#: a second claim citing smith2020 twice (qualifies and mentions): listed once on the source page
SECOND = dedent("""
    ---
    statement: Rest matters most in the first weeks.
    type: advice
    injuries: [shin-splints]
    certainty: low
    evidence:
      - source: smith2020
        stance: qualifies
        quote: Most of the difference arose in the first two weeks.
        locator: results
      - source: smith2020
        stance: mentions
    reviewed: 2026-01-01
    grade:
      start: high
      risk_of_bias: {rating: serious, reason: "Not blinded."}
      imprecision: {rating: serious, reason: "40 runners."}
    ---
    """)
DEFINITION = dedent("""
    ---
    statement: Shin splints are pain along the inner shin.
    type: epidemiology
    injuries: [shin-splints]
    certainty: not-graded
    evidence:
      - source: smith2020
        stance: mentions
    reviewed: 2026-01-01
    grade: {applicable: false, reason: "A definition; GRADE rates no agreements."}
    ---
    """)


def pages(root: Path, **overrides: object) -> dict[str, str]:
    done = generate(root, settings(language="nl", **overrides))
    assert not done.result.errors, done.result.errors
    return {f.path: f.text for f in done.files}


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    return pages(make_project(tmp_path, {"references.bib": ABSTRACT_BIB, "content/claims/second.md": SECOND,
                                         "content/claims/definition.md": DEFINITION}))


def test_claim_page_shows_the_profile_with_reasons(site: dict[str, str]) -> None:
    page = site["claims/second.md"]
    rows = re.findall(r'<tr class="kb-profile__row[^"]*"><th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]*)</td>', page)
    assert ("Risico op vertekening", "ernstig (−1)", "Not blinded.") in rows
    assert ("Onnauwkeurigheid", "ernstig (−1)", "40 runners.") in rows
    assert ("Inconsistentie", "geen", "") in rows
    assert "<th scope=\"row\">Startniveau</th><td>hoog</td>" in page


def test_stance_tally_links_each_count_to_its_quote(site: dict[str, str]) -> None:
    page = site["claims/second.md"]
    tally = page[page.index('class="kb-tally"'):page.index('<ul class="kb-evidence">')]
    assert re.search(r"nuanceert</a> 1 \(<a href=\"#bewijs-1\">Smith, 2020</a>\)", tally)
    assert re.search(r"noemt</a> 1 \(<a href=\"#bewijs-2\">Smith, 2020</a>\)", tally)
    assert re.search(r"ondersteunt</a> 0</span>", tally)
    assert '<li id="bewijs-1">' in page and '<li id="bewijs-2">' in page
    # the quote is marked with the source's language, and the citation points the card at it
    assert '<blockquote class="kb-quote" id="citaat-1" lang="en">' in page
    assert 'data-kb-quote="citaat-1"' in page


def test_not_graded_claim_says_why(site: dict[str, str]) -> None:
    page = site["claims/definition.md"]
    assert "GRADE is niet van toepassing:</strong> A definition; GRADE rates no agreements." in page
    assert "niet beoordeeld (GRADE n.v.t.)" in page
    assert "kb-profile" not in page
    assert "niet beoordeeld (GRADE n.v.t.)" in site["legenda.md"]


def test_entity_page_has_a_summary_of_findings_with_footnotes(site: dict[str, str]) -> None:
    page = site["injuries/shin-splints.md"]
    table = page[page.index('<table class="kb-sof">'):page.index("</table>", page.index('<table class="kb-sof">'))]
    assert table.count("<tr>") == 4  # header + three current claims
    # one source (cited twice, counted once) without a design; no participant numbers
    assert re.search(r'second/">Rest matters most in the first weeks.</a></th>\s*'
                     r'<td data-label="Bronnen \(opzet\)">1: onbekend 1</td>\s*<td data-label="Deelnemers">onbekend</td>',
                     table)
    refs = re.findall(r'<sup><a href="#sof-noot-(\d)" id="sof-ref-\d">', table)
    assert refs == ["1", "2"]
    assert '<li id="sof-noot-1">Risico op vertekening, ernstig (−1): Not blinded.' in page
    assert '<li id="sof-noot-2">Onnauwkeurigheid, ernstig (−1): 40 runners.' in page


def test_source_page_lists_each_citing_claim_once_by_stance(site: dict[str, str]) -> None:
    page = site["references/smith2020.md"]
    statements = page[page.index("Wat deze bron zegt over de beweringen"):]
    for claim_id in ("rest-helps", "second", "definition"):
        assert statements.count(f'claims/{claim_id}/#bewijs-') == 1, claim_id
    # grouped by stance, in the order supports, qualifies, contradicts, mentions
    headings = re.findall(r"^### (\w[\w ]*) \\\((\d)\\\)", statements, re.M)
    assert headings == [("ondersteunt", "1"), ("nuanceert", "1"), ("noemt", "1")]
    assert "“Most of the difference arose in the first two weeks.” <small>(results)</small>" in statements


def test_source_metadata_table_has_no_empty_header_row(site: dict[str, str]) -> None:
    page = site["references/smith2020.md"]
    assert "<th></th>" not in page
    # named for screen readers by a caption, then straight to the rows
    assert '<table class="kb-meta"><caption class="kb-visually-hidden">Gegevens van deze bron</caption>\n<tbody>' in page


def test_abstracts_are_published_only_when_the_setting_says_so(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"references.bib": ABSTRACT_BIB})
    hidden = pages(root)
    assert "Runners on relative rest recovered sooner." in hidden["claims/rest-helps.md"]  # the quote: always
    assert "## Samenvatting" not in hidden["references/smith2020.md"]
    assert "AB  -" not in hidden["references/smith2020.md"]
    assert "abstract" not in json.loads(hidden["api/references.json"])[0]
    shown = pages(root, publish_abstracts=True)
    assert "## Samenvatting" in shown["references/smith2020.md"]
    assert "AB  - Runners on relative rest recovered sooner." in shown["references/smith2020.md"]
    assert json.loads(shown["api/references.json"])[0]["abstract"] == "Runners on relative rest recovered sooner."


def test_evidence_map_names_research_gaps(tmp_path: Path) -> None:
    other = CLAIM.replace("injuries: [shin-splints]", "injuries: [knee-pain]\ninterventions: [rest]")
    first = CLAIM.replace("injuries: [shin-splints]", "injuries: [shin-splints]\ninterventions: [rest, tape]")
    site = pages(make_project(tmp_path, {
        "content/claims/rest-helps.md": first, "content/claims/knee.md": other,
        "content/injuries/knee-pain.md": INJURY.replace("Shin splints", "Knee pain"),
        "content/interventions/rest.md": "---\ntitle: Rest\n---\n", "content/interventions/tape.md": "---\ntitle: Tape\n---\n",
    }))
    home = site["index.md"]
    # knee pain x tape: no claim -> a named gap, not a blank cell
    assert home.count('<td class="kb-map__cell kb-map__cell--empty"><span class="kb-map__gap">geen onderzoek gevonden</span></td>') == 1
    assert 'hide: ["navigation", "toc"]' in home  # the maps get the page's full width
