"""Seconds each text scanner over content takes on 10 KB and 100 KB of its worst pattern.

    .venv/bin/python benchmarks/scanners.py [--size 100000]

Prints one row per scanner and pattern with both times and their ratio: a
linear scanner shows about 10x, a quadratic one 100x.  The patterns are the
ones in tests/test_scanner_linearity.py (body_conversion: Python-Markdown and nh3 over a
whole claim body, behind generator/text/markdown_guard.py) (which asserts a generous bound).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
_spec = importlib.util.spec_from_file_location("linearity", ROOT / "tests" / "test_scanner_linearity.py")
linearity = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(linearity)  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="bytes of the large input (small: a tenth)")
    size = parser.parse_args().size
    print(f"{'scanner':<16} {'pattern':<22} {size // 10:>8} B {size:>8} B  ratio")
    worst = 0.0
    groups = [(linearity.SCANNERS, linearity.BODY_PATTERNS),
              (linearity._rendering_scanners(), linearity.HTML_PATTERNS),
              ({"body_conversion": linearity.body_conversion()},
               [(n, u) for n, u in linearity.MARKDOWN_PATTERNS if n != "nested-lists"])]  # make() cannot build it
    for scanners, patterns in groups:
        for scanner, scan in sorted(scanners.items()):
            for name, unit in patterns:
                small = linearity.seconds(scan, linearity.make(unit, size // 10))
                large = linearity.seconds(scan, linearity.make(unit, size))
                worst = max(worst, large)
                print(f"{scanner:<16} {name:<22} {small:8.4f} s {large:8.4f} s  {large / max(small, 1e-6):5.1f}x")
    print(f"slowest at {size:,} bytes: {worst:.3f} s")


if __name__ == "__main__":
    main()
