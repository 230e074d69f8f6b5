"""A generated file as data: its path and bytes, and for MkDocs the page finished in advance.

Apart from the renderer so that everything that only carries files (the writers, the finishing
pass, the history pages, the engines) can name the type without importing the renderer.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from generator.pages.page import RenderedPage


@dataclass(frozen=True)
class Prepared:
    """A generated page, finished for MkDocs: HTML and search entries (zlib), table of contents."""

    html_z: bytes
    toc: tuple[dict[str, Any], ...]
    search_z: bytes
    anchors: frozenset[str] = frozenset()

    @classmethod
    def of(cls, page: RenderedPage, permalink: str | None) -> "Prepared":
        entries = json.dumps(page.search_entries(), ensure_ascii=False)
        return cls(zlib.compress(page.html(permalink).encode("utf-8"), 1), tuple(page.toc_tokens()),
                   zlib.compress(entries.encode("utf-8"), 1), frozenset(page.anchors()))

    @property
    def html(self) -> str:
        return zlib.decompress(self.html_z).decode("utf-8")

    @property
    def search(self) -> list[tuple[str | None, str, str, tuple[str, ...]]]:
        return [(a, title, text, tuple(tags)) for a, title, text, tags in json.loads(zlib.decompress(self.search_z))]


@dataclass(frozen=True)
class OutputFile:
    """One generated file: a path relative to the docs folder and its UTF-8 content.

    Held as bytes, not str: a Python str takes 2 bytes per character as soon as
    it holds one character such as the certainty symbol ⊕, so at 10,000 claims
    the pages as str took twice the memory.  Writers and MkDocs take bytes as is.
    """

    path: str
    data: bytes
    head: str = ""  # extra HTML for <head> (JSON-LD); adapters that can, insert it
    prepared: Prepared | None = field(default=None, compare=False)
    #: a topic page's name, aliases and search terms (HTML-escaped), for an engine whose search index
    #: kb completes after the build (Zensical: generator/output/search_index.py)
    search_tags: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, path: str, text: str, head: str = "", prepared: Prepared | None = None,
           search_tags: tuple[str, ...] = ()) -> "OutputFile":
        return cls(path, text.encode("utf-8"), head, prepared, search_tags)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")
