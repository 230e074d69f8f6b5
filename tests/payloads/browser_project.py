"""A hostile project for the browser test: numbered XSS payloads in every text that reaches a page.

Each payload of xss.txt is rewritten so that, if it ever ran, it would call
`kbxss(N)` (a function the browser test defines in every frame) instead of
`alert('kbxss')`.  N = 100 * field number + payload number, so a hit names
both the field and the payload (`describe(N)`).  The bodies additionally carry
the corpus unchanged (alert dialogs, which the test also listens for).

Imported by path (like kbproject.py), not as a package.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import re
from pathlib import Path

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

CORPUS: list[str] = kbproject.payloads()
MARKER = kbproject.MARKER

BIB_FIELDS = kbproject.BIB_FIELDS

CLAIM_FILE = "content/claims/exercise-helps.md"
INJURY_FILE = "content/injuries/runners-knee.md"
INTERVENTION_FILE = "content/interventions/exercise-therapy.md"
PAGE_FILE = "content/pages/about.md"
CARDS_FILE = "content/claims/hostile-cards.md"
BIB_FILE = "references.bib"

#: (file, field) for every place a payload goes; the index is the field number in N
FIELDS: list[tuple[str, str]] = (
    [(CLAIM_FILE, f) for f in ("statement", "population", "certainty_reason", "evidence.locator",
                               "evidence.quote", "evidence.note", "body")]
    + [(INJURY_FILE, f) for f in ("title", "aliases", "summary", "body")]
    + [(INTERVENTION_FILE, f) for f in ("title", "aliases", "summary", "body")]
    + [(PAGE_FILE, f) for f in ("title", "summary", "body")]
    + [(BIB_FILE, f"@misc{{hostile}}.{f}") for f in BIB_FIELDS]
)
_FIELD_NO = {field: i + 1 for i, field in enumerate(FIELDS)}


def numbered(payload: str, n: int) -> str:
    """*payload* calling kbxss(n) where it called alert('kbxss'), inside base64 data: URLs too."""

    def rebase(m: re.Match[str]) -> str:
        inner = base64.b64decode(m.group(1)).decode("utf-8")
        return "base64," + base64.b64encode(numbered(inner, n).encode("utf-8")).decode("ascii")

    out = re.sub(r"base64,([A-Za-z0-9+/=]+)", rebase, payload)
    return out.replace("alert('kbxss')", f"kbxss({n})").replace("kbxss.js", f"kbxss-{n}.js")


def field_payloads(file: str, field: str) -> list[str]:
    k = _FIELD_NO[(file, field)]
    return [numbered(p, 100 * k + i) for i, p in enumerate(CORPUS)]


def describe(n: object) -> str:
    """'references.bib @misc{hostile}.note, payload 3: <img ...>' for a number kbxss() received."""
    try:
        k, i = divmod(int(str(n)), 100)
        file, field = FIELDS[k - 1]
        return f"{file} {field}, payload {i}: {CORPUS[i]!r}"
    except (ValueError, IndexError):
        return f"unknown marker {n!r}"


def y(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value)


#: the corpus unchanged (alert dialogs), added to every body
_CORPUS_TEXT = "\n\n".join(CORPUS)


def _joined(file: str, field: str) -> str:
    return "\n\n".join(field_payloads(file, field))


def _bib_value(payload: str) -> str:
    return payload if payload.count("{") == payload.count("}") else payload.replace("{", "(").replace("}", ")")


def _entity(file: str, cite: str) -> str:
    aliases = ", ".join(y(p) for p in field_payloads(file, "aliases"))
    return f"""---
title: {y("Entity " + _joined(file, "title"))}
aliases: [{aliases}, plain alias]
summary: {y(_joined(file, "summary"))}
---
Text before [{cite}].

{_joined(file, "body")}

{_CORPUS_TEXT}

Text after the payloads [{cite}; @smith2020, p. 4].
"""


def write_hostile_project(root: Path, *, disable: list[str]) -> Path:
    """Write the project under *root*, with *disable* diagnostics switched off in pyproject.toml."""
    claim = f"""---
statement: {y("Exercise helps. " + _joined(CLAIM_FILE, "statement"))}
type: intervention
population: {y(_joined(CLAIM_FILE, "population"))}
injuries: [runners-knee]
interventions: [exercise-therapy]
certainty: moderate
certainty_reason: {y(_joined(CLAIM_FILE, "certainty_reason"))}
evidence:
  - source: smith2020
    stance: supports
    locator: {y(_joined(CLAIM_FILE, "evidence.locator"))}
    quote: {y(_joined(CLAIM_FILE, "evidence.quote"))}
    note: {y(_joined(CLAIM_FILE, "evidence.note"))}
  - source: hostile
    stance: mentions
  - source: jones2019
    stance: qualifies
reviewed: 2026-01-15
---
Intro [@smith2020; @hostile, p. 2].

{_joined(CLAIM_FILE, "body")}

{_CORPUS_TEXT}

End [@hostile].
"""
    page = f"""---
title: {y("About " + _joined(PAGE_FILE, "title"))}
summary: {y(_joined(PAGE_FILE, "summary"))}
---
Sources: [@hostile].

{_joined(PAGE_FILE, "body")}

{_CORPUS_TEXT}
"""
    fields = ",\n".join(f"  {name} = {{{_bib_value(_joined(BIB_FILE, f'@misc{{hostile}}.{name}'))}}}"
                        for name in BIB_FIELDS)
    bib = kbproject.BIB + f"\n@misc{{hostile,\n{fields}\n}}\n"
    # Some payloads (an unclosed <details>, <math>…<style>) swallow the rest of a body, and with it the
    # page's reference list that citation cards copy from.  This claim cites the hostile source with
    # nothing hostile of its own, so its reference list (the formatted BibTeX payloads) survives.
    cards = """---
statement: "Citation cards on a hostile source."
type: intervention
injuries: [runners-knee]
interventions: [exercise-therapy]
certainty: low
certainty_reason: "Test page."
evidence:
  - source: hostile
    stance: contradicts
  - source: smith2020
    stance: supports
  - source: jones2019
    stance: qualifies
reviewed: 2026-01-15
---
Cited [@hostile]; again [@hostile, p. 3]; with [@smith2020; @jones2019].
"""
    pyproject = f"[tool.kb]\ndisable = {json.dumps(sorted(disable))}\n"
    kbproject.write_project(root, claim=claim, injury=_entity(INJURY_FILE, "@hostile"),
                            intervention=_entity(INTERVENTION_FILE, "@hostile, ch. 1"), page=page, bib=bib,
                            pyproject=pyproject, extra={CARDS_FILE: cards})
    return root
