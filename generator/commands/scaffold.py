"""`kb new`: valid skeletons for editors, never overwriting anything."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from generator.intake.config import today
from generator.core.errors import ScaffoldError
from generator.core.writer import make_dirs, write_file
from generator.intake.frontmatter import parse_document
from generator.core.ids import id_problem, suggest_id
from generator.core.layout import SOURCES_FOLDER
from generator.core.model import DOWNGRADE_DOMAINS, KIND_DIRS, ROB_TOOLS
from generator.core.model import ENTITY_FIELDS as CLAIM_ENTITY_FIELDS
from generator.text.safety import CONTROL_CHARS, unsafe_html
from generator.intake.schema import CLAIM_FIELDS, ENTITY_FIELDS, PAGE_FIELDS, check_mapping

KINDS = {"claim": "claims", "injury": KIND_DIRS["injury"], "risk-factor": KIND_DIRS["risk-factor"],
         "intervention": KIND_DIRS["intervention"], "page": "pages", "source": SOURCES_FOLDER}
#: the risk-of-bias tool a source's design suggests (`design` in references.bib); the editor may pick another
DESIGN_TOOLS = {"rct": "rob-2", "systematic-review": "amstar-2", "meta-analysis": "amstar-2", "cohort": "quips",
                "case-control": "quips", "cross-sectional": "quips", "narrative-review": "not-applicable",
                "consensus": "not-applicable", "guideline": "not-applicable", "expert-opinion": "not-applicable",
                "case-series": "not-applicable"}
#: a BibTeX key that can name a file of its own (no folder, no hidden file, nothing a shell or URL mangles)
_FILE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]*\Z")


__all__ = ["KINDS", "ScaffoldError", "new_item", "skeleton"]


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_:-]*\Z", re.IGNORECASE)
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _key(key: str) -> str:
    """A BibTeX key as YAML: plain when it reads back as the same text, else quoted."""
    return key if _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS else _yaml_str(key)


def _list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(values) + "]"


def skeleton(kind: str, id_: str, *, injuries: tuple[str, ...] = (), risk_factors: tuple[str, ...] = (),
             interventions: tuple[str, ...] = (), sources: tuple[str, ...] = (), title: str | None = None) -> str:
    schema_name = "claim" if kind == "claim" else ("page" if kind == "page" else "entity")
    head = f"# yaml-language-server: $schema=../../schema/{schema_name}.schema.json\n"
    if kind == "claim":
        # `mentions` until the editor has read the sentence that carries a stronger stance: a skeleton
        # never holds a quote nobody read, and still passes `kb check --strict`
        evidence = "".join(f"  - source: {_key(s)}\n    stance: mentions  # supports/qualifies/contradicts: "
                           "met quote (letterlijk) en locator (abstract, p. 12)\n" for s in sources)
        return (
            f"---\n{head}"
            f"statement: {_yaml_str(title or 'Eén zin die precies één ding beweert.')}\n"
            "type: intervention\n"
            f"injuries: {_list(injuries)}\n"
            f"risk_factors: {_list(risk_factors)}\n"
            f"interventions: {_list(interventions)}\n"
            "certainty: low\n"
            'certainty_reason: "Waarom dit niveau: opzet, consistentie, directheid, populatie."\n'
            "grade:\n"
            "  start: low  # high alleen bij RCT's (effect) of cohortstudies (risico, beloop); zie docs/format.md\n"
            + "".join(f"  {domain}: no\n" for domain in DOWNGRADE_DOMAINS) +
            f"evidence:\n{evidence}"
            f"reviewed: {today().isoformat()}\n"
            "---\n"
            "Leg de bewering uit; citeer in de tekst met `[@sleutel]` of `[@sleutel, p. 12]`.\n"
        )
    return (
        f"---\n{head}title: {_yaml_str(title or id_.replace('-', ' ').capitalize())}\n"
        + ("aliases: []\n" if kind != "page" else "")
        + 'summary: "Eén zin."\n---\nInleiding.\n'
    )


def source_form(key: str, design: str | None) -> str:
    """The form of a study appraisal: every field to fill in, nothing judged.

    Unlike the other skeletons it does not pass `kb check` as written: a risk of bias nobody
    judged, or an abstract nobody read, must not look appraised.  `kb check` then names each
    field still empty, at its line.
    """
    tool = DESIGN_TOOLS.get((design or "").strip())
    names = ROB_TOOLS.get(tool or "", ())
    if tool is None:
        rob = ("  tool:  # " + " | ".join(ROB_TOOLS) + "\n"
               "  domains:  # the tool's domains (docs/format.md), each {judgement: low|some-concerns|high, reason: \"...\"}\n"
               "  overall:  # low | some-concerns | high\n")
    elif not names:
        rob = f"  tool: {tool}\n  reason:  # why no tool applies (e.g. \"Narratieve review: geen studieopzet om te beoordelen.\")\n"
    else:
        rob = (f"  tool: {tool}  # from the design '{design}'; " + " | ".join(t for t in ROB_TOOLS if t != tool) + "\n"
               "  domains:  # each: {judgement: low | some-concerns | high, reason: \"one line\"}\n"
               + "".join(f"    {name}: {{judgement: , reason: }}\n" for name in names)
               + "  overall:  # low | some-concerns | high\n")
    return (
        "---\n# yaml-language-server: $schema=../../schema/source.schema.json\n"
        f"reviewed: {today().isoformat()}\n"
        "abstract:\n"
        "  complete:  # true when the abstract in references.bib is the whole abstract\n"
        "  # missing: \"...\"  # with complete: false, what is missing (e.g. \"The conclusion sentence.\")\n"
        "risk_of_bias:\n" + rob +
        "effects: []  # each result a claim uses:\n"
        "#  - id: result-name\n"
        "#    outcome: \"...\"\n"
        "#    comparison: \"... vs. ...\"\n"
        "#    measure: RR  # RR OR HR SHR IRR MD SMD RD proportion incidence mean median pooled kappa\n"
        "#    estimate: 1.52\n"
        "#    ci: [1.01, 2.29]\n"
        "#    participants: 100\n"
        "#    follow_up: \"1 year\"\n"
        "#    quote: \"The sentence with the estimate and its interval, word for word.\"\n"
        "#    locator: abstract\n"
        "---\n"
        f"Notities bij de beoordeling van {key} (optioneel).\n"
    )


def _new_source(root: Path, key: str) -> Path:
    """content/sources/<key>.md for a key of references.bib; never overwrites."""
    if not _FILE_KEY.match(key):
        raise ScaffoldError(f"the key '{key}' cannot name a file; rename the BibTeX entry first")
    from generator.intake.bibliography import load_bibliography

    sources, _problems = load_bibliography(root)
    if key not in sources:
        near = difflib.get_close_matches(key, list(sources), n=1)
        raise ScaffoldError(f"references.bib has no entry '{key}'"
                            + (f"; did you mean '{near[0]}'?" if near else "; add the entry first"))
    folder = root / "content" / SOURCES_FOLDER
    path = folder / f"{key}.md"
    if os.path.lexists(path):
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists; kb new never overwrites a file")
    text = source_form(key, sources[key].get("design"))
    doc, problems = parse_document(text, path.relative_to(root).as_posix())
    if doc is None or problems:  # pragma: no cover - the form is fixed text
        raise ScaffoldError("the form would not be valid YAML")
    for parent in (folder.parent, folder):
        if os.path.lexists(parent) and not parent.is_dir():
            raise ScaffoldError(f"{parent.relative_to(root).as_posix()} is not a folder")
    make_dirs(folder, root=root, allow=("content",))
    try:  # exclusive: fail rather than overwrite, even in a race; atomic and fsync'd (an editor's file)
        write_file(path, text, root=root, allow=("content",), exclusive=True, durable=True)
    except FileExistsError:
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists; kb new never overwrites a file") from None
    return path


def new_item(root: Path, kind: str, id_: str, **options: object) -> Path:
    """Write a skeleton; refuses invalid ids and existing files."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}")
    if kind == "source":
        return _new_source(root, id_)
    problem = id_problem(id_, top_level=(kind == "page"))
    if problem:
        raise ScaffoldError(f"invalid id '{id_}': {problem}. Try '{suggest_id(id_)}'.")
    folder = root / "content" / KINDS[kind]
    path = folder / f"{id_}.md"
    if os.path.lexists(path):  # lexists: a dangling symlink is a file too, and open("x") would fail on it
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists; kb new never overwrites a file")
    for other in (root / "content").glob(f"*/{id_}.md"):
        raise ScaffoldError(f"the id '{id_}' is already used by {other.relative_to(root).as_posix()}")
    if kind == "claim":
        # A skeleton must pass `kb check` as written, so a claim needs a real source and subject.
        if not options.get("sources"):
            raise ScaffoldError("a claim needs evidence: add --source <key in references.bib>")
        if not any(options.get(k) for k in ("injuries", "risk_factors", "interventions")):
            raise ScaffoldError("a claim must be about something: add --injury, --risk-factor or --intervention <id>")
    title = options.get("title")
    if isinstance(title, str) and (CONTROL_CHARS.search(title) or "\n" in title or "\t" in title):
        raise ScaffoldError("the title must be one line of text, without control characters")
    if kind == "claim":
        _check_references(root, options)
    text = skeleton(kind, id_, **options)  # type: ignore[arg-type]
    _check_skeleton(text, kind, path.relative_to(root).as_posix())
    for parent in (folder.parent, folder):
        if os.path.lexists(parent) and not parent.is_dir():
            raise ScaffoldError(f"{parent.relative_to(root).as_posix()} is not a folder; kb new writes "
                                f"{path.relative_to(root).as_posix()} into it")
    make_dirs(folder, root=root, allow=("content",))
    try:  # exclusive: fail rather than overwrite, even in a race; atomic and fsync'd (an editor's file)
        write_file(path, text, root=root, allow=("content",), exclusive=True, durable=True)
    except FileExistsError:
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists; kb new never overwrites a file") \
            from None
    return path


def _check_references(root: Path, options: dict[str, object]) -> None:
    """Every entity and source a new claim names must exist, or the skeleton would fail `kb check`."""
    for kind, option in CLAIM_ENTITY_FIELDS.items():
        folder = root / "content" / KIND_DIRS[kind]
        for entity in options.get(option) or ():  # type: ignore[attr-defined]
            problem = id_problem(entity)
            if problem:
                raise ScaffoldError(f"invalid {kind} id '{entity}': {problem}")
            if not (folder / f"{entity}.md").is_file():
                known = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
                near = difflib.get_close_matches(entity, known, n=1)
                advice = f"did you mean '{near[0]}'?" if near else f"create it first with `kb new {kind} {entity}`"
                raise ScaffoldError(f"there is no {kind} '{entity}' (content/{KIND_DIRS[kind]}/{entity}.md); {advice}")
    keys = options.get("sources") or ()
    if keys:
        from generator.intake.bibliography import load_bibliography

        sources, _problems = load_bibliography(root)
        for key in keys:  # type: ignore[union-attr]
            if key not in sources:
                near = difflib.get_close_matches(str(key), list(sources), n=1)
                raise ScaffoldError(f"references.bib has no entry '{key}'"
                                    + (f"; did you mean '{near[0]}'?" if near else "; add the entry first"))


def _check_skeleton(text: str, kind: str, rel: str) -> None:
    """Read the skeleton back as `kb check` would: a value that does not survive is refused, not written."""
    doc, problems = parse_document(text, rel)
    if doc is not None:
        fields = CLAIM_FIELDS if kind == "claim" else PAGE_FIELDS if kind == "page" else ENTITY_FIELDS
        check_mapping(doc.data, fields, doc, rel, (), problems)
        for name in ("statement", "title"):
            value = doc.data.get(name)
            if isinstance(value, str) and unsafe_html(value):
                raise ScaffoldError(f"the {name} contains {unsafe_html(value)[0][1]}; it is plain text")
    if problems:
        raise ScaffoldError(f"the new file would not pass kb check: {problems[0].message}")
