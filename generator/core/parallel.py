"""When to use a second process, decided in one place.

Three independent jobs can use the machine's second core: parsing the
bibliography while content/ loads, formatting references, rendering pages.
All three fork, so that the workers share the parent's data without
pickling it.  Forking is only safe in a process without other threads (a
thread holding a lock at the moment of the fork leaves that lock held
forever in the child), so under `mkdocs serve`, whose server runs threads,
everything stays in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def workers() -> int:
    """How many processes to use: 1 when forking is unavailable or unsafe here."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def fork_context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork")
