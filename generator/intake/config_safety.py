"""What we hand to MkDocs: mkdocs.yml without code in it, and a site address without markup.

mkdocs.yml is code.  MkDocs reads it with PyYAML's full loader, so a tag such
as `!!python/object/apply:os.system [...]` runs a command the moment the file
is loaded, and a pull request can change the file.  `kb check` reports such
tags (`unsafe-config`, with file and line); `kb build` and `kb serve` refuse
to hand the file to MkDocs while one is there, whatever the settings say.
The file is only *composed* here (parsed into nodes, never constructed), so
checking it runs nothing.  Files named by `INHERIT:` are checked the same way.

Allowed tags: YAML's standard ones, MkDocs' `!ENV` and `!relative`, and
`!!python/name:` of a dotted name in Material or PyMdown Extensions (the
documented way to configure emoji and custom fences).  `hooks:` (Python
files MkDocs runs) are reported too; a project that means to use them can
switch `unsafe-config` off, but the tags stay refused.

The site address (`site_url`, usually from $SITE_URL) ends up unescaped in
every page's canonical link; `site_url_problem` accepts only a plain http(s)
address.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.core.diagnostics import Diagnostic, diag
from generator.core.errors import UnsafeConfig
from generator.core.urls import address_problem

CONFIG_FILE = "mkdocs.yml"
_STANDARD = "tag:yaml.org,2002:"
STANDARD_TAGS = frozenset(_STANDARD + t for t in ("str", "int", "float", "bool", "null", "seq", "map",
                                                  "timestamp", "binary", "merge", "omap", "pairs", "set", "value"))
MKDOCS_TAGS = frozenset({"!ENV", "!relative"})
_PYTHON_NAME = _STANDARD + "python/name:"
#: modules whose names mkdocs.yml may refer to with !!python/name: (only a name: nothing is called here)
SAFE_MODULES = ("material.", "pymdownx.")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
MAX_NODES = 100_000
MAX_CONFIG_BYTES = 1024 * 1024
MAX_INHERIT = 10


def _tag_problem(tag: str) -> str | None:
    if tag in STANDARD_TAGS or tag in MKDOCS_TAGS:
        return None
    if tag.startswith(_PYTHON_NAME):
        name = tag[len(_PYTHON_NAME):]
        if _DOTTED.fullmatch(name) and name.startswith(SAFE_MODULES):
            return None
    shown = "!!" + tag[len(_STANDARD):] if tag.startswith(_STANDARD) else tag
    if tag.startswith(_STANDARD + "python/"):
        return f"the YAML tag '{shown}' imports or runs Python code when MkDocs loads the file"
    return f"the YAML tag '{shown}' is not one kb knows to be harmless"


def _walk(node: yaml.Node, rel: str, out: list[Diagnostic]) -> None:
    seen: set[int] = set()
    stack = [node]
    while stack and len(seen) < MAX_NODES:
        item = stack.pop()
        if id(item) in seen:  # an alias: already checked
            continue
        seen.add(id(item))
        problem = _tag_problem(item.tag)
        if problem:
            out.append(diag("unsafe-config", rel, item.start_mark.line + 1, problem,
                            "Remove the tag. mkdocs.yml is code: review every change to it as code."))
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                stack.extend((value, key))
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(reversed(item.value))


def _top_level(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes of a top-level key."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def config_problems(root: Path, *, hooks: bool = True) -> list[Diagnostic]:
    """unsafe-config (and too-large) diagnostics for root/mkdocs.yml and the files it INHERITs.  Never raises."""
    out: list[Diagnostic] = []
    path = root / CONFIG_FILE
    seen: set[Path] = set()
    for _ in range(MAX_INHERIT):
        if not path.is_file() or path.resolve() in seen:
            break
        seen.add(path.resolve())
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = str(path)
        try:
            size = path.stat().st_size
            if size > MAX_CONFIG_BYTES:  # by its size, before reading it
                out.append(diag("too-large", rel, None, f"{rel} is {size:,} bytes; the limit is {MAX_CONFIG_BYTES:,}",
                                "A site configuration needs a few kilobytes; is this the right file?"))
                break
            text = path.read_text(encoding="utf-8-sig")
            node = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure-Python parser, as MkDocs uses
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            out.append(diag("unsafe-config", rel, None if line is None else line + 1,
                            f"{rel} cannot be read as YAML, so kb cannot check it for code: {exc}".splitlines()[0],
                            "Fix the YAML; MkDocs could not read it either."))
            break
        if node is None:
            break
        _walk(node, rel, out)
        hook = _top_level(node, "hooks")
        if hooks and hook is not None:
            out.append(diag("unsafe-config", rel, hook[0].start_mark.line + 1,
                            "hooks: makes MkDocs run Python files from the project during the build",
                            "Remove the hooks, or switch unsafe-config off if this project means to run them "
                            "(then review every change to them as code)."))
        parent = _top_level(node, "INHERIT")
        if parent is None or not isinstance(parent[1], yaml.ScalarNode):
            break
        path = path.parent / str(parent[1].value)
    return sorted(out)


def refuse_unsafe_config(root: Path) -> None:
    """Raise UnsafeConfig when mkdocs.yml (or what it inherits) carries a tag that runs code."""
    problems = config_problems(root, hooks=False)
    if problems:
        first = problems[0]
        raise UnsafeConfig(f"{first.file}:{first.line}: {first.message}; not loading it "
                           f"(run `kb check` for every problem)")


# --- the site address -----------------------------------------------------------------------------

def site_url_problem(url: str | None) -> str | None:
    """Why *url* is not a safe site address, or None (empty: no address, which is fine).

    The one rule for addresses lives in generator/core/urls.py (`address_problem`), shared with the
    settings that publish an address (site_url, repo_url)."""
    return address_problem(url)
