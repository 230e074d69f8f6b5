"""The home page's evidence maps as data: injuries (rows) against interventions or risk factors."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import i18n
from generator.core.model import CERTAINTIES, KIND_DIRS, Claim, Entity, EntityKind


@dataclass(frozen=True)
class Cell:
    best: str | None  # best certainty among the claims, None for an empty cell
    target: str  # page the cell links to (a claim, or the injury when several claims share the cell)
    text: str  # "3 beweringen · 5 bronnen"
    title: str  # tooltip: "Injury × column: text"
    best_label: str


@dataclass(frozen=True)
class Row:
    entity: Entity
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class EvidenceMap:
    caption: str
    columns: tuple[Entity, ...]
    rows: tuple[Row, ...]


def _rank(claim: Claim) -> tuple[int, str, str]:
    rank = CERTAINTIES.index(claim.certainty) if claim.certainty in CERTAINTIES else 9
    return (rank, claim.statement.casefold(), claim.id)


def evidence_map(injuries: list[Entity], columns: list[Entity], about: dict[tuple[str, str], list[Claim]],
                 lang: str) -> EvidenceMap | None:
    """None when either axis is empty; *about* maps (kind, id) to the current claims about it."""
    injuries = [e for e in injuries if about.get(("injury", e.id))]
    columns = [e for e in columns if about.get((e.kind, e.id))]
    if not injuries or not columns:
        return None
    lab = i18n.LABELS[lang]
    kind: EntityKind = columns[0].kind
    caption = f"{lab['injuries']} × {lab[KIND_DIRS[kind]].lower()}"
    rows = []
    for inj in injuries:
        cells = []
        about_inj = about.get(("injury", inj.id), [])
        for col in columns:
            claims = [c for c in about_inj if col.id in c.entities(col.kind)]
            if not claims:
                cells.append(Cell(None, "", "", "", ""))
                continue
            best = min(claims, key=_rank).certainty
            sources = {ev.source for c in claims for ev in c.evidence}
            target = f"claims/{claims[0].id}.md" if len(claims) == 1 else f"{KIND_DIRS[inj.kind]}/{inj.id}.md"
            text = (f"{len(claims)} {lab['claim_count'] if len(claims) != 1 else lab['claim'].lower()} · "
                    f"{len(sources)} {lab['source_count'] if len(sources) != 1 else lab['source'].lower()}")
            cells.append(Cell(best, target, text, f"{inj.title} × {col.title}: {text}",
                              i18n.CERTAINTY[lang].get(best, best)))
        rows.append(Row(inj, tuple(cells)))
    return EvidenceMap(caption, tuple(columns), tuple(rows))
