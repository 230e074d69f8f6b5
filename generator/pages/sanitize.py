"""Sanitize rendered page HTML with nh3 (Rust's ammonia): the last line of XSS defence.

The allow-list covers what Python-Markdown, its extensions and our templates
produce; anything else (script, event handlers, javascript: URLs, iframes)
is removed, whatever the content said and whichever checks are switched off.

No request leaves the site (README): of the allow-listed attributes only `<img src>`
loads anything (srcset, poster, data, <link>, <style> and url() in style are not
allowed at all), and a `src` on another host (`https://`, `//`, any scheme, or
`http://127.0.0.1`) is dropped; the image keeps its alt text.  `kb check` reports
such an image as `external-resource` (generator/text/resources.py).  Links to other
sites (`<a href>`) stay.
"""

from __future__ import annotations

import html
import re

import nh3

from generator.text.resources import leaves_site

TAGS = set(nh3.ALLOWED_TAGS) | {"input", "label", "button", "svg", "path"} - {"svg", "path"}
GENERIC = {"class", "id", "title", "role", "tabindex", "lang", "dir", "hidden"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": GENERIC | {"href", "hreflang", "rel", "target"},
    "img": GENERIC | {"src", "alt", "width", "height", "loading"},
    "time": GENERIC | {"datetime"},
    "td": GENERIC | {"colspan", "rowspan", "align", "style"},
    "th": GENERIC | {"colspan", "rowspan", "align", "scope", "style"},
    "ol": GENERIC | {"start", "type"},
    "input": GENERIC | {"type", "checked", "disabled", "name"},
    "label": GENERIC | {"for"},
    "details": GENERIC | {"open"},
    "code": GENERIC,
    "button": GENERIC | {"type"},
}


_IMAGE = re.compile(r"<im", re.IGNORECASE)  # <img, and <image (HTML parsers read it as <img>)


def _local_resources_only(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and leaves_site(value):
        return None
    return value


_OPTIONS = dict(
    tags=TAGS,
    attributes=ATTRIBUTES,
    generic_attribute_prefixes={"data-", "aria-"},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
    filter_style_properties={"text-align"},
)
# Built once: building the allow-list costs a quarter of each clean() call (20,000 pages at 10k claims).
_CLEANER = nh3.Cleaner(**_OPTIONS)  # type: ignore[arg-type]
# With images: every attribute passes a Python filter, so only pages that hold an <img> pay for it.
_IMAGE_CLEANER = nh3.Cleaner(**_OPTIONS, attribute_filter=_local_resources_only)  # type: ignore[arg-type]


def sanitize_html(html: str) -> str:
    return (_IMAGE_CLEANER if _IMAGE.search(html) else _CLEANER).clean(html)


def _svg_cleaner() -> nh3.Cleaner:
    from generator.pages.forest import ATTRIBUTES as SVG_ATTRIBUTES, ELEMENTS as SVG_ELEMENTS

    return nh3.Cleaner(tags=set(SVG_ELEMENTS), attributes={k: set(v) for k, v in SVG_ATTRIBUTES.items()},
                       generic_attribute_prefixes=set(), url_schemes=set(), link_rel=None, strip_comments=True)


_SVG_CLEANER: list[nh3.Cleaner] = []


def sanitize_svg(svg: str) -> str:
    """A generated forest plot, cleaned with exactly the elements and attributes generator/pages/forest.py
    writes (no script, no link, no style, no foreign object), whatever reached its text.

    Editors' text never goes through this allow-list: their SVG is refused (`unsafe-html`) and
    removed by `sanitize_html`.  The plot is inserted into the page after the page is sanitized.
    """
    if not _SVG_CLEANER:
        _SVG_CLEANER.append(_svg_cleaner())
    return _SVG_CLEANER[0].clean(svg)


# No tag survives; the content of script and style goes with them.
_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, clean_content_tags={"script", "style"}, url_schemes=set(),
                         link_rel=None, strip_comments=True)
_BLOCK_END = re.compile(r"</(?:[\w-]+:)?(?:p|sec|list-item|li|div|br)\s*>|<(?:[\w-]+:)?br\s*/?>", re.IGNORECASE)
_HEADING_END = re.compile(r"</(?:[\w-]+:)?(?:title|h\d)\s*>", re.IGNORECASE)


#: how many times text from outside may be entity-encoded and still be read (`&amp;amp;` is two)
ENTITY_ROUNDS = 4
#: what is left as a tag if stripping did not settle: its '<' goes (never reached in practice)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def plain_text(markup: str) -> str:
    """Markup (HTML, or the JATS XML of Crossref abstracts) -> plain text, every tag gone.

    For text from outside (a metadata service): whatever it holds, no markup can reach
    references.bib or the site.  Entities are decoded a bounded number of times first, then
    markup is stripped until nothing changes, so text escaped once more than the bound ends
    as harmless characters (`&lt;script&gt;`) and text escaped less ends stripped, never as
    a tag (issue 18, finding 15: four times escaped came out as `<script>`).  Paragraphs and
    headings are kept apart by a space, a heading ends with a colon ("Methods: ...").
    """
    text = markup
    for _round in range(ENTITY_ROUNDS):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    for _round in range(64):  # each round that changes the text removes a tag or decodes a level
        spaced = _HEADING_END.sub(lambda m: ": " + m.group(0), text)
        spaced = _BLOCK_END.sub(lambda m: m.group(0) + " ", spaced)
        cleaned = html.unescape(_TEXT_ONLY.clean(spaced))
        if cleaned == text:
            break
        text = cleaned
    else:
        text = _TAG_START.sub(" ", text)
    return " ".join(text.replace(" :", ":").split())


#: how the renderer wraps a generated forest plot (generator/pages/render.py `_page`)
PLOT_OPEN = '<div class="kb-forest__plot"><svg'
_PLOT_CLOSE = "</svg></div>"


def sanitize_content(html: str) -> str:
    """A page's content area sanitized again (the finishing pass, generator/output/finish.py).

    Like `sanitize_html`, except that each forest plot the renderer wrapped in
    `<div class="kb-forest__plot">` is cleaned with the SVG allow-list instead of
    being removed: whatever an engine did to the page, a plot keeps exactly the
    elements and attributes forest.py writes, and nothing else survives.
    Linear: each plot's end is looked for once, from its start.
    """
    parts: list[str] = []
    plots: list[str] = []
    pos = 0
    while True:
        start = html.find(PLOT_OPEN, pos)
        end = html.find(_PLOT_CLOSE, start) if start != -1 else -1
        if start == -1 or end == -1:
            break
        parts.append(html[pos:start])
        plots.append(html[start + len('<div class="kb-forest__plot">'):end + len("</svg>")])
        pos = end + len(_PLOT_CLOSE)
    parts.append(html[pos:])
    if not plots:
        return sanitize_html(html)
    # each plot leaves a placeholder element the HTML allow-list keeps; should the text have forged
    # one (the count then differs), no plot is put back: safe either way, as a plot only ever
    # becomes what sanitize_svg lets through
    slots = [f'<span data-kb-plot="{n}"></span>' for n in range(len(plots))]
    cleaned = sanitize_html("".join(part + (slots[n] if n < len(plots) else "") for n, part in enumerate(parts)))
    if any(cleaned.count(f'data-kb-plot="{n}"') != 1 for n in range(len(plots))) \
            or cleaned.count("data-kb-plot=") != len(plots):
        return cleaned
    for slot_markup, svg in zip(slots, plots):
        cleaned = cleaned.replace(slot_markup, f'<div class="kb-forest__plot">{sanitize_svg(svg)}</div>', 1)
    return cleaned
