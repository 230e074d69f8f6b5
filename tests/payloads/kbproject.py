"""Small fixture projects for the hostile-input tests (imported by path, not as a package).

`write_project(root)` lays out a realistic, valid knowledge base: one injury,
one intervention, one claim, one free page and a references.bib with two
entries that use every field the site shows.  Keyword arguments replace any
file; `snapshot(root)` hashes every editor file so tests can prove a command
changed nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

INJURY = """\
---
title: Runner's knee
aliases: [patellofemoral pain, knee pain]
summary: "Pain around or behind the kneecap."
---
Pain around the kneecap that gets worse on stairs. See the claim on
[exercise therapy](../claims/exercise-helps.md) and [@smith2020, p. 4].
"""

INTERVENTION = """\
---
title: Exercise therapy
aliases: []
summary: "Strength training for hip and knee."
---
Hip and knee strengthening, two or three times a week.
"""

CLAIM = """\
---
statement: "Exercise therapy reduces pain in runner's knee."
type: intervention
population: "adult recreational runners"
injuries: [runners-knee]
risk_factors: []
interventions: [exercise-therapy]
certainty: moderate
certainty_reason: "Several small trials agree."
evidence:
  - source: smith2020
    stance: supports
    locator: "p. 12"
    quote: "exercise reduced pain"
    note: "A randomized trial in 120 runners."
  - source: jones2019
    stance: qualifies
    quote: "education helps as much"
    locator: "ch. 3"
reviewed: 2026-01-15
grade:
  start: high
  imprecision: {rating: serious, reason: "Small trials."}
---
Exercise works best with education [@smith2020; @jones2019, ch. 3].
See [runner's knee](../injuries/runners-knee.md).

```text
[@not-a-citation] in code stays as written
```
"""

#: CLAIM made clean under the evidence rules of issue 11 (a GRADE profile; a stance other than
#: 'mentions' needs a quote): for tests that expect no diagnostic but the ones they provoke
#: the claim with nothing for kb check to report (CLAIM carries its quotes and GRADE profile)
CLEAN_CLAIM = CLAIM

PAGE = """\
---
title: About this site
summary: "Who writes it."
---
Written by the editors. Sources: [@jones2019].
"""

BIB = """\
% references for the fixture project
@article{smith2020,
  author  = {Smith, Anna and van der Berg, Jan},
  title   = {Exercise therapy for patellofemoral pain: a randomized trial},
  journal = {Journal of Sports Medicine},
  year    = {2020},
  volume  = {12},
  number  = {3},
  pages   = {100--110},
  doi     = {10.1000/jsm.2020.12},
  pmid    = {31234567},
  url     = {https://example.org/smith2020},
  abstract = {We randomized 120 runners to exercise or advice.},
  note    = {Open access.},
  design  = {rct},
  population = {120 adult recreational runners}
}

@book{jones2019,
  author    = {Jones, Bob},
  title     = {Running Injuries},
  publisher = {Sports Press},
  address   = {London},
  year      = {2019},
  design    = {narrative-review},
  verified  = {no},
  verification_note = {Only the table of contents was seen.},
  cited_as  = {Jones 2018},
  cited_as_note = {The blog gives the online-first year.}
}
"""


def write_project(root: Path, *, claim: str | None = CLAIM, injury: str | None = INJURY,
                  intervention: str | None = INTERVENTION, page: str | None = PAGE,
                  bib: str | bytes | None = BIB, extra: dict[str, str | bytes] | None = None,
                  pyproject: str | None = None) -> Path:
    """Write a fixture project under *root*; None leaves a file out."""
    files: dict[str, str | bytes | None] = {
        "content/injuries/runners-knee.md": injury,
        "content/interventions/exercise-therapy.md": intervention,
        "content/claims/exercise-helps.md": claim,
        "content/pages/about.md": page,
        "references.bib": bib,
        "pyproject.toml": pyproject,
    }
    files.update(extra or {})
    for rel, text in files.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
    (root / "content" / "risk-factors").mkdir(parents=True, exist_ok=True)
    return root


def snapshot(root: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under *root* (relative posix path -> hash), except under *skip*."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip):
                continue
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def editor_files(root: Path) -> dict[str, str]:
    """Hashes of content/ and references.bib: the editors' work."""
    snap = {k: v for k, v in snapshot(root).items() if k.startswith("content/") or k == "references.bib"}
    return snap


def payloads() -> list[str]:
    """The XSS corpus: one payload per non-comment line of xss.txt."""
    text = (Path(__file__).parent / "xss.txt").read_text(encoding="utf-8")
    return [line.replace("\\n", "\n") for line in text.splitlines() if line.strip() and not line.startswith("// ")]


MARKER = "kbxss"


class ScriptFinder(HTMLParser):
    """Collects what would run in a browser: script elements, event handlers, script URLs."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False
        self._script_attrs: dict[str, str | None] = {}
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        for name, value in attrs:
            if re.fullmatch(r"on\w+", name):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRS and value is not None:
                cleaned = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
                if cleaned.startswith(("javascript:", "vbscript:", "data:text/html", "data:image/svg")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in {"iframe", "object", "embed", "frame", "base", "form"} and MARKER in repr(attrs).lower():
            self.problems.append(f"<{tag} {attrs!r}>")
        if tag == "meta" and d.get("http-equiv") and MARKER in repr(attrs).lower():  # refresh to javascript:
            self.problems.append(f"<{tag} {attrs!r}>")
        if tag == "script":
            self._in_script = True
            self._script_attrs = d
            self._script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self._in_script = False
            body = "".join(self._script_text)
            src = str(self._script_attrs.get("src") or "")
            kind = str(self._script_attrs.get("type") or "").lower()
            if kind in {"application/ld+json", "application/json"}:
                # data, not code; but content that closed the element early leaves broken JSON behind
                try:
                    json.loads(body)
                except ValueError:
                    self.problems.append(f"<script type={kind}> broken by content: {body[:80]}")
            elif MARKER in body.lower() or MARKER in src.lower() or "alert(" in body:
                self.problems.append(f"<script {self._script_attrs!r}>{body[:80]}")


def executable_payloads(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


#: codes a payload in a constrained field also (rightly) triggers; ignored to reach the renderer
IGNORED = frozenset({"unsafe-html", "invalid-year", "invalid-doi", "invalid-pmid", "invalid-design",
                     "broken-link", "unknown-inline-citation", "missing-field", "possible-duplicate",
                     "unused-reference", "stale-review", "unverified-source", "orphan-entity", "bib-syntax"})
#: every BibTeX field a page can show
BIB_FIELDS = ["author", "editor", "title", "journal", "booktitle", "publisher", "address", "school",
              "institution", "howpublished", "volume", "number", "pages", "edition", "year", "doi", "pmid",
              "pmcid", "url", "abstract", "note", "design", "population", "verified", "verification_note",
              "cited_as", "cited_as_note"]
