"""What an editor may put in content/, decided once for `kb check` and the build.

A pull request can carry any file, and MkDocs publishes whatever is in its
docs folder as is: an `.html` or `.svg` file with script, a symlink to
/etc/passwd or /dev/zero, a file that replaces the theme's own JavaScript.
So content/ is an allow-list:

* Markdown (`.md`) directly inside the six content folders: claims/,
  injuries/, risk-factors/, interventions/, pages/, and sources/ (study appraisals,
  one per BibTeX key);
* raster images and PDFs (ALLOWED_ASSETS) anywhere else in content/, except
  under a folder the generator or the theme owns (layout.RESERVED_TOP_LEVEL),
  and only when their first bytes match their type (a `.png` that is really
  HTML could be sniffed as a page by an old browser).

Everything else is a diagnostic.  Symbolic links are allowed only to a file
inside content/ (the target is checked like any other file); a link to a
folder, out of content/, dangling or looping is `unsafe-path`, as are
devices, FIFOs and sockets.  Sizes are read from the file system before any
file is opened.  Dot-files (.gitkeep, .DS_Store) are neither published nor
reported, unless they are links or special files.

`scan_content` never opens a file except to read an asset's first bytes, and
never follows a link out of content/ or into a folder.  The MkDocs plugin publishes only
`ContentScan.assets` and refuses to build while any `unsafe-path` exists, so
switching these checks off in the settings cannot publish a foreign file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.diagnostics import Diagnostic, diag
from generator.core.errors import UnsafeContent
from generator.core.layout import CONTENT_FOLDERS, RESERVED_TOP_LEVEL
from generator.intake.reader import Refused, read_head

CONTENT_DIR = "content"

#: a content Markdown file: far more than any claim or page needs, far less than hurts
MAX_MARKDOWN_BYTES = 5 * 1024 * 1024
#: an image or PDF
MAX_ASSET_BYTES = 20 * 1024 * 1024

#: extension -> accepted first bytes (an offset and a prefix); None: the check is custom
ALLOWED_ASSETS: dict[str, tuple[tuple[int, bytes], ...]] = {
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
    ".gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    ".webp": ((8, b"WEBP"),),  # RIFF....WEBP, RIFF checked below
    ".avif": ((4, b"ftypavif"), (4, b"ftypavis")),
    ".pdf": ((0, b"%PDF-"),),
}
_RIFF = {".webp": b"RIFF"}
#: names under which MkDocs (and other tools) treat a file as a Markdown page
MARKDOWN_VARIANTS = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext",
                               ".text", ".rmd", ".mdx", ".qmd"})

_ALLOWED_TEXT = "Markdown (.md) in claims/, injuries/, risk-factors/, interventions/, pages/ or sources/, " \
                "and images (" + ", ".join(e for e in ALLOWED_ASSETS if e != ".pdf") + ") or PDFs"


@dataclass
class ContentScan:
    """The files of content/ sorted into what is loaded, published or refused."""

    markdown: dict[str, list[tuple[Path, str]]] = field(default_factory=dict)  # folder -> [(path, rel)]
    assets: list[str] = field(default_factory=list)  # content/... paths that are published as they are
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def unsafe(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.code == "unsafe-path"]


def _shown(text: str) -> str:
    """A name or link target as it may appear in a message: escaped when it holds a newline or control."""
    return text if text.isprintable() else repr(text)[1:-1]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _magic_ok(path: Path, ext: str) -> bool:
    try:  # the reading layer: a regular file (one that has become a FIFO since it was looked at is refused)
        head = read_head(path, 16)
    except Refused:
        return False
    riff = _RIFF.get(ext)
    if riff and not head.startswith(riff):
        return False
    return any(head[offset:offset + len(prefix)] == prefix for offset, prefix in ALLOWED_ASSETS[ext])


def scan_content(root: Path) -> ContentScan:
    """Walk root/content without following links; sort every entry.  Never raises on bad input."""
    scan = ContentScan(markdown={folder: [] for folder in CONTENT_FOLDERS})
    base = root / CONTENT_DIR
    if base.is_symlink():  # content -> / would make every check and build walk the whole disk
        scan.diagnostics.append(diag("unsafe-path", CONTENT_DIR, None, "content/ is a symbolic link "
                                     f"(to {_shown(os.readlink(base))}); nothing in it is read",
                                     "Make content/ a real folder holding the editors' files."))
        return scan
    if not base.is_dir():
        return scan
    real_base = os.path.realpath(base)

    def refuse(code: str, rel: str, message: str, hint: str) -> None:
        scan.diagnostics.append(diag(code, rel, None, message, hint))

    def link(item: os.DirEntry[str], rel: str) -> int | None:
        """The size of the file a link points to, or None (and a diagnostic) if it may not be followed."""
        try:
            info = os.stat(item.path)
        except OSError:
            refuse("unsafe-path", rel, f"the symbolic link {_shown(item.name)} points nowhere (dangling, or a loop)",
                   "Remove the link.")
            return None
        if not _inside(os.path.realpath(item.path), real_base):
            refuse("unsafe-path", rel, f"the symbolic link {_shown(item.name)} points outside content/ "
                   f"(to {_shown(os.readlink(item.path))})",
                   "Remove the link; copy the file into content/ if it belongs on the site.")
            return None
        if stat.S_ISDIR(info.st_mode):
            refuse("unsafe-path", rel, f"the symbolic link {_shown(item.name)} points to a folder",
                   "Remove the link; links to folders are not followed (they can loop).")
            return None
        if not stat.S_ISREG(info.st_mode):
            refuse("unsafe-path", rel, f"{_shown(item.name)} links to something that is not a regular file (a device, "
                   "FIFO or socket)", "Remove the link.")
            return None
        return info.st_size

    def classify(item: os.DirEntry[str], rel: str, parts: tuple[str, ...], size: int | None) -> None:
        name, shown = item.name, _shown(item.name)
        stem, dot, ext = name.rpartition(".")
        ext = f".{ext.lower()}" if dot and stem else ""
        if any(part.startswith(".") for part in parts) and ext not in MARKDOWN_VARIANTS:
            return  # .gitkeep, .DS_Store, .obsidian/: never published (Markdown gets its invalid-id)
        if ext in MARKDOWN_VARIANTS:
            if ext != ".md" or not name.endswith(".md"):
                refuse("unsupported-file", rel, f"'{shown}' is not read: content pages must end in .md",
                       f"Rename it to '{_shown(stem)}.md'.")
            elif len(parts) != 2 or parts[0] not in CONTENT_FOLDERS:
                refuse("unsupported-file", rel, "Markdown outside the content folders is not read or published",
                       "Move it into content/claims/, injuries/, risk-factors/, interventions/, pages/ or sources/ "
                       "(directly, not in a sub-folder).")
            else:  # its size is checked when it is read (content._load_one): no stat per file here
                scan.markdown[parts[0]].append((Path(item.path), rel))
            return
        if ext not in ALLOWED_ASSETS:
            kind = f"'{_shown(ext)}' files" if ext else "files without an extension"
            refuse("unsupported-file", rel, f"{kind} may not be added to content/ (they could carry script "
                   "or replace the site's own files)",
                   f"Editors may add {_ALLOWED_TEXT}. Remove the file, or convert an image to PNG or JPEG.")
            return
        if len(parts) > 1 and parts[0] in RESERVED_TOP_LEVEL and parts[0] not in CONTENT_FOLDERS:
            refuse("reserved-path", rel, f"content/{parts[0]}/ would be published where the site's own "
                   f"files live ({parts[0]}/)", "Put images and PDFs next to the page that uses them, "
                   "or in a folder such as content/media/.")
            return
        if size is None:
            size = item.stat(follow_symlinks=False).st_size
        if size > MAX_ASSET_BYTES:
            refuse("too-large", rel, f"the file is {size:,} bytes; the limit is {MAX_ASSET_BYTES:,}",
                   "Make it smaller (resize the image, compress the PDF).")
            return
        if not _magic_ok(Path(item.path), ext):
            refuse("unsupported-file", rel, f"'{shown}' is not really a {ext[1:].upper()} file (its first bytes "
                   "say otherwise)", "Save it again as a real image or PDF, or give it its true extension.")
            return
        scan.assets.append(rel)

    # os.scandir, not os.walk: its entries know their type without a system call per file (at 10,000
    # claims that is a third of the time), and links are never followed into folders. Dot-folders are
    # walked too: MkDocs walks them (following links) before it drops their files.
    stack: list[tuple[str, tuple[str, ...]]] = [(str(base), ())]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                items = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for item in items:
            parts = prefix + (item.name,)
            rel = "/".join((CONTENT_DIR,) + parts)
            try:
                if item.is_symlink():
                    size = link(item, rel)
                    if size is not None:
                        classify(item, rel, parts, size)
                elif item.is_dir(follow_symlinks=False):
                    subfolders.append((item.path, parts))
                elif item.is_file(follow_symlinks=False):
                    classify(item, rel, parts, None)
                else:
                    refuse("unsafe-path", rel, f"{_shown(item.name)} is not a regular file (a device, FIFO or socket)",
                           "Remove it; only ordinary files belong in content/.")
            except OSError as exc:  # vanished or unreadable while we looked
                refuse("unsafe-path", rel, f"the file cannot be read: {exc.strerror}", "Remove it.")
        stack.extend(reversed(subfolders))
    return scan


def publishable_assets(root: Path) -> set[str]:
    """Absolute paths of the images and PDFs that may be published; raise UnsafeContent first if needed.

    Not subject to the settings: a switched-off `unsafe-path` still stops every build.
    """
    scan = scan_content(root)
    if scan.unsafe:
        raise UnsafeContent("content/ holds links or special files that kb never follows (this check cannot "
                            "be switched off):\n" + "\n".join(f"  {d.file}: {d.message} [{d.code}]" for d in scan.unsafe))
    return {os.path.normpath(root / rel) for rel in scan.assets}
