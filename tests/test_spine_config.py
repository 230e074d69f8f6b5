"""Issue 18, findings 1-4 and 19: mkdocs.yml and the site address, judged once for every engine.

kb resolves mkdocs.yml itself (generator/intake/mkdocs_yml.py) and every engine builds from kb's
result through one build (generator/engines/build.py).  Each test tries the reported variant and
more of its class, on every installed engine where the finding named one:

1. a site address with markup (SITE_URL, or site_url in mkdocs.yml) is refused on every engine;
2. a code tag behind INHERIT tricks (a chain longer than kb follows, two INHERIT keys, INHERIT in a
   merge key, a loop, a file outside the project) is reported by `kb check` and never runs;
3. with `unsafe-config` switched off, no engine runs a code tag;
4. with the file checks switched off, no engine publishes .svg/.html/.js or follows a link out;
19. `kb build --pages-only` refuses an invalid SITE_URL instead of dropping it.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from browser_support import ENGINES
from generator.commands.cli import main

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

HEAD = "site_name: Test\ndocs_dir: content\ntheme: {name: material}\nplugins: [search, kb]\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _installed(engine: str) -> bool:
    from generator.engines import ENGINES as KNOWN, installed

    return engine in KNOWN and installed(engine)


def engines_or_skip() -> list[object]:
    return [pytest.param(e, marks=pytest.mark.skipif(not _installed(e), reason=f"{e} is not installed"))
            for e in ENGINES]


def kb(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def build(project: Path, out: Path, engine: str, env: dict[str, str] | None = None) -> Result:
    return kb("build", "--root", str(project), "--out", str(out), "--engine", engine, env=env)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return kbproject.write_project(tmp_path / "project", claim=kbproject.CLEAN_CLAIM)


def disable(project: Path, *codes: str) -> None:
    from generator.core.diagnostics import CODES

    known = ", ".join(f'"{c}"' for c in codes if c in CODES)
    (project / "pyproject.toml").write_text(f"[tool.kb]\ndisable = [{known}]\n", encoding="utf-8")


# --- 1. the site address, on every engine ---------------------------------------------------------

BAD_ADDRESSES = [
    'https://example.org/"><img src=x onerror=alert(1)>/',
    "https://example.org/<script>alert(1)</script>/",
    "javascript:alert(1)//",
    "https://example.org/ onmouseover=alert(1) x/",
    "https://exa mple.org/",
]


@pytest.mark.parametrize("engine", engines_or_skip())
@pytest.mark.parametrize("url", BAD_ADDRESSES)
def test_bad_site_url_is_refused_on_every_engine(project: Path, tmp_path: Path, engine: str, url: str) -> None:
    out = tmp_path / "site"
    res = build(project, out, engine, env={"SITE_URL": url})
    assert res.exit_code == 1, f"{engine} built with SITE_URL={url!r}:\n{res.output}"
    assert "SITE_URL" in res.output and "[invalid-setting]" in res.output, res.output
    assert not out.exists()


@pytest.mark.parametrize("engine", engines_or_skip())
def test_bad_site_url_in_mkdocs_yml_is_refused_on_every_engine(project: Path, tmp_path: Path, engine: str) -> None:
    (project / "mkdocs.yml").write_text(HEAD + "site_url: 'https://x.org/\"><img src=x onerror=alert(1)>/'\n",
                                        encoding="utf-8")
    out = tmp_path / "site"
    res = build(project, out, engine, env={"SITE_URL": ""})
    assert res.exit_code == 1 and "site_url" in res.output and "[invalid-setting]" in res.output, res.output
    assert not out.exists()


# --- 2. INHERIT tricks ------------------------------------------------------------------------------

def _evil(pwned: Path) -> str:
    return f"extra:\n  x: !!python/object/apply:os.system ['touch {pwned}']\n"


def _chain(project: Path, pwned: Path, length: int) -> None:
    for i in range(length):
        (project / f"c{i}.yml").write_text(f"INHERIT: c{i + 1}.yml\n", encoding="utf-8")
    (project / f"c{length}.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: c0.yml\n", encoding="utf-8")


def _two_inherit(project: Path, pwned: Path) -> None:
    (project / "ok.yml").write_text("extra: {a: 1}\n", encoding="utf-8")
    (project / "evil.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: ok.yml\nINHERIT: evil.yml\n", encoding="utf-8")


def _merge_inherit(project: Path, pwned: Path) -> None:
    (project / "evil.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "<<: {INHERIT: evil.yml}\n", encoding="utf-8")


def _merge_alias_inherit(project: Path, pwned: Path) -> None:
    (project / "evil.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "extra: &base {INHERIT: evil.yml}\n<<: [{a: 1}, *base]\n",
                                        encoding="utf-8")


def _inherit_in_parent_twice(project: Path, pwned: Path) -> None:
    (project / "evil.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "ok.yml").write_text("INHERIT: ok2.yml\nINHERIT: evil.yml\n", encoding="utf-8")
    (project / "ok2.yml").write_text("extra: {a: 1}\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: ok.yml\n", encoding="utf-8")


def _loop(project: Path, pwned: Path) -> None:
    (project / "a.yml").write_text("INHERIT: mkdocs.yml\n" + _evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: a.yml\n", encoding="utf-8")


def _outside(project: Path, pwned: Path) -> None:
    (project.parent / "outside.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: ../outside.yml\n", encoding="utf-8")


def _two_plugins(project: Path, pwned: Path) -> None:
    (project / "mkdocs.yml").write_text(HEAD + "plugins: [search]\n", encoding="utf-8")


TRICKS = {"chain-of-12": lambda p, w: _chain(p, w, 12), "chain-of-30": lambda p, w: _chain(p, w, 30),
          "two-inherit-keys": _two_inherit, "inherit-in-merge-key": _merge_inherit,
          "inherit-in-merged-alias": _merge_alias_inherit, "two-inherit-keys-in-a-parent": _inherit_in_parent_twice,
          "loop": _loop, "outside-the-project": _outside, "two-plugins-keys": _two_plugins}


@pytest.mark.parametrize("trick", list(TRICKS))
def test_inherit_tricks_are_reported_and_never_run(project: Path, tmp_path: Path, trick: str) -> None:
    pwned = tmp_path / "PWNED"
    TRICKS[trick](project, pwned)
    res = kb("check", "--root", str(project))
    assert res.exit_code == 1, f"kb check passed {trick}:\n{res.output}"
    assert "[unsafe-config]" in res.output or "[duplicate-yaml-key]" in res.output, res.output
    res = build(project, tmp_path / "site", "mkdocs")
    assert res.exit_code != 0, f"built with {trick}:\n{res.output}"
    assert not pwned.exists(), f"{trick}: mkdocs.yml ran code"
    assert not (tmp_path / "site").exists()


def test_a_chain_kb_follows_resolves_like_mkdocs(project: Path, tmp_path: Path) -> None:
    """Short chains still work: parents merged under children, mappings key by key, lists replaced."""
    (project / "base.yml").write_text("theme: {name: material, language: en}\nextra: {a: 1, b: 1}\n"
                                      "extra_css: [x.css]\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Test\ndocs_dir: content\nplugins: [kb]\n"
                                        "extra: {b: 2}\nextra_css: []\n", encoding="utf-8")
    from generator.intake.mkdocs_yml import resolve

    resolved = resolve(project)
    assert resolved.ok, resolved.diagnostics
    assert resolved.data["extra"] == {"a": 1, "b": 2} and resolved.data["extra_css"] == []
    assert resolved.data["theme"]["language"] == "en" and "INHERIT" not in resolved.data
    res = build(project, tmp_path / "site", "mkdocs")
    assert res.exit_code == 0, res.output
    assert '<html lang="en"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


# --- 3. unsafe-config switched off ------------------------------------------------------------------

CODE_TAGS = [
    "!!python/object/apply:os.system ['touch {pwned}']",
    "!!python/object/new:os.system ['touch {pwned}']",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {pwned}']",
    "!!python/name:os.system",
]


@pytest.mark.parametrize("engine", engines_or_skip())
@pytest.mark.parametrize("tag", CODE_TAGS[:2])
def test_no_engine_runs_a_code_tag_with_unsafe_config_off(project: Path, tmp_path: Path, engine: str,
                                                          tag: str) -> None:
    pwned = tmp_path / "PWNED"
    disable(project, "unsafe-config")
    (project / "mkdocs.yml").write_text(HEAD + "extra:\n  x: " + tag.format(pwned=pwned) + "\n", encoding="utf-8")
    res = build(project, tmp_path / "site", engine)
    assert res.exit_code != 0, f"{engine} built:\n{res.output}"
    assert not pwned.exists(), f"{engine} ran the tag"
    assert "[unsafe-config]" in res.output, res.output


@pytest.mark.parametrize("tag", CODE_TAGS)
def test_code_tag_in_a_parent_with_unsafe_config_off(project: Path, tmp_path: Path, tag: str) -> None:
    pwned = tmp_path / "PWNED"
    disable(project, "unsafe-config")
    (project / "base.yml").write_text("extra:\n  x: " + tag.format(pwned=pwned) + "\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: base.yml\n", encoding="utf-8")
    for engine in [e for e in ENGINES if _installed(e)]:
        res = build(project, tmp_path / "site", engine)
        assert res.exit_code != 0 and not pwned.exists(), f"{engine}: {res.output}"


# --- 4. the file checks switched off ----------------------------------------------------------------

FOREIGN = {"content/pages/x.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
           "content/x.html": "<script>alert(1)</script>", "content/x.js": "alert(1)",
           "content/deep/er/y.svg": "<svg onload=alert(1)>", "content/x.htm": "<script>alert(1)</script>",
           "content/x.mjs": "alert(1)", "content/pages/x.markdown": "# x\n<script>alert(1)</script>\n"}


@pytest.mark.parametrize("engine", engines_or_skip())
def test_no_engine_publishes_foreign_files_with_the_checks_off(project: Path, tmp_path: Path, engine: str) -> None:
    disable(project, "unsupported-file", "unsafe-path", "reserved-path")
    for rel, text in FOREIGN.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    (project / "content" / "media").mkdir()
    (project / "content" / "media" / "ok.png").write_bytes(PNG)
    out = tmp_path / "site"
    res = build(project, out, engine)
    assert res.exit_code == 0, res.output
    published = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert "media/ok.png" in published, f"{engine}: the allowed image is missing"
    leaked = [rel.removeprefix("content/") for rel in FOREIGN if rel.removeprefix("content/") in published]
    assert not leaked, f"{engine} published {leaked}"
    assert not any("alert(1)" in p.read_text(encoding="utf-8", errors="replace")
                   for p in out.rglob("*") if p.suffix in (".html", ".svg", ".js", ".htm", ".mjs")), engine


@pytest.mark.parametrize("engine", engines_or_skip())
@pytest.mark.parametrize("link", ["file", "folder"])
def test_no_engine_follows_a_link_out_of_content(project: Path, tmp_path: Path, engine: str, link: str) -> None:
    disable(project, "unsupported-file", "unsafe-path", "reserved-path")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.png").write_bytes(PNG + b"root:x:0:0:SECRET")
    target = Path("/etc/passwd") if link == "file" and Path("/etc/passwd").exists() else secret
    os.symlink(target, project / "content" / ("leak.txt" if link == "file" else "leak"))
    out = tmp_path / "site"
    res = build(project, out, engine)
    assert res.exit_code != 0, f"{engine} built with a link out of content/:\n{res.output}"
    assert "unsafe-path" in res.output, res.output
    assert not out.exists()


# --- 19. --pages-only ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", BAD_ADDRESSES[:3])
def test_pages_only_refuses_an_invalid_site_url(project: Path, tmp_path: Path, url: str) -> None:
    out = tmp_path / "pages"
    res = kb("build", "--root", str(project), "--pages-only", str(out), env={"SITE_URL": url})
    assert res.exit_code == 1 and "SITE_URL" in res.output, res.output
    assert not out.exists()


def test_pages_only_refuses_what_every_engine_refuses(project: Path, tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    disable(project, "unsafe-config")
    _two_inherit(project, pwned)
    res = kb("build", "--root", str(project), "--pages-only", str(tmp_path / "pages"))
    assert res.exit_code != 0 and "[duplicate-yaml-key]" in res.output, res.output
    assert not (tmp_path / "pages").exists()


def test_pages_only_with_a_good_site_url_uses_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    res = kb("build", "--root", str(project), "--pages-only", str(out), env={"SITE_URL": "https://kb.example.org/"})
    assert res.exit_code == 0, res.output
    assert any("https://kb.example.org/" in p.read_text(encoding="utf-8", errors="replace")
               for p in out.rglob("*") if p.is_file())


# --- --pages-only takes a full build's settings; a setting's diagnostic names its file and line -------

def _settings_seen(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The settings each `kb build` generates its pages with (the pipeline's generate, wrapped)."""
    import generator.pages.pipeline as pipeline

    seen: list[object] = []
    real_generate = pipeline.generate

    def spy(root: Path, settings: object, *args: object, **kwargs: object) -> object:
        seen.append(settings)
        return real_generate(root, settings, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "generate", spy)
    return seen


def test_pages_only_takes_the_settings_a_full_build_takes_from_mkdocs_yml(project: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "base.yml").write_text("repo_url: https://github.com/owner/kb\ntheme: {name: material, language: en}\n",
                                      encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_name: Named in mkdocs.yml\ndocs_dir: content\n"
        "site_url: https://kb.example.org/sub/\nplugins:\n  - search\n  - kb:\n      publish_abstracts: true\n",
        encoding="utf-8")
    from generator.engines.build import prepare

    full = prepare(project, environ={}).settings
    assert (full.site_url, full.repo_url, full.site_name, full.language, full.publish_abstracts) == \
        ("https://kb.example.org/sub/", "https://github.com/owner/kb", "Named in mkdocs.yml", "en", True)
    seen = _settings_seen(monkeypatch)
    out = tmp_path / "pages"
    res = kb("build", "--root", str(project), "--pages-only", str(out), env={"SITE_URL": ""})
    assert res.exit_code == 0, res.output
    assert len(seen) == 1
    got = seen[0]
    assert (got.site_url, got.repo_url, got.site_name, got.language, got.publish_abstracts) == \
        (full.site_url, full.repo_url, full.site_name, full.language, full.publish_abstracts)  # type: ignore[attr-defined]
    assert any("https://kb.example.org/sub/" in p.read_text(encoding="utf-8", errors="replace")
               for p in out.rglob("*") if p.is_file())


BAD_SETTINGS = {  # mkdocs.yml, base.yml, the setting, and where its key is written
    "site_url": (HEAD + "site_url: 'https://x.org/\"><img src=x>/'\n", None, "site_url", "mkdocs.yml", 5),
    "repo_url": (HEAD + "repo_url: javascript:alert(1)//\n", None, "repo_url", "mkdocs.yml", 5),
    "plugin option": ("site_name: Test\ndocs_dir: content\nplugins:\n  - search\n  - kb:\n      disable: 12\n",
                      None, "disable", "mkdocs.yml", 6),
    "inherited": ("INHERIT: base.yml\n" + HEAD, "site_name: Base\n\nrepo_url: 'https://x.org/<script>'\n",
                  "repo_url", "base.yml", 3),
    "merge key": ("x: &bad {site_url: 'https://x.org/ x/'}\n<<: *bad\n" + HEAD, None, "site_url", "mkdocs.yml", 1),
}


@pytest.mark.parametrize("case", list(BAD_SETTINGS))
@pytest.mark.parametrize("how", ["check", "pages-only", "build"])
def test_a_bad_setting_in_mkdocs_yml_names_the_file_and_line_of_its_key(project: Path, tmp_path: Path,
                                                                         case: str, how: str) -> None:
    config, base, name, file, line = BAD_SETTINGS[case]
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    if base is not None:
        (project / "base.yml").write_text(base, encoding="utf-8")
    env = {"SITE_URL": ""}
    if how == "check":
        import json

        res = kb("check", "--root", str(project), "--format", "json", env=env)
        found = [(d["file"], d["line"]) for d in json.loads(res.output)["diagnostics"]
                 if d["code"] == "invalid-setting" and f"'{name}'" in d["message"]]
        assert found == [(file, line)], res.output
        assert res.exit_code == 1
        return
    out = tmp_path / "out"
    args = ["--pages-only", str(out)] if how == "pages-only" else ["--out", str(out), "--engine", "mkdocs"]
    res = kb("build", "--root", str(project), *args, env=env)
    assert res.exit_code == 1, res.output
    assert f"{file}:{line}: kb setting '{name}'" in res.output and "[invalid-setting]" in res.output, res.output
    assert not out.exists()


UNUSED = "\n@article{unused1,\n  author = {Doe, Jan},\n  title = {X},\n  journal = {Y},\n  year = {2020}\n}\n"


def test_kb_check_takes_the_settings_the_build_takes_from_mkdocs_yml(project: Path, tmp_path: Path) -> None:
    """A check switched off in mkdocs.yml is off for `kb check` as for the build: what passes one passes both."""
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(UNUSED)
    assert "[unused-reference]" in kb("check", "--root", str(project), "--strict").output
    (project / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\ntheme: {name: material}\n"
        "plugins: [search, {kb: {disable: [unused-reference]}}]\n", encoding="utf-8")
    checked = kb("check", "--root", str(project), "--strict")
    assert checked.exit_code == 0, checked.output
    assert "[unused-reference]" not in checked.output
    built = kb("build", "--root", str(project), "--out", str(tmp_path / "site"), "--strict")
    assert built.exit_code == 0, built.output
    # and a setting mkdocs.yml gets wrong is the check's error too, at its line
    (project / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\ntheme: {name: material}\n"
        "plugins: [search, {kb: {disable: [no-such-check]}}]\n", encoding="utf-8")
    bad = kb("check", "--root", str(project))
    assert bad.exit_code == 1 and "mkdocs.yml:4" in bad.output and "[invalid-setting]" in bad.output
