"""Formatted references are cached on disk and reused; the output is the same either way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.intake.bibliography import load_bibliography
from generator.pages.cache import ReferenceCache
from generator.pages.references import format_sources

ROOT = Path(__file__).resolve().parent.parent


def test_second_build_formats_no_reference_again(tmp_path: Path) -> None:
    sources, _ = load_bibliography(ROOT)
    first = ReferenceCache(tmp_path, ROOT)
    cold = format_sources(sources, "nl", cache=first)
    first.save()
    assert first.misses == len(sources) and first.hits == 0
    second = ReferenceCache(tmp_path, ROOT)
    warm = format_sources(sources, "nl", cache=second)
    assert second.hits == len(sources) and second.misses == 0
    assert warm == cold


def test_changing_one_entry_reformats_only_that_entry(tmp_path: Path) -> None:
    sources, _ = load_bibliography(ROOT)
    cache = ReferenceCache(tmp_path, ROOT)
    format_sources(sources, "nl", cache=cache)
    cache.save()
    changed = dict(sources)
    s = changed["beyer2015"]
    changed["beyer2015"] = dataclasses.replace(s, fields={**s.fields, "title": "Een andere titel"})
    again = ReferenceCache(tmp_path, ROOT)
    out = format_sources(changed, "nl", cache=again)
    assert again.misses == 1 and again.hits == len(sources) - 1
    assert "Een andere titel" in out["beyer2015"].html


def test_language_is_part_of_the_key(tmp_path: Path) -> None:
    sources, _ = load_bibliography(ROOT)
    cache = ReferenceCache(tmp_path, ROOT)
    format_sources(sources, "nl", cache=cache)
    english = format_sources(sources, "en", cache=cache)
    assert cache.hits == 0
    assert english == format_sources(sources, "en")


def test_parallel_formatting_gives_the_same_result(monkeypatch) -> None:
    import generator.pages.references as refs

    sources, _ = load_bibliography(ROOT)
    monkeypatch.setattr(refs, "PARALLEL_THRESHOLD", 1)
    assert refs.format_sources(sources, "nl", workers=2) == refs.format_sources(sources, "nl", workers=1)


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    sources, _ = load_bibliography(ROOT)
    cache = ReferenceCache(tmp_path, ROOT)
    assert cache.path is not None
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_text("{not json", encoding="utf-8")
    fresh = ReferenceCache(tmp_path, ROOT)
    assert format_sources(sources, "nl", cache=fresh) == format_sources(sources, "nl")


def test_parallel_rendering_gives_the_same_pages(monkeypatch) -> None:
    import generator.pages.render as render
    from generator.checks.check import run_check
    from generator.intake.config import Settings

    result = run_check(ROOT, Settings())
    formatted = format_sources(result.kb.sources, "nl")
    serial = render.render_site(result.kb, formatted, Settings())
    from generator.core import parallel

    monkeypatch.setattr(parallel, "workers", lambda: 2)  # fork even if other tests left threads running
    monkeypatch.setattr(render, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(render, "MIN_CHUNK", 7)  # many chunks: several rounds of fresh workers, in order
    parallel = render.render_site(result.kb, formatted, Settings())
    assert [f.path for f in parallel] == [f.path for f in serial]
    assert parallel == serial


def test_parallel_loading_gives_the_same_check(monkeypatch) -> None:
    import os

    import pytest

    import generator.checks.check as check
    from generator.core import parallel
    from generator.intake.config import Settings

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing runs in parallel")
    # other test modules may leave server threads running; fork anyway for this comparison
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    serial = check.run_check(ROOT, Settings())
    monkeypatch.setattr(check, "PARALLEL_BIB_BYTES", 0)
    side_by_side = check.run_check(ROOT, Settings())
    assert side_by_side.diagnostics == serial.diagnostics
    assert side_by_side.kb.sources == serial.kb.sources and side_by_side.kb.claims == serial.kb.claims


def test_no_fork_while_other_threads_run() -> None:
    import threading

    from generator.core import parallel

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.workers() == 1
    finally:
        stop.set()
        thread.join()
