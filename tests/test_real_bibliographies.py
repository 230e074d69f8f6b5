"""kb check on large public BibTeX files no one here wrote: sensible diagnostics, never a crash.

The files come from the pybtex and bibtexparser sdists on PyPI (downloaded once per run by
scripts/real_bibliographies.py).  Set KB_REAL_BIBLATEX=1 to add Debian's biblatex-examples.bib
(a 75 MB .deb download).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "real_bibliographies.py"
spec = importlib.util.spec_from_file_location("real_bibliographies", SCRIPT)
real = importlib.util.module_from_spec(spec)
assert spec.loader is not None
spec.loader.exec_module(real)


@pytest.fixture(scope="module")
def bibs(tmp_path_factory) -> dict[str, Path]:
    cache = tmp_path_factory.mktemp("real-bibs")
    try:
        found = real.fetch_sdist_bibs(cache)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        pytest.skip(f"could not download the pybtex/bibtexparser sdists from PyPI: {exc}")
    if os.environ.get("KB_REAL_BIBLATEX") == "1":
        extra = real.fetch_biblatex_examples(cache)
        if extra:
            found.append(extra)
    return {f"{p.parent.name}/{p.name}": p for p in found}


def test_every_public_bibliography_is_checked_without_a_crash(bibs):
    assert len(bibs) >= 5
    for name, path in bibs.items():
        result = real.check_bib(path)
        assert not result["crashed"], f"{name}: {result['stderr'][-2000:]}"
        for d in result.get("diagnostics", []):
            assert d["file"] == "references.bib" and d["message"] and d["code"]


def test_tugboat_loads_thousands_of_entries(bibs):
    tugboat = next(p for n, p in bibs.items() if n.endswith("tugboat.bib"))
    result = real.check_bib(tugboat)
    assert result["sources"] > 2000
    assert set(result["codes"]) <= {"missing-field", "possible-duplicate", "unused-reference", "duplicate-field",
                                    "invalid-year", "invalid-doi", "bib-syntax", "duplicate-key"}


def test_non_utf8_bibliography_is_an_encoding_diagnostic(bibs):
    gbk = next(p for n, p in bibs.items() if n.endswith("gbk_test.bib"))
    result = real.check_bib(gbk)
    assert result["codes"] == {"encoding": 1}


def test_xampl_reports_its_known_oddities(bibs):
    """xampl.bib (BibTeX's own example) has years like 'nineteen eighty-six' and incomplete entries."""
    xampl = next(p for n, p in bibs.items() if n.endswith("tests/data/xampl.bib") or n == "data/xampl.bib")
    result = real.check_bib(xampl)
    assert result["codes"].get("invalid-year", 0) >= 1
    assert result["codes"].get("missing-field", 0) >= 1
