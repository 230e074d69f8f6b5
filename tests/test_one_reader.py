"""One way in (issue 18, "One spine"): every byte kb reads from a project passes generator/intake/reader.py.

The reader decides on the opened file (a regular file, inside the project, by its size before
reading, never blocking on a FIFO or reading /dev/zero for ever).  The source scan keeps it the
only way in, as tests/test_writer.py keeps core/writer.py the only way out: no other module
opens, reads or loads a file, except the few named below, each with the reason it is not
project input.  The other tests are the commands that used to read on their own: `kb fmt`,
`kb add` (references.bib and `--from FILE`), `kb schema --check` and `kb finish`.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.commands.cli import main

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
READER = "intake/reader.py"

#: calls that read a file's bytes, by the attribute (or function) name they end in
_READING = {"mmap", "input", "getlines", "getline", "copyfile", "copy", "copy2", "copytree", "load"}
#: names shared with harmless calls (str methods, json.loads...): counted only on these owners
_OWNED = {"input": {"fileinput"}, "getlines": {"linecache"}, "getline": {"linecache"},
          "copyfile": {"shutil"}, "copy": {"shutil"}, "copy2": {"shutil"}, "copytree": {"shutil"},
          "load": {"json", "tomllib", "yaml", "pickle", "marshal", "csv"}, "mmap": {"mmap"}}
#: (module, line text) that may read without the reader, and why: none of them is project input
ALLOWED = {
    ("core/parallel.py", "os.read(read_end"): "a pipe from a child process, not a file",
    ("core/writer.py", "os.open(folder, os.O_RDONLY)"): "opens a folder kb wrote, to fsync it; reads nothing",
    ("core/writer.py", "os.open(target, flags, 0o666)"): "the writer opening a file to write it (flags built "
                                                           "above: write-only, created; see test_writer.py)",
    ("engines/properdocs.py", "manifest.read_text"): "kb's own hand-over file in its private workspace, "
                                                     "written by the kb plugin inside ProperDocs",
    ("pages/render.py", "p.read_bytes()"): "kb's own stylesheet and script (generator/assets), not the project's",
    ("pages/cms_admin.py", "ADDITIONS.read_text"): "kb's own script (generator/templates), not the project's",
    ("pages/cms_admin.py", "p.read_bytes()"): "the installed CMS package (npm ci), not the project's",
}


def raw_reads(path: Path, rel: str) -> list[str]:
    """`file:line: call` for every call in *path* that opens or reads a file without the reader."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source, str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
        if name == "open" and owner == "os":  # os.open: a read unless it only writes (the writer's scan)
            flags = ast.dump(node.args[1]) if len(node.args) > 1 else ""
            reads = not any(f in flags for f in ("O_WRONLY", "O_CREAT"))
        elif name == "open":  # open(), io.open(), codecs.open(), Path.open(): all of them read or write
            reads = True
        elif name in ("read_text", "read_bytes"):  # Path's; the reader's own read_bytes is a plain name
            reads = isinstance(func, ast.Attribute) and owner != "reader"
        elif name == "fdopen":  # a read mode (writes: test_writer.py)
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"),
                                                                 None)
            reads = not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)
                         and not any(c in mode.value for c in "r+"))
        elif name == "read" and owner == "os":
            reads = True
        elif name in _OWNED:
            reads = owner in _OWNED[name]
        else:
            reads = name in _READING
        if reads:
            text = lines[node.lineno - 1].strip()
            if not any(rel == where and snippet in text for where, snippet in ALLOWED):
                found.append(f"generator/{rel}:{node.lineno}: {text}")
    return found


def test_no_module_reads_outside_the_reader() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel != READER:
            wrong += raw_reads(path, rel)
    assert not wrong, ("these read files without generator/intake/reader.py (use read_bytes, open_stream, "
                       "read_head; or name the call in ALLOWED with the reason it is not project input):\n"
                       + "\n".join(wrong))


def test_every_allowed_read_still_exists() -> None:
    """An allow-list entry whose call went away would let a new read of that name through unseen."""
    for where, snippet in ALLOWED:
        assert snippet in (PACKAGE / where).read_text(encoding="utf-8"), (where, snippet)


def test_the_scan_catches_raw_reads(tmp_path: Path) -> None:
    fake = tmp_path / "fake.py"
    fake.write_text('import json, os, shutil\nfrom pathlib import Path\n\n\ndef f(p):\n'
                    '    open(p).read()\n    Path(p).read_text()\n    p.read_bytes()\n'
                    '    json.load(p)\n    os.read(3, 1)\n    "a".replace("a", "b")\n    json.loads("1")\n'
                    '    p.open()\n    os.open(p, os.O_RDONLY)\n    os.open(p, os.O_WRONLY | os.O_CREAT)\n')
    assert sorted((line.split(":")[1] for line in raw_reads(fake, "core/fake.py")), key=int) == \
        ["6", "7", "8", "9", "10", "13", "14"]


# --- the commands that read on their own before -----------------------------------------------------

def kb(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kb {' '.join(args)} raised {result.exception!r}") from result.exception
    return result


BIB = "@article{smith2020,\n  author = {Smith, Ann},\n  title = {A title},\n  journal = {J},\n  year = {2020}\n}\n"
CSL = [{"type": "article-journal", "title": "Another title", "author": [{"family": "Jones", "given": "Bo"}],
        "issued": {"date-parts": [[2021]]}, "container-title": "Journal", "DOI": "10.1234/abcd"}]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    return root


def _fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(path)


@pytest.mark.parametrize("command", ["fmt", "add"])
@pytest.mark.parametrize("kind", ["fifo", "device", "too-large"])
def test_fmt_and_add_refuse_the_bibliography_kb_check_refuses(project: Path, tmp_path: Path, command: str,
                                                               kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = project / "references.bib"
    bib.unlink()
    if kind == "fifo":
        _fifo(bib)  # reading it would wait for ever
    elif kind == "device":
        bib.symlink_to("/dev/zero")  # reading it would never end (and it is a link: refused first)
    else:
        monkeypatch.setattr("generator.intake.bibliography.MAX_BIB_BYTES", 100)
        bib.write_text(BIB * 5, encoding="utf-8")
    export = tmp_path / "export.json"
    export.write_text(json.dumps(CSL), encoding="utf-8")
    before = bib.lstat()
    result = kb("fmt", "--root", str(project)) if command == "fmt" else \
        kb("add", "--from", str(export), "--root", str(project))
    assert result.exit_code == 2, result.output
    code = {"fifo": "unsafe-path", "device": "unsafe-path", "too-large": "too-large"}[kind]
    assert f"[{code}]" in result.output, result.output  # the code kb check gives the same file
    assert "Traceback" not in result.output
    after = bib.lstat()
    assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (before.st_ino, before.st_mtime_ns, before.st_mode)


def test_fmt_of_a_missing_bibliography_says_so(project: Path) -> None:
    (project / "references.bib").unlink()
    result = kb("fmt", "--root", str(project))
    assert result.exit_code == 2
    assert "references.bib is missing" in result.output


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder", "too-large", "missing", "not-utf8"])
def test_add_from_a_file_outside_the_project_is_bounded(project: Path, tmp_path: Path, kind: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "elsewhere" / "export.json"
    export.parent.mkdir()
    if kind == "dev-zero":
        export = Path("/dev/zero")
    elif kind == "fifo":
        _fifo(export)
    elif kind == "folder":
        export.mkdir()
    elif kind == "too-large":
        monkeypatch.setattr("generator.commands.add.MAX_EXPORT_BYTES", 50)
        export.write_text(json.dumps(CSL), encoding="utf-8")
    elif kind == "not-utf8":
        export.write_bytes(b'[{"title": "\xff"}]')
    result = kb("add", "--from", str(export), "--root", str(project))
    assert result.exit_code == 2, result.output
    assert f"cannot read {export}" in result.output
    expected = {"dev-zero": "not a regular file", "fifo": "not a regular file", "folder": "is a folder",
                "too-large": "the limit is 50", "missing": "does not exist", "not-utf8": "not UTF-8"}[kind]
    assert expected in result.output
    assert "Nothing was changed" in result.output
    assert (project / "references.bib").read_text(encoding="utf-8") == BIB


def test_add_from_a_linked_export_outside_the_project_still_works(project: Path, tmp_path: Path) -> None:
    """An export in ~/Downloads, reached through a link, is what `--from` is for: only its kind and size count."""
    export = tmp_path / "export.json"
    export.write_text(json.dumps(CSL), encoding="utf-8")
    (tmp_path / "link.json").symlink_to(export)
    result = kb("add", "--from", str(tmp_path / "link.json"), "--root", str(project))
    assert result.exit_code == 0, result.output
    assert "jones2021" in (project / "references.bib").read_text(encoding="utf-8")


def test_schema_check_does_not_wait_on_a_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert kb("schema").exit_code == 0
    target = tmp_path / "schema" / "claim.schema.json"
    target.unlink()
    _fifo(target)
    result = kb("schema", "--check")
    assert result.exit_code == 1, result.output
    assert "claim.schema.json" in result.output


def test_finish_does_not_read_a_fifo_or_a_device_named_html(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><head></head><body>ok</body></html>", encoding="utf-8")
    (site / "zero.html").symlink_to("/dev/zero")
    result = kb("finish", str(site))
    assert result.exit_code == 2, result.output
    assert "zero.html" in result.output and "not a regular file" in result.output
