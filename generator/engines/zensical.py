"""Zensical adapter: kb writes the pages, the navigation and the config; Zensical builds.

Zensical reads mkdocs.yml but ignores MkDocs plugins, so our plugin never runs.
Instead, in a private workspace next to the output folder (never in the project):

* docs/: the editors' non-Markdown files (images...) and the generated pages in
  their Markdown form (front matter, Markdown headings with fixed ids, sanitized
  HTML blocks between the content markers), as `kb build --pages-only` writes them;
* mkdocs.yml: the project's mkdocs.yml with docs_dir/site_dir pointing into the
  workspace, our navigation written in as `nav`, and the plugins left out;
* Zensical builds site/, the finishing pass sanitizes the content areas and adds
  the JSON-LD, and site/ is swapped in as the output folder.

The editors' mkdocs.yml is only read.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from generator.core import i18n
from generator.intake.config import load_settings, settings_from_mapping
from generator.engines.contract import Progress
from generator.output.finish import finish_site, heads_of
from generator.pages.markdown_text import MarkdownOptions
from generator.engines.mkdocs_build import DEFAULT_CONFIG, BuildFailed
from generator.changes import changelog
from generator.pages.navigation import default_nav
from generator.pages.pipeline import generate
from generator.output.site import check_output_dir, swap_in, write_files

#: settings only our plugin understands, or that point outside the workspace
_DROPPED = ("plugins", "docs_dir", "site_dir", "strict", "INHERIT", "hooks", "watch")


def read_mkdocs_yml(root: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as plain data (MkDocs' loader: `!ENV` resolved), or kb's default."""
    from mkdocs.utils.yaml import yaml_load

    path = root / "mkdocs.yml"
    if path.is_file():
        with open(path, "rb") as handle:
            return yaml_load(handle)
    return yaml_load(io.StringIO(DEFAULT_CONFIG))


def _markdown_options(config: dict[str, Any]) -> MarkdownOptions:
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, conf in item.items():
                names.append(name)
                configs[name] = conf or {}
        else:
            names.append(str(item))
    return MarkdownOptions.from_mkdocs(names, configs)


def engine_config(config: dict[str, Any], root: Path, nav: list[dict[str, str]]) -> dict[str, Any]:
    """What Zensical reads: the project's settings, our navigation, paths inside the workspace."""
    out = {k: v for k, v in config.items() if k not in _DROPPED}
    out.update(docs_dir="docs", site_dir="site")
    if not config.get("nav"):
        out["nav"] = nav
    theme = dict(out.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    if isinstance(theme.get("palette"), dict):
        # One palette, nothing to switch: Zensical still draws a palette switch, whose hidden radio
        # button takes keyboard focus (axe: aria-hidden-focus).  The colours come from kb.css.
        del theme["palette"]
    out["theme"] = theme
    return out


def build_site(root: Path, out: Path, *, strict: bool = False, progress: Progress | None = None,
               result: list[object] | None = None) -> None:
    say = progress or (lambda _m: None)
    preset = result.pop() if result else None
    check_output_dir(root, out)
    config = read_mkdocs_yml(root)
    settings, _problems = load_settings(root)
    language = str((config.get("theme") or {}).get("language") or "nl")[:2]
    merged = {k: getattr(settings, k) for k in ("stale_months", "disable", "errors")}
    merged.update(language=language, site_name=config.get("site_name") or None)
    settings, _more = settings_from_mapping({k: v for k, v in merged.items() if v}, "mkdocs.yml")
    directory_urls = bool(config.get("use_directory_urls", True))
    generated = generate(root, settings, strict=strict, directory_urls=directory_urls, result=preset,  # type: ignore[arg-type]
                         progress=lambda m: say(f"kb: {m}"), markdown=_markdown_options(config))
    if generated.result.failed(strict):
        raise BuildFailed("kb check failed")
    out.parent.mkdir(parents=True, exist_ok=True)
    workspace = Path(tempfile.mkdtemp(prefix=f".{out.name}.zensical-", dir=out.parent))
    try:
        docs = workspace / "docs"
        source = root / str(config.get("docs_dir") or "content")
        if source.is_dir():  # the editors' images and other files; their Markdown is replaced by ours
            shutil.copytree(source, docs, ignore=shutil.ignore_patterns("*.md"))
        write_files(generated.files, docs)
        (docs / ".kb-output").unlink(missing_ok=True)
        nav = default_nav(generated, i18n.LABELS[i18n.lang(language)], changelog.words(language))
        heads = heads_of(generated.files, directory_urls)
        del generated
        engine_file = workspace / "mkdocs.yml"
        engine_file.write_text(yaml.safe_dump(engine_config(config, root, nav), allow_unicode=True, sort_keys=False),
                               encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(engine_file)],
                              cwd=str(workspace), capture_output=True, text=True, encoding="utf-8",
                              env=_no_colour())
        site = workspace / "site"
        if done.returncode != 0 or not (site / "index.html").is_file():
            raise BuildFailed("Zensical failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-30:]))
        say(f"kb: Zensical wrote the site ({time.perf_counter() - started:.1f} s)")
        finish_site(site, heads)
        swap_in(site, out)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _no_colour() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1"}
