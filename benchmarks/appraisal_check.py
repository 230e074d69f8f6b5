"""How long the issue-19 work takes: appraisal checks, effect checks and forest plots.

Builds a synthetic knowledge base in memory (no files): N claims, each citing
three sources with an appraisal (RoB 2, five domains) and one result each, the
effect quote located in an abstract of about 1,800 characters, and a statement
holding two numbers.  Prints the time of `check_appraisals` (unknown-source,
unknown-effect, quote-not-found and effect-not-in-quote on every result,
incomplete-abstract), `check_effects` (rob-mismatch, imprecision-mismatch,
no-difference-wording, untraced-number) and of drawing one forest plot per claim.

    .venv/bin/python benchmarks/appraisal_check.py [--claims 10000]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.checks.appraisal_checks import check_appraisals  # noqa: E402
from generator.checks.effect_checks import check_effects  # noqa: E402
from generator.core.model import (DOWNGRADE_DOMAINS, ROB_TOOLS, UPGRADE_DOMAINS, Appraisal, Claim,  # noqa: E402
                                  DomainJudgement, Effect, Evidence, Grade, Judgement, KnowledgeBase, Located,
                                  Source)
from generator.pages.forest import Row, forest_svg  # noqa: E402

WORDS = ("runners", "injury", "risk", "load", "weekly", "volume", "tendon", "bone", "stress", "rest", "trial",
         "cohort", "hazard", "ratio", "confidence", "interval", "novice", "training", "pain", "return")


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 22))).capitalize() + "."


def build(claims: int, seed: int = 1) -> KnowledgeBase:
    rng = random.Random(seed)
    sources: dict[str, Source] = {}
    appraisals: dict[str, Appraisal] = {}
    built: dict[str, Claim] = {}
    grade = Grade(start="high", judgements=tuple(Judgement(d) for d in DOWNGRADE_DOMAINS + UPGRADE_DOMAINS))
    for i in range(claims):
        evidence = []
        for j in range(3):
            key = f"s{i}-{j}"
            estimate = round(rng.uniform(0.5, 2.0), 2)
            low, high = round(estimate * 0.7, 2), round(estimate * 1.4, 2)
            quote = f"The hazard ratio was {estimate} (95% CI {low} to {high})."
            sentences = [_sentence(rng) for _ in range(13)] + [quote]
            sources[key] = Source(key, "article", {"title": key, "abstract": " ".join(sentences)})
            effect = Effect("result", "Injury", "A vs. B", "HR", estimate, low, high, None, 100, "1 year", None,
                            quote, "abstract", line=14, quote_line=20)
            domains = tuple(DomainJudgement(n, rng.choice(("low", "some-concerns")), "Reason.") for n in ROB_TOOLS["rob-2"])
            appraisals[key] = Appraisal(key, _dt.date(2026, 1, 1), True, None, "rob-2", None, domains,
                                        rng.choice(("low", "some-concerns")), (effect,), "", f"content/sources/{key}.md")
            evidence.append(Evidence(key, "supports", "abstract", quote, line=7 + j, effect="result"))
        built[f"c{i}"] = Claim(id=f"c{i}", statement=f"Claim {i} with 95 and {evidence[0].quote.split()[4]}.",
                               type="intervention", certainty="high", reviewed=_dt.date(2026, 1, 1),
                               evidence=tuple(evidence), injuries=("x",), grade=grade,
                               where=Located(f"content/claims/c{i}.md", {"statement": 2}))
    return KnowledgeBase(entities={}, claims=built, pages={}, sources=sources, appraisals=appraisals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    kb = build(args.claims)
    for name, run in (("check_appraisals", lambda: check_appraisals(kb)),
                      ("check_effects", lambda: check_effects(kb, "nl"))):
        started = time.perf_counter()
        found = run()
        print(f"{name}: {time.perf_counter() - started:.2f} s for {args.claims:,} claims, "
              f"{len(kb.appraisals):,} appraisals ({len(found):,} diagnostics)")
    started = time.perf_counter()
    for claim in kb.claims.values():
        rows = [Row(ev.source, *(lambda e: (e.estimate, e.ci_low, e.ci_high))(kb.appraisals[ev.source].effects[0]),
                    "1,00 (0,50 tot 2,00)") for ev in claim.evidence]
        forest_svg(rows, "HR", True, 1.0, "nl", "bosplot-1")
    print(f"forest_svg: {time.perf_counter() - started:.2f} s for {args.claims:,} plots of 3 rows")


if __name__ == "__main__":
    main()
