"""What `kb build` keeps in memory while MkDocs works (benchmarks/bench.py measures the peak).

At 10,000 claims MkDocs alone held 1.2 GB of Markdown and HTML; these tests pin
down the structure that keeps `kb build` well under that: the knowledge base
and the generated pages are gone before MkDocs converts the first page, and
between conversion and rendering a page is only its compressed HTML.
"""

from __future__ import annotations

import gc
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
from click.testing import CliRunner

from generator.commands.cli import main
from generator.core.model import KnowledgeBase
from generator.pages.render import OutputFile

ROOT = Path(__file__).resolve().parent.parent


def test_build_lets_go_of_what_mkdocs_no_longer_needs(tmp_path: Path, monkeypatch) -> None:
    seen: dict[str, object] = {}
    populate, build_page = mkdocs_build._populate_page, mkdocs_build._build_page

    def first_populate(page, config, files, dirty=False):
        if "populate" not in seen:
            gc.collect()
            seen["populate"] = [type(o).__name__ for o in gc.get_objects() if type(o) in (KnowledgeBase, OutputFile)]
        return populate(page, config, files, dirty)

    def first_build(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if "build" not in seen:
            pages = [f.page for f in doc_files if f.page is not None]
            seen["build"] = (len(pages), sum(1 for p in pages if p.markdown), sum(1 for p in pages if p.content))
        return build_page(page, config, doc_files, nav, env, dirty, excluded)

    monkeypatch.setattr(mkdocs_build, "_populate_page", first_populate)
    monkeypatch.setattr(mkdocs_build, "_build_page", first_build)
    result = CliRunner().invoke(main, ["build", "--root", str(ROOT), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert seen["populate"] == [], "the knowledge base or generated pages outlived the generation"
    total, with_markdown, with_html = seen["build"]  # type: ignore[misc]
    assert total > 100
    assert with_markdown == 0, f"{with_markdown} pages still hold their Markdown after conversion"
    assert with_html == 0, f"{with_html} pages hold uncompressed HTML before their turn"
    assert (tmp_path / "site" / "index.html").is_file()
