"""`kb build` of the shipped knowledge base: the site a reader gets."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "site"
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(ROOT), "--out", str(out),
                          "--strict"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


def test_home_page_exists_and_is_dutch(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in html
    assert "Bewijskaart" in html and 'class="kb-map"' in html


def test_every_entity_claim_and_source_has_a_page(site):
    for folder in ("injuries/achilles-tendinopathy", "claims", "references/arnold2018", "references/brody1982"):
        assert (site / folder / "index.html").is_file(), folder


def test_citations_link_to_source_pages(site):
    html = (site / "injuries" / "achilles-tendinopathy" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="kb-cite"[^>]*href="([^"]+)"', html)
    assert links
    for href in links:
        target = (site / "injuries" / "achilles-tendinopathy" / href).resolve() / "index.html"
        assert target.is_file(), href


def test_source_page_links_doi_and_pubmed(site):
    html = (site / "references" / "vanpoppel2021" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://doi.org/10.1016/j.jshs.2020.06.006"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/32535271/"' in html


def test_claim_pages_carry_json_ld(site):
    claim_dir = next(p for p in sorted((site / "claims").iterdir()) if p.is_dir())
    html = (claim_dir / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m
    data = json.loads(m.group(1))
    assert data["@type"] == "Claim" and data["citation"]


def test_exports(site):
    claims = json.loads((site / "api" / "claims.json").read_text(encoding="utf-8"))
    refs = json.loads((site / "api" / "references.json").read_text(encoding="utf-8"))
    assert {"id", "url", "statement", "type", "certainty", "evidence", "injuries"} <= set(claims[0])
    assert any(r["id"] == "vanpoppel2021" and r["DOI"] == "10.1016/j.jshs.2020.06.006" for r in refs)


def test_no_request_leaves_the_site(site):
    """No fonts, scripts, styles or images from another host."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*>', html):
            if re.search(r'rel="(?:canonical|alternate)"', tag):
                continue  # a canonical link names the page's address; the browser fetches nothing
            if re.search(r'(?:src|href)="(?:https?:)?//', tag):
                pytest.fail(f"{page}: {tag} loads from another host")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_navigation_stays_small(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert nav.count("/claims/") <= 2  # the claims index, not every claim
    assert "references/arnold2018" not in nav


def test_no_english_theme_credit(site):
    """Material's footer credit has no Dutch translation; the site leaves it out."""
    for page in ("index.html", "injuries/achilles-tendinopathy/index.html"):
        assert "Made with" not in (site / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("word, page", [
    ("achillespees", "injuries/achilles-tendinopathy/"),
    ("scheenbeenvliesontsteking", "injuries/medial-tibial-stress-syndrome/"),
    ("hielspoor", "injuries/plantar-fasciopathy/"),
])
def test_dutch_aliases_are_in_the_search_index(site, word, page):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"]
    hits = {doc["location"].split("#")[0] for doc in index["docs"] if word in doc["text"].lower()
            or word in doc["title"].lower() or word in " ".join(doc.get("tags", ())).lower()}
    assert page in hits


def test_a_search_term_is_searched_but_not_shown_as_another_name(site):
    """`hielspoor` is a search term of plantar fasciopathy, not an alias: the page's own search entry
    carries it (as Material's tags, weighed like the aliases), the page does not call it another name."""
    page = (site / "injuries" / "plantar-fasciopathy" / "index.html").read_text(encoding="utf-8")
    shown = re.search(r"Ook bekend als:([^<]*)<", page)
    assert shown and "fasciitis plantaris" in shown.group(1) and "hielspoor" not in shown.group(1)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    own = next(doc for doc in index["docs"] if doc["location"] == "injuries/plantar-fasciopathy/")
    assert "hielspoor" in own["tags"] and "fasciitis plantaris" in own["tags"]


def _git(*args: str) -> str | None:
    try:
        run = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    except OSError:
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def test_claim_pages_show_their_history_from_this_repository(site):
    """The shipped knowledge base's history comes from this repository's own commits."""
    html = (site / "claims" / "rapid-load-increase-risk" / "index.html").read_text(encoding="utf-8")
    history = html.split('id="geschiedenis"', 1)[1].split("<h2", 1)[0]
    if _git("rev-parse", "--show-toplevel") != str(ROOT):
        assert "Geen wijzigingsgeschiedenis beschikbaar." in history  # built from a copy without git
        return
    last = _git("log", "-1", "--format=%H", "--", "content/claims/rapid-load-increase-risk.md")
    assert f"wijziging {last[:7]}" in history
    if _git("rev-parse", "--is-shallow-repository") == "false":
        # the commit that added a qualifying source to this claim
        assert "Bron toegevoegd: van Gent et al., 2007 (nuanceert)" in history


def test_changes_page_and_feed(site):
    import feedparser

    page = (site / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"wat-is-er-veranderd\">Wat is er veranderd" in page
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.version == "atom10" and not feed.bozo
    if _git("rev-parse", "--show-toplevel") == str(ROOT):
        assert feed.entries and all(e.link.startswith(("claims/", "wijzigingen/")) for e in feed.entries)


def test_every_page_links_the_feed_and_claims_no_local_address(site):
    for page in site.rglob("*.html"):
        if page.parent.name == "admin":
            continue  # the browser editor, not a reader's page (tests/test_cms.py)
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        assert "127.0.0.1" not in html and "localhost" not in html, page
        if page.name == "404.html":
            continue  # the theme's own page, served at any address: a relative link would not resolve
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" href="[./]*feed\.xml"', head), page
