"""What no engine may be handed: mkdocs.yml with code in it, and a site address with markup in it.

mkdocs.yml is code (MkDocs and Zensical load it with PyYAML's full loader, so a tag such as
`!!python/object/apply:os.system [...]` runs a command), and a pull request can change it.  kb
resolves the file itself (generator/intake/mkdocs_yml.py) and engines only ever get kb's
resolved, tag-free result; `kb check` reports what the resolution found (`unsafe-config`,
`duplicate-yaml-key`, `too-large`, with file and line), and every build refuses while any of it
is there, whatever the settings say.  The one exception is `hooks:` (Python files MkDocs runs):
a project that means to use them switches `unsafe-config` off, and kb check stops reporting them.

The site address (`site_url`, usually from $SITE_URL) ends up in every page's canonical link;
`site_url_problem` accepts only a plain http(s) address.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.diagnostics import Diagnostic
from generator.core.errors import KbError, UnsafeConfig
from generator.core.urls import address_problem
from generator.intake.config import Settings
from generator.intake.mkdocs_yml import CONFIG_FILE, ResolvedConfig, resolve
from generator.intake.site_settings import from_mkdocs

__all__ = ["CONFIG_FILE", "config_problems", "refuse_unsafe_config", "site_url_problem"]


def config_problems(root: Path, *, hooks: bool = True) -> list[Diagnostic]:
    """The problems of root/mkdocs.yml and the files it inherits, as `kb check` reports them.  Never raises.

    With them the kb settings mkdocs.yml gives (plugin options, site_url, repo_url, ...): a value
    every build refuses (generator/engines/build.py) is an `invalid-setting` of the check too.
    """
    resolved = resolve(root)
    problems = resolved.diagnostics if hooks else resolved.refusals()
    if resolved.ok:
        try:
            _settings, more = from_mkdocs(Settings(), resolved.data, resolved.where)
        except KbError:  # SOURCE_DATE_EPOCH: reported where the settings are read
            more = []
        problems = problems + more
    return problems


def refuse_unsafe_config(root: Path) -> ResolvedConfig:
    """root/mkdocs.yml resolved; raise UnsafeConfig when anything in it stops a build (whatever the settings)."""
    resolved = resolve(root)
    problems = resolved.refusals()
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UnsafeConfig(f"{first.file}:{first.line or ''}: {first.message} [{first.code}]{more}; "
                           f"no engine is handed this configuration", "Run `kb check` for every problem.")
    return resolved


def site_url_problem(url: str | None) -> str | None:
    """Why *url* is not a safe site address, or None (empty: no address, which is fine).

    The one rule for addresses lives in generator/core/urls.py (`address_problem`), shared with the
    settings that publish an address (site_url, repo_url)."""
    return address_problem(url)
