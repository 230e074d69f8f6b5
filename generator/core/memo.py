"""Parsed files, kept by their exact bytes while `kb serve` runs: an edit re-parses only what it changed.

`kb check` and `kb build` read every file once and need no memory of them; `kb serve`
checks the whole knowledge base again after each edit, and parsing references.bib and
every content file is most of that time.  A parse depends only on the file's bytes (and
its name, which appears in diagnostics), so the key is (name, hash of the bytes): a
stale entry cannot be hit.  Off unless `enable()` is called (the plugin does, in serve mode).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_store: dict[tuple[str, str], tuple[bytes, object]] | None = None  # (kind, name) -> (digest, value)


def enable() -> None:
    global _store
    if _store is None:
        _store = {}


def cached(kind: str, name: str, raw: bytes, parse: Callable[[], T]) -> T:
    """parse(), or what it returned for the same *kind*, *name* and bytes before."""
    if _store is None:
        return parse()
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    known = _store.get((kind, name))
    if known is not None and known[0] == digest:
        return known[1]  # type: ignore[return-value]
    value = parse()
    _store[(kind, name)] = (digest, value)  # one version per file: keyed by name, so no scan for the old one
    return value


def enabled() -> bool:
    return _store is not None
