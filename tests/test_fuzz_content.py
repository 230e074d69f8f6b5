"""No crash and nothing foreign published: property tests of the surfaces issue 14 found open.

* file types, names, links and special files in content/ (generator/intake/content_files.py);
* mkdocs.yml as a pull request may write it (generator/intake/config_safety.py);
* environment values: SITE_URL, SOURCE_DATE_EPOCH, a damaged reference cache.

Same budgets as tests/test_fuzz.py (its profiles: CI=true runs many more examples).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st
import yaml

from generator.pages.cache import ReferenceCache
from generator.checks.check import run_check
from generator.intake.config import Settings, today
from generator.intake.config_safety import config_problems, site_url_problem
from generator.intake.content_files import ALLOWED_ASSETS, publishable_assets, scan_content
from generator.core.errors import EnvironmentValueError, UnsafeContent
from generator.core.layout import CONTENT_FOLDERS, RESERVED_TOP_LEVEL
from generator.core.model import Source
from test_fuzz import FUZZ, FUZZ_SLOW, assert_diagnostics, kbproject

# --- content/: names, types, links, special files -----------------------------------------------

FOLDERS = sorted(CONTENT_FOLDERS) + ["assets", "search", "media", "api", "references", ".hidden", ""]
STEMS = ["x", "index", "legenda", "achterhaald", "evil", "a b", "Évil", "..", ".x", "bundle.1234.min", "CON"]
EXTENSIONS = [".md", ".MD", ".markdown", ".mdown", ".mkd", ".png", ".PNG", ".jpg", ".jpeg", ".gif", ".webp",
              ".avif", ".pdf", ".svg", ".html", ".htm", ".js", ".css", ".txt", ".json", ".bin", ""]
HEADS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP", b"\x00\x00\x00\x1cftypavif",
         b"%PDF-1.7\n", b"<script>alert(1)</script>", b"<svg onload=alert(1)>", b"---\ntitle: x\n---\n", b""]
TARGETS = ["/etc/passwd", "/dev/zero", "/", "..", "../..", ".", "../../references.bib", "../claims/exercise-helps.md",
           "missing.png", "self"]

entries = st.lists(
    st.tuples(
        st.sampled_from(FOLDERS), st.booleans(), st.sampled_from(STEMS), st.sampled_from(EXTENSIONS),
        st.one_of(st.tuples(st.just("file"), st.sampled_from(HEADS), st.binary(max_size=40)),
                  st.tuples(st.just("link"), st.sampled_from(TARGETS), st.just(b"")),
                  st.tuples(st.just("fifo"), st.just(b""), st.just(b""))),
    ),
    min_size=1, max_size=6,
)


def _make(root: Path, folder: str, nested: bool, stem: str, ext: str, what: tuple[str, object, bytes]) -> str | None:
    parts = [p for p in (folder, "sub" if nested else "") if p]
    name = stem + ext
    if name in (".", "..") or not name:
        return None
    rel = "/".join(["content", *parts, name])
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(path) or path.parent.is_symlink():
        return None
    kind, a, b = what
    if kind == "file":
        path.write_bytes(a + b)  # type: ignore[operator]
    elif kind == "link":
        os.symlink(name if a == "self" else a, path)  # type: ignore[arg-type]
    else:
        os.mkfifo(path)
    return rel


@FUZZ_SLOW
@given(items=entries)
@example(items=[("pages", False, "zero", ".bin", ("link", "/dev/zero", b""))])
@example(items=[("claims", False, "up", "", ("link", "..", b""))])
@example(items=[("assets", True, "bundle.1234.min", ".js", ("file", b"alert(1)", b""))])
@example(items=[("claims", False, "x", ".png", ("file", b"<script>alert(1)</script>", b""))])
def test_content_files_are_loaded_published_or_reported(items) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        root = kbproject.write_project(Path(tmp) / "p")
        made = [rel for item in items if (rel := _make(root, *item)) is not None]
        result = run_check(root, Settings())
        assert_diagnostics(result.diagnostics)
        scan = scan_content(root)
        reported = {d.file for d in result.diagnostics}
        loaded = {rel for files in scan.markdown.values() for _path, rel in files}
        content = os.path.realpath(root / "content")
        for rel in scan.assets:  # what the plugin publishes: only real images and PDFs inside content/
            real = os.path.realpath(root / rel)
            assert real.startswith(content + os.sep), rel
            assert stat.S_ISREG(os.stat(real).st_mode), rel
            assert Path(rel).suffix.lower() in ALLOWED_ASSETS, rel
            top = rel.split("/")[1]
            assert top in CONTENT_FOLDERS or top not in RESERVED_TOP_LEVEL or rel.count("/") == 1, rel
        for rel in made:  # nothing is silently taken: loaded, published or reported, or a dot-file (never published)
            if any(p.startswith(".") for p in rel.split("/")[1:]) and rel not in reported:
                assert rel not in scan.assets and (root / rel).is_file(), rel
                assert os.path.realpath(root / rel).startswith(content + os.sep), rel
            else:
                assert rel in loaded or rel in scan.assets or rel in reported, (rel, made)
        try:
            allowed = publishable_assets(root)
            assert not scan.unsafe
            assert allowed == {os.path.normpath(root / rel) for rel in scan.assets}
        except UnsafeContent:
            assert scan.unsafe


# --- mkdocs.yml -------------------------------------------------------------------------------------

CONFIG_TOKENS = ["site_name: x\n", "extra:\n  a: ", "!!python/object/apply:os.system ['true']", "!!python/name:os.system",
                 "!!python/name:material.extensions.emoji.twemoji", "!ENV [SITE_URL, 'x']", "!relative $config_dir",
                 "!<tag:yaml.org,2002:python/object/apply:os.system> [x]", "%TAG !p! tag:yaml.org,2002:python/\n---\n",
                 "!p!module:os", "&a [x]", "*a", "hooks: [x.py]\n", "INHERIT: base.yml\n", "\n", "- ", "[", "]", "{",
                 "}", ": ", "!foo ", "!!str ", "'", '"', "\t", "\x00"]


@FUZZ
@given(text=st.one_of(st.lists(st.sampled_from(CONFIG_TOKENS), max_size=12).map("".join), st.text(max_size=200)))
def test_mkdocs_yml_check_never_raises_and_never_misses_python(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "mkdocs.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
        (root / "base.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
        problems = config_problems(root)
        assert_diagnostics(problems)
        assert all(d.code in ("unsafe-config", "too-large", "duplicate-yaml-key", "invalid-setting") for d in problems)
        if _would_import(text):
            assert problems, text


class _Spy(yaml.Loader):  # type: ignore[misc]
    """MkDocs' loader (yaml.Loader), with every Python import/call replaced by a note of it."""

    calls: list[str] = []


def _note(loader: object, suffix: str, node: yaml.Node) -> None:
    _Spy.calls.append(node.tag)


for _prefix in list(yaml.Loader.yaml_multi_constructors):
    if _prefix and _prefix.startswith("tag:yaml.org,2002:python/"):
        _Spy.add_multi_constructor(_prefix, _note)  # same key: replaces the real one in place
_Spy.add_constructor("!ENV", lambda loader, node: None)
_Spy.add_constructor("!relative", lambda loader, node: None)


def _would_import(text: str) -> bool:
    """Would MkDocs' loader import or call anything but a Material/PyMdown name while reading *text*?"""
    _Spy.calls = []
    try:
        yaml.load(text, Loader=_Spy)  # noqa: S506 - every Python constructor is a spy here
    except Exception:
        pass  # MkDocs would fail here too, but only after constructing what came before
    safe = re.compile(r"tag:yaml\.org,2002:python/name:(material|pymdownx)(\.[A-Za-z_][A-Za-z0-9_]*)+")
    return any(not safe.fullmatch(tag) for tag in _Spy.calls)


# --- environment values ----------------------------------------------------------------------------

URL_PARTS = ["https://", "http://", "ftp://", "javascript:", "//", "ex.org", "/", '"', "'", "<", ">", "`", " ", "\t",
             "\x01", "\x7f", "é", "xn--bcher-kva.example", ":8000", "?q=1", "#x", "@", "%22", "&", "\\", "[::1]", "]"]


@FUZZ
@given(url=st.one_of(st.lists(st.sampled_from(URL_PARTS), max_size=8).map("".join), st.text(max_size=60)))
@example(url='https://ex.org/"><script>alert(1)</script>/')
@example(url="https://[::1/")
def test_site_url_check_never_raises_and_accepts_only_plain_addresses(url: str) -> None:
    problem = site_url_problem(url)
    if problem is None and url:
        assert not any(ch in url for ch in "\"'<>`\\ \t\n") and url.isascii() and url.isprintable()
        assert urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname
    if problem is not None:
        assert isinstance(problem, str) and problem


@FUZZ
@given(value=st.one_of(st.text(max_size=30), st.integers().map(str), st.sampled_from(["99999999999999999999", "²³",
                                                                                     " 1780272000 ", "-1", "1e9"])))
def test_source_date_epoch_gives_a_date_or_a_refusal(value: str) -> None:
    """A date, or an EnvironmentValueError that names the variable (kb's one error type: the CLI
    reports it in one line, never a traceback); a usable epoch is never refused."""
    if "\x00" in value:
        return  # an environment value cannot hold a NUL
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = value
    text = value.strip()
    # up to 2106-02-07, the last second gzip (the sitemap) can store: later is refused (issue 18, finding 17)
    usable = text.isascii() and text.isdigit() and len(text) <= 12 and int(text) <= 4294967295
    try:
        try:
            day = today()
        except EnvironmentValueError as exc:
            assert "SOURCE_DATE_EPOCH" in str(exc) and exc.hint, exc
            assert not usable, f"a usable SOURCE_DATE_EPOCH {value!r} was refused"
        else:
            assert isinstance(day, _dt.date)
            if usable:
                assert day == _dt.datetime.fromtimestamp(int(text), _dt.timezone.utc).date()
            else:
                assert value == "", f"SOURCE_DATE_EPOCH {value!r} was silently ignored"
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 5))
@given(data=st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                         lambda inner: st.one_of(st.lists(inner, max_size=8),
                                                 st.dictionaries(st.text(max_size=5), inner, max_size=4)),
                         max_leaves=20))
def test_damaged_reference_cache_is_ignored_not_fatal(data: object) -> None:
    """KB_CACHE_DIR holds a file anyone may have written: any JSON in it is a miss, never a crash."""
    from generator.pages.references import STYLE_VERSION, format_sources

    source = Source("smith2020", "article", {"title": "T", "author": "Smith, A.", "year": "2020"})
    with tempfile.TemporaryDirectory() as tmp:
        cache = ReferenceCache(Path(tmp), Path(tmp))
        assert cache.path is not None
        digest_rows = {"style": STYLE_VERSION, "entries": data}
        for payload in (data, digest_rows):
            cache.path.write_text(json.dumps(payload), encoding="utf-8")
            again = ReferenceCache(Path(tmp), Path(tmp))
            formatted = format_sources({"smith2020": source}, "nl", cache=again)
            assert "smith2020" in formatted


def test_damaged_cache_row_is_formatted_again(tmp_path: Path) -> None:
    from generator.pages.cache import entry_digest
    from generator.pages.references import STYLE_VERSION, format_sources

    source = Source("smith2020", "article", {"title": "T", "author": "Smith, A.", "year": "2020"})
    cache = ReferenceCache(tmp_path, tmp_path)
    assert cache.path is not None
    row = ["<b>x</b>", "x", "x", "x", "2020", 5, None]  # sort_key and family names are not lists
    cache.path.write_text(json.dumps({"style": STYLE_VERSION, "entries": {entry_digest(source, "nl"): row}}))
    formatted = format_sources({"smith2020": source}, "nl", cache=ReferenceCache(tmp_path, tmp_path))
    assert formatted["smith2020"].year == "2020"


# --- kb new: whatever the title and ids, a skeleton that passes kb check or a refusal ---------------

TITLE_PARTS = ["A", "é", " ", "\n", "---", ":", "#", "'", '"', "\\", "[@smith2020]", "[@nokey]", "<b>", "<script>",
               "[x](javascript:alert(1))", "{", "}", "*", "&a", "!!python/name:os.system", "\x7f", "\u2028", "\t",
               "- ", "[", "]", "%", "@", "`"]


@settings(FUZZ_SLOW, max_examples=max(30, FUZZ_SLOW.max_examples // 2))
@given(kind=st.sampled_from(["claim", "injury", "page"]),
       title=st.one_of(st.lists(st.sampled_from(TITLE_PARTS), max_size=6).map("".join), st.text(max_size=30)),
       item_id=st.one_of(st.just("new-item"), st.text(alphabet="abc-\n.A /", max_size=8)),
       entity=st.one_of(st.just("runners-knee"), st.text(max_size=12)),
       key=st.one_of(st.just("smith2020"), st.text(max_size=12)))
@example(kind="claim", title="A", item_id="new-item", entity="runners-knee", key="smith2020")
def test_kb_new_writes_a_passing_skeleton_or_nothing(kind: str, title: str, item_id: str, entity: str,
                                                     key: str) -> None:
    from click.testing import CliRunner

    from generator.commands.cli import main

    if "\x00" in title + item_id + entity + key:
        return  # a command-line argument cannot hold a NUL
    with tempfile.TemporaryDirectory() as tmp:
        root = kbproject.write_project(Path(tmp) / "p")
        before = kbproject.snapshot(root)
        args = ["new", kind, item_id, "--root", str(root), "--title", title]
        if kind == "claim":
            args += ["--injury", entity, "--source", key]
        res = CliRunner().invoke(main, args)
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        if res.exit_code != 0:
            assert kbproject.snapshot(root) == before
            return
        result = run_check(root, Settings())
        assert not result.errors, (args, [(d.code, d.message) for d in result.errors])
