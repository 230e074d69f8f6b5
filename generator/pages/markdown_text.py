"""Python-Markdown, for what editors wrote (and only that): bodies of claims, entities and free pages.

Generated parts of a page are written as HTML by the templates; only editor text needs a
Markdown converter.  It runs with the site's own extensions (MkDocs' defaults plus
mkdocs.yml's `markdown_extensions`), so a body looks exactly as it did when MkDocs
converted the whole page.  A body's HTML depends only on its resolved text (citations
and links already turned into URLs) and on the extensions, so it is cached by a hash of
both: `kb serve` converts only the bodies an edit changed.

Headings in a body belong to the page's table of contents: they come back as markers
with their (level, id, inner HTML, attributes), and the page gives them their final,
page-unique ids and permalinks (generator/pages/page.py).
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions.toc import slugify, unique

from generator.text.markdown_guard import guard, unguard

#: MkDocs always adds these; mkdocs.yml adds its own on top (see `MarkdownOptions.from_mkdocs`)
DEFAULT_EXTENSIONS: tuple[str, ...] = ("toc", "tables", "fenced_code", "attr_list", "admonition")
#: linear on any text: attributes stop at a `<`, the content at the next heading tag (no rescans to the end)
_HEADING = re.compile(r"<h([1-6])((?:\s[^<>]*)?)>((?:[^<]|<(?!/?h[1-6]))*+)</h\1>")
_ID_ATTR = re.compile(r'\s+id="([^"]*)"')


@dataclass(frozen=True)
class Converted:
    """Editor Markdown as HTML; each heading is replaced by a \\x02n\\x03 marker into *headings*."""

    html: str
    headings: tuple[tuple[int, str, str, str], ...]  # (level, id, inner HTML, other attributes)


@dataclass(frozen=True)
class MarkdownOptions:
    """The Markdown extensions of the site, and the heading permalink text (None: no permalinks)."""

    extensions: tuple[Any, ...] = DEFAULT_EXTENSIONS
    configs: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (("toc", (("permalink", True),)),)

    @property
    def permalink(self) -> str | None:
        toc = dict(dict(self.configs).get("toc", ()))
        value = toc.get("permalink", False)
        if value is True:
            return "¶"
        return str(value) if value else None

    @classmethod
    def from_mkdocs(cls, extensions: list[Any], configs: dict[str, Any]) -> "MarkdownOptions":
        """From MkDocs' resolved config (config.markdown_extensions, config.mdx_configs)."""
        frozen = tuple((name, tuple(sorted((k, _freeze(v)) for k, v in (conf or {}).items())))
                       for name, conf in sorted(configs.items()))
        return cls(tuple(e if isinstance(e, str) else e for e in extensions), frozen)

    def key(self) -> str:
        return repr((tuple(e if isinstance(e, str) else type(e).__name__ for e in self.extensions), self.configs))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value) and value:
        return {k: _thaw(v) for k, v in value}
    return value


def heading_slug(text: str) -> str:
    """The id Python-Markdown's toc extension gives a heading of this plain text."""
    return slugify(text, "-")


def unique_slug(wanted: str, used: set[str]) -> str:
    return unique(wanted, used)


class BodyConverter:
    """One Markdown instance, reused (creating one per body costs more than most bodies' conversion)."""

    def __init__(self, options: MarkdownOptions | None = None, clean: Callable[[str], str] | None = None) -> None:
        self.options = options or MarkdownOptions()
        # the sanitizer, for body headings: they leave the body (which the page sanitizes whole) for the TOC
        self.clean = clean or (lambda text: text)
        configs = {name: {k: _thaw(v) for k, v in conf} for name, conf in self.options.configs}
        configs.setdefault("toc", {})
        configs["toc"] = {**configs["toc"], "permalink": False, "anchorlink": False}
        names = list(dict.fromkeys(list(DEFAULT_EXTENSIONS[:3]) + list(self.options.extensions)))
        self.md = markdown.Markdown(extensions=names, extension_configs=configs)
        self.cache: OrderedDict[str, Converted] = OrderedDict()
        self.lock = threading.Lock()
        self.salt = self.options.key()

    def convert(self, text: str) -> Converted:
        if not text.strip():
            return Converted("", ())
        key = hashlib.sha1((self.salt + "\x00" + text).encode("utf-8", "surrogatepass")).hexdigest()
        with self.lock:
            hit = self.cache.get(key)
            if hit is not None:
                self.cache.move_to_end(key)
                return hit
            self.md.reset()
            out = unguard(self.md.convert(guard(text)))  # guard: linear time on any text (issue 14)
        converted = _split_headings(out, self.clean)
        with self.lock:
            self.cache[key] = converted
            if len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        return converted


#: bodies kept converted; `kb serve` then converts only what an edit changed (30,000 bodies: ~60 MB)
CACHE_SIZE = 30000


def _split_headings(out: str, clean: Callable[[str], str]) -> Converted:
    headings: list[tuple[int, str, str, str]] = []

    def mark(m: re.Match[str]) -> str:
        attrs = m.group(2) or ""
        found = _ID_ATTR.search(attrs)
        id_ = html.unescape(found.group(1)) if found else heading_slug(html.unescape(re.sub(r"<[^<>]*>", "", m.group(3))))
        other = _ID_ATTR.sub("", attrs)
        inner = clean(f"<h{m.group(1)}{other}>{m.group(3)}</h{m.group(1)}>")  # attributes and content
        found_inner = re.fullmatch(r"<h[1-6]((?:\s[^>]*)?)>(.*)</h[1-6]>", inner, re.S)
        other, inner = (found_inner.group(1), found_inner.group(2)) if found_inner else ("", "")
        headings.append((int(m.group(1)), id_, inner, other))
        return f"\x02{len(headings) - 1}\x03"

    text = _HEADING.sub(mark, out) if "<h" in out else out
    return Converted(text + "\n" if text and not text.endswith("\n") else text, tuple(headings))
