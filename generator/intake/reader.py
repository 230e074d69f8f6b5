"""Every byte kb reads from the repository is read here, with the same bounds.

A pull request can change any file, setting or git object, so no reader may trust
a name: `references.bib` can be a link to /etc/passwd, `retractions = "/dev/zero"`
names a file that never ends, an old version of a claim can be 300 MB of zeros.
Each reader below therefore

* opens the file once, without blocking and (unless links are allowed) without
  following a link, and decides on the OPENED file (fstat: no race with a swap):
  it must be a regular file (no device, FIFO, socket or folder);
* when a project folder is given, refuses a file whose real path (links resolved)
  lies outside it;
* refuses a file by its size before reading it, and still stops reading at the
  limit should the file grow meanwhile;
* streams what is large (the retractions CSV) instead of reading it whole;
* reads git objects by the sizes `git cat-file --batch-check` reports first, so an
  object larger than the limit, or one that is no blob (a submodule's commit), is
  never read, and parses `--batch` answers by those sizes.

A refusal is a `Refused` with a `kind` ("missing", "folder", "link", "outside", "special",
"too-large", "unreadable") and a message; the caller turns it into its own
diagnostic (the file's code and hint), so bad input is never a traceback.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
from pathlib import Path
from typing import BinaryIO, Literal

Kind = Literal["missing", "folder", "link", "outside", "special", "too-large", "unreadable"]


class Refused(Exception):
    """A file kb does not read, and why (message: for the editor, without the file's content)."""

    def __init__(self, kind: Kind, message: str, size: int | None = None) -> None:
        super().__init__(message)
        self.kind, self.message, self.size = kind, message, size

    def __str__(self) -> str:
        return self.message


def _inside(path: Path, root: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _open(path: Path, *, limit: int, root: Path | None, links: bool) -> tuple[int, int]:
    """(fd, size) of a regular file of at most *limit* bytes; Refused otherwise."""
    name = path.name
    if not links and path.is_symlink():
        raise Refused("link", f"{name} is a symbolic link; it is not read")
    if root is not None and not _inside(path, root):
        raise Refused("outside", f"{name} leads outside the project folder; it is not read")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if links else getattr(os, "O_NOFOLLOW", 0))
    try:
        handle = os.open(path, flags)
    except FileNotFoundError:
        raise Refused("missing", f"{name} does not exist") from None
    except OSError as exc:
        if not links and exc.errno == errno.ELOOP:
            raise Refused("link", f"{name} is a symbolic link; it is not read") from None
        raise Refused("unreadable", f"{name} cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise Refused("folder", f"{name} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Refused("special", f"{name} is not a regular file (a device, FIFO or socket); it is not read")
        if info.st_size > limit:
            raise Refused("too-large", f"{name} is {info.st_size:,} bytes; the limit is {limit:,}", info.st_size)
    except BaseException:
        os.close(handle)
        raise
    return handle, info.st_size


def read_bytes(path: Path, *, limit: int, root: Path | None = None, links: bool = False) -> bytes:
    """The whole file, within the bounds above (root: it must lie inside; links: may it be a link)."""
    handle, size = _open(path, limit=limit, root=root, links=links)
    with os.fdopen(handle, "rb") as stream:
        try:
            # by the size fstat gave (read(limit) would set aside *limit* bytes for a file of one line);
            # a file that grows meanwhile is read on, and still cut off at the limit
            data = stream.read(size + 1)
            if len(data) > size:
                data += stream.read(limit + 1 - len(data))
        except OSError as exc:
            raise Refused("unreadable", f"{path.name} cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise Refused("too-large", f"{path.name} is larger than the limit of {limit:,} bytes", len(data))
    return data


def read_head(path: Path, count: int, *, links: bool = True) -> bytes:
    """The first *count* bytes of a regular file (an image's signature), whatever its size."""
    handle, _size = _open(path, limit=2**63 - 1, root=None, links=links)
    try:
        return os.read(handle, count)
    except OSError as exc:
        raise Refused("unreadable", f"{path.name} cannot be read: {exc.strerror}") from None
    finally:
        os.close(handle)


class _Capped(io.RawIOBase):
    """A file read as a stream that ends (Refused) rather than pass *limit* bytes."""

    def __init__(self, handle: int, limit: int, name: str) -> None:
        self.handle, self.left, self.name_ = handle, limit, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.left <= 0:
            if os.read(self.handle, 1):
                raise Refused("too-large", f"{self.name_} grew past its limit while it was read")
            return 0
        data = os.read(self.handle, min(len(buffer), self.left))
        buffer[:len(data)] = data
        self.left -= len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            os.close(self.handle)
        super().close()


def open_stream(path: Path, *, limit: int, root: Path | None = None, links: bool = True) -> BinaryIO:
    """The file as a buffered binary stream (for large files read row by row), within the bounds above."""
    handle, _size = _open(path, limit=limit, root=root, links=links)
    return io.BufferedReader(_Capped(handle, limit, path.name), 1 << 16)  # type: ignore[return-value]


# --- git objects ---------------------------------------------------------------------------------

class GitError(Exception):
    """git is missing, or the command failed (not a repository, an unknown revision)."""


#: seconds any one git command may take before kb stops waiting for it (it is killed)
GIT_TIMEOUT = 600


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in *root*.  Fixed formats and options only: nothing an editor wrote reaches the command line."""
    command = ["git", "-C", str(root), "-c", "log.showSignature=false", "-c", "core.quotePath=false", *args]
    try:
        run = subprocess.run(command, input=stdin, capture_output=True, check=False, timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired as exc:  # never wait for ever on a child (it was killed)
        raise GitError(f"git {args[0] if args else ''} did not finish within {GIT_TIMEOUT} s") from exc
    except OSError as exc:  # git is not installed
        raise GitError(str(exc)) from exc
    if run.returncode != 0:
        raise GitError(run.stderr.decode("utf-8", "replace").strip())
    return run.stdout


#: ids per `git cat-file` process; content bytes per `--batch` answer (bounds the memory of one answer)
OBJECT_CHUNK = 4000
BATCH_BYTES = 64 * 1024 * 1024


def blob_sizes(root: Path, ids: list[str]) -> dict[str, int]:
    """The size of each id that names a blob (`git cat-file --batch-check`: nothing is read)."""
    sizes: dict[str, int] = {}
    for start in range(0, len(ids), OBJECT_CHUNK):
        chunk = ids[start:start + OBJECT_CHUNK]
        answer = git(root, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                     stdin="".join(f"{i}\n" for i in chunk).encode("ascii"))
        for line in answer.decode("ascii", "replace").splitlines():
            parts = line.split()  # "<id> blob <size>", or "<id> missing", "<id> ambiguous"
            if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
                sizes[parts[0]] = int(parts[2])
    return sizes


def read_blobs(root: Path, ids: list[str], *, limit: int) -> dict[str, bytes]:
    """The content of each blob of at most *limit* bytes; larger ones and non-blobs are left out.

    Sizes first, then the contents in batches of at most BATCH_BYTES (a few processes, each
    given a whole batch of ids at once: one round trip per id cost seconds at 10,000 versions).
    """
    sizes = blob_sizes(root, ids)
    wanted = [i for i in ids if sizes.get(i, limit + 1) <= limit]
    found: dict[str, bytes] = {}
    batch: list[str] = []
    total = 0
    for blob in wanted:
        if batch and (len(batch) >= OBJECT_CHUNK or total + sizes[blob] > BATCH_BYTES):
            found.update(_batch(root, batch, limit))
            batch, total = [], 0
        batch.append(blob)
        total += sizes[blob]
    if batch:
        found.update(_batch(root, batch, limit))
    return found


def _batch(root: Path, ids: list[str], limit: int) -> dict[str, bytes]:
    data = git(root, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode("ascii"))
    asked = set(ids)
    found: dict[str, bytes] = {}
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end < 0:
            break
        header = data[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[2].isdigit():  # "<id> <type> <size>", then the content and a newline
            size = int(header[2])
            name = header[0].decode("ascii", "replace")
            if header[1] == b"blob" and name in asked and size <= limit:
                found[name] = data[pos:pos + size]
            pos += size + 1
        # else "<id> missing" (e.g. beyond a shallow clone's edge): no content follows
    return found
