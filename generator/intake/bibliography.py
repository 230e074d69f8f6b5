"""Load references.bib: bibtexparser (v2) is confined to this module.

bibtexparser keeps going after a broken block and hands us the failures as
data (`failed_blocks`), which we turn into diagnostics with the entry's own
line.  Field values are decoded from LaTeX to Unicode once here, so every
later stage (display, comparison, search) sees the same text.
"""

from __future__ import annotations

import logging
import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import model as bm

from generator.core import memo
from generator.core.diagnostics import Diagnostic, diag
from generator.intake.frontmatter import decode_text
from generator.intake.reader import Refused, read_bytes
from generator.core.model import DESIGNS, Source
from generator.text.safety import CONTROL_CHARS

BIB_FILE = "references.bib"

# bibtexparser logs each broken block itself; we report them as diagnostics instead.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)

#: required fields per BibTeX entry type; "a|b" means either will do.
REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "manual": ("title",),
    "unpublished": ("author", "title", "note"),
    "misc": (),
}
DEFAULT_REQUIRED = ("title",)

_LATEX_CHARS = re.compile(r"[\\{}~$]")
#: a BibTeX field name; anything else (e.g. "% TODO\n  title") is text BibTeX glued onto a name
FIELD_NAME = re.compile(r"[A-Za-z_][\w.:+-]*")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalize_doi(value: str) -> str:
    """'https://doi.org/10.1/X' and 'doi:10.1/X' are the same DOI as '10.1/x'."""
    return _DOI_PREFIX.sub("", value.strip())


@functools.lru_cache(maxsize=1)
def _latex_converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    # building the converter (its macro tables) costs more than converting a value: build it once
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
            "r": "\u030a"}
_LETTERS = {"o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "ss": "ß", "l": "ł", "L": "Ł",
            "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ"}
_ACCENT = re.compile(r"\\([\"'`^~=.]|[uvHckr](?=[\s{]))\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij]|[A-Za-z]))")
_LETTER = re.compile(r"\\(ae|AE|aa|AA|ss|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s*)")
_ESCAPE = re.compile(r"\\([&%$#_{}])")


def _fast_latex(value: str) -> str | None:
    """The LaTeX real bibliographies use (accents, special letters, escapes, braces, dashes and
    quotes), without pylatexenc, which costs about 0.5 ms a value.  None when anything else is
    left, so pylatexenc still handles math, commands and whatever we do not know."""
    def accent(m: re.Match[str]) -> str:
        letter = m.group(2) or m.group(3)
        base = {"\\i": "i", "\\j": "j"}.get(letter, letter)
        return unicodedata.normalize("NFC", base + _ACCENTS[m.group(1)])

    if re.search(r"(?<!\\)[$%]", value):
        return None
    text = _ACCENT.sub(accent, value)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _ESCAPE.sub(lambda m: _PROTECT.get(m.group(1), m.group(1)), text)
    if "\\" in text:
        return None
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("\'\'", "”")
    return text.replace("\ue000", "{").replace("\ue001", "}")


_PROTECT = {"{": "\ue000", "}": "\ue001"}  # escaped braces survive the removal of grouping braces


@functools.lru_cache(maxsize=65536)  # journals, publishers and authors repeat across entries
def decode_latex(value: str) -> str:
    """LaTeX -> Unicode.  Skips values with no LaTeX characters (3-5x faster, same output);
    common LaTeX is decoded by `_fast_latex`, the rest by pylatexenc."""
    if not _LATEX_CHARS.search(value):
        return " ".join(value.split())
    fast = _fast_latex(value)
    if fast is not None:
        return " ".join(fast.split())
    # a bare % would start a LaTeX comment and swallow the rest of the value
    protected = re.sub(r"(?<!\\)%", r"\\%", value)
    try:
        text = _latex_converter().latex_to_text(protected)
    except Exception:  # pylatexenc gives up on some malformed input: show it as written
        text = value.replace("{", "").replace("}", "")
    return " ".join(text.split())


def _entry_fields(entry: bm.Entry, out: list[Diagnostic]) -> tuple[dict[str, str], dict[str, int]]:
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for f in entry.fields:
        name = f.key.lower()
        if name in fields:  # duplicate-field: the first value wins, the entry stays known
            continue
        value = decode_latex(f.value if isinstance(f.value, str) else str(f.value))
        lines[name] = (f.start_line or entry.start_line or 0) + 1
        if bad := CONTROL_CHARS.search(value):
            # never into the model: such bytes collided with the page builder's markers (issue 18,
            # finding 9) and reach terminals and feeds; the value is kept without them
            out.append(diag("bib-control-character", BIB_FILE, lines[name],
                            f"the field '{_shown(name)}' of entry '{_shown(entry.key)}' contains the control "
                            f"character U+{ord(bad.group()):04X}",
                            "Remove it (it is invisible, or came with text pasted from elsewhere); retype the "
                            "text if needed."))
            value = " ".join(CONTROL_CHARS.sub(" ", value).split())
        fields[name] = value
    return fields, lines


def _shown(text: str) -> str:
    """A name as a message may quote it: control characters escaped."""
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _year(fields: dict[str, str]) -> str | None:
    if fields.get("year"):
        return fields["year"]
    date = fields.get("date")
    return date[:4] if date else None


#: references.bib larger than this is refused by its size, unread (the shipped one averages 750 bytes
#: an entry: the limit holds some 70,000 entries)
MAX_BIB_BYTES = 50 * 1024 * 1024


def bib_refusal(refused: Refused) -> Diagnostic:
    """The diagnostic for a references.bib the reader refused, the same for `kb check`, `kb fmt` and `kb add`.

    One wording and one code for each refusal, so a command that writes the file never accepts what
    the check refuses (a link, a device, a file larger than the limit)."""
    if refused.kind in ("missing", "folder"):
        return diag("missing-bibliography", BIB_FILE, None, "references.bib is missing" if refused.kind == "missing"
                    else "references.bib is a folder, not a file",
                    "Create references.bib next to content/ (an empty file is not enough: "
                    "the claims need sources to cite).")
    if refused.kind == "too-large":
        return diag("too-large", BIB_FILE, None, f"references.bib is {refused.size:,} bytes; the limit is "
                    f"{MAX_BIB_BYTES:,}", "Is it really a bibliography? At the shipped file's 750 bytes an "
                    "entry, the limit holds some 70,000 entries.")
    if refused.kind in ("link", "outside", "special"):  # it could be any file on the machine, or never end
        return diag("unsafe-path", BIB_FILE, None, f"{refused}", "Make references.bib an ordinary file.")
    return diag("encoding", BIB_FILE, None, f"{refused}", None)


def read_bib_bytes(root: Path) -> bytes:
    """root/references.bib's bytes through the one reader (generator/intake/reader.py); raises Refused."""
    return read_bytes(root / BIB_FILE, limit=MAX_BIB_BYTES, root=root, links=False)


def load_bibliography(root: Path) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Parse root/references.bib.  Never raises on bad input."""
    try:
        raw = read_bib_bytes(root)
    except Refused as refused:
        return {}, [bib_refusal(refused)]
    sources, problems = memo.cached("bibliography", BIB_FILE, raw, lambda: _parse(raw))
    return dict(sources), list(problems)


def _parse(raw: bytes) -> tuple[dict[str, Source], list[Diagnostic]]:
    text, problems = decode_text(raw, BIB_FILE)
    if text is None:
        return {}, problems
    return parse_bibliography(text)


def parse_bibliography(text: str) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Parse the (decoded) text of references.bib.  Pure; never raises on bad input."""
    out: list[Diagnostic] = []
    if not text.strip():
        return {}, [diag("missing-bibliography", BIB_FILE, 1, "references.bib is empty",
                         "Add the BibTeX entries the claims cite.")]
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser should not raise, but never let it crash a check
        return {}, [diag("bib-syntax", BIB_FILE, 1, f"the bibliography cannot be parsed: {exc}", None)]

    sources: dict[str, Source] = {}
    raw_entries: list[bm.Entry] = list(library.entries)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            out.append(diag("duplicate-key", BIB_FILE, line, f"the key '{block.key}' is used by an earlier entry",
                            "Give this entry its own key, or delete it if it is the same work."))
        elif isinstance(block, bm.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            names = [f.key.lower() for f in entry.fields] if isinstance(entry, bm.Entry) else []
            dupes = sorted({n for n in names if names.count(n) > 1})
            key = entry.key if isinstance(entry, bm.Entry) else "?"  # the block itself has no .key
            out.append(diag("duplicate-field", BIB_FILE, line,
                            f"entry '{key}' has the field(s) {', '.join(dupes) or '?'} more than once; "
                            "the first value is used",
                            "Delete the extra line(s), keeping the correct value."))
            if isinstance(entry, bm.Entry):
                raw_entries.append(entry)
        else:
            error = getattr(block, "error", None)
            # BlockAbortedException has an empty str(); its reason is in .abort_reason
            reason = (getattr(error, "abort_reason", None) or str(error or "")).strip()
            detail = f": {reason.splitlines()[0]}" if reason else ""
            first = (block.raw or "").strip().splitlines()[0][:60] if (block.raw or "").strip() else ""
            out.append(diag("bib-syntax", BIB_FILE, line, f"this BibTeX block cannot be parsed ('{first}'){detail}",
                            "Check the braces and commas of this entry: every '{' needs its '}', "
                            "and fields are separated by commas."))

    repeated_reported = {id(b.ignore_error_block) for b in library.failed_blocks
                         if isinstance(b, bm.DuplicateFieldKeyBlock)}
    for entry in sorted(raw_entries, key=lambda e: e.start_line or 0):
        out.extend(_field_name_problems(entry, check_case=id(entry) not in repeated_reported))
        if entry.key in sources:  # e.g. a repeated key on an entry that also repeats a field
            out.append(diag("duplicate-key", BIB_FILE, (entry.start_line or 0) + 1,
                            f"the key '{entry.key}' is used by an earlier entry",
                            "Give this entry its own key, or delete it if it is the same work."))
            continue
        fields, lines = _entry_fields(entry, out)
        sources[entry.key] = Source(entry.key, entry.entry_type.lower(), fields, (entry.start_line or 0) + 1, lines)

    sources = _resolve_crossrefs(sources, out)
    out.extend(check_sources(sources))
    return sources, out


def _field_name_problems(entry: bm.Entry, *, check_case: bool) -> list[Diagnostic]:
    """Field names that are not names (a comment inside an entry) and fields repeated in another case."""
    out = []
    line = (entry.start_line or 0) + 1
    for f in entry.fields:
        if not FIELD_NAME.fullmatch(f.key):
            first = f.key.strip().splitlines()[0][:40]
            # the field's line is the line of its '=': count back to where the stray text starts
            out.append(diag("bib-syntax", BIB_FILE, (f.start_line or entry.start_line or 0) + 1 - f.key.strip().count("\n"),
                            f"entry '{entry.key}' has text that is not a field name: '{first}'",
                            "BibTeX has no comments inside an entry: a % line is read as part of the next "
                            "field's name. Move the comment above the entry."))
    names = [f.key.lower() for f in entry.fields]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if check_case and repeated:
        out.append(diag("duplicate-field", BIB_FILE, line,
                        f"entry '{entry.key}' has the field(s) {', '.join(repeated)} more than once "
                        "(field names ignore case); the first value is used",
                        "Delete the extra line(s), keeping the correct value."))
    return out


def _resolve_crossrefs(sources: dict[str, Source], out: list[Diagnostic]) -> dict[str, Source]:
    """BibTeX crossref: a child inherits the fields it lacks from its parent."""
    resolved = dict(sources)
    for key, source in sources.items():
        parent_key = source.get("crossref")
        if not parent_key:
            continue
        parent = sources.get(parent_key)
        if parent is None:
            out.append(diag("unknown-citation", BIB_FILE, source.field_lines.get("crossref", source.line),
                            f"entry '{key}' has crossref '{parent_key}', which is not in references.bib",
                            "Add the parent entry, or remove the crossref field."))
            continue
        fields = dict(source.fields)
        for name, value in parent.fields.items():
            fields.setdefault(name, value)
        if "booktitle" not in source.fields and parent.get("title"):
            fields["booktitle"] = parent.fields["title"]
        resolved[key] = Source(key, source.entry_type, fields, source.line, source.field_lines)
    return resolved


def _normal_title(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.casefold()).strip()


def check_sources(sources: dict[str, Source]) -> list[Diagnostic]:
    """Per-entry and cross-entry checks of the bibliography."""
    out: list[Diagnostic] = []
    dois: dict[str, str] = {}
    pmids: dict[str, str] = {}
    titles: dict[tuple[str, str], str] = {}
    for key, s in sources.items():
        at = s.field_lines.get
        for spec in REQUIRED.get(s.entry_type, DEFAULT_REQUIRED):
            options = spec.split("|")
            if spec == "year":
                options = ["year", "date"]
            if not any(s.get(o) for o in options):
                out.append(diag("missing-field", BIB_FILE, s.line,
                                f"@{s.entry_type} '{key}' lacks the required field '{' or '.join(options)}'",
                                f"Add {options[0]} = {{...}} to the entry (only with verified data)."))
        if s.retracted and not s.get("retraction_note"):
            out.append(diag("missing-field", BIB_FILE, at("retracted", s.line),
                            f"'{key}' is marked retracted but lacks the field 'retraction_note'",
                            "Add retraction_note = {...}: when and why it was retracted, and where the notice is."))
        if s.get("doi"):
            doi = normalize_doi(s.fields["doi"])
            if not _DOI.match(doi):
                out.append(diag("invalid-doi", BIB_FILE, at("doi", s.line),
                                f"entry '{key}' has the DOI '{s.fields['doi']}', which is not of the form 10.NNNN/suffix",
                                "Copy the DOI from the publisher's page or doi.org, e.g. 10.1177/0363546515584760."))
            elif doi.casefold() in dois:
                out.append(diag("duplicate-doi", BIB_FILE, at("doi", s.line),
                                f"entry '{key}' has the same DOI as '{dois[doi.casefold()]}' ({doi})",
                                "Two keys for one work split its citations: keep one entry and cite its key."))
            else:
                dois[doi.casefold()] = key
        if s.get("pmid"):
            pmid = s.fields["pmid"].strip()
            if not re.fullmatch(r"[1-9]\d{0,8}", pmid):
                out.append(diag("invalid-pmid", BIB_FILE, at("pmid", s.line),
                                f"entry '{key}' has the PMID '{pmid}', which is not a PubMed id (1 to 9 digits)",
                                "Copy the number after 'PMID:' on the PubMed page, without prefix."))
            elif pmid in pmids:
                out.append(diag("duplicate-pmid", BIB_FILE, at("pmid", s.line),
                                f"entry '{key}' has the same PMID as '{pmids[pmid]}' ({pmid})",
                                "Two keys for one work split its citations: keep one entry and cite its key."))
            else:
                pmids[pmid] = key
        year = _year(s.fields)
        if year is not None and not re.fullmatch(r"\d{4}", year.strip()):
            out.append(diag("invalid-year", BIB_FILE, at("year", at("date", s.line)),
                            f"entry '{key}' has the year '{year}', which is not a four-digit year",
                            "Write year = {2018}; put 'in press' or months in other fields."))
        if s.get("design") and s.fields["design"].strip() not in DESIGNS:
            out.append(diag("invalid-design", BIB_FILE, at("design", s.line),
                            f"entry '{key}' has design '{s.fields['design']}'",
                            f"Use one of: {', '.join(DESIGNS)}."))
        if s.get("title") and year:
            norm = (_normal_title(s.fields["title"]), year.strip())
            if norm in titles:
                out.append(diag("possible-duplicate", BIB_FILE, s.line,
                                f"entry '{key}' has the same title and year as '{titles[norm]}'",
                                "If both are the same work, keep one entry; otherwise ignore this warning."))
            else:
                titles[norm] = key
    return out
