"""The dependency map behind `kb serve`: after an edit, every page it leaves out is unchanged.

For each kind of edit an editor makes, the site is rendered in full before and after;
every page outside `incremental.affected()` must be byte-identical, and rendering only
the affected pages must give exactly the pages of the full render.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.checks.check import run_check
from generator.intake.config import load_settings
from generator.pages.incremental import affected
from generator.core.model import KnowledgeBase
from generator.pages.references import format_sources
from generator.pages.render import Renderer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> tuple[KnowledgeBase, object, dict]:
    settings, _ = load_settings(ROOT)
    result = run_check(ROOT, settings)
    assert not result.failed(), "the shipped knowledge base must check clean"
    return result.kb, settings, format_sources(result.kb.sources, settings.language)


def _render(kb: KnowledgeBase, settings, formatted, only: set[str] | None = None) -> dict[str, bytes]:
    renderer = Renderer(kb, formatted, settings)
    return {f.path: f.data + f.head.encode() for f in renderer.pages(only)}


def _claims(kb: KnowledgeBase, **changes) -> KnowledgeBase:
    return dataclasses.replace(kb, claims=changes["claims"]) if "claims" in changes else \
        dataclasses.replace(kb, entities=changes["entities"])


def _edits(kb: KnowledgeBase) -> dict[str, KnowledgeBase]:
    claims = dict(sorted(kb.claims.items()))
    injuries = {e.id for e in kb.entities_of("injury")}
    first = next(c for c in claims.values() if c.status == "current" and c.injuries and len(c.evidence) > 1
                 and set(c.injuries) < injuries)
    other_injury = sorted(injuries - set(first.injuries))[0]
    replaced = next(c for c in claims.values() if c.superseded_by)
    entity = next(e for e in kb.entities_of("risk-factor"))
    edits = {
        "statement": {**claims, first.id: dataclasses.replace(first, statement="Gewijzigd: " + first.statement)},
        "certainty": {**claims, first.id: dataclasses.replace(first, certainty="very-low")},
        "entities": {**claims, first.id: dataclasses.replace(first, injuries=(other_injury,))},
        "evidence": {**claims, first.id: dataclasses.replace(first, evidence=first.evidence[:1] + tuple(
            dataclasses.replace(ev, stance="contradicts") for ev in first.evidence[1:]))},
        "body": {**claims, first.id: dataclasses.replace(first, body=first.body + "\n\nNieuwe alinea.")},
        "added": {**claims, "nieuw": dataclasses.replace(first, id="nieuw", statement="Een nieuwe bewering.")},
        "removed": {k: v for k, v in claims.items() if k != first.id},
        "replacement edited": {**claims, replaced.superseded_by: dataclasses.replace(
            claims[replaced.superseded_by], statement="Nieuwe tekst van de vervanger.")},
        "superseded": {**claims, first.id: dataclasses.replace(first, status="superseded")},
    }
    out = {name: dataclasses.replace(kb, claims=value) for name, value in edits.items()}
    out["entity title"] = dataclasses.replace(kb, entities={
        **kb.entities, f"{entity.kind}:{entity.id}": dataclasses.replace(entity, title="Nieuwe titel")})
    out["entity summary"] = dataclasses.replace(kb, entities={
        **kb.entities, f"{entity.kind}:{entity.id}": dataclasses.replace(entity, summary="Nieuwe samenvatting.")})
    return out


@pytest.mark.parametrize("edit", ["statement", "certainty", "entities", "evidence", "body", "added", "removed",
                                  "replacement edited", "superseded", "entity title", "entity summary"])
def test_pages_outside_the_map_do_not_change(shipped, edit: str) -> None:
    kb, settings, formatted = shipped
    new = _edits(kb)[edit]
    before, after = _render(kb, settings, formatted), _render(new, settings, formatted)
    pages = affected(kb, new)
    assert pages is not None and pages, edit
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed, f"{edit}: the edit changed nothing?"
    assert changed <= pages, f"{edit}: pages changed but not rebuilt: {sorted(changed - pages)}"
    assert len(pages) < len(after) / 2, f"{edit}: {len(pages)} of {len(after)} pages is not incremental"
    partial = _render(new, settings, formatted, only=pages)
    assert {p for p in pages if p in after} <= partial.keys()
    assert partial == {p: after[p] for p in partial}


def test_sources_and_free_pages_rebuild_everything(shipped) -> None:
    kb, _, _ = shipped
    key = sorted(kb.sources)[0]
    source = kb.sources[key]
    edited = dataclasses.replace(source, fields={**source.fields, "title": "Andere titel"})
    assert affected(kb, dataclasses.replace(kb, sources={**kb.sources, key: edited})) is None
    pid = sorted(kb.pages)[0]
    page = dataclasses.replace(kb.pages[pid], title="Andere titel")
    assert affected(kb, dataclasses.replace(kb, pages={**kb.pages, pid: page})) is None
    assert affected(kb, kb) == set()
