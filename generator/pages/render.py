"""Turn the checked knowledge base into pages, as data.

No file is written here and MkDocs is not imported: `render_site` returns
`OutputFile`s that the adapters write to disk or hand to MkDocs.

Generated pages are HTML from the start: the templates (generator/templates/*.html.j2)
write HTML with every value escaped by Jinja, and call `p.heading()` so that the page
knows its table of contents (generator/pages/page.py).  Only what editors wrote (bodies of
claims, entities and free pages) goes through Python-Markdown, once per distinct text
(generator/pages/markdown_text.py).  Each page's HTML is sanitized with nh3 here, so the
guarantee holds whichever engine builds the site.

Two forms of the same page (`target`):

* "markdown" (`kb build --pages-only`, Zensical, ProperDocs, plain MkDocs): a `.md`
  file with front matter, Markdown headings with fixed ids, and the HTML between them;
* "mkdocs" (our plugin): the `.md` holds only the front matter, and `OutputFile.prepared`
  carries the finished HTML, table of contents and search entries, so that MkDocs never
  runs Markdown over a generated page and Material's search never parses it.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.changes import changelog
from generator.pages import exports
from generator.core import i18n
from generator.pages import jsonld
from generator.core import memo
from generator.pages import evidence_views as views
from generator.pages.cms_admin import admin_files
from generator.pages.bodies import content_to_output, md_text, resolve_body  # noqa: F401 (re-exported)
from generator.text.citations import find_citations
from generator.intake.config import Settings
from generator.pages.helpers import TemplateHelpers
from generator.changes.history import NO_HISTORY, History
from generator.pages.history_pages import HistoryPages
from generator.core.layout import ASSETS_DIR, CLAIMS_INDEX, FEED, FIXED_PAGES, REFERENCES_INDEX
from generator.pages.markdown_text import BodyConverter, MarkdownOptions
from generator.core.model import ENTITY_DIRS, KIND_DIRS, Claim, Entity, KnowledgeBase
from generator.pages.files import OutputFile, Prepared  # noqa: F401 (re-exported)
from generator.pages.page import PageBuilder
from generator.pages.references import Formatted
from generator.text.safety import CONTROL_CHARS
from generator.pages.appraisal_views import AppraisalHelpers
from generator.pages.forest import slot
from generator.pages.sanitize import sanitize_html, sanitize_svg
from generator.pages.templating import (SERVED_ITEMS, TEMPLATES, Deferred, environment,  # noqa: F401 (re-exported)
                                        forget_served_items)
from generator.core.urls import page_url, source_slugs

ASSETS = Path(__file__).parents[1] / "assets"


def _yaml_value(value: str | tuple[str, ...]) -> str:
    # JSON strings (and lists of them) are valid YAML; MkDocs themes render page.meta without
    # autoescaping: escape HTML here.  Control characters would make the YAML invalid, and MkDocs
    # would then show the front matter as text (the check reports them as control-character; this
    # keeps a switched-off check harmless).
    if isinstance(value, tuple):
        return json.dumps([html.escape(CONTROL_CHARS.sub("", " ".join(v.split())), quote=True) for v in value],
                          ensure_ascii=False)
    return json.dumps(html.escape(CONTROL_CHARS.sub("", " ".join(str(value).split())), quote=True),
                      ensure_ascii=False)


class Renderer(TemplateHelpers, HistoryPages, AppraisalHelpers):
    """Holds the cross-reference indexes; each page is then a template call."""

    def __init__(self, kb: KnowledgeBase, formatted: dict[str, Formatted], settings: Settings,
                 directory_urls: bool = True, template_dirs: list[Path] | None = None,
                 markdown: MarkdownOptions | None = None, target: str = "markdown",
                 history: History = NO_HISTORY) -> None:
        self.kb = kb
        self.history = history
        self.refs = formatted
        self.settings = settings
        self.lang = i18n.lang(settings.language)
        self.labels = i18n.LABELS[self.lang]
        self.directory_urls = directory_urls
        self.target = target
        self.markdown = markdown or MarkdownOptions()
        self.converter = BodyConverter(self.markdown, clean=sanitize_html)
        # `kb serve`: claim items survive rebuilds (one claim is listed on several big pages); they
        # depend on the claim (checked on use), the formatted references and the settings (the key)
        self._items: dict[tuple[str, str], tuple[Claim, Markup]] = {}
        if memo.enabled():
            key = (id(formatted), self.lang, directory_urls, tuple(template_dirs or ()), self.markdown.key())
            if SERVED_ITEMS.get("key") != key:
                forget_served_items()
                SERVED_ITEMS["key"] = key
            self._items = SERVED_ITEMS["items"]
        self._macros: Any = None
        self.slugs = source_slugs(list(kb.sources))
        self.current = sorted((c for c in kb.claims.values() if c.status != "superseded"), key=self._claim_order)
        self.superseded = sorted((c for c in kb.claims.values() if c.status == "superseded"), key=lambda c: c.id)
        self.cited_by: dict[str, list[Claim]] = {}
        self.about: dict[tuple[str, str], list[Claim]] = {}
        for claim in self.current:
            for ev in claim.evidence:
                bucket = self.cited_by.setdefault(ev.source, [])
                if claim not in bucket:
                    bucket.append(claim)
            for kind in KIND_DIRS:
                for id_ in claim.entities(kind):
                    self.about.setdefault((kind, id_), []).append(claim)
        self.env = environment(tuple(str(d) for d in template_dirs or []))
        self.words = changelog.words(self.lang)  # the words of the claim history

    def claim_item(self, here: str, claim: Claim) -> Markup:
        """The macro `claim_item`, once per claim and URL depth: a claim is listed on each of its
        entity pages and the claims index, and every link in the item is relative to the page."""
        depth = page_url(here, self.directory_urls).count("/")
        key = (claim.id, f"{depth}:{posixpath.dirname(here) if not self.directory_urls else ''}")
        known = self._items.get(key)
        if known is not None and known[0] == claim:
            return known[1]
        if self._macros is None:
            self._macros = self.env.get_template("_macros.html.j2").make_module({"t": self.t, "w": self.words})
        item = Markup(self._macros.claim_item(self, here, claim))
        self._items[key] = (claim, item)
        return item

    # -- editor-written Markdown -----------------------------------------------
    def resolve_body(self, body: str, content_path: str, here: str, cited: list[str],
                     stances: dict[str, str] | None = None) -> str:
        return resolve_body(body, content_path, here, cited, stances, self._cite_link, self.url, self.kb.assets)

    def _cite_link(self, here: str, key: str, locator: str | None, stance: str | None) -> str | None:
        """A resolved citation as Markdown (None for an unknown key); attr_list gives it its data."""
        if key not in self.refs:
            return None
        text = md_text(self.refs[key].label) + (f", {md_text(locator)}" if locator else "")
        attrs = f'{{ .kb-cite data-kb-ref="{self.slugs[key]}"' + (f' data-kb-stance="{stance}"' if stance else "") + " }"
        return f"[{text}]({self.url(here, self.source_md(key))}){attrs}"

    def body(self, p: PageBuilder, text: str, content_path: str, here: str, cited: list[str],
             stances: dict[str, str] | None = None) -> Markup:
        return p.body(self.converter.convert(self.resolve_body(text, content_path, here, cited, stances)))

    # -- pages ------------------------------------------------------------
    def _page(self, template: str, here: str, meta: list[tuple[str, Any]], p: PageBuilder | None = None,
              head: str = "", trusted: dict[str, str] | None = None, search_tags: tuple[str, ...] = (),
              **context: Any) -> OutputFile:
        """*trusted*: generated SVG (forest plots) by slot id, put into the template's slots after sanitizing;
        *search_tags*: words the page's search entry carries besides its text (a topic's name, aliases and
        search terms)."""
        p = p or PageBuilder()
        head = "\n".join(part for part in (self.feed_link(here), head) if part)
        context.setdefault("cited", [])
        text = self.env.get_template(template).render(r=self, p=p, t=self.t, w=self.words, here=here, lang=self.lang, **context)
        # sanitized once, whole: the heading markers are plain text to nh3 and survive it
        clean = sanitize_html(text)
        for slot_id, svg in (trusted or {}).items():
            # the first slot is the template's (it comes before any editor's text); the SVG is cleaned
            # with exactly the elements and attributes forest.py writes
            clean = clean.replace(slot(slot_id), f'<div class="kb-forest__plot">{sanitize_svg(svg)}</div>', 1)
        page = p.finish(clean, [(k, _yaml_value(v)) for k, v in meta],
                        tuple(html.escape(" ".join(tag.split()), quote=False) for tag in search_tags))
        if self.target == "mkdocs":
            front = "---\n" + "".join(f"{k}: {v}\n" for k, v in page.meta) + "---\n"
            return OutputFile.of(here, front, head, Prepared.of(page, self.markdown.permalink))
        return OutputFile.of(here, page.markdown(), head, search_tags=page.search_tags)

    def claim_page(self, claim: Claim) -> OutputFile:
        here = self.claim_md(claim)
        cited = list(dict.fromkeys(ev.source for ev in claim.evidence))
        stances = {ev.source: ev.stance for ev in claim.evidence}
        p = PageBuilder()
        entities = [(kind, [self.kb.entity(kind, i) for i in claim.entities(kind) if self.kb.entity(kind, i)])
                    for kind in KIND_DIRS]
        replaced = self.kb.claims.get(claim.superseded_by) if claim.superseded_by else None
        address = self.absolute(here)
        version = changelog.built_from(self.history.version)
        citation = exports.claim_citation(claim, address or "/" + page_url(here, self.directory_urls),
                                          self.site_title(), self.labels["reviewed"],
                                          version.field if version else None)
        inline = [item.key for group in find_citations(claim.body) for item in group.items]
        retracted = [key for key in dict.fromkeys(cited + inline)
                     if key in self.kb.sources and self.kb.sources[key].retracted]
        # the body is converted inside the template, in page order, so its headings get the right ids
        body = Deferred(lambda: self.body(p, claim.body, claim.where.path, here, cited, stances))
        meta = [("title", claim.statement), ("description", claim.certainty_reason or claim.statement)]
        evidence = [{"ev": ev, "anchor": views.evidence_anchor(i), "quote_id": f"citaat-{i + 1}" if ev.quote else None,
                     "lang": views.quote_lang(self.kb.sources.get(ev.source)), "label": self.refs[ev.source].label}
                    for i, ev in enumerate(claim.evidence)]
        labels = {item["anchor"]: item["label"] for item in evidence}
        tally = [(entry, [(a, labels[a]) for a in entry.anchors]) for entry in views.stance_tally(claim)]
        plots = self.forest_plots(claim)
        return self._page("claim.html.j2", here, meta, p,
                          jsonld.script(jsonld.claim(self.kb, claim, self.lang, address, {
                              key: self.absolute(self.source_md(key)) or self.url(here, self.source_md(key))
                              for key in cited if key in self.kb.sources})),
                          trusted={plot.id: plot.svg for plot in plots if plot.svg}, plots=plots,
                          claim=claim, body=body, cited=cited, entities=entities, replaced=replaced,
                          citation=citation, evidence=evidence, tally=tally,
                          profile=views.profile_rows(claim.grade, self.lang),
                          version=version.text(self.lang) if version else None,
                          history=self.history_items(self.history.of(claim.id)), state=self.history,
                          retracted=retracted)

    def entity_page(self, entity: Entity) -> OutputFile:
        here = self.entity_md(entity)
        claims = self.about.get((entity.kind, entity.id), [])
        cited: list[str] = []
        p = PageBuilder()
        body = self.converter.convert(self.resolve_body(entity.body, entity.where.path, here, cited))
        for claim in claims:
            for ev in claim.evidence:
                if ev.source not in cited:
                    cited.append(ev.source)
        related: dict[str, list[Entity]] = {}
        for kind in KIND_DIRS:
            ids = sorted({i for c in claims for i in c.entities(kind)} - ({entity.id} if kind == entity.kind else set()))
            found = [e for e in (self.kb.entity(kind, i) for i in ids) if e is not None]
            if found:
                related[kind] = sorted(found, key=lambda e: e.title.casefold())
        order = i18n.TYPE_ORDER[entity.kind]
        sections = [(i18n.TYPE_SECTIONS[self.lang][t], [c for c in claims if c.type == t]) for t in order]
        sections = [(title, items) for title, items in sections if items]
        meta = [("title", entity.title)] + ([("description", entity.summary)] if entity.summary else [])
        return self._page("entity.html.j2", here, meta, p, search_tags=(entity.title, *entity.aliases, *entity.search_terms),
                          entity=entity, claims=claims,
                          body=Deferred(lambda: p.body(body)), cited=cited, related=related,
                          sections=sections, summary_line=self.summary_line(claims),
                          sof=views.summary_of_findings(self.kb, entity, self.lang))

    def source_page(self, key: str) -> OutputFile:
        here = self.source_md(key)
        source = self.kb.sources[key]
        ref = self.refs[key]
        # scite-style citation statements: every citing claim once, grouped by stance, with its quote
        statements = views.citation_statements(self.kb, key, self.cited_by.get(key, ()))
        abstract = source.get("abstract") if self.settings.publish_abstracts else None
        appraisal = self.kb.appraisals.get(key)
        p = PageBuilder()
        notes = Deferred(lambda: self.body(p, appraisal.notes_md, appraisal.file, here, []) if appraisal else "")
        return self._page("source.html.j2", here, [("title", ref.label), ("description", ref.text)], p,
                          notes=notes, quote_lang=views.quote_lang(source),
                          head=jsonld.script(jsonld.source(key, source, self.absolute(here))), key=key,
                          source=source, ref=ref, statements=statements, abstract=abstract,
                          links=self.source_links(source),
                          cited=[key], citation=exports.source_citation(key, source, self.settings.publish_abstracts))

    def free_page(self, page_id: str) -> OutputFile:
        page = self.kb.pages[page_id]
        here = f"{page_id}.md"
        cited: list[str] = []
        p = PageBuilder()
        converted = self.converter.convert(self.resolve_body(page.body, page.where.path, here, cited))
        meta = [("title", page.title)] + ([("description", page.summary)] if page.summary else [])
        return self._page("page.html.j2", here, meta, p, page=page, body=Deferred(lambda: p.body(converted)),
                          cited=cited)

    def tasks(self) -> list[tuple[str, str]]:
        """Every page (and the JSON exports) as a (kind, key) task, in a stable order."""
        tasks = [("fixed", name) for name in ("home", "legend", "outdated")]
        tasks += [("index", folder) for folder in ENTITY_DIRS]
        tasks += [("fixed", "claims"), ("fixed", "bibliography")]
        tasks += [("entity", f"{e.kind}:{e.id}") for e in sorted(self.kb.entities.values(), key=lambda e: (e.kind, e.id))]
        tasks += [("claim", c) for c in sorted(self.kb.claims)]
        tasks += [("source", k) for k in sorted(self.kb.sources)]
        tasks += [("page", p) for p in sorted(self.kb.pages)]
        tasks += [("export", "claims"), ("export", "references"), ("fixed", "changes"), ("feed", "feed")]
        return tasks

    def task_paths(self, kind: str, key: str) -> tuple[str, ...]:
        """The files a task writes (see render_task)."""
        if kind == "entity":
            return (self.entity_md(self.kb.entities[key]),)
        if kind == "claim":
            return (f"claims/{key}.md",)
        if kind == "source":
            return (self.source_md(key),)
        if kind == "page":
            return (f"{key}.md",)
        if kind == "index":
            return (f"{key}/index.md",)
        if kind == "export":
            return (f"api/{key}.json",)
        if kind == "feed":
            return (FEED,)
        return ({**FIXED_PAGES, "claims": CLAIMS_INDEX, "bibliography": REFERENCES_INDEX}[key],)

    def paths(self) -> list[str]:
        """Every file the site's pages are made of, generated or not yet (for incremental builds)."""
        return [p for task in self.tasks() for p in self.task_paths(*task)]

    def pages(self, only: set[str] | None = None) -> list[OutputFile]:
        """Every page and the JSON exports, in a stable order; with *only*, just the tasks writing those paths."""
        tasks = self.tasks()
        if only is not None:
            tasks = [t for t in tasks if not only.isdisjoint(self.task_paths(*t))]
        return self._render_all(tasks)

    def render_task(self, kind: str, key: str) -> list[OutputFile]:
        if kind == "entity":
            return [self.entity_page(self.kb.entities[key])]
        if kind == "claim":
            return [self.claim_page(self.kb.claims[key])]
        if kind == "source":
            return [self.source_page(key)]
        if kind == "page":
            return [self.free_page(key)]
        if kind == "index":
            kind_ = ENTITY_DIRS[key]
            return [self._page("entity_index.html.j2", f"{key}/index.md", [("title", self.t(key))], kind=kind_,
                               entities=self.kb.entities_of(kind_))]
        if kind == "export":
            return [self.export(key)]
        if kind == "feed":
            return [self.feed_file()]
        if key == "changes":
            return [self.changes_page()]
        if key == "claims":
            return [self._page("claims_index.html.j2", CLAIMS_INDEX, [("title", self.t("all_claims"))])]
        if key == "bibliography":
            keys = sorted(self.kb.sources, key=lambda k: (self.refs[k].sort_key, k))
            return [self._page("bibliography.html.j2", REFERENCES_INDEX, [("title", self.t("bibliography"))],
                               keys=keys, cited=keys)]
        template, title = {"home": ("home.html.j2", "home"), "legend": ("legend.html.j2", "legend_title"),
                           "outdated": ("outdated.html.j2", "outdated")}[key]
        meta: list[tuple[str, Any]] = [("title", self.t(title))]
        if key == "home":
            # Material: the evidence maps get the page's full width (they fit 1280 px without scrolling)
            meta.append(("hide", ("navigation", "toc")))
        return [self._page(template, FIXED_PAGES[key], meta)]

    def _render_all(self, tasks: list[tuple[str, str]]) -> list[OutputFile]:
        """Render in two processes when there are enough pages to pay for it (fork: no pickling in)."""
        from generator.core import parallel

        global _WORKER
        workers = parallel.workers()
        if len(tasks) < PARALLEL_PAGES or workers < 2:
            return _render_tasks(self, tasks)
        _WORKER = self
        try:
            size = max(MIN_CHUNK, len(tasks) // (workers * 4))
            chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
            # A fresh child per chunk: a worker never carries one chunk's caches and garbage into the
            # next (at 10,000 claims that kept ~200 MB more alive across the processes).
            # parallel.fork_map: a fresh child per chunk, default signal handling, a deadline, and
            # every child killed and reaped on any way out (no multiprocessing.Pool: it hung, issue 18).
            return [page for chunk in parallel.fork_map(_render_chunk, [(c,) for c in chunks], workers)
                    for page in chunk]
        finally:
            _WORKER = None

    def export(self, which: str) -> OutputFile:
        """api/claims.json or api/references.json."""
        if which == "claims":
            source_page = {k: self.source_md(k) for k in self.kb.sources}
            return OutputFile.of("api/claims.json", exports.claims_json(self.kb, source_page, self.directory_urls))
        return OutputFile.of("api/references.json", exports.references_json(self.kb, self.settings.publish_abstracts))

    def assets(self) -> list[OutputFile]:
        """kb.css and kb.js; with the setting `cms`, the browser editor's /admin/ too."""
        return [OutputFile(f"{ASSETS_DIR}/{p.name}", p.read_bytes()) for p in sorted(ASSETS.iterdir())
                if p.is_file()] + admin_files(self.kb, self.settings)


#: below this many pages a second process costs more than it saves (measured with benchmarks/bench.py:
#: at 1,000 claims / 1,000 sources, 2,068 pages, rendering takes 1.5 s in one process, 1.1 s in two)
PARALLEL_PAGES = 1000
#: fewest pages a worker renders at a time (a fork per chunk costs a few ms)
MIN_CHUNK = 250
_WORKER: "Renderer | None" = None


def _render_tasks(renderer: "Renderer", tasks: list[tuple[str, str]]) -> list[OutputFile]:
    return [page for kind, key in tasks for page in renderer.render_task(kind, key)]


def _render_chunk(tasks: list[tuple[str, str]]) -> list[OutputFile]:
    assert _WORKER is not None  # set by the parent before forking
    return _render_tasks(_WORKER, tasks)


def render_site(kb: KnowledgeBase, formatted: dict[str, Formatted], settings: Settings,
                directory_urls: bool = True, template_dirs: list[Path] | None = None,
                markdown: MarkdownOptions | None = None, target: str = "markdown",
                history: History = NO_HISTORY) -> list[OutputFile]:
    """Every generated file of the site, in a stable order."""
    renderer = Renderer(kb, formatted, settings, directory_urls, template_dirs, markdown, target, history)
    return renderer.pages() + renderer.assets()
