"""Match the bibliography against the Retraction Watch data set (`kb check --retractions FILE`).

The data set is the CSV Crossref distributes (about 60 MB, one row per notice):
Record ID, Title, Subject, Institution, Journal, Publisher, Country, Author, URLS,
ArticleType, RetractionDate, RetractionDOI, RetractionPubMedID, OriginalPaperDate,
OriginalPaperDOI, OriginalPaperPubMedID, RetractionNature, Reason, Paywalled, Notes.
It is streamed row by row and only the rows about a DOI or PMID of the
bibliography are kept, so memory stays small.  Missing identifiers are written
"unavailable" (DOI) and "0" (PMID) there; DOIs may be percent-encoded.  A row that
cannot be read becomes a diagnostic, never a crash.

Natures: Retraction -> `retracted-source` (error) unless the entry already says
`retracted = {yes}`; Correction, Expression of concern (and a retraction that was
later reinstated, or a nature we do not know) -> `corrected-source` (warning) unless
the entry has a `correction_note`; a lone Reinstatement is not reported.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.intake.bibliography import normalize_doi
from generator.intake.reader import Refused, open_stream
from generator.core.diagnostics import Diagnostic, diag
from generator.core.model import Source

REQUIRED = ("Record ID", "RetractionNature", "OriginalPaperDOI", "OriginalPaperPubMedID")
#: the data set is about 60 MB; a file past this is not it (and is not read)
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_LINE_CHARS = 16 * 1024 * 1024
MAX_BAD_ROWS = 10_000  # past this the file is not the data set: stop reading
csv.field_size_limit(16 * 1024 * 1024)  # long Notes fields are legitimate


@dataclass(frozen=True)
class Notice:
    record: str
    nature: str
    date: str
    notice_doi: str
    reason: str
    line: int


def _doi_key(value: str | None) -> str | None:
    text = urllib.parse.unquote(normalize_doi(value or "")).strip().casefold()
    return text if text.startswith("10.") and "/" in text else None


def _pmid_key(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if re.fullmatch(r"[1-9]\d{0,8}", text) else None


def _clean(value: str | None, limit: int = 200) -> str:
    text = "".join(ch for ch in (value or "") if ch.isprintable())
    return " ".join(text.split())[:limit]


def _date(value: str | None) -> str:
    """'1/15/2024 0:00' (the data set's month/day/year) -> '2024-01-15'; anything else as written."""
    text = _clean(value, 40)
    try:
        return _dt.datetime.strptime(text.split(" ")[0], "%m/%d/%Y").date().isoformat()
    except ValueError:
        return text


def read_notices(path: Path, shown: str, dois: set[str], pmids: set[str], inside: Path | None = None
                 ) -> tuple[dict[str, list[Notice]], list[Diagnostic]]:
    """Notices about the wanted DOIs ('doi:<key>') and PMIDs ('pmid:<n>'), and the problems of the file.

    Read through the reading layer: a regular file (not /dev/zero, a FIFO or a folder) of at most
    MAX_FILE_BYTES, inside *inside* when given (a path from the settings), streamed row by row.
    """
    try:
        stream = open_stream(path, limit=MAX_FILE_BYTES, root=inside, links=True)
    except Refused as refused:
        reason = "cannot be read" if refused.kind in ("missing", "unreadable") else "is not read"
        return {}, [diag("retractions-file", shown, None, f"the retractions file {reason}: {refused}",
                         "Download the Retraction Watch CSV from Crossref and name it with --retractions "
                         "or `retractions` in [tool.kb].")]
    handle = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    with handle:
        try:
            return _read_rows(handle, shown, dois, pmids)
        except Refused as refused:  # it grew past the limit while it was read
            return {}, [diag("retractions-file", shown, None, f"the retractions file is not read: {refused}",
                             "Download the Retraction Watch CSV from Crossref again.")]


def _read_rows(handle: io.TextIOWrapper, shown: str, dois: set[str], pmids: set[str]
               ) -> tuple[dict[str, list[Notice]], list[Diagnostic]]:
    found: dict[str, list[Notice]] = {}
    bad: list[tuple[int, str]] = []
    # one line at a time, each at most MAX_LINE_CHARS: a file without line breaks is not read whole
    reader = csv.reader(iter(lambda: handle.readline(MAX_LINE_CHARS), ""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        header, bad = [], [(1, str(exc))]
    while header and not header[-1].strip():  # some exports end every line with a comma
        header = header[:-1]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return {}, [diag("retractions-file", shown, 1,
                         f"the retractions file lacks the column(s) {', '.join(missing)}; it does not look like "
                         "the Retraction Watch CSV",
                         f"Expected a header with {', '.join(REQUIRED)} (the data set as Crossref distributes it).")]
    width = len(header)
    doi_at, pmid_at = header.index("OriginalPaperDOI"), header.index("OriginalPaperPubMedID")
    while len(bad) < MAX_BAD_ROWS:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append((reader.line_num, str(exc)))
            continue
        if len(fields) != width and (len(fields) < width or any(f.strip() for f in fields[width:])):
            if fields and any(f.strip() for f in fields):  # a blank line is no problem
                bad.append((reader.line_num, f"{len(fields)} fields where the header has {width}"))
            continue
        # the fast path first: nearly every row is about a work the bibliography does not cite
        raw_doi, raw_pmid = fields[doi_at], fields[pmid_at].strip()
        doi = raw_doi.strip().casefold()
        if doi not in dois and ("%" in doi or not doi.startswith("10.")):
            doi = _doi_key(raw_doi) or ""
        keys = [f"doi:{doi}"] if doi in dois else []
        keys += [f"pmid:{raw_pmid}"] if raw_pmid in pmids else []
        if not keys:
            continue
        row = dict(zip(header, fields))
        notice = Notice(_clean(row["Record ID"], 20), _clean(row["RetractionNature"], 60),
                        _date(row.get("RetractionDate")), _clean(row.get("RetractionDOI"), 200),
                        _clean((row.get("Reason") or "").replace("+", "").replace(";", "; "), 300).strip("; "),
                        reader.line_num)
        for key in keys:
            found.setdefault(key, []).append(notice)
    problems = []
    if bad:
        line, reason = bad[0]
        problems.append(diag("retractions-row", shown, line,
                             f"{len(bad)} row(s) of the retractions file cannot be read (the first: {_clean(reason)})",
                             "Download the file again; a row that cannot be read cannot warn about a retraction."))
    return found, problems


_LAST: list[tuple[tuple[object, ...], tuple[dict[str, list[Notice]], list[Diagnostic]]]] = []


def _read_cached(path: Path, shown: str, dois: frozenset[str], pmids: frozenset[str], inside: Path | None
                 ) -> tuple[dict[str, list[Notice]], list[Diagnostic]]:
    """`kb serve` checks again on every edit: reading 60 MB each time would add seconds to each
    rebuild, so the last result is kept while the file and the wanted identifiers stay the same."""
    try:
        stat = path.stat()
        key: tuple[object, ...] | None = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, shown, dois, pmids,
                                          str(inside))
    except OSError:
        key = None
    if key is not None and _LAST and _LAST[0][0] == key:
        return _LAST[0][1]
    result = read_notices(path, shown, set(dois), set(pmids), inside)
    if key is not None:
        _LAST[:] = [(key, result)]
    return result


def _describe(notice: Notice) -> str:
    parts = [f"Retraction Watch record {notice.record}"]
    if notice.date:
        parts.append(notice.date)
    if notice.notice_doi and _doi_key(notice.notice_doi):
        parts.append(f"notice doi:{notice.notice_doi}")
    text = ", ".join(parts)
    return text + (f"; reason: {notice.reason}" if notice.reason else "")


def check_retractions(sources: dict[str, Source], bib_path: str, path: Path, shown: str,
                      inside: Path | None = None) -> list[Diagnostic]:
    """retracted-source / corrected-source at each entry the data set has a notice about."""
    wanted: dict[str, str] = {}
    for key, source in sources.items():
        doi = _doi_key(source.get("doi"))
        pmid = _pmid_key(source.get("pmid"))
        if doi:
            wanted.setdefault(f"doi:{doi}", key)
        if pmid:
            wanted.setdefault(f"pmid:{pmid}", key)
    notices, problems = _read_cached(path, shown, frozenset(k[4:] for k in wanted if k.startswith("doi:")),
                                     frozenset(k[5:] for k in wanted if k.startswith("pmid:")), inside)
    out = list(problems)  # the cached list stays as read
    per_source: dict[str, dict[str, Notice]] = {}
    for ident, items in notices.items():
        for notice in items:
            per_source.setdefault(wanted[ident], {})[notice.record or str(notice.line)] = notice
    for key in sorted(per_source):
        out.extend(_source_diagnostics(sources[key], bib_path, sorted(per_source[key].values(), key=_order)))
    return out


def _order(notice: Notice) -> tuple[str, int]:
    return (notice.date, notice.line)


def _source_diagnostics(source: Source, bib_path: str, notices: Iterable[Notice]) -> list[Diagnostic]:
    items = list(notices)
    natures = {n.nature.casefold() for n in items}
    retractions = [n for n in items if n.nature.casefold() == "retraction"]
    ident = f"DOI {source.get('doi')}" if source.get("doi") else f"PMID {source.get('pmid')}"
    if retractions and "reinstatement" not in natures:
        if source.retracted:
            return []
        return [diag("retracted-source", bib_path, source.line,
                     f"'{source.key}' ({ident}) was retracted ({_describe(retractions[-1])})",
                     "Read the retraction notice. Add retracted = {yes} and a retraction_note (what was retracted "
                     "and why) to the entry; a retracted source can no longer support a claim.")]
    others = [n for n in items if n.nature.casefold() not in ("reinstatement",) or retractions]
    if not others or source.get("correction_note"):
        return []
    names = sorted({("a retraction, later reinstated" if n.nature.casefold() in ("retraction", "reinstatement")
                     else {"correction": "a correction", "expression of concern": "an expression of concern"}.get(
                         n.nature.casefold(), f"a notice '{n.nature}'")) for n in others})
    return [diag("corrected-source", bib_path, source.line,
                 f"'{source.key}' ({ident}) has {' and '.join(names)} ({_describe(others[-1])})",
                 "Read the notice and check that the claims citing this source still hold; then add "
                 "correction_note = {...} to the entry saying what changed (that silences this warning).")]
