"""The renderer's part of living evidence: the history on claim pages, the page
"Wat is er veranderd", the Atom feed and the feed link in every page's head.

A mixin of generator.pages.render.Renderer (which provides the knowledge base, the
settings, `_page` and `url`); the words come from generator/changes/changelog.py.
"""

from __future__ import annotations

import datetime as _dt
import html
from typing import Any

from generator.changes import changelog
from generator.pages import feed
from generator.changes.history import History, HistoryEntry
from generator.core.urls import page_url
from generator.pages.files import OutputFile



class HistoryPages:
    history: History
    lang: str
    settings: Any
    kb: Any
    refs: Any
    directory_urls: bool

    def feed_link(self, here: str) -> str:
        """<link rel="alternate"> to the Atom feed, for every page's <head>."""
        href = (self.settings.site_url + feed.FEED_PATH) if self.settings.site_url else \
            self.url(here, feed.FEED_PATH)  # type: ignore[attr-defined]
        title = html.escape(changelog.words(self.lang)["changes_title"])
        return f'<link rel="alternate" type="application/atom+xml" href="{html.escape(href)}" title="{title}">'

    def absolute(self, here: str) -> str | None:
        """The page's published address, or None when the site has none (no SITE_URL)."""
        base = self.settings.site_url
        return base + page_url(here, self.directory_urls) if base else None

    def source_label(self, key: str) -> str:
        return self.refs[key].label if key in self.refs else key

    def history_items(self, entries: tuple[HistoryEntry, ...]) -> list[changelog.Shown]:
        return changelog.shown(entries, self.kb.claims, self.lang, self.source_label, self.settings.repo_url)

    def changes_page(self) -> OutputFile:
        here = feed.CHANGES_PAGE
        groups = changelog.by_commit(self.history_items(self.history.latest))
        return self._page("changes.html.j2", here,  # type: ignore[attr-defined]
                          [("title", changelog.words(self.lang)["changes_title"])], groups=groups,
                          state=self.history, feed_url=self.url(here, feed.FEED_PATH))  # type: ignore[attr-defined]

    def feed_file(self) -> OutputFile:
        fallback = _dt.datetime.combine(self.settings.today, _dt.time(), _dt.timezone.utc)
        return OutputFile(feed.FEED_PATH, feed.build_feed(
            self.history, self.kb.claims, site_title=self.site_title(), lang=self.lang,  # type: ignore[attr-defined]
            site_url=self.settings.site_url, repo_url=self.settings.repo_url, directory_urls=self.directory_urls,
            label=self.source_label, fallback=fallback))
