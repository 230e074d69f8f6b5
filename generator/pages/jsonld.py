"""Schema.org JSON-LD for claim and source pages (goes into <head>, never into the sanitized body).

Claim pages also say what each source does for the claim, in CiTO (the
Citation Typing Ontology, http://purl.org/spar/cito/): the study is the
subject and the claim the object of `cito:supports`, `cito:disputes`
(stance contradicts), `cito:qualifies` and `cito:discusses` (stance
mentions), read as "this study supports this claim"; and the claim
`cito:includesQuotationFrom` every source it quotes, with each quote as a
schema.org `Quotation` based on its source.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from generator.intake.bibliography import normalize_doi
from generator.core.model import KIND_DIRS, Claim, KnowledgeBase, Source


def script(data: dict[str, Any]) -> str:
    """A JSON-LD <script>; <, > and & are escaped so the data can never close the tag."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def source(key: str, s: Source, page: str | None = None) -> dict[str, Any]:
    """*page*: the published address of the site's page about the source (None: the site has none)."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "ScholarlyArticle",
                            "name": s.get("title") or key, "identifier": key}
    if page:
        data["mainEntityOfPage"] = page
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


#: a stance as the CiTO property that links the study (subject) to the claim (object)
CITO_STANCE = {"supports": "cito:supports", "contradicts": "cito:disputes", "qualifies": "cito:qualifies",
               "mentions": "cito:discusses"}
CONTEXT = {"@vocab": "https://schema.org/", "cito": "http://purl.org/spar/cito/"}


def claim(kb: KnowledgeBase, c: Claim, lang: str, url: str | None = None,
          source_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """*url*: the claim page's published address; left out when the site has none (no SITE_URL).

    *source_ids*: the @id of each source (its page's address, relative when the site has none).
    """
    me = {"@id": url or "#kb-claim"}
    ids = source_ids or {}
    citations: dict[str, dict[str, Any]] = {}
    quotes = []
    for ev in c.evidence:
        if ev.source not in kb.sources:
            continue
        item = citations.get(ev.source)
        if item is None:
            item = dict(source(ev.source, kb.sources[ev.source]), description=ev.stance)
            item.pop("@context")
            if ev.source in ids:
                item["@id"] = ids[ev.source]
            citations[ev.source] = item
        item.setdefault(CITO_STANCE.get(ev.stance, "cito:discusses"), []).append(me)
        if ev.quote:
            quotes.append({"@type": "Quotation", "text": ev.quote, "isBasedOn": {"@id": ids[ev.source]}
                           if ev.source in ids else {"name": item["name"]}})
    data: dict[str, Any] = {
        "@context": CONTEXT, "@type": "Claim", **me, "text": c.statement,
        "inLanguage": lang, "dateModified": c.reviewed.isoformat() if c.reviewed else None,
        "about": [{"@type": "Thing", "name": e.title} for kind in KIND_DIRS
                  for e in (kb.entity(kind, i) for i in c.entities(kind)) if e is not None],
        "citation": list(citations.values()),
        "additionalProperty": {"@type": "PropertyValue", "name": "certainty (GRADE)", "value": c.certainty},
    }
    quoted = [{"@id": ids[key]} for key in dict.fromkeys(ev.source for ev in c.evidence if ev.quote) if key in ids]
    if quoted:
        data["cito:includesQuotationFrom"] = quoted
    if quotes:
        data["hasPart"] = quotes
    if url:
        data["url"] = url
    return data
