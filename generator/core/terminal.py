"""What kb prints shows every character it cannot print safely as an escape, never raw.

Keys, citation keys, settings names, file names and statements come from the repository, so a
contributor chooses them; printed raw, `\\x1b]0;...\\x07` retitles the maintainer's terminal,
`\\x1b[2K` hides lines, OSC 52 writes the clipboard and U+202E shows text in another order than it
is.  Every message leaves through `printable` (the check report and the command line's echo), which
writes such a character as a Python-style escape: `\\x1b`, `\\x9b`, `\\u202e`, `\\U000e0001`.

Escaped: the C0 controls and DEL, the C1 controls (U+0080-U+009F), format characters (category Cf:
bidi embeddings, overrides and isolates, zero-width characters, the byte-order mark, tag
characters), line and paragraph separators, surrogates, private-use and unassigned code points.
Newlines (and tabs) stay only where kb itself puts them: `keep` names them.  A backslash is left
as it is, so `\\x1b` on the screen may also be those four characters as written; the report's
JSON form is exact.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["printable", "printable_json"]

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: every character outside these ranges (all printable: ASCII, Latin-1 but the soft hyphen, Latin
#: Extended, IPA, combining marks, general punctuation but its separators and bidi controls) is
#: looked up; the rest is passed over by the regular expression engine, so a long report costs little
_SUSPECT = re.compile(r"[^ -~\u00a0-\u00ac\u00ae-\u036f\u2010-\u2027\u2030-\u205e]")


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, keep: str = "") -> str:
    """*text* with every unsafe character escaped; characters in *keep* (e.g. "\\n") are left alone."""
    def fix(m: re.Match[str]) -> str:
        char = m.group(0)
        return char if char in keep or not _unsafe(char) else _escape(char)

    return _SUSPECT.sub(fix, text)


def printable_json(text: str) -> str:
    """JSON text (from json.dumps) with every unsafe character as a `\\uXXXX` escape: the same data, still JSON.

    json.dumps already escapes the C0 controls; this adds C1 controls, bidi overrides and the rest,
    which `ensure_ascii=False` would print raw.  Outside strings JSON has only ASCII, so the
    replacement can only ever land inside a string.
    """
    def fix(m: re.Match[str]) -> str:
        char = m.group(0)
        if char == "\n" or not _unsafe(char):
            return char
        code = ord(char)
        if code > 0xFFFF:  # a surrogate pair, as JSON writes it
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return _SUSPECT.sub(fix, text)
