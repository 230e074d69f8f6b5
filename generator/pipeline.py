"""The whole core, without MkDocs: root folder -> diagnostics -> pages as data."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.cache import ReferenceCache, cache_dir
from generator.check import CheckResult, run_check
from generator.config import Settings
from generator.feed import FEED_PATH, build_feed
from generator.history import History, read_history
from generator.references import Formatted, format_sources
from generator.render import OutputFile, render_site, site_title

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Generated:
    result: CheckResult
    files: tuple[OutputFile, ...]  # empty when the check failed


def generate(root: Path, settings: Settings, *, strict: bool = False, directory_urls: bool = True,
             progress: Progress | None = None, result: CheckResult | None = None) -> Generated:
    """Check (unless *result* is given), and when there is no error, render every page."""
    say = progress or (lambda _message: None)
    start = time.perf_counter()
    if result is None:
        result = run_check(root, settings)
        say(f"checked {len(result.kb.claims):,} claims and {len(result.kb.sources):,} sources "
            f"({time.perf_counter() - start:.1f} s)")
    if result.failed(strict):
        return Generated(result, ())
    start = time.perf_counter()
    cache = ReferenceCache(cache_dir(), root)
    formatted = format_sources(result.kb.sources, settings.language, cache=cache)
    cache.save()
    say(f"formatted {len(formatted):,} references ({cache.hits:,} from cache) ({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    overrides = root / "overrides" / "kb"
    history = read_history(root)
    files = render_site(result.kb, formatted, settings, directory_urls,
                        [overrides] if overrides.is_dir() else None)
    files.append(feed_file(history, result, formatted, settings, directory_urls))
    say(f"generated {len(files):,} pages and files ({time.perf_counter() - start:.1f} s)")
    return Generated(result, tuple(files))


def feed_file(history: History, result: CheckResult, formatted: dict[str, Formatted], settings: Settings,
              directory_urls: bool) -> OutputFile:
    """/feed.xml: the latest changes for feed readers (empty, and still valid, without git)."""
    refs = formatted
    data = build_feed(history, result.kb.claims, site_title=site_title(settings), lang=settings.language,
                      site_url=settings.site_url, repo_url=settings.repo_url, directory_urls=directory_urls,
                      label=lambda key: refs[key].label if key in refs else key,
                      fallback=_dt.datetime.combine(settings.today, _dt.time(), _dt.timezone.utc))
    return OutputFile(FEED_PATH, data)
