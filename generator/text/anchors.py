"""The anchors a body gives its page, and the link destinations it writes, read from the Markdown source.

`kb check` must tell a link to `#heading` that no heading produces (issue 18, finding 18) without
rendering the site, so the ids are read from the source: headings (ATX `#` and setext), explicit
`{#id}` attribute lists, and HTML `id=`/`name=` attributes.  A heading's id is what Python-Markdown's
toc extension makes of its text: `toc_slug` follows `markdown.extensions.toc.slugify` step for step
(the library lives in generator/pages/markdown_text.py, a later stage; tests/test_links.py compares
the two on a corpus so they cannot drift apart).  Inline markup is stripped from a heading's text
first, as the renderer strips the tags of the heading's HTML.

Linear in the length of the text, like every scanner over content: line-anchored patterns only.
"""

from __future__ import annotations

import html
import re
import unicodedata

from generator.text.citations import without_code

__all__ = ["MD_ANGLE_LINK", "body_anchors", "toc_slug"]

#: a link or image whose destination is in angle brackets (`[a](<b c.md>)`): it may hold a space, which
#: MD_LINK's destination cannot (callers take those; the rest MD_LINK finds): (1) text and opening,
#: (2) the target, (3) closing.
MD_ANGLE_LINK = re.compile(r"(\[(?:[^\[\]]|\[[^\[\]]*\])*+\]\(\s*<)([^<>\n]*)(>(?:\s+\"[^\"]*\")?\s*\))")

_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_SETEXT = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*([^{}\n]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([\w.:-]+)")
_HTML_ID = re.compile(r"\s(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", re.IGNORECASE)
_INLINE_LINK = re.compile(r"!?\[([^\[\]\n]*)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])?")
_TAG = re.compile(r"<[^<>\n]*>")
_EMPHASIS = re.compile(r"[*`~]+|(?<!\w)_+|_+(?!\w)")


def toc_slug(text: str) -> str:
    """The id Python-Markdown's toc extension gives a heading whose text (tags stripped) is *text*."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def _heading_id(raw: str) -> str | None:
    attrs = _ATTR_LIST.search(raw)
    if attrs:
        explicit = _ATTR_ID.search(attrs.group(1))
        if explicit:
            return explicit.group(1)
        raw = raw[:attrs.start()]
    text = _INLINE_LINK.sub(lambda m: m.group(1), raw)
    text = _EMPHASIS.sub("", _TAG.sub("", text))
    return toc_slug(html.unescape(text)) or None


def _visible(text: str) -> str:
    """*text* with code blanked out (line numbers kept): a heading or id in code is not one."""
    return without_code(text)


def body_anchors(text: str) -> set[str]:
    """Every id a body gives its page: headings' ids, `{#id}` and HTML `id=`/`name=` (code left out)."""
    visible = _visible(text)
    found: set[str] = set()
    for pattern in (_ATX, _SETEXT):  # found where code is blanked; the text read as written (inline code too)
        for m in pattern.finditer(visible):
            made = _heading_id(text[m.start(1):m.end(1)] if m.group(1) is not None else "")
            if made:
                found.add(made)
    for m in re.finditer(r"\{:?[^{}\n]*\}", visible):
        found.update(a.group(1) for a in _ATTR_ID.finditer(m.group(0)[1:-1].lstrip(":")))
    if "<" in visible:
        for m in _HTML_ID.finditer(visible):
            found.add(html.unescape(next(g for g in m.groups() if g is not None)))
    return found
