"""The MkDocs adapter: a thin plugin that calls the pure pipeline.

`mkdocs build` / `mkdocs serve` with `plugins: [kb]` give the same site as
`kb build`.  docs_dir is the content/ folder, so `mkdocs serve` already
watches every claim; we add references.bib.  The editors' Markdown sources
are replaced by the generated pages (same paths).

Generated pages arrive finished (generator/pages/render.py, target "mkdocs"): MkDocs gets
their front matter as the page's Markdown, and the plugin puts the prepared HTML and
table of contents in place of Python-Markdown's output, and gives Material's search
index the prepared entries instead of letting it parse the HTML.  That HTML was
sanitized by the renderer; any other page's HTML is sanitized here before the theme
wraps it.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from generator.core.layout import ADMIN_DIR, ASSETS_DIR
from generator.changes import changelog
from generator.core import layout
from generator.core import memo
from generator.core.writer import remove_file, write_file
from generator.engines import internals, page_workers
from generator.engines.page_progress import PageProgress
from generator.checks.check import run_check
from generator.intake import site_settings
from generator.intake.config import OPTIONS, load_settings
from generator.intake.config_safety import site_url_problem
from generator.intake.content_files import publishable_assets
from generator.core.errors import KbError, UnsafeContent
from generator.output.finish import HEADS_MANIFEST, html_path
from generator.pages.incremental import Served, affected, served_key
from generator.pages.markdown_text import MarkdownOptions
from generator.pages.navigation import default_nav
from generator.pages.pipeline import Generated, generate
from generator.pages.render import OutputFile, Prepared, forget_served_items
from generator.checks.report import render_report
from generator.pages.sanitize import sanitize_html

log = logging.getLogger("mkdocs.plugins.kb")


#: the plugin's options: its own, and every kb setting (derived from config.OPTIONS).  A setting
#: accepts any value here and is checked by config.settings_from_mapping, so a wrong value is an
#: `invalid-setting` diagnostic like in pyproject.toml; unset (None) keeps pyproject.toml's value.
KbConfig = type("KbConfig", (Config,), {
    "root": c.Optional(c.Type(str)),
    "strict": c.Type(bool, default=False),
    # hold each page's HTML compressed from its conversion until its own turn to be written
    "low_memory": c.Type(bool, default=True),
    # write the generated pages with the theme in two processes when the machine has two cores
    "parallel": c.Type(bool, default=True),
    **{o.name: c.Optional(c.Type(object)) for o in OPTIONS if o.plugin_option},
})


class KbPlugin(BasePlugin[KbConfig]):
    def __init__(self) -> None:
        self.generated: Generated | None = None
        self.root: Path | None = None
        self.heads: dict[str, bytes] = {}  # src_uri -> the page's <head> additions, compressed
        self.ours: set[str] = set()  # src_uri of the pages we generated
        self.parked: dict[str, bytes] = {}  # src_uri -> compressed HTML, between conversion and rendering
        self.prepared: dict[str, Prepared] = {}  # src_uri -> a generated page's finished HTML, TOC, search entries
        self.search: Any = None  # Material's search plugin, which takes our search entries as they are
        self.progress: PageProgress | None = None
        #: set by `kb build`, which has just checked the same files: no need to check twice
        self.preset_result: object | None = None
        #: set by `kb build` (generator/engines/build.py), which merged the settings once for every engine
        self.preset_settings: Any = None
        self.dirty = False  # `kb serve` (mkdocs serve --dirty): rebuild only what an edit changed
        self.served: Served | None = None  # the last good build, kept between `kb serve` rebuilds
        self.changed: set[str] | None = None  # paths generated again in this build (None: all)
        self.files: Files | None = None
        self.key: Any = None
        self.removed: list[str] = []  # pages gone since the last `kb serve` build (their files are deleted)
        self.nav: Any = None
        self.workers: page_workers.PageWorkers | None = None  # a second process writing pages (kb build)

    def on_startup(self, command: str, dirty: bool) -> None:
        self.dirty = command == "serve" and dirty
        if not self.dirty:  # MkDocs may hand a plugin that served to a later build in the same process
            self.served, self.changed, self.files, self.key, self.removed = None, None, None, None, []
        if self.dirty:
            memo.enable()  # re-parse only the files an edit changed
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
        from generator.core import i18n

        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.assets = self._guard(self.root, config, self.preset_assets)
        self.preset_assets = None  # `mkdocs serve` rebuilds must look again
        preset_settings, self.preset_settings = self.preset_settings, None
        try:
            if preset_settings is not None:
                settings, problems, more = preset_settings, [], []
            else:  # a plain `mkdocs build`: the same merge kb build makes (generator/intake/site_settings.py)
                settings, problems = load_settings(self.root)
                options = {o.name: self.config[o.name] for o in OPTIONS
                           if o.plugin_option and self.config[o.name] is not None}
                # the addresses MkDocs knows (site_url is None without SITE_URL; `kb serve` sets its own)
                settings, more = site_settings.merge(settings, options=options,
                                                     language=str(config.theme.get("language") or "nl")[:2],
                                                     known={k: config.get(k) for k in site_settings.MKDOCS_KEYS})
        except KbError as exc:  # e.g. SOURCE_DATE_EPOCH out of range
            raise PluginError(f"kb: {exc}") from exc
        if problems or more:
            raise PluginError("kb settings are not valid:\n" + "\n".join(
                f"{d.file}:{d.line or ''}: {d.message} [{d.code}]" for d in problems + more))
        language = settings.language
        directory_urls = bool(config.use_directory_urls)
        markdown = MarkdownOptions.from_mkdocs(list(config.markdown_extensions), dict(config.mdx_configs))
        say = lambda message: log.info("kb: %s", message)  # noqa: E731
        # reuse kb build's check: it was made with these settings
        result = self.preset_result if preset_settings is not None else None
        self.preset_result = None  # `mkdocs serve` rebuilds must re-read the files
        self.changed = None
        formatted = None
        if self.dirty:
            result = run_check(self.root, settings)
            self.key = served_key(self.root, settings, markdown, directory_urls, self.config.strict)
            if self.served is not None and self.served.key == self.key and not result.failed(self.config.strict):
                self.changed = affected(self.served.kb, result.kb)
                formatted = self.served.formatted  # references.bib is part of the key: unchanged
                say(f"rebuilding {'every page' if self.changed is None else f'{len(self.changed)} pages'}")
        if self.changed is None:
            forget_served_items()  # e.g. a template in overrides/kb changed
        self.generated = generate(self.root, settings, strict=self.config.strict, directory_urls=directory_urls,
                                  progress=say, markdown=markdown, target="mkdocs", result=result,  # type: ignore[arg-type]
                                  only=self.changed, formatted=formatted)
        result = self.generated.result
        if result.failed(self.config.strict):
            raise PluginError("kb check failed:\n" + render_report(result, "text"))
        for d in result.warnings:
            log.info("%s:%s: %s [%s]", d.file, d.line, d.message, d.code)
        if not config.nav:
            config.nav = default_nav(self.generated, i18n.LABELS[i18n.lang(language)], changelog.words(language))
        # Material's index takes our prepared entries (generator/engines/internals.py: only on a tested Material)
        self.search = internals.material_search(config.plugins.values())
        engine = type(config).__module__.split(".")[0]  # mkdocs, or properdocs when ProperDocs runs the plugin
        for note in internals.version_warnings(engine):
            say(f"note: {note}")
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.generated is not None
        # Of the docs folder, only the images and PDFs content_files allows are published (never an
        # editor's .html, .svg, .markdown or a link out); files from elsewhere (the theme) stay.
        docs = os.path.normpath(config.docs_dir)
        kept = []
        shadowing = False  # a dropped file other than Markdown may have hidden a theme file of its name
        for f in files:
            src = os.path.normpath(f.abs_src_path) if f.abs_src_path else None
            if src in self.assets or (src is not None and os.path.commonpath([src, docs]) != docs
                                      and not f.is_documentation_page()):
                kept.append(f)
            elif not f.is_documentation_page():
                shadowing = True
        out = Files(kept)
        if shadowing:  # (listing the theme's files takes ~0.3 s: not on every `kb serve` rebuild)
            out.add_files_from_theme(config.theme.get_env(), config)  # put back what a dropped file shadowed
        generated = list(self.generated.files)
        if self.dirty:
            generated = self._remember(generated)
        for item in generated:
            existing = out.get_file_from_path(item.path)
            if existing is not None:
                out.remove(existing)
            made = File.generated(config, item.path, content=item.data)
            if self.changed is not None and item.path not in self.changed:
                internals.mark_unmodified(made)  # a dirty build skips it
            elif self.dirty and self.served is not None and item.prepared is not None:
                self.served.entries[item.path] = _entries(made.url, item.prepared)
            out.append(made)
        self.files = out
        # MkDocs now holds every page's text: keep only the <head> additions, and let the
        # knowledge base and our copy of the pages go (at 10k claims they are hundreds of MB).
        built = generated if self.changed is None else [f for f in generated if f.path in self.changed]
        self.heads = {f.path: zlib.compress(f.head.encode("utf-8"), 1) for f in built if f.head}
        self.ours = {f.path for f in generated}
        self.prepared = {f.path: f.prepared for f in built if f.prepared is not None}
        self.parked = {}
        self.generated = None
        self.progress = PageProgress("converted", len(out.documentation_pages()))
        return out

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.nav = nav  # page_workers' child renders pages with it
        return nav

    @event_priority(-100)  # last: a forked child must see the environment every plugin has finished
    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        if self.dirty:  # MkDocs makes a new theme environment per rebuild: compile its templates once
            env.bytecode_cache = _THEME_BYTECODE
        if self.progress is not None:
            self.progress.finish()
            self.progress = PageProgress("wrote", self.progress.done)
        if not self.dirty and self.config.parallel:
            self.workers = page_workers.start(config, env, files, self.nav, set(self.prepared))
            if self.workers is not None:
                log.info("kb: a second process writes %s of the pages", f"{len(self.workers.theirs):,}")
        return env

    def on_build_error(self, error: Exception) -> None:
        if self.workers is not None:
            self.workers.stop()
            self.workers = None

    def heads_by_html(self, directory_urls: bool) -> dict[str, str]:
        """The pages' <head> additions keyed by built HTML path, as the finishing pass wants them."""
        return {html_path(src, directory_urls): zlib.decompress(packed).decode("utf-8")
                for src, packed in self.heads.items()}

    def _remember(self, fresh: list[OutputFile]) -> list[OutputFile]:
        """`kb serve`: merge this build's pages into the last build's; returns every file of the site."""
        assert self.generated is not None and self.root is not None
        kb = self.generated.result.kb
        if self.changed is None or self.served is None:
            self.served = Served(kb, self.key, {f.path: f for f in fresh}, self.generated.formatted)
            return fresh
        # every page in the order a full build gives them (the search index keeps that order), then the assets
        known = {**self.served.files, **{f.path: f for f in fresh}}
        # (and the browser editor's /admin/, which only a full build writes again)
        order = list(self.generated.paths) + [p for p in self.served.files if p.startswith((f"{ASSETS_DIR}/", f"{ADMIN_DIR}/"))]
        files = {p: known[p] for p in order if p in known}
        self.removed = [p for p in self.served.files if p not in files]
        self.served = Served(kb, self.served.key, files, self.generated.formatted, self.served.entries)
        return list(files.values())

    @event_priority(100)  # before Material's search writes its index
    def on_post_build(self, config: Any) -> None:
        if self.workers is not None:  # every page is written only once the second process is done
            workers, self.workers = self.workers, None
            problem = workers.finish()
            if problem:
                raise PluginError(f"kb: writing pages failed: {problem}")
        self.nav = None
        manifest = os.environ.get(HEADS_MANIFEST)
        if manifest and not self.dirty:  # engines/properdocs.py: its finishing pass inserts them (not this hook)
            heads = self.heads_by_html(bool(config.use_directory_urls))
            write_file(Path(manifest), json.dumps(heads, ensure_ascii=False, sort_keys=True))
        if self.dirty and self.search is not None and self.served is not None and self.files is not None:
            # a dirty build indexed only the pages it rebuilt: give the index every page's entries
            entries = self.served.entries
            internals.replace_search_entries(self.search, [e for f in self.files.documentation_pages()
                                                           for e in entries.get(f.src_uri, ())])
        for path in self.removed:  # a dirty build leaves the written page of a deleted claim behind
            remove_file(Path(File.generated(config, path, content=b"").abs_dest_path))
        self.removed = []
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
        prepared = self.prepared.get(page.file.src_uri)
        if prepared is not None:  # no Python-Markdown: the page is HTML already
            internals.replace_render(page, _prepared_render(prepared))
        return markdown

    @event_priority(-100)  # last: the HTML that is sanitized is the HTML that is published
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        if page.file.src_uri in self.prepared:  # sanitized by the renderer; held compressed until its turn
            page.markdown = ""
            if self.progress is not None:
                self.progress.tick()
            return ""
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
        prepared = self.prepared.get(page.file.src_uri)
        if prepared is not None and self.search is not None:
            # Our entries go straight into Material's index; the search plugin (priority 0)
            # then sees an empty page and adds nothing of its own.
            internals.add_search_entries(self.search, _entries(page.url, prepared))
            page.content = ""
        elif prepared is not None:
            page.content = prepared.html
        return context

    @event_priority(-100)  # last: the theme renders the whole page
    def _context_last(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        prepared = self.prepared.pop(page.file.src_uri, None) if self.config.low_memory and not self.dirty else \
            self.prepared.get(page.file.src_uri)
        if prepared is not None and self.search is not None:
            page.content = prepared.html
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


    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:  # noqa: D102
        if self.root is not None:
            server.watch(str(self.root / "references.bib"))
            if (self.root / "pyproject.toml").is_file():
                server.watch(str(self.root / "pyproject.toml"))
        return server


def _prepared_render(prepared: Prepared) -> Any:
    """Page.render for a generated page: the prepared table of contents, no conversion.

    The HTML itself stays compressed in the plugin until the page is written (low memory);
    MkDocs' own link checks are not needed: every link in it was made from the model,
    and links in editors' text are checked by `kb check` (broken-link).
    """

    def render(page: Any, config: Any, files: Any) -> None:
        page.content = ""
        page.toc = get_toc([dict(t) for t in prepared.toc])  # type: ignore[arg-type]
        page.present_anchor_ids = set(prepared.anchors)

    return render


def _entries(url: str, prepared: Prepared) -> list[dict[str, Any]]:
    """Material's search entries for a page at *url* (a File's url: the home page's is './', its Page's '').

    A topic page's own entry carries its name and aliases as `tags` (weighed 10^6 by Material's
    search, titles 10^3): a reader's word for a topic finds the topic's page first.
    """
    url = "" if url in (".", "./") else url
    return [{"location": url + (f"#{anchor}" if anchor else ""), "title": title, "text": text}
            | ({"tags": list(tags)} if tags else {})
            for anchor, title, text, tags in prepared.search]


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates, kept in memory between `kb serve` rebuilds (keyed by source checksum)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_THEME_BYTECODE = _MemoryBytecodeCache()
