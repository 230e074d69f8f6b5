"""Diagnostics as data: every problem the tool finds, with a stable code.

The registry `CODES` is the single list of codes; the documentation test
asserts each one is documented in docs/diagnostics.md, and validation code can
only emit codes listed here (``Diagnostic`` checks it), so code and docs
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class CodeInfo:
    severity: Severity
    summary: str


CODES: dict[str, CodeInfo] = {
    # Settings
    "invalid-setting": CodeInfo("error", "A kb setting is unknown, of the wrong type or out of range."),
    # Reading files
    "encoding": CodeInfo("error", "A file is not valid UTF-8."),
    "front-matter": CodeInfo("error", "A content file has no YAML front matter block."),
    "yaml-syntax": CodeInfo("error", "The YAML front matter cannot be parsed (or is too large or too deep)."),
    "duplicate-yaml-key": CodeInfo("error", "One key appears twice in the same YAML mapping (front matter or mkdocs.yml)."),
    "schema": CodeInfo("error", "A front-matter field is missing, unknown, of the wrong type or has a value that is not allowed."),
    "invalid-id": CodeInfo("error", "A file name is not a valid id (lowercase letters, digits, hyphens; no reserved names)."),
    "duplicate-id": CodeInfo("error", "One id is used by two files of content/."),
    "control-character": CodeInfo("error", "A front-matter value contains a control or invisible format character."),
    # What may be in content/ (generator/intake/content_files.py) and what mkdocs.yml may do
    "unsupported-file": CodeInfo("error", "A file in content/ of a type editors may not add, or in the wrong place."),
    "unsafe-path": CodeInfo("error", "A symbolic link out of content/ or to a folder, or a device, FIFO or socket."),
    "reserved-path": CodeInfo("error", "A file in content/ would be published where the theme or generator writes."),
    "too-large": CodeInfo("error", "A file is larger than its limit; it is refused by its size, unread."),
    "unsafe-config": CodeInfo("error", "mkdocs.yml uses a YAML tag or option that runs Python code, or cannot be resolved safely."),
    # Bibliography
    "missing-bibliography": CodeInfo("error", "references.bib is missing or empty."),
    "bib-syntax": CodeInfo("error", "A BibTeX block cannot be parsed."),
    "duplicate-key": CodeInfo("error", "Two BibTeX entries share a key."),
    "duplicate-field": CodeInfo("error", "A BibTeX entry repeats a field."),
    "missing-field": CodeInfo("error", "A BibTeX entry lacks a field its type requires."),
    "invalid-doi": CodeInfo("error", "A DOI does not have the form 10.NNNN/suffix."),
    "duplicate-doi": CodeInfo("error", "Two entries have the same DOI."),
    "invalid-pmid": CodeInfo("error", "A PMID is not a positive whole number."),
    "duplicate-pmid": CodeInfo("error", "Two entries have the same PMID."),
    "invalid-year": CodeInfo("error", "A year is not a four-digit year."),
    "invalid-design": CodeInfo("error", "A `design` field has a value outside the allowed study designs."),
    "possible-duplicate": CodeInfo("warning", "Two entries have the same normalized title and year."),
    "bib-control-character": CodeInfo("warning", "A bibliography field contains a control or invisible format "
                                      "character; the pages show the field without it."),
    "unused-reference": CodeInfo("warning", "A BibTeX entry is cited by no claim or page."),
    # Retractions (with a Retraction Watch file: kb check --retractions FILE)
    "retracted-source": CodeInfo("error", "The Retraction Watch data set lists the source as retracted."),
    "corrected-source": CodeInfo("warning", "The Retraction Watch data set lists a correction or an expression of concern for the source."),
    "retractions-file": CodeInfo("error", "The retractions file cannot be read or is not the Retraction Watch CSV."),
    "retractions-row": CodeInfo("warning", "Rows of the retractions file cannot be read."),
    # Claims and links
    "unknown-citation": CodeInfo("error", "Evidence cites a key that is not in references.bib."),
    "unknown-inline-citation": CodeInfo("error", "A body cites [@key] with a key that is not in references.bib."),
    "unknown-entity": CodeInfo("error", "A claim names an injury, risk factor or intervention that has no file."),
    "unknown-claim": CodeInfo("error", "`superseded_by` names a claim that does not exist."),
    "no-evidence": CodeInfo("error", "A claim has no evidence, or is about no entity."),
    "self-contradiction": CodeInfo("error", "One source both supports and contradicts the same claim."),
    "retracted-supports": CodeInfo("error", "A source marked `retracted = {yes}` is cited with the stance `supports`."),
    "broken-link": CodeInfo("error", "A relative link points to a file that does not exist."),
    "absolute-link": CodeInfo("warning", "A link starts at the site's root (/claims/...); it breaks under a subpath."),
    "missing-anchor": CodeInfo("warning", "A link names an anchor (#...) that no heading or id on its page makes."),
    "unterminated-html": CodeInfo("warning", "A body opens an HTML comment (<!--) that nothing closes."),
    "unsafe-html": CodeInfo("error", "Script, an event-handler attribute, or a javascript:/data: URL in content."),
    "external-resource": CodeInfo("warning", "Content loads an image or other resource from another host; the site drops it."),
    "stale-review": CodeInfo("warning", "A claim's `reviewed` date is older than the review threshold."),
    "stale-search": CodeInfo("warning", "An entity's `last_searched` date is older than the search threshold."),
    "future-date": CodeInfo("error", "A `reviewed` or `last_searched` date lies after today."),
    "unverified-source": CodeInfo("warning", "A claim rests only on sources marked unverified."),
    "orphan-entity": CodeInfo("warning", "An injury, risk factor or intervention that no claim is about."),
    # Quotes and GRADE profiles
    "unquoted-stance": CodeInfo("warning", "A supports/contradicts/qualifies evidence item without quote or locator."),
    "long-quote": CodeInfo("warning", "A quote longer than 60 words."),
    "quote-not-found": CodeInfo("error", "A quote located in the abstract does not occur in the entry's abstract."),
    "missing-grade": CodeInfo("warning", "A current claim has no `grade` block."),
    "grade-reason-missing": CodeInfo("error", "A GRADE judgement other than `no` (or `applicable: false`) without a reason."),
    "certainty-mismatch": CodeInfo("error", "`certainty` differs from the level the GRADE profile gives."),
    "certainty-design": CodeInfo("warning", "The profile starts high, but no cited source's design allows that."),
    # Study appraisals (content/sources/<key>.md) and the results claims cite
    "unknown-source": CodeInfo("error", "An appraisal file is named after a key that is not in references.bib."),
    "unknown-effect": CodeInfo("error", "An evidence item names an effect its source's appraisal does not record."),
    "effect-not-in-quote": CodeInfo("error", "A result's estimate, interval bound or SD is not in its quote."),
    "missing-interval": CodeInfo("warning", "A result recorded without `ci`, while its quote gives a confidence interval."),
    "incomplete-abstract": CodeInfo("warning", "A claim relies on a source whose stored abstract is marked incomplete."),
    "rob-mismatch": CodeInfo("error", "`risk_of_bias: no`, while most appraised sources are judged some-concerns or high."),
    "imprecision-mismatch": CodeInfo("warning", "`imprecision: no`, while a cited result's 95% interval includes no "
                                                "effect, or the source gives it no interval."),
    "no-difference-wording": CodeInfo("warning", "A \"no difference\" statement rests on a non-significant result without saying so."),
    "untraced-number": CodeInfo("warning", "A number in a statement that no quote, cited result or abstract carries."),
    # The pull-request check (kb check --since REV)
    "missing-reason": CodeInfo("warning", "A commit changes content without a `Reden:` trailer for readers."),
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem.  Sorted by file, line, code so reports are stable."""

    file: str
    line: int | None
    code: str
    message: str
    hint: str | None = None
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a programming error, not an input error
            raise ValueError(f"undocumented diagnostic code {self.code!r}")

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
        }


def diag(code: str, file: str, line: int | None, message: str, hint: str | None = None) -> Diagnostic:
    """Build a diagnostic with the code's default severity."""
    return Diagnostic(file=file, line=line, code=code, message=message, hint=hint, severity=CODES[code].severity)


def sort_key(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.file, d.line or 0, d.code, d.message)
