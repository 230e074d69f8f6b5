"""The browser editor's configuration (`/admin/config.yml`), generated from the schemas `kb check` uses.

Decap CMS draws its forms from config.yml.  Writing that file by hand would let the form and
`kb check` drift apart (a new field the form cannot fill, a choice the check refuses), so it is
made here, at every build, from the same `FieldSpec` tables (generator/intake/schema.py) that the
loader validates with and the JSON Schemas are made from, walked generically: every field of every
table becomes a form field, whatever kind it is.  The pickers are filled from the knowledge base
being built (entity ids with their titles, bibliography keys with author, year and title), labels
and hints come from generator/core/i18n.py in the site's language.

Pure data -> text: `cms_config` returns a dict, `config_text` turns it into YAML.  The YAML is
written as JSON (a subset of YAML that Decap's parser reads), so no YAML library is needed here.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Any

from generator.core import i18n
from generator.core.diagnostics import CODES
from generator.core.model import ENTITY_DIRS, ENTITY_FIELDS, KnowledgeBase
from generator.intake import schema
from generator.intake.config import Settings
from generator.intake.schema import FieldSpec

#: where the editor saves uploaded images (content/ is what kb publishes of the editors' files)
MEDIA_FOLDER = "content/images"
#: the form's "reason for the change": never written to the file; kb-cms.js puts it into the commit
#: message as its `Reden:` trailer, which the site's change history shows readers
REASON_FIELD = "reden"
#: text fields that get a multi-line box
_LONG = {"statement", "quote", "note", "reason", "certainty_reason", "summary", "missing", "population"}
#: claim fields that are lists of entity ids -> the entity kind they name
_ENTITY_LISTS = {field: kind for kind, field in ENTITY_FIELDS.items()}
#: enumerations whose words the site already translates (field name -> i18n table)
_CHOICE_WORDS = {"type": i18n.CLAIM_TYPE, "certainty": i18n.CERTAINTY, "stance": i18n.STANCE,
                 "start": i18n.GRADE_START, "status": i18n.STATUS, "rating": i18n.GRADE_RATING}


def _words(settings: Settings) -> str:
    return i18n.lang(settings.language)


def label_and_hint(spec: FieldSpec, where: str, language: str) -> tuple[str, str, bool]:
    """(label, hint, translated) of a field in the form.

    A field the site's language has no words for shows its schema name and (English) description;
    for an English site that is its translation.
    """
    table = i18n.CMS_FIELDS.get(language, {})
    for key in (f"{where}.{spec.name}", spec.name):
        if key in table:
            return table[key][0], table[key][1], True
    return spec.name.replace("_", " ").capitalize(), spec.description, language == "en"


def _choice_label(field: str, value: str, language: str) -> str:
    if field == "certainty":
        return f"{i18n.CERTAINTY_SYMBOLS.get(value, '')} {i18n.CERTAINTY[language].get(value, value)}".strip()
    words = _CHOICE_WORDS.get(field)
    if words is None:
        return value
    table = words.get(language) if isinstance(words, dict) else None
    return table.get(value, value) if isinstance(table, dict) else value


def _options(field: str, choices: tuple[str, ...], language: str) -> list[dict[str, str]]:
    return [{"label": _choice_label(field, c, language), "value": c} for c in choices]


def source_label(key: str, fields: dict[str, str]) -> str:
    """'Nielsen et al. 2014 — Title (nielsen2014)': who, when and what, so the key need not be known."""
    authors = [a.strip() for a in re.split(r"\s+and\s+", fields.get("author") or "") if a.strip()]
    first = authors[0].split(",")[0].strip() if authors else ""
    if first and "," not in authors[0]:
        first = first.split()[-1]
    who = f"{first} et al." if len(authors) > 2 else " & ".join(
        a.split(",")[0].strip() if "," in a else a.split()[-1] for a in authors)
    title = (fields.get("title") or "").strip()
    if len(title) > 90:
        title = title[:89].rstrip() + "…"
    parts = " ".join(p for p in (who, fields.get("year") or "") if p)
    return f"{parts} — {title} ({key})" if parts or title else key


class _Form:
    """Turns FieldSpec tables into Decap fields; remembers every field it could not translate or map."""

    def __init__(self, kb: KnowledgeBase, settings: Settings) -> None:
        self.kb = kb
        self.language = _words(settings)
        self.untranslated: list[str] = []
        self.unmapped: list[str] = []

    def pickers(self, name: str, where: str) -> list[dict[str, str]] | None:
        """The options of a field whose value names something in the knowledge base, or None."""
        if where == "claim" and name in _ENTITY_LISTS:
            return [{"label": f"{e.title} ({e.id})", "value": e.id}
                    for e in self.kb.entities_of(_ENTITY_LISTS[name])]
        if where == "evidence" and name == "source":
            return [{"label": source_label(k, s.fields), "value": k} for k, s in sorted(self.kb.sources.items())]
        if where == "claim" and name == "superseded_by":
            return [{"label": f"{c.statement} ({c.id})", "value": c.id}
                    for c in sorted(self.kb.claims.values(), key=lambda c: c.id)]
        if where == "suppress" and name == "code":
            return [{"label": f"{code} — {spec.severity}", "value": code} for code, spec in sorted(CODES.items())
                    if spec.severity == "warning"]
        return None

    def field(self, spec: FieldSpec, where: str) -> dict[str, Any]:
        label, hint, translated = label_and_hint(spec, where, self.language)
        if not translated:
            self.untranslated.append(f"{where}.{spec.name}")
        out: dict[str, Any] = {"name": spec.name, "label": label, "hint": hint, "required": spec.required}
        options = self.pickers(spec.name, where)
        if options is not None:
            out.update(widget="select", options=options, multiple=spec.kind == "list")
            if spec.kind == "list":
                out["min"] = 0
            return out
        kind = spec.kind
        if kind == "text":
            out["widget"] = "text" if spec.name in _LONG else "string"
        elif kind == "enum":
            out.update(widget="select", options=_options(spec.name, spec.choices, self.language))
        elif kind == "date":
            # written as YYYY-MM-DD without quotes, which kb reads as a date
            out.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False,
                       picker_utc=True)
        elif kind == "int":
            out.update(widget="number", value_type="int", min=1)
        elif kind == "bool":
            out["widget"] = "boolean"
        elif kind in ("list", "words"):
            out.update(widget="list", allow_add=True)
        elif kind == "rating":
            # kb's own widget (templates/cms_admin.js): a domain is a bare `no` or {rating, reason}, which
            # Decap's object widget cannot show; `parts` are the two fields it draws
            parts = [self.field(f, "rating") for f in schema.rating_fields(spec.choices)]
            parts[0]["options"] = _options("rating", spec.choices, self.language)
            if not spec.required:  # a domain left empty is left out; kb check asks for a rating once it is there
                parts[0]["required"] = False
            out.update(widget="kb-grade-domain", parts=parts)
            if where == "grade":  # the domain's name as the site's profile table shows it
                out["label"] = i18n.GRADE_DOMAIN[self.language].get(spec.name, out["label"])
                out["hint"] = f'{i18n.CMS_WORDS[self.language]["domain_hint"]} {out["hint"]}'
        elif kind == "grade":
            out.update(widget="object", collapsed=False, fields=[self.field(f, "grade") for f in schema.GRADE_FIELDS])
        elif kind in ("evidence", "suppress"):
            fields = schema.EVIDENCE_FIELDS if kind == "evidence" else schema.SUPPRESS_FIELDS
            out.update(widget="list", collapsed=True, fields=[self.field(f, kind) for f in fields],
                       summary="{{fields.source}} — {{fields.stance}}" if kind == "evidence" else "{{fields.code}}")
            if spec.required:
                out["min"] = 1
        elif kind == "id":
            out.update(widget="string", pattern=[r"^[a-z0-9]+(-[a-z0-9]+)*$", i18n.CMS_WORDS[self.language]["id_pattern"]])
        elif kind == "number":
            out.update(widget="number", value_type="float")
        elif kind == "interval":  # [low, high]
            out.update(widget="list", min=2, max=2, allow_add=True,
                       field={"name": "bound", "label": out["label"], "widget": "number", "value_type": "float"})
        elif kind == "mapping":
            out.update(widget="object", collapsed=False, fields=[self.field(f, spec.name) for f in spec.fields])
        elif kind == "items":
            out.update(widget="list", collapsed=True, fields=[self.field(f, spec.name) for f in spec.fields],
                       summary="{{fields.id}}")
        elif kind == "domains":  # one optional object per domain name the tools know; kb check says which apply
            out.update(widget="object", collapsed=True, fields=[
                {"name": name, "label": i18n.rob_domain(self.language, "", name), "required": False,
                 "widget": "object", "collapsed": True,
                 "fields": [{**self.field(f, "domain"), "required": False} for f in spec.fields]}
                for name in spec.choices])
        else:  # a kind this module does not know yet: still a field, and tests/test_cms.py says which
            self.unmapped.append(f"{where}.{spec.name} ({kind})")
            out["widget"] = "string"
        return out

    def fields(self, table: tuple[FieldSpec, ...], where: str, body: bool) -> list[dict[str, Any]]:
        out = [self.field(spec, where) for spec in table]
        if body:
            label, hint = i18n.CMS_FIELDS.get(self.language, {}).get("body") or i18n.CMS_FIELDS["nl"]["body"]
            out.append({"name": "body", "label": label, "hint": hint, "widget": "markdown", "required": False})
        return out


def _collection(name: str, folder: str, form: _Form, table: tuple[FieldSpec, ...], where: str, *,
                identifier: str, slug: str, words: dict[str, str], word: str, body: bool = True,
                create: bool = True, summary: str | None = None) -> dict[str, Any]:
    return {
        "name": name, "label": words[name],
        "label_singular": words[word], "folder": f"content/{folder}", "extension": "md",
        "format": "frontmatter", "create": create, "delete": False, "identifier_field": identifier,
        "slug": slug, "summary": summary or "{{" + identifier + "}}", "sortable_fields": [identifier],
        "fields": form.fields(table, where, body) + [_reason_field(words)],
    }


def _reason_field(words: dict[str, str]) -> dict[str, Any]:
    return {"name": REASON_FIELD, "label": words["reason_label"], "hint": words["reason_hint"], "widget": "text",
            "required": True}


def repository(settings: Settings, environ: Mapping[str, str] = os.environ) -> str | None:
    """owner/name of the GitHub repository: the setting cms_repo, else what repo_url names, else the
    repository a GitHub Actions build runs in ($GITHUB_REPOSITORY, as .github/workflows/pages.yml has it)."""
    if settings.cms_repo:
        return settings.cms_repo.strip().strip("/")
    match = re.match(r"https://github\.com/([^/]+/[^/#?]+?)(?:\.git)?/?$", settings.repo_url or "")
    if match:
        return match.group(1)
    named = environ.get("GITHUB_REPOSITORY", "").strip()
    return named if re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", named) else None


def cms_config(kb: KnowledgeBase, settings: Settings) -> tuple[dict[str, Any], _Form]:
    """Decap's configuration for this knowledge base, and the form builder (what it could not map)."""
    language = _words(settings)
    words = i18n.CMS_WORDS[language]
    form = _Form(kb, settings)
    # a claim's id (its file name) is made from the start of its statement; kb ids are at most 80 characters
    claim_slug = "{{fields.statement | truncate(60, '')}}"
    collections = [_collection("claims", "claims", form, schema.CLAIM_FIELDS, "claim", identifier="statement",
                               slug=claim_slug, words=words, word="claim")]
    for folder, kind in ENTITY_DIRS.items():
        collections.append(_collection(folder, folder, form, schema.ENTITY_FIELDS, kind, identifier="title",
                                       slug="{{title}}", words=words, word=kind))
    collections.append(_collection("pages", "pages", form, schema.PAGE_FIELDS, "page", identifier="title",
                                   slug="{{title}}", words=words, word="page"))
    source_fields = getattr(schema, "SOURCE_FIELDS", None)  # the appraisals of issue 19, once they exist
    if source_fields:
        # content/sources/<key>.md: its file name is a bibliography key, which Decap cannot take from a
        # picker, so appraisals are edited here and a new one is started as a file (README)
        collections.append(_collection("sources", "sources", form, tuple(source_fields), "source",
                                       identifier="reviewed", slug="{{slug}}", words=words, word="source",
                                       create=False, summary="{{filename}}"))
    backend: dict[str, Any] = {
        "name": "github", "repo": repository(settings) or "OWNER/REPOSITORY", "branch": settings.cms_branch,
        # no squash merges: each save's commit keeps the editor's `Reden:` (a squash made by Decap would
        # carry only "Automatically generated. Merged on Decap CMS.")
        "open_authoring": True,
        "commit_messages": {k: words[k] for k in ("create", "update", "delete", "uploadMedia", "deleteMedia",
                                                  "openAuthoring")},
    }
    if settings.cms_base_url:
        backend["base_url"] = settings.cms_base_url.rstrip("/")
    config: dict[str, Any] = {
        "backend": backend,
        # `npx decap-server` on this machine: only used when /admin/ is opened on localhost
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "locale": language,
        "media_folder": MEDIA_FOLDER,
        # how a page links an uploaded image: relative, as kb resolves links from content/<folder>/<id>.md
        "public_folder": "../" + MEDIA_FOLDER.removeprefix("content/"),
        "site_url": settings.site_url or "/",
        "display_url": settings.site_url or "/",
        "logo_url": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }
    if not config["logo_url"]:
        del config["logo_url"]
    return config, form


def config_text(config: dict[str, Any]) -> str:
    """config.yml's text: JSON, which YAML parsers (Decap's among them) read as YAML."""
    return ("# Generated by `kb build` from the schemas `kb check` uses (generator/pages/cms_config.py);\n"
            "# do not edit: the next build writes it again.\n"
            + json.dumps(config, ensure_ascii=False, indent=1) + "\n")
