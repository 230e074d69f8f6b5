#!/usr/bin/env python3
"""Benchmark of the kb generator on synthetic knowledge bases.

Generates deterministic (seeded) knowledge bases in the real content format,
then times whole processes (`kb check`, `kb build --pages-only`, a plain
`mkdocs build` of those pages, `kb build`, the parsing floor and, when it
installs, mkdocs-bibtex on the same Markdown with raw [@key] citations).
Medians of several runs; peak memory per process; site size in bytes.
Prints one table and writes it to benchmarks/RESULTS.md.

Standard library only; the tools it measures come from the project's venv.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
RESULTS = HERE / "RESULTS.md"
SEED = 20261129

PRESETS = {  # (name, claims, sources, entities, heavy shape)
    "full": [("small", 1000, 1000, 60, False), ("large", 10000, 10000, 300, False),
             ("heavy-small", 1000, 1000, 60, True), ("heavy-large", 10000, 10000, 300, True)],
    "quick": [("small", 200, 200, 20, False), ("large", 2000, 2000, 60, False),
              ("heavy-small", 200, 200, 20, True), ("heavy-large", 2000, 2000, 60, True)],
}
#: today's code before the rendering rewrite (issue 12): built side by side as the baseline
BASELINE = "342d0da"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------
# tools
# ---------------------------------------------------------------------------

def venv_bin() -> Path:
    for cand in (REPO / ".venv" / "bin", Path(sys.executable).parent):
        if (cand / "kb").exists() and (cand / "mkdocs").exists():
            return cand
    sys.exit("bench: cannot find `kb` and `mkdocs`; run with the project's venv (.venv/bin/python)")


BIN = venv_bin()
PY = str(BIN / "python")
KB = str(BIN / "kb")
MKDOCS = str(BIN / "mkdocs")
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def ensure_mkdocs_bibtex() -> str | None:
    """Version of mkdocs-bibtex, installing it into the venv when missing; None if it cannot be had."""
    probe = [PY, "-c", "import importlib.metadata as m; print(m.version('mkdocs-bibtex'))"]
    got = subprocess.run(probe, capture_output=True, text=True)
    if got.returncode == 0:
        return got.stdout.strip()
    log("mkdocs-bibtex is missing: pip install mkdocs-bibtex into the venv ...")
    inst = subprocess.run([PY, "-m", "pip", "install", "-q", "mkdocs-bibtex"], capture_output=True, text=True)
    if inst.returncode != 0:
        log("  install failed; the mkdocs-bibtex comparison is skipped")
        return None
    got = subprocess.run(probe, capture_output=True, text=True)
    return got.stdout.strip() if got.returncode == 0 else None


# ---------------------------------------------------------------------------
# synthetic data
# ---------------------------------------------------------------------------

GIVEN = ["Henk", "Jürgen", "Ørjan", "Søren", "José", "Anaïs", "Zoë", "Łukasz", "Frédéric", "Ingrid", "Björn",
         "Maarten", "Siân", "Çağla", "Núria", "Mariëlle", "Thomas", "Emily", "Ngozi", "Hiroshi", "Aleksandra",
         "Eoin", "Renée", "Pieter-Jan", "Åsa", "Rasmus", "Evert", "Bas", "Irene", "Joaquín", "Noël", "Kerstin"]
SURNAMES = ["van der Worp", "de Vries", "van den Berg", "van Mechelen", "Müller", "Sørensen", "Ødegaard",
            "García-López", "D'Souza", "O'Brien", "le Roux", "von Rosen", "dos Santos", "de la Cruz", "Nielsen",
            "Bertelsen", "Ramskov", "Buist", "Bredeweg", "Kluitenberg", "Ørntoft", "Ståhl", "Smith", "Brown",
            "Hägglund", "Wąsik", "Çelik", "Nguyễn", "al-Hassan", "van Poppel", "ten Haaf", "Taunton", "Nielsen",
            "Lopes", "Hespanhol", "Verhagen", "Fokkema", "Zwerver", "Malliaras", "Silbernagel", "Kongsgaard",
            "Beyer", "Rathleff", "Barton", "Willwacher", "Ceyssens", "Warden", "Hreljac", "Lun", "Dam", "Winter"]
LATEX = {"ü": '{\\"u}', "ö": '{\\"o}', "ä": '{\\"a}', "ë": '{\\"e}', "ï": '{\\"i}', "Ø": "{\\O}", "ø": "{\\o}",
         "é": "{\\'e}", "á": "{\\'a}", "í": "{\\'i}", "ç": "{\\c{c}}", "Ç": "{\\c{C}}", "ł": "{\\l}", "Ł": "{\\L}",
         "å": "{\\aa}", "Å": "{\\AA}", "ğ": "{\\u{g}}", "ñ": "{\\~n}", "è": "{\\`e}"}
TOPICS = ["running injuries", "patellofemoral pain", "Achilles tendinopathy", "medial tibial stress syndrome",
          "plantar fasciopathy", "bone stress injuries", "iliotibial band syndrome", "hamstring strain",
          "patellar tendinopathy", "ankle sprain", "hip pain", "low back pain"]
POPULATIONS = ["novice runners", "recreational runners", "marathon runners", "military recruits",
               "adolescent athletes", "female runners", "trail runners", "masters runners", "track athletes"]
EXPOSURES = ["weekly running volume", "previous injury", "shoe cushioning", "strength training",
             "gait retraining", "sleep duration", "running surface", "body mass index", "foot orthoses",
             "load management", "eccentric exercise", "heavy slow resistance", "relative rest", "education",
             "cadence", "training errors", "psychological stress", "vitamin D", "stretching", "warm-up"]
DESIGN_WORDS = {"systematic-review": "a systematic review", "meta-analysis": "a meta-analysis",
                "rct": "a randomised controlled trial", "cohort": "a prospective cohort study",
                "case-control": "a case-control study", "cross-sectional": "a cross-sectional study",
                "narrative-review": "a narrative review", "consensus": "a consensus statement",
                "guideline": "a clinical practice guideline", "case-series": "a case series",
                "expert-opinion": "expert opinion", "other": "a secondary analysis"}
JOURNALS = ["British Journal of Sports Medicine", "American Journal of Sports Medicine",
            "Journal of Orthopaedic & Sports Physical Therapy", "Medicine & Science in Sports & Exercise",
            "Scandinavian Journal of Medicine & Science in Sports", "Sports Medicine", "Physical Therapy in Sport",
            "Nederlands Tijdschrift voor Geneeskunde", "Journal of Science and Medicine in Sport", "Gait & Posture"]
WORDS = ("de het een van en in op bij met voor door over naar na dat die is zijn werd worden lopers loopsters "
         "hardlopen belasting herstel pijn klachten pees bot spier training week kilometer risico studie bewijs "
         "effect groep deelnemers follow-up maanden verschil kans blessure terugkeer behandeling oefeningen "
         "kracht geleidelijk opbouw rust relatief onderzoek resultaten beperkt matig sterk consistent").split()
EN_WORDS = ("the of and in to with for a was were runners injury risk load training weeks months participants "
            "group compared incidence ratio hazard confidence interval follow-up outcome pain function return "
            "sport tendon bone muscle strength volume analysis cohort trial randomised baseline associated "
            "significant difference between intervention control primary secondary results conclusion").split()
ENTITY_BASES = {
    "injuries": ["patellofemorale-pijn", "achillespeestendinopathie", "mtss", "fasciopathie-plantaris",
                 "botstressletsel", "itbs", "patellapeestendinopathie", "hamstringblessure", "enkelverstuiking",
                 "heuppijn", "lage-rugpijn", "kuitblessure"],
    "risk-factors": ["eerdere-blessure", "hoog-weekvolume", "slecht-slapen", "harde-ondergrond", "bmi",
                     "loopbiomechanica", "mentale-stress", "trainingsfouten", "schoeisel", "leeftijd",
                     "geslacht", "ervaring"],
    "interventions": ["relatieve-rust", "krachttraining", "excentrische-training", "belastingsmanagement",
                      "educatie", "looptechniek", "inlegzolen", "heavy-slow-resistance", "stretching",
                      "warming-up", "volledige-rust", "schokgolftherapie"],
}
ENTITY_FIELD = {"injuries": "injuries", "risk-factors": "risk_factors", "interventions": "interventions"}
DESIGNS = ["systematic-review", "meta-analysis", "rct", "cohort", "case-control", "cross-sectional",
           "narrative-review", "consensus", "guideline", "case-series", "expert-opinion", "other"]
CLAIM_TYPES = ["intervention", "risk-factor", "prognosis", "mechanism", "epidemiology", "advice"]
CERTAINTIES = ["high", "moderate", "low", "very-low"]


def ascii_slug(text: str) -> str:
    table = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae"}
    import unicodedata
    text = "".join(table.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def sentence(rng: random.Random, words: list[str], lo: int, hi: int) -> str:
    s = " ".join(rng.choice(words) for _ in range(rng.randint(lo, hi)))
    return s[0].upper() + s[1:] + "."


@dataclass
class Kb:
    entities: dict[str, list[str]] = field(default_factory=dict)  # folder -> ids
    claims: list[dict] = field(default_factory=list)  # id, statement, evidence [(key, stance)], entities, body
    keys: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # folder/id -> title


def bib_value(text: str, latex: bool) -> str:
    if latex:
        text = "".join(LATEX.get(c, c) for c in text)
    return text.replace("&", "\\&") if latex else text


def make_sources(rng: random.Random, n: int, kb: Kb) -> str:
    out = ["% synthetic references.bib written by benchmarks/bench.py (seeded, deterministic)\n"]
    used_keys: set[str] = set()
    used_titles: set[str] = set()
    for i in range(n):
        n_auth = rng.choice([1, 2, 3, 3, 4, 5, 6, 6, 8, 10, 12]) if rng.random() > 0.03 else rng.randint(20, 40)
        authors = [(rng.choice(SURNAMES), rng.choice(GIVEN)) for _ in range(n_auth)]
        latex = rng.random() < 0.3
        year = rng.randint(1985, 2026)
        base = ascii_slug(authors[0][0]) + str(year)
        key = base
        suffix = 0
        while key in used_keys:
            key = base + "abcdefghijklmnopqrstuvwxyz"[suffix % 26] + ("" if suffix < 26 else str(suffix // 26))
            suffix += 1
        used_keys.add(key)
        design = rng.choice(DESIGNS)
        while True:
            title = (f"{rng.choice(EXPOSURES).capitalize()} and {rng.choice(TOPICS)} in "
                     f"{rng.choice(POPULATIONS)}: {DESIGN_WORDS[design]} of {rng.randint(12, 9000)} participants")
            if rng.random() < 0.2:
                title = title.replace("Achilles", "{Achilles}").replace(": ", ": the {RUN}-{CLEVER} ", 1)
            if title not in used_titles:
                used_titles.add(title)
                break
        author_field = " and ".join(f"{bib_value(last, latex)}, {bib_value(first, latex)}" for last, first in authors)
        if n_auth > 15 and rng.random() < 0.5:
            author_field = " and ".join(author_field.split(" and ")[:15]) + " and others"
        abstract = " ".join(sentence(rng, EN_WORDS, 8, 22) for _ in range(rng.randint(5, 10)))
        abstract = abstract.replace("ratio.", f"ratio 1.{rng.randint(10, 99)} (95% CI 1.0{rng.randint(1, 9)} to 2.{rng.randint(10, 99)}).", 1)
        pages = rng.randint(1, 1800)
        fields = [
            ("author", author_field),
            ("title", title if not latex else title.replace("&", "\\&")),
            ("journal", bib_value(rng.choice(JOURNALS), True) if latex else rng.choice(JOURNALS).replace("&", "\\&")),
            ("year", str(year)),
            ("volume", str(rng.randint(1, 60))),
            ("number", str(rng.randint(1, 24))),
            ("pages", f"{pages}--{pages + rng.randint(4, 20)}"),
            ("doi", f"10.{1000 + (i * 37) % 9000}/bench.{year}.{i:06d}"),
            ("pmid", str(20000000 + i * 13 + rng.randint(0, 12))),
            ("abstract", abstract),
            ("design", design),
            ("population", f"{rng.choice(POPULATIONS)} ({rng.randint(18, 65)}-{rng.randint(66, 80)} jaar)"),
        ]
        if rng.random() < 0.05:
            fields.append(("verified", "no"))
            fields.append(("verification_note", "Synthetische bron: niet gecontroleerd in PubMed."))
        width = max(len(k) for k, _ in fields)
        body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in fields)
        out.append(f"@article{{{key},\n{body}\n}}\n")
        kb.keys.append(key)
    return "\n".join(out)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def heavy_injuries(n_claims: int) -> int:
    """Injury pages in the heavy shape: about 75 claims each at 1k, 250 at 10k (real entity pages are long)."""
    return max(2, min(40, n_claims // 75))


def make_entities(rng: random.Random, n: int, kb: Kb, injuries: int | None = None) -> dict[str, str]:
    files: dict[str, str] = {}
    folders = list(ENTITY_BASES)
    counts = {f: n // 3 + (1 if i < n % 3 else 0) for i, f in enumerate(folders)}
    if injuries is not None:  # heavy shape: few injuries, the rest split over the other two kinds
        rest = n - injuries
        counts = {"injuries": injuries, folders[1]: rest - rest // 2, folders[2]: rest // 2}
    for folder in folders:
        ids = []
        bases = ENTITY_BASES[folder]
        for j in range(counts[folder]):
            base = bases[j % len(bases)]
            ids.append(base if j < len(bases) else f"{base}-{j // len(bases) + 1}")
        kb.entities[folder] = ids
    for folder in folders:
        for id_ in kb.entities[folder]:
            title = id_.replace("-", " ").capitalize()
            kb.titles[f"{folder}/{id_}"] = title
            aliases = [f"{title.lower()} {rng.choice(WORDS)}" for _ in range(rng.randint(0, 4))]
            other_folder = rng.choice(folders)
            other = rng.choice(kb.entities[other_folder])
            body = [sentence(rng, WORDS, 15, 35) + " " + sentence(rng, WORDS, 10, 25)]
            body.append(f"{sentence(rng, WORDS, 6, 12)[:-1]} [zie ook]({'../' + other_folder}/{other}.md)"
                        f" en {sentence(rng, WORDS, 4, 10)[:-1].lower()} [@{rng.choice(kb.keys)}].")
            files[f"content/{folder}/{id_}.md"] = (
                "---\n"
                f"title: {q(title)}\n"
                f"aliases: [{', '.join(q(a) for a in aliases)}]\n"
                f"summary: {q(sentence(rng, WORDS, 8, 16))}\n"
                "---\n" + "\n\n".join(body) + "\n")
    return files


def make_claims(rng: random.Random, n: int, kb: Kb, heavy: bool = False) -> dict[str, str]:
    files: dict[str, str] = {}
    all_entities = [(f, i) for f in kb.entities for i in kb.entities[f]]
    ids = [f"{rng.choice(['load', 'rest', 'risk', 'tendon', 'bone', 'shoe', 'gait', 'sleep', 'pain'])}-"
           f"{rng.choice(['claim', 'effect', 'finding', 'advice'])}-{i:05d}" for i in range(n)]
    base_day = dt.date(2025, 6, 1)
    stances = ["supports"] * 6 + ["qualifies"] * 2 + ["mentions", "contradicts"]
    for i, id_ in enumerate(ids):
        # coverage: claim i cites source i and is about entity i, so nothing is unused or orphaned
        first_key = kb.keys[i % len(kb.keys)]
        others = rng.sample(kb.keys, min(len(kb.keys), rng.randint(0, 3) + 1))
        keys = list(dict.fromkeys([first_key] + others))[: rng.randint(1, 4)]
        ents = list(dict.fromkeys([all_entities[i % len(all_entities)]] +
                                  rng.sample(all_entities, rng.randint(0, 2))))
        if heavy and not any(folder == "injuries" for folder, _ in ents):  # every claim is about an injury
            ents.append(("injuries", rng.choice(kb.entities["injuries"])))
        by_field: dict[str, list[str]] = {v: [] for v in ENTITY_FIELD.values()}
        for folder, eid in ents:
            by_field[ENTITY_FIELD[folder]].append(eid)
        evidence = []
        for key in keys:
            item = [f"  - source: {key}", f"    stance: {rng.choice(stances)}"]
            if rng.random() < 0.3:
                item.append(f"    locator: \"p. {rng.randint(1, 900)}\"")
            if rng.random() < 0.2:
                item.append(f"    quote: {q(sentence(rng, EN_WORDS, 4, 9))}")
            if rng.random() < 0.5:
                item.append(f"    note: {q(sentence(rng, WORDS, 8, 20))}")
            evidence.append("\n".join(item))
        statement = sentence(rng, WORDS, 10, 22)
        reviewed = base_day + dt.timedelta(days=rng.randint(0, 500))
        paragraphs = []
        for _p in range(rng.randint(1, 3)):
            cite = rng.choice(keys)
            cite_text = f"[@{cite}]" if rng.random() < 0.6 else (
                f"[@{cite}, p. {rng.randint(1, 500)}]" if rng.random() < 0.5 else f"[@{cite}; @{rng.choice(kb.keys)}]")
            folder, eid = rng.choice(ents)
            link = f"[{kb.titles[folder + '/' + eid].lower()}](../{folder}/{eid}.md)"
            other = f"[een verwante bewering]({ids[rng.randrange(n)]}.md)"
            paragraphs.append(f"{sentence(rng, WORDS, 10, 25)[:-1]} {cite_text}. {sentence(rng, WORDS, 6, 18)[:-1]}, "
                              f"zie {link}. {sentence(rng, WORDS, 8, 20)[:-1]} ({other}).")
        files[f"content/claims/{id_}.md"] = (
            "---\n"
            f"statement: {q(statement)}\n"
            f"type: {rng.choice(CLAIM_TYPES)}\n"
            + "".join(f"{k}: [{', '.join(v)}]\n" for k, v in by_field.items())
            + f"certainty: {rng.choice(CERTAINTIES)}\n"
            f"certainty_reason: {q(sentence(rng, WORDS, 10, 25))}\n"
            "evidence:\n" + "\n".join(evidence) + "\n"
            f"reviewed: {reviewed.isoformat()}\n"
            "---\n" + "\n\n".join(paragraphs) + "\n")
        kb.claims.append({"id": id_, "statement": statement, "keys": keys, "ents": ents, "body": "\n\n".join(paragraphs)})
    return files


def generate_kb(root: Path, n_claims: int, n_sources: int, n_entities: int, heavy: bool = False) -> Kb:
    """Write a knowledge base under root (content/ + references.bib); deterministic for the sizes.

    *heavy*: the shape of a grown knowledge base, where every claim is about an injury and each
    injury page lists 50-100 claims (about 75) at 1,000 claims and more (about 250) at 10,000.
    """
    rng = random.Random(f"{SEED}-{n_claims}-{n_sources}-{n_entities}" + ("-heavy" if heavy else ""))
    if root.exists():
        shutil.rmtree(root)
    kb = Kb()
    bib = make_sources(rng, n_sources, kb)
    files = make_entities(rng, n_entities, kb, heavy_injuries(n_claims) if heavy else None)
    files.update(make_claims(rng, n_claims, kb, heavy))
    (root / "content").mkdir(parents=True)
    (root / "references.bib").write_text(bib, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return kb


def write_bibtex_variant(kb: Kb, folder: Path, bib: Path) -> Path:
    """The same pages as Markdown with raw [@key] citations, for mkdocs-bibtex; returns its mkdocs.yml."""
    docs = folder / "docs"
    if folder.exists():
        shutil.rmtree(folder)
    cited_by: dict[str, list[dict]] = {}
    about: dict[tuple[str, str], list[dict]] = {}
    for c in kb.claims:
        for k in c["keys"]:
            cited_by.setdefault(k, []).append(c)
        for e in c["ents"]:
            about.setdefault(e, []).append(c)
    pages: dict[str, str] = {"index.md": "# Kennisbank\n\nSynthetische kennisbank voor de benchmark.\n"}
    pages["claims/index.md"] = "# Beweringen\n\n" + "\n".join(
        f"- [{c['statement']}]({c['id']}.md)" for c in kb.claims) + "\n"
    pages["references/index.md"] = "# Bronnen\n\n" + "\n".join(f"- [{k}]({k}.md)" for k in kb.keys) + "\n"
    for c in kb.claims:
        ents = ", ".join(f"[{kb.titles[f + '/' + e]}](../{f}/{e}.md)" for f, e in c["ents"])
        evidence = "\n".join(f"- steunt [@{k}] ([bron](../references/{k}.md))" for k in c["keys"])
        pages[f"claims/{c['id']}.md"] = (f"# {c['statement']}\n\n**Over:** {ents}\n\n## Bewijs\n\n{evidence}\n\n"
                                         f"## Toelichting\n\n{c['body']}\n")
    for kind_dir, ids in kb.entities.items():
        pages[f"{kind_dir}/index.md"] = f"# {kind_dir}\n\n" + "\n".join(f"- [{i}]({i}.md)" for i in ids) + "\n"
        for i in ids:
            claims = about.get((kind_dir, i), [])
            pages[f"{kind_dir}/{i}.md"] = (f"# {kb.titles[kind_dir + '/' + i]}\n\n" + "\n".join(
                f"- [{c['statement']}](../claims/{c['id']}.md) [@{c['keys'][0]}]" for c in claims) + "\n")
    for k in kb.keys:
        claims = cited_by.get(k, [])
        pages[f"references/{k}.md"] = (f"# {k}\n\nVolledige bron: [@{k}]\n\n## Geciteerd door\n\n" + "\n".join(
            f"- [{c['statement']}](../claims/{c['id']}.md)" for c in claims) + "\n")
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cfg = folder / "mkdocs.yml"
    cfg.write_text(MKDOCS_YML.format(docs_dir=docs, extra="") .replace(
        "plugins:\n  - search\n", f"plugins:\n  - search\n  - bibtex:\n      bib_file: {bib}\n")
        .replace("markdown_extensions: [", "markdown_extensions: [footnotes, "), encoding="utf-8")
    return cfg


MKDOCS_YML = """site_name: Kennisbank (benchmark)
docs_dir: {docs_dir}
theme:
  name: material
  language: nl
  font: false
plugins:
  - search
nav:
  - Start: index.md
  - Blessures: injuries/index.md
  - Risicofactoren: risk-factors/index.md
  - Interventies: interventions/index.md
  - Beweringen: claims/index.md
  - Bronnen: references/index.md
{extra}markdown_extensions: [attr_list, tables, admonition, {{toc: {{permalink: true}}}}]
"""


# ---------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float  # wall clock
    maxrss_kb: int
    cpu: float = 0.0  # user + system CPU seconds of the process tree (0 = not recorded)
    load: float = 0.0  # 1-minute load average when the run started (other work on the machine)


def run_once(cmd: list[str], label: str, cwd: Path | None = None, extra_env: dict | None = None) -> Run:
    """One whole process: wall time, and peak RSS from /usr/bin/time (or getrusage of children)."""
    # KB_CACHE=0: every run formats every reference (cold builds, the conservative figure);
    # the warm, cached rebuild is measured separately by tests/test_cache.py.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", KB_CACHE="0", **(extra_env or {}))
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        timefile = tf.name
    full = ([TIME, "-f", "%M", "-o", timefile] + cmd) if TIME else cmd
    before = _children_maxrss()
    cpu0 = _children_cpu()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu0
    rss = 0
    if TIME:
        try:
            rss = int(Path(timefile).read_text().strip().splitlines()[-1])
        except (ValueError, IndexError):
            rss = 0
    os.unlink(timefile)
    if not rss:  # RUSAGE_CHILDREN is a running maximum: only meaningful when it grew
        rss = max(_children_maxrss(), before)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise RuntimeError(f"{label} failed (exit {proc.returncode}): {shlex.join(cmd)}\n{tail}")
    return Run(seconds, rss, cpu, load)


def _children_cpu() -> float:
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _children_maxrss() -> int:
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def measure(label: str, size: str, runs: int, cmd: list[str], prepare=None, extra_env: dict | None = None,
            cwd: Path | None = None) -> list[Run]:
    out = []
    for i in range(runs):
        if prepare:
            prepare()
        log(f"{size}: {label}, run {i + 1} of {runs} ...")
        r = run_once(cmd, label, cwd=cwd, extra_env=extra_env)
        log(f"{size}: {label}, run {i + 1} of {runs}: {r.seconds:.2f} s wall, {r.cpu:.2f} s CPU, "
            f"peak {r.maxrss_kb / 1024:.0f} MB (load average {r.load:.1f})")
        out.append(r)
    return out


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def peak(runs: list[Run]) -> int:
    return max(r.maxrss_kb for r in runs)


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def rm(path: Path):
    def go() -> None:
        if path.exists():
            shutil.rmtree(path)
    return go


FLOOR = r"""
import sys, pathlib, bibtexparser, yaml
root = pathlib.Path(sys.argv[1])
lib = bibtexparser.parse_file(str(root / "references.bib"))
n = 0
for p in sorted((root / "content").glob("*/*.md")):
    t = p.read_text(encoding="utf-8")
    if t.startswith("---\n"):
        end = t.find("\n---", 4)
        yaml.load(t[4:end], Loader=yaml.CSafeLoader)
        n += 1
print(len(lib.entries), n)
"""


# Page generation as `kb build` does it before MkDocs starts (the plugin's on_config calls exactly
# this): check, format, render; the pages stay in memory for MkDocs, nothing is written.
GENERATE = r"""
import sys, pathlib
from generator.intake.config import load_settings
from generator.pages.pipeline import generate
root = pathlib.Path(sys.argv[1])
settings, _ = load_settings(root)
out = generate(root, settings)
if out.result.failed():
    sys.exit("kb check failed")
print(len(out.files), "files,", sum(len(f.data) for f in out.files), "bytes")
"""


def baseline_source(commit: str) -> Path | None:
    """Today's code (the baseline) as a source tree under _work/, run with PYTHONPATH; None if git fails."""
    target = WORK / f"baseline-{commit}"
    if (target / "generator" / "__main__.py").is_file():
        return target
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "generator"], capture_output=True)
    if archive.returncode != 0:
        log(f"bench: cannot take the baseline {commit} from git: {archive.stderr.decode()[:200]}")
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    # MkDocs finds the `kb` plugin through the installed entry point, which names today's module
    # (generator.engines.plugin); an older tree had its plugin at generator/plugin.py: point the
    # entry point's module at it, so the baseline runs its own plugin and not today's
    plugin = target / "generator" / "engines" / "plugin.py"
    if not plugin.exists() and (target / "generator" / "plugin.py").is_file():
        plugin.parent.mkdir(parents=True, exist_ok=True)
        plugin.write_text("from generator.plugin import KbPlugin  # noqa: F401 (the baseline's own plugin)\n",
                          encoding="utf-8")
    return target


def bench_size(name: str, claims: int, sources: int, entities: int, runs: int, bibtex: str | None,
               res: dict, save, heavy: bool = False, baseline: Path | None = None, serve_runs: int = 0,
               engines: tuple[tuple[str, int | None], ...] = ()) -> dict:
    base = WORK / name
    root = base / "kb"
    log(f"{name}: generating {claims} claims / {sources} sources / {entities} entities"
        f"{' (heavy shape)' if heavy else ''} in {root} ...")
    t0 = time.perf_counter()
    kb = generate_kb(root, claims, sources, entities, heavy=heavy)
    log(f"{name}: generated in {time.perf_counter() - t0:.1f} s "
        f"(references.bib {(root / 'references.bib').stat().st_size / 1e6:.1f} MB)")
    res.update({"name": name, "claims": claims, "sources": sources, "entities": entities, "heavy": heavy})

    # sanity: the data must pass the check, or the build measures an error path
    probe = subprocess.run([KB, "check", "--root", str(root)], capture_output=True, text=True)
    if probe.returncode != 0:
        raise RuntimeError(f"kb check fails on the synthetic data:\n{probe.stdout[-3000:]}{probe.stderr[-2000:]}")
    res["warnings"] = len([ln for ln in probe.stdout.splitlines() if "warning" in ln.lower()])

    floor_py = base / "floor.py"
    floor_py.write_text(FLOOR, encoding="utf-8")
    res["floor"] = measure("floor (bibtexparser.parse_file + CSafeLoader front matter)", name, runs,
                           [PY, str(floor_py), str(root)])
    res["check"] = measure("kb check", name, runs, [KB, "check", "--root", str(root)])
    save()
    generate_py = base / "generate.py"
    generate_py.write_text(GENERATE, encoding="utf-8")
    res["generate"] = measure("page generation (check, format, render; pages kept in memory)", name, runs,
                              [PY, str(generate_py), str(root)])
    save()
    pages = base / "pages"
    res["pages"] = measure("kb build --pages-only", name, runs,
                           [KB, "build", "--root", str(root), "--pages-only", str(pages)], prepare=rm(pages))
    res["n_pages"] = sum(1 for _ in pages.rglob("*.md"))
    save()
    cfg = base / "mkdocs-pages.yml"
    cfg.write_text(MKDOCS_YML.format(docs_dir=pages, extra="extra_css: [assets/kb.css]\n"
                                     "extra_javascript: [assets/kb.js]\n"), encoding="utf-8")
    plain_site = base / "site-plain"
    res["mkdocs"] = measure("mkdocs build of the pages (no kb plugin)", name, runs,
                            [MKDOCS, "build", "-q", "-f", str(cfg), "-d", str(plain_site)], prepare=rm(plain_site))
    res["mkdocs_bytes"] = tree_bytes(plain_site)
    save()
    site = base / "site"
    res["build"] = measure("kb build", name, runs, [KB, "build", "--root", str(root), "--out", str(site)],
                           prepare=rm(site))
    res["site_bytes"] = tree_bytes(site)
    res["site_files"] = sum(1 for p in site.rglob("*") if p.is_file())
    save()
    for engine, limit in engines:
        if engine == "mkdocs":
            continue  # the kb build above
        if limit is not None and claims > limit:
            log(f"{name}: {engine} not timed at {claims:,} claims (--engines {engine}:{limit})")
            continue
        if subprocess.run([PY, "-c", f"import {engine}"], capture_output=True).returncode != 0:
            log(f"{name}: {engine} is not installed: not timed")
            continue
        esite = base / f"site-{engine}"
        res[f"engine_{engine}"] = measure(f"kb build --engine {engine}", name, runs,
                                          [KB, "build", "--engine", engine, "--root", str(root), "--out", str(esite)],
                                          prepare=rm(esite))
        save()
        rm(esite)()
    if bibtex:
        bcfg = write_bibtex_variant(kb, base / "bibtex", root / "references.bib")
        bsite = base / "site-bibtex"
        try:
            res["bibtex"] = measure(f"mkdocs-bibtex {bibtex} build of the raw-citation pages", name, runs,
                                    [MKDOCS, "build", "-q", "-f", str(bcfg), "-d", str(bsite)], prepare=rm(bsite))
            res["bibtex_bytes"] = tree_bytes(bsite)
            save()
        except RuntimeError as exc:
            log(f"{name}: mkdocs-bibtex failed, comparison skipped: {str(exc).splitlines()[0]}")
    if baseline is not None:
        # run from the baseline's folder: `python -m` puts the working folder first on sys.path, and the
        # repository's own generator/ must not shadow the baseline's
        base_env = {"PYTHONPATH": str(baseline)}
        base_cmd = [PY, "-m", "generator"]
        base_site = base / "site-baseline"
        res["baseline_build"] = measure(f"kb build of the baseline ({BASELINE})", name, runs,
                                        base_cmd + ["build", "--root", str(root), "--out", str(base_site)],
                                        prepare=rm(base_site), extra_env=base_env, cwd=baseline)
        save()
        base_pages = base / "pages-baseline"
        rm(base_pages)()
        run_once(base_cmd + ["build", "--root", str(root), "--pages-only", str(base_pages)], "baseline pages-only",
                 cwd=baseline, extra_env=base_env)
        bcfg = base / "mkdocs-baseline-pages.yml"
        bcfg.write_text(MKDOCS_YML.format(docs_dir=base_pages, extra="extra_css: [assets/kb.css]\n"
                                          "extra_javascript: [assets/kb.js]\n"), encoding="utf-8")
        plain_base = base / "site-plain-baseline"
        res["baseline_mkdocs"] = measure(f"mkdocs build of the baseline's pages-only Markdown (no kb plugin)", name,
                                         runs, [MKDOCS, "build", "-q", "-f", str(bcfg), "-d", str(plain_base)],
                                         prepare=rm(plain_base))
        save()
        rm(plain_base)()
        rm(base_site)()
    if serve_runs:
        out = base / "serve.json"
        log(f"{name}: kb serve edit latency, {serve_runs} edits ...")
        done = subprocess.run([PY, str(HERE / "serve_latency.py"), "--runs", str(serve_runs), "--heavy", str(claims),
                               "--json", str(out)], capture_output=True, text=True)
        log(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:])
        if out.is_file():
            res["serve"] = {"times": json.loads(out.read_text(encoding="utf-8"))["times"]}
            save()
    for folder in (plain_site, site, base / "site-bibtex"):
        rm(folder)()  # keep _work small; pages and the kb stay for inspection
    return res


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    py = subprocess.run([PY, "--version"], capture_output=True, text=True).stdout.strip()
    versions = subprocess.run([PY, "-c", "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' "
                               "for p in ('mkdocs', 'mkdocs-material', 'bibtexparser', 'pybtex', 'PyYAML')))"],
                              capture_output=True, text=True).stdout.strip()
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "python": py, "packages": versions,
            "os": platform.platform()}


def med(res: dict, key: str, what: str = "seconds") -> float | None:
    runs = res.get(key)
    if not runs:
        return None
    values = [getattr(r, what) for r in runs]
    if what == "cpu" and not all(values):
        return None  # measured before CPU time was recorded
    return statistics.median(values)


def fmt(x: float | None, unit: str = " s") -> str:
    return "-" if x is None else f"{x:.2f}{unit}"


def report(results: list[dict], runs: str, command: str, started: dt.datetime, elapsed: float,
           note: str = "") -> str:
    light = [r for r in results if not r.get("heavy")] or results
    heavy = [r for r in results if r.get("heavy")]
    small, large = light[0], light[-1]
    rows: list[tuple[str, ...]] = []  # measure, wall value, CPU value, goal, verdict (wall), verdict (CPU)

    def ratio(a: dict, ka: str, b: dict, kb: str, what: str = "seconds") -> float | None:
        x, y = med(a, ka, what), med(b, kb, what)
        return None if x is None or y is None or not y else x / y

    def verdict(value: float | None, ok) -> str:
        if value is None:
            return "not measured"
        return "met" if ok(value) else "**NOT met**"

    def both(a: dict, ka: str, b: dict, kb: str, form) -> tuple[str, str, float | None]:
        w, c = ratio(a, ka, b, kb), ratio(a, ka, b, kb, "cpu")
        wall = "not measured" if w is None else f"{form(w)} ({fmt(med(a, ka))} / {fmt(med(b, kb))})"
        cpu = "-" if c is None else f"{form(c)} ({fmt(med(a, ka, 'cpu'))} / {fmt(med(b, kb, 'cpu'))})"
        both.cpu = c  # type: ignore[attr-defined]
        return wall, cpu, w

    def cv(ok) -> str:
        c = both.cpu  # type: ignore[attr-defined]
        return "-" if c is None else ("met" if ok(c) else "**NOT met**")

    x = lambda v: f"{v:.2f}x"  # noqa: E731
    shape = lambda res: ", heavy shape" if res.get("heavy") else ""  # noqa: E731
    pct = lambda v: f"{v * 100:.0f}%"  # noqa: E731
    plain = lambda v: f"{v:.2f}"  # noqa: E731
    wall, cpu, w = both(large, "check", large, "floor", x)
    rows.append((f"kb check / floor at {large['claims']:,}", wall, cpu, "<= 1.5x", verdict(w, lambda v: v <= 1.5),
                 cv(lambda v: v <= 1.5)))
    for res in results:
        wall, cpu, w = both(res, "generate", res, "mkdocs", pct)
        rows.append((f"page generation / MkDocs build at {res['claims']:,}{shape(res)}", wall, cpu, "<= 15%",
                     verdict(w, lambda v: v <= 0.15), cv(lambda v: v <= 0.15)))
    for res in results:
        wall, cpu, w = both(res, "pages", res, "mkdocs", pct)
        rows.append((f"(same, plus writing the Markdown files: `--pages-only`) at {res['claims']:,}{shape(res)}", wall, cpu,
                     "(<= 15%)", verdict(w, lambda v: v <= 0.15), cv(lambda v: v <= 0.15)))
    wall, cpu, w = both(large, "build", small, "build", x)
    rows.append((f"kb build time large / small (data x{large['claims'] / small['claims']:g})", wall, cpu, "<= 11x",
                 verdict(w, lambda v: v <= 11), cv(lambda v: v <= 11)))
    if "site_bytes" in large and "site_bytes" in small:
        r = large["site_bytes"] / small["site_bytes"]
        rows.append(("site bytes large / small", f"{r:.2f}x ({large['site_bytes'] / 1e6:.0f} MB / "
                     f"{small['site_bytes'] / 1e6:.0f} MB)", "", "<= 11x", verdict(r, lambda v: v <= 11), "(same)"))
    else:
        rows.append(("site bytes large / small", "not measured", "", "<= 11x", "not measured", ""))
    for res in results:
        wall, cpu, w = both(res, "build", res, "bibtex", plain)
        rows.append((f"kb build / mkdocs-bibtex build at {res['claims']:,}{shape(res)}", wall, cpu, "<= 0.5",
                     verdict(w, lambda v: v <= 0.5), cv(lambda v: v <= 0.5)))
    for res in heavy:
        if res.get("serve"):
            times = res["serve"]["times"]
            value = statistics.median(times)
            rows.append((f"`kb serve`: a saved claim edit shows after, at {res['claims']:,}{shape(res)}",
                         f"{value:.2f} s (median of {len(times)} edits: "
                         f"{', '.join(f'{t:.2f}' for t in times)})", "", "<= 2 s",
                         verdict(value, lambda v: v <= 2), ""))
        wall, cpu, w = both(res, "baseline_build", res, "build", x)
        rows.append((f"speed-up of kb build over the baseline ({BASELINE}) at {res['claims']:,}{shape(res)}",
                     wall, cpu, ">= 3x", verdict(w, lambda v: v >= 3), cv(lambda v: v >= 3)))
        wall, cpu, w = both(res, "build", res, "baseline_mkdocs", plain)
        rows.append((f"kb build / plain mkdocs build of the baseline's --pages-only Markdown at "
                     f"{res['claims']:,}{shape(res)}", wall, cpu, "< 1", verdict(w, lambda v: v < 1),
                     cv(lambda v: v < 1)))
    if len(heavy) > 1:
        wall, cpu, w = both(heavy[-1], "build", heavy[0], "build", x)
        rows.append((f"kb build time large / small, heavy shape (data x{heavy[-1]['claims'] / heavy[0]['claims']:g})",
                     wall, cpu, "<= 11x", verdict(w, lambda v: v <= 11), cv(lambda v: v <= 11)))
        hm = [max(r.maxrss_kb for r in heavy[-1][k]) for k in ("check", "generate", "pages", "build")
              if heavy[-1].get(k)]
        rows.append((f"peak memory at {heavy[-1]['claims']:,}, heavy shape", f"{max(hm) / 1024:.0f} MB" if hm else
                     "not measured", "", "< 1 GB", verdict(max(hm) if hm else None, lambda v: v < 1024 * 1024),
                     "(same)"))
    mems = [max(r.maxrss_kb for r in large[k]) for k in ("check", "generate", "pages", "build") if large.get(k)]
    mem = max(mems) if mems else None
    rows.append((f"peak memory at {large['claims']:,} (kb check, generation, pages-only, kb build)",
                 "not measured" if mem is None else f"{mem / 1024:.0f} MB", "", "< 1 GB",
                 verdict(mem, lambda v: v < 1024 * 1024), "(same)"))

    engine_names = sorted({k.removeprefix("engine_") for res in results for k in res if k.startswith("engine_")})
    engine_table = []
    if engine_names:
        engine_table = ["| size | " + " | ".join(["mkdocs (kb build)", *engine_names]) + " |",
                        "|---|" + "---|" * (1 + len(engine_names))]
        for res in results:
            cells = []
            for key in ["build", *(f"engine_{n}" for n in engine_names)]:
                w, c = med(res, key), med(res, key, "cpu")
                if w is None:
                    cells.append("not timed")
                    continue
                base_w = med(res, "build")
                rel = "" if key == "build" or not base_w else f", {w / base_w:.2f}x MkDocs"
                cells.append(f"{fmt(w)} ({fmt(c)} CPU{rel})" if c is not None else f"{fmt(w)}{rel}")
            engine_table.append(f"| {res['name']}{shape(res)} ({res['claims']:,} claims) | " + " | ".join(cells) + " |")

    lines = ["| measure | wall clock | CPU time (user+sys) | goal | verdict (wall clock) | verdict (CPU time) |",
             "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]

    steps = (("floor", "floor"), ("check", "kb check"), ("generate", "page generation"), ("pages", "pages-only"),
             ("mkdocs", "mkdocs build (pages)"), ("build", "kb build"), ("bibtex", "mkdocs-bibtex"),
             ("baseline_build", f"kb build, baseline {BASELINE}"),
             ("baseline_mkdocs", "mkdocs build of the baseline's pages"))
    detail = ["| size (claims / sources / entities) | " + " | ".join(label for _, label in steps)
              + " | peak RSS check / generation / pages-only / build | site | pages |",
              "|---|" + "---|" * len(steps) + "---|---|---|"]
    for res in results:
        cells = []
        for key, _ in steps:
            w, c = med(res, key), med(res, key, "cpu")
            cells.append("-" if w is None else (fmt(w) + ("" if c is None else f" ({fmt(c)} CPU)")))
        peaks = " / ".join(f"{max(r.maxrss_kb for r in res[k]) / 1024:.0f}" if res.get(k) else "-"
                           for k in ("check", "generate", "pages", "build"))
        site = f"{res['site_bytes'] / 1e6:.1f} MB in {res['site_files']:,} files" if "site_bytes" in res else "-"
        detail.append(f"| {res['name']}{shape(res)} ({res['claims']:,} / {res['sources']:,} / {res['entities']}) | "
                      + " | ".join(cells) + f" | {peaks} MB | {site} | {res.get('n_pages', '-')} |")
    all_runs = ["| size | step | wall (s) | CPU (s) | load average at start |", "|---|---|---|---|---|"]
    for res in results:
        for key, label in steps:
            if res.get(key):
                rs = res[key]
                all_runs.append(f"| {res['name']} | {label} | {', '.join(f'{r.seconds:.2f}' for r in rs)} | "
                                f"{', '.join(f'{r.cpu:.2f}' if r.cpu else '-' for r in rs)} | "
                                f"{', '.join(f'{r.load:.1f}' if r.load else '-' for r in rs)} |")
    m = machine()
    return "\n".join([
        "# Benchmark results", "",
        f"Date: {started.strftime('%Y-%m-%d %H:%M UTC')} (took {elapsed / 60:.1f} min)  ",
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, {m['os']}  ",
        f"Python: {m['python']}; {m['packages']}  ",
        f"Command: `{command}`  ",
        f"Medians of {measured_runs(results) or runs}; every step is a separate process (`kb`, `mkdocs`, `python`).", "",
        *(["## Notes on this run", "", note, ""] if note else []),
        "## Goals", "", *lines, "",
        "Verdicts are given on wall-clock medians, as the goals are stated, and on CPU time. The CPU column (user + system time of the "
        "process and its children, from `getrusage(RUSAGE_CHILDREN)`) is the steadier figure when other work "
        "shares the machine: see the load averages under 'Every run'.", "",
        "## Measurements (medians)", "", *detail, "",
        *(["## Engines side by side (`kb build --engine`, medians)", "", *engine_table, "",
           "Each engine builds the same knowledge base into a site of its own; ProperDocs runs the kb plugin "
           "like MkDocs, Zensical builds the Markdown `kb build` writes for it (its own Python-Markdown pass) "
           "and the finishing pass adds the JSON-LD and sanitizes.", ""] if engine_table else []),
        "floor = one process that parses the same references.bib with `bibtexparser.parse_file` and the front "
        "matter of every content file with `yaml.CSafeLoader`, nothing more. page generation = one process that "
        "runs what `kb build` runs before MkDocs starts (`generator.pages.pipeline.generate`: check, format every "
        "reference, render every page), pages kept in memory as `kb build` hands them to MkDocs. pages-only = "
        "`kb build --pages-only`: the same plus writing every page as a Markdown file. mkdocs build (pages) = plain "
        "`mkdocs build` (Material, search, small nav, no kb plugin) of the `kb build --pages-only` output. "
        "mkdocs-bibtex = the same page set written with raw `[@key]` citations, built with the `bibtex` "
        "plugin (Material, search, small nav, footnotes). Peak RSS from `/usr/bin/time -f %M`. Heavy shape = "
        "every claim is about an injury, and each injury page lists about 75 claims at 1,000 claims and about 250 "
        f"at 10,000. Baseline = the code at {BASELINE} (before the rendering rewrite), run from its own source "
        "tree (`git archive`, PYTHONPATH) with the same packages; its `--pages-only` Markdown built by a plain "
        "`mkdocs build` is the 'plain MkDocs' bar. `kb serve` latency = benchmarks/serve_latency.py --heavy: "
        "seconds from saving a claim edit to the edited page being served. Since issue 12 'page generation' "
        "renders every generated page to HTML, the work MkDocs' Markdown pass did before, so its share of a "
        "MkDocs build no longer measures the generator's overhead (the issue-6 goal of 15% was set for "
        "Markdown output); the bar that replaces it is the plain `mkdocs build` of the baseline's pages.", "",
        "## Every run", "", *all_runs, ""])


def parse_sizes(text: str | None, quick: bool) -> list[tuple[str, int, int, int, bool]]:
    if not text:
        return PRESETS["quick" if quick else "full"]
    out = []
    for i, part in enumerate(text.split(",")):
        part = part.strip()
        if part in ("small", "large", "heavy-small", "heavy-large"):
            out.append(next(s for s in PRESETS["quick" if quick else "full"] if s[0] == part))
            continue
        m = re.fullmatch(r"(?:([\w-]+)=)?(\d+)[:/](\d+)[:/](\d+)(:heavy)?", part)
        if not m:
            sys.exit(f"bench: bad size '{part}'; use small, large, heavy-small, heavy-large or "
                     "[NAME=]CLAIMS:SOURCES:ENTITIES[:heavy]")
        out.append((m.group(1) or f"size{i + 1}", int(m.group(2)), int(m.group(3)), int(m.group(4)),
                    bool(m.group(5))))
    if len(out) < 2:
        log("bench: only one size: the large/small ratios will be 1 (merge results files to compare)")
    return out


def parse_engines(text: str) -> tuple[tuple[str, int | None], ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, limit = part.partition(":")
        if name not in ("mkdocs", "properdocs", "zensical") or (limit and not limit.isdigit()):
            sys.exit(f"bench: bad engine '{part}'; use mkdocs, properdocs or zensical, optionally :MAX_CLAIMS")
        out.append((name, int(limit) if limit else None))
    return tuple(out)


def measured_runs(results: list[dict]) -> str:
    """How many runs each size had, from the results themselves (sizes reused with --resume keep theirs)."""
    counts: dict[int, list[str]] = {}
    for res in results:
        if res.get("build"):
            counts.setdefault(len(res["build"]), []).append(res["name"])
    return "; ".join(f"{n} run{'s' if n != 1 else ''} per step at {', '.join(names)}"
                     for n, names in sorted(counts.items(), reverse=True))


def runs_text(args: argparse.Namespace) -> str:
    if args.runs_large and args.runs_large != args.runs:
        return f"{args.runs} runs per step ({args.runs_large} for the largest size)"
    return f"{args.runs} runs per step"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", help="comma-separated: small, large or [name=]CLAIMS:SOURCES:ENTITIES "
                                    "(default small=1000:1000:60,large=10000:10000:300)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 200:200:20 and 2000:2000:60")
    ap.add_argument("--runs", type=int, default=3, help="runs per step (median); default 3")
    ap.add_argument("--runs-large", type=int, default=None,
                    help="runs per step for the last (largest) size only; default: --runs")
    ap.add_argument("--resume", action="store_true",
                    help="reuse the sizes already measured in benchmarks/_work/results.json (same name and counts)")
    ap.add_argument("--results-json", default=str(WORK / "results.json"),
                    help="raw per-run results (default benchmarks/_work/results.json)")
    ap.add_argument("--note", default="", help="a paragraph to put in the report (e.g. about the machine's load)")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the report from benchmarks/_work/results.json without measuring")
    ap.add_argument("--no-bibtex", action="store_true", help="skip the mkdocs-bibtex comparison")
    ap.add_argument("--out", default=str(RESULTS), help="where to write the results (default benchmarks/RESULTS.md)")
    ap.add_argument("--baseline", default=BASELINE,
                    help=f"git commit of the code to compare with, built side by side (default {BASELINE}); "
                         "measured on the heavy shapes")
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline builds")
    ap.add_argument("--engines", default="mkdocs,properdocs,zensical",
                    help="engines to time `kb build --engine` with, side by side (ENGINE[:MAX_CLAIMS], comma-separated; "
                         "an engine that is not installed is skipped and said so); default mkdocs,properdocs,zensical")
    ap.add_argument("--serve-runs", type=int, default=5,
                    help="edits timed under `kb serve` on the smallest heavy shape (0: skip); default 5")
    args = ap.parse_args()
    sizes = parse_sizes(args.sizes, args.quick)
    command = shlex.join(["python", os.path.relpath(__file__, Path.cwd())] + sys.argv[1:])
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    log(f"bench: sizes {sizes}, {args.runs} runs per step; tools from {BIN}; peak memory via "
        f"{TIME or 'getrusage(RUSAGE_CHILDREN)'}")
    raw = Path(args.results_json)
    if args.report_only:
        saved = json.loads(raw.read_text(encoding="utf-8"))
        results = [{k: ([Run(**r) for r in v] if isinstance(v, list) else v) for k, v in res.items()}
                   for res in saved["results"]]
        measured_by = saved["command"]
        if args.note:  # the note is written afterwards: show the measuring command without its old note
            measured_by = re.sub(r" --note ('[^']*'|\S+)", "", measured_by)
        text = report(results, saved["runs"], measured_by, dt.datetime.fromisoformat(saved["started"]),
                      saved["elapsed"], args.note)
    else:
        bibtex = None if args.no_bibtex else ensure_mkdocs_bibtex()
        WORK.mkdir(parents=True, exist_ok=True)
        results = []
        done = {}
        if args.resume and raw.is_file():
            for res in json.loads(raw.read_text(encoding="utf-8"))["results"]:
                done[(res["name"], res["claims"], res["sources"], res["entities"], res.get("heavy", False))] = {
                    k: ([Run(**r) for r in v] if isinstance(v, list) else v) for k, v in res.items()}
        baseline = None if args.no_baseline else baseline_source(args.baseline)
        first_heavy = next((size for size in sizes if size[4]), None)
        for index, (name, c, s, e, heavy) in enumerate(sizes):
            n = args.runs_large if (args.runs_large and index == len(sizes) - 1) else args.runs
            if (name, c, s, e, heavy) in done:
                log(f"{name}: reusing the earlier measurements from {raw} (--resume)")
                results.append(done[(name, c, s, e, heavy)])
                continue
            def save() -> None:
                raw.write_text(json.dumps({"results": [{k: ([vars(r) for r in v] if isinstance(v, list) else v)
                                                        for k, v in res.items()} for res in results],
                                           "runs": runs_text(args), "command": command,
                                           "started": started.isoformat(), "elapsed": time.perf_counter() - t0},
                                          indent=1), encoding="utf-8")
            results.append({})
            bench_size(name, c, s, e, n, bibtex, results[-1], save, heavy=heavy,
                       baseline=baseline if heavy else None,
                       serve_runs=args.serve_runs if (name, c, s, e, heavy) == first_heavy else 0,
                       engines=parse_engines(args.engines))
            save()
        text = report(results, runs_text(args), command, started, time.perf_counter() - t0, args.note)
    Path(args.out).write_text(text, encoding="utf-8")
    print()
    print(text)
    log(f"written to {args.out}")


if __name__ == "__main__":
    main()
