"""How far along MkDocs' page loops are, as progress lines of the kb plugin.

MkDocs itself says nothing while it converts and writes pages: minutes at 10k claims.  The
plugin (generator/engines/plugin.py) ticks one of these per page.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("mkdocs.plugins.kb")


class PageProgress:
    """How far along MkDocs' page loops are ("converted 4,000 of 20,312 pages").

    MkDocs itself says nothing while it converts and writes pages: minutes at 10k claims.
    """

    every = 5.0  # seconds between two lines

    def __init__(self, verb: str, total: int) -> None:
        self.verb, self.total, self.done = verb, total, 0
        self.started = self.last = time.monotonic()

    def tick(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            log.info("kb: MkDocs %s %s of %s pages (%.0f s)", self.verb, f"{self.done:,}", f"{self.total:,}",
                     now - self.started)

    def finish(self) -> None:
        log.info("kb: MkDocs %s %s pages (%.1f s)", self.verb, f"{self.done:,}", time.monotonic() - self.started)
