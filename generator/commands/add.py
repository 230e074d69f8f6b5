"""`kb add`: append a work to references.bib from its DOI, its PMID or a CSL-JSON export.

The flow is one way: identifier -> (refuse a duplicate before any request) ->
fetch -> checked metadata -> key in the knowledge base's style -> BibTeX in
`kb fmt`'s layout -> read back -> atomic append.  The existing text of
references.bib is kept byte for byte; on any failure nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from generator.intake.bibliography import BIB_FILE, bib_refusal, normalize_doi, parse_bibliography, read_bib_bytes
from generator.intake.reader import Refused, read_bytes
from generator.commands.fmt import format_new_entry, write_atomic
from generator.commands.identifiers import Identifier
from generator.commands.metadata import MetadataError, Person, Work

_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
            "_": r"\_", "~": r"\textasciitilde{}", "^": r"\string^"}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))


class AddError(Exception):
    """Nothing was added; the message says why."""


class DuplicateError(AddError):
    """references.bib already holds the work."""


@dataclass(frozen=True)
class Added:
    key: str
    entry: str
    notes: tuple[str, ...]


def bibtex_escape(text: str) -> str:
    """Plain text -> a BibTeX value body that `bibliography.decode_latex` reads back as the same text."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def _braced(text: str) -> str:
    return "{" + bibtex_escape(text) + "}"


_SPLITS = re.compile(r",|\band\b", re.IGNORECASE)


def _one(text: str, braced: bool = False) -> str:
    """A name part BibTeX reads as one part: braced when it holds 'and' or a comma (where BibTeX splits)."""
    escaped = bibtex_escape(text)
    return "{" + escaped + "}" if braced or _SPLITS.search(text) else escaped


def _name(person: Person) -> str:
    family = _one(person.family, braced=person.literal)  # one name, not split by BibTeX at 'and' or ','
    return f"{family}, {_one(person.given)}" if person.given and not person.literal else family


def entry_fields(work: Work) -> list[tuple[str, str]]:
    names = [_name(p) for p in work.authors] + (["others"] if work.more_authors else [])
    fields: list[tuple[str, str]] = []
    if names:
        fields.append(("author", "{" + " and ".join(names) + "}"))
    for name in ("title", "journal", "publisher", "year", "volume", "number", "pages", "doi", "pmid", "pmcid",
                 "abstract"):
        value = getattr(work, name)
        if value:
            fields.append((name, _braced(value)))
    return fields


def choose_key(work: Work, taken: set[str]) -> str:
    """First author's family name (particles kept, as in 'vanpoppel2021'; ASCII) + year; a, b, ... on collision."""
    first = work.authors[0] if work.authors else None
    if first is None:
        base = "anon"
    elif first.literal:
        base = slugify(first.family.split()[0] if first.family.split() else "", separator="")
    else:  # the name up to the first character no name has ("Smith}, title" -> "Smith")
        name = re.match(r"[^\W\d_]*(?:[ '’-]+[^\W\d_]+)*", first.family)
        base = slugify(name.group(0) if name else "", separator="")
    base = re.sub(r"[^a-z]", "", base)[:30] or "anon"
    base += work.year or ""
    if base not in taken:
        return base
    for n in range(1, 10_000):
        suffix = ""
        while n:
            n, rest = divmod(n - 1, 26)
            suffix = chr(97 + rest) + suffix
        if base + suffix not in taken:
            return base + suffix
    raise AddError(f"no free key for '{base}'")  # pragma: no cover - 10,000 works by one author in one year


class Bibliography:
    """The current references.bib: its exact text, keys, DOIs and PMIDs (for the duplicate check)."""

    def __init__(self, root: Path) -> None:
        self.path = root / BIB_FILE
        try:  # through the one reader, with kb check's bounds: a link, a device, a huge file is not read
            raw = read_bib_bytes(root)
        except Refused as refused:
            if refused.kind != "missing":
                problem = bib_refusal(refused)
                hint = f" ({problem.hint.rstrip('.')})" if problem.hint else ""
                raise AddError(f"{problem.message}; kb add neither reads nor writes it [{problem.code}]{hint}") \
                    from None
            raw = b""  # kb add into a project without references.bib: the file is made
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise AddError("references.bib is not valid UTF-8; run `kb check` and fix it first") from None
        sources, problems = parse_bibliography(self.text) if self.text.strip() else ({}, [])
        broken = [d for d in problems if d.code == "bib-syntax"]
        if broken:
            raise AddError(f"references.bib:{broken[0].line}: a block cannot be parsed, so a duplicate could "
                           "hide there; run `kb check` and fix it first")
        self.keys = {k.casefold() for k in sources}
        self.dois = {normalize_doi(s.fields["doi"]).casefold(): k for k, s in sources.items() if s.get("doi")}
        self.pmids = {s.fields["pmid"].strip(): k for k, s in sources.items() if s.get("pmid")}

    def refuse_duplicate(self, kind: str, value: str | None) -> None:
        if not value:
            return
        key = self.dois.get(normalize_doi(value).casefold()) if kind == "doi" else self.pmids.get(value.strip())
        if key is not None:
            raise DuplicateError(f"references.bib already has this work: '{key}' has {kind.upper()} {value}; "
                                 f"cite '{key}' instead of adding it again")


#: a CSL-JSON export larger than this is refused unread (a record is a few kB: this holds some 10,000 works)
MAX_EXPORT_BYTES = 50 * 1024 * 1024


def read_export(name: str) -> str:
    """The text of the CSL-JSON file given with `kb add --from`, through the one reader (intake/reader.py).

    The file may lie outside the project (a Zotero export in ~/Downloads) and may be reached through a
    link, but it must be a regular file of at most MAX_EXPORT_BYTES: `--from /dev/zero` or a FIFO is
    refused at once, not read until memory runs out or waited on for ever.
    """
    try:
        raw = read_bytes(Path(name), limit=MAX_EXPORT_BYTES, root=None, links=True)
    except ValueError:  # an embedded NUL in the name
        raise AddError(f"cannot read {name!r}: not a file name") from None
    except Refused as refused:
        raise AddError(f"cannot read {name}: {refused}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AddError(f"cannot read {name}: it is not UTF-8 text (byte {exc.start}); export CSL JSON "
                       "as UTF-8") from None


def check_identifier(bib: Bibliography, identifier: Identifier) -> None:
    """Refuse a known DOI or PMID before asking the network."""
    bib.refuse_duplicate(identifier.kind, identifier.value)


def add_works(bib: Bibliography, works: list[Work]) -> list[Added]:
    """Append *works* to references.bib in one atomic write; all or nothing."""
    taken = set(bib.keys)
    added: list[Added] = []
    parts: list[str] = []
    for work in works:
        if not work.title:
            raise MetadataError("the record has no title; add this work by hand")
        bib.refuse_duplicate("doi", work.doi)
        bib.refuse_duplicate("pmid", work.pmid)
        key = choose_key(work, taken)
        taken.add(key)
        if work.doi:
            bib.dois[normalize_doi(work.doi).casefold()] = key
        if work.pmid:
            bib.pmids[work.pmid] = key
        entry = format_new_entry(work.entry_type, key, entry_fields(work))
        parts.append(entry)
        added.append(Added(key, entry, work.notes))
    original = bib.text
    newline = "\r\n" if "\r\n" in original else "\n"
    joiner = "" if not original or original.endswith("\n") else newline
    separator = newline if original.strip() else ""
    text = original + joiner + separator + (newline * 2).join(p.replace("\n", newline) for p in parts) + newline
    _read_back(text, works, added)
    write_atomic(bib.path, text, command="kb add")
    return added


def _read_back(text: str, works: list[Work], added: list[Added]) -> None:
    """The new text must parse and give back exactly the values we meant to write."""
    sources, problems = parse_bibliography(text)
    if any(d.code == "bib-syntax" for d in problems):
        raise AddError("the new entry would not parse; nothing was changed (please report this)")
    for work, item in zip(works, added):
        source = sources.get(item.key)
        for name in ("title", "journal", "year", "doi", "pmid", "abstract"):
            expected = getattr(work, name)
            got = source.get(name) if source else None
            if expected and got != expected:
                raise AddError(f"the new entry's {name} would read back as {got!r}, not {expected!r}; "
                               "nothing was changed (please report this)")
