"""Run `kb check` on large public BibTeX files that no one here wrote.

Sources (downloaded, never committed):
  * the test data and examples of pybtex and bibtexparser (their sdists on PyPI), including
    N. Beebe's tugboat.bib (4,839 entries, two with a repeated field) and a GBK-encoded file;
  * with --biblatex, Debian's texlive biblatex-examples.bib (the texlive-bibtex-extra .deb,
    about 75 MB, fetched with `apt-get download`, not installed).

Prints one line per file: entries, diagnostics by code, seconds.  Exit 1 if any run crashed.
Usage: python scripts/real_bibliographies.py [--biblatex] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path


def fetch_sdist_bibs(cache: Path) -> list[Path]:
    """Download the sdists of pybtex and bibtexparser (the installed versions) and list their .bib files."""
    cache.mkdir(parents=True, exist_ok=True)
    wanted = [f"pybtex=={version('pybtex')}", f"bibtexparser=={version('bibtexparser')}"]
    if not list(cache.glob("*.tar.gz")):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "-d", str(cache), *wanted], check=True, capture_output=True, timeout=300)
    for archive in cache.glob("*.tar.gz"):
        target = cache / archive.name.removesuffix(".tar.gz")
        if not target.exists():
            with tarfile.open(archive) as tar:
                tar.extractall(cache, filter="data")
    return sorted(cache.rglob("*.bib"))


def fetch_biblatex_examples(cache: Path) -> Path | None:
    """biblatex-examples.bib from Debian's texlive-bibtex-extra package (downloaded, not installed)."""
    found = list(cache.rglob("biblatex-examples.bib"))
    if found:
        return found[0]
    work = cache / "deb"
    work.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["apt-get", "download", "texlive-bibtex-extra"], cwd=work, capture_output=True).returncode:
        return None
    deb = next(work.glob("*.deb"), None)
    if deb is None:
        return None
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
    found = list((work / "x").rglob("biblatex-examples.bib"))
    return found[0] if found else None


def check_bib(bib: Path) -> dict[str, object]:
    """`kb check --format json` on a project holding only this bibliography."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(bib, root / "references.bib")
        (root / "content").mkdir()
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "generator", "check", "--root", str(root), "--format", "json"],
                             capture_output=True, text=True, timeout=600)
        seconds = time.perf_counter() - start
    result: dict[str, object] = {"file": bib.name, "exit": run.returncode, "seconds": round(seconds, 2),
                                 "stderr": run.stderr}
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        result["crashed"] = True
        return result
    result["crashed"] = run.returncode not in (0, 1) or "Traceback" in run.stderr
    result["sources"] = report["summary"]["sources"]
    result["codes"] = dict(Counter(d["code"] for d in report["diagnostics"]))
    result["diagnostics"] = report["diagnostics"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--biblatex", action="store_true", help="also fetch Debian's biblatex-examples.bib")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kb-real-bibs"))
    args = parser.parse_args()
    cache = Path(args.cache)
    bibs = fetch_sdist_bibs(cache)
    if args.biblatex:
        extra = fetch_biblatex_examples(cache)
        print("biblatex-examples.bib:", extra or "could not be downloaded")
        if extra:
            bibs.append(extra)
    crashed = False
    for bib in bibs:
        r = check_bib(bib)
        crashed |= bool(r["crashed"])
        codes = ", ".join(f"{k} {v}" for k, v in sorted(r.get("codes", {}).items())) or "no diagnostics"
        print(f"{r['file']:28} exit {r['exit']}  {r.get('sources', '?'):>5} entries  {r['seconds']:>6}s  {codes}"
              + ("  CRASHED" if r["crashed"] else ""))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
