"""ProperDocs adapter: the maintained fork of MkDocs 1.6, run as its own process.

ProperDocs runs `mkdocs.plugins` entry points (our kb plugin, Material) by redirecting every
`mkdocs.*` import to `properdocs.*` (properdocs/replacement.py).  That redirection is
process-wide, so it runs in a child process, never inside `kb`, where MkDocs itself may be loaded.

It reads the configuration kb wrote from the resolved mkdocs.yml (generator/engines/build.py),
with the settings kb merged written in as the kb plugin's options, so the plugin in the child
builds with exactly the settings every other engine gets.
"""

from __future__ import annotations

import json
import os
import sys
import time

from generator.core.errors import BuildFailed
from generator.engines.contract import Job, absolute_paths, engine_config_file, run_engine, with_kb_options
from generator.intake.config import OPTIONS
from generator.output.finish import HEADS_MANIFEST


def _settings_as_options(job: Job) -> dict[str, object]:
    out: dict[str, object] = {"root": str(job.root), "strict": job.strict}
    for option in OPTIONS:
        if option.plugin_option:
            value = getattr(job.settings, option.name)
            if value is not None:
                out[option.name] = sorted(value) if isinstance(value, frozenset) else value
    return out


def run(job: Job) -> dict[str, str]:
    """Build job.site with ProperDocs; return the pages' <head> additions its kb plugin handed over."""
    config = absolute_paths(job.config, job.root)
    config.update(site_dir=str(job.site), site_url=job.settings.site_url)
    config_file = engine_config_file(job, with_kb_options(config, _settings_as_options(job)))
    command = [sys.executable, "-m", "properdocs", "build", "--config-file", str(config_file)]
    if job.strict:
        command.append("--strict")
    manifest = job.workspace / "heads.json"
    started = time.perf_counter()
    done = run_engine("ProperDocs", command, cwd=job.root, env={**os.environ, HEADS_MANIFEST: str(manifest)})
    for line in done.stderr.splitlines():
        if "kb: " in line:
            job.progress(line[line.index("kb: "):])
    if done.returncode != 0:
        raise BuildFailed("ProperDocs failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-30:]))
    job.progress(f"kb: ProperDocs wrote the site ({time.perf_counter() - started:.1f} s in all)")
    # The plugin ran inside ProperDocs and handed over each page's JSON-LD: the finishing pass puts
    # it in <head> (where the plugin's own page hook already did, nothing is added twice).
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
