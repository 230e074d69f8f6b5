"""The editors' paths, which no writing command may touch.

Every command that writes (build --out, --pages-only, schema --out, fmt, the
site swap) asks `refuse_protected` first.  Paths are compared after
`os.path.realpath` on both sides, so a symlink cannot smuggle a write into
content/ (`content -> ../data/content`, then `--out content/site`) or onto
references.bib (`schema/claim.schema.json -> ../references.bib`).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.core.errors import OutputError

#: what editors own, relative to the project root (content/ with everything under it)
EDITOR_PATHS = ("content", "references.bib", "pyproject.toml", "mkdocs.yml", ".git", "overrides")


def real(path: Path) -> Path:
    """The path with every symlink of its existing part resolved (the part that does not exist yet is kept)."""
    try:
        return Path(os.path.realpath(path))
    except ValueError as exc:  # an embedded NUL: no file system can hold that name
        raise OutputError(f"{str(path)!r} is not a possible file name ({exc})") from exc


def protected_paths(root: Path) -> dict[Path, str]:
    """Real path -> the name editors know it by, for every editor-owned path of *root*.

    Both the path as written and its real target are listed: `content` may be a
    symlink to a folder elsewhere, and both places are the editors'.
    """
    out: dict[Path, str] = {}
    for name in EDITOR_PATHS:
        lexical = Path(os.path.abspath(root / name))
        out[lexical] = name
        out[real(lexical)] = name
    return out


def owners(root: Path, target: Path) -> list[str]:
    """The editor paths that *target* is, or lies inside, as written or after resolving symlinks."""
    where = real(target)
    try:
        lexical = Path(os.path.abspath(target))
    except ValueError as exc:
        raise OutputError(f"{str(target)!r} is not a possible file name ({exc})") from exc
    found = []
    for path, name in protected_paths(root).items():
        if any(candidate == path or path in candidate.parents for candidate in (where, lexical)):
            found.append(name)
    return sorted(set(found))


def owner(root: Path, target: Path) -> str | None:
    """The first editor path that *target* is or lies inside; None when it is free."""
    found = owners(root, target)
    return found[0] if found else None


def refuse_protected(root: Path, target: Path, *, allow: tuple[str, ...] = ()) -> None:
    """Raise OutputError when writing *target* would write into an editor's file or folder.

    *allow* names the editor paths the caller is entitled to change (only `kb fmt`, for
    references.bib); a target that is also another editor path (references.bib as a
    symlink to pyproject.toml) is still refused.
    """
    names = [n for n in owners(root, target) if n not in allow]
    if names:
        shown = target if not target.is_symlink() else f"{target} (a link to {real(target)})"
        raise OutputError(f"refusing to write {shown}: it is, or is inside, {names[0]}, which belongs to the editors",
                          "Choose an output folder outside content/ and the project's own files.")
