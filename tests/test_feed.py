"""/feed.xml: the latest changes as Atom 1.0, read back with a real feed parser (feedparser)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import settings
from git_history import HOSTILE, git, make_history_repo
from generator.pages.pipeline import generate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("feed") / "kb")


def feed_of(root: Path, **overrides: object) -> bytes:
    files = {f.path: f.data for f in generate(root, settings(language="nl", **overrides)).files}
    return files["feed.xml"]


def test_the_feed_is_valid_atom_with_every_change(repo: Path) -> None:
    parsed = feedparser.parse(feed_of(repo))
    assert parsed.version == "atom10" and not parsed.bozo, parsed.get("bozo_exception")
    titles = [e.title for e in parsed.entries]
    assert titles[:2] == ["Verwijderd: Ice helps shin splints.", "Toegevoegd: Ice helps shin splints."]
    assert "Conclusie gewijzigd: Relative rest helps most shin splints." in titles
    by_reason = {e.summary.rsplit("Reden: ", 1)[1].removesuffix("</p>"): e for e in parsed.entries}
    assert "Zekerheid: laag → matig" in by_reason["Nieuwe trial: zekerheid omhoog"].summary
    assert "Bron toegevoegd: Jones, 2021 (ondersteunt)" in by_reason["Bron Jones toegevoegd"].summary
    assert "Standpunt van Jones, 2021: ondersteunt → nuanceert" in by_reason["Jones nuanceert"].summary
    assert "Bewering anders geformuleerd; was: “Relative rest helps shin splints.”" in \
        by_reason["Bewering preciezer"].summary
    for entry in parsed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.updated_parsed
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_commit_messages_cannot_inject_markup(repo: Path) -> None:
    raw = feed_of(repo)
    assert b"<script" not in raw and b"<img" not in raw
    parsed = feedparser.parse(raw)
    hostile = [e for e in parsed.entries if "alert" in e.summary]
    assert len(hostile) == 1
    # the reader sees the message as text: still escaped once inside the (HTML) summary
    assert "&lt;script&gt;" in hostile[0].summary and "<script" not in hostile[0].summary


def test_links_without_and_with_a_published_address(repo: Path) -> None:
    plain = feed_of(repo)
    assert b"127.0.0.1" not in plain and b"localhost" not in plain and b"http://" not in plain.split(b"?>", 1)[1] \
        .replace(b"http://www.w3.org/2005/Atom", b"")
    parsed = feedparser.parse(plain)
    entry = next(e for e in parsed.entries if "rest-helps" in e.link)
    assert entry.link == "claims/rest-helps/"

    published = feedparser.parse(feed_of(repo, site_url="https://kb.example.org/sub/",
                                         repo_url="https://git.example.org/team/kb"))
    assert not published.bozo
    assert published.feed.id == "https://kb.example.org/sub/feed.xml"
    entry = next(e for e in published.entries if "rest-helps" in e.link)
    assert entry.link == "https://kb.example.org/sub/claims/rest-helps/"
    related = [link.href for link in entry.links if link.rel == "related"]
    assert len(related) == 1 and related[0].startswith("https://git.example.org/team/kb/commit/")
    assert git(repo, "cat-file", "-t", related[0].rsplit("/", 1)[1]).strip() == "commit"
    # the ids do not depend on the address: moving the site re-announces nothing
    assert [e.id for e in published.entries] == [e.id for e in parsed.entries]


def test_without_git_the_feed_is_empty_and_valid(repo: Path, tmp_path: Path) -> None:
    tarball = tmp_path / "tarball"
    shutil.copytree(repo, tarball, ignore=shutil.ignore_patterns(".git"))
    parsed = feedparser.parse(feed_of(tarball))
    assert parsed.version == "atom10" and not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated.startswith("2026-06-01")  # the build date (SOURCE_DATE_EPOCH), not the clock


def test_the_feed_is_reproducible(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)
    assert feed_of(repo) == feed_of(clone)
