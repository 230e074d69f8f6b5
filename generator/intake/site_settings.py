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
from pathlib import Path
from typing import Any

from generator.core.diagnostics import Diagnostic
from generator.intake.config import OPTIONS, Settings, settings_from_mapping

#: what MkDocs itself holds that is also a kb setting
MKDOCS_KEYS = ("site_name", "site_url", "repo_url")


def merge(base: Settings, *, options: Mapping[str, Any], language: str, known: Mapping[str, Any],
          places: Mapping[str, tuple[str, int | None]] | None = None) -> tuple[Settings, list[Diagnostic]]:
    """*base* with the kb plugin's *options*, the theme's *language* and MkDocs' *known* values over it.

    *places*: setting name -> (file, line) where mkdocs.yml (or a file it inherits) gives it, so an
    `invalid-setting` points at the key an editor wrote; without it, the diagnostic names mkdocs.yml.
    """
    given = {k: v for k, v in known.items() if k in MKDOCS_KEYS and v}
    return settings_from_mapping({**options, "language": language, **given}, "mkdocs.yml", base=base,
                                 places=places)


def _plugin(config: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The kb plugin's name as written (`kb`, or a path ending in `/kb`) and its options, if it has any."""
    plugins = config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else \
        [(next(iter(p)), p[next(iter(p))]) if isinstance(p, dict) and len(p) == 1 else (p, None) for p in plugins]
    for name, options in items:
        if isinstance(name, str) and (name == "kb" or name.endswith("/kb")) and isinstance(options, dict):
            return name, options
    return None


def plugin_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The kb settings given as options of the kb plugin in a resolved mkdocs.yml."""
    found = _plugin(config)
    if found is None:
        return {}
    options = found[1]
    return {o.name: options[o.name] for o in OPTIONS if o.plugin_option and options.get(o.name) is not None}


def language_of(config: Mapping[str, Any]) -> str:
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language or "nl")[:2]


def places_of(config: Mapping[str, Any], where: Mapping[tuple[Any, ...], tuple[str, int]]
              ) -> dict[str, tuple[str, int | None]]:
    """Setting name -> (file, line) of the key that gives it, from a ResolvedConfig's `where`."""
    paths: dict[str, tuple[Any, ...]] = {k: (k,) for k in MKDOCS_KEYS}
    paths["language"] = ("theme", "language")
    found = _plugin(config)
    if found is not None:
        paths.update({o.name: ("plugins", found[0], o.name) for o in OPTIONS if o.plugin_option})
    return {name: where[path] for name, path in paths.items() if path in where}


def from_mkdocs(base: Settings, config: Mapping[str, Any],
                where: Mapping[tuple[Any, ...], tuple[str, int]] | None = None) -> tuple[Settings, list[Diagnostic]]:
    """*base* (from pyproject.toml) with a resolved mkdocs.yml's settings over it; problems as diagnostics.

    *where*: the resolved configuration's key places (ResolvedConfig.where), for the diagnostics' file and line.
    """
    return merge(base, options=plugin_options(config), language=language_of(config),
                 known={k: config.get(k) for k in MKDOCS_KEYS}, places=places_of(config, where or {}))


def project_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """The settings a build of *root* uses: pyproject.toml, then the resolved mkdocs.yml over it.

    `kb check` and `kb diff` take their settings from here, so a `disable` list or a language set in
    mkdocs.yml counts for the check exactly as it does for the build (whatever passes `kb check`
    builds).  When mkdocs.yml cannot be resolved, pyproject.toml's settings stand; the resolution's
    problems are the check's to report (generator/intake/config_safety.config_problems).
    Raises like load_settings on a SOURCE_DATE_EPOCH kb cannot use.
    """
    from generator.intake.config import load_settings
    from generator.intake.mkdocs_yml import resolve

    settings, problems = load_settings(root)
    resolved = resolve(root)
    if not resolved.ok:
        return settings, list(problems)
    settings, more = from_mkdocs(settings, resolved.data, resolved.where)
    return settings, list(problems) + more
