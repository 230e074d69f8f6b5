"""Scanning Markdown bodies: inline citations, relative links, code to leave alone.

Citations use Pandoc's syntax (`[@key]`, `[@key, p. 12]`, `[@a; @b]`), so
editors who know Pandoc, Quarto or mkdocs-bibtex feel at home.  Code spans
and fenced code blocks are left alone, so documentation can show the syntax
without citing anything.  The link pattern lives here too, so the check
(`broken-link`) and the renderer (which rewrites links for a page's new
place) always agree on what a link is.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

# Keys may hold internal punctuation (Pandoc's rule), e.g. "doi:10.1/x", "a/b.c".
# Pandoc allows Unicode letters too ("Müller2019"): \w, not A-Za-z.
_KEY = r"\w[\w:.#$%&+?<>~/-]*"
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


@functools.lru_cache(maxsize=8192)  # the checks and the renderer each ask for the same bodies
def code_mask(text: str) -> tuple[tuple[int, int], ...]:
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
    return tuple(spans)


#: a Markdown link or image (the part after its '!'): (1) text and opening, (2) the target,
#: (3) optional title and closing.  Images are checked and moved like links: an editor's image
#: next to a free page must still be found when the page is published one folder up.
MD_LINK = re.compile(r"(\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?)([^)\s>]+)(>?(?:\s+\"[^\"]*\")?\s*\))")
#: targets that are not relative file links: URLs with a scheme, anchors, site-absolute paths
NOT_RELATIVE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#|/")


def in_code(pos: int, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> bool:
    """Whether offset *pos* lies in one of the code *spans* (from `code_mask`)."""
    return any(a <= pos < b for a, b in spans)



def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, non-overlapping (starts, ends) of *spans*, for a bisect lookup."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _strip_key(key: str) -> str:
    # trailing sentence punctuation is not part of the key: "[@a.]" cites "a"
    return key.rstrip(".:?")


def find_citations(text: str) -> list[CiteGroup]:
    """Every citation group outside code, in order."""
    starts, ends = _merged(code_mask(text))
    groups = []
    line, counted = 0, 0  # lines are counted incrementally: one pass, not one per citation
    for m in _GROUP.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < ends[i]:
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
            line += text.count("\n", counted, m.start())
            counted = m.start()
            groups.append(CiteGroup(m.start(), m.end(), line, tuple(items)))
    return groups
