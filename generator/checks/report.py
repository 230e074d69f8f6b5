"""Diagnostics -> text, JSON or GitHub workflow annotations.

Every field comes from the repository, so what reaches a terminal or a CI log is made printable
first (core/terminal.py): an escape sequence in a citation key shows as `\\x1b`, never runs.  A
newline in a message is shown as `\\x0a` in text form, so no content can forge a report line.  The
JSON form is the same data, with such characters as `\\u` escapes.
"""

from __future__ import annotations

import json

from generator.checks.check import CheckResult
from generator.core.terminal import printable, printable_json


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_report(result: CheckResult, fmt: str) -> str:
    diags = result.diagnostics
    if fmt == "json":
        return printable_json(json.dumps({
            "diagnostics": [d.to_json() for d in diags],
            "summary": {"errors": len(result.errors), "warnings": len(result.warnings),
                        "claims": len(result.kb.claims), "sources": len(result.kb.sources)},
        }, ensure_ascii=False, indent=2))
    lines = []
    if fmt == "github":
        for d in diags:
            where = f"file={_gh_escape(printable(d.file), prop=True)}"
            if d.line:
                where += f",line={d.line}"
            title = _gh_escape(f"{d.code}", prop=True)
            text = printable(d.message) + (f"\n{printable(d.hint)}" if d.hint else "")
            lines.append(f"::{d.severity} {where},title={title}::{_gh_escape(text)}")
    else:
        for d in diags:
            place = f"{printable(d.file)}:{d.line}" if d.line else printable(d.file)
            lines.append(f"{place}: {d.severity}: {printable(d.message)} [{d.code}]")
            if d.hint:
                lines.append(f"    hint: {printable(d.hint)}")
    lines.append(f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in "
                 f"{len(result.kb.claims)} claims and {len(result.kb.sources)} sources.")
    return "\n".join(lines)
