"""The whole core, without MkDocs: root folder -> diagnostics -> pages as data."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.pages.cache import ReferenceCache, cache_dir
from generator.checks.check import CheckResult, run_check
from generator.intake.config import Settings
from generator.changes.history import read_history
from generator.pages.markdown_text import MarkdownOptions
from generator.pages.references import Formatted, format_sources
from generator.pages.render import OutputFile, Renderer

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Generated:
    result: CheckResult
    files: tuple[OutputFile, ...]  # empty when the check failed
    paths: tuple[str, ...] = ()  # with `only`: the path of every page and export the site has
    formatted: dict[str, Formatted] | None = None  # the formatted references (reused by `kb serve`)


def generate(root: Path, settings: Settings, *, strict: bool = False, directory_urls: bool = True,
             progress: Progress | None = None, result: CheckResult | None = None,
             markdown: MarkdownOptions | None = None, target: str = "markdown",
             only: set[str] | None = None, formatted: dict[str, Formatted] | None = None) -> Generated:
    """Check (unless *result* is given), and when there is no error, render every page.

    *target*: "markdown" writes each page as a Markdown file any engine builds; "mkdocs"
    (our plugin) hands MkDocs the finished HTML instead (see generator/pages/render.py).
    *only*: render just these pages (`kb serve` after an edit; see generator/pages/incremental.py);
    *formatted*: the references as formatted by the previous build, when references.bib is unchanged.
    """
    say = progress or (lambda _message: None)
    start = time.perf_counter()
    if result is None:
        result = run_check(root, settings)
        say(f"checked {len(result.kb.claims):,} claims and {len(result.kb.sources):,} sources "
            f"({time.perf_counter() - start:.1f} s)")
    if result.failed(strict):
        return Generated(result, ())
    start = time.perf_counter()
    if formatted is None or formatted.keys() != result.kb.sources.keys():
        cache = ReferenceCache(cache_dir(), root)
        formatted = format_sources(result.kb.sources, settings.language, cache=cache)
        cache.save()
        say(f"formatted {len(formatted):,} references ({cache.hits:,} from cache) "
            f"({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    overrides = root / "overrides" / "kb"
    history = read_history(root)
    if history.available:
        say(f"read the history of {len(history.claims):,} claims from git ({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    renderer = Renderer(result.kb, formatted, settings, directory_urls, [overrides] if overrides.is_dir() else None,
                        markdown, target, history)
    files = renderer.pages(only) + (renderer.assets() if only is None else [])
    say(f"generated {len(files):,} pages and files ({time.perf_counter() - start:.1f} s)")
    return Generated(result, tuple(files), tuple(renderer.paths()) if only is not None else (), formatted)
