"""The engine-independent finishing pass over a built site folder.

Whichever engine turned the generated pages into HTML (MkDocs, ProperDocs,
Zensical), what a reader gets must not depend on that engine running our
plugin.  This pass, run on the staged site before it is swapped in:

* sanitizes again, with nh3 and sanitize.py's allow-list, the part of every page
  that came from the generated Markdown (the forest plots with the SVG allow-list,
  `sanitize_content`): it lies between the content markers
  (generator/pages/page.py CONTENT_BEGIN/CONTENT_END) that the Markdown form emits.
  Whatever an engine made of that Markdown, no script or event handler survives.
  The theme's own markup and scripts, outside the markers, stay as they are.
* puts the page's JSON-LD (OutputFile.head, escaped by generator/pages/jsonld.py) into
  `<head>` when the engine did not.

It is idempotent (sanitizing sanitized HTML changes nothing; a head already
present is not added twice) and deterministic (pages in sorted order, no clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.core.errors import OutputError
from generator.core.writer import write_staged
from generator.intake.reader import Refused, read_bytes
from generator.pages.page import CONTENT_BEGIN, CONTENT_END
from generator.pages.files import OutputFile
from generator.pages.sanitize import sanitize_content

#: environment variable: where the kb plugin, run by an engine in its own process (ProperDocs),
#: writes the pages' <head> additions as JSON for this pass
HEADS_MANIFEST = "KB_HEADS_MANIFEST"


def html_path(md_path: str, directory_urls: bool) -> str:
    """The built HTML file of a page (`claims/x.md` -> `claims/x/index.html`), as MkDocs names it."""
    stem = md_path[:-3]
    if stem == "index" or stem.endswith("/index") or not directory_urls:
        return f"{stem}.html"
    return f"{stem}/index.html"


def heads_of(files: Iterable[OutputFile], directory_urls: bool) -> dict[str, str]:
    """The manifest the finishing pass needs: built HTML path -> the page's <head> additions."""
    return {html_path(f.path, directory_urls): f.head for f in files if f.head and f.path.endswith(".md")}


def finish_page(text: str, head: str = "") -> str:
    """One page: content area sanitized, JSON-LD in <head>."""
    begin = text.find(CONTENT_BEGIN)
    end = text.rfind(CONTENT_END)
    if begin != -1 and end > begin:
        start = begin + len(CONTENT_BEGIN)
        text = text[:start] + sanitize_content(text[start:end]) + text[end:]
    if head and head not in text and "</head>" in text:
        text = text.replace("</head>", head + "\n</head>", 1)
    return text


#: a built page larger than this is not finished but refused (the largest generated page is a few MB)
MAX_PAGE_BYTES = 256 * 1024 * 1024


def _page_text(path: Path, site: Path) -> str:
    """A built page's text, through the one reader: a regular file (a link an engine copied is read where
    it points, and replaced by write_staged), never a FIFO or /dev/zero, at most MAX_PAGE_BYTES."""
    try:
        raw = read_bytes(path, limit=MAX_PAGE_BYTES, links=True)
    except Refused as refused:
        raise OutputError(f"{path.relative_to(site).as_posix()} in {site} is not finished: {refused}",
                          "Build the site again; a page must be an ordinary HTML file.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OutputError(f"{path.relative_to(site).as_posix()} in {site} is not finished: it is not UTF-8 "
                          f"(byte {exc.start})", "Build the site again; kb's pages are UTF-8.") from None


def finish_site(site: Path, heads: dict[str, str]) -> int:
    """Finish every HTML page under *site*; returns how many files changed."""
    changed = 0
    for path in sorted(site.rglob("*.html")):
        before = _page_text(path, site)
        after = finish_page(before, heads.get(path.relative_to(site).as_posix(), ""))
        if after != before:
            write_staged(path, after.encode("utf-8"))  # the staged site: never through a link an engine copied
            changed += 1
    return changed
