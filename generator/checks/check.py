"""The checking half of the pipeline: load everything, validate, apply settings."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator.intake.bibliography import BIB_FILE, load_bibliography
from generator.intake.config import Settings
from generator.intake.config_safety import config_problems
from generator.intake.content import load_content
from generator.core.diagnostics import Diagnostic, sort_key
from generator.core.model import KnowledgeBase
from generator.checks.validate import validate

#: warnings a claim may silence on itself with `suppress:`
CLAIM_SCOPED = {"stale-review", "unverified-source", "imprecision-mismatch", "no-difference-wording",
                "untraced-number", "incomplete-abstract"}


@dataclass(frozen=True)
class CheckResult:
    kb: KnowledgeBase
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def apply_settings(found: list[Diagnostic], settings: Settings, kb: KnowledgeBase) -> list[Diagnostic]:
    """Switch checks off, raise warnings to errors, honour per-claim suppressions."""
    by_path = {c.where.path: c for c in kb.claims.values()}
    out = []
    for d in found:
        if d.code in settings.disable:
            continue
        claim = by_path.get(d.file)
        if claim is not None and d.code in CLAIM_SCOPED and any(code == d.code for code, _ in claim.suppress):
            continue
        severity = settings.severity(d.code)
        out.append(d if d.severity == severity else dataclasses.replace(d, severity=severity))
    return sorted(set(out), key=sort_key)


def run_check(root: Path, settings: Settings, extra: list[Diagnostic] | None = None) -> CheckResult:
    """Load content/ and references.bib under *root* and check them.  Never raises on bad input."""
    sources, bib_diags, (entities, claims, pages, content_diags, assets, appraisals) = _load_both(root)
    kb = KnowledgeBase(entities=entities, claims=claims, pages=pages, sources=sources, bib_path=BIB_FILE,
                       assets=assets, appraisals=appraisals)
    found = list(extra or []) + config_problems(root) + bib_diags + content_diags + validate(kb, settings)
    if settings.retractions:
        found += _retractions(root, settings.retractions, kb)
    return CheckResult(kb, tuple(apply_settings(found, settings, kb)))


def _retractions(root: Path, name: str, kb: KnowledgeBase) -> list[Diagnostic]:
    """Match the bibliography against the Retraction Watch CSV named in the settings or on the command line."""
    from generator.checks.retractions import check_retractions

    relative = not Path(name).is_absolute()  # a path in the settings must stay inside the project
    path = (root / name) if relative else Path(name)
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        shown = name
    return check_retractions(kb.sources, kb.bib_path, path, shown, root if relative else None)


#: above this size (bytes of references.bib) the bibliography is parsed in a second process while
#: this one reads content/: the two are independent, and at 10k sources it saves about a second
PARALLEL_BIB_BYTES = 2_000_000


def _load_both(root: Path) -> tuple:
    """Load references.bib and content/, side by side on two cores when it pays."""
    from generator.core import parallel

    try:
        big = (root / BIB_FILE).stat().st_size >= PARALLEL_BIB_BYTES
    except OSError:
        big = False
    if not big or parallel.workers() < 2:
        sources, bib_diags = load_bibliography(root)
        return sources, bib_diags, load_content(root)
    pending = parallel.Child(load_bibliography, root)
    try:
        loaded = load_content(root)
    except BaseException:
        pending.stop()
        raise
    sources, bib_diags = pending.result()
    return sources, bib_diags, loaded
