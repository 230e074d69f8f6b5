"""An editor's date after today is reported (issue 18, finding 20).

`reviewed: 9999-12-31` silenced `stale-review` for good: a date that never grows old.  Dates
after today (with a day of slack for time zones) are a `future-date` error, on the line of the
field, for a claim's `reviewed` and an entity's `last_searched`.
"""

from __future__ import annotations

import pytest

from conftest import CLAIM, INJURY, TODAY, by_code, check, make_project

CLAIM_PATH = "content/claims/rest-helps.md"
INJURY_PATH = "content/injuries/shin-splints.md"


@pytest.mark.parametrize("date", ["9999-12-31", "2026-06-03", "2030-01-01", "2027-06-01"])
def test_a_reviewed_date_after_today_is_an_error(tmp_path, date: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "kb", {CLAIM_PATH: CLAIM.replace("reviewed: 2026-01-01", f"reviewed: {date}")})
    result = check(root)
    found = by_code(result, "future-date")
    assert [(d.file, d.line) for d in found] == [(CLAIM_PATH, 11)]
    assert date in found[0].message and TODAY.isoformat() in found[0].message
    assert "stale-review" in (found[0].hint or "")
    assert result.failed()


@pytest.mark.parametrize("date", ["2026-06-01", "2026-06-02", "2026-05-31"])
def test_today_and_tomorrow_are_fine(tmp_path, date: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "kb", {CLAIM_PATH: CLAIM.replace("reviewed: 2026-01-01", f"reviewed: {date}")})
    assert by_code(check(root), "future-date") == []


def test_a_last_search_after_today_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    injury = INJURY.replace("summary:", "last_searched: 9999-12-31\nsummary:")
    root = make_project(tmp_path / "kb", {INJURY_PATH: injury})
    found = by_code(check(root), "future-date")
    assert [(d.file, d.line) for d in found] == [(INJURY_PATH, 3)]
    assert "stale-search" in (found[0].hint or "")


def test_a_future_review_no_longer_hides_an_old_claim(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The point of the finding: the check fails, whatever the stale-review settings."""
    root = make_project(tmp_path / "kb", {
        CLAIM_PATH: CLAIM.replace("reviewed: 2026-01-01", "reviewed: 9999-12-31"),
        "pyproject.toml": "[tool.kb]\nstale_months = 1\n"})
    from generator.checks.check import run_check
    from generator.intake.config import load_settings
    settings, problems = load_settings(root)
    import dataclasses
    result = run_check(root, dataclasses.replace(settings, today=TODAY), problems)
    assert by_code(result, "future-date") and result.failed()
