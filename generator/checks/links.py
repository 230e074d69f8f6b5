"""Links that `kb check` finds resolving in content/ but that break on the site (issue 18, finding 18).

* `absolute-link`: `/claims/x.md` starts at the site's root.  It works on a site served at a
  domain's root and breaks under a GitHub Pages project address (`https://user.github.io/repo/`),
  so the hint gives the same link relative to the file.
* `missing-anchor`: `x.md#section` or `#section` names an id that neither a heading nor an
  explicit id in the target's body, nor a heading or id the generator writes on that page, makes.

Anchors from bodies come from generator/text/anchors.py.  The generator's own anchors are taken
generously (every heading its words can make, in every site language, and the id families of its
templates), so the check may miss a missing anchor but does not report one the site has.
(`broken-link`, a path that does not exist, stays in validate.py.)
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import unquote

from generator.core import i18n
from generator.core.diagnostics import Diagnostic, diag
from generator.core.model import KnowledgeBase
from generator.text.anchors import body_anchors, toc_slug

__all__ = ["LinkTargets", "link_problems"]

#: ids the templates write whatever the page holds (generator/templates/*.j2, pages/evidence_views.py)
FIXED_IDS = frozenset({"kb-claim", "zekerheid", "standpunt"})
#: id families the templates number or key: evidence items, quotes, references, summary-of-findings notes
GENERATED_ID = re.compile(r"(?:bewijs|citaat|sof-noot|sof-ref)-\d+|kb-ref-.+")
#: the suffix toc adds to a repeated heading id ("bewijs_1")
_REPEAT = re.compile(r"(.+)_\d+")


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _words(v)]
    if isinstance(value, (list, tuple)):
        return [w for v in value for w in _words(v)]
    return []


@functools.lru_cache(maxsize=1)
def _generator_headings() -> frozenset[str]:
    """Every id a heading made of the generator's words can get, in every site language."""
    words = [w for name in dir(i18n) if name.isupper() for w in _words(getattr(i18n, name))]
    return frozenset(filter(None, (toc_slug(w) for w in words)))


class LinkTargets:
    """The pages a link can point to, and their anchors (computed once per page, when first asked)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.bodies: dict[str, str] = {}
        self.titles: dict[str, list[str]] = {}
        for e in kb.entities.values():
            self.bodies[e.where.path] = e.body
            self.titles[e.where.path] = [e.title] + [f"{labels['about']} {e.title}"
                                                     for labels in i18n.LABELS.values() if "about" in labels]
        for c in kb.claims.values():
            self.bodies[c.where.path] = c.body
            self.titles[c.where.path] = []
        for p in kb.pages.values():
            self.bodies[p.where.path] = p.body
            self.titles[p.where.path] = [p.title]
        self._anchors: dict[str, frozenset[str]] = {}

    def anchors(self, rel: str) -> frozenset[str] | None:
        """The ids page *rel* has, or None when *rel* is not a page kb generates from content."""
        if rel not in self.bodies:
            return None
        if rel not in self._anchors:
            made = body_anchors(self.bodies[rel]) | {toc_slug(t) for t in self.titles[rel]}
            self._anchors[rel] = frozenset(made) | _generator_headings() | FIXED_IDS
        return self._anchors[rel]

    def has(self, rel: str, fragment: str) -> bool:
        anchors = self.anchors(rel)
        if anchors is None or not fragment:
            return True
        wanted = unquote(fragment)
        repeated = _REPEAT.fullmatch(wanted)
        return wanted in anchors or bool(GENERATED_ID.fullmatch(wanted)) or \
            bool(repeated and repeated.group(1) in anchors)


def _content_path(path: str, content_files: set[str]) -> str | None:
    """The content file a site-absolute path means (`claims/x.md`, `claims/x/`, `claims/x`), if any."""
    stem = path.strip("/")
    for candidate in (f"content/{stem}", f"content/{stem}.md", f"content/{stem}/index.md"):
        if candidate in content_files:
            return candidate
    return None


def link_problems(rel: str, first: int, links: tuple[tuple[str, str, str, int, str], ...], content_files: set[str],
                  targets: LinkTargets) -> list[Diagnostic]:
    """`absolute-link` and `missing-anchor` for the links of one body (see _scan_body in validate.py)."""
    out: list[Diagnostic] = []
    for target, resolved, fragment, line, kind in links:
        if kind == "absolute":
            meant = _content_path(resolved, content_files)
            relative = posixpath.relpath(meant, posixpath.dirname(rel)) + (f"#{fragment}" if fragment else "") \
                if meant else None
            out.append(diag("absolute-link", rel, first + line,
                            f"the link '{target}' starts at the site's root; it breaks when the site is published "
                            "under a subpath (a GitHub Pages project site: https://<user>.github.io/<repo>/)",
                            f"Write it relative to this file: '{relative}'." if relative else
                            "Write it relative to this file, e.g. ../claims/<id>.md."))
            continue
        if fragment and not targets.has(resolved, fragment):
            out.append(diag("missing-anchor", rel, first + line,
                            f"the link '{target}' names the anchor '#{fragment}', which no heading or id on "
                            f"{'this page' if resolved == rel else resolved} makes",
                            "Link to a heading that exists (its id is its text in lowercase, spaces as '-'), "
                            "or give the heading an id: ## Title {#" + fragment + "}."))
    return out
