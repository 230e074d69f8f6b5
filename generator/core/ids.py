"""Ids: file names that become URLs, so they must be boring and safe."""

from __future__ import annotations

import re

from generator.core.layout import RESERVED_TOP_LEVEL

# \Z, not $: "$" also matches before a final newline, which let "abc\n" pass as an id
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID_LENGTH = 80
# Names that would collide with generated pages or are special on Windows.
RESERVED = frozenset(
    {"index", "con", "prn", "aux", "nul", "clock$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
#: top-level pages and folders of the generated site (see generator.core.layout): a free page may not take these ids
SITE_FOLDERS = RESERVED_TOP_LEVEL


def id_problem(candidate: str, *, top_level: bool = False) -> str | None:
    """Why *candidate* is not a valid id, or None if it is."""
    if not candidate:
        return "the id is empty"
    if len(candidate) > MAX_ID_LENGTH:
        return f"the id is longer than {MAX_ID_LENGTH} characters"
    if not ID_PATTERN.match(candidate):
        return ("the id may contain only lowercase letters a-z, digits and single hyphens "
                "(no spaces, capitals, dots, underscores or accents)")
    if candidate in RESERVED:
        return f"'{candidate}' is a reserved name"
    if top_level and candidate in SITE_FOLDERS:
        return f"'{candidate}' is a page or folder of the generated site"
    return None


def suggest_id(candidate: str) -> str:
    """A valid id close to *candidate*, for hints."""
    from slugify import slugify

    slug = slugify(candidate, max_length=MAX_ID_LENGTH) or "item"
    return slug + "-1" if slug in RESERVED or slug in SITE_FOLDERS else slug
