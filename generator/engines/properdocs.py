"""ProperDocs adapter: the maintained fork of MkDocs 1.6, run as its own process.

ProperDocs reads mkdocs.yml and runs `mkdocs.plugins` entry points (our kb plugin,
Material) by redirecting every `mkdocs.*` import to `properdocs.*`
(properdocs/replacement.py).  That redirection is process-wide, so it runs in a
child process, never inside `kb`, where MkDocs itself may be loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from generator.core import parallel
from generator.engines.contract import Progress
from generator.output.finish import HEADS_MANIFEST, finish_site
from generator.engines.mkdocs_build import DEFAULT_CONFIG, BuildFailed
from generator.output.site import check_output_dir, remove_staging, staging_dir, swap_in


def _default_config(root: Path, staged: Path) -> Path:
    """No mkdocs.yml: kb's default, written beside the staging folder (never in the project)."""
    made = staged.with_name(staged.name + ".yml")
    text = DEFAULT_CONFIG.replace("docs_dir: content", f"docs_dir: {(root / 'content').as_posix()!r}")
    # the plugin finds the project next to its config file, unless told where it is
    text = text.replace("  - kb\n", f"  - kb:\n      root: {root.as_posix()!r}\n")
    made.write_text(text, encoding="utf-8")
    return made


def build_site(root: Path, out: Path, *, strict: bool = False, progress: Progress | None = None) -> None:
    check_output_dir(root, out)
    staged = staging_dir(out)
    made = None if (root / "mkdocs.yml").is_file() else _default_config(root, staged)
    config = made or root / "mkdocs.yml"
    command = [sys.executable, "-m", "properdocs", "build", "--config-file", str(config), "--site-dir", str(staged)]
    if strict:
        command.append("--strict")
    manifest = staged.with_name(staged.name + ".heads.json")
    started = time.perf_counter()
    try:
        try:  # never waited on for ever: a stuck engine is killed (subprocess.run) and the build fails
            done = subprocess.run(command, cwd=str(root), capture_output=True, text=True, encoding="utf-8",
                                  env={**os.environ, HEADS_MANIFEST: str(manifest)}, timeout=parallel.ENGINE_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise BuildFailed(f"ProperDocs did not finish within {parallel.ENGINE_TIMEOUT:.0f} s; it was stopped") from exc
        if progress:
            for line in done.stderr.splitlines():
                if "kb: " in line:
                    progress(line[line.index("kb: "):])
        if done.returncode != 0:
            raise BuildFailed("ProperDocs failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-30:]))
        if progress:
            progress(f"kb: ProperDocs wrote the site ({time.perf_counter() - started:.1f} s in all)")
        # The plugin ran inside ProperDocs and handed over each page's JSON-LD: the finishing pass puts
        # it in <head> (where the plugin's own page hook already did, nothing is added twice).
        heads = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
        finish_site(staged, heads)
        swap_in(staged, out)
    except BaseException:
        remove_staging(staged)
        raise
    finally:
        manifest.unlink(missing_ok=True)
        if made is not None:
            made.unlink(missing_ok=True)
