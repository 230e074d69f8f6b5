"""Read a Markdown file with YAML front matter, keeping line numbers.

PyYAML is reached through generator/intake/yamlfile.py.  We compose the YAML
into a node graph with the C loader (8x faster than the pure-Python one) and
convert it ourselves, which gives us three things `yaml.safe_load` cannot:

* the line of every key and list item (for file:line diagnostics),
* duplicate keys reported instead of silently overwritten,
* a hard budget on the number of nodes visited, so alias bombs
  ("billion laughs") and absurd nesting end quickly with an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.core.diagnostics import Diagnostic, diag
from generator.intake import yamlfile
from generator.text.safety import CONTROL_CHARS

MAX_NODES = 20_000  # far more than any front matter needs
MAX_DEPTH = 50
MAX_FRONT_MATTER_BYTES = 256 * 1024

Path = tuple[str | int, ...]

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Document:
    """A parsed content file: front matter data, body and line numbers."""

    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        """Line of the deepest known prefix of *path* (the key's own line)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def decode_text(raw: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text.  A BOM and CRLF/CR line endings are simply accepted."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            diag(
                "encoding", rel, line,
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                "Save the file as UTF-8 (in most editors: 'Save with encoding' -> UTF-8).",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (yaml, body, body_line) or None when there is no front matter."""
    if not text.startswith("---"):
        return None
    first = text.find("\n")
    if first == -1 or text[:first].strip() != "---":
        return None
    closing = _FENCE.search(text, first + 1)
    if closing is None:
        return None
    yaml_text = text[first + 1 : closing.start()]
    rest = text[closing.end() :]
    body_line = text[: closing.end()].count("\n") + 2
    if rest.startswith("\n"):
        rest = rest[1:]
    return yaml_text, rest, body_line


class _Budget(Exception):
    pass


def _convert(node: yamlfile.Node, path: Path, lines: dict[Path, int], state: dict[str, int],
             problems: list[tuple[int, str, str]], depth: int) -> Any:
    state["nodes"] += 1
    if state["nodes"] > MAX_NODES or depth > MAX_DEPTH:
        raise _Budget()
    if isinstance(node, yamlfile.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            state["nodes"] += 1
            if not isinstance(key_node, yamlfile.ScalarNode):
                problems.append((key_node.start_mark.line, "schema", "a mapping key must be plain text"))
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line
            if key in out:
                problems.append((line, "duplicate-yaml-key", key))
                continue
            lines[path + (key,)] = line
            out[key] = _convert(value_node, path + (key,), lines, state, problems, depth + 1)
        return out
    if isinstance(node, yamlfile.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line
            items.append(_convert(item, path + (index,), lines, state, problems, depth + 1))
        return items
    value = yamlfile.scalar(node)
    if isinstance(value, str) and (bad := CONTROL_CHARS.search(value)):
        problems.append((node.start_mark.line, "control-character",
                         f"'{'.'.join(str(p) for p in path)}' contains the control character "
                         f"U+{ord(bad.group()):04X}"))
        value = _SURROGATE.sub("\ufffd", value)  # a lone surrogate cannot even be written out as UTF-8
    return value


_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting_depth(text: str) -> int:
    """Cheap upper bound of flow nesting ([{ ... }]) before libyaml sees it."""
    depth = best = 0
    for m in _BRACKETS.finditer(text):  # only the brackets, not every character
        if m.group() in "[{":
            depth += 1
            best = max(best, depth)
        else:
            depth = max(0, depth - 1)
    return best


def parse_document(text: str, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse a content file's text.  Never raises on bad input."""
    split = split_front_matter(text)
    if split is None:
        return None, [
            diag(
                "front-matter", rel, 1,
                "the file does not start with a YAML front matter block",
                "Start the file with a line '---', the fields, and another line '---'. "
                "`kb new` writes a valid skeleton.",
            )
        ]
    yaml_text, body, body_line = split
    if len(yaml_text.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        return None, [diag("yaml-syntax", rel, 2, f"the front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB",
                           "Keep the front matter to the fields; long text belongs in the body.")]
    if _nesting_depth(yaml_text) > MAX_DEPTH:
        return None, [diag("yaml-syntax", rel, 2, f"the front matter is nested deeper than {MAX_DEPTH} levels",
                           "Front matter needs at most three levels (claim -> evidence -> field).")]
    try:
        node = yamlfile.compose(yaml_text)
    except yamlfile.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark is not None else 2
        problem = exc.problem or str(exc)
        return None, [
            diag("yaml-syntax", rel, line, f"the front matter is not valid YAML: {problem}",
                 "Check indentation and quoting; text with ':' or '#' needs quotes.")
        ]
    except (yamlfile.YAMLError, RecursionError, ValueError) as exc:
        return None, [diag("yaml-syntax", rel, 2, f"the front matter is not valid YAML: {exc}", None)]
    if node is None:
        return Document({}, body, body_line), []
    if not isinstance(node, yamlfile.MappingNode):
        return None, [diag("yaml-syntax", rel, node.start_mark.line + 2,
                           "the front matter must be a mapping of field: value",
                           "Write one 'field: value' per line.")]
    lines0: dict[Path, int] = {}
    problems: list[tuple[int, str, str]] = []
    try:
        data = _convert(node, (), lines0, {"nodes": 0}, problems, 0)
    except (_Budget, RecursionError):
        return None, [diag("yaml-syntax", rel, 2,
                           f"the front matter expands to more than {MAX_NODES} values (an alias bomb?)",
                           "Do not use YAML anchors and aliases (& and *) in front matter.")]
    diagnostics = []
    for line0, code, what in problems:
        if code == "duplicate-yaml-key":
            diagnostics.append(diag(code, rel, line0 + 2, f"the key '{what}' appears twice",
                                    f"Keep one '{what}:' line and delete the other."))
        elif code == "control-character":
            diagnostics.append(diag(code, rel, line0 + 2, what,
                                    "Remove it (it is invisible, or written as an escape such as \\x7f); "
                                    "retype the text if it was pasted."))
        else:
            diagnostics.append(diag(code, rel, line0 + 2, what, None))
    # Node lines are 0-based inside the YAML; the YAML starts on file line 2.
    lines = {path: line0 + 2 for path, line0 in lines0.items()}
    return Document(data, body, body_line, lines), diagnostics
