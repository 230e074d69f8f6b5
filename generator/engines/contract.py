"""What every engine adapter is handed and hands back, apart from the engine registry and `build()`.

The one build (generator/engines/build.py) owns everything an engine must not decide: the
refusals, the settings, the resolved configuration, the staging folder and the finishing pass.
An adapter (mkdocs_build.py, properdocs.py, zensical.py) gets a `Job` and only runs its engine:
it writes the site into `job.site` and returns the pages' `<head>` additions.

Adapters import this module, never `generator.engines` or `generator.engines.build`, so the
registry and the build can import the adapters without a cycle.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.intake.config import Settings
from generator.core import parallel
from generator.core.errors import BuildFailed
from generator.core.writer import write_file
from generator.intake.yamlfile import dump

# Called with one line of progress for the user ("writing 2,040 pages ...").
Progress = Callable[[str], None]


@dataclass
class Job:
    """One build, decided: what the engine builds from and where it writes."""

    root: Path
    #: a private folder beside the output folder (never in the project); removed after the build
    workspace: Path
    #: mkdocs.yml as kb resolved it (or kb's default): plain data, no INHERIT, no code tag
    config: dict[str, Any]
    #: [tool.kb] and mkdocs.yml, merged once
    settings: Settings
    #: absolute paths of the editors' images and PDFs: all that is published of content/
    assets: set[str]
    strict: bool
    progress: Progress
    #: `kb build`'s CheckResult (made with `settings`), handed on so the pages are not checked twice
    result: list[object] = field(default_factory=list)

    @property
    def site(self) -> Path:
        """Where the engine writes the site (the build finishes it and swaps it in)."""
        return self.workspace / "site"

    @property
    def directory_urls(self) -> bool:
        return bool(self.config.get("use_directory_urls", True))


def absolute_paths(config: dict[str, Any], root: Path) -> dict[str, Any]:
    """A copy of *config* whose paths MkDocs takes relative to the config file are absolute.

    The engine reads the configuration from a file kb wrote outside the project; these are
    the settings MkDocs resolves against the config file's folder (the project).
    """
    out = copy.deepcopy(config)
    out["docs_dir"] = str(root / str(out.get("docs_dir") or "docs"))
    theme = out.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str(root / theme["custom_dir"])
    for key in ("hooks", "watch"):
        if isinstance(out.get(key), list):
            out[key] = [str(root / p) if isinstance(p, str) else p for p in out[key]]
    return out


def with_kb_options(config: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """*config* with *options* added to the kb plugin's (the plugin finds the project by `root`)."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        for name in list(plugins):
            if name == "kb" or str(name).endswith("/kb"):
                plugins[name] = {**(plugins[name] or {}), **options}
        return config
    if isinstance(plugins, list):
        for index, item in enumerate(plugins):
            if item == "kb" or (isinstance(item, str) and item.endswith("/kb")):
                plugins[index] = {item: dict(options)}
            elif isinstance(item, dict) and len(item) == 1:
                name = next(iter(item))
                if name == "kb" or str(name).endswith("/kb"):
                    plugins[index] = {name: {**(item[name] or {}), **options}}
    return config


def engine_config_file(job: Job, config: dict[str, Any], name: str = "mkdocs.yml") -> Path:
    """Write *config* (resolved data) where the engine reads it: the workspace, never the project."""
    path = job.workspace / name
    write_file(path, dump(config))
    return path


def run_engine(name: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run an engine's own process, never waiting on it for ever: a stuck engine is killed and the build fails."""
    try:
        return subprocess.run(command, cwd=str(cwd), capture_output=True, text=True, encoding="utf-8", env=env,
                              timeout=parallel.ENGINE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise BuildFailed(f"{name} did not finish within {parallel.ENGINE_TIMEOUT:.0f} s; it was stopped") from exc
