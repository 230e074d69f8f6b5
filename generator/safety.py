"""Find script in content before it can reach a page.

This is the editor-facing half of our XSS defence: it names the file and
line of the problem (`unsafe-html`).  The other half sanitizes the rendered
HTML with nh3 in the MkDocs adapter, so even a check that is switched off
cannot let script through.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from generator.citations import code_mask

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
_MD_TARGETS = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>",
                         re.MULTILINE)


#: characters no front-matter value or title needs, which YAML escapes ("\x7f", "\u2028") can still put in one:
#: C0 controls but tab and newline, DEL, C1 controls, line and paragraph separators, the byte-order mark,
#: non-characters, lone surrogates and the bidi overrides that display text in another order than it is.
#: Some break the YAML MkDocs reads back from a generated page (which then shows its raw front matter).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                           "\ufeff\ufffe\uffff\ud800-\udfff]")

_NOT_NEWLINE = re.compile(r"[^\n]")


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


def unsafe_html(text: str) -> list[tuple[int, str]]:
    """(0-based line, what) for every unsafe construct outside code blocks."""
    if "<" not in text and "{" not in text and "](" not in text and "]:" not in text:
        return []  # nothing that could be a tag, an attribute list, a link or a URL: the common case
    parts: list[str] = []
    last = 0
    for a, b in sorted(code_mask(text)):  # blank out code, keeping line numbers
        a = max(a, last)
        if b <= a:
            continue
        parts.append(text[last:a])
        parts.append(_NOT_NEWLINE.sub(" ", text[a:b]))
        last = b
    parts.append(text[last:])
    visible = "".join(parts)
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
            found.append((visible.count("\n", 0, m.start()), "a <script> element"))
    for m in _ATTR_LIST.finditer(visible):
        line = visible.count("\n", 0, m.start())
        for ev in _ATTR_EVENT.finditer(m.group(1)):
            found.append((line, f"an event-handler attribute '{ev.group(1).lower()}' in an attribute list"))
        for am in _ATTR_URL.finditer(m.group(1)):
            name, value = am.group(1).lower(), next((g for g in am.groups()[1:] if g is not None), "")
            if name in URL_ATTRS and bad_url(value):
                found.append((line, f"a '{value.split(':')[0].strip()}:' URL in {name}= in an attribute list"))
    for m in _MD_TARGETS.finditer(visible):
        url = next(g for g in m.groups() if g is not None) if any(m.groups()) else ""
        if url and bad_url(url):
            found.append((visible.count("\n", 0, m.start()), f"a link to a '{url.split(':')[0]}:' URL"))
    return sorted(set(found))
