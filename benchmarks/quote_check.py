"""How long the issue-11 checks take: quotes against abstracts, and GRADE profiles.

Builds a synthetic knowledge base in memory (no files): N claims, each with
three quoted evidence items located in the abstract of its source (about
1,800 characters, like a structured abstract), and prints the time of
`check_quotes` and `check_grades` when every quote is found, and when every
quote is wrong (each miss also searches the closest passage for the hint).

    .venv/bin/python benchmarks/quote_check.py [--claims 10000] [--found-only]
    .venv/bin/python benchmarks/quote_check.py --long 20      # issue 18: long quotes that are not found
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


def build_long(quotes: int, seed: int = 2) -> KnowledgeBase:
    """Issue 18, finding 13: claims each quoting ~2,000 characters that are not in a ~19,000-character abstract
    (the largest the hint still aligns), every abstract its own."""
    rng = random.Random(seed)
    sources: dict[str, Source] = {}
    built: dict[str, Claim] = {}
    grade = Grade(start="low", judgements=tuple(Judgement(d) for d in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS))
    for i in range(quotes):
        abstract = " ".join(_sentence(rng) for _ in range(160))[:19_000]
        quote = " ".join(_sentence(rng) for _ in range(20))[:1_990]
        sources[f"s{i}"] = Source(f"s{i}", "article", {"title": f"s{i}", "abstract": abstract})
        built[f"c{i}"] = Claim(id=f"c{i}", statement=f"Claim {i}.", type="risk-factor", certainty="low",
                               reviewed=_dt.date(2026, 1, 1), evidence=(Evidence(f"s{i}", "supports", "abstract",
                                                                                 quote, line=7),),
                               injuries=("x",), grade=grade, where=Located(f"content/claims/c{i}.md", {"certainty": 5}))
    return KnowledgeBase(entities={}, claims=built, pages={}, sources=sources)


def long_quotes(count: int) -> None:
    kb = build_long(count)
    start = time.perf_counter()
    found = check_quotes(kb)
    took = time.perf_counter() - start
    hinted = sum("closest passage in the abstract is" in (d.hint or "") for d in found)
    skipped = sum("was not looked up" in (d.hint or "") for d in found)
    print(f"{count:,} long unfindable quotes (~2,000 characters, each against its own ~19,000-character abstract): "
          f"check_quotes {took:.2f} s ({took / count * 1e3:.0f} ms/quote; {hinted} hints with a passage, "
          f"{skipped} not looked up: the run's budget was spent)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--found-only", action="store_true", help="skip the run where every quote is wrong")
    parser.add_argument("--long", type=int, default=0, metavar="N",
                        help="only time N long unfindable quotes (issue 18, finding 13: 20 took 43 s)")
    args = parser.parse_args()
    if args.long:
        long_quotes(args.long)
        return
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
