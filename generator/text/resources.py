"""Find what a body would load from another host: the editor-facing half of "no request leaves the site".

The README promises that reading the site sends no request elsewhere.  The sanitizer
(generator/pages/sanitize.py) drops every `src` on another host whatever the checks say; this
scanner names the file and line first (`external-resource`), so an editor learns that the image
will not show and can copy it into content/ instead.  Found: Markdown images (inline and
reference-style), `src`, `srcset`, `poster`, `data`, `background` and the like on any HTML tag,
`href` on anything but a link (`<link>`, `<image>`), `url()` and `@import` in a style, and such
attributes in an attribute list.  A link to another site (`[text](https://...)`, `<a href>`) is
not a resource and stays.

Linear in the length of the text, like every scanner over content: an unterminated tag at the
end is searched with a linear pattern, never handed to HTMLParser (which rescans it).
"""

from __future__ import annotations

import bisect
import html
import re
from html.parser import HTMLParser

from generator.text.anchors import MD_ANGLE_LINK
from generator.text.citations import MD_LINK, without_code

__all__ = ["external_resources", "leaves_site"]

#: a URL that leaves the site: a scheme, or a host (`//`, and `\\` or `/\` which browsers read as `//`)
_OTHER_HOST = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2}")
#: what browsers drop from a URL before reading it: tabs and newlines anywhere, controls and spaces in front
_URL_NOISE = re.compile(r"[\t\n\r]+")
_LEADING = "".join(map(chr, range(0x21)))


def leaves_site(url: str) -> bool:
    """True for a URL that makes the browser ask another host (absolute, protocol-relative, any scheme)."""
    return bool(_OTHER_HOST.match(_URL_NOISE.sub("", url).lstrip(_LEADING)))


#: attributes whose URL the browser loads by itself
RESOURCE_ATTRS = frozenset({"src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc", "dynsrc",
                            "xlink:href", "codebase", "archive", "manifest", "icon"})
#: tags whose href is a link the reader follows, not a resource
LINK_TAGS = frozenset({"a", "area"})
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]*)|@import\s+['\"]([^'\"]*)", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
_ATTR = re.compile(r"(?:^|\s)([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
_TAIL_ATTR = re.compile(r"(?<![\w:-])(" + "|".join(sorted(RESOURCE_ATTRS)) + r")\s*=\s*[\"']?([^\"'\s>]*)",
                        re.IGNORECASE)
#: `![alt][label]`, `![label][]`, `![label]`: an image by reference (the label's definition holds the URL)
_IMAGE_REF = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)", re.MULTILINE)


def _urls(name: str, value: str) -> list[str]:
    if name in ("srcset", "imagesrcset"):
        return [part.split()[0] for part in value.split(",") if part.split()]
    if name == "style":
        return [a or b for a, b in _CSS_URL.findall(value)]
    return [value]


def _resource(tag: str, name: str) -> bool:
    return name in RESOURCE_ATTRS or name == "style" or (name == "href" and tag not in LINK_TAGS)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        self.in_style = tag == "style"
        for name, value in attrs:
            if value and _resource(tag, name):
                for url in _urls(name, value):
                    if leaves_site(url):
                        self.found.append((line, f"{url} ({name}= on <{tag}>)"))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self.in_style:
            for url in _urls("style", data):
                if leaves_site(url):
                    self.found.append((self.getpos()[0] - 1, f"{url} (in a <style> element)"))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def close(self) -> None:
        """End of text: an unterminated tag is dropped (HTML5), but searched first (linearly)."""
        tail, self.rawdata = self.rawdata, ""
        if tail.startswith("<"):
            first = self.getpos()[0] - 1
            for m in _TAIL_ATTR.finditer(tail):
                if leaves_site(m.group(2)):
                    self.found.append((first + tail.count("\n", 0, m.start()),
                                       f"{m.group(2)} ({m.group(1).lower()}= in an unclosed tag)"))
        else:
            self.rawdata = tail
        super().close()


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def external_resources(text: str) -> list[tuple[int, str]]:
    """(0-based line, what) for everything outside code that the page would load from another host."""
    if "//" not in text and ":" not in text and "\\" not in text and "&" not in text:
        return []  # no URL could leave the site: the common case
    visible = without_code(text)  # code blanked out, offsets and line numbers kept
    newlines = [m.start() for m in re.finditer("\n", visible)]

    def line_of(pos: int) -> int:
        return bisect.bisect_left(newlines, pos)

    found: list[tuple[int, str]] = []
    inline = list(MD_LINK.finditer(visible)) + (list(MD_ANGLE_LINK.finditer(visible)) if "<" in visible else [])
    for m in inline:  # `![p](url)`, and `![p](<url with a space>)` which MD_LINK does not take
        if m.start() > 0 and visible[m.start() - 1] == "!" and leaves_site(html.unescape(m.group(2))):
            found.append((line_of(m.start()), f"the image {m.group(2)}"))
    definitions: dict[str, str] = {}
    for m in _DEFINITION.finditer(visible):
        definitions.setdefault(_label(m.group(1)), m.group(2))
    if definitions:
        for m in _IMAGE_REF.finditer(visible):
            if visible.startswith("(", m.end()):
                continue  # an inline image, seen above
            label = _label(m.group(2) or m.group(1))
            url = definitions.get(label)
            if url and leaves_site(html.unescape(url)):
                found.append((line_of(m.start()), f"the image [{m.group(2) or m.group(1)}] ({url})"))
    if "<" in visible:
        finder = _Finder()
        try:
            finder.feed(visible)
            finder.close()
        except Exception:  # HTMLParser is lenient; unsafe-html reports what it cannot parse
            pass
        found.extend(finder.found)
    for m in _ATTR_LIST.finditer(visible):
        for am in _ATTR.finditer(m.group(1)):
            name = am.group(1).lower()
            value = next((g for g in am.groups()[1:] if g is not None), "")
            if _resource("", name) and name != "href" and any(leaves_site(u) for u in _urls(name, value)):
                found.append((line_of(m.start()), f"{value} ({name}= in an attribute list)"))
    return sorted(set(found))
