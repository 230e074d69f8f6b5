"""Helpers for the browser tests: which project to build, the build, a local server, page checks.

The site is built from a copy of the project with the repository's own
mkdocs.yml plus `site_url: http://127.0.0.1:<port>/`: Material's instant
navigation only intercepts links listed in sitemap.xml, and MkDocs writes an
empty sitemap when site_url is not set.  The server is bound to the port
before the build, so the sitemap and the server agree.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = REPO / "tests" / "screenshots"


def kb_executable() -> list[str]:
    exe = Path(sys.executable).parent / "kb"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "generator"]


# -- which project ------------------------------------------------------------

#: used when neither the shipped knowledge base nor tests/fixtures/golden can be built
MINI_PROJECT = {
    "references.bib": """
        @article{beyer2015,
          author = {Beyer, Rikke and Kongsgaard, Mads and Hougs Kj{\\ae}r, Birgitte and {\\O}hlenschl{\\ae}ger, Tommy and Kj{\\ae}r, Michael and Magnusson, S. Peter},
          title = {Heavy Slow Resistance Versus Eccentric Training as Treatment for Achilles Tendinopathy: A Randomized Controlled Trial},
          journal = {The American Journal of Sports Medicine},
          year = {2015}, volume = {43}, number = {7}, pages = {1704--1711},
          doi = {10.1177/0363546515584760}, pmid = {26018970}, design = {rct},
          population = {patiënten met chronische achillespeestendinopathie}
        }
        @article{alfredson1998,
          author = {Alfredson, H{\\aa}kan and Pietil{\\"a}, Tom and Jonsson, Per and Lorentzon, Ronny},
          title = {Heavy-Load Eccentric Calf Muscle Training For the Treatment of Chronic Achilles Tendinosis},
          journal = {The American Journal of Sports Medicine},
          year = {1998}, volume = {26}, number = {3}, pages = {360--366},
          doi = {10.1177/03635465980260030301}, design = {cohort},
          population = {patiënten met chronische achillespeestendinose}
        }
        """,
    "content/injuries/achilles-tendinopathy.md": """
        ---
        title: Achillespeestendinopathie
        aliases: [achillespees, achillespeesklachten]
        summary: Pijn en stijfheid van de achillespees.
        ---
        Zie [zware training](../interventions/heavy-slow-resistance.md) en [@beyer2015, p. 1706].
        """,
    "content/interventions/heavy-slow-resistance.md": """
        ---
        title: Zware langzame krachttraining
        ---
        Langzame, zware oefeningen voor de kuit.
        """,
    "content/interventions/eccentric-training.md": """
        ---
        title: Excentrische training
        ---
        Oefeningen waarbij de spier verlengt onder belasting.
        """,
    "content/claims/hsr-achilles.md": """
        ---
        statement: "Zware langzame krachttraining vermindert achillespeesklachten even goed als excentrische training."
        type: intervention
        injuries: [achilles-tendinopathy]
        interventions: [heavy-slow-resistance]
        certainty: moderate
        certainty_reason: "Eén RCT."
        evidence:
          - source: beyer2015
            stance: supports
          - source: alfredson1998
            stance: mentions
        reviewed: 2026-11-24
        ---
        Uitleg [@beyer2015].
        """,
    "content/claims/eccentric-achilles.md": """
        ---
        statement: "Excentrische kuittraining vermindert achillespeesklachten."
        type: intervention
        injuries: [achilles-tendinopathy]
        interventions: [eccentric-training]
        certainty: low
        certainty_reason: "Kleine studies."
        evidence:
          - source: alfredson1998
            stance: supports
        reviewed: 2026-11-24
        ---
        Zie [@alfredson1998].
        """,
    "content/pages/over.md": """
        ---
        title: Over deze site
        ---
        Zie [de bewering](../claims/hsr-achilles.md).
        """,
}


@dataclass
class Project:
    root: Path
    origin: str          # "shipped", "golden" or "mini"
    engine: str = "mkdocs"


def _passes_check(root: Path) -> bool:
    try:
        done = subprocess.run(kb_executable() + ["check", "--root", str(root)], capture_output=True, text=True,
                              timeout=300, cwd=str(root))
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _has_achillespees(root: Path) -> bool:
    return any("achillespees" in p.read_text(encoding="utf-8", errors="replace")
               for p in (root / "content" / "injuries").glob("*.md"))


def _copy_project(src: Path, dest: Path) -> None:
    shutil.copytree(src / "content", dest / "content")
    shutil.copy2(src / "references.bib", dest / "references.bib")
    if (src / "pyproject.toml").is_file():
        shutil.copy2(src / "pyproject.toml", dest / "pyproject.toml")


def prepare_project(dest: Path) -> Project:
    """Copy the project to test into *dest*: the shipped KB if it checks clean, else a fixture.

    KB_BROWSER_PROJECT=shipped|golden|mini forces a choice.
    """
    dest.mkdir(parents=True, exist_ok=True)
    forced = os.environ.get("KB_BROWSER_PROJECT", "")
    golden = REPO / "tests" / "fixtures" / "golden"
    if forced in ("", "shipped") and (REPO / "content").is_dir() and (forced or _passes_check(REPO)):
        _copy_project(REPO, dest)
        # the shipped content may be edited while we copy: check the copy itself
        if forced or _passes_check(dest):
            return Project(dest, "shipped")
        shutil.rmtree(dest)
        dest.mkdir()
    if forced in ("", "golden") and (golden / "content").is_dir() and _has_achillespees(golden):
        _copy_project(golden, dest)
        return Project(dest, "golden")
    for rel, text in MINI_PROJECT.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return Project(dest, "mini")


def write_mkdocs_yml(project: Path, site_url: str) -> None:
    """The repository's mkdocs.yml (the shipped theme setup) with site_url set."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_url:.*\n", "", text)
    text = re.sub(r"(?m)^site_dir:.*\n", "", text)
    (project / "mkdocs.yml").write_text(f"site_url: {site_url}\n" + text, encoding="utf-8")


#: the engines the browser tests build with (KB_ENGINES=mkdocs,zensical narrows it down)
ENGINES = [e for e in os.environ.get("KB_ENGINES", "mkdocs,properdocs,zensical").split(",") if e]


def require_engine(engine: str) -> None:
    """Skip the tests of an engine that is not installed (under CI=true: fail, CI installs them all)."""
    from generator.engines import ENGINES as KNOWN, installed

    require(engine in KNOWN and installed(engine),
            f"the {engine} engine is not installed (pip install -e '.[engines]')")


def build(project: Path, out: Path, engine: str = "mkdocs") -> None:
    done = subprocess.run(kb_executable() + ["build", "--root", str(project), "--out", str(out), "--engine", engine],
                          capture_output=True, text=True, timeout=600, cwd=str(project))
    if done.returncode != 0:
        raise RuntimeError(f"kb build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def served_build(base: Path, fill, engine: str = "mkdocs"):
    """Write a project with *fill(project folder)*, build it with *engine* under the repository's
    mkdocs.yml with site_url = a local server, and serve it: yields the server's URL.

    The one setup of every browser module with a site of its own (a module fixture:
    ``yield from served_build(tmp_path_factory.mktemp(...), fill, engine)``).
    """
    out = base / "site"
    out.mkdir(parents=True)
    server = SiteServer(out)
    try:
        project = base / "project"
        fill(project)
        write_mkdocs_yml(project, server.url)
        build(project, out, engine)
        server.start()
        yield server.url
    finally:
        if server.thread is not None:
            server.stop()
        else:
            server.httpd.server_close()


@dataclass
class BuiltSite:
    url: str          # where SiteServer serves it; also the site_url it was built with
    project: Project
    out: Path


class SharedSites:
    """The project prepare_project picks, built once per engine per session and served.

    test_browser.py and test_accessibility.py test the same site (the shipped project, the
    repository's mkdocs.yml, site_url = the server): building it once per module and engine
    repeated each build and the two `kb check` runs of prepare_project.  The conftest fixture
    `shipped_sites` hands out one instance; its sites are read-only for the tests (a test that
    needs another site builds its own).  Each engine gets its own copy of the checked project,
    because each is built with its own server's address.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self._checked: Project | None = None
        self._sites: dict[str, BuiltSite | BaseException] = {}
        self._servers: list[SiteServer] = []
        self._server: dict[str, SiteServer] = {}

    def get(self, engine: str) -> BuiltSite:
        if engine not in self._sites:
            try:
                self._sites[engine] = self._build(engine)
            except BaseException as exc:  # a failed build fails every module that asks for it, built once
                self._sites[engine] = exc
                raise
        site = self._sites[engine]
        if isinstance(site, BaseException):
            raise RuntimeError(f"the shared {engine} site could not be built: {site}") from site
        server = self._server[engine]
        if server.thread is None:
            server.start()
        return site

    def pause(self) -> None:
        """Stop every server thread until the next get(): a thread left running makes kb build in one
        process (parallel.workers() forks only without other threads), so later tests of the two-process
        build would test one process, and fail (tests/test_page_workers.py, test_processes.py)."""
        for server in self._servers:
            server.pause()

    def _build(self, engine: str) -> BuiltSite:
        started = time.monotonic()
        if self._checked is None:
            self._checked = prepare_project(self.base / "checked")
        root = self.base / engine
        out = root / "site"
        out.mkdir(parents=True)
        server = SiteServer(out)
        self._servers.append(server)
        self._server[engine] = server
        shutil.copytree(self._checked.root, root / "project")
        project = Project(root / "project", self._checked.origin, engine)
        write_mkdocs_yml(project.root, server.url)
        build(project.root, out, engine)
        print(f"\n[browser] built the {project.origin} project with {engine} in "
              f"{time.monotonic() - started:.1f}s; serving {server.url} for the session")
        return BuiltSite(server.url, project, out)

    def close(self) -> None:
        for server in self._servers:
            server.stop()


# -- server ---------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class SiteServer:
    """A static server on 127.0.0.1 with a free port; the port is known before the site exists."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def pause(self) -> None:
        """Stop serving but keep the port (the site's address is built into it): start() serves again."""
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread.join()
            self.thread = None

    def stop(self) -> None:
        self.pause()
        self.httpd.server_close()


# -- in-page checks (JavaScript run by page.evaluate) -----------------------------

CONTRAST_JS = r"""
(selector) => {
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let base = {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
    return base;
  };
  return Array.from(document.querySelectorAll(selector)).filter((el) => el.getClientRects().length).map((el) => {
    const bg = background(el);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const l1 = lum(fg), l2 = lum(bg);
    return {
      text: el.textContent.trim().slice(0, 40), cls: el.className,
      fg: getComputedStyle(el).color, bg: `rgb(${bg.r|0}, ${bg.g|0}, ${bg.b|0})`,
      ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05),
    };
  });
}
"""

HEADINGS_JS = r"""
() => Array.from(document.querySelectorAll("article.md-content__inner :is(h1,h2,h3,h4,h5,h6)"))
  .filter((h) => !h.closest(".kb-card"))
  .map((h) => ({level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60)}))
"""

OVERFLOW_JS = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("article.md-content__inner *")) {
    if (el.closest(".kb-map-wrap")) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.right > vw + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
  }
  return {
    viewport: vw,
    docScroll: document.documentElement.scrollWidth,
    bodyScroll: document.body.scrollWidth,
    offenders: out.slice(0, 10),
  };
}
"""


def foreign_requests(urls: list[str]) -> list[str]:
    """The requests that left 127.0.0.1 (data:, blob: and about: URLs fetch nothing)."""
    from urllib.parse import urlparse

    out = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            continue
        if parsed.hostname != "127.0.0.1":
            out.append(url)
    return out


IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip a browser test with *reason*, except under CI=true, where browser tests must run."""
    import pytest

    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


def launch_chromium():
    """Debian's Chromium under Playwright (no browser download), closed when the generator ends.

    Use from a fixture: ``yield from launch_chromium()``.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
