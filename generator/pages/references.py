"""Formatting references: pybtex is confined to this module.

pybtex's built-in styles hard-code English words, so we ship one style of
our own (APA-like, author-year) whose words come from the site language.
Every entry is formatted exactly once per build (formatting is the cost,
about 1 ms per entry) and the result is reused on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry, Person
from pybtex.richtext import Text
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, first_of, join, names, node, optional, sentence, tag

from generator.core.model import Source

WORDS = {
    "nl": {"and": "en", "in": "In", "eds": "red.", "ed": "red.", "pages": "pp.", "page": "p.",
           "phd": "Proefschrift", "masters": "Masterscriptie", "report": "Rapport", "nd": "z.j.",
           "etal": "et al.", "edition": "dr.", "volume": "deel", "available": "Beschikbaar via"},
    "en": {"and": "and", "in": "In", "eds": "Eds.", "ed": "Ed.", "pages": "pp.", "page": "p.",
           "phd": "PhD thesis", "masters": "Master's thesis", "report": "Technical report", "nd": "n.d.",
           "etal": "et al.", "edition": "ed.", "volume": "vol.", "available": "Available from"},
}

NAME_FIELDS = ("author", "editor")


@node
def field(children: list[object], context: dict[str, object], name: str, apply_func: object = None,
          raw: bool = False) -> object:
    """pybtex's field(), minus its LaTeX parse: our values are Unicode already.

    bibliography.py decodes every value once.  pybtex's own field() would parse
    the result as LaTeX a second time, which costs a third of formatting and
    gets plain text wrong: "the 10% rule" became "the 10" (% starts a comment).
    Only TeX's typographic ligatures (-- --- `` '') are still turned into
    their characters, as LaTeX would print them.
    """
    if children:
        raise ValueError(children)
    entry = context["entry"]
    try:
        value = entry._find_field(name, bib_data=context.get("bib_data"))  # type: ignore[attr-defined]
    except KeyError:
        raise FieldIsMissing(name, entry) from None
    result = value if raw else Text(_ligatures(value))
    return apply_func(result) if apply_func else result  # type: ignore[operator]


def _ligatures(value: str) -> str:
    if "--" in value:
        value = value.replace("---", "\u2014").replace("--", "\u2013")
    if "``" in value or "''" in value:
        value = value.replace("``", "\u201c").replace("''", "\u201d")
    return value


def _words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["en"])


class KbStyle(BaseStyle):
    """Author (year). Title. Container, volume(number), pages.  Words in the site language."""

    default_name_style = "lastfirst"
    default_label_style = "number"
    default_sorting_style = "author_year_title"

    def __init__(self, language: str = "nl") -> None:
        super().__init__(abbreviate_names=True)
        self.w = _words(language)

    # -- building blocks --------------------------------------------------
    def _names(self, role: str) -> object:
        return names(role, sep=", ", sep2=", & ", last_sep=", & ")

    def _authors(self) -> object:
        w = self.w
        return first_of[
            optional[self._names("author")],
            optional[join(sep=" ")[self._names("editor"), f"({w['eds']})"]],
        ]

    def _year(self) -> object:
        return join["(", first_of[optional[field("year")], self.w["nd"]], ")"]

    def _pages(self) -> object:
        return optional[field("pages")]  # 510--516 -> 510–516 by field()

    def _head(self) -> object:
        return join[join(sep=" ")[self._authors(), self._year()], "."]

    def _tail(self) -> object:
        return optional[join(sep=" ")[self.w["available"], field("url", raw=True)]]

    # -- entry types ------------------------------------------------------
    def get_article_template(self, e: Entry) -> object:
        volume = optional[join[tag("em")[field("volume")], optional["(", field("number"), ")"]]]
        container = sentence(sep=", ")[tag("em")[field("journal")], volume, self._pages()]
        return join(sep=" ")[self._head(), sentence[field("title")], container]

    def get_book_template(self, e: Entry) -> object:
        return join(sep=" ")[
            self._head(),
            sentence[tag("em")[field("title")]],
            optional[sentence[join(sep=" ")[field("edition"), self.w["edition"]]]],
            sentence(sep=": ")[optional[field("address")], optional[field("publisher")]],
        ]

    def get_incollection_template(self, e: Entry) -> object:
        w = self.w
        editors = optional[join(sep=" ")[self._names("editor"), f"({w['eds'] if len(e.persons.get('editor', [])) > 1 else w['ed']})"]]
        container = join(sep=" ")[
            w["in"], optional[join[editors, ","]], tag("em")[field("booktitle")],
            optional[join["(", w["pages"], " ", self._pages(), ")"]],
        ]
        return join(sep=" ")[self._head(), sentence[field("title")], sentence[container],
                        sentence(sep=": ")[optional[field("address")], optional[field("publisher")]]]

    get_inproceedings_template = get_incollection_template
    get_conference_template = get_incollection_template
    get_inbook_template = get_incollection_template

    def get_phdthesis_template(self, e: Entry) -> object:
        kind = self.w["phd"] if e.type == "phdthesis" else self.w["masters"]
        return join(sep=" ")[self._head(), sentence[tag("em")[field("title")]],
                        sentence(sep=", ")[kind, optional[field("school")]]]

    get_mastersthesis_template = get_phdthesis_template
    get_thesis_template = get_phdthesis_template

    def get_techreport_template(self, e: Entry) -> object:
        return join(sep=" ")[self._head(), sentence[tag("em")[field("title")]],
                        sentence(sep=", ")[join(sep=" ")[self.w["report"], optional[field("number")]],
                                           optional[field("institution")]]]

    def get_misc_template(self, e: Entry) -> object:
        return join(sep=" ")[
            self._head(),
            optional[sentence[tag("em")[field("title")]]],
            optional[sentence[first_of[optional[field("journal")], optional[field("journaltitle")],
                                       optional[field("booktitle")], optional[field("howpublished")],
                                       optional[field("publisher")], optional[field("institution")],
                                       optional[field("organization")]]]],
            self._tail(),
        ]

    def format_entry(self, label: str, entry: Entry, bib_data: object = None) -> object:
        method = getattr(self, f"get_{entry.type}_template", self.get_misc_template)
        try:
            text = method(entry).format_data({"entry": entry, "style": self, "bib_data": bib_data})
        except Exception:  # a field combination the template cannot handle: fall back to misc
            text = self.get_misc_template(entry).format_data({"entry": entry, "style": self, "bib_data": bib_data})
        return text


@dataclass(frozen=True)
class Formatted:
    """A source formatted for display, computed once per build."""

    key: str
    html: str  # formatted reference, HTML-escaped by pybtex's html backend
    text: str  # the same, plain text (for search, tooltips, RIS)
    label: str  # in-text author-year label, e.g. "van Poppel et al., 2021"
    authors_short: str  # "van Poppel et al."
    year: str
    sort_key: tuple[str, str, str]
    family_names: tuple[str, ...]


class _Person(Person):
    """Names are plain Unicode too: skip pybtex's LaTeX parsing of every name part."""

    def _rich(self, parts: list[str]) -> list[Text]:
        return [Text(part) for part in parts]

    rich_first_names = property(lambda self: self._rich(self.first_names))
    rich_middle_names = property(lambda self: self._rich(self.middle_names))
    rich_prelast_names = property(lambda self: self._rich(self.prelast_names))
    rich_last_names = property(lambda self: self._rich(self.last_names))
    rich_lineage_names = property(lambda self: self._rich(self.lineage_names))


def _person_last(person: Person) -> str:
    return " ".join(person.prelast_names + person.last_names)


_LATEXISH = re.compile(r"[{}\\]")


def _persons(source: Source, role: str) -> list[Person]:
    value = source.get(role)
    if not value:
        return []
    out = []
    for part in re.split(r"\s+and\s+", value):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(_Person(part))
        except Exception:  # pybtex raises on some malformed names: keep the text as a last name
            out.append(_Person(last=_LATEXISH.sub("", part)))
    return out


def _to_pybtex(source: Source) -> Entry:
    fields = {k: _LATEXISH.sub("", v) for k, v in source.fields.items() if k not in NAME_FIELDS}
    persons = {role: _persons(source, role) for role in NAME_FIELDS if source.get(role)}
    entry_type = source.entry_type if source.entry_type else "misc"
    entry = Entry(entry_type, fields=fields)
    for role, people in persons.items():
        for person in people:
            entry.add_person(person, role)
    if "year" not in fields and source.get("date"):
        entry.fields["year"] = source.fields["date"][:4]
    return entry


def _short_authors(people: list[Person], language: str, fallback: str) -> str:
    w = _words(language)
    lasts = [_person_last(p) for p in people if _person_last(p)]
    if not lasts:
        return fallback
    if len(lasts) == 1:
        return lasts[0]
    if len(lasts) == 2:
        return f"{lasts[0]} & {lasts[1]}"
    return f"{lasts[0]} {w['etal']}"


# render_as() looks its backend up through package entry points on every call
# (about 2.7 ms, more than the formatting itself): build the two backends once.
from pybtex.backends.html import Backend as _HtmlBackend  # noqa: E402
from pybtex.backends.plaintext import Backend as _TextBackend  # noqa: E402

_BACKENDS = {"html": _HtmlBackend(), "text": _TextBackend()}

STYLE_VERSION = "kb-style-2"  # bump when KbStyle's output changes: it keys the on-disk cache


def _format_one(source: Source, language: str, style: KbStyle | None = None) -> Formatted:
    """Format one entry (about 1 ms): the unit of caching and of parallel work."""
    style = style or KbStyle(language)
    w = _words(language)
    key = source.key
    entry = _to_pybtex(source)
    people = list(entry.persons.get("author", [])) or list(entry.persons.get("editor", []))
    title = source.get("title") or key
    short = _short_authors(people, language, title if len(title) <= 40 else title[:37].rstrip() + "…")
    year = (source.get("year") or (source.get("date") or "")[:4] or w["nd"]).strip()
    try:
        rich: Text = style.format_entry(key, entry)
        html, text = rich.render(_BACKENDS["html"]), rich.render(_BACKENDS["text"])
    except Exception:  # never let one odd entry stop the build
        import html as _html

        text = f"{short} ({year}). {title}."
        html = _html.escape(text)
    return Formatted(key, html, text, f"{short}, {year}", short, year,
                     (short.casefold(), year, title.casefold()), tuple(_person_last(p) for p in people))


def _format_chunk(args: tuple[list[Source], str]) -> list[Formatted]:
    sources, language = args
    style = KbStyle(language)
    return [_format_one(s, language, style) for s in sources]


#: below this many entries to format, worker processes cost more than they save (measured with
#: benchmarks/bench.py: 1,000 entries take 0.7 s in one process, 0.5 s in two)
PARALLEL_THRESHOLD = 500


def format_sources(sources: dict[str, Source], language: str = "nl", cache: object | None = None,
                   workers: int | None = None) -> dict[str, Formatted]:
    """Format every source once.  Also assigns 2018a/2018b to colliding labels.

    *cache* (a `generator.pages.cache.ReferenceCache`) skips entries formatted by an
    earlier build with the same content and style; the rest are formatted in
    worker processes when there are enough of them to pay for it.
    """
    out: dict[str, Formatted] = {}
    todo: list[Source] = []
    for key in sorted(sources):
        hit = cache.get(sources[key], language) if cache is not None else None  # type: ignore[attr-defined]
        if hit is not None:
            out[key] = hit
        else:
            todo.append(sources[key])
    from generator.core import parallel

    workers = workers if workers is not None else parallel.workers()
    if len(todo) >= PARALLEL_THRESHOLD and workers > 1:
        size = max(200, len(todo) // (workers * 4))
        chunks = [((todo[i:i + size], language),) for i in range(0, len(todo), size)]
        done = [f for chunk in parallel.fork_map(_format_chunk, chunks, workers) for f in chunk]
    else:
        done = _format_chunk((todo, language))
    for formatted, source in zip(done, todo):
        out[source.key] = formatted
        if cache is not None:
            cache.put(source, language, formatted)  # type: ignore[attr-defined]
    # disambiguate identical labels: Smith, 2020a / Smith, 2020b (ordered by title)
    by_label: dict[str, list[str]] = {}
    for key, f in out.items():
        by_label.setdefault(f.label, []).append(key)
    for label, keys in by_label.items():
        if len(keys) < 2:
            continue
        for index, key in enumerate(sorted(keys, key=lambda k: (out[k].sort_key, k))):
            f = out[key]
            suffix = chr(ord("a") + index) if index < 26 else str(index)
            year = f.year + suffix
            out[key] = Formatted(key, f.html, f.text, f"{f.authors_short}, {year}", f.authors_short, year,
                                 f.sort_key, f.family_names)
    return out


CSL_TYPES = {"article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
             "inproceedings": "paper-conference", "conference": "paper-conference", "phdthesis": "thesis",
             "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report", "report": "report",
             "online": "webpage", "manual": "book", "unpublished": "manuscript"}


def _csl_name(person: Person) -> dict[str, str]:
    name = {"family": " ".join(person.last_names), "given": " ".join(person.first_names + person.middle_names)}
    if person.prelast_names:
        name["non-dropping-particle"] = " ".join(person.prelast_names)
    if person.lineage_names:
        name["suffix"] = " ".join(person.lineage_names)
    return {k: v for k, v in name.items() if v}


def csl_json(source: Source) -> dict[str, object]:
    """One CSL-JSON item (id = the BibTeX key)."""
    item: dict[str, object] = {"id": source.key, "type": CSL_TYPES.get(source.entry_type, "document")}
    for role in NAME_FIELDS:
        people = _persons(source, role)
        if people:
            item[role] = [_csl_name(p) for p in people]
    mapping = {"title": "title", "journal": "container-title", "booktitle": "container-title",
               "volume": "volume", "number": "issue", "pages": "page", "doi": "DOI", "pmid": "PMID",
               "pmcid": "PMCID", "url": "URL", "abstract": "abstract", "publisher": "publisher",
               "address": "publisher-place", "edition": "edition", "note": "note"}
    for bib_name, csl_name in mapping.items():
        value = source.get(bib_name)
        if value and csl_name not in item:
            item[csl_name] = value.replace("--", "–") if bib_name == "pages" else value
    year = source.get("year") or (source.get("date") or "")[:4]
    if year and year.strip().isdigit():
        item["issued"] = {"date-parts": [[int(year.strip())]]}
    return item
