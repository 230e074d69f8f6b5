"""Is a quote really in the text it claims to come from?

Editors copy quotes from PDFs and web pages, which change typography but not
words: curly and straight quotes, en dashes and hyphens, line breaks, ligatures,
capitals.  `normalise` folds exactly those differences away (Unicode NFKC,
casefold, every quote character to ', every dash to -, format characters
such as soft hyphens dropped, whitespace collapsed), so a quote matches when
the words and their order are the same.

When a quote is not found, `closest_passage` finds the passage of the source
text that resembles it most (RapidFuzz's partial alignment, confined to this
module), so the editor sees what the source actually says.  Both steps cost
time linear in the text (the alignment is bounded by `MAX_ALIGN_CHARS`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz

#: quote characters that are not in the Unicode initial/final punctuation classes
_QUOTES = set("'\"`´‚„‛‟′″‹›«»＂＇")
_DASHES = set("‐‑‒–—―−﹘﹣－")
#: above this many characters of source text, or of quote, no alignment is attempted (bounded cost)
MAX_ALIGN_CHARS = 20_000
MAX_QUOTE_ALIGN_CHARS = 2_000
_WORD = re.compile(r"\S+")


def _fold_char(ch: str) -> str:
    if ch in _QUOTES or unicodedata.category(ch) in ("Pi", "Pf"):
        return "'"
    if ch in _DASHES or unicodedata.category(ch) == "Pd":
        return "-"
    if ch.isspace():
        return " "
    if unicodedata.category(ch) == "Cf":  # soft hyphen, zero-width space, ...
        return ""
    return ch.casefold()


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """Normalised text, and for each of its characters the index in NFKC(text) it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for folded in _fold_char(ch):
            if folded == " " and (not out or out[-1] == " "):
                continue  # collapse runs of whitespace, drop leading whitespace
            out.append(folded)
            origin.append(index)
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


@functools.cache
def _table() -> dict[int, str | None]:
    """str.translate table doing `_fold_char`'s quote, dash and format-character work in C.

    Built on first use from the Unicode database (the BMP and the tag block,
    where every such character lives; 15 ms), not at import.
    """
    table: dict[int, str | None] = {}
    for code in list(range(0x10000)) + list(range(0xE0000, 0xE0080)):
        ch = chr(code)
        if ch.isspace():
            continue
        folded = _fold_char(ch)
        if folded != ch.casefold():
            table[code] = folded or None
    return table


@functools.lru_cache(maxsize=4096)  # an abstract is compared with every quote that cites it
def normalise(text: str) -> str:
    """The form in which quotes and source texts are compared (same result as `_normalise_mapped`, faster)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_table())
    return " ".join(folded.split())  # 50x faster than re.sub(r"\s+", " ", ...) on prose


def quote_found(quote: str, text: str) -> bool:
    """True when *quote* occurs in *text*, ignoring typography, case and line breaks."""
    needle = normalise(quote)
    return bool(needle) and needle in normalise(text)


def closest_passage(quote: str, text: str) -> str | None:
    """The passage of *text* most like *quote*, widened to whole words; None if nothing is alike."""
    needle = normalise(quote)
    if not needle or len(needle) > MAX_QUOTE_ALIGN_CHARS or len(normalise(text)) > MAX_ALIGN_CHARS:
        return None
    source = unicodedata.normalize("NFKC", text)
    hay, origin = _normalise_mapped(source)
    if not hay:
        return None
    if len(needle) > len(hay):
        return source.strip() or None
    match = fuzz.partial_ratio_alignment(needle, hay)
    if match is None or match.score < 40 or match.dest_end <= match.dest_start:
        return None
    start = _snap(source, origin[match.dest_start])
    end = _snap(source, origin[match.dest_end - 1] + 1)
    passage = " ".join(source[start:end].split())
    return passage or None


def _snap(text: str, index: int) -> int:
    """The word boundary nearest to *index*, so a passage never starts or ends mid-word."""
    def boundary(i: int) -> bool:
        return i <= 0 or i >= len(text) or text[i - 1].isspace() or text[i].isspace()

    back = forward = index
    while not boundary(back):
        back -= 1
    while not boundary(forward):
        forward += 1
    return back if index - back <= forward - index else forward


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
