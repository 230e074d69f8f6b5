"""Hostile and broken input: diagnostics, never a crash; the editors' files are never touched.

Covers: unreadable input (encoding, BOM/CRLF, empty or missing bibliography,
huge files, deep nesting, alias bombs, duplicate keys), invalid ids, the
output-folder guards, snapshots of the editors' files around every command,
and "a failed build keeps the last good site".
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.intake.bibliography import load_bibliography, parse_bibliography
from generator.checks.check import run_check
from generator.commands.cli import main
from generator.intake.config import Settings
from generator.intake.frontmatter import MAX_NODES, parse_document
from generator.core.errors import BuildFailed
from generator.engines.build import build as build_site
from generator.output.site import MARKER, OutputError, check_output_dir

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]
write_project, snapshot, editor_files = kbproject.write_project, kbproject.snapshot, kbproject.editor_files

CLAIM_REL = "content/claims/exercise-helps.md"


def kb(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def codes(result, file: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.code for d in result.diagnostics if file is None or d.file == file]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "project")
    assert not run_check(root, Settings()).failed()
    return root


# --- unreadable input is a diagnostic --------------------------------------------------------

def test_non_utf8_claim_is_an_encoding_error_with_its_line(project: Path) -> None:
    text = kbproject.CLAIM.replace("adult recreational runners", "adulte coureurs réguliers")
    (project / CLAIM_REL).write_bytes(text.encode("latin-1"))
    result = run_check(project, Settings())
    enc = [d for d in result.diagnostics if d.code == "encoding"]
    assert [d.file for d in enc] == [CLAIM_REL]
    assert enc[0].line == 4  # population: is on line 4
    assert "UTF-8" in enc[0].message and enc[0].hint
    # the rest still loads and is still checked
    assert "content/injuries/runners-knee.md" in {e.where.path for e in result.kb.entities.values()}


@pytest.mark.parametrize("raw", [
    b"\xff\xfe" + "---\ntitle: x\n---\n".encode("utf-16-le"),  # UTF-16 with BOM
    b"---\ntitle: \xc3\x28\n---\n",  # invalid continuation byte
    b"---\ntitle: ok\n---\n\xed\xa0\x80 surrogate\n",  # encoded surrogate
    b"\x80" * 10,
])
def test_other_undecodable_files_are_encoding_errors(project: Path, raw: bytes) -> None:
    (project / "content/injuries/other.md").write_bytes(raw)
    result = run_check(project, Settings())
    assert "encoding" in codes(result, "content/injuries/other.md")


def test_non_utf8_bibliography_is_an_encoding_error(project: Path) -> None:
    (project / "references.bib").write_bytes(kbproject.BIB.replace("Jones, Bob", "Jöns, Bob").encode("latin-1"))
    sources, diags = load_bibliography(project)
    assert [d.code for d in diags] == ["encoding"] and diags[0].file == "references.bib"
    assert diags[0].line == kbproject.BIB.splitlines().index("  author    = {Jones, Bob},") + 1
    res = kb("check", "--root", str(project))
    assert res.exit_code == 1 and "encoding" in res.output


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_bom_and_crlf_are_accepted(project: Path, newline: str) -> None:
    for rel in (CLAIM_REL, "content/injuries/runners-knee.md", "references.bib"):
        text = (project / rel).read_text(encoding="utf-8")
        (project / rel).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", newline).encode("utf-8"))
    result = run_check(project, Settings())
    assert not result.failed(), result.diagnostics
    claim = result.kb.claims["exercise-helps"]
    assert claim.statement.startswith("Exercise therapy") and "\r" not in claim.body
    assert "\r" not in result.kb.sources["smith2020"].fields["abstract"]


def test_crlf_keeps_line_numbers_right(project: Path) -> None:
    text = kbproject.CLAIM.replace("  - source: jones2019", "  - source: jonse2019")
    (project / CLAIM_REL).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_check(project, Settings())
    [d] = [d for d in result.diagnostics if d.code == "unknown-citation"]
    assert d.line == text.splitlines().index("  - source: jonse2019") + 1
    assert "jones2019" in (d.hint or "")


@pytest.mark.parametrize("content", [None, b"", b"   \n\n\t\n", b"% only a comment\n"])
def test_missing_or_empty_bibliography(project: Path, content: bytes | None) -> None:
    bib = project / "references.bib"
    bib.unlink()
    if content is not None:
        bib.write_bytes(content)
    result = run_check(project, Settings())
    assert result.failed()
    wanted = "missing-bibliography" if content is None or not content.strip() else "unknown-citation"
    assert wanted in codes(result)
    assert "unknown-citation" in codes(result, CLAIM_REL)  # the claims are still checked
    res = kb("build", "--root", str(project), "--out", str(project.parent / "site"))
    assert res.exit_code == 1 and not (project.parent / "site").exists()


def test_bibliography_that_is_a_folder(project: Path) -> None:
    (project / "references.bib").unlink()
    (project / "references.bib").mkdir()
    assert "missing-bibliography" in codes(run_check(project, Settings()))


def test_empty_and_fenceless_content_files(project: Path) -> None:
    (project / "content/claims/empty.md").write_bytes(b"")
    (project / "content/claims/no-fence.md").write_text("statement: x\n", encoding="utf-8")
    (project / "content/claims/unclosed.md").write_text("---\nstatement: x\n", encoding="utf-8")
    result = run_check(project, Settings())
    for name in ("empty", "no-fence", "unclosed"):
        assert "front-matter" in codes(result, f"content/claims/{name}.md")


def _big_bib(size: int) -> tuple[str, int]:
    entry = (
        "@article{{key{i},\n  author = {{Smith, Anna and M{{\\\"u}}ller, Karl{i}}},\n"
        "  title = {{Exercise therapy number {i}: a randomized trial}},\n  journal = {{J Sports Med}},\n"
        "  year = {{2020}},\n  pages = {{100--110}},\n  doi = {{10.1000/jsm.{i}}},\n"
        "  abstract = {{{pad}}},\n  design = {{rct}}\n}}\n\n"
    )
    pad = "We randomized runners to exercise or advice and measured pain. " * 6
    parts, total, i = [], 0, 0
    while total < size:
        part = entry.format(i=i, pad=pad)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts), i


def test_ten_megabyte_bibliography_is_checked_in_reasonable_time(project: Path) -> None:
    text, count = _big_bib(10 * 1024 * 1024)
    (project / "references.bib").write_text(kbproject.BIB + text, encoding="utf-8")
    start = time.perf_counter()
    result = run_check(project, Settings())
    elapsed = time.perf_counter() - start
    print(f"\n10 MB references.bib ({count} entries): kb check in {elapsed:.1f} s")
    assert len(result.kb.sources) == count + 2
    assert not result.errors, result.errors[:3]
    assert codes(result).count("unused-reference") == count
    assert elapsed < 60, f"a 10 MB bibliography took {elapsed:.0f} s to check"


def test_one_megabyte_claim_body(project: Path) -> None:
    para = "Runners who trained their hips had less pain [@smith2020, p. 12]. " * 20 + "\n\n"
    body = para * (1024 * 1024 // len(para) + 1)
    (project / CLAIM_REL).write_text(kbproject.CLAIM + body, encoding="utf-8")
    start = time.perf_counter()
    result = run_check(project, Settings())
    elapsed = time.perf_counter() - start
    print(f"\n1 MB claim body: kb check in {elapsed:.2f} s")
    assert not result.failed(), result.diagnostics[:3]
    assert len(result.kb.claims["exercise-helps"].body) > 1024 * 1024
    assert elapsed < 30


def test_one_megabyte_front_matter_is_refused(project: Path) -> None:
    big = "x" * (1024 * 1024)
    (project / CLAIM_REL).write_text(kbproject.CLAIM.replace("---\nstatement:", f"---\nnote: \"{big}\"\nstatement:", 1),
                                     encoding="utf-8")
    result = run_check(project, Settings())
    [d] = [d for d in result.diagnostics if d.file == CLAIM_REL]
    assert d.code == "yaml-syntax" and "KiB" in d.message


@pytest.mark.parametrize("yaml_text", [
    "statement: " + "[" * 100_000,
    "statement: " + "{a: " * 100_000,
    "statement: " + "[" * 100_000 + "]" * 100_000,
    "statement:\n" + "".join("  " * i + "- \n" for i in range(60)) + "  " * 60 + "x",
    "statement: " + "- " * 50_000 + "x",
])
def test_deeply_nested_yaml_is_a_quick_error(yaml_text: str) -> None:
    start = time.perf_counter()
    doc, diags = parse_document("---\n" + yaml_text + "\n---\nbody\n", CLAIM_REL)
    elapsed = time.perf_counter() - start
    assert doc is None and [d.code for d in diags] == ["yaml-syntax"]
    assert elapsed < 2


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [" + ",".join([f"*{chr(ord('a') + i - 1)}"] * 9) + "]"
       for i in range(1, 9)]
)


@pytest.mark.parametrize("yaml_text", [
    BILLION_LAUGHS,
    # merge keys multiply mappings instead of lists
    "a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}\n"
    + "\n".join(f"m{i}: &m{i} {{" + ", ".join(f"c{j}: *{'a' if i == 0 else f'm{i - 1}'}" for j in range(10)) + "}"
                for i in range(7)),
    "a: &a {" + ", ".join(f"k{i}: x" for i in range(50)) + "}\n"
    + "\n".join(f"b{i}: &b{i} [" + ",".join(["*a" if i == 0 else f"*b{i - 1}"] * 10) + "]" for i in range(6)),
])
def test_alias_bomb_is_a_quick_error_with_bounded_memory(yaml_text: str) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        doc, diags = parse_document("---\n" + yaml_text + "\n---\n", CLAIM_REL)
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert doc is None and [d.code for d in diags] == ["yaml-syntax"]
    assert "alias" in diags[0].message or str(MAX_NODES) in diags[0].message
    assert elapsed < 2, f"alias bomb took {elapsed:.1f} s"
    assert peak < 32 * 1024 * 1024, f"alias bomb used {peak / 1e6:.0f} MB"


def test_alias_bomb_in_a_project_is_reported_not_fatal(project: Path) -> None:
    (project / "content/claims/bomb.md").write_text(f"---\n{BILLION_LAUGHS}\n---\n", encoding="utf-8")
    result = run_check(project, Settings())
    assert codes(result, "content/claims/bomb.md") == ["yaml-syntax"]
    assert "exercise-helps" in result.kb.claims


def test_duplicate_yaml_keys(project: Path) -> None:
    text = kbproject.CLAIM.replace("certainty: moderate\n", "certainty: moderate\ncertainty: high\n")
    text = text.replace("    stance: qualifies\n", "    stance: qualifies\n    stance: supports\n")
    (project / CLAIM_REL).write_text(text, encoding="utf-8")
    result = run_check(project, Settings())
    dupes = sorted((d.line, d.message) for d in result.diagnostics if d.code == "duplicate-yaml-key")
    lines = text.splitlines()
    assert [line for line, _ in dupes] == [lines.index("certainty: high") + 1,
                                           lines.index("    stance: qualifies") + 2]
    assert "'certainty'" in dupes[0][1] and "'stance'" in dupes[1][1]
    assert result.kb.claims["exercise-helps"].certainty == "moderate"  # the first value, not silently the last
    assert result.failed()


def test_duplicate_bibtex_keys_and_fields() -> None:
    text = kbproject.BIB + "\n@article{smith2020, title = {Other}, title = {Again}, author = {X}, journal = {J}, year = {2021}}\n" \
        + "@misc{dupfield, title = {A}, title = {B}}\n"
    sources, diags = parse_bibliography(text)
    found = {d.code for d in diags}
    assert {"duplicate-key", "duplicate-field"} <= found
    assert sources["smith2020"].fields["year"] == "2020"  # the first entry wins
    assert sources["dupfield"].fields["title"] == "A"


def test_broken_bibtex_entry_does_not_hide_the_others() -> None:
    text = "@article{broken, title = {unclosed,\n\n" + kbproject.BIB
    sources, diags = parse_bibliography(text)
    assert "bib-syntax" in {d.code for d in diags} or "missing-field" in {d.code for d in diags}
    assert "jones2019" in sources


# --- ids: no traversal, no reserved names ----------------------------------------------------------

BAD_IDS = ["..", "index", "Upper-Case", "with space", "con", "nul", "com1", "lpt9", "CON", "aux", "prn",
           "a_b", "café", "-lead", "trail-", "double--hyphen", "dot.name", "x" * 81, "ＡＢＣ", "tab\tid"]


@pytest.mark.parametrize("kind_dir", ["claims", "injuries", "pages"])
def test_bad_file_names_are_invalid_ids(project: Path, kind_dir: str) -> None:
    text = kbproject.INJURY if kind_dir == "injuries" else kbproject.PAGE if kind_dir == "pages" else kbproject.CLAIM
    for bad in BAD_IDS:
        (project / "content" / kind_dir / f"{bad}.md").write_text(text, encoding="utf-8")
    result = run_check(project, Settings())
    for bad in BAD_IDS:
        rel = f"content/{kind_dir}/{bad}.md"
        assert "invalid-id" in codes(result, rel), f"'{bad}' is accepted as an id"
    assert not {c.id for c in result.kb.claims.values()} & set(BAD_IDS)
    assert not {p for p in result.kb.pages} & set(BAD_IDS)


@pytest.mark.parametrize("name", ["claims", "references", "search", "assets", "api", "404", "sitemap",
                                  "wijzigingen"])
def test_free_page_may_not_take_a_site_folder(project: Path, name: str) -> None:
    (project / f"content/pages/{name}.md").write_text(kbproject.PAGE, encoding="utf-8")
    assert "invalid-id" in codes(run_check(project, Settings()), f"content/pages/{name}.md")


@pytest.mark.parametrize("kind,item_id", [("claim", "../../evil"), ("injury", "../x"), ("page", "index"),
                                          ("injury", "con"), ("intervention", "NUL"), ("page", "/tmp/x"),
                                          ("risk-factor", "a b"), ("page", "claims"), ("injury", "..")])
def test_kb_new_refuses_bad_ids_and_writes_nothing(project: Path, kind: str, item_id: str) -> None:
    before = snapshot(project.parent)
    res = kb("new", kind, item_id, "--root", str(project), "--source", "smith2020", "--injury", "runners-knee")
    assert res.exit_code == 1 and "invalid id" in res.output
    assert snapshot(project.parent) == before


# --- the editors' files are sacred -------------------------------------------------------------------

@pytest.mark.parametrize("target", ["ROOT", "ROOT/content", "ROOT/content/claims", "ROOT/..",
                                    "ROOT/references.bib", "ROOT/content/claims/exercise-helps.md"])
@pytest.mark.parametrize("mode", ["--out", "--pages-only"])
def test_build_refuses_the_editors_folders(project: Path, target: str, mode: str) -> None:
    before = snapshot(project.parent)
    out = target.replace("ROOT", str(project))
    res = kb("build", "--root", str(project), mode, out)
    assert res.exit_code == 2, res.output
    assert "refusing" in res.output or "not a folder" in res.output
    assert snapshot(project.parent) == before
    assert not [p for p in project.parent.rglob(".*tmp-*")], "a staging folder was left behind"


def test_build_refuses_another_project(project: Path, tmp_path: Path) -> None:
    other = write_project(tmp_path / "other")
    before = snapshot(other)
    res = kb("build", "--root", str(project), "--out", str(other))
    assert res.exit_code == 2 and snapshot(other) == before
    git = tmp_path / "repo"
    (git / ".git").mkdir(parents=True)
    assert kb("build", "--root", str(project), "--out", str(git)).exit_code == 2


def test_build_refuses_a_non_empty_folder_it_did_not_create(project: Path, tmp_path: Path) -> None:
    docs = tmp_path / "my-notes"
    docs.mkdir()
    (docs / "thesis.docx").write_bytes(b"precious")
    for mode in ("--out", "--pages-only"):
        res = kb("build", "--root", str(project), mode, str(docs))
        assert res.exit_code == 2 and ".kb-output" in res.output
    assert sorted(p.name for p in docs.iterdir()) == ["thesis.docx"]
    assert (docs / "thesis.docx").read_bytes() == b"precious"


def test_build_refuses_a_symlink_into_content(project: Path, tmp_path: Path) -> None:
    link = tmp_path / "site-link"
    link.symlink_to(project / "content", target_is_directory=True)
    before = editor_files(project)
    assert kb("build", "--root", str(project), "--out", str(link)).exit_code == 2
    assert editor_files(project) == before


def test_build_writes_only_its_output_folder_and_may_replace_its_own(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert kb("build", "--root", str(project), "--out", str(empty)).exit_code == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    (empty / "stale.html").write_text("old", encoding="utf-8")
    assert kb("build", "--root", str(project), "--out", str(empty)).exit_code == 0  # our own: replaced
    assert not (empty / "stale.html").exists()
    before = snapshot(project)
    assert kb("build", "--root", str(project)).exit_code == 0  # default: ROOT/site
    after = snapshot(project)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed and all(k.startswith("site/") for k in changed), sorted(changed)[:5]
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site.")]
    assert not leftovers


def test_site_folder_is_readable_like_any_other_folder(project: Path, tmp_path: Path) -> None:
    """The staging folder comes from mkdtemp (mode 0700); a web server running as another user must read it."""
    out = tmp_path / "site"
    assert kb("build", "--root", str(project), "--out", str(out)).exit_code == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert (out.stat().st_mode & 0o777) == (0o777 & ~umask)


def test_check_output_dir_guards_directly(project: Path, tmp_path: Path) -> None:
    for bad in (project, project / "content", project / "content" / "injuries", project.parent,
                project / "references.bib", project / "pyproject.toml"):
        with pytest.raises(OutputError):
            check_output_dir(project, bad)
    check_output_dir(project, tmp_path / "new-folder")
    check_output_dir(project, project / "site")


def test_every_command_leaves_the_editors_files_alone(project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    before = editor_files(project)
    commands = [
        ["check", "--root", str(project)],
        ["check", "--root", str(project), "--format", "json", "--strict"],
        ["build", "--root", str(project), "--out", str(tmp_path / "site")],
        ["build", "--root", str(project)],
        ["build", "--root", str(project), "--strict", "--out", str(tmp_path / "site")],
        ["build", "--root", str(project), "--pages-only", str(tmp_path / "pages")],
        ["schema"],
        ["schema", "--check"],
    ]
    for args in commands:
        res = kb(*args)
        assert res.exit_code in (0, 1), (args, res.output)
        assert editor_files(project) == before, f"`kb {' '.join(args)}` changed the editors' files"
    added = {
        "content/claims/new-claim.md": ["new", "claim", "new-claim", "--root", str(project),
                                        "--source", "smith2020", "--injury", "runners-knee"],
        "content/injuries/new-injury.md": ["new", "injury", "new-injury", "--root", str(project)],
        "content/pages/new-page.md": ["new", "page", "new-page", "--root", str(project), "--title", "New"],
    }
    for rel, args in added.items():
        res = kb(*args)
        assert res.exit_code == 0, res.output
        after = editor_files(project)
        assert set(after) - set(before) == {rel}
        assert {k: after[k] for k in before} == before, f"`kb {' '.join(args)}` changed existing files"
        before = after
        res = kb(*args)  # never overwrites
        assert res.exit_code == 1 and editor_files(project) == before
    assert not run_check(project, Settings()).errors  # what kb new adds is valid


# --- a failed build keeps the last good site --------------------------------------------------------------

def _assert_failed_build_keeps_site(project: Path, out: Path, res: Result, good: dict[str, str]) -> None:
    assert res.exit_code != 0
    assert snapshot(out) == good, "the last good site was changed by a failed build"
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    assert not leftovers, f"staging folders left behind: {leftovers}"


def test_failed_check_keeps_the_last_good_site(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert kb("build", "--root", str(project), "--out", str(out)).exit_code == 0
    good = snapshot(out)
    assert "index.html" in good and "claims/exercise-helps/index.html" in good
    (project / CLAIM_REL).write_text(kbproject.CLAIM.replace("source: smith2020", "source: nobody2020"),
                                     encoding="utf-8")
    res = kb("build", "--root", str(project), "--out", str(out))
    _assert_failed_build_keeps_site(project, out, res, good)
    assert "unknown-citation" in res.output
    res = kb("build", "--root", str(project), "--pages-only", str(tmp_path / "pages"))
    assert res.exit_code == 1 and not (tmp_path / "pages").exists()


def test_failed_mkdocs_build_keeps_the_last_good_site(project: Path, tmp_path: Path) -> None:
    """The check passes but MkDocs fails (strict mode, a nav entry to a missing page)."""
    out = tmp_path / "site"
    assert kb("build", "--root", str(project), "--out", str(out)).exit_code == 0
    good = snapshot(out)
    (project / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\nstrict: true\ntheme: {name: material}\n"
        "plugins: [kb]\nnav:\n  - Home: index.md\n  - Missing: does-not-exist.md\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out), "--strict"])
    _assert_failed_build_keeps_site(project, out, res, good)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception


def test_crashing_theme_override_keeps_the_last_good_site(project: Path, tmp_path: Path) -> None:
    """A broken template override fails inside MkDocs: a clear error, and the old site stays."""
    out = tmp_path / "site"
    assert kb("build", "--root", str(project), "--out", str(out)).exit_code == 0
    good = snapshot(out)
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text("{% extends 'base.html' %}{% block content %}{{ x(",
                                                     encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\ntheme: {name: material, custom_dir: overrides}\nplugins: [kb]\n",
        encoding="utf-8")
    res = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out)])
    _assert_failed_build_keeps_site(project, out, res, good)
    assert isinstance(res.exception, SystemExit) and res.exit_code == 1, "a traceback instead of an error message"
    assert "failed" in res.output


def test_build_site_error_types(project: Path, tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        build_site(project, project / "content")
    (project / "mkdocs.yml").write_text("theme: {name: no-such-theme}\nplugins: [kb]\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(project, tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_project_copy_helper_is_independent(project: Path, tmp_path: Path) -> None:
    """The fixture helper itself: a copy is a separate project (guards the snapshot tests)."""
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    (copy / CLAIM_REL).write_text("changed", encoding="utf-8")
    assert editor_files(copy) != editor_files(project)
