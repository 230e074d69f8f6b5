"""Turn the checked knowledge base into pages, as data.

No file is written here and MkDocs is not imported: `render_site` returns
`OutputFile`s (path + text) that the adapters write to disk or hand to
MkDocs.  The Markdown it produces builds under MkDocs, ProperDocs or
Zensical alike, because citations are already resolved to plain links.

Escaping: every value from content or the bibliography reaches a template
through Jinja's `finalize`, which HTML-escapes it and backslash-escapes
Markdown syntax, so a title cannot become a tag or a link.  Only Markup
built here (resolved bodies, pybtex's HTML, our own badges) passes as is.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator import i18n
from generator.bibliography import normalize_doi
from generator.citations import MD_LINK, NOT_RELATIVE, code_mask, find_citations, in_code
from generator.config import Settings
from generator.layout import ASSETS_DIR, CLAIMS_INDEX, EXPORTS, FIXED_PAGES, LEGEND, REFERENCES_INDEX
from generator.model import CERTAINTIES, ENTITY_DIRS, KIND_DIRS, Claim, Entity, KnowledgeBase, Source
from generator.references import Formatted, csl_json
from generator.safety import CONTROL_CHARS
from generator.urls import page_url, relative_md, relative_url, source_slugs

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
# letters, digits, single spaces and punctuation that neither HTML nor Markdown treats specially
_PLAIN = re.compile(r"(?:[^\W_]|[,.;:?-]| (?! ))*")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


@dataclass(frozen=True)
class OutputFile:
    """One generated file: a path relative to the docs folder and its UTF-8 content.

    Held as bytes, not str: a Python str takes 2 bytes per character as soon as
    it holds one character such as the certainty symbol ⊕, so at 10,000 claims
    the pages as str took twice the memory.  Writers and MkDocs take bytes as is.
    """

    path: str
    data: bytes
    head: str = ""  # extra HTML for <head> (JSON-LD); adapters that can, insert it

    @classmethod
    def of(cls, path: str, text: str, head: str = "") -> "OutputFile":
        return cls(path, text.encode("utf-8"), head)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def md_text(value: object) -> str:
    """Plain text -> safe inline Markdown (HTML-escaped, Markdown syntax neutralized)."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = str(value)
    if _PLAIN.fullmatch(text):  # most labels and titles: nothing to escape
        return text
    text = html.escape(re.sub(r"\s+", " ", text), quote=True)
    return _MD_SPECIAL.sub(r"\\\1", text)


def html_text(value: object) -> Markup:
    """Plain text -> HTML text, for raw HTML blocks (no Markdown escaping there)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


def _yaml_value(value: str) -> Markup:
    # JSON strings are valid YAML; MkDocs escapes meta values when the theme uses them
    # MkDocs themes render page.meta without autoescaping: escape HTML here.
    # Control characters would make the YAML invalid, and MkDocs would then show the front matter as text
    # (the check reports them as control-character; this keeps a switched-off check harmless).
    text = CONTROL_CHARS.sub("", " ".join(str(value).split()))
    return Markup(json.dumps(html.escape(text, quote=True), ensure_ascii=False))


def content_to_output(path: str) -> str | None:
    """content/claims/x.md -> claims/x.md; content/pages/x.md -> x.md."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "content":
        return None
    if parts[1] == "pages":
        return parts[2]
    return f"{parts[1]}/{parts[2]}"


def _tidy(text: str) -> str:
    """Blank line before headings, no runs of blank lines; code blocks are left exactly as written."""
    out, last = [], 0
    for start, end in sorted(s for s in code_mask(text) if "\n" in text[s[0]:s[1]]):
        if start < last:
            continue
        out.append(_tidy_prose(text[last:start]))
        out.append(text[start:end])
        last = end
    out.append(_tidy_prose(text[last:]))
    return "".join(out)


def _tidy_prose(text: str) -> str:
    text = re.sub(r"\n+(#{1,6} )", r"\n\n\1", text)
    return re.sub(r"\n{3,}", "\n\n", text)


class Renderer:
    """Holds the cross-reference indexes; each page is then a template call."""

    def __init__(self, kb: KnowledgeBase, formatted: dict[str, Formatted], settings: Settings,
                 directory_urls: bool = True, template_dirs: list[Path] | None = None) -> None:
        self.kb = kb
        self.refs = formatted
        self.settings = settings
        self.lang = i18n.lang(settings.language)
        self.directory_urls = directory_urls
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
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in (template_dirs or [])]
        loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders), autoescape=False, finalize=md_text,
            undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.filters["h"] = html_text
        self.env.filters["yaml"] = _yaml_value

    # -- helpers ----------------------------------------------------------
    @staticmethod
    def _claim_order(claim: Claim) -> tuple[int, str, str]:
        rank = CERTAINTIES.index(claim.certainty) if claim.certainty in CERTAINTIES else 9
        return (rank, claim.statement.casefold(), claim.id)

    def t(self, key: str) -> str:
        return i18n.LABELS[self.lang][key]

    def date(self, value: _dt.date | None) -> str:
        if value is None:
            return ""
        return f"{value.day} {i18n.MONTHS[self.lang][value.month - 1]} {value.year}"

    def source_md(self, key: str) -> str:
        return f"references/{self.slugs[key]}.md"

    def claim_md(self, claim: Claim) -> str:
        return f"claims/{claim.id}.md"

    def entity_md(self, entity: Entity) -> str:
        return f"{KIND_DIRS[entity.kind]}/{entity.id}.md"

    def link(self, here: str, target: str, text: object, attrs: str = "") -> Markup:
        """A Markdown link MkDocs resolves (and checks) itself."""
        return Markup(f"[{md_text(text)}]({relative_md(here, target)}){attrs}")

    def badge(self, here: str, certainty: str) -> Markup:
        label = i18n.CERTAINTY[self.lang].get(certainty, certainty)
        symbols = i18n.CERTAINTY_SYMBOLS.get(certainty, "")
        href = relative_url(here, LEGEND, self.directory_urls, "zekerheid")
        title = f"{self.t('certainty')}: {label} (GRADE)"
        return Markup(f'<a class="kb-certainty kb-certainty--{html.escape(certainty)}" href="{href}" '
                      f'title="{html.escape(title)}"><span aria-hidden="true">{symbols}</span> '
                      f'{html.escape(label)}</a>')

    def stance(self, here: str, stance: str) -> Markup:
        label = i18n.STANCE[self.lang].get(stance, stance)
        symbol = i18n.STANCE_SYMBOLS.get(stance, "")
        href = relative_url(here, LEGEND, self.directory_urls, "standpunt")
        return Markup(f'<a class="kb-stance kb-stance--{html.escape(stance)}" href="{href}" '
                      f'title="{html.escape(i18n.STANCE_MEANING[self.lang].get(stance, ""))}">'
                      f'<span aria-hidden="true">{symbol}</span> {html.escape(label)}</a>')

    def cite(self, here: str, key: str, locator: str | None = None, stance: str | None = None) -> Markup:
        ref = self.refs[key]
        text = md_text(ref.label) + (f", {md_text(locator)}" if locator else "")
        attrs = f'{{ .kb-cite data-kb-ref="{self.slugs[key]}"' + (f' data-kb-stance="{stance}"' if stance else "") + " }"
        return Markup(f"[{text}]({relative_md(here, self.source_md(key))}){attrs}")

    def render_body(self, body: str, content_path: str, here: str, cited: list[str],
                    stances: dict[str, str] | None = None) -> Markup:
        """Resolve [@key] citations and rewrite relative links for the page's new place."""
        pieces: list[str] = []
        last = 0
        for group in find_citations(body):
            pieces.append(body[last:group.start])
            cites = []
            for item in group.items:
                if item.key not in self.refs:
                    cites.append(md_text(f"@{item.key}"))
                    continue
                if item.key not in cited:
                    cited.append(item.key)
                prefix = (md_text(item.prefix) + " ") if item.prefix else ""
                cites.append(prefix + self.cite(here, item.key, item.locator, (stances or {}).get(item.key)))
            pieces.append("(" + "; ".join(cites) + ")")
            last = group.end
        pieces.append(body[last:])
        text = "".join(pieces)

        spans = code_mask(text)  # offsets moved when citations were resolved: mask the new text

        def relink(m: re.Match[str]) -> str:
            target = m.group(2)
            if NOT_RELATIVE.match(target) or in_code(m.start(), spans):
                return m.group(0)
            path, _, fragment = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(content_path), path))
            # an editor's image or PDF is published where it is; a page may move (pages/x.md -> x.md)
            out = resolved.removeprefix("content/") if resolved in self.kb.assets else content_to_output(resolved)
            if out is None:
                return m.group(0)
            new = relative_md(here, out) + (f"#{fragment}" if fragment else "")
            return f"{m.group(1)}{new}{m.group(3)}"

        return Markup(MD_LINK.sub(relink, text) if "](" in text else text)

    def reference_list(self, here: str, keys: list[str], stances: dict[str, str] | None = None) -> Markup:
        """The raw-HTML list of the sources cited on a page; citation cards read it."""
        if not keys:
            return Markup("")
        items = []
        for key in keys:
            ref, source = self.refs[key], self.kb.sources[key]
            design = source.get("design")
            bits = [f'<span class="kb-ref__text">{ref.html}</span>']
            meta = []
            if design:
                meta.append(f'{html.escape(self.t("design"))}: {html.escape(i18n.DESIGN[self.lang].get(design, design))}')
            if source.get("population"):
                meta.append(f'{html.escape(self.t("population"))}: {html.escape(source.fields["population"])}')
            if not source.verified:
                meta.append(f'<strong>{html.escape(self.t("unverified_title"))}</strong>')
            if meta:
                bits.append(f'<span class="kb-ref__meta">{" · ".join(meta)}</span>')
            href = relative_url(here, self.source_md(key), self.directory_urls)
            bits.append(f'<a class="kb-ref__more" href="{href}">{html.escape(ref.label)} →</a>')
            items.append(f'<li id="kb-ref-{self.slugs[key]}" class="kb-ref" data-kb-label="{html.escape(ref.label)}">'
                         + " ".join(bits) + "</li>")
        return Markup('<ol class="kb-reflist">\n' + "\n".join(items) + "\n</ol>")

    def source_links(self, source: Source) -> list[tuple[str, str, str]]:
        """(label, text, url) for DOI, PubMed, PMC and URL; URLs built by us, never taken raw."""
        out = []
        if source.get("doi"):
            doi = normalize_doi(source.fields["doi"])
            out.append((self.t("doi"), doi, "https://doi.org/" + quote(doi, safe="/:;._-")))
        pmid = (source.get("pmid") or "").strip()
        if pmid.isdigit():
            out.append((self.t("pubmed"), f"PMID {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
        pmcid = (source.get("pmcid") or "").strip().upper()
        if re.fullmatch(r"PMC\d+", pmcid):
            out.append((self.t("pmc"), pmcid, f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"))
        url = (source.get("url") or "").strip()
        if re.match(r"^https?://[^\s<>\"']+$", url):
            out.append((self.t("url"), url, quote(url, safe="/:;._-~?&=#%+@!$,*'()")))
        return out

    def claim_type(self, value: str) -> str:
        return i18n.CLAIM_TYPE[self.lang].get(value, value)

    def kind_dir(self, kind: str) -> str:
        return KIND_DIRS[kind]  # type: ignore[index]

    def entity_dirs(self) -> list[tuple[str, str]]:
        return list(ENTITY_DIRS.items())

    def design(self, key: str) -> str:
        value = self.kb.sources[key].get("design") or ""
        return i18n.DESIGN[self.lang].get(value, value)

    def certainty_meaning(self, level: str) -> str:
        return i18n.CERTAINTY_MEANING[self.lang][level]

    def stance_meaning(self, stance: str) -> str:
        return i18n.STANCE_MEANING[self.lang][stance]

    def summary_line(self, claims: list[Claim]) -> str:
        """One sentence that answers 'how sure are we?' before any detail."""
        if not claims:
            return ""
        counts = {level: sum(1 for c in claims if c.certainty == level) for level in CERTAINTIES}
        names = i18n.CERTAINTY[self.lang]
        parts = [f"{n} {names[level]}" for level, n in counts.items() if n]
        if self.lang == "nl":
            return (f"{len(claims)} {'bewering' if len(claims) == 1 else 'beweringen'}, van meest naar minst zeker "
                    f"geordend; zekerheid van het bewijs: {', '.join(parts)}.")
        return f"{len(claims)} claim(s), most certain first; certainty of the evidence: {', '.join(parts)}."

    def cited_as_label(self) -> str:
        return "Geciteerd als" if self.lang == "nl" else "Cited as"

    def reviewed_label(self) -> str:
        return "beoordeeld" if self.lang == "nl" else "reviewed"

    def legend_head(self, which: str) -> str:
        words = {"nl": {"level": "Niveau", "meaning": "Betekenis"}, "en": {"level": "Level", "meaning": "Meaning"}}
        return words[self.lang][which]

    def also_known_as(self) -> str:
        return "Ook bekend als" if self.lang == "nl" else "Also known as"

    def site_title(self) -> str:
        return self.settings.site_name or ("Kennisbank" if self.lang == "nl" else "Knowledge base")

    def full_reference(self, key: str) -> Markup:
        return Markup(self.refs[key].html)

    # -- evidence map, citation snippets, JSON-LD --------------------------
    def evidence_map(self, here: str, other: str) -> Markup:
        """Injuries (rows) against interventions or risk factors (columns), as an accessible table."""
        injuries = [e for e in self.kb.entities_of("injury") if self.about.get(("injury", e.id))]
        columns = [e for e in self.kb.entities_of(other) if self.about.get((other, e.id))]  # type: ignore[arg-type]
        if not injuries or not columns:
            return Markup("")
        lab = i18n.LABELS[self.lang]
        caption = f"{lab['injuries']} × {lab[KIND_DIRS[other]].lower()}"  # type: ignore[index]
        rows = ['<div class="kb-map-wrap" role="region" tabindex="0" aria-label="' + html.escape(caption) + '">',
                f'<table class="kb-map"><caption>{html.escape(caption)}</caption>', "<thead><tr>",
                f'<th scope="col">{html.escape(lab["injuries"])}</th>']
        for col in columns:
            href = relative_url(here, self.entity_md(col), self.directory_urls)
            rows.append(f'<th scope="col"><a href="{href}">{html.escape(col.title)}</a></th>')
        rows.append("</tr></thead><tbody>")
        for inj in injuries:
            href = relative_url(here, self.entity_md(inj), self.directory_urls)
            rows.append(f'<tr><th scope="row"><a href="{href}">{html.escape(inj.title)}</a></th>')
            about_inj = self.about.get(("injury", inj.id), [])
            for col in columns:
                claims = [c for c in about_inj if col.id in c.entities(col.kind)]
                if not claims:
                    rows.append(f'<td class="kb-map__cell kb-map__cell--empty"><span class="kb-visually-hidden">'
                                f'{html.escape(lab["no_claims"])}</span></td>')
                    continue
                best = min(claims, key=self._claim_order).certainty
                sources = {ev.source for c in claims for ev in c.evidence}
                label = i18n.CERTAINTY[self.lang].get(best, best)
                target = relative_url(here, self.claim_md(claims[0]) if len(claims) == 1 else self.entity_md(inj),
                                      self.directory_urls)
                text = (f"{len(claims)} {lab['claim_count'] if len(claims) != 1 else lab['claim'].lower()} · "
                        f"{len(sources)} {lab['source_count'] if len(sources) != 1 else lab['source'].lower()}")
                rows.append(f'<td class="kb-map__cell kb-map__cell--{best}"><a href="{target}" '
                            f'title="{html.escape(inj.title)} × {html.escape(col.title)}: {html.escape(text)}">'
                            f'<span class="kb-map__sym" aria-hidden="true">{i18n.CERTAINTY_SYMBOLS.get(best, "")}</span> '
                            f'{html.escape(text)}<span class="kb-map__best kb-visually-hidden"> · {html.escape(lab["certainty"].lower())}: '
                            f'{html.escape(label)}</span></a></td>')
            rows.append("</tr>")
        rows.append("</tbody></table></div>")
        return Markup("\n".join(rows))

    def evidence_map_title(self) -> str:
        return "Bewijskaart" if self.lang == "nl" else "Evidence map"

    @staticmethod
    def fence(text: str) -> str:
        """A code fence longer than any backtick run in *text*."""
        longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
        return "`" * max(3, longest + 1)

    def cite_claim(self, claim: Claim) -> tuple[str, str]:
        """BibTeX and RIS for citing a claim page."""
        year = str(claim.reviewed.year) if claim.reviewed else ""
        url = page_url(self.claim_md(claim), self.directory_urls)
        site = self.site_title()
        safe = lambda v: re.sub(r"[{}\\]", "", v)  # noqa: E731
        bib = (f"@misc{{kb-{claim.id},\n  title = {{{safe(claim.statement)}}},\n  howpublished = {{{safe(site)}, "
               f"/{url}}},\n  year = {{{year}}},\n  note = {{{safe(self.t('reviewed'))}: "
               f"{claim.reviewed.isoformat() if claim.reviewed else ''}}}\n}}")
        ris = (f"TY  - WEB\nTI  - {claim.statement}\nT2  - {site}\nPY  - {year}\nUR  - /{url}\n"
               f"Y2  - {claim.reviewed.isoformat() if claim.reviewed else ''}\nER  - ")
        return bib, ris

    def cite_source(self, key: str) -> tuple[str, str]:
        """BibTeX and RIS of a source, rebuilt from its decoded fields."""
        s = self.kb.sources[key]
        names = ("author", "title", "journal", "booktitle", "year", "volume", "number", "pages", "publisher",
                 "doi", "pmid", "url")
        safe = lambda v: re.sub(r"[{}\\]", "", v)  # noqa: E731
        lines = [f"  {n} = {{{safe(s.fields[n])}}}" for n in names if s.get(n)]
        bib = f"@{s.entry_type}{{{key},\n" + ",\n".join(lines) + "\n}"
        ris_type = {"article": "JOUR", "book": "BOOK", "incollection": "CHAP", "inproceedings": "CPAPER",
                    "phdthesis": "THES", "techreport": "RPRT"}.get(s.entry_type, "GEN")
        ris = [f"TY  - {ris_type}"]
        for person in re.split(r"\s+and\s+", s.get("author") or ""):
            if person.strip():
                ris.append(f"AU  - {person.strip()}")
        for tag, name in (("TI", "title"), ("JO", "journal"), ("PY", "year"), ("VL", "volume"), ("IS", "number"),
                          ("DO", "doi"), ("UR", "url"), ("AB", "abstract")):
            if s.get(name):
                ris.append(f"{tag}  - {s.fields[name]}")
        pages = (s.get("pages") or "").replace("--", "-").split("-")
        if pages and pages[0]:
            ris.append(f"SP  - {pages[0]}")
            if len(pages) > 1 and pages[-1]:
                ris.append(f"EP  - {pages[-1]}")
        ris.append("ER  - ")
        return bib, "\n".join(ris)

    @staticmethod
    def jsonld_script(data: dict[str, Any]) -> str:
        """A JSON-LD <script>; <, > and & are escaped so the data can never close the tag."""
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f'<script type="application/ld+json">{text}</script>'

    def source_jsonld(self, key: str) -> dict[str, Any]:
        s = self.kb.sources[key]
        data: dict[str, Any] = {"@context": "https://schema.org", "@type": "ScholarlyArticle",
                                "name": s.get("title") or key, "identifier": key}
        if s.get("year"):
            data["datePublished"] = s.fields["year"]
        if s.get("journal"):
            data["isPartOf"] = {"@type": "Periodical", "name": s.fields["journal"]}
        people = [p.strip() for p in re.split(r"\s+and\s+", s.get("author") or "") if p.strip()]
        if people:
            data["author"] = [{"@type": "Person", "name": p} for p in people]
        if s.get("doi"):
            data["sameAs"] = "https://doi.org/" + quote(normalize_doi(s.fields["doi"]), safe="/:;._-")
        return data

    def claim_jsonld(self, claim: Claim) -> dict[str, Any]:
        return {
            "@context": "https://schema.org", "@type": "Claim", "text": claim.statement,
            "inLanguage": self.lang, "dateModified": claim.reviewed.isoformat() if claim.reviewed else None,
            "about": [{"@type": "Thing", "name": e.title} for kind in KIND_DIRS
                      for e in (self.kb.entity(kind, i) for i in claim.entities(kind)) if e is not None],
            "citation": [dict(self.source_jsonld(ev.source), **{"description": ev.stance}) for ev in claim.evidence
                         if ev.source in self.kb.sources],
            "additionalProperty": {"@type": "PropertyValue", "name": "certainty (GRADE)", "value": claim.certainty},
        }

    # -- pages ------------------------------------------------------------
    def _page(self, template: str, path: str, **context: Any) -> OutputFile:
        tpl = self.env.get_template(template)
        context.setdefault("cited", [])
        text = tpl.render(r=self, here=path, t=self.t, lang=self.lang, **context)
        text = _tidy(text)
        return OutputFile.of(path, text.rstrip("\n") + "\n")

    def claim_page(self, claim: Claim) -> OutputFile:
        here = self.claim_md(claim)
        cited: list[str] = [ev.source for ev in claim.evidence]
        cited = list(dict.fromkeys(cited))
        stances = {ev.source: ev.stance for ev in claim.evidence}
        body = self.render_body(claim.body, claim.where.path, here, cited, stances)
        entities = [(kind, [self.kb.entity(kind, i) for i in claim.entities(kind) if self.kb.entity(kind, i)])
                    for kind in KIND_DIRS]
        replaced = self.kb.claims.get(claim.superseded_by) if claim.superseded_by else None
        page = self._page("claim.md.j2", here, claim=claim, body=body, cited=cited, entities=entities,
                          replaced=replaced, citation=self.cite_claim(claim))
        return OutputFile(page.path, page.data, self.jsonld_script(self.claim_jsonld(claim)))

    def entity_page(self, entity: Entity) -> OutputFile:
        here = self.entity_md(entity)
        claims = self.about.get((entity.kind, entity.id), [])
        cited: list[str] = []
        body = self.render_body(entity.body, entity.where.path, here, cited)
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
        return self._page("entity.md.j2", here, entity=entity, claims=claims, body=body, cited=cited, related=related,
                          sections=sections, summary_line=self.summary_line(claims))

    def source_page(self, key: str) -> OutputFile:
        here = self.source_md(key)
        source = self.kb.sources[key]
        claims = self.cited_by.get(key, [])
        groups = []
        for kind in KIND_DIRS:
            ids = sorted({i for c in claims for i in c.entities(kind)})
            ents = [e for e in (self.kb.entity(kind, i) for i in ids) if e is not None]
            if ents:
                groups.append((kind, [(e, [c for c in claims if e.id in c.entities(kind)]) for e in ents]))
        stance_of = {c.id: [ev for ev in c.evidence if ev.source == key] for c in claims}
        page = self._page("source.md.j2", here, key=key, source=source, ref=self.refs[key], claims=claims,
                          groups=groups, stance_of=stance_of, links=self.source_links(source), cited=[key],
                          citation=self.cite_source(key))
        return OutputFile(page.path, page.data, self.jsonld_script(self.source_jsonld(key)))

    def free_page(self, page_id: str) -> OutputFile:
        page = self.kb.pages[page_id]
        here = f"{page_id}.md"
        cited: list[str] = []
        body = self.render_body(page.body, page.where.path, here, cited)
        return self._page("page.md.j2", here, page=page, body=body, cited=cited)

    def pages(self) -> list[OutputFile]:
        """Every Markdown page and the JSON exports, in a stable order."""
        tasks = [("fixed", name) for name in ("home", "legend", "outdated")]
        tasks += [("index", folder) for folder in ENTITY_DIRS]
        tasks += [("fixed", "claims"), ("fixed", "bibliography")]
        tasks += [("entity", f"{e.kind}:{e.id}") for e in sorted(self.kb.entities.values(), key=lambda e: (e.kind, e.id))]
        tasks += [("claim", c) for c in sorted(self.kb.claims)]
        tasks += [("source", k) for k in sorted(self.kb.sources)]
        tasks += [("page", p) for p in sorted(self.kb.pages)]
        tasks += [("exports", "")]
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
            return [self._page("entity_index.md.j2", f"{key}/index.md", kind=ENTITY_DIRS[key],
                               entities=self.kb.entities_of(ENTITY_DIRS[key]))]
        if kind == "exports":
            return self.exports()
        if key == "claims":
            return [self._page("claims_index.md.j2", CLAIMS_INDEX)]
        if key == "bibliography":
            keys = sorted(self.kb.sources, key=lambda k: (self.refs[k].sort_key, k))
            return [self._page("bibliography.md.j2", REFERENCES_INDEX, keys=keys, cited=keys)]
        template = {"home": "home.md.j2", "legend": "legend.md.j2", "outdated": "outdated.md.j2"}[key]
        return [self._page(template, FIXED_PAGES[key])]

    def _render_all(self, tasks: list[tuple[str, str]]) -> list[OutputFile]:
        """Render in two processes when there are enough pages to pay for it (fork: no pickling in)."""
        from generator import parallel

        global _WORKER
        workers = parallel.workers()
        if len(tasks) < PARALLEL_PAGES or workers < 2:
            return _render_tasks(self, tasks)
        _WORKER = self
        try:
            size = max(250, len(tasks) // (workers * 4))
            chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
            with parallel.fork_context().Pool(workers) as pool:
                return [page for chunk in pool.map(_render_chunk, chunks) for page in chunk]
        finally:
            _WORKER = None

    def exports(self) -> list[OutputFile]:
        claims = []
        for c in sorted(self.kb.claims.values(), key=lambda c: c.id):
            claims.append({
                "id": c.id, "url": page_url(self.claim_md(c), self.directory_urls), "statement": c.statement,
                "type": c.type, "certainty": c.certainty, "certainty_reason": c.certainty_reason,
                "population": c.population, "status": c.status, "superseded_by": c.superseded_by,
                "reviewed": c.reviewed.isoformat() if c.reviewed else None,
                "injuries": list(c.injuries), "risk_factors": list(c.risk_factors),
                "interventions": list(c.interventions),
                "evidence": [{"source": e.source, "stance": e.stance, "locator": e.locator, "quote": e.quote,
                              "note": e.note, "url": page_url(self.source_md(e.source), self.directory_urls)}
                             for e in c.evidence],
            })
        refs = [csl_json(self.kb.sources[k]) for k in sorted(self.kb.sources)]
        # compact JSON: the C encoder (indent forces the pure-Python one, 10x slower at 10k claims)
        dump = lambda data: json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"  # noqa: E731
        return [OutputFile.of(EXPORTS[0], dump(claims)), OutputFile.of(EXPORTS[1], dump(refs))]

    def assets(self) -> list[OutputFile]:
        return [OutputFile(f"{ASSETS_DIR}/{p.name}", p.read_bytes()) for p in sorted(ASSETS.iterdir())
                if p.is_file()]


#: below this many pages a second process costs more than it saves (measured with benchmarks/bench.py:
#: at 1,000 claims / 1,000 sources, 2,068 pages, rendering takes 1.5 s in one process, 1.1 s in two)
PARALLEL_PAGES = 1000
_WORKER: "Renderer | None" = None


def _render_tasks(renderer: "Renderer", tasks: list[tuple[str, str]]) -> list[OutputFile]:
    return [page for kind, key in tasks for page in renderer.render_task(kind, key)]


def _render_chunk(tasks: list[tuple[str, str]]) -> list[OutputFile]:
    assert _WORKER is not None  # set by the parent before forking
    return _render_tasks(_WORKER, tasks)


def render_site(kb: KnowledgeBase, formatted: dict[str, Formatted], settings: Settings,
                directory_urls: bool = True, template_dirs: list[Path] | None = None) -> list[OutputFile]:
    """Every generated file of the site, in a stable order."""
    renderer = Renderer(kb, formatted, settings, directory_urls, template_dirs)
    return renderer.pages() + renderer.assets()
