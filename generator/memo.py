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
_store: dict[tuple[str, str, bytes], object] | None = None


def enable() -> None:
    global _store
    if _store is None:
        _store = {}


def cached(kind: str, name: str, raw: bytes, parse: Callable[[], T]) -> T:
    """parse(), or what it returned for the same *kind*, *name* and bytes before."""
    if _store is None:
        return parse()
    key = (kind, name, hashlib.blake2b(raw, digest_size=16).digest())
    if key in _store:
        return _store[key]  # type: ignore[return-value]
    value = parse()
    stale = [k for k in _store if k[0] == kind and k[1] == name]  # one version per file
    for k in stale:
        del _store[k]
    _store[key] = value
    return value


def enabled() -> bool:
    return _store is not None
