"""Zensical's search index, completed so that a reader's word for a topic finds the topic's page.

Zensical writes site/search.json itself, in the shape of Material's index (`{"config": ...,
"items": [{"location", "level", "title", "text", "path", "tags"}]}`), and its search worker
(zensical_ui) ranks a result by the best field a query word is in: title (weight 3) over path (2)
over text (1); `tags` only filter, they do not rank.  So a topic's aliases, which the page shows
in its text ("Ook bekend als"), ranked below every page with one query word in its title
("beginnen met hardlopen" found "Geleidelijke terugkeer naar hardlopen" first), and search terms,
which the page never shows, were not in the index at all.

Material gets a topic's words as `tags` of the page's own entry (generator/engines/plugin.py).
For Zensical this pass writes them as the title of that entry, the one without an anchor that
Zensical adds for each page (its text is empty; the page's first heading has an entry of its own).
Its path stays the page's name, so the result reads like a "see" line in a book's index
("…, hielspoor" under "Fasciopathia plantaris"): the reader sees the word they typed and the page
it leads to, without the page calling that word another name for its topic.

Idempotent: the entry's title is set, never appended to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.core.errors import OutputError
from generator.core.urls import page_url
from generator.core.writer import write_staged
from generator.intake.reader import Refused, read_bytes
from generator.pages.files import OutputFile

#: Zensical's index, in the built site
ZENSICAL_INDEX = "search.json"
#: the largest index read back (a 10,000-claim site's index is tens of MB)
MAX_INDEX = 512 * 1024 * 1024


def topic_words(files: Iterable[OutputFile], directory_urls: bool) -> dict[str, tuple[str, ...]]:
    """Page location (as the index writes it) -> its name, aliases and search terms (HTML-escaped)."""
    return {page_url(f.path, directory_urls): f.search_tags for f in files if f.search_tags}


def complete_index(index: dict[str, Any], words: dict[str, tuple[str, ...]]) -> int:
    """Give each topic page's own entry in *index* its aliases and search terms as title; how many changed."""
    items: list[dict[str, Any]] = index["items"]
    own = {item.get("location"): item for item in items if "#" not in str(item.get("location", ""))}
    changed = 0
    for location, (name, *others) in sorted(words.items()):
        if not others:
            continue
        title = ", ".join(others)
        item = own.get(location)
        if item is None:  # Zensical made no entry for the page itself: add one beside its sections
            item = {"location": location, "level": 1, "title": "", "text": "", "path": [name], "tags": []}
            items.append(item)
        if item["title"] != title:
            item["title"] = title
            changed += 1
    return changed


def complete_zensical_index(site: Path, words: dict[str, tuple[str, ...]]) -> int:
    """complete_index on *site*/search.json, rewritten in Zensical's compact form; how many entries changed."""
    path = site / ZENSICAL_INDEX
    if not path.is_file():  # search switched off in mkdocs.yml
        return 0
    try:  # Zensical's output, read back with the bounds of every read (a regular file inside the site)
        data = read_bytes(path, limit=MAX_INDEX, root=site)
    except Refused as exc:
        raise OutputError(f"Zensical's search index cannot be completed: {exc}") from None
    index = json.loads(data.decode("utf-8"))
    changed = complete_index(index, words)
    if changed:
        write_staged(path, json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return changed
