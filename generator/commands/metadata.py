"""A work's metadata from Crossref JSON, PubMed XML or CSL-JSON, checked and reduced to plain text.

Everything here comes from outside (a web service or a file someone exported),
so it is treated as untrusted: markup is stripped (`sanitize.plain_text`),
control characters dropped, lengths capped, and each identifier and the year
validated; a value that fails is left out (and said so in `Work.notes`), never
guessed.  defusedxml parses the PubMed XML (no entity expansion, no external
entities).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from generator.intake.bibliography import normalize_doi
from generator.commands.identifiers import DOI_PATTERN, PMCID_PATTERN, PMID_PATTERN
from generator.pages.sanitize import plain_text

MAX_AUTHORS = 100  # more are written as "and others", as BibTeX does
LIMITS = {"title": 1000, "journal": 300, "publisher": 300, "volume": 30, "number": 30, "pages": 40,
          "abstract": 20000, "name": 200}


class MetadataError(ValueError):
    """The response or file does not describe a work we can add."""


@dataclass(frozen=True)
class Person:
    family: str
    given: str | None = None
    literal: bool = False  # an organisation: written in braces so BibTeX does not split it


@dataclass(frozen=True)
class Work:
    entry_type: str
    authors: tuple[Person, ...]
    title: str | None
    journal: str | None = None
    publisher: str | None = None
    year: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    abstract: str | None = None
    more_authors: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)


# ---------------------------------------------------------------- cleaning


def clean(value: Any, limit: int) -> str | None:
    """Plain text of an untrusted value: first of a list, markup stripped, no control characters."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = plain_text(value) if ("<" in value or "&" in value) else value
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return text[:limit].rstrip() or None


def _year(value: Any, notes: list[str]) -> str | None:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text) and 1500 <= int(text) <= _dt.date.today().year + 1:
        return text
    notes.append(f"the year '{text[:20]}' is not a plausible year and was left out")
    return None


def _pages(value: str | None) -> str | None:
    """'319-322' -> '319--322'; PubMed's short form '845-9' -> '845--849' (the same range)."""
    if not value or not re.fullmatch(r"[\w.,:;+ –—-]+", value):
        return None
    numeric = re.fullmatch(r"(\d+)\s*[-–—]+\s*(\d+)", value)
    if numeric:
        start, end = numeric.groups()
        if len(end) < len(start):
            end = start[: len(start) - len(end)] + end
        return f"{start}--{end}"
    other = re.fullmatch(r"(\S+?)\s*[-–—]+\s*(\S+)", value)  # e.g. e123-e130
    return f"{other.group(1)}--{other.group(2)}" if other else value


def _identifier(value: Any, pattern: re.Pattern[str], name: str, notes: list[str]) -> str | None:
    text = clean(value, 300)
    if text is None:
        return None
    if name == "DOI":
        text = normalize_doi(text)
    elif name == "PMCID":
        text = text.upper() if text.upper().startswith("PMC") else "PMC" + text
    if pattern.fullmatch(text):
        return text
    notes.append(f"the {name} '{text[:60]}' is not valid and was left out")
    return None


# ---------------------------------------------------------------- CSL-JSON and Crossref

_CSL_TYPES = {"article-journal": "article", "journal-article": "article", "article": "article",
              "review": "article", "book": "book", "monograph": "book", "chapter": "incollection",
              "book-chapter": "incollection", "paper-conference": "inproceedings",
              "proceedings-article": "inproceedings"}


def _person(item: Any) -> Person | None:
    if not isinstance(item, dict):
        return None
    family = clean(item.get("family"), LIMITS["name"])
    particle = clean(item.get("non-dropping-particle"), 40)
    if family and particle:
        family = f"{particle} {family}"
    if family:
        given = clean(item.get("given"), LIMITS["name"])
        dropping = clean(item.get("dropping-particle"), 40)
        if given and dropping:
            given = f"{given} {dropping}"
        return Person(family, given)
    literal = clean(item.get("literal") or item.get("name"), LIMITS["name"])
    return Person(literal, None, literal=True) if literal else None


def _date_year(item: dict[str, Any]) -> Any:
    """The issue (print) year first, as the knowledge base's keys use it; then the earliest publication."""
    issue = item.get("journal-issue") if isinstance(item.get("journal-issue"), dict) else {}
    for date in (item.get("published-print"), issue.get("published-print"), item.get("issued"),
                 item.get("published-online"), item.get("published"), item.get("created")):
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                return parts[0][0]
            if isinstance(date.get("raw"), str):
                found = re.search(r"\b\d{4}\b", date["raw"])
                return found.group(0) if found else date["raw"]
    return None


def _extra(note: str, name: str) -> str | None:
    found = re.search(rf"^\s*{name}:\s*(\S+)\s*$", note, re.MULTILINE | re.IGNORECASE)
    return found.group(1) if found else None


def from_csl(item: Any) -> Work:
    """One CSL-JSON item (Zotero, Better BibTeX) or a Crossref `message` (nearly the same shape)."""
    if not isinstance(item, dict):
        raise MetadataError("expected a JSON object describing one work")
    notes: list[str] = []
    people = [p for p in map(_person, item.get("author") or [] if isinstance(item.get("author"), list) else [])
              if p is not None]
    kind = _CSL_TYPES.get(str(item.get("type", "")).lower(), "misc")
    journal = clean(item.get("container-title"), LIMITS["journal"])
    if kind == "article" and not journal:
        kind = "misc"
    abstract = clean(item.get("abstract"), LIMITS["abstract"])
    if abstract:
        abstract = re.sub(r"^(abstract|summary)\s*:?\s*", "", abstract, flags=re.IGNORECASE) or None
    extra = item.get("note") if isinstance(item.get("note"), str) else ""  # Zotero keeps 'PMID: 123' there
    pmcid = item.get("PMCID") or item.get("pmcid") or _extra(extra, "PMCID")
    return Work(
        entry_type=kind,
        authors=tuple(people[:MAX_AUTHORS]),
        more_authors=len(people) > MAX_AUTHORS,
        title=clean(item.get("title"), LIMITS["title"]),
        journal=journal if kind in ("article", "incollection", "inproceedings") else None,
        publisher=clean(item.get("publisher"), LIMITS["publisher"]) if kind in ("book", "incollection") else None,
        year=_year(_date_year(item), notes),
        volume=clean(item.get("volume"), LIMITS["volume"]),
        number=clean(item.get("issue"), LIMITS["number"]),
        pages=_pages(clean(item.get("page"), LIMITS["pages"])),
        doi=_identifier(item.get("DOI") or item.get("doi"), DOI_PATTERN, "DOI", notes),
        pmid=_identifier(item.get("PMID") or item.get("pmid") or _extra(extra, "PMID"), PMID_PATTERN, "PMID", notes),
        pmcid=_identifier(pmcid, PMCID_PATTERN, "PMCID", notes) if pmcid else None,
        abstract=abstract,
        notes=tuple(notes),
    )


def from_crossref(text: str) -> Work:
    """The body of https://api.crossref.org/works/{doi}: {"status": "ok", "message": {...}}."""
    try:
        data = json.loads(text)
    except ValueError:
        raise MetadataError("Crossref sent something that is not JSON") from None
    if not isinstance(data, dict) or data.get("status") != "ok" or not isinstance(data.get("message"), dict):
        raise MetadataError("Crossref's answer has no work record ('message')")
    return from_csl(data["message"])


def from_csl_file(text: str) -> list[Work]:
    """A CSL-JSON export: a list of items (Zotero, Better BibTeX) or a single item."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise MetadataError(f"the file is not JSON ({exc})") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise MetadataError("the file holds no items")
    return [from_csl(item) for item in items]


# ---------------------------------------------------------------- PubMed efetch XML


def _all_text(node: Any) -> str:
    return "".join(node.itertext()) if node is not None else ""


def from_pubmed(text: str) -> Work:
    """The body of efetch.fcgi?db=pubmed&retmode=xml: <PubmedArticleSet><PubmedArticle>..."""
    try:
        root = SafeET.fromstring(text.encode("utf-8"))
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise MetadataError(f"PubMed sent XML that cannot be read safely ({type(exc).__name__})") from None
    article = root.find("PubmedArticle")
    if article is None:
        raise MetadataError("PubMed has no article record for this PMID (is it a book chapter or a typo?)")
    notes: list[str] = []
    cit = article.find("MedlineCitation")
    art = cit.find("Article") if cit is not None else None
    if art is None:
        raise MetadataError("PubMed's record has no Article element")
    people = []
    for author in art.findall("AuthorList/Author"):
        family = clean(author.findtext("LastName"), LIMITS["name"])
        group = clean(_all_text(author.find("CollectiveName")), LIMITS["name"])
        if family:
            given = clean(author.findtext("ForeName") or author.findtext("Initials"), LIMITS["name"])
            people.append(Person(family, given))
        elif group:
            people.append(Person(group, None, literal=True))
    issue = art.find("Journal/JournalIssue")
    year = issue.findtext("PubDate/Year") if issue is not None else None
    if not year and issue is not None:
        found = re.search(r"\d{4}", issue.findtext("PubDate/MedlineDate") or "")
        year = found.group(0) if found else None
    pages = art.findtext("Pagination/MedlinePgn")
    if not pages and art.findtext("Pagination/StartPage"):
        pages = "-".join(p for p in (art.findtext("Pagination/StartPage"), art.findtext("Pagination/EndPage")) if p)
    parts = []
    for node in art.findall("Abstract/AbstractText"):
        body = clean(_all_text(node), LIMITS["abstract"])
        label = clean(node.get("Label"), 100)
        if body:
            parts.append(f"{label.capitalize() if label and label.isupper() else label}: {body}" if label else body)
    ids = {node.get("IdType"): _all_text(node) for node in article.findall("PubmedData/ArticleIdList/ArticleId")}
    doi = ids.get("doi") or next((_all_text(n) for n in art.findall("ELocationID") if n.get("EIdType") == "doi"), None)
    return Work(
        entry_type="article",
        authors=tuple(people[:MAX_AUTHORS]),
        more_authors=len(people) > MAX_AUTHORS,
        title=clean(_all_text(art.find("ArticleTitle")), LIMITS["title"]),
        journal=clean(art.findtext("Journal/Title"), LIMITS["journal"]),
        year=_year(year, notes),
        volume=clean(issue.findtext("Volume") if issue is not None else None, LIMITS["volume"]),
        number=clean(issue.findtext("Issue") if issue is not None else None, LIMITS["number"]),
        pages=_pages(clean(pages, LIMITS["pages"])),
        doi=_identifier(doi, DOI_PATTERN, "DOI", notes),
        pmid=_identifier(cit.findtext("PMID") if cit is not None else ids.get("pubmed"), PMID_PATTERN, "PMID", notes),
        pmcid=_identifier(ids["pmc"], PMCID_PATTERN, "PMCID", notes) if ids.get("pmc") else None,
        abstract=clean(" ".join(parts), LIMITS["abstract"]),
        notes=tuple(notes),
    )
