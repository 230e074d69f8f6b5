"""A hostile contributor's paths, revisions, settings and signals (issue 14, findings 5-9, 12, 15).

Each test is a class of attack, tried with several variants: the editors'
files (content/, references.bib, pyproject.toml, mkdocs.yml, .git) are never
written or replaced, whatever symlink, option-like argument or odd value is
put in the way, and every refusal is a one-line message with exit code 2 (1
for problems found), never a traceback.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import git, kb_cli as kb, load_kbproject

kbproject = load_kbproject()
write_project, snapshot = kbproject.write_project, kbproject.snapshot

ROOT = Path(__file__).resolve().parent.parent




@pytest.fixture()
def repo(project: Path) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    return project


# --- finding 5: revisions that look like options ----------------------------------------------

@pytest.mark.parametrize("revision", ["--output=references.bib", "-oreferences.bib", "--remote=/tmp/x",
                                      "--exec=touch pwned", "-", "--", "HEAD --output=x"])
def test_diff_refuses_option_like_revisions(repo: Path, revision: str) -> None:
    before = snapshot(repo)
    result = kb("diff", "--root", str(repo), "--", revision)
    assert result.exit_code == 2, result.output
    assert "revision" in result.output
    assert snapshot(repo) == before
    assert not (repo / "pwned").exists()


def test_diff_still_accepts_ordinary_revisions(repo: Path) -> None:
    for revision in ("HEAD", "HEAD~0", "master" if _branch(repo) == "master" else _branch(repo)):
        result = kb("diff", "--root", str(repo), revision)
        assert result.exit_code == 0, result.output
        assert "No claim was added" in result.output


def _branch(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "branch", "--show-current"], capture_output=True,
                          text=True).stdout.strip()


# --- findings 6 and 7: output into the editors' files through a symlink -------------------------

@pytest.fixture()
def linked(tmp_path: Path) -> Path:
    """A project whose content/ is a symlink to ../data/content."""
    root = write_project(tmp_path / "project")
    (tmp_path / "data").mkdir()
    (root / "content").rename(tmp_path / "data" / "content")
    (root / "content").symlink_to("../data/content")
    return root


@pytest.mark.parametrize("args", [("build", "--out", "content/site2"), ("build", "--pages-only", "content/x"),
                                  ("build", "--out", "content/claims"), ("build", "--pages-only", "content"),
                                  ("schema", "--out", "content/claims"), ("schema", "--out", "content")])
def test_no_command_writes_into_a_symlinked_content_folder(linked: Path, args: tuple[str, ...],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(linked)
    data = linked.parent / "data"
    before = snapshot(data)
    extra = ("--root", str(linked)) if args[0] == "build" else ()
    result = kb(*args, *extra)
    assert result.exit_code == 2, result.output
    assert "refusing" in result.output
    assert snapshot(data) == before


@pytest.mark.parametrize("name", ["references.bib", "pyproject.toml", "content/claims/exercise-helps.md"])
def test_schema_never_writes_through_a_link_to_an_editor_file(project: Path, name: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (project / "schema").mkdir()
    (project / "schema" / "claim.schema.json").symlink_to(Path("..") / name)
    before = snapshot(project)
    result = kb("schema")
    assert result.exit_code == 2, result.output
    assert "refusing" in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize("out", ["references.bib", "pyproject.toml", "mkdocs.yml", ".git", "content/claims"])
def test_schema_out_refuses_editor_files(repo: Path, out: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    before = snapshot(repo, skip=(".git",))
    result = kb("schema", "--out", out)
    assert result.exit_code == 2, result.output
    assert snapshot(repo, skip=(".git",)) == before


# --- finding 8: kb fmt ---------------------------------------------------------------------------

UNFORMATTED = "@article{a,\ntitle={T}, author={A, B}, journal={J}, year={2020}}\n"


def test_fmt_refuses_a_symlinked_bibliography_as_check_does(project: Path) -> None:
    """issue 18, finding 7: kb check does not read a symlinked references.bib, so kb fmt does not write it
    (tests/test_writer.py tries the variants)."""
    real = project.parent / "shared.bib"
    real.write_text(UNFORMATTED, encoding="utf-8")
    (project / "references.bib").unlink()
    (project / "references.bib").symlink_to(real)
    result = kb("fmt", "--root", str(project))
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.output
    assert (project / "references.bib").is_symlink()
    assert real.read_text(encoding="utf-8") == UNFORMATTED


def test_fmt_refuses_a_hard_linked_bibliography(project: Path) -> None:
    real = project.parent / "shared.bib"
    real.write_text(UNFORMATTED, encoding="utf-8")
    (project / "references.bib").unlink()
    os.link(real, project / "references.bib")
    result = kb("fmt", "--root", str(project))
    assert result.exit_code == 2, result.output
    assert "hard link" in result.output
    assert real.read_text(encoding="utf-8") == UNFORMATTED
    assert os.stat(real).st_nlink == 2  # still one file


def test_fmt_refuses_a_read_only_bibliography(project: Path) -> None:
    bib = project / "references.bib"
    bib.write_text(UNFORMATTED, encoding="utf-8")
    bib.chmod(0o444)
    try:
        result = kb("fmt", "--root", str(project))
        assert result.exit_code == 2, result.output
        assert "read-only" in result.output
        assert bib.read_text(encoding="utf-8") == UNFORMATTED
        assert stat.S_IMODE(bib.stat().st_mode) == 0o444
    finally:
        bib.chmod(0o644)


@pytest.mark.parametrize(("entry", "line"), [
    ("@article{a,\n  Title = {First},\n  title = {Second},\n  author = {A, B},\n  journal = {J},\n  year = {2020}\n}\n", 1),
    ("@article{a,\n  author = {A, B},\n  % TODO: check PDF\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n", 1),
    ("% refs\n\n@article{a,\n  % TODO: check PDF\n  author = {A, B},\n  year = {2020},\n  title = {T},\n"
     "  journal = {J}\n}\n", 3),
    ("@article{a,\n  author = {A, B},\n  title = {T}, # TODO\n  journal = {J},\n  year = {2020}\n}\n", 1),
])
def test_fmt_refuses_what_it_cannot_keep_and_changes_nothing(project: Path, entry: str, line: int) -> None:
    bib = project / "references.bib"
    bib.write_text(entry, encoding="utf-8")
    result = kb("fmt", "--root", str(project))
    assert result.exit_code == 2, result.output
    assert f"references.bib:{line}:" in result.output
    assert bib.read_text(encoding="utf-8") == entry


def test_check_reports_fields_repeated_in_another_case(project: Path) -> None:
    from generator.intake.bibliography import parse_bibliography

    text = "@article{a,\n  Title = {First},\n  title = {Second},\n  author = {A, B},\n  journal = {J},\n  year = {2020}\n}\n"
    found = [(d.code, d.line) for d in parse_bibliography(text)[1] if d.code == "duplicate-field"]
    assert found == [("duplicate-field", 1)]


# --- finding 9: a symlinked site, and signals during a build ---------------------------------------

def test_build_updates_a_symlinked_site_in_place(project: Path) -> None:
    """A `site` link inside the project is updated where it points; one leading out of the project is
    refused (issue 18: kb never follows a link in the repository elsewhere), and --out names that folder."""
    (project / "build" / "site").mkdir(parents=True)
    (project / "site").symlink_to("build/site")
    result = kb("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "site").is_symlink()
    assert (project / "build" / "site" / "index.html").is_file()
    www = project.parent / "www"
    (www / "site").mkdir(parents=True)
    (project / "site").unlink()
    (project / "site").symlink_to(www / "site")
    refused = kb("build", "--root", str(project))
    assert refused.exit_code == 2 and "out of the project" in refused.output, refused.output
    assert not any((www / "site").iterdir())
    result = kb("build", "--root", str(project), "--out", str(www / "site"))
    assert result.exit_code == 0, result.output
    assert (www / "site" / "index.html").is_file()
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")]
    assert not [p.name for p in www.iterdir() if p.name.startswith(".site.")]


_INTERRUPT = """
import os, signal, sys
import mkdocs.commands.build as b
def build(*a, **k):
    os.kill(os.getpid(), signal.{sig})
    raise AssertionError("the signal did not stop the build")
b.build = build
from generator.commands.cli import main
sys.argv = ["kb", "build", "--root", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_a_build_leaves_no_staging_folder(project: Path, sig: str) -> None:
    run = subprocess.run([sys.executable, "-c", _INTERRUPT.format(sig=sig), str(project)], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr, run.stderr
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")]
    assert not (project / "site").exists()


# --- finding 12: tracebacks instead of diagnostics ---------------------------------------------------

@pytest.mark.parametrize(("toml", "line"), [
    ("[tool.kb]\nstale_months = 100000\n", 2),
    ("[tool.kb]\nstale_months = -1\n", 2),
    ("[tool.kb]\nstale_months = 1.5\n", 2),
    ("[tool.kb]\nstale_months = true\n", 2),
    ("[tool.kb]\nlanguage = 'nl'\ndisable = 5\n", 3),
    ("[tool.kb]\ndisable = [1, [2]]\n", 2),
    ("[tool.kb]\nerrors = {a = 1}\n", 2),
    ("[tool.kb]\nsite_name = 7\n", 2),
    ("[tool.kb]\nlanguage = ['nl']\n", 2),
    ("tool = 5\n", 1),
    ("[tool]\nkb = 'x'\n", 2),
    ("[project]\nname = 'x'\n\n[tool.kb]\nstale-months = 3\n", 5),
    ("[tool.kb]\ndisable = " + "[" * 3000 + "]" * 3000 + "\n", None),
    ("[tool.kb]\nerrors = " + "[" * 50 + "'x'" + "]" * 50 + "\n", 2),
])
def test_wrong_setting_values_are_diagnostics(project: Path, toml: str, line: int | None) -> None:
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    result = kb("check", "--root", str(project), "--format", "json")
    assert result.exit_code == 1, result.output
    import json

    found = [(d["code"], d["file"], d["line"]) for d in json.loads(result.output)["diagnostics"]
             if d["file"] == "pyproject.toml"]
    assert found == [("invalid-setting", "pyproject.toml", line)]


@pytest.mark.parametrize("value", ["99999999999999", "-5", "1e9", "abc", "１２３", "0x10", "9" * 400])
def test_source_date_epoch_out_of_range_is_a_message(project: Path, value: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = kb("check", "--root", str(project))
    assert result.exit_code == 2, result.output
    assert "SOURCE_DATE_EPOCH" in result.output


def test_new_over_a_dangling_symlink_is_refused(project: Path) -> None:
    link = project / "content" / "injuries" / "shin-splints.md"
    link.symlink_to(project.parent / "nowhere.md")
    result = kb("new", "injury", "shin-splints", "--root", str(project))
    assert result.exit_code == 1, result.output
    assert "already exists" in result.output
    assert link.is_symlink() and not (project.parent / "nowhere.md").exists()


def test_new_when_a_folder_is_a_file(project: Path) -> None:
    pages = project / "content" / "pages"
    for item in pages.iterdir():
        item.unlink()
    pages.rmdir()
    pages.write_text("not a folder", encoding="utf-8")
    result = kb("new", "page", "over", "--root", str(project))
    assert result.exit_code in (1, 2), result.output
    assert "content/pages" in result.output
    assert pages.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("args", [("--out", "references.bib/x"), ("--out", "mkdocs.yml/x/y"), ("--out", "/proc/x"),
                                  ("--out", "references.bib"), ("--pages-only", "references.bib/x"),
                                  ("--pages-only", "/proc/x"), ("--out", "pyproject.toml"),
                                  ("--out", ".git/x")])
def test_build_into_impossible_places_is_a_message(repo: Path, args: tuple[str, ...],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "mkdocs.yml").write_text("site_name: x\nplugins: [kb]\ndocs_dir: content\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    before = snapshot(repo, skip=(".git",))
    result = kb("build", "--root", str(repo), *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert any(line.startswith("kb: ") for line in result.output.splitlines()[-2:])
    assert snapshot(repo, skip=(".git",)) == before


@pytest.mark.parametrize("out", ["references.bib", "/proc/x", "references.bib/x"])
def test_schema_into_impossible_places_is_a_message(project: Path, out: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    before = snapshot(project)
    result = kb("schema", "--out", out)
    assert result.exit_code == 2, result.output
    assert snapshot(project) == before


@pytest.mark.parametrize("target", ["../../references.bib", "/nonexistent", "loop"])
def test_pages_only_folder_holding_a_symlink(project: Path, target: str) -> None:
    out = project.parent / "pages"
    assert kb("build", "--root", str(project), "--pages-only", str(out)).exit_code == 0
    before = snapshot(project)
    (out / "index.md").unlink()
    (out / "index.md").symlink_to("index.md" if target == "loop" else target)
    (out / "claims" / "extra.md").symlink_to(project / "references.bib")
    result = kb("build", "--root", str(project), "--pages-only", str(out))
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before
    assert not (out / "index.md").is_symlink() and (out / "index.md").is_file()
    assert not (out / "claims" / "extra.md").exists()


@pytest.mark.parametrize("target", ["../../references.bib", "/etc/passwd", "../../../../outside.md"])
def test_diff_of_a_revision_holding_a_symlink(repo: Path, target: str) -> None:
    (repo / "content" / "claims" / "linked.md").symlink_to(target)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "link")
    result = kb("diff", "--root", str(repo), "HEAD")
    assert result.exit_code == 0, result.output
    assert not (repo.parent / "outside.md").exists()


# --- finding 15: refusals that said nothing --------------------------------------------------------

def test_diff_outside_a_git_repository_is_refused(project: Path) -> None:
    result = kb("diff", "--root", str(project), "HEAD")
    assert result.exit_code == 2, result.output
    assert "git" in result.output
    assert "Added claims" not in result.output


def test_strict_build_shows_the_mkdocs_warning_that_aborted_it(project: Path) -> None:
    # a claim without warnings: --strict must stop at MkDocs' warning, not at kb check's
    (project / "content/claims/exercise-helps.md").write_text(kbproject.CLEAN_CLAIM, encoding="utf-8")
    (project / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: x
        docs_dir: content
        plugins: [kb]
        nav:
          - Home: index.md
          - Missing: no-such-page.md
        """), encoding="utf-8")
    result = kb("build", "--root", str(project), "--strict")
    assert result.exit_code == 1, result.output
    assert "no-such-page.md" in result.output


@pytest.mark.parametrize("where", ["content", "content/claims", ".git", "references.bib"])
def test_cache_folder_inside_editor_paths_is_not_written(project: Path, where: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CACHE", "1")
    monkeypatch.setenv("KB_CACHE_DIR", str(project / where))
    before = snapshot(project)
    out = project.parent / "pages"
    result = kb("build", "--root", str(project), "--pages-only", str(out))
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before


@pytest.mark.parametrize("target", ["pyproject.toml", "mkdocs.yml", ".git/config", "content/claims/exercise-helps.md"])
def test_fmt_never_writes_through_a_link_to_another_editor_file(repo: Path, target: str) -> None:
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n\n\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text("site_name: x\n\n\n", encoding="utf-8")
    (repo / "references.bib").unlink()
    (repo / "references.bib").symlink_to(target)
    before = snapshot(repo)
    result = kb("fmt", "--root", str(repo))
    assert result.exit_code in (0, 2), result.output  # 0: nothing to format (and nothing written)
    assert snapshot(repo) == before


def test_schema_never_writes_into_a_hard_link_to_an_editor_file(project: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "schema").mkdir()
    os.link(project / "references.bib", project / "schema" / "claim.schema.json")
    before = (project / "references.bib").read_bytes()
    result = kb("schema")
    assert result.exit_code == 0, result.output
    assert (project / "references.bib").read_bytes() == before
    assert (project / "schema" / "claim.schema.json").read_text(encoding="utf-8").startswith("{")


def test_pages_only_update_never_writes_into_a_hard_link(project: Path) -> None:
    out = project.parent / "pages"
    assert kb("build", "--root", str(project), "--pages-only", str(out)).exit_code == 0
    (out / "index.md").unlink()
    os.link(project / "references.bib", out / "index.md")
    before = snapshot(project)
    result = kb("build", "--root", str(project), "--pages-only", str(out))
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before
    assert (out / "index.md").read_bytes() != (project / "references.bib").read_bytes()


@pytest.mark.parametrize("where", ["content", "content/claims", ".git"])
def test_diff_never_extracts_into_editor_paths(repo: Path, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setenv("TMPDIR", str(repo / where))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    before = snapshot(repo, skip=(".git",))
    result = kb("diff", "--root", str(repo), "HEAD")
    assert result.exit_code == 2, result.output
    assert "refusing" in result.output
    assert snapshot(repo, skip=(".git",)) == before


def test_mkdocs_configuration_error_is_shown(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\nplugins:\n  - kb:\n      low_memory: maybe\n",
                                        encoding="utf-8")
    result = kb("build", "--root", str(project))
    assert result.exit_code == 1, result.output
    assert "low_memory" in result.output
