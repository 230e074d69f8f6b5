"""What changed between two versions of a claim, as data.

One comparison serves `kb diff` (a pull request against its base) and the
claim history on the site (each commit against its parent), so an editor's
PR comment and a reader's "what changed" can never disagree.  Pure: no I/O.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from generator.core.model import Claim


@dataclass(frozen=True)
class ClaimChange:
    """The differences a reader would notice; empty fields mean "unchanged"."""

    statement: tuple[str, str] | None = None  # (old, new)
    certainty: tuple[str, str] | None = None
    status: tuple[str, str] | None = None
    gained: tuple[tuple[str, str], ...] = ()  # (source, stance), sorted by source
    lost: tuple[tuple[str, str], ...] = ()  # (source, old stance)
    restanced: tuple[tuple[str, str, str], ...] = ()  # (source, old stance, new stance)
    reviewed: tuple[_dt.date | None, _dt.date | None] | None = None
    #: anything else in the file changed (note, population, quotes, ...): shown as "other details"
    other: bool = False

    @property
    def evidence_changed(self) -> bool:
        """What `kb diff` has always reported: statement, certainty, status or citations."""
        return bool(self.statement or self.certainty or self.status or self.gained or self.lost or self.restanced)

    @property
    def conclusion_changed(self) -> bool:
        """The certainty or a source's stance changed, or the claim was marked superseded."""
        return bool(self.certainty or self.restanced or self.status)

    @property
    def empty(self) -> bool:
        return not (self.evidence_changed or self.reviewed or self.other)


def cites(claim: Claim) -> dict[str, str]:
    """Source key -> stance (the last item wins when a source is listed twice)."""
    return {ev.source: ev.stance for ev in claim.evidence}


def _details(claim: Claim) -> tuple[object, ...]:
    """The fields not compared one by one: a change there is reported as 'other details'."""
    return (claim.type, claim.population, claim.certainty_reason, claim.superseded_by, claim.body.strip(),
            claim.injuries, claim.risk_factors, claim.interventions)


def _evidence_details(claim: Claim) -> dict[str, tuple[str | None, ...]]:
    # without the line numbers: moving an item is no change
    return {ev.source: (ev.locator, ev.quote, ev.note, ev.effect) for ev in claim.evidence}


def compare_claims(old: Claim, new: Claim) -> ClaimChange:
    oc, nc = cites(old), cites(new)
    od, nd = _evidence_details(old), _evidence_details(new)
    return ClaimChange(
        statement=(old.statement, new.statement) if old.statement != new.statement else None,
        certainty=(old.certainty, new.certainty) if old.certainty != new.certainty else None,
        status=(old.status, new.status) if old.status != new.status else None,
        gained=tuple((s, nc[s]) for s in sorted(set(nc) - set(oc))),
        lost=tuple((s, oc[s]) for s in sorted(set(oc) - set(nc))),
        restanced=tuple((s, oc[s], nc[s]) for s in sorted(set(oc) & set(nc)) if oc[s] != nc[s]),
        reviewed=(old.reviewed, new.reviewed) if old.reviewed != new.reviewed else None,
        other=_details(old) != _details(new) or any(od[s] != nd[s] for s in sorted(od.keys() & nd.keys())),
    )
