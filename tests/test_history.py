"""generator/changes/history.py: each claim's history from git, as data.

The pages and the feed built from it are tested in test_history_site.py.
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from git_history import CLAIM_FILE, COMMITS, HOSTILE, commit, git, make_history_repo
from generator.changes import history
from generator.changes.history import read_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("history") / "kb")


def test_each_commit_says_what_changed_for_the_reader(repo: Path) -> None:
    found = read_history(repo)
    assert found.available and not found.incomplete
    entries = found.of("rest-helps")
    # newest first; the reformatting commit ("Alleen opmaak") changed nothing a reader sees
    assert [e.commit.reason for e in entries] == [
        "Hersteld", "Kapotte versie", HOSTILE, "Jones nuanceert", "Bron Jones toegevoegd",
        "Nieuwe trial: zekerheid omhoog", "Bewering preciezer", "Eerste versie"]
    restored, broken, note, restance, gained, certainty, statement, first = entries
    assert first.kind == "added"
    assert statement.change.statement == ("Relative rest helps shin splints.", "Relative rest helps most shin splints.")
    assert not statement.conclusion_changed
    assert certainty.change.certainty == ("low", "moderate") and certainty.conclusion_changed
    assert gained.change.gained == (("jones2021", "supports"),) and not gained.conclusion_changed
    assert restance.change.restanced == (("jones2021", "supports", "qualifies"),) and restance.conclusion_changed
    assert note.change.other and not note.change.evidence_changed
    # a version that does not parse: "changed", without detail, and no crash
    assert broken.kind == restored.kind == "changed" and broken.change is None and restored.change is None


def test_dates_and_hashes_come_from_the_commits(repo: Path) -> None:
    entries = read_history(repo).of("rest-helps")
    assert entries[-1].commit.when == _dt.datetime.fromisoformat(COMMITS[0][1])
    assert entries[-1].commit.date == _dt.date(2026, 1, 10)
    full = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert entries[-1].commit.hash == full and entries[-1].commit.short == full[:7]


def test_removed_claims_keep_their_last_statement(repo: Path) -> None:
    found = read_history(repo)
    removed, added = found.of("ice-helps")
    assert (removed.kind, removed.statement, removed.commit.reason) == (
        "removed", "Ice helps shin splints.", "Ijs-bewering geschrapt: geen bewijs")
    assert (added.kind, added.statement) == ("added", "Ice helps shin splints.")
    # the latest changes across the knowledge base, newest first
    assert [(e.claim, e.kind) for e in found.latest[:3]] == [
        ("ice-helps", "removed"), ("ice-helps", "added"), ("rest-helps", "changed")]


def test_the_version_is_the_last_commit_that_changed_the_content(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(repo, copy)
    head = git(copy, "rev-parse", "HEAD").strip()
    assert read_history(copy).version.hash == head
    (copy / "README.md").write_text("only the code changed\n", encoding="utf-8")
    commit(copy, "README", "2026-06-01T12:00:00+02:00")
    assert read_history(copy).version.hash == head


def test_no_git_means_no_history_and_no_crash(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tarball = tmp_path / "tarball"
    shutil.copytree(repo, tarball, ignore=shutil.ignore_patterns(".git"))
    assert read_history(tarball) == history.NO_HISTORY
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # git not installed
    assert read_history(repo) == history.NO_HISTORY


def test_a_project_inside_another_repository_has_no_history(repo: Path, tmp_path: Path) -> None:
    """A knowledge base in a sub-folder (such as a test fixture) must not show the outer repository's commits."""
    outer = tmp_path / "outer"
    shutil.copytree(repo, outer)
    shutil.copytree(repo, outer / "sub", ignore=shutil.ignore_patterns(".git"))
    commit(outer, "sub", "2026-06-01T12:00:00+02:00")
    assert not read_history(outer / "sub").available
    assert read_history(outer).available


def test_a_shallow_clone_says_its_history_is_incomplete(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True, capture_output=True)
    found = read_history(clone)
    assert found.available and found.incomplete
    # the oldest visible version is not an addition: history before it is unknown
    assert [e.kind for e in found.of("rest-helps")] == ["earliest"]
    assert found.latest == ()  # the clone's edge is no change to announce


def test_histories_are_capped(tmp_path: Path) -> None:
    root = make_history_repo(tmp_path / "kb")
    path = root / CLAIM_FILE
    for n in range(history.LATEST + 5):
        day = _dt.date(2026, 6, 1) + _dt.timedelta(days=n)
        path.write_text(re.sub(r"reviewed: .*", f"reviewed: {day}", path.read_text(encoding="utf-8")), encoding="utf-8")
        commit(root, f"Review {n}\n\nReden: Herbeoordeeld {n}", f"{day}T12:00:00+00:00")
    found = read_history(root)
    assert len(found.of("rest-helps")) == history.PER_CLAIM
    assert len(found.latest) == history.LATEST
    assert found.latest[0].commit.reason == f"Herbeoordeeld {history.LATEST + 4}"
    assert found.latest[0].change.reviewed[1] == _dt.date(2026, 6, 1) + _dt.timedelta(days=history.LATEST + 4)


def test_two_processes_give_the_same_history(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = read_history(repo)
    monkeypatch.setattr(history, "PARALLEL_CHANGES", 1)
    monkeypatch.setattr(history, "_MEANING", {})  # nothing remembered from the first run
    assert read_history(repo) == one


def test_only_a_reason_trailer_is_shown_never_the_subject(tmp_path: Path) -> None:
    """Readers get the 'Reden:' trailer written for them; the developer's subject line is never shown."""
    root = make_history_repo(tmp_path / "kb")
    path = root / CLAIM_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("certainty: moderate", "certainty: high"), encoding="utf-8")
    commit(root, "bump certainty\n\nReden: Tweede grote trial bevestigt het effect", "2026-06-01T12:00:00+02:00")
    [latest] = read_history(root).of("rest-helps")[:1]
    assert latest.commit.reason_in("nl") == "Tweede grote trial bevestigt het effect"
    assert latest.commit.reason_in("en") == ""  # an English site would show no reason for it
    path.write_text(path.read_text(encoding="utf-8").replace("certainty: high", "certainty: moderate"), encoding="utf-8")
    commit(root, "Audit claims 21-30 of batch 1: lowered", "2026-06-02T12:00:00+02:00")
    [latest] = read_history(root).of("rest-helps")[:1]
    assert latest.commit.reasons == () and latest.commit.reason == ""


def test_a_header_that_is_not_ours_is_skipped_not_a_crash() -> None:
    good = "\x1e" + "a" * 40 + "\x1f1767225600\x1f2026-01-01T00:00:00+00:00\x1fTitel\x1f\x1fbody"
    raw = (f"\x1ebroken\0\n:100644 100644 {'1' * 40} {'2' * 40} M\0content/claims/x.md\0"
           f"{good}\0\n:100644 100644 {'3' * 40} {'4' * 40} M\0content/claims/y.md\0").encode()
    [(commit, changes)] = list(history._walk(raw))
    assert commit.reason == "Titel" and changes == [("3" * 40, "4" * 40, "M", "content/claims/y.md")]


def test_commit_subjects_become_one_line_of_plain_text() -> None:
    assert history.clean_text("a\x00b\x1bc\ufffe d\n e") == "a b c d e"
    long = history.clean_text("x" * 500)
    assert len(long) == history.MAX_REASON and long.endswith("…")


def test_kb_diff_and_check_since_list_content_commits_without_a_reason(tmp_path: Path) -> None:
    from conftest import settings
    from generator.changes.reasons import reason_diagnostics
    from generator.commands.diff import diff_markdown

    root = make_history_repo(tmp_path / "kb")
    base = git(root, "rev-parse", "HEAD").strip()
    path = root / CLAIM_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("Rest for two", "Rest for three"), encoding="utf-8")
    commit(root, "Audit claims 21-30 of batch 1", "2026-06-01T12:00:00+02:00")
    (root / "README.md").write_text("code\n", encoding="utf-8")
    commit(root, "Only code", "2026-06-02T12:00:00+02:00")
    report = diff_markdown(root, base, settings())
    assert "### Content commits without a reason for readers (1)" in report and "“Audit claims 21-30 of batch 1”" in report
    [d] = reason_diagnostics(root, base, "nl")
    assert (d.code, d.file) == ("missing-reason", CLAIM_FILE) and "'Reden:' trailer" in d.message
    assert reason_diagnostics(root, "HEAD", "nl") == []


def test_a_wrapped_reason_paragraph_is_the_reason() -> None:
    """Editors wrap their `Reden:` like any paragraph; git reads no trailer then, kb still does."""
    body = ("Why, for developers.\n\nReden: de samenvatting was onvolledig\nopgeslagen; nu staat de\n"
            "conclusie erbij.\nCo-authored-by: A <a@example.org>\n")
    assert history.paragraph_reason(body, "Reden") == \
        "de samenvatting was onvolledig opgeslagen; nu staat de conclusie erbij."
    assert history.paragraph_reason("No reason here.\n\nReason: English\n", "Reden") == ""
