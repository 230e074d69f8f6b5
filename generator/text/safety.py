"""Find script in content before it can reach a page.

This is the editor-facing half of our XSS defence: it names the file and
line of the problem (`unsafe-html`).  The other half sanitizes the rendered
HTML with nh3 in the MkDocs adapter, so even a check that is switched off
cannot let script through.

Linear in the length of the text, like every scanner over content (see
tests/test_scanner_linearity.py): Python's HTMLParser (before 3.13.5) rescans
to the end of the text from every '<' after an unterminated tag, comment or
declaration, so `_Finder.close` drops such a tail as HTML5 does ("EOF in
tag") and searches it with linear patterns instead.
"""

from __future__ import annotations

import bisect
import html
import re
from html.parser import HTMLParser

from generator.text.citations import without_code

DANGEROUS_TAGS = frozenset({"script", "iframe", "object", "embed", "base", "form", "meta", "link", "style",
                            "frame", "frameset", "applet", "svg", "math", "template", "noscript"})
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data",
                       "background", "srcdoc", "codebase"})
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
# Markdown link / image targets, reference definitions and autolinks
# HTML5 ends a comment at "<!-->", "<!--->" and "--!>"; Python's HTMLParser does not, so a
# script hidden behind such a "comment" would run in a browser but be invisible to the finder.
_HTML5_COMMENT_QUIRKS = re.compile(r"<!--->?|--!>")
_SCRIPT_TAG = re.compile(r"<\s*script\b", re.IGNORECASE)
# attr_list: "{: onclick=... }" or "{ href=... }" after a heading, link or paragraph
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
_ATTR_EVENT = re.compile(r"(?:^|\s)(on\w+)\s*=", re.IGNORECASE)
_ATTR_URL = re.compile(r"(?:^|\s)([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
# (a reference label stays on its line; an autolink's scheme has 2-32 characters and its URL no '<')
_MD_TARGETS = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+)|<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>",
                         re.MULTILINE)
# in the unterminated tail: a dangerous tag name, an event-handler attribute, a script URL attribute
_TAIL_TAG = re.compile(r"<\s*(" + "|".join(sorted(DANGEROUS_TAGS)) + r")\b", re.IGNORECASE)
_TAIL_URL = re.compile(r"(?<![\w:-])(" + "|".join(sorted(URL_ATTRS)) + r")\s*=\s*[\"']?([^\"'>]*)", re.IGNORECASE)


class _Lines:
    """0-based line of an offset, by bisect over the newline offsets (no count() per match)."""

    def __init__(self, text: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos)


#: characters no front-matter value or title needs, which YAML escapes ("\x7f", "\u2028") can still put in one:
#: C0 controls but tab and newline, DEL, C1 controls, line and paragraph separators, the byte-order mark,
#: non-characters, lone surrogates and the bidi overrides that display text in another order than it is.
#: Some break the YAML MkDocs reads back from a generated page (which then shows its raw front matter).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                           "\ufeff\ufffe\uffff\ud800-\udfff]")



def bad_url(url: str) -> bool:
    """True for javascript:, vbscript: and data: URLs, however they are obfuscated."""
    cleaned = html.unescape(url)
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", cleaned)
    return bool(_BAD_SCHEME.match(cleaned))


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        if tag in DANGEROUS_TAGS:
            self.found.append((line, f"a <{tag}> element"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, f"an event-handler attribute '{name}' on <{tag}>"))
            elif name in URL_ATTRS and value and bad_url(value):
                self.found.append((line, f"a '{value.split(':')[0].strip()}:' URL in {name}= on <{tag}>"))
            elif name == "style" and value and re.search(r"expression\s*\(|url\s*\(\s*['\"]?\s*javascript:", value, re.I):
                self.found.append((line, f"script in a style attribute on <{tag}>"))

    handle_startendtag = handle_starttag

    def close(self) -> None:
        """End of text: an unterminated tag is dropped (HTML5), but searched for script first."""
        tail, self.rawdata = self.rawdata, ""
        if tail.startswith("<"):
            first, lines = self.getpos()[0] - 1, _Lines(tail)
            for m in _TAIL_TAG.finditer(tail):
                self.found.append((first + lines(m.start()), f"a <{m.group(1).lower()}> element"))
            for m in _ATTR_EVENT.finditer(tail):
                self.found.append((first + lines(m.start()),
                                   f"an event-handler attribute '{m.group(1).lower()}' in an unclosed tag"))
            for m in _TAIL_URL.finditer(tail):
                if bad_url(m.group(2)):
                    self.found.append((first + lines(m.start()), f"a '{m.group(2).split(':')[0].strip()}:' URL in "
                                       f"{m.group(1).lower()}= in an unclosed tag"))
        else:
            self.rawdata = tail
        super().close()


def unsafe_html(text: str) -> list[tuple[int, str]]:
    """(0-based line, what) for every unsafe construct outside code blocks."""
    if "<" not in text and "{" not in text and "](" not in text and "]:" not in text:
        return []  # nothing that could be a tag, an attribute list, a link or a URL: the common case
    visible = without_code(text)  # code blanked out, line numbers kept
    line_of = _Lines(visible)
    found: list[tuple[int, str]] = []
    if "<" in visible:  # tags (and so script, handlers, URL attributes) need a '<'
        finder = _Finder()
        try:
            finder.feed(_HTML5_COMMENT_QUIRKS.sub(lambda m: "<!---->" if m.group(0).startswith("<") else "-->",
                                                  visible))
            finder.close()
        except Exception:  # HTMLParser is lenient; be safe if it is not
            finder.found.append((0, "HTML that cannot be parsed"))
        found.extend(finder.found)
        for m in _SCRIPT_TAG.finditer(visible):  # also inside comments and broken markup
            found.append((line_of(m.start()), "a <script> element"))
    for m in _ATTR_LIST.finditer(visible):
        line = line_of(m.start())
        for ev in _ATTR_EVENT.finditer(m.group(1)):
            found.append((line, f"an event-handler attribute '{ev.group(1).lower()}' in an attribute list"))
        for am in _ATTR_URL.finditer(m.group(1)):
            name, value = am.group(1).lower(), next((g for g in am.groups()[1:] if g is not None), "")
            if name in URL_ATTRS and bad_url(value):
                found.append((line, f"a '{value.split(':')[0].strip()}:' URL in {name}= in an attribute list"))
    for m in _MD_TARGETS.finditer(visible):
        url = next(g for g in m.groups() if g is not None) if any(m.groups()) else ""
        if url and bad_url(url):
            found.append((line_of(m.start()), f"a link to a '{url.split(':')[0]}:' URL"))
    return sorted(set(found))
