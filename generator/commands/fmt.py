"""`kb fmt`: normalize references.bib without losing anything.

Entries get a canonical field order, two-space indentation and DOIs without
a resolver prefix; every comment, @string, @preamble and @comment block is
kept as written.  A file with syntax errors is refused (formatting it could
move or drop text the parser did not understand).  The write is atomic.

fmt never makes a file worse: an entry it cannot rewrite faithfully (a field
repeated in another case, a comment line inside an entry, which BibTeX glues
onto the next field's name) is refused, and the formatted text is parsed
again and compared with the original before anything is written.  It refuses
a symlinked references.bib (as `kb check` does: it could lead anywhere), a
read-only file and one with hard links (an atomic replace would split them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import bibtexparser
from bibtexparser import model as bm

from generator.intake.bibliography import FIELD_NAME, bib_refusal, normalize_doi, parse_bibliography, read_bib_bytes
from generator.intake.reader import Refused
from generator.core.errors import FormatError
from generator.core.protected import real, refuse_protected
from generator.core.writer import write_file

FIELD_ORDER = ("author", "editor", "title", "journal", "booktitle", "year", "date", "volume", "number", "pages",
               "publisher", "address", "edition", "school", "institution", "doi", "pmid", "pmcid", "url",
               "crossref", "design", "population", "participants", "langid", "verified", "verification_note",
               "retracted", "retraction_note", "correction_note", "cited_as", "cited_as_note", "abstract", "note")


__all__ = ["FIELD_ORDER", "FormatError", "fmt_file", "format_bib"]


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
            _refuse_unfaithful(block)
            parts.append(_format_entry(block))
        else:
            raw = (block.raw or "").strip("\n")
            if raw.strip():
                parts.append(raw.rstrip())
    formatted = "\n\n".join(parts) + "\n"
    _verify(text, formatted)
    return formatted


def _refuse_unfaithful(entry: bm.Entry) -> None:
    """Refuse an entry whose formatting would change what it means."""
    where = f"references.bib:{(entry.start_line or 0) + 1}"
    names = [f.key.lower() for f in entry.fields]
    for f in entry.fields:
        if not FIELD_NAME.fullmatch(f.key):
            first = f.key.strip().splitlines()[0][:40]
            raise FormatError(f"{where}: entry '{entry.key}' has text that is not a field name ('{first}'); "
                              "a comment inside an entry is read as part of the next field, so kb fmt changes "
                              "nothing", "Move the comment above the entry (a line starting with %).")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise FormatError(f"{where}: entry '{entry.key}' has the field(s) {', '.join(repeated)} more than once "
                          "(field names ignore case); kb fmt changes nothing", "Keep one of them.")


def _meaning(text: str) -> tuple[list[tuple[str, str, tuple[tuple[str, str], ...]]], list[str], list[str]]:
    """What formatting must keep: every entry's fields, every other block, and the problems `kb check` sees."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    entries = []
    for e in library.entries:
        fields = tuple(sorted((f.key.lower(), _doi_value(f.value.strip()) if f.key.lower() == "doi" else
                               " ".join(str(f.value).split())) for f in e.fields))
        entries.append((e.entry_type.lower(), e.key, fields))
    others = [" ".join((b.raw or "").split()) for b in library.blocks if not isinstance(b, bm.Entry)]
    codes = sorted(d.code for d in parse_bibliography(text)[1]) if text.strip() else []
    return entries, [o for o in others if o], codes


def _verify(original: str, formatted: str) -> None:
    """Raise FormatError unless *formatted* means exactly what *original* meant (and is no worse for check)."""
    if _meaning(original) != _meaning(formatted):
        raise FormatError("kb fmt could not format references.bib faithfully (the result would read differently); "
                          "nothing was changed",
                          "Run `kb check`; please report the entry that kb fmt could not keep.")


def fmt_file(path: Path, check_only: bool) -> bool:
    """Format *path* in place (atomically).  Returns True when the file changed (or would change).

    The file is read as `kb check` reads it (read_bib_text): a link, a device or FIFO, or a file over
    the size limit is refused before anything is read, with the check's own diagnostic.  A
    hard-linked file is refused: replacing it would leave the other names with the old text,
    and rewriting it in place could not be atomic.
    """
    original = read_bib_text(path.parent, "kb fmt")
    formatted = format_bib(original)
    if formatted == original:
        return False
    if check_only:
        return True
    write_atomic(path, formatted)
    return True


def read_bib_text(root: Path, command: str) -> str:
    """root/references.bib as text, through the one reader with `kb check`'s bounds; FormatError otherwise.

    Newlines are read as Python's text mode reads them (CRLF and CR become LF), as kb fmt always has:
    the formatted file has LF line endings.  A refusal carries the check's code and hint, so what
    `kb check` refuses (`unsafe-path`, `too-large`) `kb fmt` does not read either.
    """
    try:
        raw = read_bib_bytes(root)
    except Refused as refused:
        problem = bib_refusal(refused)
        raise FormatError(f"{problem.message}; {command} changes nothing [{problem.code}]", problem.hint) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise FormatError(f"references.bib:{line}: not valid UTF-8 (byte {exc.start}); {command} changes nothing "
                          "[encoding]", "Run `kb check` for the line.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def format_new_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry in `kb fmt`'s layout, from field values that are already BibTeX (braced, escaped).

    `kb add` appends what this returns, so an added entry looks exactly like a formatted one.
    """
    entry = bm.Entry(entry_type, key, [bm.Field(name, value) for name, value in fields])
    return _format_entry(entry)


def write_atomic(path: Path, text: str, command: str = "kb fmt") -> None:
    """Replace references.bib with *text* in one step: a reader (or a crash) sees the old file or the new.

    Shared by `kb fmt` and `kb add`, through the one writer (core/writer.py).  A symbolic link is refused,
    as `kb check` refuses to read one (it could lead to any file on the machine: `../victim.txt`, a shell
    startup file); so are a hard-linked file and a read-only file, with nothing changed.
    """
    refuse_protected(path.parent, path, allow=("references.bib",))
    if os.path.islink(path):
        raise FormatError(f"references.bib is a symbolic link (to {real(path)}); {command} changes nothing, "
                          "as kb check does not read it",
                          "Make references.bib an ordinary file.")
    mode = 0o644  # a references.bib that does not exist yet (kb add into an empty project)
    if path.exists():
        info = path.stat()
        if info.st_nlink > 1:
            raise FormatError(f"references.bib has {info.st_nlink} hard links ({path}); {command} replaces the "
                              "file atomically, which would split them, so it changes nothing",
                              "Make references.bib a single file and run it again.")
        if not os.access(path, os.W_OK) or not info.st_mode & 0o200:
            raise FormatError(f"references.bib is read-only ({path}); {command} changes nothing",
                              "Make it writable first (chmod u+w references.bib) if you mean to change it.")
        mode = info.st_mode & 0o7777
    write_file(path, text, root=path.parent, allow=("references.bib",), durable=True, mode=mode)
