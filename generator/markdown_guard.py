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

A body with fewer than `ALLOWANCE` such characters of each kind (every normal body) is
returned unchanged, so its page is byte-identical; the allowance keeps Python-Markdown's
extra work at most `ALLOWANCE` scans of the body, i.e. linear.
"""

from __future__ import annotations

import re

#: private-use stand-ins -> what the output shows in their place
MARKERS = {"\ue000": "&lt;", "\ue001": "[", "\ue002": "]", "\ue003": "(", "\ue004": ")", "\ue005": "&gt;"}
_LT, _OPEN, _CLOSE, _PAREN, _UNPAREN, _GT = MARKERS
_UNGUARD = re.compile("[" + "".join(MARKERS) + "]")

from generator.citations import code_mask, in_code

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
    if "<" not in text and "[" not in text and ">" not in text:
        return text
    spans = code_mask(text)
    closers = {needle: _Next(text, needle) for needle in ("-->", "]]>", ">", "?>")}
    open_tags: list[int] = []
    brackets: list[int] = []  # unmatched `[` so far
    parens: list[tuple[int, bool]] = []  # unmatched `(` so far, and whether each opens a link target
    escape: dict[int, str] = {}
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
    if not escape:
        return text
    out, last = [], 0
    for i in sorted(escape):
        out.append(text[last:i])
        out.append(escape[i])
        last = i + 1
    out.append(text[last:])
    return "".join(out)


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
