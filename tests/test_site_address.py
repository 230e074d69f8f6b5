"""The published address: a build with SITE_URL carries it everywhere, a build without claims none.

Canonical links, sitemap.xml, the JSON-LD and the Atom feed name the site's
address.  Without SITE_URL there is no address to name: no page may then
carry a made-up one such as http://127.0.0.1:8000/ (only `kb serve` has a
local address, and sets it itself).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from conftest import SOURCE_DATE_EPOCH, make_project

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "https://kb.example.org/hardlopen/"
#: files a reader or a crawler gets (the theme's own JavaScript source maps mention localhost in comments)
PAGES = ("*.html", "*.xml", "*.json")


def build(project: Path, out: Path, site_url: str | None) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    if site_url:
        env["SITE_URL"] = site_url
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(project), "--out", str(out)],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("address") / "kb")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # the shipped configuration
    return root


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for pattern in PAGES for p in sorted(site.rglob(pattern))}


def test_without_site_url_no_page_claims_an_address(project: Path, tmp_path: Path) -> None:
    site = build(project, tmp_path / "site", None)
    found = pages(site)
    assert "index.html" in found and "sitemap.xml" in found and "feed.xml" in found
    for name, text in found.items():
        assert "127.0.0.1" not in text and "localhost" not in text, name
        assert 'rel="canonical"' not in text, name
    assert "<loc>" not in found["sitemap.xml"]
    feed = feedparser.parse(found["feed.xml"])
    assert not feed.bozo and all(not link.href.startswith("http") for link in feed.feed.links)


def test_site_url_reaches_canonical_links_sitemap_json_ld_and_feed(project: Path, tmp_path: Path) -> None:
    site = build(project, tmp_path / "site", ADDRESS)
    found = pages(site)
    claim = found["claims/rest-helps/index.html"]
    assert f'<link rel="canonical" href="{ADDRESS}claims/rest-helps/">' in claim
    locs = re.findall(r"<loc>([^<]+)</loc>", found["sitemap.xml"])
    assert f"{ADDRESS}claims/rest-helps/" in locs and all(loc.startswith(ADDRESS) for loc in locs)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', claim, re.S).group(1))
    assert data["url"] == f"{ADDRESS}claims/rest-helps/"
    feed = feedparser.parse(found["feed.xml"])
    assert not feed.bozo and feed.feed.id == f"{ADDRESS}feed.xml"
    assert {link.rel: link.href for link in feed.feed.links} == {"alternate": f"{ADDRESS}wijzigingen/",
                                                                 "self": f"{ADDRESS}feed.xml"}
    for name, text in found.items():
        assert "127.0.0.1" not in text, name


def test_an_unsafe_site_url_is_not_published(project: Path, tmp_path: Path) -> None:
    """MkDocs refuses a site_url that is not a URL; our own outputs never take one that is not http(s)."""
    from generator.core.urls import web_address

    assert web_address("javascript:alert(1)//") is None
    assert web_address('https://x.org/"><script>') is None
    assert web_address("https://x.org/kb", folder=True) == "https://x.org/kb/"
