"""The MkDocs adapter for `kb build`: runs MkDocs in this process (the kb plugin does the generating).

It gets a contract.Job from generator/engines/build.py, which has already refused what no engine
may see and resolved mkdocs.yml; MkDocs reads the configuration kb wrote from that (absolute paths,
the kb plugin told where the project is), never the project's mkdocs.yml.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core.errors import BuildFailed, UnsafeConfig
from generator.intake.config_safety import refuse_unsafe_config
from generator.intake.yamlfile import dump
from generator.engines.contract import Job, absolute_paths, engine_config_file, with_kb_options
from generator.intake.mkdocs_yml import DEFAULT_CONFIG

__all__ = ["BuildFailed", "DEFAULT_CONFIG", "ResolvedConfigStream", "run"]


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


def run(job: Job, *, quiet: bool = True) -> dict[str, str]:
    """Build job.site with MkDocs; return the pages' <head> additions the plugin kept."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    preset = job.result.pop() if job.result else None
    config = absolute_paths(job.config, job.root)
    config.update(site_dir=str(job.site), site_url=job.settings.site_url)
    config_file = engine_config_file(job, with_kb_options(config, {"root": str(job.root)}))
    progress = job.progress
    logger = logging.getLogger("mkdocs")
    warnings = _Warnings()
    logger.addHandler(warnings)
    previous = logger.level
    if quiet:
        logger.setLevel(logging.WARNING)
    plugin_logger = logging.getLogger("mkdocs.plugins.kb")
    plugin_level = plugin_logger.level
    handler = _Progress(progress)
    plugin_logger.setLevel(logging.INFO)
    plugin_logger.addHandler(handler)
    try:
        cfg = load_config(config_file=str(config_file), strict=job.strict or None)
        # as `mkdocs build` does: MkDocs keeps plugin instances across load_config calls in one process,
        # so a kb plugin that served (`kb serve`, dirty) would otherwise build like a dirty rebuild
        cfg.plugins.on_startup(command="build", dirty=False)
        for name, plugin in cfg.plugins.items():
            if name == "kb" or name.endswith("/kb"):
                plugin.config.root = str(job.root)  # type: ignore[attr-defined]
                plugin.config.strict = job.strict  # type: ignore[attr-defined]
                plugin.preset_result = preset  # type: ignore[attr-defined]
                plugin.preset_assets = job.assets  # type: ignore[attr-defined]
                plugin.preset_settings = job.settings  # type: ignore[attr-defined]
        preset = None
        started = time.perf_counter()
        build(cfg)
        progress(f"kb: MkDocs wrote the site ({time.perf_counter() - started:.1f} s in all)")
        for message in warnings.messages:
            progress(f"kb: MkDocs {message}")
        return _plugin_heads(cfg)
    except MkDocsException as exc:
        raise BuildFailed(warnings.explain(str(exc))) from exc
    except Exception as exc:  # e.g. a broken template override: an error message, not a traceback
        raise BuildFailed(warnings.explain(f"{type(exc).__name__}: {exc}")) from exc
    finally:
        logger.removeHandler(warnings)
        logger.setLevel(previous)
        plugin_logger.setLevel(plugin_level)
        plugin_logger.removeHandler(handler)


class ResolvedConfigStream(io.StringIO):
    """`kb serve`: what MkDocs reads as mkdocs.yml on every rebuild: kb's resolved data, never the file.

    MkDocs' server loads its configuration again after every edit, from the object it was given:
    it seeks to the start (here: mkdocs.yml is resolved again, and refused if it now holds a code
    tag, a duplicate key or an INHERIT kb does not follow) and reads.  Its name is the project's
    mkdocs.yml, so relative paths and the file MkDocs watches are the project's own.
    """

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.name = str(root / "mkdocs.yml")

    @property
    def closed(self) -> bool:  # type: ignore[override]  # read again on every rebuild
        return False

    def close(self) -> None:
        pass

    def seek(self, pos: int, whence: int = 0) -> int:
        if pos == 0 and whence == 0:
            self._refresh()
        return super().seek(pos, whence)

    def _refresh(self) -> None:
        from mkdocs.exceptions import ConfigurationError

        try:
            resolved = refuse_unsafe_config(self.root)
        except UnsafeConfig as exc:
            raise ConfigurationError(f"kb: {exc}") from exc
        text = dump(resolved.data)
        super().seek(0)
        self.truncate()
        self.write(text)
