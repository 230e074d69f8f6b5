"""PyYAML, in one place: composing YAML into nodes (never constructing objects) and dumping plain data.

Every YAML kb reads (front matter, mkdocs.yml and what it inherits) is *composed* here into
PyYAML's node graph, with the C parser where libyaml is installed (about 8x faster than the
pure-Python one); the callers walk the nodes themselves, so a tag never runs code and every
key keeps its line.  The one YAML kb writes, the resolved configuration it hands an engine
(generator/intake/mkdocs_yml.py), is dumped here with the safe dumper: plain data, plus the
two harmless tags an engine needs back (`!relative`, and `!!python/name:` of a name the
caller has allowed).

Replacing PyYAML touches this module only (tests/test_layers.py keeps it that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C parser is much faster; fall back when libyaml is missing
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

Node = yaml.Node
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode
YAMLError = yaml.YAMLError
MarkedYAMLError = yaml.MarkedYAMLError

STANDARD = "tag:yaml.org,2002:"
MERGE_TAG = STANDARD + "merge"

_SCALARS = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()


def compose(text: str) -> yaml.Node | None:
    """The node graph of one YAML document (None when empty); raises YAMLError, RecursionError, ValueError."""
    return yaml.compose(text, Loader=_Loader)


def scalar(node: yaml.ScalarNode) -> Any:
    """A scalar node's value by YAML's standard tags (a string for a tag it does not know)."""
    constructor = _SCALARS.yaml_constructors.get(node.tag)
    if constructor is None:
        return str(node.value)
    try:
        return constructor(_SCALARS, node)
    except Exception:  # e.g. an impossible date such as 2026-02-30
        return str(node.value)


def implicit(value: str) -> Any:
    """A plain text typed as YAML would type it unquoted ("true" -> True, "3" -> 3), as `!ENV` does."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return scalar(yaml.ScalarNode(tag, value))


def mark_line(error: BaseException) -> int | None:
    """The 0-based line a YAML error points at, if it says."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return None if mark is None else mark.line


# --- dumping --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PythonName:
    """`!!python/name:NAME`: a dotted name the caller has allowed (Material's and PyMdown's functions)."""

    name: str


@dataclass(frozen=True)
class Relative:
    """MkDocs' `!relative` (bare: the folder of the page being rendered) or `!relative $docs_dir/...`."""

    value: str = ""


class _Dumper(yaml.SafeDumper):
    pass


def _python_name(dumper: yaml.SafeDumper, data: PythonName) -> yaml.Node:
    return dumper.represent_scalar(f"{STANDARD}python/name:{data.name}", "")


def _relative(dumper: yaml.SafeDumper, data: Relative) -> yaml.Node:
    return dumper.represent_scalar("!relative", data.value)


_Dumper.add_representer(PythonName, _python_name)
_Dumper.add_representer(Relative, _relative)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign,assignment]  # no anchors


def dump(data: Any) -> str:
    """Plain data (and PythonName, Relative) as YAML text; anything else is a TypeError, never a tag."""
    try:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    except yaml.representer.RepresenterError as exc:
        raise TypeError(str(exc)) from exc
