"""Citation exports: 'cite this page' (BibTeX, RIS) and the JSON API files.

Built from the decoded fields, never from the editor's raw BibTeX, so braces and
backslashes that would break a reader's reference manager are left out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.model import Claim, KnowledgeBase, Source
from generator.references import csl_json
from generator.urls import page_url

_BRACES = re.compile(r"[{}\\]")
_RIS_TYPES = {"article": "JOUR", "book": "BOOK", "incollection": "CHAP", "inproceedings": "CPAPER",
              "phdthesis": "THES", "techreport": "RPRT"}
_BIB_FIELDS = ("author", "title", "journal", "booktitle", "year", "volume", "number", "pages", "publisher",
               "doi", "pmid", "url")


def _safe(value: str) -> str:
    return _BRACES.sub("", value)


def claim_citation(claim: Claim, url: str, site: str, reviewed_label: str) -> tuple[str, str]:
    """BibTeX and RIS for citing a claim page (*url*: the page's path from the site root)."""
    year = str(claim.reviewed.year) if claim.reviewed else ""
    reviewed = claim.reviewed.isoformat() if claim.reviewed else ""
    bib = (f"@misc{{kb-{claim.id},\n  title = {{{_safe(claim.statement)}}},\n  howpublished = {{{_safe(site)}, "
           f"/{url}}},\n  year = {{{year}}},\n  note = {{{_safe(reviewed_label)}: {reviewed}}}\n}}")
    ris = f"TY  - WEB\nTI  - {claim.statement}\nT2  - {site}\nPY  - {year}\nUR  - /{url}\nY2  - {reviewed}\nER  - "
    return bib, ris


def source_citation(key: str, s: Source) -> tuple[str, str]:
    """BibTeX and RIS of a source, rebuilt from its decoded fields."""
    lines = [f"  {n} = {{{_safe(s.fields[n])}}}" for n in _BIB_FIELDS if s.get(n)]
    bib = f"@{s.entry_type}{{{key},\n" + ",\n".join(lines) + "\n}"
    ris = [f"TY  - {_RIS_TYPES.get(s.entry_type, 'GEN')}"]
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


def _dump(data: Any) -> str:
    # compact JSON: the C encoder (indent forces the pure-Python one, 10x slower at 10k claims)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def claims_json(kb: KnowledgeBase, source_page: dict[str, str], directory_urls: bool) -> str:
    """api/claims.json (*source_page*: key -> 'references/x.md')."""
    claims = []
    for c in sorted(kb.claims.values(), key=lambda c: c.id):
        claims.append({
            "id": c.id, "url": page_url(f"claims/{c.id}.md", directory_urls), "statement": c.statement,
            "type": c.type, "certainty": c.certainty, "certainty_reason": c.certainty_reason,
            "population": c.population, "status": c.status, "superseded_by": c.superseded_by,
            "reviewed": c.reviewed.isoformat() if c.reviewed else None,
            "injuries": list(c.injuries), "risk_factors": list(c.risk_factors),
            "interventions": list(c.interventions),
            "evidence": [{"source": e.source, "stance": e.stance, "locator": e.locator, "quote": e.quote,
                          "note": e.note, "url": page_url(source_page[e.source], directory_urls)}
                         for e in c.evidence],
        })
    return _dump(claims)


def references_json(kb: KnowledgeBase) -> str:
    """api/references.json: every source as CSL-JSON."""
    return _dump([csl_json(kb.sources[k]) for k in sorted(kb.sources)])
