"""Parse what an editor types after `kb add`: a DOI or a PMID, bare, prefixed or as a URL.

Pure functions, no network: a malformed identifier is refused here, before any
request is made, with a message that quotes it and shows the accepted forms.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Literal

#: the DOI syntax the bibliography check accepts (10.<registrant>/<suffix>, no spaces)
DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")
PMID_PATTERN = re.compile(r"[1-9]\d{0,8}")
PMCID_PATTERN = re.compile(r"PMC\d{1,9}")

_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(.+)", re.IGNORECASE)
_PUBMED_URL = re.compile(r"https?://(?:pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed)/(\d+)/?"
                         r"(?:[?#].*)?", re.IGNORECASE)

FORMS = ("doi:10.1136/bjsports-2014-094085, https://doi.org/10.1136/bjsports-2014-094085, "
         "pmid:25392420 or https://pubmed.ncbi.nlm.nih.gov/25392420/")


class IdentifierError(ValueError):
    """The text is not a DOI or PMID in any accepted form."""


@dataclass(frozen=True)
class Identifier:
    kind: Literal["doi", "pmid"]
    value: str  # a DOI without prefix (case kept), or a PMID of digits

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def parse_identifier(text: str) -> Identifier:
    """'doi:10.1/x', 'https://doi.org/10.1/x', 'pmid:123', a PubMed URL, or a bare DOI or PMID."""
    raw = text.strip()
    if not raw:
        raise IdentifierError(f"no identifier given; use one of: {FORMS}")
    lowered = raw.lower()
    if lowered.startswith("pmid:"):
        return _pmid(raw[5:].strip(), raw)
    match = _PUBMED_URL.fullmatch(raw)
    if match:
        return _pmid(match.group(1), raw)
    if lowered.startswith("doi:"):
        return _doi(raw[4:].strip(), raw)
    match = _DOI_URL.fullmatch(raw)
    if match:
        return _doi(urllib.parse.unquote(match.group(1)), raw)
    if raw.isdigit():
        return _pmid(raw, raw)
    if raw.startswith("10."):
        return _doi(raw, raw)
    raise IdentifierError(f"'{raw}' is not a DOI or PMID; use one of: {FORMS}")


def _doi(value: str, raw: str) -> Identifier:
    if not DOI_PATTERN.fullmatch(value):
        raise IdentifierError(f"'{raw}' is not a DOI: a DOI looks like 10.NNNN/suffix "
                              "(e.g. doi:10.1136/bjsports-2014-094085)")
    return Identifier("doi", value)


def _pmid(value: str, raw: str) -> Identifier:
    if not PMID_PATTERN.fullmatch(value):
        raise IdentifierError(f"'{raw}' is not a PMID: a PMID is a number of 1 to 9 digits (e.g. pmid:25392420)")
    return Identifier("pmid", value)
