"""A small knowledge base with a git history, for the history, feed and changes-page tests.

Every commit has a fixed date, so the history (and the pages built from it)
is the same on every run.  HOSTILE is a commit subject that tries to inject
markup into the pages and the feed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import BIB, CLAIM, make_project

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> ]]>'
JONES = """
@article{jones2021,
  author = {Jones, Bea},
  title = {A trial of relative rest},
  journal = {Journal of Running},
  year = {2021},
}
"""
OTHER_CLAIM = CLAIM.replace("Relative rest helps shin splints.", "Ice helps shin splints.")


def git(root: Path, *args: str, date: str = "2026-01-10T12:00:00+01:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    run = subprocess.run(["git", "-C", str(root), "-c", "user.name=Redactie", "-c", "user.email=r@example.org",
                          "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                         env=env, capture_output=True, text=True, check=True)
    return run.stdout


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "--allow-empty", "-m", message, date=date)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CLAIM_FILE = "content/claims/rest-helps.md"

#: the subject line of every commit in make_history_repo: developer text, never shown to readers
SUBJECT = "Update content files"
#: (reason for readers, date) of each commit in make_history_repo, oldest first; each message is
#: SUBJECT, a blank line and "Reden: <reason>"
COMMITS = [
    ("Eerste versie", "2026-01-10T12:00:00+01:00"),
    ("Bewering preciezer", "2026-02-01T12:00:00+01:00"),
    ("Nieuwe trial: zekerheid omhoog", "2026-03-01T12:00:00+01:00"),
    ("Bron Jones toegevoegd", "2026-04-01T12:00:00+01:00"),
    ("Jones nuanceert", "2026-05-01T12:00:00+01:00"),
    (HOSTILE, "2026-05-10T12:00:00+02:00"),
    ("Kapotte versie", "2026-05-15T12:00:00+02:00"),
    ("Hersteld", "2026-05-20T12:00:00+02:00"),
    ("Alleen opmaak", "2026-05-21T12:00:00+02:00"),
    ("Ijs-bewering toegevoegd", "2026-05-22T12:00:00+02:00"),
    ("Ijs-bewering geschrapt: geen bewijs", "2026-05-25T12:00:00+02:00"),
]


def make_history_repo(root: Path) -> Path:
    """The BASE project, then one commit per change a reader should see in the history."""
    make_project(root, {"references.bib": BIB + JONES})
    git(root, "init", "-q")
    steps = iter(COMMITS)

    def step() -> None:
        reason, date = next(steps)
        commit(root, f"{SUBJECT}\n\nReden: {reason}", date)

    step()
    edit(root, CLAIM_FILE, "Relative rest helps shin splints.", "Relative rest helps most shin splints.")
    step()
    edit(root, CLAIM_FILE, "certainty: low", "certainty: moderate")
    # the profile carries the new certainty (kb check: certainty-mismatch otherwise)
    edit(root, CLAIM_FILE, "grade: {start: low}",
         "grade: {start: low, large_effect: {rating: large, reason: Large effect.}}")
    step()
    edit(root, CLAIM_FILE, "    stance: supports\n",
         "    stance: supports\n  - source: jones2021\n    stance: supports\n    quote: Rest helped.\n    locator: p. 3\n")
    step()
    edit(root, CLAIM_FILE, "  - source: jones2021\n    stance: supports", "  - source: jones2021\n    stance: qualifies")
    step()
    edit(root, CLAIM_FILE, "Rest for a few weeks.", "Rest for two to four weeks.")
    step()
    good = (root / CLAIM_FILE).read_text(encoding="utf-8")
    (root / CLAIM_FILE).write_text(good.replace("certainty: moderate", "certainty: [moderate"), encoding="utf-8")
    step()
    (root / CLAIM_FILE).write_text(good, encoding="utf-8")
    step()
    (root / CLAIM_FILE).write_text(good.replace("type: advice", "type:   advice"), encoding="utf-8")
    step()
    (root / "content/claims/ice-helps.md").write_text(OTHER_CLAIM, encoding="utf-8")
    step()
    (root / "content/claims/ice-helps.md").unlink()
    step()
    return root
