"""The layout of the published site: which paths the generator and the theme own.

The one list of generated paths.  The renderer writes its fixed pages and
exports under these names, the default navigation links to them, and the
content checks refuse any editor's file that would land on one of them (a
free page called `legenda` would otherwise silently replace the legend every
certainty badge links to).
"""

from __future__ import annotations

from generator.core.model import ENTITY_DIRS

#: the fixed pages, by role
HOME = "index.md"
LEGEND = "legenda.md"
OUTDATED = "achterhaald.md"
CHANGES = "wijzigingen.md"  # "Wat is er veranderd": the latest changes, from git
FIXED_PAGES = {"home": HOME, "legend": LEGEND, "outdated": OUTDATED, "changes": CHANGES}
CLAIMS_INDEX = "claims/index.md"
REFERENCES_INDEX = "references/index.md"
EXPORTS = ("api/claims.json", "api/references.json")
FEED = "feed.xml"  # the Atom feed of the changes page
ASSETS_DIR = "assets"  # our kb.css and kb.js, next to the theme's own assets
ADMIN_DIR = "admin"  # the browser editor (setting `cms`): static files, not pages

#: the folder of content/ holding study appraisals (content/sources/<bibtex key>.md); not published as
#: pages of their own: each appraisal appears on its source's page (references/<key>/)
SOURCES_FOLDER = "sources"
#: folders of content/ that hold Markdown (sub-folder -> what it holds)
CONTENT_FOLDERS: dict[str, str] = {**{folder: kind for folder, kind in ENTITY_DIRS.items()},
                                   "claims": "claim", "pages": "page", SOURCES_FOLDER: "source"}

#: top-level folders the generator writes (entity, claim and source pages, exports, assets)
GENERATED_FOLDERS = frozenset(ENTITY_DIRS) | {"claims", "references", "api", ASSETS_DIR, ADMIN_DIR}
#: top-level folders and files that MkDocs, its search plugin and the themes write
THEME_PATHS = frozenset({"assets", "search", "stylesheets", "javascripts", "css", "js", "img", "fonts",
                         "webfonts", "404", "sitemap"})
#: other names kept free: content/pages/ files are published under pages/; 'outdated' is the
#: English name of the outdated-claims page
OTHER_RESERVED = frozenset({"pages", "outdated"})

#: top-level names no free page (published at /<id>/) and no editor's folder may take
RESERVED_TOP_LEVEL = (GENERATED_FOLDERS | THEME_PATHS | OTHER_RESERVED
                      | {path.removesuffix(".md") for path in FIXED_PAGES.values()} - {"index"})
