"""Inline citations in Markdown bodies: `[@key]`, `[@key, p. 12]`, `[@a; @b]`.

Pandoc's syntax, so editors who know Pandoc, Quarto or mkdocs-bibtex feel at
home.  Code spans and fenced code blocks are left alone, so documentation
can show the syntax without citing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Keys may hold internal punctuation (Pandoc's rule), e.g. "doi:10.1/x", "a/b.c".
_KEY = r"[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*"
_GROUP = re.compile(r"(?<![!\\])\[([^\[\]\n]*?@" + _KEY + r"[^\[\]\n]*)\](?![(\[])")
_ITEM = re.compile(r"^\s*(?P<prefix>[^@]*?)\s*@(?P<key>" + _KEY + r")\s*(?:,\s*(?P<locator>.*?))?\s*$")
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)


@dataclass(frozen=True)
class CiteItem:
    key: str
    locator: str | None
    prefix: str | None


@dataclass(frozen=True)
class CiteGroup:
    start: int  # offset in the body
    end: int
    line: int  # 0-based line within the body
    items: tuple[CiteItem, ...]


def code_mask(text: str) -> list[tuple[int, int]]:
    """Spans of fenced code blocks and inline code, which citations skip."""
    spans: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None
    start = 0
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, start = m.group("fence"), offset
        elif fence is not None and m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence):
            spans.append((start, offset + len(line)))
            fence = None
        offset += len(line)
    if fence is not None:
        spans.append((start, len(text)))
    for m in _CODE_SPAN.finditer(text):
        spans.append(m.span())
    return spans


def _masked(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _strip_key(key: str) -> str:
    # trailing sentence punctuation is not part of the key: "[@a.]" cites "a"
    return key.rstrip(".:?")


def find_citations(text: str) -> list[CiteGroup]:
    """Every citation group outside code, in order."""
    spans = code_mask(text)
    groups = []
    for m in _GROUP.finditer(text):
        if _masked(m.start(), spans):
            continue
        items = []
        for part in m.group(1).split(";"):
            im = _ITEM.match(part)
            if im is None:
                items = []
                break
            items.append(CiteItem(_strip_key(im.group("key")), im.group("locator") or None,
                                  im.group("prefix") or None))
        if items:
            groups.append(CiteGroup(m.start(), m.end(), text.count("\n", 0, m.start()), tuple(items)))
    return groups
