"""The browser editor (/admin/, setting `cms`): its form covers the schemas, its script is the pinned
one, nothing of it reaches the reader's pages, and no data is lost on the way through it."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

from browser_support import kb_executable, require
from generator.checks.check import run_check
from generator.core.model import DOMAIN_RATINGS
from generator.intake import schema
from generator.intake.config import Settings, load_settings
from generator.intake.content import _build
from generator.intake.schema import FieldSpec
from generator.pages.cms_admin import PACKAGE, SCRIPT, cms_project, dist_dir
from generator.pages.cms_config import cms_config

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "cms" / "package-lock.json"
NODE = shutil.which("node")


def _shipped():
    settings, _ = load_settings(REPO)
    result = run_check(REPO, settings)
    assert not result.failed(False)
    return result.kb, settings


@pytest.fixture(scope="module")
def shipped():
    return _shipped()


# -- the form covers the schema ------------------------------------------------------

def _nested(spec: FieldSpec) -> tuple[FieldSpec, ...]:
    """The fields inside a field, as the loader checks them (generator/intake/schema.py)."""
    if spec.kind == "grade":
        return schema.GRADE_FIELDS
    if spec.kind == "evidence":
        return schema.EVIDENCE_FIELDS
    if spec.kind == "suppress":
        return schema.SUPPRESS_FIELDS
    if spec.kind == "rating":
        return schema.rating_fields(spec.choices)
    if spec.kind in ("mapping", "items"):
        return spec.fields
    return ()  # "domains": one optional object per domain name (see test_domains_offer_every_tools_domain)


def _walk(table: tuple[FieldSpec, ...], form: list[dict[str, Any]], path: str, missing: list[str],
          enforce: bool = True) -> None:
    """Every field of *table* in *form*; required ones required where the form can require them.

    (A field required inside an optional mapping, a GRADE domain's rating, cannot be required
    in Decap's form: it would demand every domain be filled in.  `kb check` still requires it.)
    """
    by_name = {f["name"]: f for f in form}
    for spec in table:
        where = f"{path}.{spec.name}"
        field = by_name.get(spec.name)
        if field is None:
            missing.append(where)
            continue
        if enforce and spec.required and not field["required"]:
            missing.append(f"{where} (required in the schema, optional in the form)")
        if spec.kind == "enum":
            values = [o["value"] for o in field.get("options", [])]
            if field.get("widget") != "select" or values != list(spec.choices):
                missing.append(f"{where} (not a select of {spec.choices})")
        # a list's items exist only once added, so their required fields can be required
        # Decap's own widgets nest `fields`; kb's GRADE domain widget draws its `parts`
        _walk(_nested(spec), field.get("fields") or field.get("parts") or [], where, missing,
              enforce and (spec.required or spec.kind in ("evidence", "suppress")))


def _tables() -> dict[str, tuple[FieldSpec, ...]]:
    tables = {"claims": schema.CLAIM_FIELDS, "injuries": schema.ENTITY_FIELDS,
              "risk-factors": schema.ENTITY_FIELDS, "interventions": schema.ENTITY_FIELDS,
              "pages": schema.PAGE_FIELDS}
    if getattr(schema, "SOURCE_FIELDS", None):
        tables["sources"] = tuple(schema.SOURCE_FIELDS)
    return tables


def test_every_schema_field_has_a_form_field(shipped):
    kb, settings = shipped
    config, form = cms_config(kb, settings)
    collections = {c["name"]: c for c in config["collections"]}
    missing: list[str] = []
    for name, table in _tables().items():
        assert name in collections, f"no collection for {name}"
        _walk(table, collections[name]["fields"], name, missing)
    assert not missing, "schema fields without a (faithful) form field:\n" + "\n".join(missing)
    assert not form.unmapped, f"field kinds cms_config.py does not know: {form.unmapped}"
    assert not form.untranslated, f"form fields without Dutch words (i18n.CMS_FIELDS): {form.untranslated}"


def test_pickers_offer_the_knowledge_base(shipped):
    kb, settings = shipped
    config, _ = cms_config(kb, settings)
    claims = next(c for c in config["collections"] if c["name"] == "claims")
    fields = {f["name"]: f for f in claims["fields"]}
    injuries = {o["value"]: o["label"] for o in fields["injuries"]["options"]}
    assert injuries == {e.id: f"{e.title} ({e.id})" for e in kb.entities_of("injury")}
    assert fields["injuries"]["multiple"] is True
    source = next(f for f in fields["evidence"]["fields"] if f["name"] == "source")
    assert [o["value"] for o in source["options"]] == sorted(kb.sources)
    label = next(o["label"] for o in source["options"] if o["value"] == "vanpoppel2021")
    assert "2021" in label and "poppel" in label.lower(), label
    grade = {f["name"]: f for f in fields["grade"]["fields"]}
    for domain, ratings in DOMAIN_RATINGS.items():
        assert grade[domain]["widget"] == "kb-grade-domain"
        judged = {f["name"]: f for f in grade[domain]["parts"]}
        assert [o["value"] for o in judged["rating"]["options"]] == list(ratings)
        assert "reason" in judged
    assert grade["risk_of_bias"]["label"] == "Risico op vertekening"  # the site's language


def test_backend_opens_pull_requests_with_a_reason(shipped):
    kb, settings = shipped
    config, _ = cms_config(kb, settings)
    assert config["publish_mode"] == "editorial_workflow"
    backend = config["backend"]
    assert backend["name"] == "github" and backend["open_authoring"] is True
    for collection in config["collections"]:  # every save asks for the reason readers will see
        reason = collection["fields"][-1]
        assert (reason["name"], reason["required"], reason["label"]) == ("reden", True, "Reden van de wijziging")
        assert not any(reason["name"] == f.name for f in _tables()[collection["name"]])
    for kind in ("create", "update", "delete"):
        body = backend["commit_messages"][kind].split("\n\n")[-1]
        assert body.startswith("Reden: "), body  # the trailer generator/changes/history.py reads
    from generator.pages.cms_config import repository

    assert repository(settings, {"GITHUB_REPOSITORY": "team/kb"}) == "team/kb"  # a Pages build on GitHub
    assert repository(dataclasses.replace(settings, repo_url="https://github.com/a/b"), {}) == "a/b"
    with_repo = dataclasses.replace(settings, cms_repo="team/kb", cms_branch="live",
                                    cms_base_url="https://auth.example.org/")
    backend = cms_config(kb, with_repo)[0]["backend"]
    assert (backend["repo"], backend["branch"], backend["base_url"]) == ("team/kb", "live",
                                                                        "https://auth.example.org")


def test_source_appraisals_get_a_collection_once_their_schema_exists(shipped, monkeypatch):
    """SOURCE_FIELDS (issue 19) becomes a collection of content/sources/ with no code here: a stand-in
    table made of the field kinds that exist now."""
    kb, settings = shipped
    table = (FieldSpec("reviewed", "date", "When this appraisal was last made.", required=True),
             FieldSpec("effects", "evidence", "Stand-in for a nested list.", required=False),
             FieldSpec("missing", "text", "What is missing."))
    monkeypatch.setattr(schema, "SOURCE_FIELDS", table, raising=False)
    config, form = cms_config(kb, settings)
    sources = next(c for c in config["collections"] if c["name"] == "sources")
    assert sources["folder"] == "content/sources" and sources["create"] is False
    missing: list[str] = []
    _walk(table, sources["fields"], "sources", missing)
    assert not missing and not form.unmapped and not form.untranslated, (missing, form.unmapped, form.untranslated)
    reviewed = next(f for f in sources["fields"] if f["name"] == "reviewed")
    assert reviewed["widget"] == "datetime" and reviewed["required"] is True
    monkeypatch.setattr(schema, "SOURCE_FIELDS", table + (FieldSpec("odd", "a-new-kind", "?"),))
    _config, form = cms_config(kb, settings)
    assert form.unmapped == ["source.odd (a-new-kind)"]  # what test_every_schema_field_has_a_form_field reports


# -- the pinned script --------------------------------------------------------------------

def _npm_cache() -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        return None
    done = subprocess.run([npm, "config", "get", "cache"], capture_output=True, text=True, timeout=60)
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def test_published_script_is_the_one_the_lock_pins(tmp_path):
    """The script in the site is byte for byte the file in the tarball whose sha512 package-lock.json records."""
    require((dist_dir() / SCRIPT).is_file(), "the CMS is not installed (make test runs npm ci in cms/)")
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    assert entry["version"] == json.loads((REPO / "cms" / "package.json").read_text())["dependencies"][PACKAGE]
    algorithm, digest = entry["integrity"].split("-", 1)
    assert algorithm == "sha512"
    cache = _npm_cache()
    require(cache is not None, "npm is not installed")
    # npm's content-addressed cache (cacache): where `npm ci` put the tarball it checked
    hexdigest = base64.b64decode(digest).hex()
    tarball = cache / "_cacache" / "content-v2" / "sha512" / hexdigest[:2] / hexdigest[2:4] / hexdigest[4:]
    require(tarball.is_file(), f"the tarball of {PACKAGE} is not in npm's cache (run npm ci in cms/)")
    data = tarball.read_bytes()
    assert base64.b64encode(hashlib.sha512(data).digest()).decode() == digest
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        packed = archive.extractfile(f"package/dist/{SCRIPT}").read()  # type: ignore[union-attr]
    site = _build_site(tmp_path, cms=True)
    assert (site / "admin" / SCRIPT).read_bytes() == packed


# -- the site ----------------------------------------------------------------------------------

def _build_site(tmp_path: Path, *, cms: bool, engine: str = "mkdocs", env: dict[str, str] | None = None
                ) -> Path | subprocess.CompletedProcess:
    from conftest import make_project

    root = make_project(tmp_path / "project")
    (root / "pyproject.toml").write_text(f"[tool.kb]\ncms = {'true' if cms else 'false'}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "site_url: !ENV [SITE_URL, null]", "site_url: https://kb.example.org/"), encoding="utf-8")
    out = tmp_path / "site"
    done = subprocess.run(kb_executable() + ["build", "--root", str(root), "--out", str(out), "--engine", engine],
                          capture_output=True, text=True, timeout=600, env=env)
    if env is not None:
        return done
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_admin_is_published_and_foreign_to_no_reader_page(tmp_path, engine):
    from browser_support import require_engine

    require_engine(engine)
    require((dist_dir() / SCRIPT).is_file(), "the CMS is not installed (make test runs npm ci in cms/)")
    site = _build_site(tmp_path, cms=True, engine=engine)
    admin = site / "admin"
    index = (admin / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", index)
    assert scripts == [SCRIPT, "kb-cms.js"]  # local files only, no CDN
    assert not re.search(r"https?://", index)
    assert (admin / "config.yml").is_file() and (admin / SCRIPT).is_file()
    # out of search, sitemap and feed
    index = site / "search" / "search_index.json"  # Material's; Zensical writes search.json
    index = index if index.is_file() else site / "search.json"
    assert "admin" not in index.read_text(encoding="utf-8")
    assert "/admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/admin" not in (site / "feed.xml").read_text(encoding="utf-8")
    # no reader page loads or links anything of it
    for page in site.rglob("*.html"):
        if admin in page.parents:
            continue
        text = page.read_text(encoding="utf-8")
        assert "admin/" not in text and "decap" not in text.lower(), page


def test_no_admin_when_the_setting_is_off(tmp_path):
    site = _build_site(tmp_path, cms=False)
    assert not (site / "admin").exists()


def test_build_says_what_to_install_when_the_editor_is_missing(tmp_path):
    import os

    done = _build_site(tmp_path, cms=True, env=dict(os.environ, KB_CMS_DIR=str(tmp_path / "nothing")))
    assert done.returncode == 2
    assert "the browser editor's script is not installed" in done.stderr and "npm ci" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "site").exists()


# -- no loss through the form ---------------------------------------------------------------------

def _data(obj: Any) -> Any:
    """A loaded model object as plain data, without the line numbers (they move when a file is rewritten)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _data(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if f.name not in ("where", "lines") and not f.name.endswith("line")}
    if isinstance(obj, (list, tuple)):
        return [_data(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _data(v) for k, v in obj.items() if not str(k).startswith("_")}
    return obj


def test_every_shipped_file_survives_the_editors_parser_and_writer():
    """Decap's own front-matter parser and writer (decap-cms-core, in node) keep every file's data."""
    require(NODE is not None, "node is not installed")
    require((cms_project() / "node_modules" / "decap-cms-core").is_dir(), "the CMS is not installed")
    kinds = {"claims": "claim", "injuries": "injury", "risk-factors": "risk-factor",
             "interventions": "intervention", "pages": "page"}
    files = sorted(p for folder in kinds for p in (REPO / "content" / folder).glob("*.md"))
    assert len(files) > 80
    done = subprocess.run([NODE, str(REPO / "tests" / "cms" / "roundtrip.mjs"), str(cms_project())],
                          input=json.dumps([str(p) for p in files]), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    lost = []
    for path in files:
        kind = kinds[path.parent.name]
        rel = path.relative_to(REPO).as_posix()
        before, problems = _build(path.read_bytes(), rel, kind, path.stem)
        assert before is not None and not problems, (rel, problems)
        written = out[str(path)]["written"]
        after, problems = _build(written.encode("utf-8"), rel, kind, path.stem)
        if after is None or problems or _data(after) != _data(before):
            lost.append(f"{rel}: {problems or 'data differs'}")
    assert not lost, "\n".join(lost)


def test_kb_serve_keeps_admin_after_an_edit(tmp_path, monkeypatch):
    """`kb serve` rebuilds only what an edit changes; /admin/ must not drop out of the served site."""
    require((dist_dir() / SCRIPT).is_file(), "the CMS is not installed (make test runs npm ci in cms/)")
    from generator.core import memo
    from test_serve_incremental import _config, _project, build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    monkeypatch.setattr(memo, "_store", memo._store)
    root, site = _project(tmp_path), tmp_path / "served"
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("[tool.kb]", "[tool.kb]\ncms = true", 1),
                         encoding="utf-8")
    assert "cms = true" in pyproject.read_text(encoding="utf-8")
    config = _config(root, site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    assert (site / "admin" / "config.yml").is_file()
    claim = root / "content" / "claims" / "relative-rest-helps.md"
    claim.write_text(claim.read_text(encoding="utf-8").replace("Relative rest shortens", "Relatieve rust verkort", 1),
                     encoding="utf-8")
    build(_config(root, site), dirty=True)
    assert (site / "claims" / "relative-rest-helps" / "index.html").read_text(encoding="utf-8").count(
        "Relatieve rust verkort")
    assert (site / "admin" / "config.yml").is_file() and (site / "admin" / SCRIPT).is_file()


def test_domains_offer_every_tools_domain():
    """An appraisal's risk-of-bias domains: a judgement and a reason for each domain any tool names."""
    from generator.core.model import ROB_TOOLS

    kb, settings = _shipped()
    form = {c["name"]: c for c in cms_config(kb, settings)[0]["collections"]}["sources"]
    rob = {f["name"]: f for f in form["fields"]}["risk_of_bias"]
    domains = {f["name"]: f for f in rob["fields"]}["domains"]
    offered = {d["name"]: [f["name"] for f in d["fields"]] for d in domains["fields"]}
    assert set(offered) == {name for names in ROB_TOOLS.values() for name in names}
    assert all(fields == ["judgement", "reason"] for fields in offered.values())
