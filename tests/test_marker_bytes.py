"""Bytes that look like the page builder's heading markers never crash a build (issue 18, finding 9).

The page builder marks where each heading stands in the rendered text.  A bibliography title
(or any text) holding the same bytes, such as `\\x02999\\x03`, made `kb build` end in an
IndexError after a clean `kb check`.  Now `kb check` reports control characters in bib fields
(`bib-control-character`, with the field's line), the value reaches the pages without them, and the
builder's markers cannot be forged, so even with the check switched off every path builds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIB, CLAIM, by_code, check, make_project
from generator.pages.page import PageBuilder

KB = str(Path(sys.executable).with_name("kb"))
PAYLOADS = ["\x02999\x03", "\x020\x03", "\x02x\x03", "\x02", "\x03", "\x02\x03", "\x021\x03\x020\x03", "\x1b[2K"]


def _bib(title_extra: str) -> str:
    return BIB.replace("Running injuries in novice runners", f"Running {title_extra} injuries in novice runners")


def _kb(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KB, *args, "--root", str(root)] if args[0] == "check" else [KB, *args],
                          capture_output=True, text=True, timeout=300, cwd=root,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})


@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(p) for p in PAYLOADS])
def test_check_reports_control_characters_in_a_bib_field(tmp_path: Path, payload: str) -> None:
    root = make_project(tmp_path / "kb", {"references.bib": _bib(payload)})
    found = by_code(check(root), "bib-control-character")
    assert [(d.file, d.line) for d in found] == [("references.bib", 3)]
    assert "'title' of entry 'smith2020'" in found[0].message
    assert "\x02" not in found[0].message and "\x1b" not in found[0].message


@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(p) for p in PAYLOADS])
def test_pages_build_with_marker_bytes_in_a_title_even_with_the_check_off(tmp_path: Path, payload: str) -> None:
    root = make_project(tmp_path / "kb", {
        "references.bib": _bib(payload),
        "pyproject.toml": '[tool.kb]\ndisable = ["bib-control-character"]\n',
        # a body with headings: the raw bytes in Markdown too (Python-Markdown drops \x02 and \x03)
        "content/claims/rest-helps.md": CLAIM.replace(
            "Rest for a few weeks.", f"## Why {payload} rest\n\nRest for a few weeks.\n\n## How\n\nSlowly."),
    })
    done = _kb(root, "build", "--pages-only", str(tmp_path / "pages"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    pages = {p.relative_to(tmp_path / "pages").as_posix(): p.read_text(encoding="utf-8")
             for p in (tmp_path / "pages").rglob("*.md")}
    assert pages
    for name, text in pages.items():
        assert "\x02" not in text and "\x03" not in text, name
    claim = pages["claims/rest-helps.md"]
    assert claim.count("## Why") == 1 and claim.count("## How") == 1  # each heading once, in its place
    assert claim.index("## Why") < claim.index("## How")
    source = next(text for name, text in pages.items() if name.startswith("references/") and "smith" in name)
    assert "novice runners" in source


@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(p) for p in PAYLOADS])
def test_the_page_builder_cannot_be_fooled_by_marker_bytes(payload: str) -> None:
    builder = PageBuilder()
    text = f"<p>before {payload}</p>" + builder.heading(2, "First") + f"<p>{payload} after</p>" \
        + builder.heading(2, "Second") + "<p>end</p>"
    page = builder.finish(text, [("title", "t")])
    assert [h.inner for h, _ in page.sections if h is not None] == ["First", "Second"]
    html = page.html()
    assert "\x02" not in html and "\x03" not in html
    assert "before" in html and "after" in html and "end" in html
