"""Scanning Markdown bodies: inline citations, relative links, code to leave alone.

Citations use Pandoc's syntax (`[@key]`, `[@key, p. 12]`, `[@a; @b]`), so
editors who know Pandoc, Quarto or mkdocs-bibtex feel at home.  Code spans
and fenced code blocks are left alone, so documentation can show the syntax
without citing anything.  The link pattern lives here too, so the check
(`broken-link`) and the renderer (which rewrites links for a page's new
place) always agree on what a link is.

Every scanner here is linear in the length of the text (a pull request can
carry any text; tests/test_scanner_linearity.py feeds each 100 KB of its worst
pattern): code spans are matched by one pass over the backtick runs instead of
a backtracking regex, a citation group is found by a bracket pattern that
cannot backtrack and then split by plain string operations, and the link
pattern cannot scan past the next `](` or rescan nested brackets.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

# Keys may hold internal punctuation (Pandoc's rule), e.g. "doi:10.1/x", "a/b.c".
# Pandoc allows Unicode letters too ("Müller2019"): \w, not A-Za-z.
_KEY = r"\w[\w:.#$%&+?<>~/-]*"
_KEY_AT = re.compile(_KEY)
#: a bracketed group on one line, not an image or a link: each '[' scans only to the next bracket
_BRACKETS = re.compile(r"(?<![!\\])\[([^\[\]\n]*)\](?![(\[])")
_CITES = re.compile(r"@\w")
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


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


class CodeSpans(tuple):  # type: ignore[type-arg]
    """The (start, end) spans of `code_mask`, with a bisect lookup built once (see `in_code`)."""

    _lookup: tuple[list[int], list[int]] | None = None

    def lookup(self) -> tuple[list[int], list[int]]:
        if self._lookup is None:
            self._lookup = _merged(list(self))
        return self._lookup


def code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code spans, as Python-Markdown finds them, in one pass over the backtick runs.

    An opening run of n backticks is closed by the next run of exactly the
    largest length m <= n that occurs later (the opener gives up backticks
    from its start); a run with no such closer is plain text.  The regex this
    replaces, (`+).+?\1, took minutes on 25,000 backticks.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(index)
    cursor = dict.fromkeys(by_length, 0)  # per length: first run index not yet passed
    spans = []
    i = 0
    while i < len(runs):
        a, b = runs[i]
        closer = None
        for n in range(b - a, 0, -1):  # at most the run's own length: linear in all
            found = by_length.get(n)
            if not found:
                continue
            k = cursor[n]
            while k < len(found) and found[k] <= i:
                k += 1
            cursor[n] = k
            if k < len(found):
                closer = found[k]
                break
        if closer is None:
            i += 1
            continue
        spans.append((a, runs[closer][1]))  # the opener starts the span whatever backticks it gave up
        i = closer + 1
    return spans


@functools.lru_cache(maxsize=8192)  # the checks and the renderer each ask for the same bodies
def code_mask(text: str) -> CodeSpans:
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
    spans.extend(code_spans(text))
    return CodeSpans(spans)


#: a Markdown link or image (the part after its '!'): (1) text and opening, (2) the target, (3) optional
#: title and closing.  Images are checked and moved like links: an editor's image next to a free page
#: must still be found when the page is published one folder up.  Linear: the text holds brackets one
#: level deep, the target stops at a `](` (where the next link begins).
MD_LINK = re.compile(r"(\[(?:[^\[\]]|\[[^\[\]]*\])*+\]\(\s*<?)((?:[^)\s>\]]|\](?!\())++)"
                     r"(>?(?:\s+\"[^\"]*\")?\s*\))")
#: targets that are not relative file links: URLs with a scheme, anchors, site-absolute paths
NOT_RELATIVE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#|/")


_NOT_NEWLINE = re.compile(r"[^\n]")


def without_code(text: str) -> str:
    """*text* with its code blanked out, offsets and line numbers kept: what is in code is not markup."""
    parts: list[str] = []
    last = 0
    for a, b in sorted(code_mask(text)):
        a = max(a, last)
        if b <= a:
            continue
        parts.append(text[last:a])
        parts.append(_NOT_NEWLINE.sub(" ", text[a:b]))
        last = b
    parts.append(text[last:])
    return "".join(parts)


def in_code(pos: int, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> bool:
    """Whether offset *pos* lies in one of the code *spans* (from `code_mask`: a bisect, not a scan)."""
    if isinstance(spans, CodeSpans):
        starts, ends = spans.lookup()
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < ends[i]
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


def _item(part: str) -> CiteItem | None:
    """One `prefix @key, locator` item of a group, or None when *part* is not one (string operations only)."""
    at = part.find("@")
    if at < 0:
        return None
    key = _KEY_AT.match(part, at + 1)
    if key is None:
        return None
    rest = part[key.end():].strip()
    if rest and not rest.startswith(","):
        return None
    return CiteItem(_strip_key(key.group(0)), rest[1:].strip() or None, part[:at].strip() or None)


def find_citations(text: str) -> list[CiteGroup]:
    """Every citation group outside code, in order."""
    spans = code_mask(text)
    groups = []
    line, counted = 0, 0  # lines are counted incrementally: one pass, not one per citation
    for m in _BRACKETS.finditer(text):
        if not _CITES.search(m.group(1)) or in_code(m.start(), spans):
            continue
        items = []
        for part in m.group(1).split(";"):
            item = _item(part)
            if item is None:
                items = []
                break
            items.append(item)
        if items:
            line += text.count("\n", counted, m.start())
            counted = m.start()
            groups.append(CiteGroup(m.start(), m.end(), line, tuple(items)))
    return groups
