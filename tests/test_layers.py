"""The house a newcomer can read: `generator/` in stages, imports flowing one way, each library in its module.

Data flows content + bibliography -> model -> diagnostics -> pages -> output, and the package tree says
so: a module may import its own stage and the stages before it, never a later one; no two modules
import each other (directly or round a loop); and each third-party library is imported only by the
module(s) named for it here, so replacing one touches one place.  Imports inside functions count too:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Earlier stages first.  A module in stage i may import stages 0..i only.
STAGES = ("core", "text", "intake", "checks", "changes", "pages", "output", "engines", "commands")

# Each third-party library and the only modules that may import it (paths below generator/).
LIBRARIES: dict[str, set[str]] = {
    "yaml": {"intake/yamlfile.py"},
    "bibtexparser": {"intake/bibliography.py", "commands/fmt.py"},
    "pylatexenc": {"intake/bibliography.py"},
    "pybtex": {"pages/references.py"},
    "jinja2": {"pages/render.py", "pages/templating.py", "engines/plugin.py", "engines/page_workers.py"},
    "markupsafe": {"pages/render.py", "pages/templating.py", "pages/helpers.py", "pages/page.py"},
    "markdown": {"pages/markdown_text.py"},
    "nh3": {"pages/sanitize.py"},
    "slugify": {"core/ids.py", "core/urls.py", "commands/add.py"},
    "feedgenerator": {"pages/feed.py"},
    "rapidfuzz": {"text/quotes.py"},
    "httpx": {"commands/fetch_metadata.py"},
    "defusedxml": {"commands/metadata.py"},
    "click": {"commands/cli.py"},
    "mkdocs": {"engines/mkdocs_build.py", "engines/plugin.py", "commands/cli.py"},
    "material": set(),
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, absolute names, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from generator.pages import render` imports the module generator.pages.render
            submodules = [(node.lineno, f"{module}.{alias.name}") for alias in node.names
                          if f"{module}.{alias.name}" in MODULES]
            found += submodules or [(node.lineno, module)]
    return found


def _internal(module: str) -> str | None:
    """The generator module an import names (the longest known prefix), or None for other packages."""
    while module:
        if module in MODULES:
            return module
        module = module.rpartition(".")[0]
    return None


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = {_internal(m) for _, m in _imports(name, path)}
        # a package's own __init__ is not a dependency of its modules (Python runs it anyway)
        graph[name] = {t for t in targets if t and t != name and t != "generator"}
    return graph


def test_every_module_sits_in_a_stage():
    loose = [n for n in MODULES if n not in ("generator", "generator.__main__") and _stage(n) is None]
    assert not loose, f"modules outside the stage folders {STAGES}: {loose}"


def _backward_imports(modules: dict[str, Path]) -> list[str]:
    wrong = []
    for name, path in modules.items():
        here = _stage(name)
        if here is None:
            continue
        for line, imported in _imports(name, path):
            target = _internal(imported)
            there = _stage(target) if target else None
            if there and STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{path.name}:{line}: {here} imports {target} ({there})")
    return wrong


def test_imports_flow_from_earlier_stages_only():
    wrong = _backward_imports(MODULES)
    assert not wrong, "an earlier stage imports a later one:\n" + "\n".join(wrong)


def test_the_layer_rule_catches_a_backward_import(tmp_path):
    """The rule can fail: a core module importing the command line, even lazily, is named with its line."""
    fake = tmp_path / "fake.py"
    fake.write_text('"""A core module."""\n\n\ndef f():\n    from generator.commands import cli\n')
    assert _backward_imports({"generator.core.fake": fake}) == [
        "fake.py:5: core imports generator.commands.cli (commands)"]


def test_no_import_cycles():
    graph = _graph()
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [node, nxt]) if nxt in trail
                              else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_each_library_stays_in_its_module():
    stdlib = set(sys.stdlib_module_names)
    wrong = []
    for name, path in MODULES.items():
        rel = path.relative_to(PACKAGE).as_posix()
        for line, imported in _imports(name, path):
            top = imported.split(".")[0]
            if not top or top == "generator" or top in stdlib or top == "__future__":
                continue
            allowed = LIBRARIES.get(top)
            if allowed is None:
                wrong.append(f"generator/{rel}:{line}: '{top}' is not a library this test knows; "
                             "add it to LIBRARIES with the one module that may use it")
            elif rel not in allowed:
                wrong.append(f"generator/{rel}:{line}: imports {top}, which lives in {sorted(allowed) or 'no module'}")
    assert not wrong, "\n".join(wrong)
