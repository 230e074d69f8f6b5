"""Schema.org JSON-LD for claim and source pages (goes into <head>, never into the sanitized body)."""

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


def claim(kb: KnowledgeBase, c: Claim, lang: str, url: str | None = None) -> dict[str, Any]:
    """*url*: the claim page's published address; left out when the site has none (no SITE_URL)."""
    data = {
        "@context": "https://schema.org", "@type": "Claim", "text": c.statement,
        "inLanguage": lang, "dateModified": c.reviewed.isoformat() if c.reviewed else None,
        "about": [{"@type": "Thing", "name": e.title} for kind in KIND_DIRS
                  for e in (kb.entity(kind, i) for i in c.entities(kind)) if e is not None],
        "citation": [dict(source(ev.source, kb.sources[ev.source]), **{"description": ev.stance})
                     for ev in c.evidence if ev.source in kb.sources],
        "additionalProperty": {"@type": "PropertyValue", "name": "certainty (GRADE)", "value": c.certainty},
    }
    if url:
        data["url"] = url
    return data
