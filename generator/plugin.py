"""The MkDocs adapter: a thin plugin that calls the pure pipeline.

`mkdocs build` / `mkdocs serve` with `plugins: [kb]` give the same site as
`kb build`.  docs_dir is the content/ folder, so `mkdocs serve` already
watches every claim; we add references.bib.  The editors' Markdown sources
are replaced by the generated pages (same paths), and every page's HTML is
sanitized before the theme wraps it.
"""

from __future__ import annotations

import html
import logging
import os
import re
import time
import zlib
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from generator import layout
from generator.config import load_settings, settings_from_mapping
from generator.config_safety import site_url_problem
from generator.content_files import UnsafeContent, publishable_assets
from generator.pipeline import Generated, generate
from generator.report import render_report
from generator.sanitize import sanitize_html

log = logging.getLogger("mkdocs.plugins.kb")


_SEARCH_ATTR = re.compile(r'data-search-\w+="[^"]+"')
_HEADING = re.compile(r"<h[1-6]\b[^>]*>")
_EXCLUDED_HEADING = re.compile(r'<h[1-6]\b[^>]*\sdata-search-exclude=""[^>]*>')


def search_view(html: str) -> str | None:
    """The page's HTML as the search index sees it, or None when that is the whole page.

    Search skips a section whose heading carries `data-search-exclude`; our pages
    end with such sections (the reference list, cite-this-page), which Material's
    HTML parser would read only to drop: up to half of the page, and a fifth of
    the build time.  The tail is cut only when every heading in it is excluded,
    so the index is the same; pages with valued data-search attributes (which the
    search plugin also strips from the page) are left alone.
    """
    first = _EXCLUDED_HEADING.search(html)
    if first is None or _SEARCH_ATTR.search(html):
        return None
    if not all("data-search-exclude" in h for h in _HEADING.findall(html, first.start())):
        return None
    return html[:first.start()]


class PageProgress:
    """How far along MkDocs' page loops are ("converted 4,000 of 20,312 pages").

    MkDocs itself says nothing while it converts and writes pages: minutes at 10k claims.
    """

    every = 5.0  # seconds between two lines

    def __init__(self, verb: str, total: int) -> None:
        self.verb, self.total, self.done = verb, total, 0
        self.started = self.last = time.monotonic()

    def tick(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            log.info("kb: MkDocs %s %s of %s pages (%.0f s)", self.verb, f"{self.done:,}", f"{self.total:,}",
                     now - self.started)

    def finish(self) -> None:
        log.info("kb: MkDocs %s %s pages (%.1f s)", self.verb, f"{self.done:,}", time.monotonic() - self.started)


class KbConfig(Config):
    root = c.Optional(c.Type(str))
    strict = c.Type(bool, default=False)
    stale_months = c.Optional(c.Type(int))
    disable = c.ListOfItems(c.Type(str), default=[])
    errors = c.ListOfItems(c.Type(str), default=[])
    #: hold each page's HTML compressed from its conversion until its own turn to be written
    low_memory = c.Type(bool, default=True)


def default_nav(generated: Generated, labels: dict[str, str]) -> list[dict[str, str]]:
    """A small navigation: indexes and hand-written pages, never every claim or source."""
    nav: list[dict[str, str]] = [{labels["home"]: layout.HOME}]
    for folder in ("injuries", "risk-factors", "interventions"):
        nav.append({labels[folder]: f"{folder}/index.md"})
    nav.append({labels["claims"]: layout.CLAIMS_INDEX})
    nav.append({labels["references"]: layout.REFERENCES_INDEX})
    for page_id, page in sorted(generated.result.kb.pages.items()):
        nav.append({html.escape(page.title): f"{page_id}.md"})  # Material renders nav titles as HTML
    nav.append({labels["legend"]: layout.LEGEND})
    if any(c.status == "superseded" for c in generated.result.kb.claims.values()):
        nav.append({labels["outdated"]: layout.OUTDATED})
    return nav


class KbPlugin(BasePlugin[KbConfig]):
    def __init__(self) -> None:
        self.generated: Generated | None = None
        self.root: Path | None = None
        self.heads: dict[str, bytes] = {}  # src_uri -> the page's <head> additions, compressed
        self.ours: set[str] = set()  # src_uri of the pages we generated
        self.parked: dict[str, bytes] = {}  # src_uri -> compressed HTML, between conversion and rendering
        self.full_html: str | None = None  # the page's HTML while the search plugin sees search_view()
        self.search_only = False  # True when the search plugin is the only other page_context hook
        self.progress: PageProgress | None = None
        #: set by `kb build`, which has just checked the same files: no need to check twice
        self.preset_result: object | None = None
        #: set by `kb build`, which has just sorted content/ (and refused unsafe paths): no need to walk it twice
        self.preset_assets: set[str] | None = None
        self.assets: set[str] = set()  # absolute paths of the editors' images and PDFs: all we publish of content/

    @staticmethod
    def _guard(root: Path, config: Any, preset: set[str] | None) -> set[str]:
        """Refuse what no setting may let through; return the files of content/ that may be published.

        Runs before MkDocs walks the docs folder (it follows links: a link to / or to its own
        folder would never end) and before any page is rendered with the site address.
        """
        problem = site_url_problem(config.site_url)
        if problem:
            raise PluginError(f"site_url (usually from $SITE_URL) {config.site_url!r} is refused: {problem}")
        if preset is not None:
            return preset
        try:
            return publishable_assets(root)
        except UnsafeContent as exc:
            raise PluginError(str(exc)) from exc

    def on_config(self, config: Any) -> Any:
        from generator import i18n

        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.assets = self._guard(self.root, config, self.preset_assets)
        self.preset_assets = None  # `mkdocs serve` rebuilds must look again
        settings, problems = load_settings(self.root)
        options = {k: v for k, v in (("stale_months", self.config.stale_months), ("disable", self.config.disable),
                                     ("errors", self.config.errors)) if v}
        language = str(config.theme.get("language") or "nl")[:2]
        options["language"] = language
        if config.site_name:
            options["site_name"] = config.site_name
        merged = {**{k: getattr(settings, k) for k in ("stale_months", "disable", "errors")}, **options}
        settings, more = settings_from_mapping({k: v for k, v in merged.items() if v}, "mkdocs.yml")
        directory_urls = bool(config.use_directory_urls)
        self.generated = generate(self.root, settings, strict=self.config.strict, directory_urls=directory_urls,
                                  progress=lambda message: log.info("kb: %s", message),
                                  # reuse kb build's check only when mkdocs.yml changes no setting
                                  result=None if options.keys() - {"language", "site_name"} else self.preset_result)  # type: ignore[arg-type]
        self.preset_result = None  # `mkdocs serve` rebuilds must re-read the files
        result = self.generated.result
        for d in problems + more:
            log.warning("%s: %s", d.file, d.message)
        if result.failed(self.config.strict):
            raise PluginError("kb check failed:\n" + render_report(result, "text"))
        for d in result.warnings:
            log.info("%s:%s: %s [%s]", d.file, d.line, d.message, d.code)
        if not config.nav:
            config.nav = default_nav(self.generated, i18n.LABELS[i18n.lang(language)])
        # search_view() is only safe when no other plugin reads or changes page.content in page_context
        others = {type(getattr(h, "__self__", h)).__module__ for h in config.plugins.events.get("page_context", [])}
        self.search_only = others <= {__name__, "material.plugins.search.plugin"}
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.generated is not None
        # Of the docs folder, only the images and PDFs content_files allows are published (never an
        # editor's .html, .svg, .markdown or a link out); files from elsewhere (the theme) stay.
        docs = os.path.normpath(config.docs_dir)
        kept = []
        for f in files:
            src = os.path.normpath(f.abs_src_path) if f.abs_src_path else None
            if src in self.assets or (src is not None and os.path.commonpath([src, docs]) != docs
                                      and not f.is_documentation_page()):
                kept.append(f)
        out = Files(kept)
        out.add_files_from_theme(config.theme.get_env(), config)  # any theme file a dropped file had shadowed
        for item in self.generated.files:
            existing = out.get_file_from_path(item.path)
            if existing is not None:
                out.remove(existing)
            out.append(File.generated(config, item.path, content=item.data))
        # MkDocs now holds every page's text: keep only the <head> additions, and let the
        # knowledge base and our copy of the pages go (at 10k claims they are hundreds of MB).
        self.heads = {f.path: zlib.compress(f.head.encode("utf-8"), 1) for f in self.generated.files if f.head}
        self.ours = {f.path for f in self.generated.files}
        self.parked = {}
        self.generated = None
        self.progress = PageProgress("converted", len(out.documentation_pages()))
        return out

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        if self.progress is not None:
            self.progress.finish()
            self.progress = PageProgress("wrote", self.progress.done)
        return env

    def on_post_build(self, config: Any) -> None:
        if self.progress is not None:
            self.progress.finish()
            self.progress = None

    # MkDocs converts every page before it renders the first one, and keeps each page's
    # Markdown and HTML until the end of the build: at 10,000 claims that is gigabytes.
    # The hooks below keep only what is still to come: the generated text until MkDocs
    # has read it, the HTML compressed until the page's own turn (low_memory), and
    # nothing once the page is written.  tests/test_reproducible.py checks that the site
    # is byte-identical with low_memory on and off.

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri in self.ours:
            page.file.content_bytes = b""  # page.markdown now holds the text
        return markdown

    @event_priority(-100)  # last: the HTML that is sanitized is the HTML that is published
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        html = sanitize_html(html)
        page.markdown = ""  # converted; MkDocs does not read it again
        if self.progress is not None:
            self.progress.tick()
        if not self.config.low_memory:
            return html
        self.parked[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    @event_priority(100)  # first: the search index and the theme need the HTML back
    def _context_first(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        parked = self.parked.pop(page.file.src_uri, None)
        if parked is not None:
            page.content = zlib.decompress(parked).decode("utf-8")
        # The search plugin (priority 0) indexes page.content: show it the page without its
        # trailing excluded sections, which it would parse only to throw away.
        view = search_view(page.content) if self.search_only and page.content else None
        if view is not None:
            self.full_html, page.content = page.content, view
        return context

    @event_priority(-100)  # last: the theme renders the whole page
    def _context_last(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if self.full_html is not None:
            page.content, self.full_html = self.full_html, None
        return context

    on_page_context = CombinedEvent(_context_first, _context_last)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Add the page's JSON-LD to <head> (escaped by the renderer; nh3 would strip it from the body)."""
        packed = self.heads.get(page.file.src_uri)
        head = zlib.decompress(packed).decode("utf-8") if packed else ""
        if head and "</head>" in output:
            output = output.replace("</head>", head + "\n</head>", 1)
        if self.config.low_memory:
            page.content = ""  # written: free it
        if self.progress is not None:
            self.progress.tick()
        return output


    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        if self.root is not None:
            server.watch(str(self.root / "references.bib"))
            if (self.root / "pyproject.toml").is_file():
                server.watch(str(self.root / "pyproject.toml"))
        return server
