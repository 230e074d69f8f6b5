"""Which engine turns the generated pages into a site: MkDocs, ProperDocs or Zensical.

Each engine has a thin adapter (generator/engines/mkdocs_build.py, engines/properdocs.py,
engines/zensical.py): build the pages the generator wrote, run the engine, collect
its errors.  Every adapter ends with the same engine-independent finishing pass
(generator/output/finish.py) over the staged site, so the sanitizer's guarantee and the
JSON-LD hold whichever engine ran.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import KbError
from generator.engines.contract import Progress



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
    "zensical": Engine("zensical", "zensical", "zensical==0.0.73",
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


def build_with(name: str, root: Path, out: Path, *, strict: bool, progress: Progress | None,
               result: list[object]) -> None:
    """Build the site with engine *name* into *out* (raises EngineMissing, BuildFailed, OutputError)."""
    require(name)
    if name == "mkdocs":
        from generator.engines.mkdocs_build import build_site

        build_site(root, out, strict=strict, progress=progress, result=result)
    elif name == "properdocs":
        from generator.engines.properdocs import build_site as build_properdocs

        build_properdocs(root, out, strict=strict, progress=progress)
    else:
        from generator.engines.zensical import build_site as build_zensical

        build_zensical(root, out, strict=strict, progress=progress, result=result)
