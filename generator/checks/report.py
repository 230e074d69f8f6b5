"""Diagnostics -> text, JSON or GitHub workflow annotations."""

from __future__ import annotations

import json

from generator.checks.check import CheckResult


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_report(result: CheckResult, fmt: str) -> str:
    diags = result.diagnostics
    if fmt == "json":
        return json.dumps({
            "diagnostics": [d.to_json() for d in diags],
            "summary": {"errors": len(result.errors), "warnings": len(result.warnings),
                        "claims": len(result.kb.claims), "sources": len(result.kb.sources)},
        }, ensure_ascii=False, indent=2)
    lines = []
    if fmt == "github":
        for d in diags:
            where = f"file={_gh_escape(d.file, prop=True)}"
            if d.line:
                where += f",line={d.line}"
            title = _gh_escape(f"{d.code}", prop=True)
            text = d.message + (f"\n{d.hint}" if d.hint else "")
            lines.append(f"::{d.severity} {where},title={title}::{_gh_escape(text)}")
    else:
        for d in diags:
            place = f"{d.file}:{d.line}" if d.line else d.file
            lines.append(f"{place}: {d.severity}: {d.message} [{d.code}]")
            if d.hint:
                lines.append(f"    hint: {d.hint}")
    lines.append(f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in "
                 f"{len(result.kb.claims)} claims and {len(result.kb.sources)} sources.")
    return "\n".join(lines)
