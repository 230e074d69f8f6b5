"""generator/engines/internals.py: private MkDocs/Material names are reached only on versions kb was tested on.

On another version the build still works, the slower public way: Material indexes the pages
itself, one process writes every page, and the build says which versions kb was tested on.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands.cli import main
from generator.engines import internals

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]


def test_the_installed_versions_are_the_tested_ones() -> None:
    """The suite runs on the versions TESTED names (update both together when upgrading)."""
    assert internals.tested("mkdocs") and internals.tested("mkdocs-material"), internals.version_warnings()
    assert internals.version_warnings("mkdocs") == []


def test_an_untested_version_is_named_and_not_reached_into(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(internals, "installed_version", lambda name: "99.0.0")
    warnings = internals.version_warnings("mkdocs")
    assert len(warnings) == 2 and "mkdocs 99.0.0 is installed" in warnings[0] and "1.6.1" in warnings[0]
    assert internals.page_builder("mkdocs") is None
    assert internals.material_search([object()]) is None


def _search_locations(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


def test_untested_material_still_indexes_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = kbproject.write_project(tmp_path / "project", claim=kbproject.CLEAN_CLAIM)
    ours = tmp_path / "ours"
    assert CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(ours)]).exit_code == 0
    real = internals.installed_version
    monkeypatch.setattr(internals, "installed_version",
                        lambda name: "99.0.0" if name == "mkdocs-material" else real(name))
    theirs = tmp_path / "theirs"
    res = CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(theirs)])
    assert res.exit_code == 0, res.output
    assert "mkdocs-material 99.0.0 is installed" in res.output
    assert _search_locations(theirs) == _search_locations(ours)
    assert "claims/exercise-helps/" in _search_locations(theirs)


# --- the source scan: private names only in internals.py ----------------------------------------------

import ast  # noqa: E402

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
#: MkDocs'/Material's private names and the attributes kb reaches into or replaces (see internals.py)
PRIVATE_NAMES = {"_build_page", "InclusionLevel", "search_index", "search_index_prev", "_populate_page",
                 "_get_by_type", "_files", "_src_uris", "_documentation_pages"}
REPLACED = {"render", "is_modified"}  # methods MkDocs calls, replaced on its objects: internals only
#: module paths of MkDocs, ProperDocs and Material whose names are not plugin API
PRIVATE_MODULE = ("mkdocs.commands.build", "properdocs.commands.build", "material.")
#: (module, line text) outside internals.py that may still touch such a name, and why
ALLOWED = {
    ("core/parallel.py", "os._exit"): "the standard library's exit of a forked child, not MkDocs",
    ("engines/page_workers.py", "os._exit"): "the standard library's exit of a forked child, not MkDocs",
    ("engines/mkdocs_build.py", "from mkdocs.commands.build import build"): "MkDocs' public `build` (what "
                                                                            "`mkdocs build` runs), no private name",
    ("intake/mkdocs_yml.py", 'SAFE_MODULES = ("material.",'): "a name prefix mkdocs.yml may refer to with "
                                                              "!!python/name: (checked, never imported here)",
    ("pages/references.py", "entry._find_field"): "pybtex's field lookup for its own template language "
                                                  "(a library that is neither MkDocs nor Material)",
}


def private_reaches(path: Path, rel: str) -> list[str]:
    """`file:line: text` for every private MkDocs/Material name *path* reaches without internals.py."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, str(path))
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        hit = False
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            private = node.attr.startswith("_") and not node.attr.startswith("__") and owner not in ("self", "cls")
            replaced = node.attr in REPLACED and isinstance(node.ctx, ast.Store)
            hit = private or node.attr in PRIVATE_NAMES or replaced
        elif isinstance(node, ast.Name):
            hit = node.id in PRIVATE_NAMES
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            names = [a.name for a in node.names]
            hit = any(m.startswith(PRIVATE_MODULE) or m.split(".")[0] == "material" for m in modules) or \
                any(n.startswith("_") or n in PRIVATE_NAMES for n in names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            hit = node.value.startswith(PRIVATE_MODULE) or node.value in PRIVATE_NAMES
        if hit:
            text = lines[node.lineno - 1].strip()
            if not any(rel == where and snippet in text for where, snippet in ALLOWED):
                found.append(f"generator/{rel}:{node.lineno}: {text}")
    return found


def test_private_mkdocs_and_material_names_are_reached_from_internals_only() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel != "engines/internals.py":
            wrong += private_reaches(path, rel)
    assert not wrong, ("private MkDocs/Material names outside generator/engines/internals.py (move the reach "
                       "there, or name it in ALLOWED with why it is not one):\n" + "\n".join(sorted(set(wrong))))


def test_the_private_name_scan_catches_a_reach(tmp_path: Path) -> None:
    fake = tmp_path / "fake.py"
    fake.write_text('"""Docstrings may name _build_page."""\nimport importlib\n'
                    'from mkdocs.commands.build import _build_page\nimport material.plugins.search.plugin\n\n\n'
                    'def f(page, plugin, files):\n    page.render = None\n    plugin.search_index.entries = []\n'
                    '    files._files.clear()\n    importlib.import_module("mkdocs.commands.build")\n'
                    '    self._ok = 1\n    page.render()\n')
    assert sorted({int(line.split(":")[1]) for line in private_reaches(fake, "core/fake.py")}) == \
        [3, 4, 8, 9, 10, 11]
