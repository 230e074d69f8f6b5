"""What templates call: words in the site's language, URLs between pages, and the small
HTML pieces every page repeats (certainty badge, stance, citation link).

The pieces are Python rather than Jinja macros because a heavy page repeats them
thousands of times and a macro call costs ten times a function call; they return
Markup built from escaped values only.  Everything here reads the knowledge base and
never changes it.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from generator.core import i18n
from generator.intake.bibliography import normalize_doi
from generator.intake.config import Settings
from generator.pages.evidence_map import EvidenceMap, evidence_map
from generator.core.layout import LEGEND
from generator.core.model import CERTAINTIES, ENTITY_DIRS, KIND_DIRS, Claim, Entity, KnowledgeBase, Source
from generator.pages.references import Formatted
from generator.core.urls import relative_url



def _for_screen_readers(word: str) -> str:
    """*word* + ": " for screen readers only (visually hidden, left out of the search index)."""
    return f'<span class="kb-visually-hidden" data-search-exclude="">{html.escape(word)}: </span>'

class TemplateHelpers:
    """The `r` object of the templates (generator.pages.render.Renderer adds the pages)."""

    kb: KnowledgeBase
    refs: dict[str, Formatted]
    settings: Settings
    lang: str
    labels: dict[str, str]
    directory_urls: bool
    slugs: dict[str, str]
    about: dict[tuple[str, str], list[Claim]]

    # -- words and small values for the templates --------------------------
    @staticmethod
    def _claim_order(claim: Claim) -> tuple[int, str, str]:
        rank = CERTAINTIES.index(claim.certainty) if claim.certainty in CERTAINTIES else 9
        return (rank, claim.statement.casefold(), claim.id)

    def t(self, key: str) -> str:
        return self.labels[key]

    def date(self, value: _dt.date | None) -> str:
        if value is None:
            return ""
        return f"{value.day} {i18n.MONTHS[self.lang][value.month - 1]} {value.year}"

    def certainty_label(self, certainty: str) -> str:
        return i18n.CERTAINTY[self.lang].get(certainty, certainty)

    @staticmethod
    def certainty_symbols(certainty: str) -> str:
        return i18n.CERTAINTY_SYMBOLS.get(certainty, "")

    def certainty_meaning(self, level: str) -> str:
        return i18n.CERTAINTY_MEANING[self.lang][level]

    def stance_label(self, stance: str) -> str:
        return i18n.STANCE[self.lang].get(stance, stance)

    @staticmethod
    def stance_symbol(stance: str) -> str:
        return i18n.STANCE_SYMBOLS.get(stance, "")

    def stance_meaning(self, stance: str) -> str:
        return i18n.STANCE_MEANING[self.lang].get(stance, "")

    def claim_type(self, value: str) -> str:
        return i18n.CLAIM_TYPE[self.lang].get(value, value)

    def design(self, key: str) -> str:
        value = self.kb.sources[key].get("design") or ""
        return i18n.DESIGN[self.lang].get(value, value)

    @staticmethod
    def kind_dir(kind: str) -> str:
        return KIND_DIRS[kind]  # type: ignore[index]

    @staticmethod
    def entity_dirs() -> list[tuple[str, str]]:
        return list(ENTITY_DIRS.items())

    def site_title(self) -> str:
        return self.settings.site_name or self.labels["site_title"]

    def full_reference(self, key: str) -> Markup:
        return Markup(self.refs[key].html)  # pybtex's html backend escaped it

    def summary_line(self, claims: list[Claim]) -> str:
        """One sentence that answers 'how sure are we?' before any detail."""
        if not claims:
            return ""
        names = i18n.CERTAINTY[self.lang]
        counts = {level: sum(1 for c in claims if c.certainty == level) for level in CERTAINTIES}
        levels = ", ".join(f"{n} {names[level]}" for level, n in counts.items() if n)
        word = self.labels["summary_one" if len(claims) == 1 else "summary_many"]
        return self.labels["summary_line"].format(count=len(claims), claims=word, levels=levels)

    # -- where pages live ----------------------------------------------------
    def source_md(self, key: str) -> str:
        return f"references/{self.slugs[key]}.md"

    @staticmethod
    def claim_md(claim: Claim) -> str:
        return f"claims/{claim.id}.md"

    @staticmethod
    def entity_md(entity: Entity) -> str:
        return f"{KIND_DIRS[entity.kind]}/{entity.id}.md"

    def url(self, here: str, target: str, fragment: str | None = None) -> str:
        """The relative URL from page *here* to page (or file) *target*, as MkDocs would write it."""
        return relative_url(here, target, self.directory_urls, fragment)

    # -- data for page parts -------------------------------------------------
    def reference_items(self, here: str, keys: list[str]) -> list[dict[str, Any]]:
        """The sources cited on a page, for the reference list that citation cards read."""
        items = []
        for key in keys:
            ref, source = self.refs[key], self.kb.sources[key]
            meta = []
            if source.get("design"):
                meta.append({"text": f"{self.labels['design']}: {self.design(key)}", "strong": False})
            if source.get("population"):
                meta.append({"text": f"{self.labels['population']}: {source.fields['population']}", "strong": False})
            if not source.verified:
                meta.append({"text": self.labels["unverified_title"], "strong": True})
            if source.retracted:
                meta.append({"text": self.labels["retracted_title"], "strong": True})
            items.append({"slug": self.slugs[key], "label": ref.label, "html": Markup(ref.html), "meta": meta,
                          "href": self.url(here, self.source_md(key))})
        return items

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

    def evidence_map(self, other: str) -> EvidenceMap | None:
        return evidence_map(self.kb.entities_of("injury"), self.kb.entities_of(other),  # type: ignore[arg-type]
                            self.about, self.lang)

    def grade_rating(self, rating: str) -> str:
        return i18n.GRADE_RATING[self.lang].get(rating, rating)

    def grade_start(self, start: str | None) -> str:
        return i18n.GRADE_START[self.lang].get(start or "", start or "")

    def designs_text(self, designs: tuple[tuple[str, int], ...], total: int) -> str:
        """'3: gerandomiseerde studie (RCT) 2, cohortstudie 1' for a summary-of-findings row."""
        named = [f"{i18n.DESIGN[self.lang].get(d, d)} {n}" for d, n in designs]
        unknown = total - sum(n for _d, n in designs)
        if unknown > 0:
            named.append(f"{self.labels['unknown']} {unknown}")
        return f"{total}" + (f": {', '.join(named)}" if named else "")

    def participants_text(self, participants: int | None, known: int, total: int) -> str:
        if participants is None:
            return self.labels["unknown"]
        number = f"{participants:,}".replace(",", "." if self.lang == "nl" else ",")
        return number if known == total else f"{number} ({known} {self.labels['of']} {total} {self.labels['source_count']})"

    # -- small HTML pieces -----------------------------------------------------
    def badge(self, here: str, certainty: str) -> Markup:
        label = html.escape(self.certainty_label(certainty))
        title = html.escape(f"{self.labels['certainty']}: {self.certainty_label(certainty)} (GRADE)")
        # a screen reader reads "Zekerheid: matig", not the symbols (the word is hidden from search)
        return Markup(f'<a class="kb-certainty kb-certainty--{html.escape(certainty)}" '
                      f'href="{self.url(here, LEGEND, "zekerheid")}" title="{title}"><span aria-hidden="true">'
                      f'{self.certainty_symbols(certainty)}</span> {_for_screen_readers(self.labels["certainty"])}{label}</a>')

    def stance(self, here: str, stance: str) -> Markup:
        return Markup(f'<a class="kb-stance kb-stance--{html.escape(stance)}" '
                      f'href="{self.url(here, LEGEND, "standpunt")}" '
                      f'title="{html.escape(self.stance_meaning(stance))}"><span aria-hidden="true">'
                      f'{self.stance_symbol(stance)}</span> {_for_screen_readers(self.labels["stance"])}'
                      f'{html.escape(self.stance_label(stance))}</a>')

    def cite(self, here: str, key: str, locator: str | None = None, stance: str | None = None,
             quote_id: str | None = None) -> Markup:
        """A citation link; *quote_id* names the page element holding the quote, which the card shows."""
        text = html.escape(self.refs[key].label) + (f", {html.escape(' '.join(locator.split()))}" if locator else "")
        data = f' data-kb-stance="{html.escape(stance)}"' if stance else ""
        data += f' data-kb-quote="{html.escape(quote_id)}"' if quote_id else ""
        return Markup(f'<a class="kb-cite" data-kb-ref="{self.slugs[key]}"{data} '
                      f'href="{self.url(here, self.source_md(key))}">{text}</a>')

    def link(self, here: str, target: str, text: str) -> Markup:
        return Markup(f'<a href="{self.url(here, target)}">{html.escape(" ".join(str(text).split()))}</a>')
