"""What a reader sees of the history: the claim page's Geschiedenis, the page Wat is er veranderd,
the feed link in every page's head, and a build without git."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SOURCE_DATE_EPOCH, settings
from git_history import HOSTILE, git, make_history_repo
from generator.pages.pipeline import generate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

REPO_URL = "https://git.example.org/redactie/kb"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("site-history") / "kb")


def pages(root: Path, **overrides: object) -> dict[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        generated = generate(root, settings(language="nl", **overrides))
    return {f.path: f.text for f in generated.files if f.path.endswith(".md")} | {
        f"head:{f.path}": f.head for f in generated.files if f.path.endswith(".md")}


def section(page: str, heading: str) -> str:
    return page.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def test_the_claim_page_shows_every_change_a_reader_should_see(repo: Path) -> None:
    history = section(pages(repo)["claims/rest-helps.md"], "Geschiedenis")
    items = re.findall(r"<li><time.*?</small></li>", history, re.S)
    assert len(items) == 8  # "Alleen opmaak" changed nothing a reader sees
    assert "Zekerheid: laag → matig" in history
    assert "Bron toegevoegd: Jones, 2021 (ondersteunt)" in history
    assert "Standpunt van Jones, 2021: ondersteunt → nuanceert" in history
    assert "Bewering anders geformuleerd; was: “Relative rest helps shin splints.”" in history
    assert "Andere gegevens aangepast, zoals de toelichting" in history
    assert "de versies zijn niet te vergelijken (een ervan is onleesbaar)" in history  # the broken version
    assert history.count('<mark class="kb-conclusion">conclusie gewijzigd</mark>') == 2  # certainty, stance
    # newest first, with the commit date and the reason
    assert history.index("Reden: Hersteld") < history.index("Reden: Eerste versie")
    assert '<time datetime="2026-03-01">1 maart 2026</time> · <strong>Gewijzigd</strong>' in history
    assert "Alleen opmaak" not in history


def test_the_changes_page_lists_the_latest_changes(repo: Path) -> None:
    page = pages(repo, repo_url=REPO_URL)["wijzigingen.md"]
    assert page.startswith('---\ntitle: "Wat is er veranderd"')
    # newest first: the removal, then the addition, of the claim about ice
    assert page.index("Ijs-bewering geschrapt") < page.index("Ijs-bewering toegevoegd") < page.index("Hersteld")
    assert "Ice helps shin splints. — verwijderd" in page  # no link: that claim has no page any more
    assert '<a href="../claims/rest-helps/">Relative rest helps most shin splints.</a> — gewijzigd' in page
    assert page.count("conclusie gewijzigd</mark>") == 2
    head = git(repo, "rev-parse", "HEAD").strip()
    assert f'<a href="{REPO_URL}/commit/{head}">wijziging {head[:7]}</a>' in page
    assert '<a href="../feed.xml">Atom</a>' in page


def test_commit_messages_are_escaped_everywhere(repo: Path) -> None:
    found = pages(repo)
    for name in ("claims/rest-helps.md", "wijzigingen.md"):
        assert "<script" not in found[name] and "<img" not in found[name], name
        assert html.escape(HOSTILE, quote=False) in found[name] or html.escape(HOSTILE) in found[name], name


def test_every_page_links_the_feed_in_its_head(repo: Path) -> None:
    found = pages(repo)
    heads = {name[5:]: text for name, text in found.items() if name.startswith("head:")}
    assert heads["index.md"].startswith('<link rel="alternate" type="application/atom+xml" href="feed.xml"')
    assert 'href="../../feed.xml"' in heads["claims/rest-helps.md"]
    assert '<script type="application/ld+json">' in heads["claims/rest-helps.md"]  # JSON-LD kept
    assert all('type="application/atom+xml"' in text for text in heads.values())
    published = pages(repo, site_url="https://kb.example.org/")
    assert 'href="https://kb.example.org/feed.xml"' in published["head:claims/rest-helps.md"]


def test_without_git_the_pages_say_there_is_no_history(repo: Path, tmp_path: Path) -> None:
    tarball = tmp_path / "tarball"
    shutil.copytree(repo, tarball, ignore=shutil.ignore_patterns(".git"))
    found = pages(tarball)
    assert "Geen wijzigingsgeschiedenis beschikbaar." in section(found["claims/rest-helps.md"], "Geschiedenis")
    assert "Geen wijzigingsgeschiedenis beschikbaar." in found["wijzigingen.md"]
    # cite-this-page still names a version: the build date that SOURCE_DATE_EPOCH fixes
    assert "<p>Versie van 1 juni 2026</p>" in found["claims/rest-helps.md"]


def test_the_version_is_the_last_content_commit(repo: Path) -> None:
    page = pages(repo)["claims/rest-helps.md"]
    head = git(repo, "rev-parse", "HEAD").strip()
    assert f"<p>Versie van 25 mei 2026 (wijziging {head[:7]})</p>" in page
    assert f"version = {{2026-05-25 ({head[:7]})}}" in page and f"ET  - 2026-05-25 ({head[:7]})" in page


def test_a_shallow_clone_says_the_history_is_incomplete(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True, capture_output=True)
    history = section(pages(clone)["claims/rest-helps.md"], "Geschiedenis")
    assert "onvolledige kopie van de geschiedenis" in history
    assert "Oudste versie in deze kopie" in history and "Toegevoegd" not in history


def test_the_site_builds_from_a_copy_without_git_and_reproducibly(repo: Path, tmp_path: Path) -> None:
    """`kb build` through MkDocs: from the repository twice (byte-identical), and from a tarball copy."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}

    def build(root: Path, out: Path) -> dict[str, bytes]:
        run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "--out", str(out)],
                             env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    first = build(repo, tmp_path / "a")
    clone = tmp_path / "elsewhere" / "kb"
    shutil.copytree(repo, clone)
    assert build(clone, tmp_path / "b") == first
    claim = first["claims/rest-helps/index.html"].decode("utf-8")
    assert "Zekerheid: laag → matig" in claim and '<link rel="alternate" type="application/atom+xml"' in claim
    assert "wijzigingen/index.html" in first and "feed.xml" in first

    tarball = tmp_path / "tarball"
    shutil.copytree(repo, tarball, ignore=shutil.ignore_patterns(".git"))
    plain = build(tarball, tmp_path / "c")
    assert "Geen wijzigingsgeschiedenis beschikbaar." in plain["claims/rest-helps/index.html"].decode("utf-8")


def test_the_dutch_pages_use_no_english_words(repo: Path) -> None:
    """Every word the history adds to a Dutch page is Dutch (the English labels appear nowhere)."""
    from generator.core import i18n

    found = pages(repo, repo_url=REPO_URL)
    pages_text = found["wijzigingen.md"] + section(found["claims/rest-helps.md"], "Geschiedenis")
    # what a reader reads: text and the feed link's title, not tag names or addresses
    text = re.sub(r"<[^>]+>", " ", pages_text) + re.search(r'title="([^"]+)"', found["head:index.md"]).group(1)
    assert i18n.HISTORY["nl"].keys() == i18n.HISTORY["en"].keys()
    for key, english in i18n.HISTORY["en"].items():
        if english == i18n.HISTORY["nl"][key]:
            continue  # e.g. "Atom", a name
        for fragment in re.split(r"\{\w+\}", english):
            fragment = fragment.strip(" :;.()“”")
            if len(fragment) > 3:
                assert fragment not in text, (key, fragment)
    for word in ("History", "Changed", "Added", "Removed", "Reason", "commit", "feed"):
        assert not re.search(rf"\b{word}\b", text, re.I), word


def test_repo_url_in_mkdocs_yml_links_each_change_to_its_commit(repo: Path, tmp_path: Path) -> None:
    project = tmp_path / "kb"
    shutil.copytree(repo, project)
    shipped = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(f"repo_url: {REPO_URL}\n" + shipped, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(project), "--out",
                          str(tmp_path / "site")], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    head = git(project, "rev-parse", "HEAD").strip()
    page = (tmp_path / "site" / "wijzigingen" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{REPO_URL}/commit/{head}">wijziging {head[:7]}</a>' in page
    claim = (tmp_path / "site" / "claims" / "rest-helps" / "index.html").read_text(encoding="utf-8")
    assert f'href="{REPO_URL}/commit/' in claim.split('id="geschiedenis"', 1)[1]


def test_readers_see_only_reasons_written_for_them(repo: Path, tmp_path: Path) -> None:
    """The developer's subject line is never shown; a change without a 'Reden:' trailer has no reason."""
    from git_history import CLAIM_FILE, SUBJECT, commit

    copy = tmp_path / "kb"
    shutil.copytree(repo, copy)
    path = copy / CLAIM_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("reviewed: 2026-01-01", "reviewed: 2026-06-01"),
                    encoding="utf-8")
    commit(copy, "Audit claims 21-30 of batch 1: re-reviewed", "2026-06-02T12:00:00+02:00")
    site = pages(copy)
    feed = generate(copy, settings(language="nl")).files
    feed_text = next(f.text for f in feed if f.path == "feed.xml")
    for text in (site["claims/rest-helps.md"], site["wijzigingen.md"], feed_text):
        assert SUBJECT not in text and "Audit claims" not in text
    history = section(site["claims/rest-helps.md"], "Geschiedenis")
    newest = re.findall(r"<li><time.*?</small></li>", history, re.S)[0]
    assert "Opnieuw beoordeeld op" in newest and "Reden:" not in newest
