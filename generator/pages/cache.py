"""An on-disk cache of formatted references, keyed by the entry's content and the style.

Formatting is the expensive part of a build (about 1 ms per entry), and an
edit to one claim changes no reference, so a rebuild reuses every entry.
The cache lives in the user's cache folder ($KB_CACHE_DIR, else
$XDG_CACHE_HOME/kb, else ~/.cache/kb), never in the project: the generator
writes nothing next to the editors' files.  KB_CACHE=0 switches it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from generator.core.errors import KbError
from generator.core.model import Source
from generator.core.protected import owner
from generator.core.writer import make_dirs, write_file
from generator.intake.reader import Refused, read_bytes
from generator.pages.references import STYLE_VERSION, Formatted


#: a cache of 10,000 formatted entries is about 20 MB; past this it is not read (and is rebuilt)
MAX_CACHE_BYTES = 256 * 1024 * 1024


def cache_dir() -> Path | None:
    if os.environ.get("KB_CACHE", "1") == "0":
        return None
    if os.environ.get("KB_CACHE_DIR"):
        return Path(os.environ["KB_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kb"


def entry_digest(source: Source, language: str) -> str:
    payload = json.dumps([STYLE_VERSION, language, source.key, source.entry_type, sorted(source.fields.items())],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class ReferenceCache:
    """Load once, look up per entry, save once (atomically) at the end of a build."""

    def __init__(self, folder: Path | None, project: Path) -> None:
        self.path = None
        self.project = project
        if folder is not None and owner(project, folder) is not None:
            folder = None  # KB_CACHE_DIR pointing into content/ (or another editor path): no cache, no write
        if folder is not None:
            name = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:16]
            self.path = folder / f"references-{name}.json"
        self.entries: dict[str, list[object]] = {}
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()
        if self.path is not None and self.path.is_file():
            try:  # the reading layer: a regular file, refused unread past its limit (then rebuilt)
                data = json.loads(read_bytes(self.path, limit=MAX_CACHE_BYTES, links=True).decode("utf-8"))
                if isinstance(data, dict) and data.get("style") == STYLE_VERSION \
                        and isinstance(data.get("entries"), dict):
                    self.entries = data["entries"]
            except (Refused, ValueError, RecursionError):
                self.entries = {}  # a damaged cache is simply rebuilt

    def get(self, source: Source, language: str) -> Formatted | None:
        digest = entry_digest(source, language)
        row = self.entries.get(digest)
        # a damaged row (the file is outside the project, anyone may have written it) is formatted again
        if not isinstance(row, list) or len(row) != 7 or not isinstance(row[5], list) \
                or not isinstance(row[6], list):
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(digest)
        html, text, label, short, year, sort_key, families = row
        return Formatted(source.key, str(html), str(text), str(label), str(short), str(year),
                         tuple(sort_key), tuple(families))  # type: ignore[arg-type]

    def put(self, source: Source, language: str, f: Formatted) -> None:
        digest = entry_digest(source, language)
        self.used.add(digest)
        self.entries[digest] = [f.html, f.text, f.label, f.authors_short, f.year, list(f.sort_key),
                                list(f.family_names)]

    def save(self) -> None:
        """Keep only what this build used, so the file does not grow forever."""
        if self.path is None or self.misses == 0 and len(self.used) == len(self.entries):
            return
        kept = {k: v for k, v in self.entries.items() if k in self.used}
        try:
            make_dirs(self.path.parent)
            write_file(self.path, json.dumps({"style": STYLE_VERSION, "entries": kept}, ensure_ascii=False),
                       root=self.project)
        except (OSError, KbError):
            pass  # a cache that cannot be written (or only through a link out of the project) only costs speed
