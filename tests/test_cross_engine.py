"""The same projects on MkDocs, ProperDocs and Zensical: the same refusals, pages, JSON-LD, feed and abstracts.

Every engine builds through one build (generator/engines/build.py), so what a reader or a
maintainer gets must not depend on `--engine`.  This test builds the shipped knowledge base once
per engine (module-scoped) and a few small projects, hostile and not, on each installed engine,
and compares what they produce:

* refusals: the same exit code and the same message codes (`[invalid-setting]`, ...), and no
  output folder, for a bad SITE_URL, a SOURCE_DATE_EPOCH kb cannot use, INHERIT tricks, a code tag with `unsafe-config` off, a
  link to /etc/passwd with the file checks off;
* pages: the same set of claim and source pages;
* JSON-LD in every claim page's <head>;
* the feed's address;
* abstracts: none published unless `publish_abstracts` is on, then the same ones everywhere.

An engine that is not installed is left out, and the comparison says which (skipped when fewer
than two are installed).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from browser_support import REPO, kb_executable

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

ALL = ("mkdocs", "properdocs", "zensical")
SITE_URL = "https://kb.example.org/sub/"
HEAD = "site_name: Test\ndocs_dir: content\ntheme: {name: material}\nplugins: [search, kb]\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _installed() -> list[str]:
    from generator.engines import installed

    return [e for e in ALL if installed(e)]


INSTALLED = _installed()
MISSING = [e for e in ALL if e not in INSTALLED]


def _need_two() -> None:
    if len(INSTALLED) < 2:
        pytest.skip(f"fewer than two engines installed (missing: {', '.join(MISSING)})")


def kb_build(project: Path, out: Path, engine: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environ.update(env or {})
    return subprocess.run(kb_executable() + ["build", "--root", str(project), "--out", str(out), "--engine", engine],
                          capture_output=True, text=True, timeout=600, cwd=str(project), env=environ)


def codes(output: str) -> set[str]:
    return set(re.findall(r"\[([a-z]+(?:-[a-z]+)*)\]", output))


def _engines_note() -> str:
    return f" (engines left out, not installed: {', '.join(MISSING)})" if MISSING else ""


# --- what a built site shows -------------------------------------------------------------------------

def facts(site: Path) -> dict[str, object]:
    """What must not depend on the engine."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("*/*/index.html")
                   if p.relative_to(site).parts[0] in ("claims", "references"))
    without_jsonld = [p for p in pages if p.startswith("claims/")
                      and 'type="application/ld+json"' not in _head(site / p)]
    feed = (site / "feed.xml").read_text(encoding="utf-8") if (site / "feed.xml").is_file() else ""
    self_link = re.search(r'<link href="([^"]*)" rel="self"', feed)
    refs = json.loads((site / "api" / "references.json").read_text(encoding="utf-8"))
    items = refs if isinstance(refs, list) else refs.get("references", refs.get("items", []))
    abstracts = sorted(str(r.get("id")) for r in items if isinstance(r, dict) and r.get("abstract"))
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {"pages": pages, "claims without JSON-LD": without_jsonld,
            "feed address": self_link.group(1) if self_link else None, "abstracts": abstracts,
            "foreign files": sorted(p for p in published if p.endswith((".svg", ".htm", ".js", ".mjs"))
                                    and not p.startswith(("assets/", "search/")))}


def _head(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[:text.find("</head>")]


# --- the shipped knowledge base, once per engine -----------------------------------------------------

@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    base = tmp_path_factory.mktemp("cross-engine")
    project = base / "project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    for name in ("references.bib", "pyproject.toml", "mkdocs.yml"):
        shutil.copy2(REPO / name, project / name)
    out: dict[str, dict[str, object]] = {}
    for engine in INSTALLED:
        site = base / f"site-{engine}"
        done = kb_build(project, site, engine, env={"SITE_URL": SITE_URL})
        assert done.returncode == 0, f"{engine}: {done.stdout}{done.stderr}"
        out[engine] = facts(site)
        shutil.rmtree(site)
    return out


def test_shipped_kb_is_the_same_site_on_every_engine(shipped: dict[str, dict[str, object]]) -> None:
    _need_two()
    first = INSTALLED[0]
    reference = shipped[first]
    assert len(reference["pages"]) > 20, reference["pages"]  # type: ignore[arg-type]
    assert reference["claims without JSON-LD"] == [], reference
    assert reference["feed address"] == SITE_URL + "feed.xml", reference["feed address"]
    assert reference["abstracts"] == [], "the shipped KB does not publish abstracts"
    for engine in INSTALLED[1:]:
        for key, value in shipped[engine].items():
            assert value == reference[key], f"{key}: {engine} differs from {first}{_engines_note()}"


# --- small projects, hostile and not ------------------------------------------------------------------

def _evil(pwned: Path) -> str:
    return f"extra:\n  x: !!python/object/apply:os.system ['touch {pwned}']\n"


def _disable(project: Path, *codes_off: str, more: str = "") -> None:
    listed = ", ".join(f'"{c}"' for c in codes_off)
    (project / "pyproject.toml").write_text(f"[tool.kb]\ndisable = [{listed}]\n{more}", encoding="utf-8")


def bad_site_url(project: Path, pwned: Path) -> dict[str, str]:
    return {"SITE_URL": 'https://example.org/"><img src=x onerror=alert(1)>/'}


def bad_site_url_in_mkdocs_yml(project: Path, pwned: Path) -> dict[str, str]:
    (project / "mkdocs.yml").write_text(HEAD + "site_url: \"javascript:alert(1)//\"\n", encoding="utf-8")
    return {}


def long_inherit_chain(project: Path, pwned: Path) -> dict[str, str]:
    for i in range(12):
        (project / f"c{i}.yml").write_text(f"INHERIT: c{i + 1}.yml\n", encoding="utf-8")
    (project / "c12.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: c0.yml\n", encoding="utf-8")
    return {}


def two_inherit_keys(project: Path, pwned: Path) -> dict[str, str]:
    (project / "ok.yml").write_text("extra: {a: 1}\n", encoding="utf-8")
    (project / "evil.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "INHERIT: ok.yml\nINHERIT: evil.yml\n", encoding="utf-8")
    return {}


def inherit_in_a_merge_key(project: Path, pwned: Path) -> dict[str, str]:
    (project / "evil.yml").write_text(_evil(pwned), encoding="utf-8")
    (project / "mkdocs.yml").write_text(HEAD + "<<: {INHERIT: evil.yml}\n", encoding="utf-8")
    return {}


def code_tag_with_unsafe_config_off(project: Path, pwned: Path) -> dict[str, str]:
    _disable(project, "unsafe-config")
    (project / "mkdocs.yml").write_text(HEAD + _evil(pwned), encoding="utf-8")
    return {}


def link_to_etc_passwd_with_checks_off(project: Path, pwned: Path) -> dict[str, str]:
    _disable(project, "unsupported-file", "unsafe-path", "reserved-path")
    os.symlink("/etc/passwd", project / "content" / "passwd.png")
    return {}


def source_date_epoch_out_of_range(project: Path, pwned: Path) -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": "1e12"}


HOSTILE: dict[str, Callable[[Path, Path], dict[str, str]]] = {
    f.__name__: f for f in (bad_site_url, bad_site_url_in_mkdocs_yml, source_date_epoch_out_of_range, long_inherit_chain, two_inherit_keys,
                            inherit_in_a_merge_key, code_tag_with_unsafe_config_off,
                            link_to_etc_passwd_with_checks_off)}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_project_is_refused_alike_on_every_engine(tmp_path: Path, case: str) -> None:
    _need_two()
    outcomes = {}
    for engine in INSTALLED:
        project = kbproject.write_project(tmp_path / engine / "project", claim=kbproject.CLEAN_CLAIM)
        pwned = tmp_path / engine / "PWNED"
        env = HOSTILE[case](project, pwned)
        out = tmp_path / engine / "site"
        done = kb_build(project, out, engine, env)
        output = done.stdout + done.stderr
        assert "Traceback" not in output, f"{engine}: {output}"
        assert done.returncode != 0 and not out.exists(), f"{engine} built {case}:\n{output}"
        assert not pwned.exists(), f"{engine} ran the code tag"
        outcomes[engine] = (done.returncode, frozenset(codes(output)))
    assert len(set(outcomes.values())) == 1, f"{case}: engines disagree: {outcomes}{_engines_note()}"


def test_small_project_with_foreign_files_and_abstracts_is_the_same_everywhere(tmp_path: Path) -> None:
    """Checks off and publish_abstracts on: the same pages and abstracts, and no foreign file, on every engine."""
    _need_two()
    seen = {}
    for engine in INSTALLED:
        project = kbproject.write_project(tmp_path / engine / "project", claim=kbproject.CLEAN_CLAIM)
        _disable(project, "unsupported-file", "reserved-path", more="publish_abstracts = true\n")
        for rel, text in {"content/pages/x.svg": "<svg onload=alert(1)>", "content/x.html": "<script>x</script>",
                          "content/x.js": "alert(1)"}.items():
            (project / rel).write_text(text, encoding="utf-8")
        (project / "content" / "media").mkdir()
        (project / "content" / "media" / "ok.png").write_bytes(PNG)
        out = tmp_path / engine / "site"
        done = kb_build(project, out, engine, env={"SITE_URL": SITE_URL})
        assert done.returncode == 0, f"{engine}: {done.stdout}{done.stderr}"
        assert (out / "media" / "ok.png").is_file(), f"{engine} left out the allowed image"
        assert not (out / "x.html").exists(), f"{engine} published content/x.html"
        seen[engine] = facts(out)
        assert seen[engine]["abstracts"] == ["smith2020"], f"{engine}: {seen[engine]['abstracts']}"
        assert seen[engine]["foreign files"] == [], f"{engine}: {seen[engine]['foreign files']}"
    first = INSTALLED[0]
    for engine in INSTALLED[1:]:
        assert seen[engine] == seen[first], f"{engine} differs from {first}{_engines_note()}"
