"""Issue 14: what a hostile pull request can put in a project, and what stops it.

One section per finding class: foreign files and symlinks in content/ (1),
Markdown under other extensions (2), the site address (3), mkdocs.yml as code
(4), paths the generator owns (10), oversized files (13), `kb new` and control
characters (14).  Each test names the class it closes, and tries several
variants of it, not just the one reported.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.checks.check import run_check
from generator.commands.cli import main
from generator.intake.config import Settings

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

MATERIAL_BUNDLE = "assets/javascripts/bundle.0000beef.min.js"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def kb(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


def found(result, file: str | None = None) -> list[tuple[str, str, int | None]]:  # type: ignore[no-untyped-def]
    return [(d.code, d.file, d.line) for d in result.diagnostics if file is None or d.file == file]


def codes_for(result, file: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.code for d in result.diagnostics if d.file == file}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = kbproject.write_project(tmp_path / "project", claim=kbproject.CLEAN_CLAIM)  # no diagnostic to start with
    assert run_check(root, Settings()).diagnostics == ()
    return root


def build(project: Path, out: Path, env: dict[str, str] | None = None) -> Result:
    return kb("build", "--root", str(project), "--out", str(out), env=env)


def published(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() or p.is_symlink()}


def disable_all_file_checks(project: Path) -> None:
    """A project whose settings switch the new checks off: what is published must still be safe."""
    disable(project, "unsupported-file", "unsafe-path", "reserved-path", "too-large")


def disable(project: Path, *codes: str) -> None:
    """Switch *codes* off in pyproject.toml (those that exist: so the test runs on older code too)."""
    from generator.core.diagnostics import CODES

    known = ", ".join(f'"{c}"' for c in codes if c in CODES)
    (project / "pyproject.toml").write_text(f"[tool.kb]\ndisable = [{known}]\n", encoding="utf-8")


# --- 1. files editors may not add ------------------------------------------------------------

FOREIGN = {
    "content/claims/evil.html": b"<script>alert(1)</script>\n",
    "content/pages/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n',
    "content/claims/notes.txt": b"plain text\n",
    "content/injuries/x.js": b"alert(1)\n",
    "content/interventions/style.css": b"body{}\n",
    "content/pages/data.json": b"{}\n",
    "content/pages/page.htm": b"<script>alert(1)</script>\n",
    "content/pages/x.xhtml": b"<script>alert(1)</script>\n",
    "content/claims/noextension": b"<script>alert(1)</script>\n",
    "content/top-level.html": b"<script>alert(1)</script>\n",
    "content/" + MATERIAL_BUNDLE: b"alert(1)\n",
    # allowed extension, wrong content: a browser may sniff it as HTML
    "content/claims/fake.png": b"<html><script>alert(1)</script></html>\n",
    "content/claims/fake.pdf": b"<script>alert(1)</script>\n",
    "content/claims/FIG.PNG": b"<script>alert(1)</script>\n",
}


@pytest.mark.parametrize("rel", sorted(FOREIGN))
def test_foreign_file_is_reported(project: Path, rel: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FOREIGN[rel])
    result = run_check(project, Settings())
    assert result.failed()
    assert codes_for(result, rel) & {"unsupported-file", "reserved-path"}, found(result)


def test_foreign_files_are_never_published(project: Path, tmp_path: Path) -> None:
    """Even with the checks switched off in the settings, the plugin publishes only allowed files."""
    for rel, data in FOREIGN.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(data)
    (project / "content/claims/figure.png").write_bytes(PNG)
    import material

    theme_js = Path(material.__file__).parent / "templates/assets/javascripts"
    real = sorted(theme_js.glob("bundle.*.min.js"))
    assert real, "Material's bundle not found"
    (project / "content/assets/javascripts" / real[0].name).write_bytes(b"alert(1)\n")  # the real name
    (project / "content/claims/.hidden.html").write_bytes(b"<script>alert(1)</script>\n")  # not reported, as .gitkeep
    disable_all_file_checks(project)
    res = build(project, tmp_path / "site")
    assert res.exit_code == 0, res.output
    site = tmp_path / "site"
    files = published(site)
    assert "claims/figure.png" in files and "claims/.hidden.html" not in files
    for rel in FOREIGN:
        out = rel.removeprefix("content/")
        if out == MATERIAL_BUNDLE:  # a made-up hash: the theme has no such file, so nothing may be there
            assert not (site / out).exists()
        else:
            assert out not in files, f"{rel} was published"
    assert (site / "assets/javascripts" / real[0].name).read_bytes() == real[0].read_bytes(), "the theme's script"
    for page in site.rglob("*.html"):
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8"), page


@pytest.mark.parametrize("rel,data", [("content/claims/figure.png", PNG), ("content/injuries/photo.jpg", JPEG),
                                      ("content/pages/paper.pdf", PDF), ("content/claims/sub/dir/chart.png", PNG)])
def test_allowed_files_pass_and_are_published(project: Path, tmp_path: Path, rel: str, data: bytes) -> None:
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    (project / rel).write_bytes(data)
    result = run_check(project, Settings())
    assert found(result) == []
    assert build(project, tmp_path / "site").exit_code == 0
    assert (tmp_path / "site" / rel.removeprefix("content/")).read_bytes() == data


def _symlink(project: Path, rel: str, target: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


SYMLINKS = {
    "content/claims/passwd.txt": "/etc/passwd",
    "content/claims/passwd.png": "/etc/passwd",
    "content/claims/stolen.md": "/etc/passwd",
    "content/pages/zero.bin": "/dev/zero",
    "content/pages/zero.png": "/dev/zero",
    "content/claims/bib.pdf": "../../references.bib",
    "content/claims/config.png": "../../pyproject.toml",
    "content/claims/etc": "/etc",
    "content/claims/up": "../..",
    "content/claims/loop.png": "loop.png",
    "content/claims/dangling.png": "/no/such/file.png",
}


@pytest.mark.parametrize("rel", sorted(SYMLINKS))
def test_symlink_leaving_content_is_reported(project: Path, rel: str) -> None:
    _symlink(project, rel, SYMLINKS[rel])
    start = time.perf_counter()
    result = run_check(project, Settings())
    assert time.perf_counter() - start < 30
    assert ("unsafe-path", rel, None) in found(result, rel), found(result)


def test_special_files_are_reported(project: Path) -> None:
    fifo = project / "content/pages/pipe.png"
    os.mkfifo(fifo)
    result = run_check(project, Settings())  # must not block on the FIFO
    assert ("unsafe-path", "content/pages/pipe.png", None) in found(result)


def test_files_linked_from_outside_are_never_published(project: Path, tmp_path: Path) -> None:
    for rel in ("content/claims/passwd.txt", "content/claims/passwd.png", "content/claims/bib.pdf",
                "content/claims/config.png"):
        _symlink(project, rel, SYMLINKS[rel])
    disable_all_file_checks(project)
    build(project, tmp_path / "site")
    site = tmp_path / "site"
    for page in (site.rglob("*") if site.exists() else []):
        if page.is_file():
            data = page.read_bytes()
            assert b"root:x:0:0" not in data and b"@article{smith2020" not in data, page


def test_links_to_devices_folders_and_loops_end_the_build_quickly(project: Path, tmp_path: Path) -> None:
    """/dev/zero once made kb build write without end; a link to / or .. made MkDocs walk without end.

    Not run against the old code: it fills the disk.
    """
    for rel in ("content/pages/zero.bin", "content/pages/zero.png", "content/claims/etc", "content/claims/up",
                "content/claims/loop.png"):
        _symlink(project, rel, SYMLINKS[rel])
    _symlink(project, "content/claims/self", ".")
    _symlink(project, "content/.hidden", "/")
    os.mkfifo(project / "content/pages/pipe.png")
    disable_all_file_checks(project)
    start = time.perf_counter()
    res = build(project, tmp_path / "site")
    assert time.perf_counter() - start < 60
    assert res.exit_code != 0 and "unsafe-path" in res.output, res.output
    assert not (tmp_path / "site").exists()


def test_symlink_inside_content_to_an_allowed_file_is_fine(project: Path) -> None:
    (project / "content/claims/figure.png").write_bytes(PNG)
    _symlink(project, "content/injuries/figure.png", "../claims/figure.png")
    assert found(run_check(project, Settings())) == []


# --- 2. Markdown under another extension -------------------------------------------------------

@pytest.mark.parametrize("ext", [".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext", ".MD"])
def test_markdown_variants_are_reported(project: Path, ext: str) -> None:
    rel = f"content/pages/evil{ext}"
    (project / rel).write_text('---\ntitle: "</title><script>alert(1)</script>"\n---\nx\n', encoding="utf-8")
    result = run_check(project, Settings())
    [d] = [d for d in result.diagnostics if d.file == rel]
    assert d.code == "unsupported-file" and ".md" in (d.hint or "")


def test_markdown_outside_the_content_folders_is_reported(project: Path) -> None:
    for rel in ("content/index.md", "content/claims/sub/deep.md", "content/other/page.md"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(kbproject.PAGE, encoding="utf-8")
    result = run_check(project, Settings())
    for rel in ("content/index.md", "content/claims/sub/deep.md", "content/other/page.md"):
        assert "unsupported-file" in codes_for(result, rel), found(result)


def test_titles_of_any_page_reach_the_head_escaped(project: Path, tmp_path: Path) -> None:
    title = '"</title><script>alert(1)</script><meta x="'
    quoted = "'" + title.replace("'", "''") + "'"
    page = f"---\ntitle: {quoted}\nsummary: {quoted}\n---\nx\n"
    for ext in (".markdown", ".mdown", ".mkd", ".mkdn"):
        (project / f"content/pages/evil{ext.strip('.')}{ext}").write_text(page, encoding="utf-8")
    disable_all_file_checks(project)
    res = build(project, tmp_path / "site")
    assert res.exit_code == 0, res.output
    for html_file in (tmp_path / "site").rglob("*.html"):
        assert "<script>alert(1)</script>" not in html_file.read_text(encoding="utf-8"), html_file


# --- 3. the site address ---------------------------------------------------------------------------

BAD_URLS = [
    'https://ex.org/"><script>alert(1)</script>/',
    "https://ex.org/'onmouseover='alert(1)'/",
    "javascript:alert(1)//",
    "https://ex.org/<svg/onload=alert(1)>/",
    "https://ex.org/a b/",
    "https://ex.org/\x01/",
    "ftp://ex.org/",
    "https:///path-without-host/",
    "https://ex.org/`x`/",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_site_url_is_refused_before_mkdocs(project: Path, tmp_path: Path, url: str) -> None:
    res = build(project, tmp_path / "site", env={"SITE_URL": url})
    assert res.exit_code != 0, f"built with SITE_URL={url!r}"
    assert "SITE_URL" in res.output or "site_url" in res.output
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("url", ["https://kennisbank.example.org/", "http://127.0.0.1:8000/",
                                 "https://example.org/sub/path/", "https://xn--bcher-kva.example/"])
def test_good_site_url_builds(project: Path, tmp_path: Path, url: str) -> None:
    res = build(project, tmp_path / "site", env={"SITE_URL": url})
    assert res.exit_code == 0, res.output
    assert f'href="{url}"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


# --- 4. mkdocs.yml is code ------------------------------------------------------------------------

CONFIG_HEAD = "site_name: Test\ndocs_dir: content\ntheme: {name: material}\nplugins: [kb]\n"
UNSAFE_TAGS = [
    "!!python/object/apply:os.system ['touch {pwned}']",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {pwned}']",
    "!!python/object/new:os.system ['touch {pwned}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:os.system {{}}",
    "!!python/name:pymdownx_evil.x",
]


@pytest.mark.parametrize("tag", UNSAFE_TAGS)
def test_unsafe_yaml_tag_in_mkdocs_yml_is_reported_and_never_run(project: Path, tmp_path: Path, tag: str) -> None:
    pwned = tmp_path / "PWNED"
    (project / "mkdocs.yml").write_text(CONFIG_HEAD + "extra:\n  x: " + tag.format(pwned=pwned) + "\n",
                                        encoding="utf-8")
    res = kb("check", "--root", str(project))
    assert res.exit_code == 1 and "[unsafe-config]" in res.output and "mkdocs.yml:6:" in res.output, res.output
    res = build(project, tmp_path / "site")
    assert res.exit_code != 0
    assert not pwned.exists(), "mkdocs.yml ran code during kb build"
    assert not (tmp_path / "site").exists()


def test_unsafe_tag_behind_a_tag_directive_or_inherit(project: Path, tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    (project / "base.yml").write_text(f"extra:\n  x: !!python/object/apply:os.system ['touch {pwned}']\n",
                                      encoding="utf-8")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n" + CONFIG_HEAD, encoding="utf-8")
    res = kb("check", "--root", str(project))
    assert res.exit_code == 1 and "base.yml:2:" in res.output and "[unsafe-config]" in res.output, res.output
    assert build(project, tmp_path / "site").exit_code != 0 and not pwned.exists()
    (project / "mkdocs.yml").write_text(
        f"%TAG !p! tag:yaml.org,2002:python/\n---\n{CONFIG_HEAD}extra:\n  x: !p!object/apply:os.system ['touch {pwned}']\n",
        encoding="utf-8")
    res = kb("check", "--root", str(project))
    assert res.exit_code == 1 and "[unsafe-config]" in res.output, res.output
    assert build(project, tmp_path / "site").exit_code != 0 and not pwned.exists()


def test_harmless_mkdocs_tags_are_accepted(project: Path, tmp_path: Path) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: Test\nsite_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\ndocs_dir: content\n"
        "theme: {name: material}\nplugins: [kb]\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n", encoding="utf-8")
    res = kb("check", "--root", str(project))
    assert res.exit_code == 0, res.output
    assert build(project, tmp_path / "site").exit_code == 0


# --- 10. paths the generator owns ----------------------------------------------------------------

def _generated_top_level(project: Path) -> set[str]:
    from generator.pages.references import format_sources
    from generator.pages.render import render_site

    result = run_check(project, Settings())
    files = render_site(result.kb, format_sources(result.kb.sources, "nl"), Settings())
    return {f.path.split("/")[0].removesuffix(".md") for f in files} - {"about"}


def test_free_page_may_not_take_any_generated_path(project: Path) -> None:
    names = _generated_top_level(project) | {"legenda", "achterhaald"}
    assert "legenda" in names
    for name in sorted(names):
        if name == "index":
            continue  # reserved everywhere
        rel = f"content/pages/{name}.md"
        (project / rel).write_text(kbproject.PAGE, encoding="utf-8")
        result = run_check(project, Settings())
        assert ("invalid-id", rel, None) in found(result, rel), (name, found(result))
        (project / rel).unlink()


@pytest.mark.parametrize("rel", ["content/assets/logo.png", "content/search/x.png", "content/api/x.png",
                                 "content/references/x.png", "content/stylesheets/x.png",
                                 "content/javascripts/x.png", "content/assets/images/favicon.png"])
def test_assets_may_not_shadow_theme_or_generated_folders(project: Path, rel: str) -> None:
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    (project / rel).write_bytes(PNG)
    result = run_check(project, Settings())
    assert ("reserved-path", rel, None) in found(result, rel), found(result)


# --- 13. oversized files --------------------------------------------------------------------------

def _sparse(path: Path, size: int, head: bytes = b"") -> None:
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)


@pytest.mark.parametrize("rel", ["content/claims/huge.md", "content/pages/huge.md", "references.bib",
                                 "content/claims/huge.png"])
def test_oversized_file_is_refused_by_its_size(project: Path, rel: str) -> None:
    head = PNG if rel.endswith(".png") else b"---\ntitle: x\n---\n"
    _sparse(project / rel, 2 * 1024**3 + 1, head)  # sparse: takes no disk, but 2 GB if read
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = run_check(project, Settings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 20
    assert peak < 200 * 1024 * 1024, f"read the file: {peak / 1e6:.0f} MB"
    assert [d.code for d in result.diagnostics if d.file == rel] == ["too-large"]


# --- 14. kb new and control characters -------------------------------------------------------------

@pytest.mark.parametrize("item_id", ["abc\n", "abc\r", "\nabc", "abc\n\n", "ab\tc", "abc\x00"])
def test_kb_new_refuses_ids_with_control_characters(project: Path, item_id: str) -> None:
    before = kbproject.snapshot(project)
    res = kb("new", "injury", item_id, "--root", str(project))
    assert res.exit_code == 1 and "invalid id" in res.output
    assert kbproject.snapshot(project) == before


@pytest.mark.parametrize("title", ["A\n---\nx: y", "A\r\nB", "---", "A\x7fB", "A\x00B", "A\u2028B", "a: b",
                                   "<script>alert(1)</script>", "' or \"", "\\", "- [x]", "#", "  ", "",
                                   "x" * 5000, "A\x85B", "\ufeffA"])
@pytest.mark.parametrize("kind", ["page", "injury", "claim"])
def test_kb_new_title_gives_a_valid_skeleton_or_a_refusal(project: Path, title: str, kind: str) -> None:
    before = kbproject.snapshot(project)
    args = ["new", kind, "new-item", "--root", str(project), "--title", title]
    if kind == "claim":
        args += ["--injury", "runners-knee", "--source", "smith2020"]
    res = kb(*args)
    if res.exit_code != 0:
        assert kbproject.snapshot(project) == before, "a refusal must write nothing"
        assert res.output.startswith("kb: ")
        return
    result = run_check(project, Settings())
    assert not result.failed(), found(result)


@pytest.mark.parametrize("option,value", [("--injury", "x]"), ("--injury", "runners-knee, b"),
                                          ("--injury", "no-such-injury"), ("--source", "smith2020]"),
                                          ("--source", "nosuchkey"), ("--risk-factor", "a\nb"),
                                          ("--intervention", "../x"), ("--source", "{x}")])
def test_kb_new_claim_refuses_what_would_fail_check(project: Path, option: str, value: str) -> None:
    before = kbproject.snapshot(project)
    args = ["new", "claim", "new-claim", "--root", str(project), "--injury", "runners-knee", "--source", "smith2020"]
    res = kb(*args, option, value)
    if res.exit_code == 0:
        assert not run_check(project, Settings()).failed(), "kb new wrote a claim that fails kb check"
    else:
        assert kbproject.snapshot(project) == before


@pytest.mark.parametrize("escaped", ["\\x7f", "\\x00", "\\x1b[31m", "\\u0085", "\\u2028", "\\x9b", "\\ufeff",
                                     "\\x07", "\\x0b"])
def test_control_characters_in_front_matter_are_reported(project: Path, escaped: str) -> None:
    rel = "content/claims/exercise-helps.md"
    text = kbproject.CLAIM.replace('statement: "Exercise therapy', f'statement: "Exercise{escaped} therapy')
    (project / rel).write_text(text, encoding="utf-8")
    result = run_check(project, Settings())
    assert ("control-character", rel, 2) in found(result, rel), found(result)


def test_control_characters_never_break_the_generated_front_matter(project: Path, tmp_path: Path) -> None:
    rel = "content/claims/exercise-helps.md"
    text = kbproject.CLAIM.replace('statement: "Exercise therapy', 'statement: "Exercise\\x7f\\x85\\u2028 therapy')
    (project / rel).write_text(text, encoding="utf-8")
    disable(project, "control-character")
    res = build(project, tmp_path / "site")
    assert res.exit_code == 0, res.output
    html = (tmp_path / "site/claims/exercise-helps/index.html").read_text(encoding="utf-8")
    assert not re.search(r"^title: |description: ", html, re.M), "the page shows its raw front matter"
    assert "<title>Exercise" in html


def test_kb_diff_against_a_revision_with_links_is_not_a_crash(project: Path) -> None:
    """git archive keeps links; extracting a link out of the snapshot folder raised AbsoluteLinkError."""
    import subprocess

    _symlink(project, "content/claims/passwd.txt", "/etc/passwd")
    _symlink(project, "content/claims/up", "../..")
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "base"], check=True)
    res = CliRunner().invoke(main, ["diff", "HEAD", "--root", str(project)])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 0 and "No claim was added, removed or changed." in res.output, res.output


# --- the allowed files are usable: links and images to them resolve --------------------------------

def test_pages_link_to_allowed_images_and_pdfs(project: Path, tmp_path: Path) -> None:
    (project / "content/media").mkdir()
    (project / "content/media/chart.png").write_bytes(PNG)
    (project / "content/pages/logo.png").write_bytes(PNG)
    (project / "content/claims/paper.pdf").write_bytes(PDF)
    claim = project / "content/claims/exercise-helps.md"
    claim.write_text(claim.read_text(encoding="utf-8") + "\n![Chart](../media/chart.png) and [the paper](paper.pdf).\n",
                     encoding="utf-8")
    page = project / "content/pages/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![Logo](logo.png), ![Chart](../media/chart.png), "
                    "[paper](../claims/paper.pdf).\n", encoding="utf-8")
    result = run_check(project, Settings())
    assert found(result) == []
    (project / "mkdocs.yml").write_text(CONFIG_HEAD + "strict: true\n", encoding="utf-8")
    res = kb("build", "--root", str(project), "--out", str(tmp_path / "site"), "--strict")
    assert res.exit_code == 0, res.output
    site = tmp_path / "site"
    for html_page in (site / "about/index.html", site / "claims/exercise-helps/index.html"):
        text = html_page.read_text(encoding="utf-8")
        targets = re.findall(r'(?:src|href)="([^"#]+\.(?:png|pdf))"', text)
        assert len(targets) >= 2, targets
        for target in targets:
            assert (html_page.parent / target).resolve().is_file(), (html_page, target)


def test_a_missing_image_is_a_broken_link(project: Path) -> None:
    claim = project / "content/claims/exercise-helps.md"
    lines = claim.read_text(encoding="utf-8").splitlines()
    claim.write_text("\n".join(lines + ["", "![Chart](chart.png)"]) + "\n", encoding="utf-8")
    result = run_check(project, Settings())
    assert ("broken-link", "content/claims/exercise-helps.md", len(lines) + 2) in found(result), found(result)


@pytest.mark.parametrize("target", ["/etc", "/", "content-real"])
def test_content_folder_itself_may_not_be_a_link(project: Path, tmp_path: Path, target: str) -> None:
    if target == "content-real":
        (project / "content").rename(project / "content-real")
    else:
        shutil.rmtree(project / "content")
    os.symlink(target, project / "content")
    start = time.perf_counter()
    result = run_check(project, Settings())
    assert time.perf_counter() - start < 30
    assert ("unsafe-path", "content", None) in found(result), found(result)[:5]
    assert build(project, tmp_path / "site").exit_code != 0


@pytest.mark.parametrize("target", ["/etc/passwd", "real.bib"])
def test_references_bib_may_not_be_a_link(project: Path, target: str) -> None:
    (project / "references.bib").rename(project / "real.bib")
    os.symlink(target, project / "references.bib")
    result = run_check(project, Settings())
    assert ("unsafe-path", "references.bib", None) in found(result), found(result)
    assert not any("root:x:0:0" in d.message for d in result.diagnostics)


def test_oversized_mkdocs_yml_is_refused_by_its_size(project: Path, tmp_path: Path) -> None:
    _sparse(project / "mkdocs.yml", 2 * 1024**3, CONFIG_HEAD.encode())
    tracemalloc.start()
    try:
        result = run_check(project, Settings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
    assert ("too-large", "mkdocs.yml", None) in found(result)
    assert build(project, tmp_path / "site").exit_code != 0


def test_plain_mkdocs_build_is_guarded_by_the_plugin(project: Path, tmp_path: Path) -> None:
    """`mkdocs build` with plugins: [kb] (no kb build around it): the plugin itself refuses and filters."""
    import subprocess
    import sys

    (project / "mkdocs.yml").write_text(CONFIG_HEAD + "site_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\n",
                                        encoding="utf-8")
    disable_all_file_checks(project)
    (project / "content/claims/evil.html").write_bytes(b"<script>alert(1)</script>")
    run = lambda *extra: subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],  # noqa: E731
                                        cwd=project, capture_output=True, text=True, env={**os.environ, **dict(extra)})
    done = run()
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "site/claims/evil.html").exists()
    done = run(("SITE_URL", 'https://ex.org/"><script>alert(1)</script>/'))
    assert done.returncode != 0 and "refused" in done.stderr, done.stderr
    _symlink(project, "content/claims/up", "../..")
    done = run()
    assert done.returncode != 0 and "unsafe-path" in done.stderr, done.stderr


def test_control_characters_in_the_bibliography_never_break_a_page(project: Path, tmp_path: Path) -> None:
    """references.bib is not YAML: raw control characters are valid there, and reach generated front matter."""
    bib = (project / "references.bib").read_text(encoding="utf-8")
    (project / "references.bib").write_text(bib.replace("Exercise therapy for", "Exercise\x7f\x85\u2028 therapy for"),
                                            encoding="utf-8")
    res = build(project, tmp_path / "site")
    assert res.exit_code == 0, res.output
    html = (tmp_path / "site/references/smith2020/index.html").read_text(encoding="utf-8")
    assert not re.search(r"^title: |description: ", html, re.M), "the page shows its raw front matter"
