"""An editor's date after today is reported (issue 18, finding 20).

`reviewed: 9999-12-31` silenced `stale-review` for good: a date that never grows old.  Dates
after today (with a day of slack for time zones) are a `future-date` error, on the line of the
field, for a claim's `reviewed` and an entity's `last_searched`.  "Today" is the later of the
clock and SOURCE_DATE_EPOCH: a build pinned to an older day does not refuse later reviews.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

from conftest import CLAIM, INJURY, TODAY, by_code, check, make_project

CLAIM_PATH = "content/claims/rest-helps.md"
INJURY_PATH = "content/injuries/shin-splints.md"
NOW = _dt.datetime.now(_dt.timezone.utc).date()


def _reviewed(tmp_path: Path, date: _dt.date | str) -> Path:
    return make_project(tmp_path / "kb", {CLAIM_PATH: CLAIM.replace("reviewed: 2026-01-01", f"reviewed: {date}")})


@pytest.mark.parametrize("date", ["9999-12-31", NOW + _dt.timedelta(days=3), NOW + _dt.timedelta(days=400)])
def test_a_reviewed_date_after_today_is_an_error(tmp_path: Path, date: object) -> None:
    result = check(_reviewed(tmp_path, date))  # type: ignore[arg-type]
    found = by_code(result, "future-date")
    assert [(d.file, d.line) for d in found] == [(CLAIM_PATH, 11)]
    assert str(date) in found[0].message and "after today" in found[0].message
    assert "stale-review" in (found[0].hint or "")
    assert result.failed()


@pytest.mark.parametrize("date", [NOW, NOW + _dt.timedelta(days=1), NOW - _dt.timedelta(days=1)])
def test_today_and_tomorrow_are_fine(tmp_path: Path, date: _dt.date) -> None:
    assert by_code(check(_reviewed(tmp_path, date)), "future-date") == []


def test_a_build_pinned_to_an_older_day_accepts_reviews_since_then(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH (here TODAY, 2026-06-01) fixes the pages' date, not what counts as the future."""
    assert TODAY < NOW
    assert by_code(check(_reviewed(tmp_path, NOW), today=TODAY), "future-date") == []


def test_a_last_search_after_today_is_an_error(tmp_path: Path) -> None:
    injury = INJURY.replace("summary:", "last_searched: 9999-12-31\nsummary:")
    found = by_code(check(make_project(tmp_path / "kb", {INJURY_PATH: injury})), "future-date")
    assert [(d.file, d.line) for d in found] == [(INJURY_PATH, 3)]
    assert "stale-search" in (found[0].hint or "")


def test_a_future_review_no_longer_hides_an_old_claim(tmp_path: Path) -> None:
    """The point of the finding: the check fails however short the stale-review threshold."""
    result = check(_reviewed(tmp_path, "9999-12-31"), stale_months=1)
    assert by_code(result, "future-date") and result.failed()
