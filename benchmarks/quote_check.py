"""How long the issue-11 checks take: quotes against abstracts, and GRADE profiles.

Builds a synthetic knowledge base in memory (no files): N claims, each with
three quoted evidence items located in the abstract of its source (about
1,800 characters, like a structured abstract), and prints the time of
`check_quotes` and `check_grades` when every quote is found, and when every
quote is wrong (each miss also searches the closest passage for the hint).

    .venv/bin/python benchmarks/quote_check.py [--claims 10000] [--found-only]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.checks.evidence_checks import check_grades, check_quotes  # noqa: E402
from generator.core.model import (DOWNGRADE_DOMAINS, UPGRADE_DOMAINS, Claim, Evidence, Grade, Judgement,  # noqa: E402
                             KnowledgeBase, Located, Source)

WORDS = ("runners", "injury", "risk", "load", "weekly", "volume", "tendon", "bone", "stress", "rest", "trial",
         "cohort", "hazard", "ratio", "confidence", "interval", "novice", "training", "pain", "return")


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 22))).capitalize() + "."


def build(claims: int, wrong: bool, seed: int = 1) -> KnowledgeBase:
    rng = random.Random(seed)
    sources: dict[str, Source] = {}
    built: dict[str, Claim] = {}
    grade = Grade(start="low", judgements=tuple(Judgement(d) for d in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS))
    for i in range(claims):
        evidence = []
        for j in range(3):
            key = f"s{i}-{j}"
            sentences = [_sentence(rng) for _ in range(14)]
            sources[key] = Source(key, "article", {"title": key, "abstract": " ".join(sentences)})
            quote = sentences[rng.randrange(14)]
            if wrong:
                quote = quote.replace(" ", " not ", 1)
            evidence.append(Evidence(key, "supports", "abstract", quote, line=7 + j))
        built[f"c{i}"] = Claim(id=f"c{i}", statement=f"Claim {i}.", type="risk-factor", certainty="low",
                               reviewed=_dt.date(2026, 1, 1), evidence=tuple(evidence), injuries=("x",),
                               grade=grade, where=Located(f"content/claims/c{i}.md", {"certainty": 5}))
    return KnowledgeBase(entities={}, claims=built, pages={}, sources=sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--found-only", action="store_true", help="skip the run where every quote is wrong")
    args = parser.parse_args()
    for wrong in (False,) if args.found_only else (False, True):
        kb = build(args.claims, wrong)
        items = sum(len(c.evidence) for c in kb.claims.values())
        start = time.perf_counter()
        found = check_quotes(kb)
        quotes = time.perf_counter() - start
        start = time.perf_counter()
        check_grades(kb)
        grades = time.perf_counter() - start
        print(f"{args.claims:,} claims, {items:,} quoted items, quotes {'wrong' if wrong else 'right'}: "
              f"check_quotes {quotes:.2f} s ({len(found):,} diagnostics, {quotes / items * 1e6:.0f} µs/item), "
              f"check_grades {grades:.3f} s")


if __name__ == "__main__":
    main()
