"""How long after saving a claim does `kb serve` show the change?  (issue: within 2 s)

Copies the shipped knowledge base to a temporary folder (never touches content/),
or with --heavy N generates the heavy synthetic shape of benchmarks/bench.py (N claims,
every injury page listing 50-100 of them) with the shipped mkdocs.yml, starts
`kb serve` on a free loopback port, edits one claim, and polls its page until the new
text is served.  Prints the seconds for each of --runs edits.
Usage: python benchmarks/serve_latency.py [--runs 3] [--heavy 1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / ".venv" / "bin" / "kb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--heavy", type=int, default=0, metavar="CLAIMS",
                        help="edit a synthetic heavy-shape KB of this many claims instead of the shipped one")
    parser.add_argument("--json", default=None, help="also write the times to this file (for bench.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "kb"
        if args.heavy:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            import bench  # the same generator as `make bench`

            bench.generate_kb(project, args.heavy, args.heavy, max(60, args.heavy * 3 // 100), heavy=True)
            shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        else:
            project.mkdir()
            for name in ("content", "references.bib", "mkdocs.yml", "pyproject.toml"):
                src = ROOT / name
                (shutil.copytree if src.is_dir() else shutil.copy)(src, project / name)
        port = free_port()
        claim = sorted((project / "content" / "claims").glob("*.md"))[0]
        url = f"http://127.0.0.1:{port}/claims/{claim.stem}/"
        server = subprocess.Popen([str(KB), "serve", "--root", str(project), "--dev-addr", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 600
            while "<html" not in fetch(url):
                if time.time() > deadline or server.poll() is not None:
                    print("kb serve did not come up")
                    return 1
                time.sleep(0.2)
            original = claim.read_text(encoding="utf-8")
            times = []
            for run in range(1, args.runs + 1):
                marker = f"Gewijzigd{run}x{int(time.time())}"
                # an edit of the statement: shown on the claim's page, its entities', sources' and the index
                claim.write_text(original.replace("statement: \"", f"statement: \"{marker} ", 1), encoding="utf-8")
                start = time.perf_counter()
                while marker not in fetch(url):
                    if time.perf_counter() - start > 60:
                        print(f"run {run}: the edit did not show within 60 s")
                        return 1
                    time.sleep(0.05)
                times.append(time.perf_counter() - start)
                print(f"run {run}: edit visible after {times[-1]:.2f} s")
                time.sleep(1.5)
            print(f"median {statistics.median(times):.2f} s over {len(times)} edits (goal: <= 2 s)")
            if args.json:
                Path(args.json).write_text(json.dumps({"times": times, "heavy": args.heavy}), encoding="utf-8")
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
