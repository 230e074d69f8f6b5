"""The settings of one build: `[tool.kb]` in pyproject.toml, then mkdocs.yml over it, merged in one place.

mkdocs.yml can give kb settings two ways: as options of the kb plugin (`plugins: [{kb: {disable:
[...]}}]`, the same keys as `[tool.kb]`), and through MkDocs' own settings (`theme.language`,
`site_name`, `site_url`, `repo_url`).  A value given in mkdocs.yml wins, even an empty list
(`disable: []`).  The build (generator/engines/build.py) merges them once, from kb's resolved
mkdocs.yml, for every engine; the plugin, run by a plain `mkdocs build`, merges through the same
function, so neither can drop a setting the other keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.core.diagnostics import Diagnostic
from generator.intake.config import OPTIONS, Settings, settings_from_mapping

#: what MkDocs itself holds that is also a kb setting
MKDOCS_KEYS = ("site_name", "site_url", "repo_url")


def merge(base: Settings, *, options: Mapping[str, Any], language: str,
          known: Mapping[str, Any]) -> tuple[Settings, list[Diagnostic]]:
    """*base* with the kb plugin's *options*, the theme's *language* and MkDocs' *known* values over it."""
    given = {k: v for k, v in known.items() if k in MKDOCS_KEYS and v}
    return settings_from_mapping({**options, "language": language, **given}, "mkdocs.yml", base=base)


def plugin_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The kb settings given as options of the kb plugin in a resolved mkdocs.yml."""
    plugins = config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else \
        [(next(iter(p)), p[next(iter(p))]) if isinstance(p, dict) and len(p) == 1 else (p, None) for p in plugins]
    for name, options in items:
        if isinstance(name, str) and (name == "kb" or name.endswith("/kb")) and isinstance(options, dict):
            return {o.name: options[o.name] for o in OPTIONS
                    if o.plugin_option and options.get(o.name) is not None}
    return {}


def language_of(config: Mapping[str, Any]) -> str:
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language or "nl")[:2]


def from_mkdocs(base: Settings, config: Mapping[str, Any]) -> tuple[Settings, list[Diagnostic]]:
    """*base* (from pyproject.toml) with a resolved mkdocs.yml's settings over it; problems as diagnostics."""
    return merge(base, options=plugin_options(config), language=language_of(config),
                 known={k: config.get(k) for k in MKDOCS_KEYS})
