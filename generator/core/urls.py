"""Where every generated page lives, and relative links between them.

Any BibTeX key must get a page, including keys with ':', '/' and '.', and
two different keys must never share one.  A key that is already a clean
slug is used as is (readable URLs for the common case); any other key gets
its slug plus a short hash of the exact key, which keeps keys that slugify
alike ('Smith:2020' and 'smith-2020') apart.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re

from slugify import slugify

from generator.core.ids import ID_PATTERN, RESERVED


def _hash(key: str, length: int) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def source_slugs(keys: list[str] | set[str] | tuple[str, ...]) -> dict[str, str]:
    """Map every key to a distinct, URL-safe slug (deterministic, order-independent)."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    clean = sorted(k for k in keys if ID_PATTERN.match(k) and k not in RESERVED and len(k) <= 80)
    for key in clean:
        slugs[key] = key
        taken.add(key)
    for key in sorted(set(keys) - set(clean)):
        base = slugify(key, max_length=60) or "ref"
        length = 8
        slug = f"{base}-{_hash(key, length)}"
        while slug in taken:  # astronomically rare, but never share a page
            length += 4
            slug = f"{base}-{_hash(key, length)}"
        slugs[key] = slug
        taken.add(slug)
    return slugs


@functools.lru_cache(maxsize=65536)
def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL path (relative to the site root) MkDocs gives the page *src* ('claims/x.md')."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base + ("" if directory_urls else "index.html")
    return stem + "/" if directory_urls else stem + ".html"


@functools.lru_cache(maxsize=262144)
def relative_url(from_src: str, to_src: str, directory_urls: bool = True, fragment: str | None = None) -> str:
    """A relative URL from the page *from_src* to the page (or file) *to_src*."""
    target = page_url(to_src, directory_urls) if to_src.endswith(".md") else to_src
    here = page_url(from_src, directory_urls)
    here_dir = here if here.endswith("/") or here == "" else posixpath.dirname(here) + "/"
    if ".." in target.split("/") or "." in target.split("/"):
        rel = _relpath(target, here_dir)
    else:  # generated paths are normal: strip the common folders (what relpath does, without its normpath)
        up = [p for p in here_dir.split("/") if p]
        down = target.split("/")
        common = 0
        while common < len(up) and common < len(down) - 1 and up[common] == down[common]:
            common += 1
        rel = "/".join([".."] * (len(up) - common) + down[common:]) or "./"
        if rel.endswith("/") and rel.rstrip("/") == "":
            rel = "./"
    if rel.startswith("./") and rel != "./":
        rel = rel[2:]
    return rel + (f"#{fragment}" if fragment else "")


def _relpath(target: str, here_dir: str) -> str:
    rel = posixpath.relpath("/" + (target or ""), "/" + here_dir) if target else posixpath.relpath("/", "/" + here_dir)
    if target.endswith("/") or target == "":
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


@functools.lru_cache(maxsize=262144)
def relative_md(from_src: str, to_src: str) -> str:
    """A relative link between two Markdown sources, as an editor would write it."""
    here = posixpath.dirname(from_src)
    # fast paths for the shapes generated pages have (same result as relpath, 5x cheaper)
    if not here:
        return to_src
    if "/" not in here and ".." not in to_src.split("/"):
        return to_src[len(here) + 1:] if to_src.startswith(here + "/") else "../" + to_src
    return posixpath.relpath(to_src, here)


#: the characters of a URL (RFC 3986) but the quote and the backslash; no spaces, no <>"`{}|^, no controls
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*")


def address_problem(value: object) -> str | None:
    """Why *value* is not a plain http(s) address to publish, or None (empty: no address, which is fine).

    The one rule for every address the site claims (site_url / $SITE_URL, repo_url): they go into
    canonical links, JSON-LD and the feed, so only a plain http(s) address with a host passes.
    `kb build` refuses with this reason; `web_address` keeps only what passes.
    """
    from urllib.parse import urlsplit

    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return f"expected a text, got {type(value).__name__}"
    if not _URL_CHARS.fullmatch(value):
        bad = next(ch for ch in value if not _URL_CHARS.fullmatch(ch))
        return (f"it contains {bad!r}, which has no place in an address "
                "(quotes, angle brackets, spaces and control characters are refused; "
                "write an international domain name in its xn-- form)")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError as exc:
        return f"it cannot be read as an address ({exc})"
    if parts.scheme not in ("http", "https"):
        return "it must start with https:// (or http://)"
    if not host:
        return "it has no host name"
    if parts.query or parts.fragment:
        return "a site address has no ?query or #fragment"
    return None


def web_address(value: object, *, folder: bool = False) -> str | None:
    """*value* if it is a plain http(s) address with a host (see `address_problem`), else None.

    None means nothing claims an address.  *folder* adds the trailing slash a base address needs.
    """
    if not isinstance(value, str) or not value or address_problem(value) is not None:
        return None
    if folder and not value.endswith("/"):
        value += "/"
    return value
