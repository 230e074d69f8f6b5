"""What kb hands the engines from mkdocs.yml: the resolved configuration, on every path.

generator/intake/mkdocs_yml.py resolves mkdocs.yml (tags, `!ENV`, `!relative`, merge keys, INHERIT)
and every engine, and `kb serve` on every reload, gets that result, never the file.  These tests
check what is handed on and that what used to work still does (allowed `!!python/name:` functions,
`!relative $config_dir`, hooks as an opt-in); test_spine_config.py holds the findings' regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_spine_config import HEAD, _evil, build, disable, engines_or_skip, kb, project  # noqa: F401  (fixture)


def test_resolved_config_reads_env_relative_and_allowed_names(tmp_path: Path) -> None:
    from generator.intake.mkdocs_yml import resolve
    from generator.intake.yamlfile import PythonName, Relative, compose, dump

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [KB_NAME, KB_OTHER, Default]\n"
        "flag: !ENV [KB_FLAG, false]\n"
        "missing: !ENV KB_MISSING\n"
        "snippets: !relative $config_dir/snippets\n"
        "here: !relative\n"
        "docs: !relative $docs_dir/img\n"
        "emoji: !!python/name:material.extensions.emoji.twemoji\n", encoding="utf-8")
    resolved = resolve(tmp_path, environ={"KB_OTHER": "Uit de omgeving", "KB_FLAG": "true"})
    assert resolved.ok, resolved.diagnostics
    data = resolved.data
    assert data["site_name"] == "Uit de omgeving" and data["flag"] is True and data["missing"] is None
    assert data["snippets"] == str(tmp_path / "snippets")
    assert data["here"] == Relative("") and data["docs"] == Relative("$docs_dir/img")
    assert data["emoji"] == PythonName("material.extensions.emoji.twemoji")
    text = dump(data)
    tags = set()
    stack = [compose(text)]
    while stack:
        node = stack.pop()
        tags.add(node.tag)
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else [item])
    assert {t for t in tags if not t.startswith("tag:yaml.org,2002:") or "python" in t} == {
        "!relative", "tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji"}, tags


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!custom x", "!!python/module:os",
                                 "!!python/name:pymdownx_evil.x", "!relative $home/x"])
def test_resolution_never_hands_on_an_unknown_tag(tmp_path: Path, tag: str) -> None:
    from generator.intake.mkdocs_yml import resolve

    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nextra:\n  a: {tag}\n", encoding="utf-8")
    resolved = resolve(tmp_path, environ={})
    assert not resolved.ok and [(d.code, d.line) for d in resolved.refusals()] == [("unsafe-config", 3)]


def test_kb_serve_reloads_kb_s_resolution_never_the_file(project: Path, tmp_path: Path) -> None:
    """`kb serve` hands MkDocs a stream that resolves mkdocs.yml again on every reload: an edit made
    while the server runs is read through kb, and a code tag written then is refused, never run."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from generator.engines.mkdocs_build import ResolvedConfigStream

    pwned = tmp_path / "PWNED"
    (project / "mkdocs.yml").write_text(HEAD.replace("Test", "Eerste"), encoding="utf-8")
    stream = ResolvedConfigStream(project)
    assert load_config(config_file=stream).site_name == "Eerste"  # type: ignore[arg-type]
    (project / "mkdocs.yml").write_text(HEAD.replace("Test", "Tweede"), encoding="utf-8")
    config = load_config(config_file=stream)  # type: ignore[arg-type]
    assert config.site_name == "Tweede" and config.config_file_path == str(project / "mkdocs.yml")
    (project / "mkdocs.yml").write_text(HEAD + _evil(pwned), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="unsafe-config"):
        load_config(config_file=stream)  # type: ignore[arg-type]
    assert not pwned.exists()


@pytest.mark.parametrize("engine", engines_or_skip())
def test_allowed_python_names_still_work_on_every_engine(project: Path, tmp_path: Path, engine: str) -> None:
    """Material's emoji functions, named with !!python/name:, reach every engine (and kb's own rendering)."""
    (project / "mkdocs.yml").write_text(
        HEAD + "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n", encoding="utf-8")
    page = project / "content" / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen glimlach :smile: hier.\n", encoding="utf-8")
    out = tmp_path / "site"
    res = build(project, out, engine)
    assert res.exit_code == 0, res.output
    html = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert "Een glimlach :smile: hier" not in html and "twemoji" in html, f"{engine}: the emoji was not rendered"


@pytest.mark.parametrize("line", ["site_url: 'javascript:alert(1)//'", "repo_url: 'https://x.org/\"><b>'",
                                  "plugins: [search, {kb: {stale_months: -1}}]"])
def test_kb_check_reports_what_every_build_refuses_in_mkdocs_yml(project: Path, tmp_path: Path, line: str) -> None:
    """Whatever passes `kb check` builds: a kb setting in mkdocs.yml every build refuses is a check error too."""
    (project / "mkdocs.yml").write_text(HEAD.replace("plugins: [search, kb]\n", "") + line + "\n"
                                        + ("" if "plugins" in line else "plugins: [search, kb]\n"), encoding="utf-8")
    res = kb("check", "--root", str(project))
    assert res.exit_code == 1 and "mkdocs.yml" in res.output and "[invalid-setting]" in res.output, res.output
    assert build(project, tmp_path / "site", "mkdocs").exit_code == 1


def test_hooks_are_an_opt_in_and_tags_are_not(project: Path, tmp_path: Path) -> None:
    """`hooks:` is reported, and switching unsafe-config off lets a project use them; a tag beside them is
    still refused."""
    from generator.intake.config_safety import config_problems

    (project / "mkdocs.yml").write_text(HEAD + "hooks: [hooks.py]\n", encoding="utf-8")
    (project / "hooks.py").write_text("", encoding="utf-8")
    assert [d.code for d in config_problems(project)] == ["unsafe-config"]
    assert config_problems(project, hooks=False) == []
    disable(project, "unsafe-config")
    assert build(project, tmp_path / "site", "mkdocs").exit_code == 0
    (project / "mkdocs.yml").write_text(HEAD + "hooks: [hooks.py]\nextra: {x: !!python/name:os.system}\n",
                                        encoding="utf-8")
    assert [d.line for d in config_problems(project, hooks=False)] == [6]
    assert build(project, tmp_path / "site2", "mkdocs").exit_code != 0


@pytest.mark.parametrize("engine", engines_or_skip())
def test_relative_tags_on_every_engine(project: Path, tmp_path: Path, engine: str) -> None:
    """`!relative $config_dir/...` is resolved by kb and builds everywhere.  A bare `!relative` (the folder of
    the page being rendered) has no page when kb renders editors' text itself: every engine stops with a
    message naming it, never a traceback."""
    (project / "snips").mkdir()
    (project / "snips" / "s.md").write_text("Uit een snippet.\n", encoding="utf-8")
    config = HEAD + "markdown_extensions:\n  - pymdownx.snippets:\n      base_path:\n        - !relative $config_dir/snips\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    page = project / "content" / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n--8<-- \"s.md\"\n", encoding="utf-8")
    res = build(project, tmp_path / "site", engine)
    assert res.exit_code == 0, res.output
    assert "Uit een snippet." in (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config + "        - !relative\n", encoding="utf-8")
    res = build(project, tmp_path / "site2", engine)
    assert res.exit_code == 1 and "!relative" in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
