"""A generated page as data: its headings (the table of contents), its HTML, its search entries.

Templates write HTML and call `PageBuilder.heading()` for every heading; the builder
gives each heading a unique id (the slug Python-Markdown's `toc` would give it) and
leaves a marker where it stands.  `PageBuilder.finish()` cuts the text at the markers
into sections, so that one rendering yields every form an engine needs:

* `RenderedPage.html()`: the page body as MkDocs would have converted it (headings with
  their permalinks), handed to MkDocs without running Python-Markdown over it;
* `RenderedPage.toc_tokens()`: the table of contents, nested like Python-Markdown's;
* `RenderedPage.search_entries()`: Material's search entries (title, text, anchor, tags),
  without the sections marked `data-search-exclude`; a topic page's own entry carries its
  name and aliases as tags, a field Material's search weighs far above titles and text,
  so the words readers use for a topic find its page before the claims that mention them;
* `RenderedPage.markdown()`: a Markdown file for any MkDocs-compatible engine
  (`--pages-only`, Zensical): Markdown headings with fixed ids, so the engine builds the
  same table of contents and anchors, and the sections as raw HTML blocks that
  Markdown passes through untouched.
"""

from __future__ import annotations

import html as _html
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.pages.markdown_text import Converted, heading_slug, unique_slug
from generator.pages.search_text import search_text

#: A heading's place in the rendered text.  Text from content, the bibliography or settings can hold
#: any character (a bib title with the bytes \x02999\x03 crashed the build: issue 18, finding 9), so the
#: marker carries a random token of this process: no text kb reads can know it, and it never reaches a
#: page (finish() cuts the text at the markers), so the output stays the same from run to run.
_TOKEN = secrets.token_hex(8)
_MARKER = re.compile(f"\x02kb{_TOKEN}:(\\d+)\x03")
#: the markers of converted bodies (generator/pages/markdown_text.py): Python-Markdown removes \x02 and
#: \x03 from what it reads, so only its own markers are left; out of range or malformed ones are text
_BODY_MARKER = re.compile("\x02(\\d+)\x03")
_STRAY = re.compile("[\x02\x03]")
_TAGS = re.compile(r"<[^<>]*>")  # stops at the next `<`: linear on any text
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")

#: around the page text in the Markdown form (see generator/output/finish.py)
CONTENT_BEGIN = "<!-- kb:content -->"
CONTENT_END = "<!-- /kb:content -->"


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    inner: str  # the heading's content as HTML (escaped text, maybe a link)
    md: str  # the same content as inline Markdown, for the .md form
    attrs: str = ""  # further attributes, e.g. ' data-search-exclude=""'

    @property
    def excluded(self) -> bool:
        return "data-search-exclude" in self.attrs

    @property
    def name(self) -> str:
        """The heading as the table of contents shows it (HTML, without tags)."""
        return _TAGS.sub("", self.inner)


@dataclass(frozen=True)
class RenderedPage:
    """Front matter values plus (heading, HTML) sections; the first section may have no heading."""

    meta: tuple[tuple[str, str], ...]
    sections: tuple[tuple[Heading | None, str], ...]
    search_tags: tuple[str, ...] = ()  # the page's own entry only (see the module docstring)

    def html(self, permalink: str | None = "¶") -> str:
        out = []
        for heading, body in self.sections:
            if heading is not None:
                link = (f'<a class="headerlink" href="#{heading.id}" title="Permanent link">{permalink}</a>'
                        if permalink else "")
                out.append(f'<h{heading.level}{heading.attrs} id="{heading.id}">{heading.inner}{link}'
                           f"</h{heading.level}>\n")
            out.append(body)
        return "".join(out).rstrip("\n")

    def toc_tokens(self) -> list[dict[str, Any]]:
        """Nested like Python-Markdown's toc_tokens: level, id, name, children."""
        root: list[dict[str, Any]] = []
        stack: list[dict[str, Any]] = []
        for heading, _ in self.sections:
            if heading is None:
                continue
            token = {"level": heading.level, "id": heading.id, "name": heading.name, "children": []}
            while stack and stack[-1]["level"] >= heading.level:
                stack.pop()
            (stack[-1]["children"] if stack else root).append(token)
            stack.append(token)
        return root

    def anchors(self) -> set[str]:
        ids = {h.id for h, _ in self.sections if h is not None}
        ids.update(m for _, body in self.sections for m in re.findall(r'\sid="([^"]+)"', body))
        return ids

    def search_entries(self) -> list[tuple[str | None, str, str, tuple[str, ...]]]:
        """(anchor or None for the page itself, title, text, tags), the way Material's search plugin indexes HTML."""
        entries: list[tuple[str | None, str, str, tuple[str, ...]]] = []
        for index, (heading, body) in enumerate(self.sections):
            if heading is not None and heading.excluded:
                continue
            if heading is None and not body.strip():
                continue
            title = search_text(heading.inner).strip() if heading is not None else ""
            first = not entries and (heading is None or heading.level == 1) and index == 0
            entries.append((None if first else (heading.id if heading else None), title, search_text(body).strip(),
                            self.search_tags if not entries else ()))
        return entries

    def markdown(self) -> str:
        # The content markers let the finishing pass (generator/output/finish.py) find, in any engine's
        # HTML, the part this page produced: it sanitizes exactly that part again.  Comments,
        # because nh3 strips every comment from sanitized text: content cannot forge them.
        lines = ["---"] + [f"{k}: {v}" for k, v in self.meta] + ["---", "", CONTENT_BEGIN, ""]
        for heading, body in self.sections:
            if heading is not None:
                attrs = f"#{heading.id}" + (" data-search-exclude" if heading.excluded else "")
                lines.append(f"{'#' * heading.level} {heading.md} {{ {attrs} }}")
                lines.append("")
            if body.strip():
                lines.append(body.strip("\n"))
                lines.append("")
        lines.append(CONTENT_END)
        return "\n".join(lines).rstrip("\n") + "\n"


def md_inline(text: str) -> str:
    """Plain text -> inline Markdown that shows exactly that text (HTML-escaped, syntax neutralized)."""
    return _MD_SPECIAL.sub(r"\\\1", _html.escape(" ".join(text.split()), quote=True))


@dataclass
class PageBuilder:
    """Collects a page's headings while a template renders it (see the module docstring)."""

    headings: list[Heading] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def _add(self, heading: Heading) -> Markup:
        self.headings.append(heading)
        self.used.add(heading.id)
        return Markup(f"\n\x02kb{_TOKEN}:{len(self.headings) - 1}\x03\n")

    def heading(self, level: int, text: str, id: str | None = None, href: str | None = None,
                exclude: bool = False) -> Markup:
        """A heading of plain *text*, optionally a link to *href*; *id* as given or slugified."""
        wanted = id or heading_slug(text)
        slug = unique_slug(wanted, self.used)
        escaped = _html.escape(text, quote=False)
        inner = f'<a href="{_html.escape(href)}">{escaped}</a>' if href else escaped
        md = f'<a href="{_html.escape(href)}">{md_inline(text)}</a>' if href else md_inline(text)
        return self._add(Heading(level, slug, inner, md, ' data-search-exclude=""' if exclude else ""))

    def body(self, converted: Converted) -> Markup:
        """Editor-written Markdown, converted: its headings join the page's table of contents."""
        if not converted.headings:
            return Markup(converted.html)
        def heading(m: re.Match[str]) -> str:
            index = int(m.group(1))
            if index >= len(converted.headings):
                return ""
            level, id_, inner, attrs = converted.headings[index]
            slug = unique_slug(id_, self.used)
            md = md_inline(_html.unescape(_TAGS.sub("", inner)))
            return str(self._add(Heading(level, slug, inner, md, attrs)))

        return Markup(_BODY_MARKER.sub(heading, converted.html))

    def finish(self, text: str, meta: list[tuple[str, str]], search_tags: tuple[str, ...] = ()) -> RenderedPage:
        """Cut *text* at the heading markers into sections; *search_tags* go into the page's own search entry.

        Headings made by `heading()` hold escaped text only; headings from bodies were
        sanitized with the body (generator/pages/markdown_text.py).
        """
        parts = _MARKER.split(text)
        if "\x02" in text or "\x03" in text:  # marker bytes that are no marker of ours: never on a page
            parts = [part if i % 2 else _STRAY.sub("", part) for i, part in enumerate(parts)]
        sections: list[tuple[Heading | None, str]] = []
        first = _tidy_block(parts[0])
        if first:
            sections.append((None, first))
        for i in range(1, len(parts), 2):
            sections.append((self.headings[int(parts[i])], _tidy_block(parts[i + 1])))
        return RenderedPage(tuple(meta), tuple(sections), tuple(search_tags))


#: linear on any text: a block stops at the next pre tag instead of rescanning to the end
_PRE = re.compile(r"<pre\b(?:[^<]|<(?!/?pre\b))*+</pre>")


def _tidy_block(text: str) -> str:
    """No blank lines between blocks (as Python-Markdown joins them); code in <pre> is left exactly as is."""
    out, last = [], 0
    for m in _PRE.finditer(text):
        out.append(re.sub(r"\n\s*\n", "\n", text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(re.sub(r"\n\s*\n", "\n", text[last:]))
    joined = "".join(out).strip("\n")
    return joined + "\n" if joined.strip() else ""
