"""The site's default navigation, for every engine (MkDocs via the plugin, Zensical via its config)."""

from __future__ import annotations

import html

from generator.core import layout
from generator.pages.pipeline import Generated


def default_nav(generated: Generated, labels: dict[str, str], history_words: dict[str, str]) -> list[dict[str, str]]:
    """A small navigation: indexes and hand-written pages, never every claim or source."""
    nav: list[dict[str, str]] = [{labels["home"]: layout.HOME}]
    for folder in ("injuries", "risk-factors", "interventions"):
        nav.append({labels[folder]: f"{folder}/index.md"})
    nav.append({labels["claims"]: layout.CLAIMS_INDEX})
    nav.append({labels["references"]: layout.REFERENCES_INDEX})
    for page_id, page in sorted(generated.result.kb.pages.items()):
        nav.append({html.escape(page.title): f"{page_id}.md"})  # Material renders nav titles as HTML
    nav.append({labels["legend"]: layout.LEGEND})
    nav.append({html.escape(history_words["changes_title"]): layout.CHANGES})
    if any(c.status == "superseded" for c in generated.result.kb.claims.values()):
        nav.append({labels["outdated"]: layout.OUTDATED})
    return nav
