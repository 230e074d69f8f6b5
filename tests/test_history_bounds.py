"""Whatever git stores, the history reader gives a history, never a traceback or a blow-up (issue 18).

A pull request can carry any git object: a commit dated with the zone +9959 or in the year
10000 (finding 10), a gitlink (a submodule's commit, mode 160000) in content/claims/ (finding 11),
old versions of a claim of hundreds of megabytes (finding 12).  The build must go on, the other
claims' histories must stay right, and an oversized version must not be read at all.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLAIM
from git_history import CLAIM_FILE, commit, edit, git, make_history_repo
from generator.changes.history import read_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
KB = str(Path(sys.executable).with_name("kb"))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history_repo(tmp_path_factory.mktemp("bounds") / "kb")


def _copy(repo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kb"
    shutil.copytree(repo, copy, symlinks=True)
    return copy


def _raw_commit(root: Path, committer_date: str, message: str = "Datum uit de toekomst") -> str:
    """A commit of the work tree with a committer date git itself would refuse to write (hash-object --literally)."""
    git(root, "add", "-A")
    tree = git(root, "write-tree").strip()
    parent = git(root, "rev-parse", "HEAD").strip()
    body = (f"tree {tree}\nparent {parent}\nauthor R <r@example.org> 1767225600 +0100\n"
            f"committer R <r@example.org> {committer_date}\n\n{message}\n\nReden: {message}\n")
    made = subprocess.run(["git", "-C", str(root), "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
                          input=body, capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-ref", "HEAD", made)
    return made


def _pages_only(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KB, "build", "--pages-only", str(out)], cwd=root, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})


DATES = {
    "zone +9959": ("1767225600 +9959", _dt.date(2026, 1, 1)),
    "zone -9959": ("1767225600 -9959", _dt.date(2026, 1, 1)),
    "zone +2400": ("1767225600 +2400", _dt.date(2026, 1, 1)),
    "zone +0099": ("1767225600 +0099", _dt.date(2026, 1, 1)),
    "year 10000": ("253402300800 +0000", _dt.date(9999, 12, 31)),
    "year 10000 west": ("253402300799 -1200", _dt.date(9999, 12, 31)),
    "year 3 million": ("99999999999999 -0100", _dt.date(9999, 12, 31)),
    "time 0": ("0 +0000", _dt.date(1970, 1, 1)),
}


@pytest.mark.parametrize("name", sorted(DATES))
def test_an_impossible_committer_date_is_a_date_not_a_crash(repo: Path, tmp_path: Path, name: str) -> None:
    root = _copy(repo, tmp_path)
    stored, expected = DATES[name]
    edit(root, CLAIM_FILE, "Rest for two to four weeks.", "Rest for three weeks.")
    _raw_commit(root, stored)
    found = read_history(root)
    assert found.available
    assert found.version is not None and found.version.date == expected
    newest = found.of("rest-helps")[0]
    assert newest.commit.reason == "Datum uit de toekomst" and newest.commit.date == expected
    assert newest.commit.when.astimezone(_dt.timezone.utc).date() == expected  # converts without overflow
    done = _pages_only(root, tmp_path / "pages")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]


def _gitlink(root: Path, path: str, target: str) -> None:
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{target},{path}")


def _histories(root: Path) -> dict[str, list[tuple[str, str, str]]]:
    found = read_history(root)
    return {k: [(e.kind, e.commit.reason, e.statement) for e in v] for k, v in found.claims.items()}


@pytest.mark.parametrize("target", ["an existing commit", "a missing commit", "the current tree"])
def test_a_gitlink_among_the_claims_does_not_mix_up_histories(repo: Path, tmp_path: Path, target: str) -> None:
    root = _copy(repo, tmp_path)
    before = _histories(root)
    sha = {"an existing commit": git(root, "rev-parse", "HEAD~3").strip(),
           "a missing commit": "1234567" * 5 + "89abc",
           "the current tree": git(root, "rev-parse", "HEAD^{tree}").strip()}[target]
    # a gitlink named like a claim, one named like another claim's file, then one replaced by a real file
    _gitlink(root, "content/claims/sub-claim.md", sha)
    _gitlink(root, "content/claims/zz-last.md", sha)
    git(root, "commit", "-q", "-m", "Submodule toegevoegd")
    git(root, "rm", "-q", "--cached", "content/claims/zz-last.md")
    (root / "content/claims/zz-last.md").write_text(CLAIM.replace("Relative rest helps", "Zz helps"), encoding="utf-8")
    commit(root, "Submodule werd een bewering\n\nReden: Submodule werd een bewering", "2026-06-01T12:00:00+02:00")
    edit(root, CLAIM_FILE, "Rest for two to four weeks.", "Rest for three weeks.")
    commit(root, "Na de submodule\n\nReden: Na de submodule", "2026-06-02T12:00:00+02:00")
    after = _histories(root)
    assert after["rest-helps"][1:] == before["rest-helps"]  # the other claims' histories are untouched
    assert after["rest-helps"][0][1] == "Na de submodule"
    assert after["ice-helps"] == before["ice-helps"]
    assert "sub-claim" not in after  # a submodule is no claim
    assert after["zz-last"] == [("added", "Submodule werd een bewering", "")]


def _peak_of_read_history(root: Path) -> tuple[int, str]:
    """(growth of the peak memory in KB while read_history runs, the kinds it found), in a fresh process."""
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from generator.changes import history\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "found = history.read_history(Path(sys.argv[1]))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(after - before, ','.join(e.kind + ('' if e.change else '-') for e in found.of('rest-helps')[:3]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=300,
                          check=True)
    grown, kinds = done.stdout.split()
    return int(grown), kinds


def test_old_versions_larger_than_the_limit_are_never_read(repo: Path, tmp_path: Path) -> None:
    """Finding 12: two 40 MB versions (a few KB in .git) must not be read into memory."""
    root = _copy(repo, tmp_path)
    path = root / CLAIM_FILE
    good = path.read_bytes()
    for size in (40, 41):  # two different huge versions, then the claim back as it was
        path.write_bytes(good + b"\0" * (size * 1024 * 1024))
        commit(root, f"Enorm ({size} MB)", "2026-06-01T12:00:00+02:00")
    path.write_bytes(good.replace(b"Rest for two to four weeks.", b"Rest for three weeks."))
    commit(root, "Weer normaal", "2026-06-02T12:00:00+02:00")
    grown_kb, kinds = _peak_of_read_history(root)
    # the three newest entries are all "changed" without detail (an unread version has none)
    assert kinds == "changed-,changed-,changed-"
    assert grown_kb < 20 * 1024, f"reading the history grew the peak memory by {grown_kb // 1024} MB"


def test_the_build_goes_on_with_a_submodule_and_a_huge_version(repo: Path, tmp_path: Path) -> None:
    root = _copy(repo, tmp_path)
    _gitlink(root, "content/claims/sub-claim.md", git(root, "rev-parse", "HEAD~1").strip())
    path = root / CLAIM_FILE
    good = path.read_bytes()
    path.write_bytes(good + b"\0" * (3 * 1024 * 1024))
    git(root, "add", CLAIM_FILE)
    git(root, "commit", "-q", "-m", "Groot")  # the submodule and the large version together
    git(root, "rm", "-q", "--cached", "content/claims/sub-claim.md")
    path.write_bytes(good)
    git(root, "add", CLAIM_FILE)
    git(root, "commit", "-q", "-m", "Klein")
    done = _pages_only(root, tmp_path / "pages")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]



def test_kb_diff_never_reads_an_old_version_over_its_limit(repo: Path, tmp_path: Path) -> None:
    """`kb diff` reads the old revision through the same layer: a 40 MB old claim is not read."""
    root = _copy(repo, tmp_path)
    path = root / CLAIM_FILE
    good = path.read_bytes()
    path.write_bytes(good + b"\0" * (40 * 1024 * 1024))
    (root / "content/claims/link.md").symlink_to("/etc/passwd")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Enorm, en een link")
    huge = git(root, "rev-parse", "HEAD").strip()
    path.write_bytes(good)
    (root / "content/claims/link.md").unlink()
    commit(root, "Weer normaal", "2026-06-02T12:00:00+02:00")
    code = (
        "import sys, tracemalloc\n"
        "from pathlib import Path\n"
        "from generator.commands.diff import diff_markdown\n"
        "from generator.intake.config import load_settings\n"
        "root = Path(sys.argv[1])\n"
        "settings, _ = load_settings(root)\n"
        "from generator.checks.check import run_check\n"
        "run_check(root, settings)\n"  # once before measuring: the checkers' one-time tables are not the point
        "tracemalloc.start()\n"
        "text = diff_markdown(root, sys.argv[2], settings)\n"
        "print(tracemalloc.get_traced_memory()[1] // 1024)\n"  # the peak of what Python held, in KB
        "print(text)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(root), huge], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1780272000"})
    assert done.returncode == 0, done.stderr[-2000:]
    grown, text = done.stdout.split("\n", 1)
    assert int(grown) < 20 * 1024, f"kb diff grew the peak memory by {int(grown) // 1024} MB"
    assert "root:" not in text  # the link to /etc/passwd was not followed
    assert "rest-helps" in text  # too large then (not loaded), back now: shown as added
