"""kb reads mkdocs.yml; no engine parses it.

mkdocs.yml is code: MkDocs and Zensical load it with PyYAML's full loader, so a tag such as
`!!python/object/apply:os.system [...]` runs a command the moment an engine reads the file, and a
pull request can change the file.  A guard that reads the file one way while the engine reads it
another can be walked round (a chain of `INHERIT` files longer than the guard follows, a second
`INHERIT` key the guard does not see, `<<: {INHERIT: evil.yml}`).  So kb resolves the file itself,
once, and every engine gets kb's result, never the file:

* each file is composed into nodes (generator/intake/yamlfile.py), never constructed, inside the
  project, a regular file, at most MAX_CONFIG_BYTES (by its size, before reading);
* tags: YAML's standard ones, `!ENV` (resolved here, from the environment kb was given),
  `!relative` (`$config_dir/...` resolved here; bare and `$docs_dir/...` handed on as the same
  harmless tag), and `!!python/name:` of a dotted name in Material or PyMdown Extensions (the
  documented way to configure emoji and custom fences; handed on as that name).  Any other tag is
  `unsafe-config` and the file is refused: whatever the settings say, no code tag reaches an engine;
* merge keys (`<<`) are applied here (explicit keys win, earlier merged mappings win over later
  ones, as YAML says); a key written twice in one mapping (two `INHERIT`, two `plugins`) is
  `duplicate-yaml-key` and refused: kb does not guess which one was meant;
* `INHERIT` (after merging, so `<<: {INHERIT: x}` counts) names a parent file, relative to the
  file that names it, inside the project; kb follows at most MAX_INHERIT files and refuses a
  longer chain or a loop; parents are merged under their children as MkDocs does (mappings
  merged key by key, any other value replaced).

The result is plain data (plus yamlfile.PythonName and yamlfile.Relative), `INHERIT`-free, which
generator/engines/ dumps into a generated config file outside the project for the engine.
`kb check` reports the same problems (generator/intake/config_safety.py), so a file that passes
the check is a file every engine builds from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.diagnostics import Diagnostic, diag, sort_key
from generator.intake import yamlfile
from generator.intake.reader import Refused, read_bytes
from generator.intake.yamlfile import PythonName, Relative

CONFIG_FILE = "mkdocs.yml"
STANDARD_TAGS = frozenset(yamlfile.STANDARD + t for t in (
    "str", "int", "float", "bool", "null", "timestamp", "binary", "seq", "map", "merge", "omap", "pairs",
    "set", "value"))
_PYTHON_NAME = yamlfile.STANDARD + "python/name:"
#: modules whose names mkdocs.yml may refer to with !!python/name: (only a name: nothing is called here)
SAFE_MODULES = ("material.", "pymdownx.")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
#: values converted across the whole chain (aliases count each time they are used: no alias bomb)
MAX_NODES = 100_000
MAX_DEPTH = 100
MAX_CONFIG_BYTES = 1024 * 1024
#: files followed: mkdocs.yml and up to 9 parents
MAX_INHERIT = 10

#: what kb builds from when the project has no mkdocs.yml
DEFAULT_CONFIG = """
site_name: Kennisbank
site_url: !ENV [SITE_URL, null]  # no address unless SITE_URL says so
docs_dir: content
theme:
  name: material
  language: nl
  font: false
  features: [navigation.instant]
plugins:
  - search
  - kb
extra: {generator: false}
extra_css: [assets/kb.css]
extra_javascript: [assets/kb.js]
not_in_nav: |
  /claims/*
  /references/*
  /injuries/*
  /risk-factors/*
  /interventions/*
markdown_extensions: [attr_list, tables, admonition, {toc: {permalink: true}}]
"""

_FIX = "Remove the tag. mkdocs.yml is code: review every change to it as code."


@dataclass
class ResolvedConfig:
    """mkdocs.yml as kb resolved it: plain data without INHERIT, and the problems found on the way."""

    data: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the files read, project-relative, mkdocs.yml first
    diagnostics: list[Diagnostic] = field(default_factory=list)
    present: bool = False  # whether the project has a mkdocs.yml (else data is DEFAULT_CONFIG's)
    #: `hooks:` problems: reported by kb check, but a project may switch them off (unsafe-config)
    opt_in: list[Diagnostic] = field(default_factory=list)
    #: where each key was written: its path of mapping keys (list positions left out, so a plugin's
    #: option is ("plugins", "kb", "disable")) -> (file, 1-based line), the file that wins the merge.
    #: Empty for kb's default configuration: a setting from it has no line an editor could open.
    where: dict[tuple[Any, ...], tuple[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def refusals(self) -> list[Diagnostic]:
        """What no build may go past, whatever the settings: every problem but an opt-in `hooks:`."""
        return [d for d in self.diagnostics if d not in self.opt_in]


_MERGE = object()  # the merge key `<<` (a quoted "<<" is an ordinary key)


class _Refused(Exception):
    """Stops resolving: the diagnostic says why."""


def tag_problem(tag: str) -> str | None:
    """Why a tag may not be handed to an engine, or None."""
    if tag in STANDARD_TAGS or tag in ("!ENV", "!relative"):
        return None
    if tag.startswith(_PYTHON_NAME):
        name = tag[len(_PYTHON_NAME):]
        if _DOTTED.fullmatch(name) and name.startswith(SAFE_MODULES):
            return None
    shown = "!!" + tag[len(yamlfile.STANDARD):] if tag.startswith(yamlfile.STANDARD) else tag
    if tag.startswith(yamlfile.STANDARD + "python/"):
        return f"the YAML tag '{shown}' imports or runs Python code when an engine loads the file"
    return f"the YAML tag '{shown}' is not one kb knows to be harmless"


class _Reader:
    """Converts one file's nodes into data, collecting diagnostics; one per chain (shared budget)."""

    def __init__(self, root: Path, environ: Mapping[str, str]) -> None:
        self.root, self.environ = root, environ
        self.out: list[Diagnostic] = []
        self.nodes = 0
        self.rel = CONFIG_FILE
        self.inherit_line: int | None = None  # 0-based line of the current file's INHERIT
        self.opt_in: list[Diagnostic] = []
        self.where: dict[tuple[Any, ...], tuple[str, int]] = {}  # the whole chain's, child files first
        self.file_where: dict[tuple[Any, ...], tuple[str, int]] = {}  # the current file's
        self.keys: tuple[Any, ...] = ()  # the mapping keys above the node being converted
        self.merging = 0  # inside a merge key's source: its keys yield to the mapping's own

    def place(self, key: Any, line0: int) -> None:
        """Remember where *key* (under the current keys) was written, for a setting's diagnostic."""
        path, here = self.keys + (key,), (self.rel, line0 + 1)
        if self.merging:  # an explicit key wins over a merged one, whichever comes first
            self.file_where.setdefault(path, here)
        else:
            self.file_where[path] = here

    def problem(self, code: str, line0: int | None, message: str, hint: str | None) -> None:
        self.out.append(diag(code, self.rel, None if line0 is None else line0 + 1, message, hint))

    def convert(self, node: yamlfile.Node, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            self.problem("unsafe-config", node.start_mark.line, f"{self.rel} expands to more than {MAX_NODES:,} "
                         f"values or nests deeper than {MAX_DEPTH} (an alias bomb?)",
                         "A site configuration needs a few hundred values; remove the anchors (&) and aliases (*).")
            raise _Refused()
        tag = node.tag
        problem = tag_problem(tag)
        if problem:
            self.problem("unsafe-config", node.start_mark.line, problem, _FIX)
            return None  # keep going: one run reports every tag
        if tag == "!ENV":
            return self._env(node, depth)
        if tag == "!relative":
            return self._relative(node)
        if tag.startswith(_PYTHON_NAME):
            return PythonName(tag[len(_PYTHON_NAME):])
        if isinstance(node, yamlfile.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yamlfile.SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        return yamlfile.scalar(node)

    def _mapping(self, node: yamlfile.MappingNode, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merged: list[dict[Any, Any]] = []
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line
            if key_node.tag == yamlfile.MERGE_TAG:
                key: Any = _MERGE
            elif isinstance(key_node, yamlfile.ScalarNode) and not tag_problem(key_node.tag) \
                    and key_node.tag.startswith(yamlfile.STANDARD):
                key = yamlfile.scalar(key_node)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    key = str(key_node.value)
            else:
                problem = tag_problem(key_node.tag) or "a mapping key must be plain text"
                self.problem("unsafe-config", line, problem, _FIX)
                continue
            if key in seen:
                key = "<<" if key is _MERGE else key
                self.problem("duplicate-yaml-key", line, f"the key '{key}' appears twice in one mapping "
                             f"(first on line {seen[key] + 1}); engines would silently keep one of them",
                             f"Keep one '{key}:' and delete the other.")
                continue
            seen[key] = line
            if key is _MERGE:
                self.merging += 1
                try:
                    merged = self._merge_sources(value_node, depth)
                finally:
                    self.merging -= 1
                continue
            self.place(key, line)
            self.keys += (key,)
            try:
                out[key] = self.convert(value_node, depth + 1)
            finally:
                self.keys = self.keys[:-1]
        for source in merged:  # earlier sources win over later ones, explicit keys over all
            for k, v in source.items():
                out.setdefault(k, v)
        return out

    def _merge_sources(self, node: yamlfile.Node, depth: int) -> list[dict[Any, Any]]:
        items = node.value if isinstance(node, yamlfile.SequenceNode) else [node]
        sources = []
        for item in items:
            value = self.convert(item, depth + 1)
            if not isinstance(value, dict):
                self.problem("unsafe-config", item.start_mark.line, "a merge key ('<<') must name a mapping",
                             "Write '<<: *anchor' with an anchor on a mapping, or the keys themselves.")
                continue
            sources.append(value)
        return sources

    def _env(self, node: yamlfile.Node, depth: int) -> Any:
        """MkDocs' `!ENV NAME` / `!ENV [NAME, OTHER, default]`, from the environment kb runs in."""
        default: Any = None
        if isinstance(node, yamlfile.ScalarNode):
            names = [str(node.value)]
        elif isinstance(node, yamlfile.SequenceNode) and all(isinstance(n, yamlfile.ScalarNode) or i == len(node.value) - 1
                                                             for i, n in enumerate(node.value)):
            children = list(node.value)
            if len(children) > 1:
                default = self.convert(children.pop(), depth + 1)
            names = [str(n.value) for n in children]
        else:
            self.problem("unsafe-config", node.start_mark.line, "!ENV takes a name or a list of names and a default",
                         "Write `!ENV NAME` or `!ENV [NAME, default]`.")
            return None
        for name in names:
            if name in self.environ:
                return yamlfile.implicit(self.environ[name])
        return default

    def _relative(self, node: yamlfile.Node) -> Any:
        value = str(node.value) if isinstance(node, yamlfile.ScalarNode) else ""
        prefix, _, suffix = value.partition("/")
        if prefix == "$config_dir":  # MkDocs: the folder of the main config file, the project
            return os.path.join(str(self.root), suffix)
        if prefix == "$docs_dir" or not value:
            return Relative(value)
        self.problem("unsafe-config", node.start_mark.line, f"!relative {value!r}: MkDocs knows only "
                     "`!relative`, `!relative $config_dir/...` and `!relative $docs_dir/...`",
                     "Use one of those forms.")
        return None


def deep_merge(parent: dict[Any, Any], child: dict[Any, Any]) -> dict[Any, Any]:
    """MkDocs' INHERIT merge (mergedeep's REPLACE): mappings merged key by key, other values replaced."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path, reader: _Reader) -> str | None:
    """One configuration file's text, through the one reader (generator/intake/reader.py), or None (reported).

    A link is followed (the chain checks where it leads: inside the project); the opened file must be a
    regular file of at most MAX_CONFIG_BYTES, judged by its size before it is read.
    """
    try:
        raw = read_bytes(path, limit=MAX_CONFIG_BYTES, root=reader.root, links=True)
    except Refused as refused:
        if refused.kind == "too-large":  # by its size, before reading it (or it grew past the limit)
            reader.out.append(diag("too-large", reader.rel, None, f"{reader.rel}: {refused}",
                                   "A site configuration needs a few kilobytes; is this the right file?"))
        elif refused.kind in ("folder", "special", "missing"):
            reader.problem("unsafe-config", None, f"{reader.rel} is not a regular file: {refused}",
                           "Point to a YAML file.")
        else:
            reader.problem("unsafe-config", None, f"{reader.rel} cannot be read, so kb cannot check it: {refused}",
                           "Keep the configuration files inside the project, as ordinary files.")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reader.problem("unsafe-config", raw[:exc.start].count(b"\n"), f"{reader.rel} cannot be read, so kb cannot "
                       f"check it: it is not UTF-8 (byte {exc.start})", "Save it as UTF-8 text.")
        return None


def resolve_text(text: str, root: Path, environ: Mapping[str, str] | None = None) -> ResolvedConfig:
    """A configuration given as text (kb's default), resolved like a file at root/mkdocs.yml."""
    reader = _Reader(root, os.environ if environ is None else environ)
    return _finish(_parse(text, reader), reader, [CONFIG_FILE], present=False)


def resolve(root: Path, environ: Mapping[str, str] | None = None) -> ResolvedConfig:
    """root/mkdocs.yml resolved (INHERIT followed, merge keys applied, !ENV read); never raises.

    Without a mkdocs.yml the result is kb's DEFAULT_CONFIG, resolved the same way, and `present` is False.
    """
    top = root / CONFIG_FILE
    if not top.exists() and not top.is_symlink():
        return resolve_text(DEFAULT_CONFIG, root, environ)
    reader = _Reader(root, os.environ if environ is None else environ)
    real_root = root.resolve()
    chain: list[dict[Any, Any]] = []
    files: list[str] = []
    seen: set[Path] = set()
    path = top
    while True:
        real = path.resolve()
        try:
            rel = real.relative_to(real_root).as_posix()
        except ValueError:
            rel = None
        if rel is None:
            what = f"{reader.rel} inherits {path}" if files else f"{CONFIG_FILE} leads to {real}"
            reader.problem("unsafe-config", reader.inherit_line, f"{what}, which is outside the project",
                           "Keep every configuration file inside the project folder.")
            break
        if real in seen:
            reader.problem("unsafe-config", reader.inherit_line, f"INHERIT in {reader.rel} loops back to {rel}",
                           "Remove the INHERIT that closes the loop.")
            break
        if len(files) >= MAX_INHERIT:
            reader.problem("unsafe-config", reader.inherit_line, f"the INHERIT chain is longer than {MAX_INHERIT} "
                           f"files (at {reader.rel} -> {rel}); kb follows at most {MAX_INHERIT}",
                           "Merge the parent files into fewer.")
            break
        seen.add(real)
        reader.rel = rel
        files.append(rel)
        text = _read(path, reader)
        data = None if text is None else _parse(text, reader)
        if data is None:
            break
        parent = data.pop("INHERIT", None)
        chain.append(data)
        if parent is None:
            break
        if not isinstance(parent, str) or not parent.strip():
            reader.problem("unsafe-config", reader.inherit_line, f"INHERIT in {rel} must name a file, got {parent!r}",
                           "Write `INHERIT: base.yml` (relative to this file).")
            break
        path = real.parent / parent
        if not path.exists():
            reader.problem("unsafe-config", reader.inherit_line, f"INHERIT in {rel} names {parent}, which does not exist",
                           "Fix the file name, or remove the INHERIT.")
            break
    merged: dict[Any, Any] = {}
    for data in reversed(chain):  # the furthest parent first, each child over it
        merged = deep_merge(merged, data)
    return _finish(merged, reader, files, present=True)


def _parse(text: str, reader: _Reader) -> dict[Any, Any] | None:
    reader.inherit_line = None
    reader.file_where, reader.keys = {}, ()
    try:
        return _parse_file(text, reader)
    finally:  # files are parsed child first: a child's place wins, as its value does in the merge
        for path, here in reader.file_where.items():
            reader.where.setdefault(path, here)


def _parse_file(text: str, reader: _Reader) -> dict[Any, Any] | None:
    try:
        node = yamlfile.compose(text)
    except (yamlfile.YAMLError, RecursionError, ValueError) as exc:
        reader.problem("unsafe-config", yamlfile.mark_line(exc),
                       f"{reader.rel} cannot be read as YAML, so kb cannot check it: {exc}".splitlines()[0],
                       "Fix the YAML; an engine could not read it either.")
        return None
    if node is None:
        return {}
    if not isinstance(node, yamlfile.MappingNode):
        reader.problem("unsafe-config", node.start_mark.line, f"{reader.rel} must be a mapping of settings",
                       "Write one `setting: value` a line.")
        return None
    for key_node, value_node in node.value:  # the line of INHERIT and hooks, for the messages
        if isinstance(key_node, yamlfile.ScalarNode) and key_node.value == "INHERIT":
            reader.inherit_line = key_node.start_mark.line
        if isinstance(key_node, yamlfile.ScalarNode) and key_node.value == "hooks":
            reader.problem("unsafe-config", key_node.start_mark.line,
                           "hooks: makes MkDocs run Python files from the project during the build",
                           "Remove the hooks, or switch unsafe-config off if this project means to run them "
                           "(then review every change to them as code).")
            reader.opt_in.append(reader.out[-1])
    try:
        data = reader.convert(node)
    except _Refused:
        return None
    except RecursionError:
        reader.problem("unsafe-config", None, f"{reader.rel} nests too deeply", "Flatten the configuration.")
        return None
    if not isinstance(data, dict):  # a tag on the whole document: reported by convert
        return None
    if "INHERIT" in data and not any(isinstance(k, yamlfile.ScalarNode) and k.value == "INHERIT" for k, _ in node.value):
        reader.inherit_line = node.start_mark.line  # it came from a merge key
    return data


def _finish(data: dict[Any, Any] | None, reader: _Reader, files: list[str], *, present: bool) -> ResolvedConfig:
    return ResolvedConfig(data=data or {}, files=files, diagnostics=sorted(set(reader.out), key=sort_key),
                          present=present, opt_in=reader.opt_in, where=reader.where if present else {})
