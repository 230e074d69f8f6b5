#!/usr/bin/env python3
"""Stress test of kb's processes: many parallel builds in a row, and builds stopped at random moments.

Issue 18: 4 of about 20 parallel builds hung (a render worker missed the SIGTERM of
`Pool.terminate`), and a SIGTERM while the second process wrote pages left
`.site.tmp-*` behind.  This script counts, with a timeout on every build:

* N consecutive `kb build`s of a 1,000-claim knowledge base (default 30);
* M consecutive `kb build`s of a 10,000-claim knowledge base (default 5);
* K kill tests (default 10): a build of the 1,000-claim KB gets SIGTERM after a random
  delay; it must exit (128 + 15, or 0 if it finished first) within the timeout, leave
  no process of its own running and no `.site.tmp-*` / `.site.old-*` folder behind.

It prints how many finished, how many hung (timed out: the build is then killed) and
how many left something behind.  The knowledge bases come from benchmarks/bench.py
(same seeded generator).  Standard library only; `kb` comes from the project's venv.

    .venv/bin/python benchmarks/stress_builds.py [--small 30] [--large 5] [--kills 10] [--timeout 600]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import generate_kb, venv_bin  # noqa: E402


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith((f".{out.name}.tmp-",
                                                                             f".{out.name}.old-",
                                                                             f".{out.name}.zensical-")))


def build(kb: Path, root: Path, out: Path, timeout: float, kill_after: float | None = None) -> dict:
    """One `kb build` in its own session; what happened to it."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(kb), "build", "--root", str(root), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    hung = False
    try:
        if kill_after is not None:
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hung = True
        os.killpg(proc.pid, signal.SIGKILL)
        _out, err = proc.communicate()
    stray = _group(proc.pid)
    if stray:
        os.killpg(proc.pid, signal.SIGKILL)
    return {"code": proc.returncode, "hung": hung, "seconds": time.perf_counter() - started, "stray": stray,
            "left": _leftovers(out), "traceback": b"Traceback" in err, "tail": err.decode("utf-8", "replace")[-400:]}


def series(label: str, kb: Path, root: Path, runs: int, timeout: float) -> tuple[int, int]:
    done = hung = 0
    for i in range(runs):
        out = root.parent / f"out-{label}" / "site"
        out.parent.mkdir(exist_ok=True)
        got = build(kb, root, out, timeout)
        ok = got["code"] == 0 and not got["hung"] and not got["stray"] and not got["left"] and not got["traceback"]
        done += ok
        hung += got["hung"]
        print(f"  {label} build {i + 1}/{runs}: exit {got['code']}, {got['seconds']:.1f} s"
              + (" HUNG (killed after the timeout)" if got["hung"] else "")
              + (f" stray processes {got['stray']}" if got["stray"] else "")
              + (f" left {got['left']}" if got["left"] else "") + (" TRACEBACK" if got["traceback"] else ""),
              flush=True)
        if got["code"] != 0 and not got["hung"]:
            print("    " + got["tail"].replace("\n", "\n    "), flush=True)
    return done, hung


def kills(kb: Path, root: Path, runs: int, timeout: float, longest: float, seed: int) -> tuple[int, int, int]:
    rng = random.Random(seed)
    clean = hung = dirty = 0
    for i in range(runs):
        out = root.parent / "out-kill" / "site"
        if out.parent.exists():
            shutil.rmtree(out.parent)
        out.parent.mkdir()
        delay = rng.uniform(0.2, longest)
        got = build(kb, root, out, timeout, kill_after=delay)
        ok_code = got["code"] in (0, 128 + signal.SIGTERM, -signal.SIGTERM)
        bad = got["hung"] or got["stray"] or got["left"] or got["traceback"] or not ok_code
        clean += not bad
        hung += got["hung"]
        dirty += bool(got["stray"] or got["left"])
        print(f"  kill {i + 1}/{runs}: SIGTERM after {delay:.1f} s -> exit {got['code']} in {got['seconds']:.1f} s"
              + (" HUNG" if got["hung"] else "") + (f" stray {got['stray']}" if got["stray"] else "")
              + (f" left {got['left']}" if got["left"] else "") + (" TRACEBACK" if got["traceback"] else ""),
              flush=True)
    return clean, hung, dirty


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=int, default=30, help="consecutive builds of 1,000 claims (default 30)")
    ap.add_argument("--large", type=int, default=5, help="consecutive builds of 10,000 claims (default 5)")
    ap.add_argument("--kills", type=int, default=10, help="builds of 1,000 claims stopped by SIGTERM (default 10)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds before a build counts as hung")
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()
    kb = venv_bin() / "kb"
    work = Path(tempfile.mkdtemp(prefix="kb-stress-"))
    results: list[str] = []
    try:
        small = work / "small" / "project"
        if args.small or args.kills:
            print("generating 1,000 claims / 1,000 sources ...", flush=True)
            generate_kb(small, 1000, 1000, 60)
        if args.small:
            done, hung = series("1k", kb, small, args.small, args.timeout)
            results.append(f"1,000 claims: {done} of {args.small} builds finished cleanly, {hung} hung")
        longest = 5.0
        if args.kills:
            probe = build(kb, small, small.parent / "out-probe" / "site", args.timeout)
            print(f"  probe build (sets the kill window): exit {probe['code']}, {probe['seconds']:.1f} s"
                  + (" HUNG (killed after the timeout)" if probe["hung"] else "")
                  + (" TRACEBACK" if probe["traceback"] else ""), flush=True)
            longest = max(1.0, probe["seconds"])  # kill anywhere in a whole build's time
            clean, hung, dirty = kills(kb, small, args.kills, args.timeout, longest, args.seed)
            results.append(f"kill test: {clean} of {args.kills} stopped cleanly, {hung} hung, "
                           f"{dirty} left a process or a staging folder (SIGTERM within 0.2-{longest:.1f} s)")
        if args.large:
            large = work / "large" / "project"
            print("generating 10,000 claims / 10,000 sources ...", flush=True)
            generate_kb(large, 10000, 10000, 300)
            done, hung = series("10k", kb, large, args.large, args.timeout)
            results.append(f"10,000 claims: {done} of {args.large} builds finished cleanly, {hung} hung")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(["", "stress_builds: " + " ".join(sys.argv[1:]) if sys.argv[1:] else "stress_builds:", *results]))


if __name__ == "__main__":
    main()
