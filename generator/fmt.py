"""`kb fmt`: normalize references.bib without losing anything.

Entries get a canonical field order, two-space indentation and DOIs without
a resolver prefix; every comment, @string, @preamble and @comment block is
kept as written.  A file with syntax errors is refused (formatting it could
move or drop text the parser did not understand).  The write is atomic.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import bibtexparser
from bibtexparser import model as bm

from generator.bibliography import normalize_doi

FIELD_ORDER = ("author", "editor", "title", "journal", "booktitle", "year", "date", "volume", "number", "pages",
               "publisher", "address", "edition", "school", "institution", "doi", "pmid", "pmcid", "url",
               "crossref", "design", "population", "verified", "verification_note", "retracted", "retraction_note",
               "correction_note", "cited_as", "cited_as_note",
               "abstract", "note")


class FormatError(Exception):
    pass


def _doi_value(raw: str) -> str:
    """Strip a resolver prefix inside the value's own delimiters: {https://doi.org/10.1/x} -> {10.1/x}."""
    m = re.fullmatch(r"(\s*[{\"])(.*?)([}\"]\s*)", raw, re.S)
    if not m:
        return raw
    return m.group(1) + normalize_doi(m.group(2)) + m.group(3)


def _format_entry(entry: bm.Entry) -> str:
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    ordered = sorted(enumerate(entry.fields), key=lambda p: (rank.get(p[1].key.lower(), len(FIELD_ORDER)), p[0]))
    fields = [f for _i, f in ordered]
    width = max((len(f.key) for f in fields), default=0)
    lines = []
    for f in fields:
        value = f.value.strip() if isinstance(f.value, str) else str(f.value)
        if f.key.lower() == "doi":
            value = _doi_value(value)
        lines.append(f"  {f.key.lower().ljust(width)} = {value}")
    return f"@{entry.entry_type.lower()}{{{entry.key},\n" + ",\n".join(lines) + "\n}"


def format_bib(text: str) -> str:
    """The normalized text; raises FormatError when the file does not parse cleanly."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    if library.failed_blocks:
        first = library.failed_blocks[0]
        raise FormatError(f"references.bib:{(first.start_line or 0) + 1}: this block does not parse; "
                          "run `kb check` and fix the errors before formatting")
    parts = []
    for block in library.blocks:
        if isinstance(block, bm.Entry):
            parts.append(_format_entry(block))
        else:
            raw = (block.raw or "").strip("\n")
            if raw.strip():
                parts.append(raw.rstrip())
    return "\n\n".join(parts) + "\n"


def fmt_file(path: Path, check_only: bool) -> bool:
    """Format *path* in place (atomically).  Returns True when the file changed (or would change)."""
    original = path.read_text(encoding="utf-8")
    formatted = format_bib(original.replace("\r\n", "\n"))
    if formatted == original:
        return False
    if check_only:
        return True
    write_atomic(path, formatted)
    return True


def format_new_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry in `kb fmt`'s layout, from field values that are already BibTeX (braced, escaped).

    `kb add` appends what this returns, so an added entry looks exactly like a formatted one.
    """
    entry = bm.Entry(entry_type, key, [bm.Field(name, value) for name, value in fields])
    return _format_entry(entry)


def write_atomic(path: Path, text: str) -> None:
    """Replace *path* with *text* in one step: a reader (or a crash) sees the old file or the new, never half.

    Shared by `kb fmt` and `kb add`; a file that does not exist yet is created (mode 0644).
    """
    handle, tmp = tempfile.mkstemp(prefix=".references.", suffix=".bib.tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
