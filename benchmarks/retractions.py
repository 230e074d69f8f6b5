"""How long `kb check --retractions` spends reading a Retraction Watch CSV of the real size.

Writes a synthetic file in the data set's column layout (default 65,000 rows of about 770
bytes, near the 60 MB of the real one) and times `check_retractions` against 10,000
bibliography entries with a DOI, then once more on the unchanged file (the reuse `kb serve` gets).  Prints the measured figures; asserts nothing.

    .venv/bin/python benchmarks/retractions.py [ROWS]
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
import resource
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.core.model import Source  # noqa: E402
from generator.checks.retractions import check_retractions  # noqa: E402

HEADER = ["Record ID", "Title", "Subject", "Institution", "Journal", "Publisher", "Country", "Author", "URLS",
          "ArticleType", "RetractionDate", "RetractionDOI", "RetractionPubMedID", "OriginalPaperDate",
          "OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature", "Reason", "Paywalled", "Notes"]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 65_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "retraction_watch.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            for i in range(rows):
                writer.writerow([str(i), "A title " * 12, "(BLS) Biology;" * 4, "An institution, a city; " * 6,
                                 "A journal", "A publisher", "A country", "Author A;Author B;Author C",
                                 "https://retractionwatch.com/" + "x" * 60, "Research Article;", "1/15/2024 0:00",
                                 f"10.5555/notice.{i}", "0", "3/2/2020 0:00", f"10.5555/paper.{i}", str(30_000_000 + i),
                                 "Retraction" if i % 3 else "Correction", "+Error in Data;" * 5, "No", "n" * 120])
        size = path.stat().st_size
        sources = {f"k{i}": Source(f"k{i}", "article", {"doi": f"10.5555/paper.{i * 7}"}, i + 1) for i in range(10_000)}
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        found = check_retractions(sources, "references.bib", path, "retraction_watch.csv")
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        check_retractions(sources, "references.bib", path, "retraction_watch.csv")
        again = time.perf_counter() - start
    print(f"{rows:,} rows, {size / 1e6:.1f} MB, 10,000 entries: {seconds:.2f} s, "
          f"{len(found):,} diagnostics, again (unchanged file, as in kb serve) {again:.2f} s, peak RSS {after / 1e3:.0f} MB (grew by {(after - before) / 1e3:.0f} MB while reading)")


if __name__ == "__main__":
    main()
