"""Numbers in prose, read the way a Dutch or English reader reads them.

Used by the checks that trace a number to the sentence it comes from
(`effect-not-in-quote`, `untraced-number`).  The rules, documented in
docs/diagnostics.md:

* a number is a run of digits with at most one decimal separator, a point or
  a comma ("1.52", "1,52"), or a separator and digits (".52", ",52": the
  leading zero left out); a longer run with several separators ("1.000.000",
  "1,234,567") is read as thousands;
* a number with one separator followed by exactly three digits ("1.000",
  "2,500") is ambiguous and stands for both readings (1 or 1000; 2.5 or 2500);
* the sign is not part of a number: quotes write "-2.3", "−2.3" or "2.3 points
  lower", and a hyphen between two numbers ("1.01-2.29") is a range;
* two numbers are the same when their values are equal: "1.50" is 1.5.

`statement_numbers` adds what a statement's reader does not count as a
quantity: a year (four digits from 1900 to 2100), an ordinal ("3e", "2nd",
"1ste") and a number glued to letters ("COVID-19", "RoB2", "VISA-A").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

#: a run of digits and separators not glued to a word; split into numbers by `_split` (a simple
#: pattern: abstracts are long, and a regex that decides everything costs 5x more per character)
_RUN = re.compile(r"(?<![\w.,])[.,]?\d[\d.,]*")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})+")
_ORDINAL = re.compile(r"(?:e|ste|de|st|nd|rd|th)\b", re.IGNORECASE)


def _split(run: str) -> list[str]:
    """The numbers in a run: "2.29." is 2.29 ending a sentence, "1,234,567" thousands, "1,5,2" a list."""
    run = run.rstrip(".,")
    if run.count(".") + run.count(",") <= 1 or _THOUSANDS.fullmatch(run):
        return [run] if run else []
    return [part for part in re.split(r",", run) if part and part.strip(".") and part.count(".") <= 1]


def _values(token: str) -> tuple[float, ...]:
    """The values a number token may stand for (two when the separator is ambiguous)."""
    seps = [ch for ch in token if ch in ".,"]
    if len(seps) > 1:  # 1.000.000 or 1,234,567: thousands
        return (float(token.replace(".", "").replace(",", "")),)
    if not seps:
        return (float(token),)
    whole, _sep, frac = token.replace(",", ".").partition(".")
    decimal = float(f"{whole or '0'}.{frac}")
    if whole and len(frac) == 3:
        return (decimal, float(whole + frac))
    return (decimal,)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(number as written, start, end) of every number in *text*."""
    out = []
    for m in _RUN.finditer(text):
        offset = m.start()
        for part in _split(m.group(0)):
            start = text.index(part, offset)
            out.append((part, start, start + len(part)))
            offset = start + len(part)
    return out


def numbers(text: str) -> list[tuple[str, tuple[float, ...]]]:
    """Every number in *text*: (the token as written, the values it may stand for)."""
    return [(token, _values(token)) for token, _start, _end in _tokens(text)]


@functools.lru_cache(maxsize=8192)  # an abstract is read for every claim that cites its source
def values_in(text: str) -> frozenset[float]:
    """Every value a number in *text* may stand for (no positions: abstracts are long)."""
    return frozenset(v for run in _RUN.findall(text) for part in _split(run) for v in _values(part))


def same(value: float, known: Iterable[float]) -> bool:
    """Is *value* (its size; the sign is not compared) among *known*?"""
    size = abs(value)
    if isinstance(known, (set, frozenset)) and (size in known or -size in known):
        return True  # the common case, without a loop
    return any(math.isclose(size, abs(k), rel_tol=1e-9, abs_tol=1e-12) for k in known)


def statement_numbers(text: str) -> list[tuple[str, tuple[float, ...]]]:
    """The numbers of a statement that state a quantity: years, ordinals and parts of names left out."""
    out = []
    for token, start, end in _tokens(text):
        before = text[start - 1] if start else ""
        if before.isalpha() or (before == "-" and start > 1 and text[start - 2].isalpha()):
            continue  # RoB2, COVID-19: part of a name
        if _ORDINAL.match(text, end):
            continue  # 3e, 2nd
        if token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2100:
            continue  # a year
        out.append((token, _values(token)))
    return out
