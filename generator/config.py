"""Project settings for checks and pages.

Read from `[tool.kb]` in pyproject.toml, or passed by the MkDocs plugin from
its options in mkdocs.yml (the same keys).  Unknown keys are reported, not
ignored, so a typo cannot silently switch a check back on.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import CODES, Diagnostic, Severity, diag


@dataclass(frozen=True)
class Settings:
    language: str = "nl"
    stale_months: int = 24
    disable: frozenset[str] = frozenset()
    errors: frozenset[str] = frozenset()  # warnings raised to errors
    site_name: str | None = None
    today: _dt.date = field(default_factory=lambda: today())

    def severity(self, code: str) -> Severity:
        return "error" if code in self.errors else CODES[code].severity


def today() -> _dt.date:
    """Today's date; SOURCE_DATE_EPOCH makes it reproducible."""
    epoch = (os.environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch.isascii() and epoch.isdigit():  # isdigit() alone admits '²³'
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):  # beyond the dates Python can hold: not a usable epoch
            pass
    return _dt.date.today()


KEYS = {"language", "stale_months", "disable", "errors", "site_name"}


def settings_from_mapping(data: dict[str, Any], origin: str) -> tuple[Settings, list[Diagnostic]]:
    out: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            out.append(diag("schema", origin, None, f"unknown kb setting '{key}'",
                            f"Known settings: {', '.join(sorted(KEYS))}."))
            continue
        if key in ("disable", "errors"):
            codes = [value] if isinstance(value, str) else list(value or [])
            bad = [c for c in codes if c not in CODES]
            for c in bad:
                out.append(diag("schema", origin, None, f"kb setting '{key}' names the unknown code '{c}'",
                                "See docs/diagnostics.md for the codes."))
            values[key] = frozenset(c for c in codes if c in CODES)
        elif key == "stale_months":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values[key] = value
            else:
                out.append(diag("schema", origin, None, "kb setting 'stale_months' must be a positive whole number", None))
        elif key in ("language", "site_name"):
            if isinstance(value, str) and value:
                values[key] = value
    return dataclasses.replace(Settings(), **values), out


def load_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return Settings(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(), [diag("schema", "pyproject.toml", None, f"pyproject.toml cannot be read: {exc}", None)]
    section = data.get("tool", {}).get("kb", {})
    if not isinstance(section, dict):
        return Settings(), []
    return settings_from_mapping(section, "pyproject.toml")
