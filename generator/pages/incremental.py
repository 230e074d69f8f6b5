"""Which pages an edit changes: the dependency map behind `kb serve`'s fast previews.

Comparing the knowledge base before and after an edit gives the claims, entities,
sources and free pages that changed (added, removed or edited).  Each kind of input
is shown on a known set of pages:

* a claim: its own page, the pages of its entities (their claim lists, related
  entities and reference lists) and their kinds' index pages (claim counts), the
  pages of the sources it cites (their 'cited by' lists), the claims index, the
  home page (counts, evidence maps), the outdated-advice page, and the pages of
  claims that say it replaced them;
* an entity: its own page, its kind's index, the home page, and every page that
  shows its title: its claims' pages, the pages of their sources and of the other
  entities they are about;
* anything else (a source, references.bib, a free page, which is in the navigation,
  settings, templates): every page.

`affected()` returns the set of page paths to render again, or None for "all of
them".  Pages that are not in the set are byte-identical to the previous build, which
tests/test_incremental_render.py checks against a full render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import layout
from generator.core.model import KIND_DIRS, Claim, Entity, KnowledgeBase
from generator.core.urls import source_slugs


@dataclass
class Served:
    """The last good build of a `kb serve` session: its model, what it depends on, its files."""

    kb: KnowledgeBase
    key: Any  # served_key(): when it changes, every page is rebuilt
    files: dict[str, Any]  # path -> OutputFile
    formatted: Any = None  # the formatted references (references.bib is part of the key)
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # path -> search entries


def served_key(root: Path, *options: Any) -> tuple[Any, ...]:
    """Everything besides the content that every page depends on: settings and the files that hold them."""
    watched = [root / "mkdocs.yml", root / "pyproject.toml", root / "references.bib"]
    overrides = root / "overrides" / "kb"
    if overrides.is_dir():
        watched += sorted(p for p in overrides.rglob("*") if p.is_file())
    stamps = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in watched if p.is_file())
    return (repr(options), stamps)


def _changed(old: dict, new: dict) -> set[str]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def _source_changed(old: KnowledgeBase, new: KnowledgeBase) -> bool:
    if old.sources.keys() != new.sources.keys():
        return True
    return any(old.sources[k] != new.sources[k] or old.sources[k].fields != new.sources[k].fields
               for k in old.sources)


def _entity_page(e: Entity) -> str:
    return f"{KIND_DIRS[e.kind]}/{e.id}.md"


def affected(old: KnowledgeBase, new: KnowledgeBase) -> set[str] | None:
    """Page paths ('claims/x.md', ...) whose output may differ between *old* and *new*; None: all."""
    # an appraisal is shown on its source's page, the forest plots of the claims citing its effects,
    # the SoF tables of their entities and both exports: rarely edited, so everything is rebuilt
    if _source_changed(old, new) or old.pages != new.pages or old.appraisals != new.appraisals:
        return None
    claims = _changed(old.claims, new.claims)
    entities = _changed(old.entities, new.entities)
    if not claims and not entities:
        return set()
    slugs = source_slugs(list(new.sources))
    pages: set[str] = {layout.HOME, layout.EXPORTS[0]}  # the home page's maps; api/claims.json
    kbs = (old, new)

    def claim_parts(c: Claim, kb: KnowledgeBase) -> None:
        pages.add(f"claims/{c.id}.md")
        for ev in c.evidence:
            if ev.source in slugs:
                pages.add(f"references/{slugs[ev.source]}.md")
        for kind in KIND_DIRS:
            for id_ in c.entities(kind):
                entity = kb.entity(kind, id_)
                if entity is not None:
                    pages.add(_entity_page(entity))
                    pages.add(f"{KIND_DIRS[kind]}/index.md")

    if claims:
        # the changes page and the feed name each changed claim by its current statement
        pages.update({layout.CLAIMS_INDEX, layout.OUTDATED, layout.CHANGES, layout.FEED})
        for kb in kbs:
            for cid in claims:
                claim = kb.claims.get(cid)
                if claim is not None:
                    claim_parts(claim, kb)
            for other in kb.claims.values():  # 'superseded by: <statement>' on the claims it replaced
                if other.superseded_by in claims:
                    pages.add(f"claims/{other.id}.md")
    for key in entities:
        for kb in kbs:
            entity = kb.entities.get(key)
            if entity is None:
                continue
            pages.add(_entity_page(entity))
            pages.add(f"{KIND_DIRS[entity.kind]}/index.md")
            for claim in kb.claims.values():
                if entity.id in claim.entities(entity.kind):
                    claim_parts(claim, kb)  # the claim's page, its sources' and other entities' pages
    return pages
