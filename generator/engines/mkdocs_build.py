"""Run MkDocs programmatically for `kb build` (the plugin does the generating)."""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.intake.config_safety import refuse_unsafe_config, site_url_problem
from generator.intake.content_files import publishable_assets
from generator.core.errors import BuildFailed
from generator.core.protected import real
from generator.output.finish import finish_site
from generator.output.site import check_output_dir, remove_staging, staging_dir, swap_in

__all__ = ["BuildFailed", "DEFAULT_CONFIG", "build_site"]

DEFAULT_CONFIG = """
site_name: Kennisbank
site_url: !ENV [SITE_URL, null]  # no address unless SITE_URL says so
docs_dir: content
theme:
  name: material
  language: nl
  font: false
  features: [navigation.instant]
plugins:
  - search
  - kb
extra: {generator: false}
extra_css: [assets/kb.css]
extra_javascript: [assets/kb.js]
not_in_nav: |
  /claims/*
  /references/*
  /injuries/*
  /risk-factors/*
  /interventions/*
markdown_extensions: [attr_list, tables, admonition, {toc: {permalink: true}}]
"""


def _plugin_heads(cfg: Any) -> dict[str, str]:
    """The <head> additions the kb plugin kept, keyed as the finishing pass wants them."""
    for name, plugin in cfg.plugins.items():
        if name == "kb" or name.endswith("/kb"):
            return plugin.heads_by_html(bool(cfg.use_directory_urls))
    return {}


class _Progress(logging.Handler):
    """Shows the plugin's progress lines (kb: ...) while MkDocs itself stays quiet."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("kb: "):
            self.say(message)


class _Warnings(logging.Handler):
    """Keeps MkDocs' warnings: a strict build aborts with only a count ("Aborted with 1 warnings")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")

    def explain(self, message: str) -> str:
        return "\n".join([message, *self.messages]) if self.messages else message


def build_site(root: Path, out: Path, *, strict: bool = False, quiet: bool = True,
               progress: Callable[[str], None] | None = None, result: list[object] | None = None) -> None:
    """Build the site into *out*, keeping the previous site if anything fails.

    *result* is a one-item list holding `kb build`'s CheckResult; it is taken out
    of the list and handed to the plugin, so that nothing but the plugin holds the
    knowledge base and the plugin can let it go once the pages are generated.
    """
    preset = result.pop() if result else None
    del result
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    check_output_dir(root, out)
    out = real(out)  # a symlinked site folder is updated where it points, never replaced by a folder
    config_file = root / "mkdocs.yml"
    # before MkDocs loads mkdocs.yml (its loader runs any Python a tag names) and walks content/;
    # UnsafeConfig and UnsafeContent are KbErrors: the CLI reports them, the previous site stays
    refuse_unsafe_config(root)
    assets = publishable_assets(root)
    problem = site_url_problem(os.environ.get("SITE_URL"))
    if problem:
        raise BuildFailed(f"SITE_URL {os.environ['SITE_URL']!r} is refused: {problem}")
    staged = staging_dir(out)
    logger = logging.getLogger("mkdocs")
    warnings = _Warnings()
    logger.addHandler(warnings)
    previous = logger.level
    if quiet:
        logger.setLevel(logging.WARNING)
    plugin_logger = logging.getLogger("mkdocs.plugins.kb")
    plugin_level = plugin_logger.level
    handler = _Progress(progress) if progress else None
    if handler is not None:
        plugin_logger.setLevel(logging.INFO)
        plugin_logger.addHandler(handler)
    try:
        if config_file.is_file():
            cfg = load_config(config_file=str(config_file), site_dir=str(staged), strict=strict or None)
        else:
            handle = io.StringIO(DEFAULT_CONFIG)
            handle.name = str(root / "mkdocs.yml")  # type: ignore[attr-defined]
            cfg = load_config(config_file=handle, site_dir=str(staged), strict=strict or None,
                              docs_dir=str(root / "content"))
        for name, plugin in cfg.plugins.items():
            if name == "kb" or name.endswith("/kb"):
                plugin.config.root = str(root)  # type: ignore[attr-defined]
                plugin.config.strict = strict  # type: ignore[attr-defined]
                plugin.preset_result = preset  # type: ignore[attr-defined]
                plugin.preset_assets = assets  # type: ignore[attr-defined]
        preset = None
        started = time.perf_counter()
        build(cfg)
        if progress:
            progress(f"kb: MkDocs wrote the site ({time.perf_counter() - started:.1f} s in all)")
        finish_site(staged, _plugin_heads(cfg))
        swap_in(staged, out)
        if progress:
            for message in warnings.messages:
                progress(f"kb: MkDocs {message}")
    except MkDocsException as exc:
        remove_staging(staged)
        raise BuildFailed(warnings.explain(str(exc))) from exc
    except Exception as exc:  # e.g. a broken template override: an error message, not a traceback
        remove_staging(staged)
        raise BuildFailed(warnings.explain(f"{type(exc).__name__}: {exc}")) from exc
    except BaseException:
        remove_staging(staged)
        raise
    finally:
        logger.removeHandler(warnings)
        logger.setLevel(previous)
        plugin_logger.setLevel(plugin_level)
        if handler is not None:
            plugin_logger.removeHandler(handler)
