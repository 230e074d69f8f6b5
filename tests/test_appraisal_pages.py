"""What readers see of study appraisals: source pages, forest plots, summary-of-findings effects.

Built from tests/fixtures/appraisals (invented test data: two claims citing
results of four appraised sources, one source without an appraisal).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import settings
from generator.pages.forest import Row, forest_svg, slot
from generator.pages.pipeline import generate
from generator.pages.sanitize import sanitize_svg

pytestmark = pytest.mark.usefixtures("reproducible_date")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "appraisals"
CLAIM = "claims/relatieve-rust-sneller-terug.md"
MD_CLAIM = "claims/krachttraining-minder-pijn.md"


def build(root: Path, **overrides: object) -> dict[str, str]:
    done = generate(root, settings(language="nl", **overrides))
    assert not done.result.errors, done.result.errors
    return {f.path: f.text for f in done.files}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("appraisals") / "kb"
    shutil.copytree(FIXTURE, root)
    return build(root)


def test_claim_page_draws_a_forest_plot_with_a_text_table(site: dict[str, str]) -> None:
    page = site[CLAIM]
    [svg] = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert 'role="img"' in svg and 'aria-labelledby="bosplot-1-title bosplot-1-desc"' in svg
    assert '<title id="bosplot-1-title">Forest plot: HR, RR (logaritmische schaal)</title>' in svg
    assert "1,52 (1,01 tot 2,29)" in svg and "0,62 (0,41 tot 0,94)" in svg and "geen effect" in svg
    assert "stroke-dasharray" in svg  # the no-effect line
    assert slot("bosplot-1") not in page  # the slot was filled
    table = page[page.index('<table class="kb-forest-table">'):]
    table = table[:table.index("</table>")]
    assert "<caption>" in table and table.count('<th scope="row">') == 2 and '<th scope="col">' in table
    assert "<td data-label=\"Schatting (95%-BI)\">1,52 (1,01 tot 2,29)</td>" in table
    # and each evidence item says which result it rests on
    assert '<p class="kb-evidence__result"><strong>Resultaat:</strong> RR 0,62 (0,41 tot 0,94)</p>' in page


def test_differences_are_drawn_on_a_linear_scale_with_their_unit(site: dict[str, str]) -> None:
    page = site[MD_CLAIM]
    [svg] = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert "Forest plot: MD (punten)</title>" in svg and "logaritmische" not in svg
    assert "\u22121,8 (\u22122,9 tot \u22120,7) punten" in svg


def test_a_claim_without_results_has_no_plot(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "claims" / "krachttraining-minder-pijn.md"
    path.write_text(path.read_text(encoding="utf-8").replace("    effect: pijn-na-12-weken\n", ""), encoding="utf-8")
    assert "<svg" not in build(root)[MD_CLAIM]


def test_an_editor_cannot_place_or_forge_a_plot(tmp_path: Path) -> None:
    """The slot markup in an editor's text stays an empty div: only the template's slot gets the SVG."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "claims" / "relatieve-rust-sneller-terug.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + slot("bosplot-1") + "\n", encoding="utf-8")
    page = build(root)[CLAIM]
    assert page.count("<svg") == 1
    assert page.index("<svg") < page.index("Testbewering met twee resultaten")


def test_the_plot_uses_only_what_the_svg_sanitizer_allows() -> None:
    rows = [Row("A <b>x</b>", 1.5, 0.96, 2.66, "1,50"), Row("B", 0.8, None, None, "0,80")]
    for log, no_effect in ((True, 1.0), (False, 0.0), (False, None)):
        svg = forest_svg(rows, "HR", log, no_effect, "nl", "p")
        assert sanitize_svg(svg) == svg
        assert "<b>" not in svg and "A &lt;b&gt;x&lt;/b&gt;" in svg
    assert sanitize_svg('<svg onload="x()"><script>x()</script><foreignObject/></svg>') == "<svg></svg>"


def test_source_page_shows_the_appraisal_and_the_results(site: dict[str, str]) -> None:
    page = site["references/jansen2020.md"]
    assert "Beoordeling van de studie" in page and "RoB 2 (gerandomiseerde studies)" in page
    assert re.search(r'<th scope="row">Afwijkingen van de interventie</th><td [^>]*>enige twijfel</td>'
                     r'<td [^>]*>Deelnemers wisten in welke groep ze zaten.</td>', page)
    assert "<strong>enige twijfel</strong>" in page  # overall
    assert '<tr id="resultaat-terug-naar-lopen"><th scope="row">Terug naar hardlopen</th>' in page
    assert "1,52 (1,01 tot 2,29)" in page and '<q lang="en">Runners on relative rest' in page
    assert "<strong>fictief</strong>" in page  # the reviewer's notes, as Markdown


def test_source_pages_say_what_was_not_appraised_or_read(site: dict[str, str]) -> None:
    assert "<strong>Niet beoordeeld.</strong>" in site["references/smit2017.md"]
    assert "Geen instrument van toepassing" in site["references/pieters2018.md"]
    devries = site["references/devries2021.md"]
    assert "De opgeslagen samenvatting is onvolledig" in devries and "De conclusie (testgegevens)." in devries


def test_summary_of_findings_gains_relative_and_absolute_effects(site: dict[str, str]) -> None:
    page = site["injuries/scheenbeenklachten.md"]
    table = page[page.index('<table class="kb-sof">'):]
    table = table[:table.index("</table>")]
    # GRADE's layout: the absolute effect first, then the relative effect
    assert '<th scope="col">Absoluut effect (95%-BI)</th><th scope="col">Relatief effect (95%-BI)</th>' in table
    assert "HR 1,52 (1,01 tot 2,29)" in table and "RR 0,62 (0,41 tot 0,94)" in table
    # RR 0.62 (0.41-0.94) at a baseline risk of 30%: 1000 x (0.3 x RR - 0.3)
    assert "114 minder per 1.000 (177 minder tot 18 minder)" in table
    # participants now come from the results when the evidence item does not give them
    assert ">320</td>" in table


def _jsonld(page: str) -> dict:
    import json

    head = page[page.index('<script type="application/ld+json">') + 35:]
    return json.loads(head[:head.index("</script>")])


def test_claim_json_ld_names_each_stance_in_cito(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    done = generate(root, settings(language="nl", site_url="https://kb.example/"))
    [claim] = [f for f in done.files if f.path == CLAIM]
    data = _jsonld(claim.head)
    assert data["@context"]["cito"] == "http://purl.org/spar/cito/"
    me = {"@id": "https://kb.example/claims/relatieve-rust-sneller-terug/"}
    by_source = {c["identifier"]: c for c in data["citation"]}
    assert by_source["jansen2020"]["cito:supports"] == [me]
    assert by_source["pieters2018"]["cito:discusses"] == [me]
    assert by_source["jansen2020"]["@id"] == "https://kb.example/references/jansen2020/"
    assert data["cito:includesQuotationFrom"] == [{"@id": "https://kb.example/references/jansen2020/"},
                                                  {"@id": "https://kb.example/references/devries2021/"}]
    assert data["hasPart"][0] == {"@type": "Quotation", "isBasedOn": {"@id": "https://kb.example/references/jansen2020/"},
                                  "text": "Runners on relative rest returned to running sooner (HR 1.52; 95% CI 1.01 "
                                          "to 2.29)."}


def test_claims_json_carries_effects_and_appraisals(site: dict[str, str]) -> None:
    import json

    claims = {c["id"]: c for c in json.loads(site["api/claims.json"])}
    first, _second, mention = claims["relatieve-rust-sneller-terug"]["evidence"]
    assert first["effect"]["measure"] == "HR" and first["effect"]["ci"] == [1.01, 2.29]
    assert first["appraisal"]["risk_of_bias"]["overall"] == "some-concerns"
    assert first["appraisal"]["risk_of_bias"]["domains"]["deviations"]["judgement"] == "some-concerns"
    assert mention["effect"] is None and mention["appraisal"]["risk_of_bias"]["tool"] == "not-applicable"
    unappraised = claims["krachttraining-minder-pijn"]["evidence"][1]
    assert unappraised["source"] == "smit2017" and unappraised["appraisal"] is None


def test_the_finishing_pass_keeps_plots_and_only_what_the_svg_allow_list_allows(site: dict[str, str]) -> None:
    """Engines other than our MkDocs plugin get their pages sanitized again; the plot must survive it."""
    from generator.output.finish import finish_page
    from generator.pages.page import CONTENT_BEGIN, CONTENT_END

    [svg] = re.findall(r"<svg\b.*?</svg>", site[CLAIM], re.DOTALL)
    plot = f'<div class="kb-forest__plot">{svg}</div>'
    page = f"<html><head></head><body>{CONTENT_BEGIN}<h2>Effecten</h2>{plot}<p>tekst</p>{CONTENT_END}</body></html>"
    finished = finish_page(page)
    assert plot in finished and finish_page(finished) == finished  # kept, and idempotent
    hostile = page.replace("<title ", '<script>alert(1)</script><a href="javascript:x()"><text>y</text></a><title ', 1)
    hostile = hostile.replace("<svg ", '<svg onload="alert(2)" ', 1)
    cleaned = finish_page(hostile)
    assert "<svg" in cleaned and "alert" not in cleaned and "javascript" not in cleaned and "<a " not in cleaned
    # a forged placeholder in the text: no plot is put back (and nothing unsafe appears)
    forged = finish_page(page.replace("<p>tekst</p>", '<p><span data-kb-plot="0"></span></p>'))
    assert "<svg" not in forged and "<script" not in forged


def test_hostile_text_in_an_appraisal_is_reported_and_escaped(tmp_path: Path) -> None:
    from conftest import check

    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "sources" / "jansen2020.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Computergegenereerde volgorde, verborgen toewijzing.", "<script>alert(1)</script>")
    text = text.replace("outcome: Terug naar hardlopen", 'outcome: "<img src=x onerror=alert(2)>"')
    text += "\n<iframe src=javascript:alert(3)></iframe>\n"
    path.write_text(text, encoding="utf-8")
    found = {(d.code, d.line) for d in check(root).diagnostics if d.file.endswith("jansen2020.md")}
    # the domain's line; the result's outcome line; a line of the notes
    assert {("unsafe-html", 8), ("unsafe-html", 16)} <= found
    assert any(code == "unsafe-html" and line > 25 for code, line in found)
    done = generate(root, settings(language="nl", disable=frozenset({"unsafe-html"})))
    page = next(f.text for f in done.files if f.path == "references/jansen2020.md")
    assert "<script" not in page and "<img" not in page and "<iframe" not in page and "onerror=" not in page.replace(
        "onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


#: results of bakker2019 besides its MD: a mean duration, a mean change given as mean +/- SD without an
#: interval, and a kappa (invented test data, like the rest of the fixture)
SINGLE_GROUP = """\
  - id: terugkeer-dagen
    outcome: Tijd tot terugkeer naar hardlopen
    comparison: Eén groep, na krachttraining
    measure: mean
    estimate: 44
    ci: [27, 61]
    unit: dagen
    quote: "runners returned after 44 days (95% CI 27 to 61 days)"
    locator: results
  - id: zwelling
    outcome: Peeszwelling
    comparison: Verandering binnen de groep na twaalf weken
    measure: mean
    estimate: -12
    sd: 13
    unit: "%"
    quote: "tendon swelling decreased (-12+/-13%)"
    locator: results
  - id: overeenstemming
    outcome: Diagnose door twee beoordelaars
    comparison: Beoordelaar A tegenover beoordelaar B
    measure: kappa
    estimate: 0.89
    ci: [0.74, 1.00]
    quote: "agreement was almost perfect (k=0.89, 95% CI 0.74 to 1.00)"
    locator: results
"""


def _cite(effect_id: str, quote: str) -> str:
    return (f"  - source: bakker2019\n    stance: supports\n    quote: \"{quote}\"\n    locator: results\n"
            f"    effect: {effect_id}\n")


@pytest.fixture(scope="module")
def single_group_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("single-group") / "kb"
    shutil.copytree(FIXTURE, root)
    source = root / "content" / "sources" / "bakker2019.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("    locator: abstract\n---", "    locator: abstract\n" + SINGLE_GROUP + "---"),
                      encoding="utf-8")
    claim = root / "content" / MD_CLAIM
    items = (_cite("terugkeer-dagen", "runners returned after 44 days (95% CI 27 to 61 days)")
             + _cite("zwelling", "tendon swelling decreased (-12+/-13%)")
             + _cite("overeenstemming", "agreement was almost perfect (k=0.89, 95% CI 0.74 to 1.00)"))
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("  - source: smit2017\n", items + "  - source: smit2017\n"), encoding="utf-8")
    return build(root)


def test_single_group_results_and_kappa_get_a_table_but_no_forest_plot(single_group_site: dict[str, str]) -> None:
    page = single_group_site[MD_CLAIM]
    # only the comparative result (the MD) is drawn; the three others are not on any axis
    [svg] = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert "MD" in svg and "dagen" not in svg and "0,89" not in svg
    tables = re.findall(r'<table class="kb-forest-table">.*?</table>', page, re.DOTALL)
    assert len(tables) == 4  # MD; mean in days; mean in %; kappa: every cited result stays in a table
    unplotted = [t for t in tables if "Resultaten zonder forest plot" in t]
    assert len(unplotted) == 3 and all("geen effect bij" not in t for t in unplotted)
    text = "".join(unplotted)
    assert '<td data-label="Maat">gemiddelde</td>' in text and '<td data-label="Maat">kappa</td>' in text
    assert "44 (27 tot 61) dagen" in text and "0,89 (0,74 tot 1,00)" in text
    # no interval in the source: the page says so instead of showing a bare number
    assert "\u221212% (SD 13%; geen betrouwbaarheidsinterval gerapporteerd)" in text


def test_source_page_and_sof_name_single_group_measures(single_group_site: dict[str, str]) -> None:
    source = single_group_site["references/bakker2019.md"]
    assert '<td data-label="Maat">gemiddelde</td>' in source and '<td data-label="Maat">MD</td>' in source
    assert "\u221212% (SD 13%; geen betrouwbaarheidsinterval gerapporteerd)" in source
    page = single_group_site["injuries/scheenbeenklachten.md"]
    table = page[page.index('<table class="kb-sof">'):]
    table = table[:table.index("</table>")]
    # a mean duration or a kappa is no relative effect: the column is headed 'Resultaat'
    assert '<th scope="col">Resultaat (95%-BI)</th>' in table and "Relatief effect" not in table
    assert "gemiddelde 44 (27 tot 61) dagen" in table and "kappa 0,89 (0,74 tot 1,00)" in table


def test_claims_json_says_which_results_compare_two_groups(single_group_site: dict[str, str]) -> None:
    import json

    claims = {c["id"]: c for c in json.loads(single_group_site["api/claims.json"])}
    effects = {e["effect"]["id"]: e["effect"] for e in claims["krachttraining-minder-pijn"]["evidence"]
               if e["effect"]}
    assert effects["pijn-na-12-weken"]["comparative"] is True and effects["pijn-na-12-weken"]["no_effect"] == 0
    swelling = effects["zwelling"]
    assert swelling["ci"] is None and swelling["sd"] == 13 and swelling["comparative"] is False
    assert swelling["no_effect"] is None and effects["overeenstemming"]["measure"] == "kappa"
