"""No crash, ever: property tests of every loader the editors' text goes through.

Each target runs `max_examples` examples (some a stated fraction of it):
2,000 under CI=true (profile "kb-fuzz-ci"), 150 locally ("kb-fuzz-dev"), and
5,000 with HYPOTHESIS_PROFILE=thorough ("kb-fuzz-thorough", the count CI ran
before the suite had to fit its time budget; HYPOTHESIS_PROFILE=ci or dev picks
those); KB_FUZZ_EXAMPLES=N overrides the count of any of them.  The profiles
are applied per test, so other modules keep their own Hypothesis settings.
"""

from __future__ import annotations

import atexit
import datetime as _dt
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.intake.bibliography import BIB_FILE, load_bibliography, parse_bibliography
from generator.checks.check import CheckResult, run_check
from generator.text import citations
from generator.text.citations import find_citations
from generator.intake.config import Settings, load_settings, settings_from_mapping, today
from generator.core.diagnostics import CODES, Diagnostic
from generator.core.errors import EnvironmentValueError, FormatError
from generator.commands.fmt import format_bib
from generator.intake.frontmatter import Document, decode_text, parse_document
from generator.core.model import Source
from generator.pages.references import format_sources
from generator.pages.render import render_site
from generator.core.urls import source_slugs

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                     HealthCheck.data_too_large], print_blob=True)
settings.register_profile("kb-fuzz-thorough", max_examples=5000, **_COMMON)
settings.register_profile("kb-fuzz-ci", max_examples=2000, **_COMMON)
settings.register_profile("kb-fuzz-dev", max_examples=150, **_COMMON)
_IN_CI = os.environ.get("CI", "").lower() == "true"
PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "").strip() or ("ci" if _IN_CI else "dev")
if PROFILE_NAME not in ("thorough", "ci", "dev"):
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE_NAME!r}: the fuzz tests know thorough, ci and dev")
_PROFILE = settings.get_profile(f"kb-fuzz-{PROFILE_NAME}")
if os.environ.get("KB_FUZZ_EXAMPLES", "").isdigit():
    _PROFILE = settings(_PROFILE, max_examples=int(os.environ["KB_FUZZ_EXAMPLES"]))
FUZZ = settings(_PROFILE)
#: the whole-pipeline target writes files and checks a project: locally a fifth of the examples
FUZZ_SLOW = settings(_PROFILE, max_examples=max(50, _PROFILE.max_examples // 5)) \
    if PROFILE_NAME == "dev" else settings(_PROFILE)


def assert_diagnostics(diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
    for d in diags:
        assert isinstance(d, Diagnostic)
        assert d.code in CODES
        assert d.line is None or (isinstance(d.line, int) and d.line >= 1), d
        assert d.message and isinstance(d.message, str)


# --- strategies -------------------------------------------------------------

YAML_TOKENS = [
    "statement", "type", "injuries", "evidence", "source", "stance", "reviewed", "title", "aliases",
    ": ", ":", "- ", "-", "\n", "\n  ", "\n    ", "  ", " ", "\t", "[", "]", "{", "}", ",", "'", '"', "#",
    "&a ", "*a", "&b ", "*b", "<<: *a", "? ", "!!str ", "!!binary ", "!!python/object:os.system ", "!!set ",
    "!!timestamp ", "!foo ", "%YAML 1.2\n", "--- ", "...", "|\n  ", ">-\n  ", "2026-02-30", "2026-01-15",
    "1e400", "0x1F", "~", "null", "yes", "no", ".nan", "\\", "\\x00", "\\u", "é", "😀", "\u2028", "\x00",
    "\x85", "\ufeff", "key: value\n", "key: value\n", "a: [x, y]\n", "- source: k\n  stance: supports\n",
]
BODY_TOKENS = ["text ", "[@key]", "[@a; @b, p. 3]", "```\n", "`", "<b>", "](x.md)", "[link]", "\n", "# ", "---\n"]


@st.composite
def front_matter_documents(draw: st.DrawFn) -> str:
    yaml_part = "".join(draw(st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=8)), max_size=40)))
    body = "".join(draw(st.lists(st.one_of(st.sampled_from(BODY_TOKENS), st.text(max_size=8)), max_size=10)))
    opener = draw(st.sampled_from(["---\n", "---\n", "---  \n", "--- x\n", "", "----\n"]))
    closer = draw(st.sampled_from(["\n---\n", "\n---", "\n---\t\n", "\n...\n", "", "---\n"]))
    return opener + yaml_part + closer + body


BIB_TOKENS = [
    "@article{", "@book{", "@misc{", "@inproceedings{", "@string{", "@preamble{", "@comment{", "@ARTICLE(",
    "key2020,", "key2020", "smith,", "}", "{", "(", ")", ",", "\n", "  ", "=", " = ", "author", "title",
    "journal", "year", "doi", "pmid", "crossref", "design", "verified", "url", "{Smith, A. and Jones, B.}",
    "{A {Title}}", "{2020}", "2020", '"quoted"', "#", "\\", "\\'e", "\\\"o", "{\\em x}", "$x^2$", "%", "~",
    "--", "@", "10.1000/x", "https://doi.org/10.1/x", "rct", "{no}", "\\begin{", "\\end{", "\\url{",
    "é", "\x00", "\ufeff", "\\input{/etc/passwd}",
]


@st.composite
def bib_texts(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.one_of(st.sampled_from(BIB_TOKENS), st.text(max_size=6)), max_size=60)))


CITE_TOKENS = ["[", "]", "@", "[@", "[@key", "key", "a:b", "x/y.z", ";", "; @", ",", " p. 12", "-", ".", "?",
               "!", "\\", "`", "```", "~~~", "\n", "    ", "(", ")", "](", " ", "é", "_", "see ", "%", "<", ">"]


@st.composite
def citation_texts(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.one_of(st.sampled_from(CITE_TOKENS), st.text(max_size=5)), max_size=50)))


# --- front matter -------------------------------------------------------------

@FUZZ
@given(text=st.one_of(front_matter_documents(), st.text()))
@example(text="---\n" + "[" * 100_000 + "\n---\n")
@example(text="---\na: &a [" + ",".join(["*a"] * 9) + "]\nb: &b [" + ",".join(["*a"] * 9) + "]\n---\n")
@example(text="---\nkey: 1\nkey: 2\n---\n")
@example(text="---\n? [a, b]\n: c\n---\n")
@example(text="---\n- a\n---\n")
@example(text="---\nd: 2026-02-30\n---\n")
@example(text="---\n!!binary x: 1\n---\n")
def test_parse_document_never_raises(text: str) -> None:
    doc, diags = parse_document(text, "content/claims/x.md")
    assert_diagnostics(diags)
    if doc is None:
        assert diags, "a document that cannot be read must say why"
    else:
        assert isinstance(doc, Document) and isinstance(doc.data, dict)
        assert all(isinstance(k, str) for k in doc.data)
        assert doc.body_line >= 1
        assert all(line >= 2 for line in doc.lines.values())


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300),
                     st.text(max_size=200).map(lambda t: t.encode("utf-8")),
                     st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb"]),
                               st.text(max_size=100), st.sampled_from(["\n", "\r\n", "\r"]))
                     .map(lambda t: t[0] + t[1].replace("\n", t[2]).encode("utf-8"))))
def test_decode_text_never_raises(raw: bytes) -> None:
    text, diags = decode_text(raw, "content/claims/x.md")
    assert_diagnostics(diags)
    if text is None:
        assert [d.code for d in diags] == ["encoding"]
    else:
        assert diags == [] and "\r" not in text and not text.startswith("\ufeff")
        doc, more = parse_document(text, "content/claims/x.md")  # and the next stage copes too
        assert_diagnostics(more)


# --- bibliography ---------------------------------------------------------------

@FUZZ
@given(text=st.one_of(bib_texts(), st.text(max_size=300)))
@example(text="@article{a, title={x}, title={y}}")
@example(text="@article{a, title={x}}\n@article{a, title={y}}")
@example(text="@article{a, crossref={a}}")
@example(text="@article{a, crossref={b}}\n@article{b, crossref={a}}")
@example(text="@article{a, author={{{{{{{}")
@example(text="@string{s = {x}}\n@article{a, title=s # s # undefined}")
@example(text="@article{a, title={\\verb|x}|}}")
def test_parse_bibliography_never_raises(text: str) -> None:
    sources, diags = parse_bibliography(text)
    assert_diagnostics(diags)
    assert all(isinstance(s, Source) and s.key == k for k, s in sources.items())
    assert all(isinstance(v, str) for s in sources.values() for v in s.fields.values())
    if sources:  # the formatter and the slugs must cope with whatever the parser accepted
        formatted = format_sources(sources, "nl")
        assert set(formatted) == set(sources)
        source_slugs(list(sources))


@FUZZ
@given(text=st.one_of(bib_texts(), st.text(max_size=300)))
@example(text="@article{a,\n  Title = {First},\n  title = {Second}\n}\n")
@example(text="@article{a,\n  author = {A},\n  % TODO: check PDF\n  title = {T}\n}\n")
@example(text="@article{a,\n  title = {T}, # TODO\n  year = {2020}\n}\n")
def test_fmt_never_makes_a_bibliography_worse(text: str) -> None:
    """kb fmt either refuses (FormatError) or keeps every entry and problem, and a second run changes nothing."""
    try:
        formatted = format_bib(text)
    except FormatError:
        return
    assert sorted(d.code for d in parse_bibliography(formatted)[1]) == \
        sorted(d.code for d in parse_bibliography(text)[1])
    assert format_bib(formatted) == formatted


@settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 50))
@given(raw=st.binary(max_size=200))
def test_load_bibliography_from_disk_never_raises(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / BIB_FILE).write_bytes(raw)
        sources, diags = load_bibliography(Path(tmp))
    assert_diagnostics(diags)


# --- inline citations ---------------------------------------------------------------

_KEY = re.compile("^" + citations._KEY + "$")  # whatever the parser's key syntax is, a found key matches it


@FUZZ
@given(text=st.one_of(citation_texts(), st.text(max_size=200)))
@example(text="[@a.]")
@example(text="```\n[@a]\n")
@example(text="[" * 5000 + "@a" + "]" * 5000)
def test_find_citations_never_raises(text: str) -> None:
    groups = find_citations(text)
    last = -1
    for g in groups:
        assert last <= g.start < g.end <= len(text)
        assert text[g.start] == "[" and text[g.end - 1] == "]"
        assert g.line == text.count("\n", 0, g.start)
        assert g.items
        for item in g.items:
            assert item.key and _KEY.match(item.key), item
            assert "@" + item.key in text[g.start:g.end]
        last = g.end


def test_find_citations_is_fast_on_pathological_brackets() -> None:
    import time

    text = ("[@" + "a" * 50 + " ") * 2000 + "x" * 10_000
    start = time.perf_counter()
    find_citations(text)
    find_citations("[" * 20_000 + "@a; " * 5_000)
    assert time.perf_counter() - start < 5


# --- key -> URL ------------------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9-]+$")
key_strategy = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="abcAB019:-_./ ", max_size=12),
    st.sampled_from(["index", "con", "nul", "com1", "CON", "..", ".", "", "-", "smith-2020", "Smith:2020",
                     "smith:2020", "a" * 200, "ß", "SS", "ss", "İ", "i̇", "ﬃ", "ffi"]),
)


@FUZZ
@given(keys=st.lists(key_strategy, max_size=25, unique=True), seed=st.randoms())
def test_source_slugs_distinct_and_url_safe(keys: list[str], seed) -> None:  # type: ignore[no-untyped-def]
    slugs = source_slugs(keys)
    assert set(slugs) == set(keys)
    assert len(set(slugs.values())) == len(keys), "two keys share one page"
    for key, slug in slugs.items():
        assert SLUG.match(slug), (key, slug)
        assert slug not in {"index", "con", "nul", "prn", "aux"} and not re.fullmatch(r"(com|lpt)\d", slug)
        assert len(slug) <= 100
    shuffled = list(keys)
    seed.shuffle(shuffled)
    assert source_slugs(shuffled) == slugs, "slugs must not depend on the order of references.bib"
    for key in keys:  # adding another key never moves an existing page
        assert all(source_slugs(keys + ["zz-new-key"]).get(k) == v for k, v in slugs.items())
        break


# --- byte-level mutation of whole projects ------------------------------------------------

SAMPLES = {
    "content/claims/exercise-helps.md": kbproject.CLAIM.encode("utf-8"),
    "content/injuries/runners-knee.md": kbproject.INJURY.encode("utf-8"),
    "content/pages/about.md": kbproject.PAGE.encode("utf-8"),
    "references.bib": kbproject.BIB.encode("utf-8"),
}
# real files of the shipped knowledge base, when present, as extra seeds (written into the fixture
# project only for the one example that mutates them)
_REPO = Path(__file__).resolve().parents[1]
REAL: dict[str, bytes] = {}
for _rel in ("content/claims/eccentric-training-tendinopathy.md", "content/injuries/achilles-tendinopathy.md",
             "references.bib"):
    if (_REPO / _rel).is_file():
        _target = _rel if _rel == "references.bib" else _rel.replace(".md", "-real.md")
        REAL[_target if _rel != "references.bib" else "references.bib#real"] = (_REPO / _rel).read_bytes()
for _folder in ("pages",):
    _pages = sorted((_REPO / "content" / _folder).glob("*.md")) if (_REPO / "content" / _folder).is_dir() else []
    if _pages:
        REAL[f"content/{_folder}/{_pages[0].stem}-real.md"] = _pages[0].read_bytes()
SEEDS = {**SAMPLES, **REAL}
INTERESTING = [b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\n", b"---\n", b"\t", b":", b"-",
               b"[", b"]", b"{", b"}", b"&a", b"*a", b"@", b"[@", b"\\", b"'", b'"', b"#", b"%", b"<script>",
               b"\xe2\x80\xa8", b"\xf0\x9f\x98\x80", b"  ", b"evidence:", b"@article{", b"="]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    rel = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[rel])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "set"]))
        if not data:
            data += draw(st.sampled_from(INTERESTING))
            continue
        pos = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.one_of(st.sampled_from(INTERESTING), st.binary(min_size=1, max_size=8)))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        elif op == "duplicate":
            chunk = data[pos:pos + draw(st.integers(1, 80))]
            data[pos:pos] = chunk
        elif op == "truncate":
            del data[pos:]
    return rel, bytes(data)


_PROJECT = Path(tempfile.mkdtemp(prefix="kb-fuzz-"))
atexit.register(shutil.rmtree, _PROJECT, True)
kbproject.write_project(_PROJECT)


@FUZZ_SLOW
@given(mutation=mutations())
def test_mutated_project_gives_diagnostics_never_an_exception(mutation: tuple[str, bytes]) -> None:
    rel, data = mutation
    path = _PROJECT / rel.split("#")[0]
    try:
        path.write_bytes(data)
        result = run_check(_PROJECT, Settings())
        assert isinstance(result, CheckResult)
        assert_diagnostics(result.diagnostics)
        if not result.failed():  # a project that passes must also render
            files = render_site(result.kb, format_sources(result.kb.sources, "nl"), Settings())
            assert any(f.path == "index.md" for f in files)
    finally:
        original = SAMPLES.get(rel.split("#")[0])
        if original is not None:
            path.write_bytes(original)
        else:
            path.unlink()


def test_unmutated_fixture_project_is_valid() -> None:
    """Guards the mutation test: its starting point must be a project that passes."""
    result = run_check(_PROJECT, Settings())
    assert not result.failed(), result.diagnostics


# --- settings values (pyproject.toml [tool.kb], plugin options) -------------------------------------

SETTING_KEYS = ["language", "site_name", "stale_months", "disable", "errors", "stale-months", "Disable", "tool",
                "", "kb", "stale_months.x"]
TOML_VALUES = ["24", "0", "-1", "100000", "9" * 30, "1.5", "inf", "nan", "true", "'nl'", '""', "[]", "[1, [2]]",
               '["orphan-entity"]', '["nope"]', '"orphan-entity"', "{a = 1}", "1979-05-27", "07:32:00",
               "1979-05-27T07:32:00Z", "0x10", "1_000", "'''x'''", "[[]]", '["stale-review", 5]']
toml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
              st.sampled_from(sorted(CODES))),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)


@FUZZ
@given(data=st.dictionaries(st.one_of(st.sampled_from(SETTING_KEYS), st.text(max_size=8)), toml_values, max_size=6),
       base_disable=st.sets(st.sampled_from(sorted(CODES)), max_size=3))
def test_settings_values_are_diagnostics_never_an_exception(data: dict, base_disable: set) -> None:  # type: ignore[type-arg]
    base = Settings(disable=frozenset(base_disable))
    settings, diags = settings_from_mapping(data, "mkdocs.yml", base=base)
    assert isinstance(settings, Settings)
    assert_diagnostics(diags)
    assert all(d.code == "invalid-setting" and d.file == "mkdocs.yml" for d in diags)
    assert 1 <= settings.stale_months <= 1200
    assert settings.disable <= set(CODES) and settings.errors <= set(CODES)
    if "disable" in data and not any("'disable'" in d.message for d in diags):
        assert settings.disable == (frozenset([data["disable"]]) if isinstance(data["disable"], str)
                                    else frozenset(data["disable"]))  # a given value always wins, even []


@st.composite
def pyproject_texts(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(["[tool.kb]\n", "[tool]\n", "[tool.kb.x]\n", "", "[tool . kb]\n", "tool.kb."]))
    lines = [f"{draw(st.sampled_from(SETTING_KEYS))} = {draw(st.sampled_from(TOML_VALUES))}"
             for _ in range(draw(st.integers(0, 4)))]
    noise = draw(st.one_of(st.just(""), st.text(max_size=10)))
    return header + "\n".join(lines) + "\n" + noise


@settings(FUZZ, max_examples=max(30, FUZZ.max_examples // 5))
@given(text=st.one_of(pyproject_texts(), st.text(max_size=60)))
@example(text="tool = 5\n")
@example(text="[tool.kb]\nstale_months = 100000\n")
@example(text="[tool.kb]\ndisable = [1, [2]]\n")
@example(text="[tool.kb]\ndisable = " + "[" * 3000 + "]" * 3000 + "\n")
def test_pyproject_settings_never_raise(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pyproject.toml").write_text(text, encoding="utf-8", errors="surrogateescape")
        settings, diags = load_settings(Path(tmp))
    assert isinstance(settings, Settings)
    assert_diagnostics(diags)
    assert all(d.code == "invalid-setting" and d.file == "pyproject.toml" for d in diags)


# --- environment values ------------------------------------------------------------------------------

@FUZZ
@given(value=st.one_of(st.text(max_size=30), st.integers(-10**20, 10**20).map(str),
                       st.sampled_from(["", " ", "0", "253402300799", "253402300800", "99999999999999", "-0",
                                        "1e9", "0x10", "١٢٣", "１２３", "9" * 5000, " 1780272000 "])))
def test_source_date_epoch_is_a_date_or_a_message(value: str) -> None:
    if "\x00" in value:
        return  # the operating system cannot hold it in the environment
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        try:
            got = today()
        except EnvironmentValueError as exc:
            assert "SOURCE_DATE_EPOCH" in str(exc) and exc.exit_code == 2
        else:
            assert isinstance(got, _dt.date)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


# --- command-line arguments that look like options or paths ---------------------------------------

ARG_TOKENS = ["--output=references.bib", "-oreferences.bib", "-o", "--", "-", "--format=zip", "--remote=x",
              "--exec=touch x", "--help", "-h", "--root", "--out", "--pages-only", "--check", "HEAD", "HEAD~1",
              "HEAD^{tree}", "@{-1}", ":/", "refs/heads/x", "main..HEAD", "content", "content/claims",
              "content/claims/exercise-helps.md", "references.bib", "references.bib/x", "pyproject.toml",
              ".git", ".git/hooks", "../references.bib", "/proc/x", "/", ".", "..", "schema", "site",
              "a\x00b", "é", " ", ""]
_GIT_PROJECT = Path(tempfile.mkdtemp(prefix="kb-fuzz-git-"))
atexit.register(shutil.rmtree, _GIT_PROJECT, True)
kbproject.write_project(_GIT_PROJECT)
(_GIT_PROJECT / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
(_GIT_PROJECT / "mkdocs.yml").write_text("site_name: x\nplugins: [kb]\n", encoding="utf-8")
for _args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
    subprocess.run(["git", "-C", str(_GIT_PROJECT), "-c", "user.name=t", "-c", "user.email=t@t", *_args],
                   capture_output=True, check=False)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    args = draw(st.lists(st.one_of(st.sampled_from(ARG_TOKENS), st.text(max_size=6)), min_size=1, max_size=3))
    command = draw(st.sampled_from([["diff"], ["diff", "--"], ["schema", "--out"], ["schema", "--check", "--out"],
                                    ["new", "injury"], ["new", "page"], ["fmt", "--check", "--root"]]))
    return command + args


@settings(FUZZ, max_examples=max(30, FUZZ.max_examples // 10))
@given(argv=command_lines())
@example(argv=["diff", "--", "--output=references.bib"])
@example(argv=["schema", "--out", "references.bib"])
@example(argv=["schema", "--out", "a\x00b"])
def test_option_like_arguments_never_touch_the_editors_files(argv: list[str]) -> None:
    from click.testing import CliRunner

    from generator.commands.cli import main

    before = kbproject.snapshot(_GIT_PROJECT, skip=(".git",))
    top = set(os.listdir(_GIT_PROJECT))
    cwd = os.getcwd()
    os.chdir(_GIT_PROJECT)
    try:
        extra = ["--root", str(_GIT_PROJECT)] if argv[0] in ("diff", "new") else []
        result = CliRunner().invoke(main, argv[:1] + extra + argv[1:], catch_exceptions=True)
    finally:
        os.chdir(cwd)
    after = kbproject.snapshot(_GIT_PROJECT, skip=(".git",))
    made = sorted(set(after) - set(before))
    for name in set(os.listdir(_GIT_PROJECT)) - top:  # `kb schema --out NEW` may make a folder: its job
        shutil.rmtree(_GIT_PROJECT / name, ignore_errors=True)
    for rel in made:  # `kb new` may add one file to content/: that is its job too
        if rel.startswith("content/") and (_GIT_PROJECT / rel).is_file():
            (_GIT_PROJECT / rel).unlink()
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, result.exception)
    assert result.exit_code in (0, 1, 2), (argv, result.output)
    assert "Traceback" not in result.output
    assert {k: after[k] for k in before} == before, argv  # no existing file changed
    assert len([m for m in made if m.startswith("content/")]) <= (1 if argv[0] == "new" else 0), (argv, made)
    assert not [m for m in made if m.startswith("content/") and argv[0] == "new" and not m.endswith(".md")]
