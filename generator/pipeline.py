"""The whole core, without MkDocs: root folder -> diagnostics -> pages as data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.check import CheckResult, run_check
from generator.config import Settings
from generator.references import format_sources
from generator.render import OutputFile, render_site


@dataclass(frozen=True)
class Generated:
    result: CheckResult
    files: tuple[OutputFile, ...]  # empty when the check failed


def generate(root: Path, settings: Settings, *, strict: bool = False, directory_urls: bool = True) -> Generated:
    """Check, and when there is no error, render every page."""
    result = run_check(root, settings)
    if result.failed(strict):
        return Generated(result, ())
    formatted = format_sources(result.kb.sources, settings.language)
    overrides = root / "overrides" / "kb"
    files = render_site(result.kb, formatted, settings, directory_urls,
                        [overrides] if overrides.is_dir() else None)
    return Generated(result, tuple(files))
