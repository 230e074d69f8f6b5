"""Project settings for checks and pages, declared once in `OPTIONS`.

Read from `[tool.kb]` in pyproject.toml, or passed by the MkDocs plugin from
its options in mkdocs.yml (the same keys; the plugin's config options, the
`Settings` fields and the table in docs/format.md are all derived from
`OPTIONS`).  A value of the wrong type or out of range, and an unknown key,
is an `invalid-setting` diagnostic with the file and line, never a traceback
and never silently ignored (a typo must not switch a check back on).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import os
import re
import reprlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.core.diagnostics import CODES, Diagnostic, Severity, diag
from generator.core.errors import EnvironmentValueError
from generator.core.urls import address_problem, web_address
from generator.intake.reader import Refused, read_bytes

Kind = Literal["whole", "text", "codes", "address", "flag"]


@dataclass(frozen=True)
class Option:
    """One setting: its name, type, bounds, default and the line the docs show."""

    name: str
    kind: Kind
    default: Any
    help: str
    minimum: int | None = None
    maximum: int | None = None
    #: False for settings MkDocs itself holds (theme.language, site_name): not a plugin option
    plugin_option: bool = True

    def parse(self, value: Any) -> tuple[Any, str | None]:
        """(the value as Settings holds it, None) or (None, what is wrong with it)."""
        if self.kind == "whole":
            if isinstance(value, bool) or not isinstance(value, int):
                return None, f"expected a whole number, got {_shown(value)}"
            if not (self.minimum or 0) <= value <= (self.maximum or value):
                return None, f"expected a whole number from {self.minimum} to {self.maximum}, got {value}"
            return value, None
        if self.kind == "flag":
            if not isinstance(value, bool):
                return None, f"expected true or false, got {_shown(value)}"
            return value, None
        if self.kind == "address":  # published in canonical links, JSON-LD and the feed: http(s) only
            address = web_address(value, folder=self.name == "site_url")
            if address is None:
                why = address_problem(value) if isinstance(value, str) and value else None
                return None, (f"expected an http(s) address such as https://example.org/, got {_shown(value)}"
                              + (f" ({why})" if why else ""))
            return address, None
        if self.kind == "text":
            if not isinstance(value, str) or not value.strip():
                return None, f"expected a non-empty text, got {_shown(value)}"
            return value, None
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            return None, f"expected a list of diagnostic codes, got {_shown(value)}"
        unknown = [v for v in items if v not in CODES]
        if unknown:
            near = difflib.get_close_matches(unknown[0], list(CODES), n=1)
            return None, (f"names the unknown code '{unknown[0]}'" + (f"; did you mean '{near[0]}'?" if near else ""))
        return frozenset(items), None


OPTIONS: tuple[Option, ...] = (
    Option("language", "text", "nl", "Language of the pages: `nl` or `en` (MkDocs: `theme.language`).",
           plugin_option=False),
    Option("site_name", "text", None, "Name of the site in titles and citations (MkDocs: `site_name`).",
           plugin_option=False),
    Option("stale_months", "whole", 24, "Months after `reviewed` before `stale-review` warns.", 1, 1200),
    Option("stale_search_months", "whole", 24,
           "Months after an entity's `last_searched` before `stale-search` warns.", 1, 1200),
    Option("site_url", "address", None, "The published address (MkDocs: `site_url`, or `SITE_URL`); "
           "none: the site claims no address.", plugin_option=False),
    Option("repo_url", "address", None, "The repository's web page; changes link to their commits "
           "(MkDocs: `repo_url`).", plugin_option=False),
    Option("disable", "codes", frozenset(), "Diagnostic codes to switch off entirely."),
    Option("errors", "codes", frozenset(), "Warning codes to treat as errors."),
    Option("retractions", "text", None, "The Retraction Watch CSV (relative to the project folder) that "
           "`kb check` compares references.bib with."),
    Option("publish_abstracts", "flag", False, "Show whole abstracts on source pages and in exports "
           "(they stay in references.bib for checking quotes; quotes are always shown)."),
    Option("cms", "flag", False, "Publish the browser editor (Decap CMS) at `/admin/`, its form generated from "
           "the schemas (README, \"Editing in the browser\"); needs npm for `make site`."),
    Option("cms_repo", "text", None, "The GitHub repository the browser editor saves to (`owner/name`); "
           "none: the one `repo_url` names."),
    Option("cms_branch", "text", "main", "The branch the browser editor's pull requests go to."),
    Option("cms_base_url", "address", None, "The OAuth proxy the browser editor signs in through "
           "(Decap's `base_url`); none: sign in with a GitHub token or Netlify's OAuth."),
)
BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}


#: the last second every tool of a build can store: gzip (MkDocs' sitemap.xml.gz) and zip keep the time
#: in 32 bits, so a later SOURCE_DATE_EPOCH failed mid-build with "'L' format requires ..." (issue 18)
MAX_EPOCH = 2**32 - 1


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, checked once where it is read: None when unset; EnvironmentValueError when unusable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:  # unset or empty; blanks are a value, and refused below
        return None
    text = epoch.strip()
    hint = "Set it to whole seconds since 1970-01-01 (e.g. `date +%s`), or unset it."
    if not (text.isascii() and text.isdigit() and len(text) <= 12):
        raise EnvironmentValueError(f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a whole number of seconds "
                                    f"from 0 to {MAX_EPOCH} (2106-02-07)", hint)
    if int(text) > MAX_EPOCH:
        raise EnvironmentValueError(f"SOURCE_DATE_EPOCH={text} is after 2106-02-07 ({MAX_EPOCH}), the last time "
                                    "the site's compressed files can record", hint)
    return int(text)


def today() -> _dt.date:
    """Today's date; SOURCE_DATE_EPOCH (seconds since 1970, as `date +%s` prints) makes it reproducible."""
    epoch = source_date_epoch()
    if epoch is None:
        return _dt.date.today()
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).date()


@dataclass(frozen=True)
class Settings:
    """The settings of one run; every field but `today` is an entry of `OPTIONS` (tested)."""

    language: str = BY_NAME["language"].default
    site_name: str | None = BY_NAME["site_name"].default
    stale_months: int = BY_NAME["stale_months"].default
    disable: frozenset[str] = BY_NAME["disable"].default
    errors: frozenset[str] = BY_NAME["errors"].default  # warnings raised to errors
    stale_search_months: int = BY_NAME["stale_search_months"].default
    #: the published address ("https://.../") and the repository's web page; None: the site claims none
    site_url: str | None = BY_NAME["site_url"].default
    repo_url: str | None = BY_NAME["repo_url"].default
    #: whether source pages and exports show whole abstracts (they stay in references.bib for checking quotes)
    publish_abstracts: bool = BY_NAME["publish_abstracts"].default
    retractions: str | None = BY_NAME["retractions"].default  # the Retraction Watch CSV, relative to the project
    #: the browser editor at /admin/ (generator/pages/cms_config.py) and where it saves to
    cms: bool = BY_NAME["cms"].default
    cms_repo: str | None = BY_NAME["cms_repo"].default
    cms_branch: str = BY_NAME["cms_branch"].default
    cms_base_url: str | None = BY_NAME["cms_base_url"].default
    today: _dt.date = field(default_factory=lambda: today())

    def severity(self, code: str) -> Severity:
        return "error" if code in self.errors else CODES[code].severity


def _shown(value: Any) -> str:
    text = reprlib.repr(value)  # bounded depth and length, whatever the file holds
    kind = {bool: "true/false", int: "a number", float: "a number", str: "a text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)
    return f"{text[:60]}{'…' if len(text) > 60 else ''} ({kind})"


def settings_from_mapping(data: Mapping[str, Any], origin: str, *, base: Settings | None = None,
                          lines: Mapping[str, int | None] | None = None,
                          places: Mapping[str, tuple[str, int | None]] | None = None
                          ) -> tuple[Settings, list[Diagnostic]]:
    """*base* (default: the defaults) with the valid values of *data* applied; a diagnostic for each other one.

    A given value always wins, even an empty list: `disable: []` in mkdocs.yml
    switches every check back on that pyproject.toml switched off.  A diagnostic names *origin* and
    the key's line from *lines*; *places* names file and line per key instead, for settings gathered
    from several files (mkdocs.yml and the files it inherits).
    """
    out: list[Diagnostic] = []
    values: dict[str, Any] = {}
    lines, places = lines or {}, places or {}

    def at(key: str) -> tuple[str, int | None]:
        return places.get(key) or (origin, lines.get(key))

    for key, value in data.items():
        option = BY_NAME.get(str(key))
        if option is None:
            near = difflib.get_close_matches(str(key).replace("-", "_"), list(BY_NAME), n=1)
            out.append(diag("invalid-setting", *at(str(key)), f"unknown kb setting '{key}'",
                            f"Did you mean '{near[0]}'?" if near else f"Known settings: {', '.join(BY_NAME)}."))
            continue
        parsed, problem = option.parse(value)
        if problem is not None:
            out.append(diag("invalid-setting", *at(option.name),
                            f"kb setting '{option.name}': {problem}",
                            f"{option.help} Default: {_default_text(option)}."))
            continue
        values[option.name] = parsed
    return dataclasses.replace(base or Settings(), **values), out


def _default_text(option: Option) -> str:
    if option.kind == "flag":
        return "true" if option.default else "false"
    if option.kind == "codes":
        return "[]"
    if option.default is None:
        return "none"
    return f'"{option.default}"' if option.kind == "text" else str(option.default)


_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\- ]+?)\s*=""")


def toml_lines(text: str) -> dict[tuple[str, str], int]:
    """(table, dotted key) -> 1-based line of its first assignment; ("", "[table]") -> line of a header.

    tomllib gives values without positions; this line scan is only used to point
    a diagnostic at the right line (a key it cannot place gets the table's line).
    """
    found: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE.match(line)
        if header:
            table = re.sub(r"\s*\.\s*", ".", header.group(1)).replace('"', "").replace("'", "")
            found.setdefault(("", f"[{table}]"), number)
            continue
        key = _KEY.match(line)
        if key:
            name = re.sub(r"\s*\.\s*", ".", key.group(1).strip()).replace('"', "").replace("'", "")
            found.setdefault((table, name), number)
    return found


def _kb_line(found: dict[tuple[str, str], int], key: str | None) -> int | None:
    """The line of `key` of [tool.kb] (or of the table itself when *key* is None), however it was written."""
    if key is None:
        return found.get(("", "[tool.kb]")) or found.get(("tool", "kb")) or found.get(("", "tool.kb")) \
            or found.get(("", "tool"))
    return (found.get(("tool.kb", key)) or found.get(("tool", f"kb.{key}")) or found.get(("", f"tool.kb.{key}"))
            or _kb_line(found, None))


#: pyproject.toml larger than this is not read (this project's is 2 KB)
MAX_PYPROJECT_BYTES = 1024 * 1024


def load_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """Settings from root/pyproject.toml `[tool.kb]`; problems as diagnostics (the defaults stand in)."""
    try:  # a link inside the project is fine (a monorepo's shared file); /dev/zero or ../../x is not
        raw = read_bytes(root / "pyproject.toml", limit=MAX_PYPROJECT_BYTES, root=root, links=True)
    except Refused as refused:
        if refused.kind == "missing":
            return Settings(), []
        return Settings(), [diag("invalid-setting", "pyproject.toml", None, f"pyproject.toml is not read: {refused}",
                                 "Make pyproject.toml an ordinary file of the project (a few kilobytes).")]
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        where = re.search(r"at line (\d+)", str(exc))
        return Settings(), [diag("invalid-setting", "pyproject.toml", int(where.group(1)) if where else None,
                                 f"pyproject.toml cannot be read: {exc}", "Fix the TOML syntax on that line.")]
    except RecursionError:  # tomllib recurses per nested array: '[[[[...' a few hundred deep
        return Settings(), [diag("invalid-setting", "pyproject.toml", None,
                                 "pyproject.toml cannot be read: its arrays or tables are nested too deeply",
                                 "No kb setting needs more than a flat list.")]
    found = toml_lines(text)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        return Settings(), [diag("invalid-setting", "pyproject.toml", found.get(("", "tool")),
                                 f"'tool' must be a table, got {_shown(tool)}", "Write the settings under [tool.kb].")]
    section = tool.get("kb", {})
    if not isinstance(section, dict):
        return Settings(), [diag("invalid-setting", "pyproject.toml", _kb_line(found, None),
                                 f"[tool.kb] must be a table of settings, got {_shown(section)}",
                                 "Write the settings under [tool.kb], one `name = value` a line.")]
    return settings_from_mapping(section, "pyproject.toml", lines={k: _kb_line(found, k) for k in section})


def settings_table_markdown() -> str:
    """The settings table of docs/format.md (tests/test_settings.py keeps the docs equal to it)."""
    rows = ["| setting | type | default | meaning |", "|---|---|---|---|"]
    kinds = {"whole": "whole number", "text": "text", "codes": "list of codes", "address": "http(s) address", "flag": "true/false"}
    for o in OPTIONS:
        bounds = f" ({o.minimum}–{o.maximum})" if o.minimum is not None else ""
        rows.append(f"| `{o.name}` | {kinds[o.kind]}{bounds} | `{_default_text(o)}` | {o.help} |")
    return "\n".join(rows) + "\n"
