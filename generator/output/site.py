"""Where a site or the `--pages-only` pages may go, and how they get there (through core/writer.py).

Guards the editors' work: output never goes to the project root, content/,
a folder that holds the editors' files, or a non-empty folder we did not
create (we mark our own with MARKER).  A site is built into a temporary
sibling folder and swapped in only on success, so a failed build keeps the
last good site.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.core import parallel
from generator.core.errors import OutputError
from generator.core.protected import EDITOR_PATHS, real, refuse_protected
from generator.core.writer import (MARKER, make_dirs, refuse_link_out, refuse_tracked, remove_file, remove_tree,
                                   staging_dir, swap_in, write_file, write_tree)
from generator.intake.reader import Refused, read_bytes
from generator.pages.files import OutputFile

__all__ = ["MARKER", "OutputError", "check_output_dir", "holds_links", "remove_staging", "staging_dir", "swap_in",
           "update_in_place", "write_files", "write_pages"]


def check_output_dir(root: Path, out: Path) -> None:
    """Refuse an output folder that is, holds or lies inside the editors' files (symlinks resolved)."""
    refuse_protected(root, out)
    refuse_link_out(root, out)  # `site -> /elsewhere` committed in the repository
    lexical = out
    root, out = real(root), real(out)
    if out == root:
        raise OutputError(f"refusing to write into the project root {root}; use e.g. --out site")
    for name in EDITOR_PATHS:
        item = real(root / name)
        if out in item.parents or out in (root / name).parents:
            raise OutputError(f"refusing to write into {out}: it holds {name}")
    if (out / "content").exists() or (out / "references.bib").exists() or (out / ".git").exists():
        raise OutputError(f"refusing to write into {out}: it looks like a project folder")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise OutputError(f"refusing to write into {out}: it is not empty and was not created by kb "
                              f"(no {MARKER} file); choose an empty or new folder")
    if os.path.lexists(lexical):
        refuse_tracked(lexical)  # `site -> docs` plus a committed docs/.kb-output: docs/ is not ours to replace


def write_files(files: list[OutputFile] | tuple[OutputFile, ...], folder: Path) -> None:
    """Write every file into *folder* (a fresh staging folder); see generator/core/writer.py."""
    write_tree(files, folder)


def remove_staging(staged: Path) -> None:
    """Remove a staging folder of a failed or stopped build, once no child of kb can still write into it.

    The children (the page writer, render workers) are killed and reaped first: removing the
    folder while one still writes left `.site.tmp-*` behind (issue 18, finding 16).
    """
    parallel.stop_children()
    remove_tree(staged, check_git=False)


def update_in_place(files: tuple[OutputFile, ...] | list[OutputFile], out: Path) -> tuple[int, int]:
    """Rewrite only the files whose text changed and remove the ones no longer generated.

    Used when *out* is a folder we made before: an edit to one claim then
    touches a handful of files, so watchers (mkdocs serve, rsync, CI caches)
    see only what really changed.  Returns (written, removed).
    """
    wanted: dict[Path, bytes] = {}
    for item in files:
        target = (out / item.path).resolve()
        if out.resolve() not in target.parents:
            raise OutputError(f"refusing to write {item.path} outside {out}")
        wanted[target] = item.data
    written = removed = 0
    for target, data in wanted.items():
        try:  # through the reader: a file larger than the new one, a FIFO or a link is simply rewritten
            if read_bytes(target, limit=len(data), links=False) == data:
                continue
        except Refused:
            pass
        make_dirs(target.parent)
        write_file(target, data)  # never writes into a file that is also another name (a hard link)
        written += 1
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in wanted and path.name != MARKER:
            remove_file(path)
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            remove_tree(path, check_git=False)  # empty, and the whole folder was checked before
    return written, removed


def holds_links(folder: Path) -> bool:
    """Whether anything under *folder* is a symlink (never followed: os.walk does not descend into them)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        if any(os.path.islink(os.path.join(dirpath, name)) for name in dirnames + filenames):
            return True
    return False


def write_pages(files: tuple[OutputFile, ...], root: Path, out: Path) -> tuple[int, int] | None:
    """`kb build --pages-only`: the plain Markdown pages, for any MkDocs-compatible builder.

    A folder kb made before is updated in place (only changed files are
    rewritten); anything else is built in a staging folder and swapped in.
    A kb folder that now holds a symlink (put there by someone else) is
    rebuilt whole: updating in place would write through the link.
    """
    check_output_dir(root, out)
    out = real(out)  # a symlinked output folder is updated where it really is, never replaced by a folder
    if (out / MARKER).is_file() and not os.path.islink(out / MARKER) and not holds_links(out):
        return update_in_place(files, out)
    staged = staging_dir(out)
    try:
        write_files(files, staged)
        swap_in(staged, out)
    except BaseException:
        remove_staging(staged)
        raise
    return None
