"""Editor-written Markdown, made ready for conversion: citations resolved, links pointed at URLs.

A body is written where the editor keeps it (content/claims/x.md) and shown on a page
elsewhere (claims/x/); `[@key]` becomes a link to the source's page, and a relative link
(or image) to another content file becomes the relative URL of that file's page, or of
the image or PDF.  Code spans and blocks are left exactly as written.  The result goes to generator/pages/markdown_text.py.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet

from generator.text.citations import MD_LINK, NOT_RELATIVE, code_mask, find_citations, in_code

# letters, digits, single spaces and punctuation that neither HTML nor Markdown treats specially
_PLAIN = re.compile(r"(?:[^\W_]|[,.;:?-]| (?! ))*")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")

#: (here, key, locator, stance) -> the citation as a Markdown link, or None for an unknown key
CiteLink = Callable[[str, str, "str | None", "str | None"], "str | None"]
#: (here, target path, fragment) -> relative URL
Url = Callable[[str, str, "str | None"], str]


def md_text(value: object) -> str:
    """Plain text -> safe inline Markdown (HTML-escaped, Markdown syntax neutralized); for bodies' citations."""
    text = "" if value is None else str(value)
    if _PLAIN.fullmatch(text):  # most labels: nothing to escape
        return text
    return _MD_SPECIAL.sub(r"\\\1", html.escape(re.sub(r"\s+", " ", text), quote=True))


def content_to_output(path: str) -> str | None:
    """content/claims/x.md -> claims/x.md; content/pages/x.md -> x.md."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "content":
        return None
    if parts[1] == "pages":
        return parts[2]
    return f"{parts[1]}/{parts[2]}"


def resolve_body(body: str, content_path: str, here: str, cited: list[str], stances: dict[str, str] | None,
                 cite_link: CiteLink, url: Url, assets: AbstractSet[str] = frozenset()) -> str:
    """Resolve [@key] citations (adding their keys to *cited*) and point relative links at URLs.

    Links and images to the editors' images and PDFs (*assets*, 'content/...' paths) point at
    the file where it is published (content/media/x.png -> media/x.png), so an image next to a
    free page is still found when the page is published one folder up.
    """
    pieces: list[str] = []
    ours: list[int] = []  # where resolved citations start in the new text: their links are final
    last = size = 0
    for group in find_citations(body):
        pieces.append(body[last:group.start])
        size += group.start - last
        cites = []
        for item in group.items:
            link = cite_link(here, item.key, item.locator, (stances or {}).get(item.key))
            if link is None:
                cites.append(md_text(f"@{item.key}"))
                continue
            if item.key not in cited:
                cited.append(item.key)
            prefix = (md_text(item.prefix) + " ") if item.prefix else ""
            cites.append(prefix + link)
        resolved = "(" + "; ".join(cites) + ")"
        ours.append(size)
        pieces.append(resolved)
        size += len(resolved)
        ours.append(size)
        last = group.end
    pieces.append(body[last:])
    text = "".join(pieces)
    if "](" not in text:
        return text
    spans = code_mask(text)  # offsets moved when citations were resolved: mask the new text
    spans += tuple((ours[i], ours[i + 1]) for i in range(0, len(ours), 2))

    def relink(m: re.Match[str]) -> str:
        target = m.group(2)
        if NOT_RELATIVE.match(target) or in_code(m.start(), spans):
            return m.group(0)
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(content_path), path))
        out = resolved.removeprefix("content/") if resolved in assets else content_to_output(resolved)
        if out is None:
            return m.group(0)
        return f"{m.group(1)}{url(here, out, fragment or None)}{m.group(3)}"

    return MD_LINK.sub(relink, text)
