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
time linear in the text: the alignment compares at most a few 64-character
pieces of the quote with at most `MAX_ALIGN_CHARS` of text, and a run's hints
share one `HintBudget`.
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


_FOLDED: dict[str, str] = {}


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """Normalised text, and for each of its characters the index in NFKC(text) it came from."""
    out: list[str] = []
    origin: list[int] = []
    memo = _FOLDED
    for index, ch in enumerate(text):
        folded_text = memo.get(ch)
        if folded_text is None:  # the Unicode database once per distinct character, not once per character
            folded_text = _fold_char(ch)
            if len(memo) < 100_000:  # bounded: a hostile text cannot grow it without end
                memo[ch] = folded_text
        for folded in folded_text:
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


class HintBudget:
    """The work one run may spend on "closest passage" hints, counted in characters examined.

    Counted, not timed, so that the same project always gets the same hints.  A hint examines
    its quote and the source text (each at most a few microseconds a character, bounded by
    MAX_QUOTE_ALIGN_CHARS and MAX_ALIGN_CHARS); the default budget holds some 2,500 hints
    against ordinary abstracts (1,800 characters) and a few seconds of the worst case, after
    which `closest_passage` answers NOT_COMPUTED.
    """

    def __init__(self, characters: int = 5_000_000) -> None:
        self.left = characters

    @property
    def spent(self) -> bool:
        return self.left <= 0


#: RapidFuzz aligns a piece of up to 64 characters in one bit-parallel pass; longer needles take a
#: slower path whose cost grew to 2 s per quote (issue 18, finding 13).  A long quote is aligned by
#: up to PIECES such pieces spread over it; the best one places the whole quote.
PIECE = 64
PIECES = 4
NOT_COMPUTED = "\0not computed"  # closest_passage's answer once the budget is spent


@functools.lru_cache(maxsize=64)  # one abstract is compared with each quote that cites it
def _mapped(text: str) -> tuple[str, str, tuple[int, ...]]:
    source = unicodedata.normalize("NFKC", text)
    hay, origin = _normalise_mapped(source)
    return source, hay, tuple(origin)


def closest_passage(quote: str, text: str, budget: HintBudget | None = None) -> str | None:
    """The passage of *text* most like *quote*, widened to whole words; None if nothing is alike.

    Bounded: at most PIECES alignments of PIECE characters against at most MAX_ALIGN_CHARS of
    text; with a *budget*, NOT_COMPUTED once the run's budget is spent.
    """
    needle = normalise(quote)
    if not needle or len(needle) > MAX_QUOTE_ALIGN_CHARS or len(normalise(text)) > MAX_ALIGN_CHARS:
        return None
    if budget is not None and budget.spent:
        return NOT_COMPUTED
    if budget is not None:
        budget.left -= len(text) + len(needle)
    source, hay, origin = _mapped(text)
    if not hay:
        return None
    if len(needle) > len(hay):
        return source.strip() or None
    if len(needle) <= PIECE:
        starts = [0]
    else:
        last = len(needle) - PIECE
        starts = sorted({round(last * i / (PIECES - 1)) for i in range(PIECES)})
    best: tuple[float, int, int] | None = None  # (score, where the quote would start in hay, piece start)
    for offset in starts:
        piece = needle[offset:offset + PIECE]
        match = fuzz.partial_ratio_alignment(piece, hay, score_cutoff=40)
        if match is not None and match.dest_end > match.dest_start and (best is None or match.score > best[0]):
            best = (match.score, match.dest_start - (match.src_start + offset), offset)
    if best is None:
        return None
    first = max(0, best[1])
    last_char = min(len(hay), best[1] + len(needle)) - 1
    if last_char < first:
        return None
    start = _snap(source, origin[first])
    end = _snap(source, origin[last_char] + 1)
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
