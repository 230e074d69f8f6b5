"""Load content/ into model objects, collecting diagnostics.

Never raises on bad input: an unreadable or invalid file becomes a
diagnostic and the rest still loads, so one run reports everything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.intake.content_files import MAX_MARKDOWN_BYTES, scan_content
from generator.core.diagnostics import Diagnostic, diag
from generator.intake.frontmatter import Document, decode_text, parse_document
from generator.intake.reader import Refused, read_bytes
from generator.core import memo
from generator.core.ids import id_problem, suggest_id
from generator.core.layout import SOURCES_FOLDER
from generator.core.model import (DOWNGRADE_DOMAINS, ENTITY_DIRS, UPGRADE_DOMAINS, Appraisal, Claim, Entity, Evidence,
                                  FreePage, Grade, Judgement, Located)
from generator.intake.appraisals import build_appraisal
from generator.intake.schema import CLAIM_FIELDS, ENTITY_FIELDS, PAGE_FIELDS, check_mapping


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _parse(raw: bytes, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    text, problems = decode_text(raw, rel)
    if text is None:
        return None, problems
    return parse_document(text, rel)


def _located(doc: Document, rel: str) -> Located:
    return Located(rel, {str(path[0]): line for path, line in doc.lines.items() if len(path) == 1}, doc.body_line)


def _claim(id_: str, doc: Document, rel: str, out: list[Diagnostic]) -> Claim:
    values, _complete = check_mapping(doc.data, CLAIM_FIELDS, doc, rel, (), out)
    # An incomplete claim is still built (with empty placeholders) so that its
    # citations and entity references are checked in the same run; the build
    # refuses to render while any error exists.
    evidence = tuple(
        Evidence(source=e.get("source", ""), stance=e.get("stance", ""), locator=e.get("locator"),
                 quote=e.get("quote"), note=e.get("note"), line=e.get("_line"),
                 participants=e.get("participants"), quote_line=e.get("_quote_line"), effect=e.get("effect"),
                 effect_line=e.get("_effect_line"))
        for e in values.get("evidence", ())
        if e.get("source")
    )
    return Claim(
        id=id_,
        statement=values.get("statement", ""),
        type=values.get("type", ""),
        certainty=values.get("certainty", ""),
        reviewed=values.get("reviewed"),
        evidence=evidence,
        injuries=values.get("injuries", ()),
        risk_factors=values.get("risk_factors", ()),
        interventions=values.get("interventions", ()),
        population=values.get("population"),
        certainty_reason=values.get("certainty_reason"),
        status=values.get("status", "current"),
        superseded_by=values.get("superseded_by"),
        # an incomplete suppress item was already reported (schema) and silences nothing
        suppress=tuple((s["code"], s["reason"]) for s in values.get("suppress", ()) if "code" in s and "reason" in s),
        grade=_grade(values.get("grade")),
        body=doc.body,
        where=_located(doc, rel),
    )


def parse_claim(id_: str, raw: bytes, rel: str) -> Claim | None:
    """One claim from the bytes of a file (e.g. an old version read from git), or None when unreadable.

    Tolerant like load_content: problems are dropped, not raised, because an old
    version that no longer parses must not stop a build.
    """
    text, _problems = decode_text(raw, rel)
    if text is None:
        return None
    doc, _problems = parse_document(text, rel)
    if doc is None:
        return None
    return _claim(id_, doc, rel, [])


def _grade(values: dict[str, Any] | None) -> Grade | None:
    """The validated `grade:` mapping as a Grade; a domain left out (or invalid, already reported) is "no"."""
    if values is None:
        return None
    lines = values.get("_lines", {})
    judgements = tuple(
        Judgement(domain, values[domain]["rating"], values[domain]["reason"], values[domain]["_line"])
        if domain in values else Judgement(domain, line=lines.get(domain))
        for domain in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS
    )
    return Grade(applicable=values.get("applicable", True), start=values.get("start"), judgements=judgements,
                 reason=values.get("reason"), line=values.get("_line"), start_line=lines.get("start"))


Loaded = Claim | Entity | FreePage | Appraisal


def _load_one(path: Path, root: Path, rel: str, kind: str) -> tuple[Loaded | None, list[Diagnostic]]:
    """One content file as a model object and its problems (kept by `memo` while `kb serve` runs)."""
    try:
        # the reading layer: a regular file (a swap for a FIFO cannot hang the check), refused by its
        # size before it is read; links were checked by content_files.scan_content (no extra call per file)
        raw = read_bytes(path, limit=MAX_MARKDOWN_BYTES, links=True)
    except Refused as refused:
        if refused.kind == "too-large":
            return None, [diag("too-large", rel, None, f"the file is {refused.size:,} bytes; the limit is "
                               f"{MAX_MARKDOWN_BYTES:,}", "Split it; a claim or page needs far less.")]
        return None, [diag("encoding", rel, None, f"the file cannot be read: {refused}", None)]
    return memo.cached(f"content:{kind}", rel, raw, lambda: _build(raw, rel, kind, path.stem))


def _build(raw: bytes, rel: str, kind: str, id_: str) -> tuple[Loaded | None, list[Diagnostic]]:
    doc, out = _parse(raw, rel)
    out = list(out)
    if doc is None:
        return None, out
    if kind == "source":
        return build_appraisal(id_, doc, rel, out), out
    if kind == "claim":
        return _claim(id_, doc, rel, out), out
    fields = PAGE_FIELDS if kind == "page" else ENTITY_FIELDS
    values, complete = check_mapping(doc.data, fields, doc, rel, (), out)
    if not complete:
        return None, out
    if kind == "page":
        return FreePage(id_, values["title"], values.get("summary"), doc.body, _located(doc, rel)), out
    return Entity(kind, id_, values["title"], values.get("aliases", ()), values.get("summary"), doc.body,
                  _located(doc, rel), values.get("last_searched"), values.get("search_terms", ())), out


def _appraisals(files: list[tuple[Path, str]], root: Path, out: list[Diagnostic]) -> dict[str, Appraisal]:
    """Every study appraisal under root/content/sources, by BibTeX key (the file name without .md).

    The key is not an id of the site (BibTeX keys are not slugs, and a claim may share a key's
    name), so neither invalid-id nor duplicate-id applies; whether the key is in references.bib is
    checked against the bibliography (`unknown-source`).
    """
    appraisals: dict[str, Appraisal] = {}
    for path, rel in files:
        item, problems = _load_one(path, root, rel, "source")
        out.extend(problems)
        if isinstance(item, Appraisal):
            appraisals[item.key] = item
    return appraisals


def load_content(root: Path) -> tuple[dict[str, Entity], dict[str, Claim], dict[str, FreePage], list[Diagnostic],
                                      frozenset[str], dict[str, Appraisal]]:
    """Load every entity, claim, free page and study appraisal under root/content; also name the images and PDFs."""
    out: list[Diagnostic] = []
    entities: dict[str, Entity] = {}
    claims: dict[str, Claim] = {}
    pages: dict[str, FreePage] = {}
    seen: dict[str, str] = {}  # id -> first file, for duplicate-id
    # which files are read at all (and which are refused) is content_files' decision
    scan = scan_content(root)
    out.extend(scan.diagnostics)

    def accept_id(path: Path, rel: str, *, top_level: bool = False) -> str | None:
        id_ = path.stem
        problem = id_problem(id_, top_level=top_level)
        if problem:
            out.append(diag("invalid-id", rel, None, f"invalid id '{id_}': {problem}",
                            f"Rename the file, for example to '{suggest_id(id_)}.md'."))
            return None
        if id_ in seen:
            out.append(diag("duplicate-id", rel, None, f"the id '{id_}' is already used by {seen[id_]}",
                            "Every file in content/ needs its own name; rename one of them."))
            return None
        seen[id_] = rel
        return id_

    groups: list[tuple[str, Any]] = [(folder, kind) for folder, kind in ENTITY_DIRS.items()]
    groups += [("claims", "claim"), ("pages", "page")]
    for folder, kind in groups:
        for path, rel in scan.markdown.get(folder, []):
            id_ = accept_id(path, rel, top_level=(kind == "page"))
            item, problems = _load_one(path, root, rel, kind)
            out.extend(problems)
            if item is None or id_ is None:
                continue
            if isinstance(item, Claim):
                claims[id_] = item
            elif isinstance(item, FreePage):
                pages[id_] = item
            else:
                entities[f"{kind}:{id_}"] = item
    appraisals = _appraisals(scan.markdown.get(SOURCES_FOLDER, []), root, out)
    return entities, claims, pages, out, frozenset(scan.assets), appraisals
