"""Citation exports: 'cite this page' (BibTeX, RIS) and the JSON API files.

Built from the decoded fields, never from the editor's raw BibTeX, so braces and
backslashes that would break a reader's reference manager are left out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.core.layout import EXPORTS
from generator.core.model import Appraisal, Claim, Effect, KnowledgeBase, Source
from generator.pages.references import csl_json
from generator.core.urls import page_url

_BRACES = re.compile(r"[{}\\]")
_RIS_TYPES = {"article": "JOUR", "book": "BOOK", "incollection": "CHAP", "inproceedings": "CPAPER",
              "phdthesis": "THES", "techreport": "RPRT"}
_BIB_FIELDS = ("author", "title", "journal", "booktitle", "year", "volume", "number", "pages", "publisher",
               "doi", "pmid", "url")


def _safe(value: str) -> str:
    return _BRACES.sub("", value)


def claim_citation(claim: Claim, url: str, site: str, reviewed_label: str,
                   version: str | None = None) -> tuple[str, str]:
    """BibTeX and RIS for citing a claim page.

    *url*: the page's published address, or its path from the site root when the site
    has no address; *version*: what the site was built from ("Versie van ...").
    """
    year = str(claim.reviewed.year) if claim.reviewed else ""
    reviewed = claim.reviewed.isoformat() if claim.reviewed else ""
    bib = (f"@misc{{kb-{claim.id},\n  title = {{{_safe(claim.statement)}}},\n  howpublished = {{{_safe(site)}, "
           f"{url}}},\n  year = {{{year}}},\n  note = {{{_safe(reviewed_label)}: {reviewed}}}"
           + (f",\n  version = {{{_safe(version)}}}" if version else "") + "\n}")
    ris = (f"TY  - WEB\nTI  - {claim.statement}\nT2  - {site}\nPY  - {year}\nUR  - {url}\nY2  - {reviewed}\n"
           + (f"ET  - {version}\n" if version else "") + "ER  - ")
    return bib, ris


def source_citation(key: str, s: Source, abstracts: bool = False) -> tuple[str, str]:
    """BibTeX and RIS of a source, rebuilt from its decoded fields (the abstract only when *abstracts*:
    the setting publish_abstracts, as abstracts are stored for checking quotes, not for republishing)."""
    lines = [f"  {n} = {{{_safe(s.fields[n])}}}" for n in _BIB_FIELDS if s.get(n)]
    bib = f"@{s.entry_type}{{{key},\n" + ",\n".join(lines) + "\n}"
    ris = [f"TY  - {_RIS_TYPES.get(s.entry_type, 'GEN')}"]
    for person in re.split(r"\s+and\s+", s.get("author") or ""):
        if person.strip():
            ris.append(f"AU  - {person.strip()}")
    for tag, name in (("TI", "title"), ("JO", "journal"), ("PY", "year"), ("VL", "volume"), ("IS", "number"),
                      ("DO", "doi"), ("UR", "url"), ("AB", "abstract")):
        if s.get(name) and (name != "abstract" or abstracts):
            ris.append(f"{tag}  - {s.fields[name]}")
    pages = (s.get("pages") or "").replace("--", "-").split("-")
    if pages and pages[0]:
        ris.append(f"SP  - {pages[0]}")
        if len(pages) > 1 and pages[-1]:
            ris.append(f"EP  - {pages[-1]}")
    ris.append("ER  - ")
    return bib, "\n".join(ris)


def _grade_json(claim: Claim) -> dict[str, Any] | None:
    """The claim's GRADE profile for api/claims.json: start, and every judgement with its reason."""
    g = claim.grade
    if g is None:
        return None
    if not g.applicable:
        return {"applicable": False, "reason": g.reason}
    return {"applicable": True, "start": g.start,
            **{j.domain: {"rating": j.rating, "reason": j.reason} for j in g.judgements}}


def _effect_json(effect: Effect | None) -> dict[str, Any] | None:
    """A result a claim cites, as its appraisal records it (numbers as the source writes them).

    `ci` is null when the source gives no interval; `comparative` says whether it compares two groups (a ratio
    or a difference, with `no_effect` 1 or 0) or describes one group or an agreement (`no_effect` null)."""
    if effect is None:
        return None
    return {"id": effect.id, "outcome": effect.outcome, "comparison": effect.comparison, "measure": effect.measure,
            "estimate": effect.estimate,
            "ci": [effect.ci_low, effect.ci_high] if effect.ci_low is not None and effect.ci_high is not None else None,
            "sd": effect.sd, "bound": effect.bound, "comparative": effect.comparative, "no_effect": effect.no_effect,
            "unit": effect.unit, "participants": effect.participants, "follow_up": effect.follow_up,
            "baseline_risk": effect.baseline_risk, "quote": effect.quote, "locator": effect.locator}


def _appraisal_json(appraisal: Appraisal | None) -> dict[str, Any] | None:
    """A source's appraisal for api/claims.json; None: the source is not appraised."""
    if appraisal is None:
        return None
    return {"reviewed": appraisal.reviewed.isoformat() if appraisal.reviewed else None,
            "abstract": {"complete": appraisal.abstract_complete, "missing": appraisal.abstract_missing},
            "risk_of_bias": {"tool": appraisal.tool, "reason": appraisal.tool_reason, "overall": appraisal.overall,
                             "domains": {d.name: {"judgement": d.judgement, "reason": d.reason}
                                         for d in appraisal.domains}}}


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
                          "participants": e.participants, "note": e.note,
                          "url": page_url(source_page[e.source], directory_urls),
                          "effect": _effect_json(kb.appraisals[e.source].effect(e.effect)
                                                 if e.effect and e.source in kb.appraisals else None),
                          "appraisal": _appraisal_json(kb.appraisals.get(e.source))}
                         for e in c.evidence],
            "grade": _grade_json(c),
        })
    return _dump(claims)


def references_json(kb: KnowledgeBase, abstracts: bool = False) -> str:
    """api/references.json: every source as CSL-JSON (abstracts only when the site publishes them)."""
    refs = [csl_json(kb.sources[k]) for k in sorted(kb.sources)]
    if not abstracts:
        refs = [{k: v for k, v in ref.items() if k != "abstract"} for ref in refs]
    return _dump(refs)
