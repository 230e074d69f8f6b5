"""Profile a full build and one `kb serve` rebuild after a claim edit, in one process (cProfile).

Generates the heavy synthetic shape of benchmarks/bench.py (N claims, every injury page
listing 50-100 of them) in a temporary folder, then runs MkDocs the way `kb serve` does
(dirty builds, one plugin instance kept across rebuilds): a first full build, a claim
edit, one rebuild.  Everything stays in this process (generator.core.parallel.workers = 1), so
the CPU figures are the whole job, and the profile shows where it goes.
Prints CPU seconds of the full build and of the rebuild, and the top functions of each.
Usage: python benchmarks/profile_build.py [--claims 1000] [--top 30] [--sort tottime]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def profiled(label: str, job, top: int, sort: str) -> None:
    profile = cProfile.Profile()
    start = cpu()
    profile.enable()
    job()
    profile.disable()
    spent = cpu() - start
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(top)
    print(f"== {label}: {spent:.2f} s CPU (under cProfile) ==")
    print(out.getvalue())


def timed(label: str, job) -> None:
    start = cpu()
    job()
    print(f"== {label}: {cpu() - start:.2f} s CPU ==")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--no-profile", action="store_true", help="CPU time only (cProfile slows Python ~1.5x)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import generator.core.parallel
    from generator.commands.cli import _DirtyBuildIsIntended

    generator.core.parallel.workers = lambda: 1  # the whole job in this process, where cProfile sees it
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1780272000")
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildIsIntended())
    run = timed if args.no_profile else (lambda label, job: profiled(label, job, args.top, args.sort))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KB_CACHE_DIR"] = str(Path(tmp) / "cache")
        root, site = Path(tmp) / "kb", Path(tmp) / "site"
        bench.generate_kb(root, args.claims, args.claims, max(60, args.claims * 3 // 100), heavy=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        os.chdir(root)

        def config():
            return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))

        first = config()
        first.plugins.on_startup(command="serve", dirty=True)
        run("full build (serve's first)", lambda: build(first, dirty=True))
        claim = sorted((root / "content" / "claims").glob("*.md"))[0]
        claim.write_text(claim.read_text(encoding="utf-8") + "\nEen nieuwe zin.\n", encoding="utf-8")
        run("rebuild after one claim edit", lambda: build(config(), dirty=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
