"""The Jinja environment of the page templates, and the values the renderer keeps between builds.

Split from generator/pages/render.py: how templates are loaded and what their
filters do (one environment per set of template folders, compiled once for
`kb serve`), apart from what the pages show.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.core.layout import CLAIMS_INDEX, FIXED_PAGES, REFERENCES_INDEX

TEMPLATES = Path(__file__).parents[1] / "templates"


def text_filter(value: object) -> object:
    """Jinja's finalize: None prints nothing; plain strings print on one line, as Markdown showed them."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup) and ("\n" in value or "  " in value):
        return " ".join(value.split())
    return value


def pre_filter(value: str) -> Markup:
    """Text for a <pre> block: escaped, line breaks kept."""
    return Markup(html.escape(value, quote=False))


@functools.lru_cache(maxsize=8)
def environment(template_dirs: tuple[str, ...]) -> jinja2.Environment:
    """One Jinja environment per set of template folders, so `kb serve` compiles the templates once."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(d) for d in template_dirs]
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(  # auto_reload off: no stat() per page; `kb serve` drops the env on a full rebuild
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, finalize=text_filter, auto_reload=False,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["pre"] = pre_filter
    # the generated paths templates link to, from the one list of them (generator/core/layout.py)
    env.globals["paths"] = {**FIXED_PAGES, "claims_index": CLAIMS_INDEX, "references_index": REFERENCES_INDEX}
    return env


class Deferred:
    """A value computed when the template prints it (so a body's headings are numbered in page order)."""

    def __init__(self, make: Any) -> None:
        self.make = make

    def __html__(self) -> str:
        return str(self.make())

    def __str__(self) -> str:
        return self.__html__()


#: claim items kept between `kb serve` rebuilds (see Renderer.claim_item)
SERVED_ITEMS: dict[str, Any] = {"key": None, "items": {}}


def forget_served_items() -> None:
    """Drop the claim items kept for `kb serve` (the plugin calls it before every full rebuild)."""
    SERVED_ITEMS["key"] = None
    SERVED_ITEMS["items"] = {}
    environment.cache_clear()  # and the compiled templates: an override may have changed
