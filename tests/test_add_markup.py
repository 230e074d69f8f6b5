"""`kb add --from` writes plain text and whole names (issue 18, finding 15).

Markup escaped four times came out of the cleaner as `<script>` in references.bib (it decoded one
level per round and stopped after four); a given name `A and B, C` was written unbraced, so BibTeX
read two authors.  Tried with every escaping depth from 0 to 8, tags split to re-form after
stripping, and names that hold 'and' or a comma in either part.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares as mw
from click.testing import CliRunner
from conftest import make_project

from generator.commands.cli import main
from generator.intake.bibliography import parse_bibliography
from generator.pages.sanitize import plain_text

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<<b>script>alert(1)<</b>/script>",
            "<svg/onload=alert(1)>", "<a href='javascript:alert(1)'>x</a>", "<scr<script>ipt>alert(1)</script>"]


def _escaped(text: str, times: int) -> str:
    for _ in range(times):
        text = html.escape(text)
    return text


def _add(root: Path, tmp_path: Path, items: list[dict[str, object]]) -> str:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(items), encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "--from", str(export), "--root", str(root)])
    assert result.exit_code == 0, result.output
    return (root / "references.bib").read_text(encoding="utf-8")


@pytest.mark.parametrize("times", range(9))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_depth_of_escaping_turns_into_markup(times: int, payload: str) -> None:
    text = plain_text(f"Knee pain {_escaped(payload, times)} in runners")
    assert not re.search(r"<\s*[A-Za-z/!?]", text), text
    assert text.startswith("Knee pain") and text.endswith("in runners")


@pytest.mark.parametrize("times", [0, 1, 3, 4, 5, 8])
def test_added_entry_holds_no_markup(tmp_path: Path, times: int) -> None:
    root = make_project(tmp_path / "kb")
    before = (root / "references.bib").read_text(encoding="utf-8")
    bib = _add(root, tmp_path, [{
        "type": "article-journal", "title": "Knee " + _escaped("<script>alert(1)</script>", times) + " study",
        "container-title": _escaped("<img src=x onerror=alert(1)>", times) + "Journal",
        "abstract": _escaped("<p>Background</p><script>x</script>", times),
        "author": [{"family": "Smith", "given": "Ann"}], "issued": {"date-parts": [[2021]]}}])
    added = bib[len(before):]
    assert not re.search(r"<\s*[A-Za-z/!?]", added), added
    assert "script" not in added.lower() or "&lt;script" in added.lower()


@pytest.mark.parametrize(("family", "given"), [
    ("Smith", "A and B, C"), ("Smith", "A and B"), ("Smith", "B, C"), ("Smith", "AND"),
    ("Jansen and Zn", "P"), ("Van Gent, Jr", "R. N."), ("Anderson", "Sandra"),
])
def test_a_name_stays_one_author(tmp_path: Path, family: str, given: str) -> None:
    root = make_project(tmp_path / "kb")
    before = (root / "references.bib").read_text(encoding="utf-8")
    _add(root, tmp_path, [{"type": "article-journal", "title": "A title", "container-title": "J",
                           "author": [{"family": family, "given": given}, {"family": "Jones", "given": "Bo"}],
                           "issued": {"date-parts": [[2021]]}}])
    after = (root / "references.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(after[len(before):], append_middleware=[mw.SeparateCoAuthors()])
    (entry,) = library.entries
    assert len(entry["author"]) == 2, entry["author"]
    assert parse_bibliography(after)[0]  # and the file still parses
