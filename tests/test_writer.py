"""One exit (issue 18, findings 7 and 8): every file kb writes goes through generator/core/writer.py.

The source scan keeps it that way (no other module opens a file for writing, renames, copies or
removes); the other tests are the attacks that got through before: a committed `site -> docs`
symlink plus a committed `docs/.kb-output` marker made a build delete docs/ (finding 8), and
`kb fmt` and `kb add` wrote through `references.bib -> ../victim.txt` (finding 7).
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from browser_support import ENGINES, require_engine
from conftest import git, kb_cli as kb, load_kbproject

kbproject = load_kbproject()
snapshot = kbproject.snapshot

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
WRITER = "core/writer.py"

# --- the source scan ---------------------------------------------------------------------------------

#: calls that change the file system, by the attribute (or function) name they end in
_WRITING_ATTRS = {"write_text", "write_bytes", "rename", "unlink", "rmdir", "mkdir", "touch", "symlink_to",
                  "hardlink_to", "chmod", "extractall", "extract", "copytree", "copyfile", "copy", "copy2",
                  "move", "rmtree", "mkstemp", "mkdtemp", "TemporaryDirectory", "NamedTemporaryFile",
                  "makedirs", "remove", "removedirs", "symlink", "link", "truncate", "utime"}
#: names that are the same as a harmless method of another type (str.replace, list.remove, dict.copy...):
#: counted only when called on the module that writes (os.replace, shutil.copy, os.remove)
_MODULE_ONLY = {"replace": {"os"}, "remove": {"os"}, "copy": {"shutil"}, "link": {"os"}, "move": {"shutil"},
                "extract": {"tar", "tarfile"}, "truncate": {"os"}}
#: (module, line text) that may write without the writer, and why
ALLOWED = {
    ("engines/page_workers.py", "os.fdopen(write_end"): "a pipe to the parent process, not a file",
    ("core/parallel.py", "os.fdopen(write_end"): "a pipe to the parent process, not a file",
}


def _mode_writes(node: ast.Call, position: int) -> bool:
    mode = node.args[position] if len(node.args) > position else next(
        (k.value for k in node.keywords if k.arg == "mode"), None)
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(c in mode.value for c in "wax+")
    return True  # a mode we cannot read: count it


def raw_writes(path: Path, rel: str) -> list[str]:
    """`file:line: call` for every call in *path* that writes, renames or removes without the writer."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source, str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
        writes = False
        if name == "open" and (owner is None or owner in ("io", "builtins")):
            writes = _mode_writes(node, 1)
        elif name == "open" and owner == "os":  # os.open: the flags decide
            flags = ast.dump(node.args[1]) if len(node.args) > 1 else ""
            writes = not flags or any(f in flags for f in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"))
        elif name == "fdopen":
            writes = _mode_writes(node, 1)
        elif name == "open" and isinstance(func, ast.Attribute):  # Path.open(mode)
            writes = _mode_writes(node, 0)
        elif name in ("replace", "remove", "copy", "link", "move", "extract", "truncate"):
            writes = owner in _MODULE_ONLY[name]
        elif name in _WRITING_ATTRS:
            writes = True
        if writes:
            text = lines[node.lineno - 1].strip()
            if not any(rel == where and snippet in text for where, snippet in ALLOWED):
                found.append(f"generator/{rel}:{node.lineno}: {text}")
    return found


def test_no_module_writes_outside_the_writer():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel != WRITER:
            wrong += raw_writes(path, rel)
    assert not wrong, ("these write files without generator/core/writer.py (use write_file, write_staged, "
                       "make_dirs, remove_file, remove_tree, ...):\n" + "\n".join(wrong))


def test_the_scan_catches_raw_writes(tmp_path):
    fake = tmp_path / "fake.py"
    fake.write_text('import os, shutil\nfrom pathlib import Path\n\n\ndef f(p):\n'
                    '    open(p, "w").write("x")\n    Path(p).write_text("x")\n    os.replace(p, p)\n'
                    '    shutil.rmtree(p)\n    p.rename(p)\n    "a".replace("a", "b")\n    open(p).read()\n'
                    '    open(p, mode="ab")\n')
    assert sorted((line.split(":")[1] for line in raw_writes(fake, "core/fake.py")), key=int) == ["6", "7", "8", "9", "10", "13"]


# --- helpers ----------------------------------------------------------------------------------------



def _commit(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")


def _everything(folder: Path) -> dict[str, str]:
    return snapshot(folder)


# --- finding 8: what git tracks is never removed or replaced ----------------------------------------

@pytest.mark.parametrize("folder", ["docs", "generator", "tests", ".github", "schema"])
@pytest.mark.parametrize("how", ["build", "pages-only", "out-direct"])
def test_a_committed_link_and_marker_cannot_make_a_build_delete_a_folder(project: Path, folder: str,
                                                                         how: str) -> None:
    target = project / folder
    target.mkdir()
    (target / "keep.md").write_text("an editor's file\n", encoding="utf-8")
    (target / ".kb-output").write_text("Generated by kb; safe to delete.\n", encoding="utf-8")
    (project / "site").symlink_to(folder)
    _commit(project)
    (target / "untracked.txt").write_text("work in progress\n", encoding="utf-8")
    before = _everything(target)
    if how == "build":  # what `make site` runs
        result = kb("build", "--root", str(project), "--strict", "--out", str(project / "site"))
    elif how == "pages-only":
        result = kb("build", "--root", str(project), "--pages-only", str(project / "site"))
    else:
        result = kb("build", "--root", str(project), "--out", str(target))
    assert result.exit_code == 2, result.output
    assert "git tracks" in result.output
    assert _everything(target) == before
    assert not [p.name for p in project.iterdir() if p.name.startswith((".site.", f".{folder}."))]


def test_a_folder_whose_files_git_tracks_is_refused_even_without_a_committed_marker(project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "guide.md").write_text("guide\n", encoding="utf-8")
    _commit(project)
    (project / "docs" / ".kb-output").write_text("Generated by kb; safe to delete.\n", encoding="utf-8")
    before = _everything(project / "docs")
    result = kb("build", "--root", str(project), "--out", str(project / "docs"))
    assert result.exit_code == 2, result.output
    assert _everything(project / "docs") == before


def test_swap_in_itself_refuses_a_tracked_folder(project: Path) -> None:
    """Defence in depth: whatever a caller checked, the step that removes a folder asks git first."""
    from generator.core.errors import OutputError
    from generator.core.writer import staging_dir, swap_in

    (project / "docs").mkdir()
    (project / "docs" / "index.html").write_text("<p>mine</p>\n", encoding="utf-8")
    _commit(project)
    staged = staging_dir(project / "docs")
    with pytest.raises(OutputError, match="git tracks"):
        swap_in(staged, project / "docs")
    assert (project / "docs" / "index.html").read_text(encoding="utf-8") == "<p>mine</p>\n"


def test_an_untracked_site_in_a_repository_is_still_rebuilt(project: Path) -> None:
    (project / ".gitignore").write_text("site/\n", encoding="utf-8")
    _commit(project)
    assert kb("build", "--root", str(project)).exit_code == 0
    result = kb("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "site" / "index.html").is_file()


# --- finding 7: no write through a symlinked references.bib -----------------------------------------

CSL = [{"type": "article-journal", "title": "A title with a `touch /tmp/pwned` backtick",
        "author": [{"family": "Smith", "given": "Ann"}], "issued": {"date-parts": [[2021]]},
        "container-title": "Journal", "DOI": "10.1234/abcd"}]


@pytest.mark.parametrize("link", ["relative", "absolute", "chain", "startup-file", "inside"])
@pytest.mark.parametrize("command", ["fmt", "add"])
def test_no_command_writes_through_a_symlinked_bibliography(project: Path, link: str, command: str) -> None:
    outside = project.parent
    victim = {"relative": outside / "victim.txt", "absolute": outside / "victim.txt",
              "chain": outside / "victim.txt", "startup-file": outside / "home" / ".bashrc",
              "inside": project / "bib" / "refs.bib"}[link]
    victim.parent.mkdir(parents=True, exist_ok=True)
    original = (project / "references.bib").read_text(encoding="utf-8") + "\n\n% an unformatted tail\n"
    victim.write_text(original, encoding="utf-8")
    (project / "references.bib").unlink()
    if link == "relative":
        (project / "references.bib").symlink_to("../victim.txt")
    elif link == "chain":
        (project / "middle.bib").symlink_to(victim)
        (project / "references.bib").symlink_to("middle.bib")
    elif link == "inside":
        (project / "references.bib").symlink_to("bib/refs.bib")
    else:
        (project / "references.bib").symlink_to(victim)
    export = outside / "export.json"
    export.write_text(json.dumps(CSL), encoding="utf-8")
    before = snapshot(outside, skip=("export.json",))
    result = kb("fmt", "--root", str(project)) if command == "fmt" else \
        kb("add", "--from", str(export), "--root", str(project))
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.output
    assert snapshot(outside, skip=("export.json",)) == before
    assert (project / "references.bib").is_symlink()
    # the same file kb check refuses to read
    check = kb("check", "--root", str(project), "--format", "json")
    assert "unsafe-path" in check.output


def test_fmt_and_add_still_write_an_ordinary_bibliography_atomically(project: Path, tmp_path: Path) -> None:
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("  ", "    "), encoding="utf-8")
    bib.chmod(0o640)
    assert kb("fmt", "--root", str(project)).exit_code == 0
    export = tmp_path / "export.json"
    export.write_text(json.dumps(CSL), encoding="utf-8")
    result = kb("add", "--from", str(export), "--root", str(project))
    assert result.exit_code == 0, result.output
    assert "smith2021" in bib.read_text(encoding="utf-8")
    assert oct(bib.stat().st_mode & 0o777) == oct(0o640)  # the editor's permissions are kept
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]


# --- symlinks that lead out of the project ----------------------------------------------------------

@pytest.mark.parametrize("args", [("build",), ("build", "--pages-only", "site"), ("schema", "--out", "site")])
def test_a_link_in_the_project_that_leads_elsewhere_is_not_followed(project: Path, args: tuple[str, ...],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    (project / "site").symlink_to(elsewhere)
    monkeypatch.chdir(project)
    extra = ("--root", str(project)) if args[0] == "build" else ()
    result = kb(*args, *extra)
    assert result.exit_code == 2, result.output
    assert "out of the project" in result.output
    assert not any(elsewhere.iterdir())


def test_schema_files_linked_out_of_the_project_are_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = project.parent / "victim.json"
    victim.write_text("{}\n", encoding="utf-8")
    (project / "schema").mkdir()
    (project / "schema" / "claim.schema.json").symlink_to(victim)
    monkeypatch.chdir(project)
    result = kb("schema")
    assert result.exit_code == 2, result.output
    assert victim.read_text(encoding="utf-8") == "{}\n"


def test_kb_new_writes_a_whole_file_or_nothing(project: Path) -> None:
    result = kb("new", "injury", "shin-splints", "--root", str(project))
    assert result.exit_code == 0, result.output
    folder = project / "content" / "injuries"
    assert (folder / "shin-splints.md").read_text(encoding="utf-8").startswith("---\n")
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    again = kb("new", "injury", "shin-splints", "--root", str(project))
    assert again.exit_code == 1 and "already exists" in again.output


def test_write_file_replaces_links_never_writes_through_them(tmp_path: Path) -> None:
    from generator.core.errors import OutputError
    from generator.core.writer import write_file

    other = tmp_path / "other.txt"
    other.write_text("keep\n", encoding="utf-8")
    hard = tmp_path / "hard.txt"
    os.link(other, hard)
    write_file(hard, "new\n")
    assert other.read_text(encoding="utf-8") == "keep\n" and hard.read_text(encoding="utf-8") == "new\n"
    soft = tmp_path / "soft.txt"
    soft.symlink_to(other)
    with pytest.raises(OutputError):
        write_file(soft, "new\n")
    with pytest.raises(FileExistsError):
        write_file(hard, "again\n", exclusive=True)
    assert other.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_updates_a_site_link_inside_the_project_where_it_points(project: Path, engine: str) -> None:
    require_engine(engine)
    (project / "build" / "site").mkdir(parents=True)
    (project / "site").symlink_to("build/site")
    for _round in range(2):  # the second build replaces the first one's folder, through the link
        result = kb("build", "--root", str(project), "--engine", engine)
        assert result.exit_code == 0, result.output
        assert (project / "site").is_symlink()
        assert (project / "build" / "site" / "index.html").is_file()
    assert not [p.name for p in (project / "build").iterdir() if p.name != "site"]
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")]


def test_git_variables_cannot_point_the_tracking_question_elsewhere(project: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """GIT_DIR from the environment (CI passes environment values) must not make git answer for another repository."""
    (project / "docs").mkdir()
    (project / "docs" / ".kb-output").write_text("Generated by kb; safe to delete.\n", encoding="utf-8")
    (project / "docs" / "keep.md").write_text("mine\n", encoding="utf-8")
    _commit(project)
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(empty / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(empty))
    result = kb("build", "--root", str(project), "--out", str(project / "docs"))
    assert result.exit_code == 2, result.output
    assert (project / "docs" / "keep.md").read_text(encoding="utf-8") == "mine\n"
