"""When to use a second process, and how kb forks, waits for and stops its children: one place.

Four jobs can use the machine's second core: parsing the bibliography while
content/ loads, formatting references, reading claim histories, rendering pages
(and the MkDocs plugin's page writer, engines/page_workers.py).  All of them
fork, so that the children share the parent's data without pickling it.
Forking is only safe in a process without other threads (a thread holding a
lock at the moment of the fork leaves that lock held forever in the child), so
under `mkdocs serve`, whose server runs threads, everything stays in one process.

Why not multiprocessing.Pool: a pool shares locks with its workers (its task
queue's read lock) and stops them with SIGTERM.  A worker that inherited kb's
own SIGTERM handler (which raises `Interrupted` in Python) can miss that signal
while it blocks on the lock the terminating pool holds for good: the build then
hangs in `Pool.__exit__` (issue 18).  Here every child

* starts with DEFAULT signal handling (SIGTERM, SIGINT, SIGHUP), reset right
  after the fork, before any other code runs in it, so any signal ends it;
* shares nothing with the parent but one pipe, over which it sends its pickled
  result and exits with `os._exit` (never returning into the caller's stack);
* is waited for with a deadline (CHILD_TIMEOUT): a stuck child is killed and
  the build fails with a clear error instead of waiting forever;
* is registered until reaped, so `stop_children()` can end and reap every child
  before anything they might write into (a staging folder) is removed.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import selectors
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from generator.core.errors import KbError

#: seconds a child may take before it is taken for stuck (a chunk of a 10,000-claim build takes seconds)
CHILD_TIMEOUT = 900.0
#: seconds a whole engine run (ProperDocs, Zensical: their own processes) may take (10,000 claims: minutes)
ENGINE_TIMEOUT = 3600.0
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
#: every child forked here and not yet reaped
_CHILDREN: set[int] = set()


class ChildFailed(KbError):
    """A forked child crashed, was killed or did not finish in time (exit 2: kb could not run)."""


def workers() -> int:
    """How many processes to use: 1 when forking is unavailable or unsafe here."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def default_signals() -> None:
    """In a child: SIGTERM, SIGINT and SIGHUP kill it outright again (a parent's ignore is kept)."""
    for sig in _SIGNALS:
        if callable(signal.getsignal(sig)):
            signal.signal(sig, signal.SIG_DFL)


def fork(run: Callable[[int], int]) -> tuple[int, int]:
    """Fork a child that calls run(write_fd) and leaves through os._exit(its return value).

    Returns (pid, read_fd) in the parent.  The child never returns from this function.
    """
    read_end, write_end = os.pipe()
    # Signals wait while the child is forked: the parent registers it before a SIGTERM can unwind the
    # parent's stack (else the child would be unknown to stop_children), and the child resets its
    # handlers before a signal can reach kb's own handler in it.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        pid = os.fork()
        if pid == 0:
            code = 70  # EX_SOFTWARE, should run() itself fail
            try:
                default_signals()
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                os.close(read_end)
                _CHILDREN.clear()  # the parent's other children are not this child's
                done = run(write_end)
                code = done if isinstance(done, int) else 70
            except BaseException:  # noqa: BLE001 - whatever happens, never return into the parent's code
                pass
            finally:
                os._exit(code)
        _CHILDREN.add(pid)
    finally:
        os.close(write_end)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return pid, read_end


def _exited_within(pid: int, timeout: float) -> bool:
    """Whether the child exits within *timeout* seconds (waited for through a pidfd, without polling)."""
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (not Linux, or an old kernel): poll
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
            time.sleep(0.01)
        return False
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(handle, selectors.EVENT_READ)
            return bool(selector.select(timeout))
    finally:
        os.close(handle)


def reap(pid: int, timeout: float = CHILD_TIMEOUT) -> int:
    """Wait (at most *timeout* seconds, then SIGKILL) for a child; its exit code (negative: a signal)."""
    try:
        if not _exited_within(pid, timeout):
            os.kill(pid, signal.SIGKILL)
        status = os.waitpid(pid, 0)[1]
    except (ChildProcessError, ProcessLookupError):  # reaped already
        _CHILDREN.discard(pid)
        return 0
    # only now: a signal that stops the wait above leaves the child registered, for stop_children
    _CHILDREN.discard(pid)
    return os.waitstatus_to_exitcode(status)


def kill(pid: int) -> None:
    """End a child now and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    _CHILDREN.discard(pid)


def stop_children() -> None:
    """Kill and reap every child still running: call before removing anything they may write into."""
    for pid in sorted(_CHILDREN):
        kill(pid)


def read_all(read_end: int, deadline: float, what: str) -> bytes:
    """Everything a child writes into its pipe, until it closes it; ChildFailed after *deadline*."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(read_end, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise ChildFailed(f"{what} did not finish within {CHILD_TIMEOUT:.0f} s; it was stopped")
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _send(func: Callable[..., Any], args: tuple[Any, ...]) -> Callable[[int], int]:
    def run(write_end: int) -> int:
        try:
            outcome: tuple[bool, Any] = (True, func(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its text
            text = "".join(traceback.format_exception_only(outcome[1])).strip() if not outcome[0] else "a result " \
                "that cannot be sent back"
            data = pickle.dumps((False, ChildFailed(f"a worker process failed: {text}")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        return 0 if outcome[0] else 1
    return run


def _collect(pid: int, data: bytes, what: str) -> Any:
    code = reap(pid, timeout=10.0)  # it closed its pipe: it is exiting
    if not data:
        raise ChildFailed(f"{what} ended without a result (exit code {code})")
    ok, value = pickle.loads(data)  # noqa: S301 - our own child's data, through our own pipe
    if not ok:
        raise value
    return value


class Child:
    """One forked process computing func(*args); `result()` waits for it with a deadline."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.pid, self.read_end = fork(_send(func, args))
        self.started = time.monotonic()

    def result(self, timeout: float = CHILD_TIMEOUT) -> Any:
        try:
            data = read_all(self.read_end, self.started + timeout, "a worker process")
        except BaseException:
            self.stop()
            raise
        os.close(self.read_end)
        self.read_end = -1
        return _collect(self.pid, data, "a worker process")

    def stop(self) -> None:
        kill(self.pid)
        if self.read_end >= 0:
            os.close(self.read_end)
            self.read_end = -1


def fork_map(func: Callable[..., Any], items: Sequence[tuple[Any, ...]], processes: int | None = None,
             timeout: float = CHILD_TIMEOUT) -> list[Any]:
    """[func(*item) for item in items], each item in a fresh forked child, *processes* at a time.

    A fresh child per item carries no caches or garbage from one item into the next.  An
    exception in a child is raised here; a child stuck longer than *timeout* is killed
    (ChildFailed).  On any way out (an error, Ctrl-C, SIGTERM) every child is killed and reaped.
    """
    processes = max(1, processes or workers())
    results: list[Any] = [None] * len(items)
    running: dict[int, tuple[int, int, float, list[bytes]]] = {}  # read fd -> (index, pid, started, chunks)
    following = 0
    selector = selectors.DefaultSelector()
    try:
        while following < len(items) or running:
            while following < len(items) and len(running) < processes:
                pid, read_end = fork(_send(func, tuple(items[following])))
                running[read_end] = (following, pid, time.monotonic(), [])
                selector.register(read_end, selectors.EVENT_READ)
                following += 1
            oldest = min(started for _i, _p, started, _c in running.values())
            left = oldest + timeout - time.monotonic()
            if left <= 0:
                raise ChildFailed(f"a worker process did not finish within {timeout:.0f} s; it was stopped")
            for key, _events in selector.select(left):
                read_end = int(key.fd)
                index, pid, _started, chunks = running[read_end]
                chunk = os.read(read_end, 1 << 20)
                if chunk:
                    chunks.append(chunk)
                    continue
                selector.unregister(read_end)
                os.close(read_end)
                del running[read_end]
                results[index] = _collect(pid, b"".join(chunks), "a worker process")
        return results
    finally:
        for read_end, (_index, pid, _started, _chunks) in running.items():
            kill(pid)
            os.close(read_end)
        selector.close()
