"""Peak memory of a command and every process it forks, counted once (Linux: PSS from /proc).

`bench.py` reports peak RSS from `/usr/bin/time`, which is the largest *single* process.
`kb build` forks (rendering in two processes, a second process writing pages with the
theme), and forked processes share their parent's memory copy-on-write, so neither the
largest process nor the sum of RSS says what the machine needs.  PSS (proportional set
size) splits every shared page between the processes that share it: summed over the
process tree it is the memory the build really occupies.

Usage: python benchmarks/memory_tree.py [--every 0.2] [--trace] -- kb build --root KB --out SITE
Prints the peak summed PSS, how many processes were alive then, and (--trace) a line
every ~2 s: seconds since start, processes, summed PSS in MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def tree(pid: int) -> list[int]:
    """*pid* and its descendants, from /proc/PID/task/*/children."""
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                for child in handle.read().split():
                    out += tree(int(child))
    except OSError:
        pass  # the process ended while we looked
    return out


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    parser.add_argument("--trace", action="store_true", help="print a sample every ~2 s")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to measure after --")
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, alive_at_peak, last_trace = 0, 0, 0.0
    while process.poll() is None:
        pids = tree(process.pid)
        total = sum(pss_kb(pid) for pid in pids)
        if total > peak:
            peak, alive_at_peak = total, len(pids)
        now = time.perf_counter() - start
        if args.trace and now - last_trace >= 2:
            last_trace = now
            print(f"{now:6.1f} s  {len(pids)} process(es)  {total / 1024:6.0f} MB")
        time.sleep(args.every)
    print(f"exit {process.returncode} after {time.perf_counter() - start:.1f} s; peak memory of the process tree "
          f"(summed PSS) {peak / 1024:.0f} MB with {alive_at_peak} process(es) alive")
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
