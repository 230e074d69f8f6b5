"""The text Material's search plugin would index for a section of our HTML, without its HTML parser.

Material feeds every page through `html.parser` to cut it into sections and keep a few
tags (p, code, pre, li, ol, ul, sub, sup) around the text; at 1,000 claims that was a
fifth of the build.  Our sections are cut already (generator/pages/page.py) and their HTML is
our own well-formed output (templates, Python-Markdown, nh3), so a single regular
expression walks it.  The rules below are Material's (material/plugins/search/plugin.py,
class Parser), kept in the same order so that the index stays the same: whitespace
collapsing, dropping kept elements that end up empty, skipping elements marked
`data-search-exclude`, escaping the text again.
"""

from __future__ import annotations

import html
import re

KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))
SKIP = frozenset(("object", "script", "style"))
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"))
#: linear on any text: a tag stops at the next `<`, a comment at the next `<!--` (no rescans to the end)
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>|<!--(?:(?!<!--|-->).)*-->|([^<]+)", re.S)


def search_text(fragment: str) -> str:
    """*fragment* (HTML) reduced to Material's search text (not stripped: the caller strips)."""
    if "<" not in fragment:  # one run of text (most headings): the same rules, without the walk
        data = html.unescape(fragment) if "&" in fragment else fragment
        if not data:
            return ""
        return " " if data.isspace() else html.escape(data.replace("\n", " "), quote=False)
    out: list[str] = []
    solid: list[int] = []  # indices of the pieces in *out* that are not whitespace, ascending
    first: dict[str, int] = {}  # index of the first "<tag>" piece in *out*, per kept tag

    def append(piece: str) -> None:
        if not piece.isspace():
            solid.append(len(out))
        out.append(piece)
    context: list[str] = []
    skipped: list[int] = []  # depths of the skipped elements we are in
    in_pre = 0
    escape, unescape = html.escape, html.unescape
    for closing, tag, attrs, data in _TOKEN.findall(fragment):
        if data:
            if skipped:
                continue
            if "&" in data:
                data = unescape(data)
            if not in_pre:
                data = " " if data.isspace() else data.replace("\n", " ")
            if data.isspace():
                if not out or in_pre or not out[-1].isspace():
                    append(data)
            else:
                append(escape(data, quote=False))
            continue
        if not tag:
            continue  # a comment
        tag = tag.lower()
        if not closing:
            if tag in VOID:
                continue
            context.append(tag)
            if tag == "pre":
                in_pre += 1
            if tag in SKIP or "data-search-exclude" in attrs:
                skipped.append(len(context))
            elif tag in KEEP and not skipped:
                first.setdefault(tag, len(out))
                append(f"<{tag}>")
            continue
        if not context or context[-1] != tag:
            continue
        depth = len(context)
        context.pop()
        if tag == "pre":
            in_pre -= 1
        if skipped:
            if skipped[-1] == depth:
                skipped.pop()
            continue
        if tag in KEEP:
            # Material's rule: an element whose text is only whitespace goes, from its opening tag on
            # (which it finds with list.index: the first one).  Kept as indices, not rescans: linear.
            index = first.get(tag)
            if index is None or solid[-1] > index:
                append(f"</{tag}>")
                continue
            del out[index:]
            while solid and solid[-1] >= index:
                solid.pop()
            for name in [name for name, at in first.items() if at >= index]:
                del first[name]
    return "".join(out)
