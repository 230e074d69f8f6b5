"""Editor Markdown made safe for Python-Markdown's running time, in one linear pass.

Python-Markdown (3.x) rescans the rest of a paragraph, or of the whole text, from every
`<` that opens a tag, comment, declaration or processing instruction it cannot find the
end of, and from every `[` (and `](`) whose closing bracket it cannot find: 10 KB of
`<a ` took 8 s, 10 KB of `[` more than 20 s (issue 14).  Its output for such a character
is the character itself, as text; so before conversion the ones past a small allowance
are swapped for private-use characters (`MARKERS`) that Python-Markdown passes over as
plain text, and swapped back for what they show after conversion (`unguard`).  Escaping
them as `&lt;` or `\\[` would not do: Python-Markdown rebuilds the paragraph's text for
each entity or escape it meets, which is quadratic again.  Blockquote markers nested past
a depth no text needs are swapped the same way.  (A private-use character an editor
wrote in one of these places shows as the character it stands for.)  Code spans and fenced code are left exactly as written.

Python-Markdown also rebuilds a paragraph's text for every inline match (emphasis, code,
escapes, links, tags, entities) and searches the rest of it for a closing run from every
backtick run it cannot close: 20 KB of "`` `" took 25 s.  So in a paragraph (a blank-line
separated block outside fenced code) the inline markup past `PARAGRAPH_ALLOWANCE`
characters of it is shown as typed, and so are the backticks past `UNMATCHED_TICKS` failed
code-span searches (`_crowded`).

A body with fewer than `ALLOWANCE` such characters of each kind (every normal body) is
returned unchanged, so its page is byte-identical; the allowances keep Python-Markdown's
extra work at most a fixed number of scans of each paragraph, i.e. linear.
"""

from __future__ import annotations

import bisect
import re

#: private-use stand-ins -> what the output shows in their place
MARKERS = {"\ue000": "&lt;", "\ue001": "[", "\ue002": "]", "\ue003": "(", "\ue004": ")", "\ue005": "&gt;",
           "\ue006": "`", "\ue007": "*", "\ue008": "_", "\ue009": "\\", "\ue00a": "&amp;"}
_LT, _OPEN, _CLOSE, _PAREN, _UNPAREN, _GT, _TICK, _STAR, _UNDER, _BACKSLASH, _AMP = MARKERS
#: inline-markup character -> its stand-in, for paragraphs crowded with markup (see `_crowded`)
_PLAIN = {"<": _LT, "[": _OPEN, "]": _CLOSE, "`": _TICK, "*": _STAR, "_": _UNDER, "\\": _BACKSLASH, "&": _AMP}
_UNGUARD = re.compile("[" + "".join(MARKERS) + "]")

from generator.text.citations import code_mask, in_code

#: inline-markup characters one paragraph may hold before the rest of it is shown as plain text
#: (normal prose has a handful; a page of links a few hundred).  Python-Markdown rebuilds a
#: paragraph's text for every inline match, so its work is at most this many passes over it.
PARAGRAPH_ALLOWANCE = 500
#: backticks in runs that no run of the same length closes, per paragraph (each is a rescan of the rest)
UNMATCHED_TICKS = 32
_MARKUP = re.compile(r"`+|[*_\\\[\]<&]")
#: a fenced code block's opening line, as Python-Markdown's fenced_code finds it (column 0)
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,}) *(?:\{[^\r\n]*\}|(?:\.?[\w#.+-]* *)?(?:hl_lines=([\"'])[^\r\n]*?\2 *)?)"
                         r"(?:\r\n?|\n)")
#: a line that can close a fence: the fence and nothing but spaces after it
_FENCE_CLOSE = re.compile(r"(`{3,}|~{3,}) *(?:\r\n?|\n)?")
#: a line and its end; Python-Markdown reads `\r\n` and a lone `\r` as line ends too
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")

#: unterminated openers (and unmatched brackets) of one kind left as written; the rest are escaped
ALLOWANCE = 16
#: brackets nested deeper than this are escaped with their partner (Python-Markdown rescans each level)
MAX_BRACKET_DEPTH = 8
#: blockquote markers on one line beyond this are escaped (each level re-parses the rest of the text)
MAX_QUOTE_DEPTH = 16

_SPECIAL = re.compile(r"\\.|<(?=[A-Za-z/!?])|[\[\]()]", re.S)
#: a start tag Python-Markdown's html.parser also finds the end of; no `<` outside quoted values
_START_TAG = re.compile(r"<[A-Za-z][^\t\n\r\f />`\x00<]*"
                        r"(?:[\s/]+[^\s/>=`<\"'][^\s/=><`]*(?:\s*=+\s*(?:'[^']*'|\"[^\"]*\"|[^`>\s<'\"]+))?)*+"
                        r"[\s/]*>")
_END_TAG = re.compile(r"</[A-Za-z][-.A-Za-z0-9:_]*\s*>")
_QUOTES = re.compile(r"^ {0,3}(?:> ?){%d,}" % (MAX_QUOTE_DEPTH + 1), re.M)


class _Next:
    """The next occurrence of *needle* at or after a position that only grows: one scan of the text in all."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle, self.found = text, needle, -2

    def after(self, pos: int) -> int:
        if self.found == -1 or self.found >= pos:
            return self.found
        self.found = self.text.find(self.needle, pos)
        return self.found


def _end(text: str, i: int, closers: dict[str, _Next]) -> int:
    """Where the tag, comment, declaration or instruction opened by the `<` at *i* ends; -1: it does not."""
    for opener, closer, skip in (("<!--", "-->", 4), ("<![CDATA[", "]]>", 9), ("<!", ">", 2), ("<?", "?>", 2)):
        if text.startswith(opener, i):
            found = closers[closer].after(i + skip)
            return found + len(closer) if found >= 0 else -1
    if text.startswith("</", i):
        if not text[i + 2:i + 3].isalpha():
            return i + 2  # `</` before anything else is text to Python-Markdown
        m = _END_TAG.match(text, i)
    else:
        m = _START_TAG.match(text, i)
    return m.end() if m else -1


def guard(text: str) -> str:
    """*text* with the characters that would make Python-Markdown super-linear escaped (see the module doc)."""
    escape: dict[int, str] = {}
    if "<" in text or "[" in text or ">" in text:
        _unterminated(text, escape)
    _crowded(text, escape)
    if not escape:
        return text
    out, last = [], 0
    for i in sorted(escape):
        out.append(text[last:i])
        out.append(escape[i])
        last = i + 1
    out.append(text[last:])
    return "".join(out)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line, as Python-Markdown splits them (not on form feeds and the like)."""
    return [(m.start(), m.group(0)) for m in _LINE.finditer(text)]


def _fenced(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes of the lines inside (and of) fenced code blocks that have a closing fence.

    An unclosed fence is no code block to Python-Markdown, so it is not skipped either
    (else a stray ```` ``` ```` would exempt the rest of a hostile body from the guard).
    """
    closers: dict[str, list[int]] = {}
    for n, (_, line) in enumerate(lines):
        m = _FENCE_CLOSE.fullmatch(line)
        if m:
            closers.setdefault(m.group(1), []).append(n)
    inside: set[int] = set()
    n = 0
    while n < len(lines):
        m = _FENCE_OPEN.fullmatch(lines[n][1])
        if m:
            later = closers.get(m.group(1), [])
            k = bisect.bisect_right(later, n)
            if k < len(later):
                inside.update(range(n, later[k] + 1))
                n = later[k] + 1
                continue
        n += 1
    return inside


def _crowded(text: str, escape: dict[int, str]) -> None:
    """Stand-ins for the inline markup of a paragraph past `PARAGRAPH_ALLOWANCE` (into *escape*).

    Paragraphs are blank-line separated blocks outside fenced code.  Backtick runs count
    their length; a run that no later run of the same length closes makes Python-Markdown
    search the rest of the paragraph for each length it could have, so past `UNMATCHED_TICKS`
    such backticks they are plain text too.  One pass over the text (and one per paragraph
    over its markup).
    """
    lines = _lines(text)
    fenced = _fenced(lines)
    paragraph: list[tuple[int, str]] = []
    for n, (offset, line) in enumerate(lines):
        if n in fenced or not line.strip(" \t\r\n"):
            _crowded_paragraph(paragraph, text, escape)
            paragraph = []
        else:
            paragraph.extend((offset + m.start(), m.group(0)) for m in _MARKUP.finditer(line))
    _crowded_paragraph(paragraph, text, escape)


def _crowded_paragraph(markup: list[tuple[int, str]], text: str, escape: dict[int, str]) -> None:
    """Stand-ins for markup past the paragraph's allowance, and for backticks that rescan it."""
    count, kept = 0, 0
    for kept, (_, token) in enumerate(markup):
        count += len(token)
        if count > PARAGRAPH_ALLOWANCE:
            break
    else:
        kept = len(markup)
    for i, token in markup[kept:]:
        for j in range(len(token)):
            escape.setdefault(i + j, _PLAIN[token[0]])
    _code_spans([(i, len(token)) for i, token in markup[:kept] if token[0] == "`"], text, escape)


def _code_spans(runs: list[tuple[int, int]], text: str, escape: dict[int, str]) -> None:
    """Backticks past the `UNMATCHED_TICKS`-th costly code-span search of a paragraph made plain.

    Follows Python-Markdown 3.x's `BacktickInlineProcessor.find_code_spans` over the
    paragraph's backtick *runs* (offset, length): from a backtick that no backslash precedes,
    the run's rest opens a span closed by the next run of exactly its length (a search as long
    as the span); failing that, the longest shorter run later on, or nothing, and both
    searches read the rest of the paragraph.  Those are counted; past the allowance every
    backtick from there on is plain text.  Exact closers are looked up (per length, a bisect),
    so this is linear but for at most `UNMATCHED_TICKS` scans of the runs.
    """
    by_length: dict[int, list[int]] = {}
    for k, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(k)
    costly, k, resume = 0, 0, 0
    while k < len(runs):
        start, length = runs[k]
        end = start + length
        if resume >= end:
            k += 1
            continue
        begin = max(resume, start)
        if begin == start and text[start - 1:start] == "\\":
            begin += 1  # an escaped backtick opens nothing; the one after it may
            if begin >= end:
                k += 1
                continue
        ticks = end - begin
        later = by_length.get(ticks, [])
        j = bisect.bisect_right(later, k)
        if j < len(later):  # the exact closer: the span ends after it
            resume = runs[later[j]][0] + ticks
            k = later[j] + 1
            continue
        costly += 1
        if costly > UNMATCHED_TICKS:
            for at, (i, n) in enumerate(runs[k:]):
                for tick in range(begin if at == 0 else i, i + n):
                    escape.setdefault(tick, _TICK)
            return
        longest, fallback = 0, -1
        for m in range(k + 1, len(runs)):
            if longest < runs[m][1] < ticks:
                longest, fallback = runs[m][1], m
        if fallback >= 0:
            resume = runs[fallback][0] + runs[fallback][1]
            k = fallback + 1
        else:
            resume = begin + 2 * ticks  # what Python-Markdown 3.x skips to (it counts the run twice)


def _unterminated(text: str, escape: dict[int, str]) -> None:
    """Stand-ins (into *escape*) for unterminated tags and unmatched brackets past `ALLOWANCE`."""
    spans = code_mask(text)
    closers = {needle: _Next(text, needle) for needle in ("-->", "]]>", ">", "?>")}
    open_tags: list[int] = []
    brackets: list[int] = []  # unmatched `[` so far
    parens: list[tuple[int, bool]] = []  # unmatched `(` so far, and whether each opens a link target
    skip_until = 0
    for m in _SPECIAL.finditer(text):
        char, i = m.group(0)[0], m.start()
        if i < skip_until or char == "\\" or in_code(i, spans):
            continue
        if char == "<":
            end = _end(text, i, closers)
            if end < 0:
                open_tags.append(i)
            else:
                skip_until = end
        elif char == "[":
            brackets.append(i)
        elif char == "]":
            if brackets:
                opener = brackets.pop()
                if len(brackets) >= MAX_BRACKET_DEPTH:
                    escape[opener] = _OPEN
                    escape[i] = _CLOSE
        elif char == "(":
            parens.append((i, text[i - 1:i] == "]"))
        elif parens:
            opener, link = parens.pop()
            if link and len(parens) >= MAX_BRACKET_DEPTH:
                escape[opener] = _PAREN
                escape[i] = _UNPAREN
    for i in open_tags[ALLOWANCE:]:
        escape[i] = _LT
    for i in brackets[ALLOWANCE:]:
        escape[i] = _OPEN
    for i in [i for i, link in parens if link][ALLOWANCE:]:
        escape[i] = _PAREN
    for m in _QUOTES.finditer(text):
        depth = 0
        for j in range(m.start(), m.end()):
            if text[j] == ">":
                depth += 1
                if depth > MAX_QUOTE_DEPTH:
                    escape[j] = _GT


def unterminated_comment(text: str) -> int | None:
    """The 0-based line of the first `<!--` outside code that no `-->` follows, or None (linear)."""
    last_close = text.rfind("-->")
    if "<!--" not in text[max(0, last_close - 3):]:
        return None
    spans = code_mask(text)
    for m in re.compile("<!--").finditer(text, max(0, last_close - 3)):
        if m.start() + 4 > last_close and not in_code(m.start(), spans):
            return text.count("\n", 0, m.start())
    return None


def unguard(html: str) -> str:
    """Python-Markdown's output with the stand-ins of `guard` turned back into what they show."""
    return _UNGUARD.sub(lambda m: MARKERS[m.group(0)], html) if "\ue000" <= max(html, default="") else html
