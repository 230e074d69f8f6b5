"""One build for every engine: refusals, settings, staging and the finishing pass, decided once.

Every engine used to do its own reading, checking and settings merge, and the paths drifted:
`--engine zensical` skipped the site-address check and the content filter, ProperDocs and
Zensical parsed mkdocs.yml with tags the default engine refused.  Here, before any engine runs
(and for `kb build --pages-only`, which runs none but takes the same plan: the same refusals and
the same settings, site_url, repo_url, site_name, language and plugin options from mkdocs.yml
included, so its pages are the pages a full build would make):

* `prepare()`: the settings (`[tool.kb]`, then mkdocs.yml over them: generator/intake/
  site_settings.py), SOURCE_DATE_EPOCH (read with the settings), SITE_URL and the site address
  (a plain http(s) address or nothing), mkdocs.yml as kb resolved it (generator/intake/
  mkdocs_yml.py: a code tag, an unfollowed INHERIT or a duplicate key is refused, whatever the
  settings), and the files of content/ that may be published (a link or special file is refused,
  whatever the settings; HTML, SVG, scripts are never among them);
* `build()`: a private workspace beside the output folder, the adapter, the finishing pass
  (generator/output/finish.py) and the swap into the output folder.

An adapter (mkdocs_build.run, properdocs.run, zensical.run) gets a contract.Job and only runs its
engine: it never reads mkdocs.yml, pyproject.toml or content/'s other files itself.  The engine
reads a configuration file kb wrote from the resolved data (`engine_config_file`), never the
project's mkdocs.yml.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import BuildFailed
from generator.core.protected import real
from generator.engines import require
from generator.engines.contract import Job, Progress
from generator.intake.config import Settings, load_settings
from generator.intake.config_safety import refuse_unsafe_config, site_url_problem
from generator.intake.content_files import publishable_assets
from generator.intake.site_settings import from_mkdocs
from generator.output.finish import finish_site
from generator.core.writer import staging_dir, swap_in
from generator.output.site import check_output_dir, remove_staging


@dataclass
class Plan:
    """What every path builds from, once the refusals have passed."""

    root: Path
    config: dict[str, Any]  # resolved mkdocs.yml (or kb's default)
    settings: Settings  # [tool.kb] with mkdocs.yml over it
    problems: list[Any]  # pyproject.toml's setting problems: diagnostics of the check
    assets: set[str]


def refuse_site_url(environ: Mapping[str, str] | None = None) -> None:
    """SITE_URL, when set, must be a plain http(s) address, on every path (finding: --pages-only dropped it)."""
    value = (os.environ if environ is None else environ).get("SITE_URL")
    problem = site_url_problem(value)
    if problem:
        raise BuildFailed(f"SITE_URL {value!r} is refused: {problem} [invalid-setting]",
                          "Set SITE_URL to the site's address, such as https://example.org/kb/, or unset it.")


def _refuse_settings(problems: list[Any]) -> None:
    if problems:
        raise BuildFailed("kb settings are not valid:\n" + "\n".join(
            f"{d.file}:{d.line or ''}: {d.message} [{d.code}]" for d in problems))


def prepare(root: Path, *, environ: Mapping[str, str] | None = None) -> Plan:
    """The refusals every build makes before any engine runs; the settings and configuration it builds from."""
    settings, problems = load_settings(root)  # raises on a SOURCE_DATE_EPOCH kb cannot use
    refuse_site_url(environ)
    resolved = refuse_unsafe_config(root)
    settings, more = from_mkdocs(settings, resolved.data, resolved.where)  # file:line of each key
    _refuse_settings(more)  # e.g. site_url: 'https://x/"><img ...>' in mkdocs.yml
    assets = publishable_assets(root)
    return Plan(root, resolved.data, settings, problems, assets)


Adapter = Callable[[Job], dict[str, str]]


def _adapter(engine: str) -> Adapter:
    if engine == "mkdocs":
        from generator.engines.mkdocs_build import run
    elif engine == "properdocs":
        from generator.engines.properdocs import run
    else:
        from generator.engines.zensical import run
    return run


def build(root: Path, out: Path, *, engine: str = "mkdocs", strict: bool = False, progress: Progress | None = None,
          result: list[object] | None = None, plan: Plan | None = None) -> None:
    """Build the site with *engine* into *out*, keeping the previous site if anything fails.

    Raises EngineMissing, OutputError, UnsafeConfig, UnsafeContent, BuildFailed (all KbErrors).
    *result* is a one-item list holding `kb build`'s CheckResult (made with plan.settings).
    """
    require(engine)
    check_output_dir(root, out)
    out = real(out)  # a symlinked site folder is updated where it points, never replaced by a folder
    plan = plan or prepare(root)
    workspace = staging_dir(out)
    job = Job(root=root, workspace=workspace, config=plan.config, settings=plan.settings, assets=plan.assets,
              strict=strict, progress=progress or (lambda _m: None), result=result if result is not None else [])
    try:
        heads = _adapter(engine)(job)
        finish_site(job.site, heads)
        swap_in(job.site, out)
    finally:
        remove_staging(workspace)  # children stopped and reaped first (finding 16)
