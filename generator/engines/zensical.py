"""Zensical adapter: kb writes the pages, the navigation and the config; Zensical builds.

Zensical reads mkdocs.yml but ignores MkDocs plugins, so our plugin never runs.
Instead, in a private workspace next to the output folder (never in the project):

* docs/: the editors' images and PDFs (only those generator/intake/content_files.py allows,
  copied as files: never a link, never HTML, SVG or script) and the generated pages in
  their Markdown form (front matter, Markdown headings with fixed ids, sanitized
  HTML blocks between the content markers), as `kb build --pages-only` writes them;
* mkdocs.yml: kb's resolved mkdocs.yml (generator/intake/mkdocs_yml.py: no INHERIT, no code
  tag, `!ENV` read) with docs_dir/site_dir pointing into the workspace, the site address kb
  checked, our navigation written in as `nav`, and the plugins left out;
* Zensical builds site/; kb gives each topic page's own entry in Zensical's search index the
  topic's aliases and search terms (generator/output/search_index.py: Zensical's search
  ranks titles first and takes no tags or boost from a page); the finishing pass sanitizes the content areas and adds
  the JSON-LD, and site/ is swapped in as the output folder (generator/engines/build.py).

Zensical never reads the editors' mkdocs.yml.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path
from typing import Any

from generator.changes import changelog
from generator.core import i18n
from generator.core.errors import BuildFailed, UnsafeContent
from generator.core.writer import MARKER, make_dirs, remove_file, write_staged
from generator.engines.contract import Job, engine_config_file, run_engine
from generator.intake.content_files import MAX_ASSET_BYTES
from generator.intake.reader import Refused, read_bytes
from generator.intake.yamlfile import PythonName, Relative
from generator.output.finish import heads_of
from generator.output.search_index import complete_zensical_index, topic_words
from generator.output.site import write_files
from generator.pages.markdown_text import MarkdownOptions
from generator.pages.navigation import default_nav
from generator.pages.pipeline import generate

#: settings only our plugin understands, or that point outside the workspace
_DROPPED = ("plugins", "docs_dir", "site_dir", "strict", "INHERIT", "hooks", "watch")


def _named(value: Any) -> Any:
    """`!!python/name:` values as the objects they name, as MkDocs' loader gives them to Python-Markdown.

    Only names kb's resolution allowed get here (Material's and PyMdown Extensions' functions)."""
    if isinstance(value, PythonName):
        module, _, attribute = value.name.rpartition(".")
        return getattr(importlib.import_module(module), attribute)
    if isinstance(value, dict):
        return {k: _named(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v) for v in value]
    return value


def _markdown_options(config: dict[str, Any]) -> MarkdownOptions:
    """The Markdown extensions kb renders editors' text with, as the MkDocs engines would."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, conf in item.items():
                names.append(name)
                configs[name] = _named(conf or {})
        else:
            names.append(str(item))
    return MarkdownOptions.from_mkdocs(names, configs)


def _placed(value: Any, docs: Path) -> Any:
    """`!relative $docs_dir/...` as the workspace path Zensical builds from; bare `!relative` is refused."""
    if isinstance(value, Relative):
        if not value.value:
            raise BuildFailed("Zensical does not support the bare `!relative` tag of mkdocs.yml (it means the "
                              "folder of the page being rendered); use `!relative $config_dir/...` or another engine")
        return str(docs / value.value.partition("/")[2])
    if isinstance(value, dict):
        return {k: _placed(v, docs) for k, v in value.items()}
    if isinstance(value, list):
        return [_placed(v, docs) for v in value]
    return value


def engine_config(config: dict[str, Any], root: Path, nav: list[dict[str, str]], site_url: str | None,
                  docs: Path) -> dict[str, Any]:
    """What Zensical reads: the resolved settings, our navigation, paths inside the workspace."""
    out = {k: v for k, v in _placed(config, docs).items() if k not in _DROPPED}
    out.update(docs_dir="docs", site_dir="site", site_url=site_url)
    if not config.get("nav"):
        out["nav"] = nav
    theme = dict(out.get("theme") or {}) if isinstance(out.get("theme"), dict) else {"name": out.get("theme")}
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    if isinstance(theme.get("palette"), dict):
        # One palette, nothing to switch: Zensical still draws a palette switch, whose hidden radio
        # button takes keyboard focus (axe: aria-hidden-focus).  The colours come from kb.css.
        del theme["palette"]
    out["theme"] = theme
    return out


def run(job: Job) -> dict[str, str]:
    """Generate the pages, hand Zensical them and kb's configuration; return the pages' <head> additions."""
    say = job.progress
    preset = job.result.pop() if job.result else None
    docs = job.workspace / "docs"
    config = _placed(job.config, docs)  # before any work: a bare !relative is refused here
    directory_urls = job.directory_urls
    generated = generate(job.root, job.settings, strict=job.strict, directory_urls=directory_urls,
                         result=preset, progress=lambda m: say(f"kb: {m}"),  # type: ignore[arg-type]
                         markdown=_markdown_options(config))
    if generated.result.failed(job.strict):
        raise BuildFailed("kb check failed")
    content = job.root / "content"
    for asset in sorted(job.assets):  # the editors' images and PDFs kb allows: nothing else of content/
        target = docs / Path(asset).relative_to(content)
        make_dirs(target.parent)
        try:  # vetted by publishable_assets; read through the reader all the same (it could change meanwhile)
            data = read_bytes(Path(asset), limit=MAX_ASSET_BYTES, root=job.root, links=False)
        except Refused as refused:
            raise UnsafeContent(f"content/{Path(asset).relative_to(content).as_posix()}: {refused}; "
                                "it is not published", "Run `kb check` and build again.") from None
        write_staged(target, data)
    write_files(generated.files, docs)
    remove_file(docs / MARKER)
    language = job.settings.language
    nav = default_nav(generated, i18n.LABELS[i18n.lang(language)], changelog.words(language))
    heads = heads_of(generated.files, directory_urls)
    words = topic_words(generated.files, directory_urls)
    del generated
    engine_file = engine_config_file(job, engine_config(config, job.root, nav, job.settings.site_url, docs))
    started = time.perf_counter()
    done = run_engine("Zensical", [sys.executable, "-m", "zensical", "build", "--config-file", str(engine_file)],
                      cwd=job.workspace, env={**os.environ, "NO_COLOR": "1"})
    if done.returncode != 0 or not (job.site / "index.html").is_file():
        raise BuildFailed("Zensical failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-30:]))
    say(f"kb: Zensical wrote the site ({time.perf_counter() - started:.1f} s)")
    # Zensical's search ranks by field and takes no tags: a topic's words go where it weighs them
    complete_zensical_index(job.site, words)
    return heads
