"""Which engine turns the generated pages into a site: MkDocs, ProperDocs or Zensical.

This module is the registry (names, pip requirements, whether installed).  The one build
every engine goes through is generator/engines/build.py: it makes the refusals, merges the
settings, resolves mkdocs.yml, stages and finishes the site; each adapter
(engines/mkdocs_build.py, engines/properdocs.py, engines/zensical.py) only runs its engine
on what the build hands it (engines/contract.py).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from generator.core.errors import KbError


@dataclass(frozen=True)
class Engine:
    name: str
    module: str        # the Python package that must be importable
    requirement: str   # what to pip install (pinned: the version the tests ran on)
    about: str


ENGINES: dict[str, Engine] = {
    "mkdocs": Engine("mkdocs", "mkdocs", "mkdocs>=1.6.1,<2", "MkDocs 1.6 + Material (the default)"),
    "properdocs": Engine("properdocs", "properdocs", "properdocs==1.6.7",
                         "ProperDocs, the maintained fork of MkDocs 1.6 (runs the kb plugin)"),
    "zensical": Engine("zensical", "zensical", "zensical==0.1.2",
                       "Zensical (reads mkdocs.yml; kb writes its pages, navigation and config)"),
}


class EngineMissing(KbError):
    """The chosen engine is not installed; the message names what to install (exit 2)."""


def installed(name: str) -> bool:
    return importlib.util.find_spec(ENGINES[name].module) is not None


def require(name: str) -> Engine:
    engine = ENGINES[name]
    if not installed(name):
        raise EngineMissing(f"the {name} engine is not installed: pip install '{engine.requirement}' "
                            f"(or pip install 'kb-generator[engines]' for all of them)")
    return engine
