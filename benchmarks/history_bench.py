#!/usr/bin/env python3
"""How long reading every claim's history from git takes (generator/changes/history.py).

Builds the synthetic knowledge base of bench.py (default 10,000 claims) in a
fresh git repository: one commit adds everything, then COMMITS commits each
change the certainty or a stance of CHANGES claims.  Then times
`read_history` cold (median of RUNS, in this process, nothing remembered) and
warm (as a `kb serve` rebuild, which remembers compared versions) and measures the peak memory
of one run in a child process.  Prints the figures; asserts nothing.

    .venv/bin/python benchmarks/history_bench.py [--claims 10000] [--commits 50] [--changes 200] [--repo DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench import generate_kb  # noqa: E402

from generator import history  # noqa: E402
from generator.changes.history import read_history  # noqa: E402

GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.org"}


def git(root: Path, *args: str, date: str) -> None:
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def make_repo(root: Path, claims: int, commits: int, changes: int) -> None:
    generate_kb(root, claims, claims, 300)
    git(root, "init", "-q", date="2026-01-01T12:00:00+00:00")
    git(root, "add", "-A", date="2026-01-01T12:00:00+00:00")
    git(root, "commit", "-qm", "Alle beweringen", date="2026-01-01T12:00:00+00:00")
    rng = random.Random(13)
    files = sorted((root / "content" / "claims").glob("*.md"))
    levels = ["high", "moderate", "low", "very-low"]
    for n in range(commits):
        for path in rng.sample(files, changes):
            text = path.read_text(encoding="utf-8")
            if rng.random() < 0.5:
                text = re.sub(r"certainty: \S+", f"certainty: {rng.choice(levels)}", text, count=1)
            else:
                text = re.sub(r"stance: \S+", f"stance: {rng.choice(['supports', 'qualifies'])}", text, count=1)
            path.write_text(text, encoding="utf-8")
        date = f"2026-02-{1 + n % 28:02d}T{n // 28:02d}:00:00+00:00"
        git(root, "add", "-A", date=date)
        git(root, "commit", "-qm", f"Herziening {n}", date=date)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (git, the worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--changes", type=int, default=200, help="claims changed per commit")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="keep the repository here and reuse it on the next run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one run, for the peak memory of a fresh process
        read_history(Path(args.child))
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return
    with tempfile.TemporaryDirectory(prefix="kb-history-bench-") as tmp:
        root = args.repo or Path(tmp) / "kb"
        started = time.perf_counter()
        if not (root / ".git").is_dir():
            make_repo(root, args.claims, args.commits, args.changes)
        print(f"repository: {args.claims:,} claims, 1 + {args.commits} commits x {args.changes} changed claims "
              f"(ready in {time.perf_counter() - started:.0f} s); load average {os.getloadavg()[0]:.1f}")
        cold, warm, cpu = [], [], []
        for _ in range(args.runs):
            history._MEANING.clear()  # a fresh process: every version read and compared
            started, used = time.perf_counter(), _cpu()
            found = read_history(root)
            cold.append(time.perf_counter() - started)
            cpu.append(_cpu() - used)
            started = time.perf_counter()
            read_history(root)  # as `kb serve` rebuilds: the compared pairs are remembered
            warm.append(time.perf_counter() - started)
        child = subprocess.run([sys.executable, __file__, "--child", str(root)], capture_output=True, text=True,
                               check=True)
        print(f"read_history, cold: median {statistics.median(cold):.2f} s of {args.runs} runs "
              f"(min {min(cold):.2f}, max {max(cold):.2f}); {len(found.claims):,} claims with history, "
              f"{sum(len(v) for v in found.claims.values()):,} entries kept, {len(found.latest)} latest")
        print(f"  CPU time of a cold run (this process, git and the worker processes): median "
              f"{statistics.median(cpu):.2f} s; on a loaded machine the wall time is a multiple of it")
        print(f"read_history, warm (kb serve rebuild): median {statistics.median(warm):.2f} s "
              f"(min {min(warm):.2f}, max {max(warm):.2f})")
        print(f"peak memory of one cold run in a fresh process: {int(child.stdout.strip()) / 1024:.0f} MB")

if __name__ == "__main__":
    main()
