"""Retractions: the bibliography against a Retraction Watch CSV.

tests/fixtures/retractions/retraction_watch_sample.csv has the column layout of the data set as
Crossref distributes it (Record ID, Title, ..., RetractionNature, Reason, Paywalled, Notes), with its
conventions: dates as month/day/year "1/15/2024 0:00", "unavailable" for a missing DOI, "0" for a
missing PubMed id, percent-encoded DOIs, quoted fields with commas.  The rows are placeholders
(10.5555 is Crossref's test prefix), not real notices.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import BIB, CLAIM, check, dedent, found, make_project
from generator.commands.cli import main

SAMPLE = Path(__file__).parent / "fixtures" / "retractions" / "retraction_watch_sample.csv"
RW = "data/retraction_watch.csv"

ENTRIES = BIB + "\n" + dedent("""
    @article{retracted2020,
      author = {Doe, J.},
      title = {A},
      journal = {J},
      year = {2020},
      doi = {https://doi.org/10.5555/retracted.2020},
    }

    @article{corrected2019,
      author = {Doe, J.},
      title = {B},
      journal = {J},
      year = {2019},
      pmid = {31000002},
      doi = {10.5555/corrected.2019},
    }

    @article{concern2021,
      author = {Doe, J.},
      title = {C},
      journal = {J},
      year = {2021},
      doi = {10.5555/concern<1>},
    }

    @article{reinstated2018,
      author = {Doe, J.},
      title = {D},
      journal = {J},
      year = {2018},
      doi = {10.5555/reinstated.2018},
    }

    @article{clean2017,
      author = {Doe, J.},
      title = {E},
      journal = {J},
      year = {2017},
      doi = {10.5555/other.2016},
    }
    """)
KEYS = ["retracted2020", "corrected2019", "concern2021", "reinstated2018", "clean2017"]


def project(tmp_path: Path, bib: str = ENTRIES, claim: str | None = None) -> Path:
    items = "".join(f"  - source: {k}\n    stance: mentions\n" for k in KEYS)
    text = claim or CLAIM.replace("    stance: supports\n", "    stance: supports\n" + items, 1)
    root = make_project(tmp_path / "kb", {"references.bib": bib, "content/claims/rest-helps.md": text})
    (root / "data").mkdir()
    shutil.copy(SAMPLE, root / RW)
    return root


def test_each_kind_of_notice_is_reported_at_its_entry(tmp_path: Path) -> None:
    result = check(project(tmp_path), retractions=RW)
    assert found(result) == [
        ("retractions-row", RW, 8),
        ("retracted-source", "references.bib", 8),
        ("corrected-source", "references.bib", 16),
        ("corrected-source", "references.bib", 25),
        ("corrected-source", "references.bib", 33),
    ]
    messages = {d.line: d.message for d in result.diagnostics}
    assert "was retracted (Retraction Watch record 90001, 2024-01-15" in messages[8]
    assert "has a correction (Retraction Watch record 90002, 2023-06-30" in messages[16]
    assert "has an expression of concern" in messages[25]  # DOI percent-encoded in the data set
    assert "has a retraction, later reinstated" in messages[33]
    assert result.failed()


def test_without_a_file_nothing_is_checked(tmp_path: Path) -> None:
    assert found(check(project(tmp_path))) == []


def test_the_editor_acknowledges_a_retraction_and_a_correction(tmp_path: Path) -> None:
    bib = ENTRIES.replace("  doi = {https://doi.org/10.5555/retracted.2020},",
                          "  doi = {https://doi.org/10.5555/retracted.2020},\n  retracted = {yes},\n"
                          "  retraction_note = {Ingetrokken in 2024.},")
    bib = bib.replace("  pmid = {31000002},", "  pmid = {31000002},\n  correction_note = {Tabel 2 gecorrigeerd.},")
    result = check(project(tmp_path, bib), retractions=RW)
    about = {(d.code, d.message.split("'")[1]) for d in result.diagnostics if d.file == "references.bib"}
    assert about == {("corrected-source", "concern2021"), ("corrected-source", "reinstated2018")}


def test_a_retracted_source_cannot_support(tmp_path: Path) -> None:
    bib = ENTRIES.replace("  doi = {https://doi.org/10.5555/retracted.2020},",
                          "  doi = {https://doi.org/10.5555/retracted.2020},\n  retracted = {yes},\n"
                          "  retraction_note = {Ingetrokken in 2024.},")
    claim = CLAIM.replace("source: smith2020", "source: retracted2020")
    result = check(project(tmp_path, bib, claim))
    assert ("retracted-supports", "content/claims/rest-helps.md", 7) in found(result)
    mentions = CLAIM.replace("source: smith2020\n    stance: supports", "source: retracted2020\n    stance: mentions")
    assert not [d for d in check(project(tmp_path / "b", bib, mentions)).diagnostics if d.code == "retracted-supports"]


def test_the_setting_and_the_command_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "pyproject.toml").write_text(f'[tool.kb]\nretractions = "{RW}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1 and "[retracted-source]" in result.stdout
    (root / "pyproject.toml").write_text("[tool.kb]\n", encoding="utf-8")
    assert "[retracted-source]" not in CliRunner().invoke(main, ["check", "--root", str(root)]).stdout
    outside = tmp_path / "rw.csv"
    shutil.copy(SAMPLE, outside)
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--retractions", str(outside)])
    assert result.exit_code == 1 and "[retracted-source]" in result.stdout


def test_a_notice_doi_never_matches(tmp_path: Path) -> None:
    """Record 90008 is a notice whose own DOI is corrected2019's: it must not be read as a retraction of it."""
    result = check(project(tmp_path), retractions=RW)
    assert not any(d.code == "retracted-source" and "corrected2019" in d.message for d in result.diagnostics)


def test_broken_bytes_and_quotes_do_not_crash(tmp_path: Path) -> None:
    root = project(tmp_path)
    data = SAMPLE.read_bytes() + b'90009,"unterminated \xff\xfe,title\n90010,x\x00y\n'
    (root / RW).write_bytes(data)
    result = check(root, retractions=RW)
    assert ("retracted-source", "references.bib", 8) in found(result)


def test_the_banner_is_on_the_source_and_every_claim_citing_it(tmp_path: Path) -> None:
    """Also for a claim that cites the source only in its text; the note is escaped like any field."""
    from conftest import settings
    from generator.pages.pipeline import generate

    bib = ENTRIES.replace("  doi = {https://doi.org/10.5555/retracted.2020},",
                          "  doi = {https://doi.org/10.5555/retracted.2020},\n  retracted = {yes},\n"
                          "  retraction_note = {Ingetrokken in 2024 (x < y \\& z).},")
    other = CLAIM.replace("Relative rest helps", "Ice helps").replace("Rest for a few weeks.",
                                                                   "See [@retracted2020].")
    root = project(tmp_path, bib)
    (root / "content/claims/ice-helps.md").write_text(other, encoding="utf-8")
    third = CLAIM.replace("Relative rest helps", "Shoes help")
    (root / "content/claims/shoes-help.md").write_text(third, encoding="utf-8")
    generated = generate(root, settings())
    assert not generated.result.errors, generated.result.errors
    pages = {f.path: f.text for f in generated.files}
    for path in ("references/retracted2020.md", "claims/rest-helps.md", "claims/ice-helps.md"):
        assert pages[path].count('class="admonition danger kb-retracted"') == 1, path
        assert "Ingetrokken in 2024 (x &lt; y &amp; z)." in pages[path]
    assert "kb-retracted" not in pages["claims/shoes-help.md"]
    assert "kb-retracted" not in pages["references/corrected2019.md"]


def test_a_correction_note_is_shown_on_the_source_page(tmp_path: Path) -> None:
    from conftest import settings
    from generator.pages.pipeline import generate

    bib = ENTRIES.replace("  pmid = {31000002},", "  pmid = {31000002},\n  correction_note = {Tabel 2 gecorrigeerd.},")
    pages = {f.path: f.text for f in generate(project(tmp_path, bib), settings()).files}
    assert 'class="admonition note kb-corrected"' in pages["references/corrected2019.md"]
    assert "Tabel 2 gecorrigeerd." in pages["references/corrected2019.md"]
    assert "kb-corrected" not in pages["references/concern2021.md"]


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    """The last reading is reused (kb serve) only while the file is the same."""
    import os

    root = project(tmp_path)
    assert ("retracted-source", "references.bib", 8) in found(check(root, retractions=RW))
    text = (root / RW).read_text(encoding="utf-8").replace("10.5555/RETRACTED.2020", "10.5555/elsewhere")
    (root / RW).write_text(text, encoding="utf-8")
    stat = (root / RW).stat()
    os.utime(root / RW, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert ("retracted-source", "references.bib", 8) not in found(check(root, retractions=RW))


def test_checking_twice_reports_the_same(tmp_path: Path) -> None:
    from generator.checks.retractions import check_retractions

    root = project(tmp_path)
    sources = check(root).kb.sources
    first = list(check_retractions(sources, "references.bib", root / RW, RW))
    assert len(first) == 5
    assert check_retractions(sources, "references.bib", root / RW, RW) == first
