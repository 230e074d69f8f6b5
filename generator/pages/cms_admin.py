"""The files of `/admin/`, the browser editor: page, pinned script, generated config, claim preview.

Only when the setting `cms` is on.  The script is Decap CMS as `npm ci` installed it from
cms/package-lock.json (every file checked against the lock's integrity), copied from
node_modules into the site: the editor loads nothing from another server.  The reader pages
never link to /admin/ or load any of it; /admin/ is static files, not pages, so it stays out
of the search index, the sitemap and the feed (tests/test_cms.py checks all three).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from generator.core import i18n
from generator.core.errors import KbError
from generator.core.layout import ADMIN_DIR, ASSETS_DIR
from generator.core.model import DOWNGRADE_DOMAINS, UPGRADE_DOMAINS, KnowledgeBase
from generator.intake.config import Settings
from generator.pages.cms_config import REASON_FIELD, cms_config, config_text, source_label
from generator.pages.files import OutputFile

#: the npm project that pins the CMS (package.json + package-lock.json), next to generator/
CMS_PROJECT = Path(__file__).resolve().parents[2] / "cms"
#: the package and the one script of it the page loads (its chunks and WebAssembly files come along)
PACKAGE = "decap-cms"
SCRIPT = "decap-cms.js"
ADDITIONS_JS = "kb-cms.js"
#: kb's widget for a GRADE domain, the pruning before a save, and the claim preview
ADDITIONS = Path(__file__).resolve().parents[1] / "templates" / "cms_admin.js"


class CmsNotInstalled(KbError):
    """The setting `cms` is on, but the pinned CMS script is not installed."""


def cms_project() -> Path:
    """Where package.json and node_modules are: $KB_CMS_DIR, else cms/ beside generator/."""
    return Path(os.environ.get("KB_CMS_DIR") or CMS_PROJECT)


def dist_dir() -> Path:
    return cms_project() / "node_modules" / PACKAGE / "dist"


def script_files() -> list[Path]:
    """The CMS's files the site publishes: the script, the chunks it loads, its WebAssembly and licence."""
    dist = dist_dir()
    if not (dist / SCRIPT).is_file():
        hint = (f"Run `make site` (it runs `npm ci` in {cms_project()}; needs npm), or `npm ci --prefix "
                f"{cms_project()}`; or switch the editor off with cms = false under [tool.kb].")
        # the hint is in the message too: an engine that reports a failed build shows only the message
        raise CmsNotInstalled(f"the setting cms is on, but the browser editor's script is not installed "
                              f"({dist / SCRIPT} is missing). {hint}")
    names = [p for p in sorted(dist.iterdir()) if p.is_file() and (
        p.name == SCRIPT or p.name.endswith(f".{SCRIPT}") or p.suffix == ".wasm" or p.name == f"{SCRIPT}.LICENSE.txt")]
    return names


def _preview_words(kb: KnowledgeBase, settings: Settings) -> dict[str, object]:
    language = i18n.lang(settings.language)
    return {
        "lang": language, "css": f"../{ASSETS_DIR}/kb.css",
        "words": {k: i18n.LABELS[language][k] for k in (
            "certainty", "type", "population", "reviewed", "grade_profile", "grade_start", "grade_result",
            "grade_not_applicable", "domain", "judgement", "reason", "evidence", "participants", "note")},
        "certainty": i18n.CERTAINTY[language], "symbols": i18n.CERTAINTY_SYMBOLS,
        "stance": i18n.STANCE[language], "stance_symbols": i18n.STANCE_SYMBOLS,
        "stance_meaning": i18n.STANCE_MEANING[language], "types": i18n.CLAIM_TYPE[language],
        "domains": i18n.GRADE_DOMAIN[language], "ratings": i18n.GRADE_RATING[language],
        "start": i18n.GRADE_START[language], "order": list(DOWNGRADE_DOMAINS + UPGRADE_DOMAINS),
        "upgrade": list(UPGRADE_DOMAINS), "reason_field": REASON_FIELD,
        "reason_trailer": i18n.CMS_WORDS[language]["trailer"],
        "sources": {k: source_label(k, s.fields).rsplit(" (", 1)[0] for k, s in sorted(kb.sources.items())},
    }


def additions_script(kb: KnowledgeBase, settings: Settings) -> str:
    words = json.dumps(_preview_words(kb, settings), ensure_ascii=False, sort_keys=True)
    # JSON in a .js file (never in HTML): '</script>' in a title cannot end anything here
    return ADDITIONS.read_text(encoding="utf-8").replace("/*KB_WORDS*/null", words, 1)


def index_html(settings: Settings) -> str:
    language = i18n.lang(settings.language)
    words = i18n.CMS_WORDS[language]
    title = html.escape(words["admin_title"].format(site=settings.site_name or i18n.LABELS[language]["site_title"]))
    return (f'<!doctype html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex, nofollow">\n'
            f'<link rel="cms-config-url" type="text/yaml" href="config.yml">\n<title>{title}</title>\n</head>\n<body>\n'
            f'<noscript>{html.escape(words["no_script"])}</noscript>\n'
            f'<script src="{SCRIPT}"></script>\n<script src="{ADDITIONS_JS}"></script>\n</body>\n</html>\n')


def admin_files(kb: KnowledgeBase, settings: Settings) -> list[OutputFile]:
    """Every file of /admin/ (none when the setting `cms` is off)."""
    if not settings.cms:
        return []
    config, _form = cms_config(kb, settings)
    files = [OutputFile.of(f"{ADMIN_DIR}/index.html", index_html(settings)),
             OutputFile.of(f"{ADMIN_DIR}/config.yml", config_text(config)),
             OutputFile.of(f"{ADMIN_DIR}/{ADDITIONS_JS}", additions_script(kb, settings))]
    files += [OutputFile(f"{ADMIN_DIR}/{p.name}", p.read_bytes()) for p in script_files()]
    return files
