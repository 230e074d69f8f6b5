"""Every reach into MkDocs' and Material's private names, in one place, checked against the installed versions.

The kb plugin and its second page-writing process need a few things MkDocs and Material do not
offer as public API.  Each is here, with why, and what happens on a version kb was not tested on:

* Material's search index (`SearchPlugin.search_index.entries`, `search_index_prev`): the plugin
  hands it the prepared search entries of generated pages instead of letting Material parse their
  HTML (seconds at 10k claims), and gives a `kb serve` rebuild every page's entries.  Untested
  Material: `material_search()` returns None and Material indexes the HTML itself (slower, same
  entries up to Material's own parsing).
* `mkdocs.commands.build._build_page` (and `InclusionLevel`): the forked second process writes
  pages with MkDocs' own function (generator/engines/page_workers.py).  Untested MkDocs: no fork,
  one process writes every page.
* `Page.render` replaced on generated pages (their HTML and table of contents are prepared; no
  Python-Markdown), and `File.is_modified` replaced so a `kb serve` rebuild skips unchanged pages.
  Both are methods MkDocs calls on objects it hands to plugins; untested MkDocs: a warning, and the
  same calls (nothing lighter does the job).
* Log texts: MkDocs' "Page skipped: '...'" (for pages the second process writes) and the "'dirty'
  build" warning of `kb serve` are filtered by their wording; on untested versions a filter that no
  longer matches only lets a message through.

TESTED names the versions the test suite ran on; `version_warnings()` says when an installed one
differs (the plugin logs it once per build).  Under ProperDocs the MkDocs modules are
`properdocs.*`: *engine* names the package.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import types
from collections.abc import Callable, Iterable
from typing import Any

#: distribution -> the versions the test suite ran on (the same minor release is assumed to behave alike)
TESTED: dict[str, tuple[str, ...]] = {
    "mkdocs": ("1.6.1",),
    "properdocs": ("1.6.7",),
    "mkdocs-material": ("9.8.2",),
}

#: MkDocs' log line for a page whose template rendered nothing (pages the second process writes)
PAGE_SKIPPED = "Page skipped: '"
#: MkDocs' warning that `mkdocs serve --dirty` may leave navigation stale (the kb plugin rebuilds it)
DIRTY_BUILD = "'dirty' build is being performed"
#: the module of Material's search plugin
MATERIAL_SEARCH = "material.plugins.search.plugin"


def installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def tested(distribution: str) -> bool:
    """Whether the installed *distribution* is a release kb was tested on (same major.minor)."""
    version = installed_version(distribution)
    return version is not None and any(_minor(version) == _minor(t) for t in TESTED.get(distribution, ()))


def version_warnings(engine: str = "mkdocs") -> list[str]:
    """One line per installed distribution kb reaches into that it was not tested on."""
    out = []
    for distribution in (engine, "mkdocs-material"):
        version = installed_version(distribution)
        if version is not None and not tested(distribution):
            out.append(f"{distribution} {version} is installed; kb reaches into its private names and was tested "
                       f"on {', '.join(TESTED.get(distribution, ()))} (falling back where it can)")
    return out


# --- Material's search index ------------------------------------------------------------------------

def material_search(plugins: Iterable[Any]) -> Any | None:
    """Material's enabled search plugin, when kb may write its index directly; else None (it indexes itself)."""
    if not tested("mkdocs-material"):
        return None
    for plugin in plugins:
        if type(plugin).__module__ == MATERIAL_SEARCH and plugin.config.get("enabled", True):
            if hasattr(plugin, "search_index") and hasattr(plugin.search_index, "entries"):
                return plugin
    return None


def add_search_entries(search: Any, entries: list[dict[str, str]]) -> None:
    """Append a page's prepared entries to Material's index (it then sees an empty page and adds none)."""
    search.search_index.entries.extend(entries)


def replace_search_entries(search: Any, entries: list[dict[str, str]]) -> None:
    """A `kb serve` rebuild indexed only what it rebuilt: give the index every page's entries."""
    search.search_index.entries = entries
    search.search_index_prev = None  # Material skips writing an index equal to the previous one


# --- pages and files ---------------------------------------------------------------------------------

def replace_render(page: Any, render: Callable[..., None]) -> None:
    """Page.render for a generated page: its HTML and table of contents are prepared (no Python-Markdown)."""
    page.render = types.MethodType(render, page)


def mark_unmodified(file: Any) -> None:
    """A dirty (`kb serve`) build skips a page whose text did not change."""
    file.is_modified = _unmodified


def _unmodified() -> bool:
    return False


# --- the second page-writing process -----------------------------------------------------------------

def page_builder(engine: str) -> tuple[Callable[..., None], Any] | None:
    """(MkDocs' `_build_page`, `InclusionLevel`) of *engine*, or None: then one process writes every page."""
    if not tested(engine):
        return None
    try:
        build = importlib.import_module(f"{engine}.commands.build")
        inclusion = importlib.import_module(f"{engine}.structure.files").InclusionLevel
    except (ImportError, AttributeError):
        return None
    function = getattr(build, "_build_page", None)
    return (function, inclusion) if callable(function) else None


def build_log(engine: str) -> Any:
    """The logger `_build_page` writes to (mkdocs.commands.build's `log`)."""
    return importlib.import_module(f"{engine}.commands.build").log


def skipped_page(message: str) -> str | None:
    """The page a "Page skipped: '...'" line names, or None."""
    if not message.startswith(PAGE_SKIPPED):
        return None
    return message[len(PAGE_SKIPPED):].split("'", 1)[0]
