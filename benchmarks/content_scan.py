"""How long sorting content/ into loaded, published and refused files takes (generator/intake/content_files.py).

Prints the best of five runs over 10,000 claim and 300 entity files, next to the plain directory
listing the loader used before (iterdir + is_file), so the cost of the file policy is visible:

    .venv/bin/python benchmarks/content_scan.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.intake.content_files import scan_content

FOLDERS = ("claims", "injuries", "risk-factors", "interventions", "pages")


def plain_listing(root: Path) -> list[Path]:
    out: list[Path] = []
    for folder in FOLDERS:
        path = root / "content" / folder
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix == ".md" and p.is_file())
    return out


def best_of(runs: int, fn: Callable[[Path], object], root: Path) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(root)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder, count in (("claims", 10_000), ("injuries", 300)):
            (root / "content" / folder).mkdir(parents=True)
            for i in range(count):
                (root / "content" / folder / f"item-{i}.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
        for name, fn in (("plain listing (iterdir + is_file)", plain_listing), ("scan_content", scan_content)):
            print(f"{name}: {best_of(5, fn, root) * 1000:.0f} ms for 10,300 Markdown files (best of 5)")


if __name__ == "__main__":
    main()
