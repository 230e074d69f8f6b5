"""Fetch a work's metadata: Crossref for a DOI, NCBI E-utilities for a PMID.  httpx lives here only.

Returns the raw response text; `metadata.py` parses and checks it (everything
from the network is untrusted).  Every failure, from no network to a 404, is a
`FetchError` with a sentence an editor can act on.  The connect timeout is short
so that a machine without network fails at once instead of hanging.
"""

from __future__ import annotations

import os
import urllib.parse

import httpx

from generator.commands.identifiers import Identifier

CROSSREF = "https://api.crossref.org/works/"
EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_BYTES = 5_000_000  # a work's record is a few kB; refuse anything absurd


class FetchError(Exception):
    """The metadata could not be fetched; the message says why and what to do."""


def user_agent() -> str:
    """Crossref asks for a contact address (its 'polite pool'): KB_MAILTO adds one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("kb-generator")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        ours = "0"
    mailto = os.environ.get("KB_MAILTO", "").strip()
    return f"kb-generator/{ours}" + (f" (mailto:{mailto})" if mailto else "")


def fetch(identifier: Identifier) -> str:
    """The response body for *identifier*: Crossref JSON for a DOI, PubMed XML for a PMID."""
    if identifier.kind == "doi":
        url = CROSSREF + urllib.parse.quote(identifier.value, safe="/:;()")
        params: dict[str, str] = {}
        service = "Crossref"
    else:
        url = EFETCH
        params = {"db": "pubmed", "id": identifier.value, "retmode": "xml", "tool": "kb-generator"}
        if os.environ.get("KB_MAILTO", "").strip():
            params["email"] = os.environ["KB_MAILTO"].strip()
        service = "PubMed (NCBI E-utilities)"
    host = urllib.parse.urlsplit(url).hostname
    try:
        with httpx.Client(timeout=TIMEOUT, headers={"User-Agent": user_agent()}, follow_redirects=True) as client:
            response = client.get(url, params=params)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # no network, or a firewall that drops packets
        raise FetchError(f"cannot reach {host} ({_reason(exc)}): is there a network connection? "
                         "Without one, add the entry by hand or use `kb add --from FILE.json` "
                         "with CSL-JSON exported from Zotero") from None
    except httpx.TimeoutException:
        raise FetchError(f"{service} did not answer in time ({host}); try again later") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"the request to {service} failed: {_reason(exc)}") from None
    if response.status_code == 404:
        raise FetchError(f"{service} does not know {identifier}: check the identifier "
                         "(copy it from the article's page)")
    if response.status_code == 429:
        raise FetchError(f"{service} asks us to slow down (HTTP 429); wait a minute and try again")
    if response.status_code >= 400:
        raise FetchError(f"{service} answered HTTP {response.status_code} for {identifier}; try again later")
    if len(response.content) > MAX_BYTES:
        raise FetchError(f"{service} sent {len(response.content):,} bytes for one record; refusing it")
    return response.text


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
