"""Cross-file checks: pure functions from the model to diagnostics.

Nothing here reads files or raises on bad input.  Per-file problems
(encoding, YAML, schema, BibTeX syntax) are found by the loaders; this
module checks what only the whole knowledge base can tell: citations,
entity references, links, safety and the editorial warnings.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import posixpath
import re

from generator.checks.links import LinkTargets, link_problems
from generator.core import memo
from generator.text.citations import MD_LINK, CiteGroup, code_mask, find_citations, in_code
from generator.intake.config import Settings
from generator.core.diagnostics import Diagnostic, diag
from generator.checks.appraisal_checks import check_appraisal_fields, check_appraisals
from generator.checks.effect_checks import check_effects
from generator.checks.evidence_checks import check_grades, check_quotes
from generator.core.model import ENTITY_FIELDS, KIND_DIRS, KnowledgeBase, Located
from generator.text.anchors import MD_ANGLE_LINK
from generator.text.markdown_guard import unterminated_comment
from generator.text.resources import external_resources
from generator.text.safety import bad_url, unsafe_html



def _closest_keys(key: str, keys: list[str]) -> str:
    near = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
    if not near:
        lowered = {k.casefold(): k for k in keys}
        near = [lowered[key.casefold()]] if key.casefold() in lowered else []
    return ("Did you mean " + " or ".join(f"'{k}'" for k in near) + "?") if near else \
        "Add the entry to references.bib, or fix the key."


def _documents(kb: KnowledgeBase) -> list[tuple[str, str, int]]:
    """(path, body, first body line) of every file with a Markdown body."""
    docs = [(e.where.path, e.body, e.where.body_line) for e in kb.entities.values()]
    docs += [(c.where.path, c.body, c.where.body_line) for c in kb.claims.values()]
    docs += [(p.where.path, p.body, p.where.body_line) for p in kb.pages.values()]
    docs += [(a.file, a.notes_md, a.where.body_line) for a in kb.appraisals.values()]
    return sorted(docs)


def inline_keys(kb: KnowledgeBase) -> set[str]:
    keys: set[str] = set()
    for _path, body, _line in _documents(kb):
        for group in _citations(body):
            keys.update(item.key for item in group.items)
    return keys


@functools.lru_cache(maxsize=None)  # cleared at the end of every validate()
def _citations(body: str) -> tuple[CiteGroup, ...]:
    """Bodies are scanned by two checks; parse each once."""
    return tuple(find_citations(body))


def check_claims(kb: KnowledgeBase, settings: Settings) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    keys = sorted(kb.sources)
    known_ids = {kind: sorted(e.id for e in kb.entities.values() if e.kind == kind) for kind in ENTITY_FIELDS}
    for claim in kb.claims.values():
        rel = claim.where.path
        if not (claim.injuries or claim.risk_factors or claim.interventions):
            out.append(diag("no-evidence", rel, claim.where.line("statement") or 1,
                            "the claim is about no injury, risk factor or intervention",
                            "Add at least one id to injuries, risk_factors or interventions."))
        if not claim.evidence:
            out.append(diag("no-evidence", rel, claim.where.line("evidence") or 1,
                            "the claim cites no evidence",
                            "Add an evidence item: '- source: <key in references.bib>' with a stance."))
        for kind, field_name in ENTITY_FIELDS.items():
            for id_ in claim.entities(kind):
                if kb.entity(kind, id_) is None:
                    near = difflib.get_close_matches(id_, known_ids[kind], n=1)
                    out.append(diag("unknown-entity", rel, claim.where.line(field_name),
                                    f"{field_name} names '{id_}', but content/{KIND_DIRS[kind]}/{id_}.md does not exist",
                                    f"Did you mean '{near[0]}'?" if near else
                                    f"Create it with `kb new {kind} {id_}`, or fix the id."))
        stances: dict[str, set[str]] = {}
        for ev in claim.evidence:
            if ev.source not in kb.sources:
                out.append(diag("unknown-citation", rel, ev.line,
                                f"evidence cites '{ev.source}', which is not in references.bib",
                                _closest_keys(ev.source, keys)))
            stances.setdefault(ev.source, set()).add(ev.stance)
        for source, seen in sorted(stances.items()):
            if {"supports", "contradicts"} <= seen:
                line = next(e.line for e in claim.evidence if e.source == source and e.stance == "contradicts")
                out.append(diag("self-contradiction", rel, line,
                                f"'{source}' both supports and contradicts this claim",
                                "Split the claim so each states one thing, or use 'qualifies'."))
        for ev in claim.evidence:
            source = kb.sources.get(ev.source)
            if source is not None and source.retracted and ev.stance == "supports":
                out.append(diag("retracted-supports", rel, ev.line,
                                f"'{ev.source}' is marked retracted (retracted = {{yes}}), so it cannot support this claim",
                                "Cite a source that stands, or change the stance to 'mentions' or 'contradicts' "
                                "and say in a note that the work was retracted."))
        if claim.superseded_by and claim.superseded_by not in kb.claims:
            out.append(diag("unknown-claim", rel, claim.where.line("superseded_by"),
                            f"superseded_by names '{claim.superseded_by}', which is not a claim",
                            "Use the id (file name without .md) of a claim in content/claims/."))
        if claim.status == "superseded" and not claim.superseded_by:
            out.append(diag("schema", rel, claim.where.line("status"),
                            "a superseded claim needs 'superseded_by'",
                            "Add superseded_by: <id of the claim that replaces it>."))
        if claim.reviewed is not None:
            limit = settings.today - _dt.timedelta(days=round(settings.stale_months * 30.44))
            if claim.reviewed < limit:
                out.append(diag("stale-review", rel, claim.where.line("reviewed"),
                                f"the claim was last reviewed on {claim.reviewed.isoformat()}, "
                                f"more than {settings.stale_months} months ago",
                                "Check the claim against its sources (and newer ones), then update 'reviewed'."))
        cited = [kb.sources[e.source] for e in claim.evidence if e.source in kb.sources]
        if cited and all(not s.verified for s in cited):
            out.append(diag("unverified-source", rel, claim.where.line("evidence"),
                            "the claim rests only on sources marked unverified",
                            "Add a verified source, or lower the certainty and say why."))
    return out


def _scan_body(rel: str, body: str) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str, str, int, str], ...],
                                             tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]:
    """What a body holds, independent of the rest of the knowledge base: (cited key, line offset),
    (link target, resolved path, fragment, line offset, kind: "relative" or "absolute"), (line,
    unsafe HTML) and (line, resource from another host).  Kept by `memo` under `kb serve`."""
    cites = tuple((item.key, group.line) for group in _citations(body) for item in group.items)
    links = []
    spans = code_mask(body)
    folder = rel.rpartition("/")[0]
    found = [(m.start(), m.group(2)) for m in MD_LINK.finditer(body)]
    if "<" in body:  # `[a](<b c.md>)`: a destination with a space, which MD_LINK does not take
        found += [(m.start(), m.group(2)) for m in MD_ANGLE_LINK.finditer(body) if any(c.isspace() for c in m.group(2))]
        found.sort()
    line, counted = 0, 0  # counted incrementally: one pass over the body, not one per link
    for start, target in found:
        if in_code(start, spans) or target.startswith("//") or _SCHEME.match(target):
            continue  # links to other sites are not checked here
        path, _, fragment = target.partition("#")
        line += body.count("\n", counted, start)
        counted = start
        if path.startswith("/"):  # site-absolute: breaks when the site is published under a subpath
            links.append((target, posixpath.normpath(path.lstrip("/")) if path.strip("/") else "", fragment, line,
                          "absolute"))
        elif path or fragment:
            resolved = posixpath.normpath(posixpath.join(folder, path)) if path else rel
            links.append((target, resolved, fragment, line, "relative"))
    return cites, tuple(links), tuple(unsafe_html(body)), tuple(external_resources(body))


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def check_bodies(kb: KnowledgeBase) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    keys = sorted(kb.sources)
    content_files = {e.where.path for e in kb.entities.values()} | {c.where.path for c in kb.claims.values()} \
        | {p.where.path for p in kb.pages.values()} | {a.file for a in kb.appraisals.values()} | kb.assets
    nearest: dict[str, list[str]] = {}  # broken target -> the closest file (a fuzzy match is costly)
    targets = LinkTargets(kb)
    for rel, body, first in _documents(kb):
        cites, links, unsafe, remote = memo.cached("body", rel, body.encode("utf-8", "surrogatepass"),
                                           lambda: _scan_body(rel, body))
        for key, line in cites:
            if key not in kb.sources:
                out.append(diag("unknown-inline-citation", rel, first + line,
                                f"the text cites [@{key}], which is not in references.bib",
                                _closest_keys(key, keys)))
        out.extend(link_problems(rel, first, links, content_files, targets))
        for target, resolved, _fragment, line, kind in links:
            if kind != "relative" or resolved == rel or resolved in content_files:
                continue
            if resolved not in nearest:
                nearest[resolved] = difflib.get_close_matches(resolved, sorted(content_files), n=1)
            near = nearest[resolved]
            hint = (f"Did you mean '{posixpath.relpath(near[0], posixpath.dirname(rel))}'?" if near
                    else "Link to a file in content/, relative to this file, e.g. ../injuries/<id>.md.")
            out.append(diag("broken-link", rel, first + line,
                            f"the link '{target}' points to {resolved}, which does not exist", hint))
        comment = unterminated_comment(body)
        if comment is not None:
            out.append(diag("unterminated-html", rel, first + comment,
                            "the text opens an HTML comment '<!--' that no '-->' closes",
                            "Close it with '-->', or write '&lt;!--' to show the characters."))
        for line, what in unsafe:
            out.append(diag("unsafe-html", rel, first + line, f"the text contains {what}",
                            "Remove it: pages may not run script. Use plain Markdown links and text."))
        for line, what in remote:
            out.append(diag("external-resource", rel, first + line,
                            f"the text loads {what} from another host; the site drops it, as no request may "
                            "leave the site", "Save the file in content/ (e.g. content/pages/img/) and link it "
                            "relatively; a link to the other site ([text](https://...)) is fine."))
    return out


def check_fields(kb: KnowledgeBase) -> list[Diagnostic]:
    """Front-matter and BibTeX text is escaped on output, but script there is still an editor's error."""
    out: list[Diagnostic] = []

    def scan(rel: str, line: int | None, value: str | None) -> None:
        if value:
            for _l, what in unsafe_html(value):
                out.append(diag("unsafe-html", rel, line, f"a field contains {what}",
                                "Remove it: fields are plain text."))

    for e in kb.entities.values():
        for name in ("title", "summary"):
            scan(e.where.path, e.where.line(name), getattr(e, name))
        for name in ("aliases", "search_terms"):
            for word in getattr(e, name):
                scan(e.where.path, e.where.line(name), word)
    for c in kb.claims.values():
        for name in ("statement", "population", "certainty_reason"):
            scan(c.where.path, c.where.line(name), getattr(c, name))
        for ev in c.evidence:
            for value in (ev.quote, ev.note, ev.locator):
                scan(c.where.path, ev.line, value)
        if c.grade is not None:
            scan(c.where.path, c.grade.line, c.grade.reason)
            for j in c.grade.judgements:
                scan(c.where.path, j.line, j.reason)
    for p in kb.pages.values():
        for name in ("title", "summary"):
            scan(p.where.path, p.where.line(name), getattr(p, name))
    check_appraisal_fields(kb, scan)
    for s in kb.sources.values():
        for name, value in s.fields.items():
            scan(kb.bib_path, s.field_lines.get(name, s.line), value)
            if name == "url" and bad_url(value):
                out.append(diag("unsafe-html", kb.bib_path, s.field_lines.get(name, s.line),
                                f"entry '{s.key}' has a '{value.split(':')[0].strip()}:' URL",
                                "Use an http(s) URL, or remove the url field."))
    return out


def check_usage(kb: KnowledgeBase) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    cited = {ev.source for c in kb.claims.values() for ev in c.evidence} | inline_keys(kb)
    for key, source in sorted(kb.sources.items()):
        if key not in cited:
            out.append(diag("unused-reference", kb.bib_path, source.line,
                            f"'{key}' is cited by no claim or page",
                            "Cite it from a claim's evidence, or remove it from references.bib."))
    about = {(kind, id_) for c in kb.claims.values() for kind in ENTITY_FIELDS for id_ in c.entities(kind)}
    for entity in kb.entities.values():
        if (entity.kind, entity.id) not in about:
            out.append(diag("orphan-entity", entity.where.path, 1,
                            f"no claim is about the {entity.kind} '{entity.id}'",
                            f"Add a claim with {ENTITY_FIELDS[entity.kind]}: [{entity.id}], or remove the file."))
    return out


def check_searches(kb: KnowledgeBase, settings: Settings) -> list[Diagnostic]:
    """stale-search: the literature on a topic was last searched too long ago (living evidence)."""
    out: list[Diagnostic] = []
    limit = settings.today - _dt.timedelta(days=round(settings.stale_search_months * 30.44))
    for entity in kb.entities.values():
        if entity.last_searched is not None and entity.last_searched < limit:
            out.append(diag("stale-search", entity.where.path, entity.where.line("last_searched"),
                            f"the literature on the {entity.kind} '{entity.id}' was last searched on "
                            f"{entity.last_searched.isoformat()}, more than {settings.stale_search_months} months ago",
                            "Search for new studies on this topic, update the claims they change, "
                            "then set 'last_searched' to the date of the search."))
    return out


#: a date this many days after today is still accepted: an editor east of UTC (or of the CI's clock)
#: may write their own today's date
DATE_SLACK = _dt.timedelta(days=1)


def check_dates(kb: KnowledgeBase, settings: Settings) -> list[Diagnostic]:
    """future-date: an editor's date after today would silence stale-review or stale-search for good.

    "Today" is the later of the clock's date and the build's (SOURCE_DATE_EPOCH): a reproducible
    build pinned to an older day must not call a review done since then a date in the future.
    """
    out: list[Diagnostic] = []
    today = max(settings.today, _dt.datetime.now(_dt.timezone.utc).date())
    latest = today + DATE_SLACK
    items: list[tuple[str, _dt.date | None, Located, str]] = [
        ("reviewed", c.reviewed, c.where, "the date you checked the claim against its sources")
        for c in kb.claims.values()]
    items += [("last_searched", e.last_searched, e.where, "the date of the last search for new studies")
              for e in kb.entities.values()]
    for name, value, where, what in items:
        if value is not None and value > latest:
            out.append(diag("future-date", where.path, where.line(name),
                            f"'{name}' is {value.isoformat()}, after today ({today.isoformat()})",
                            f"Write {what} (YYYY-MM-DD); a date in the future would keep the "
                            f"{'stale-review' if name == 'reviewed' else 'stale-search'} warning away for good."))
    return out


def validate(kb: KnowledgeBase, settings: Settings) -> list[Diagnostic]:
    """All cross-file checks, then the project's configuration applied."""
    try:
        return (check_claims(kb, settings) + check_quotes(kb) + check_grades(kb) + check_bodies(kb)
                + check_fields(kb) + check_usage(kb) + check_searches(kb, settings) + check_dates(kb, settings)
                + check_appraisals(kb) + check_effects(kb, settings.language))
    finally:
        _citations.cache_clear()
