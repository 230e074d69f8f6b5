"""The Atom feed of the latest changes (/feed.xml): the page "Wat is er veranderd" for feed readers.

feedgenerator (Django's feed writer, kept by the Pelican team) writes the
XML and escapes it; the entry summaries are HTML that we build from escaped
text, so nothing from a commit message or a claim can become markup in a
reader.  (feedgen, the other candidate, drops the rel of entry links:
lkiesow/python-feedgen#135, open since 2024.)  Entries are the same as
on the page, in the same order, with the same words (generator/changes/changelog.py).

Addresses: Atom requires an absolute IRI as each id, so ids are `urn:uuid:`
names derived from the commit and the claim; they need no web address and
stay the same when the site moves.  Links are absolute when the published
address (SITE_URL) is known and relative to the feed otherwise, which Atom
allows (readers resolve them against the feed's own address): a build
without an address never claims one.
"""

from __future__ import annotations

import datetime as _dt
import html
import uuid
from collections.abc import Mapping
from typing import Any

from feedgenerator import Atom1Feed

from generator.changes import changelog
from generator.changes.history import History
from generator.core.layout import CHANGES as CHANGES_PAGE
from generator.core.layout import FEED as FEED_PATH
from generator.core.model import Claim
from generator.core.urls import page_url

__all__ = ["CHANGES_PAGE", "FEED_PATH", "build_feed"]


class _Feed(Atom1Feed):
    """Atom 1.0 with a link to each entry's commit, and a fixed date when there is no entry."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("related"):
            handler.addQuickElement("link", "", {"href": item["related"], "rel": "related", "type": "text/html"})

    def latest_post_date(self) -> _dt.datetime:
        # the library falls back to the clock, which would make two builds differ
        return super().latest_post_date() if self.items else self.feed["fallback"]


def _href(path: str, site_url: str | None) -> str:
    return (site_url + path) if site_url else (path or "./")


def build_feed(history: History, claims: Mapping[str, Claim], *, site_title: str, lang: str,
               site_url: str | None, repo_url: str | None, directory_urls: bool, label: changelog.Label,
               fallback: _dt.datetime) -> bytes:
    """The feed as bytes (UTF-8 XML).  *fallback* is its date when there is no change to show."""
    w = changelog.words(lang)
    changes = page_url(CHANGES_PAGE, directory_urls)
    feed = _Feed(
        title=w["feed_title"].format(site=site_title), link=_href(changes, site_url), description=None,
        language=lang, author_name=site_title, feed_url=_href(FEED_PATH, site_url),
        feed_guid=site_url + FEED_PATH if site_url else uuid.uuid5(uuid.NAMESPACE_URL, f"kb-feed:{site_title}").urn,
        fallback=history.version.when if history.version else fallback,
    )
    items = changelog.shown(history.latest, claims, lang, label, repo_url)
    for entry, item in zip(history.latest, items):
        what = w["conclusion"].capitalize() if item.conclusion else item.kind
        lines = list(item.details or (item.kind,)) + ([f"{w['reason']}: {item.reason}"] if item.reason else [])
        feed.add_item(
            title=f"{what}: {item.statement}",
            link=_href(page_url(f"claims/{item.claim}.md" if item.exists else CHANGES_PAGE, directory_urls), site_url),
            description="".join(f"<p>{html.escape(line)}</p>" for line in lines),
            unique_id=uuid.uuid5(uuid.NAMESPACE_URL, f"kb-history:{entry.commit.hash}:{entry.claim}").urn,
            pubdate=entry.commit.when, updateddate=entry.commit.when, related=item.url,
        )
    return feed.writeString("utf-8").encode("utf-8")
