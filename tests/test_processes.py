"""kb's own child processes never hang a build and never outlive it (issue 18: the hang, finding 16).

A build forks workers (rendering, history, references) and, on the MkDocs engines, a second
process that writes pages.  A user must be able to count on: a stopped build (SIGTERM, Ctrl-C)
leaves no process and no staging folder behind; a stuck or crashed worker ends the build with a
message instead of waiting forever; and a worker never keeps kb's own SIGTERM handler (a
Python-level handler can miss the SIGTERM that multiprocessing sends it, which hung builds).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.commands import cli
from generator.core import parallel
from generator.pages import render
from generator.pages.files import OutputFile

ROOT = Path(__file__).resolve().parent.parent
KB = str(Path(sys.executable).with_name("kb"))

needs_two = pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores and fork")


@pytest.fixture(autouse=True)
def _no_other_threads() -> None:
    """kb forks only while no other thread runs (parallel.workers): a thread an earlier test left
    running (a site server) would make these tests of two processes test one, and fail obscurely."""
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by earlier tests: {others}"


class _Reporter:
    """Stands in for a Renderer: each 'page' says how its worker process handles SIGTERM."""

    def render_task(self, kind: str, key: str) -> list[OutputFile]:
        handler = signal.getsignal(signal.SIGTERM)
        name = handler.name if isinstance(handler, signal.Handlers) else repr(handler)
        return [OutputFile(f"{kind}/{key}", f"{os.getpid()} {name}".encode())]


@needs_two
def test_render_workers_have_default_sigterm_handling_under_kb(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside `kb` (its SIGTERM handler installed) the render workers still die of SIGTERM outright."""
    tasks = [("page", str(i)) for i in range(render.PARALLEL_PAGES)]
    with cli._signals_unwind():
        assert callable(signal.getsignal(signal.SIGTERM))  # kb's handler, in this process
        pages = render.Renderer._render_all(_Reporter(), tasks)  # type: ignore[arg-type]
    reports = {page.data.decode() for page in pages}
    assert len(pages) == len(tasks)
    assert {r.split()[0] for r in reports} - {str(os.getpid())}, "the pages were not rendered in workers"
    assert {r.split()[1] for r in reports} == {"SIG_DFL"}


@needs_two
def test_history_and_reference_workers_have_default_sigterm_handling() -> None:
    wanted = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    with cli._signals_unwind():
        # a signal ignored where kb was started (SIGINT under `cmd &`, SIGHUP under nohup) stays
        # ignored, as Python itself keeps it; every handler of kb's own is gone in the child
        inherited = [signal.SIG_IGN if signal.getsignal(s) == signal.SIG_IGN else signal.SIG_DFL for s in wanted]
        got = parallel.fork_map(signal.getsignal, [(s,) for s in wanted])
    assert got == inherited


def _sleep_forever() -> None:
    while True:
        time.sleep(60)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is not alive: it is only waiting to be reaped
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _own_children() -> set[int]:
    mine = str(os.getpid())
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == mine and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def test_a_stuck_worker_is_stopped_with_a_message() -> None:
    before = _own_children()
    with pytest.raises(parallel.ChildFailed, match="did not finish within"):
        parallel.fork_map(_sleep_forever, [(), ()], 2, timeout=1.0)
    assert _own_children() - before == set()


def _crash() -> None:
    os._exit(3)


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("how", [_crash, _kill_self])
def test_a_worker_that_dies_fails_the_job_instead_of_hanging(how) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(parallel.ChildFailed, match="without a result"):
        parallel.fork_map(how, [()], 1, timeout=60.0)
    child = parallel.Child(how)
    with pytest.raises(parallel.ChildFailed):
        child.result(timeout=60.0)


def test_a_workers_exception_is_raised_in_the_parent() -> None:
    with pytest.raises(ZeroDivisionError):
        parallel.fork_map(divmod, [(1, 1), (1, 0)], 2)
    assert parallel.fork_map(divmod, [(7, 2), (9, 4), (1, 1)], 2) == [(3, 1), (2, 1), (1, 0)]


def _process_group(pgid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _as_from_a_terminal() -> None:
    """kb as a user starts it: SIGINT, SIGTERM and SIGHUP not ignored.  Under `make test &` or nohup
    the test process ignores SIGINT or SIGHUP, and kb, like Python, would inherit the ignore."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _shipped(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for item in ("content", "references.bib", "mkdocs.yml", "pyproject.toml"):
        (shutil.copytree if (ROOT / item).is_dir() else shutil.copy2)(ROOT / item, project / item)
    return project


@needs_two
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_while_the_second_process_writes_pages_leaves_nothing_behind(tmp_path: Path, sig: int) -> None:
    """Finding 16: the parent stops and reaps the page writer before it removes the staging folder."""
    project = _shipped(tmp_path)
    out = tmp_path / "out" / "site"
    build = subprocess.Popen([KB, "build", "--root", str(project), "--out", str(out)], stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, start_new_session=True, text=True,
                             preexec_fn=_as_from_a_terminal)
    try:
        assert build.stderr is not None
        seen = []
        for line in build.stderr:  # wait for the state the test is about: the second process is writing
            seen.append(line)
            if "a second process writes" in line:
                break
        else:
            pytest.fail("the build never started a second process:\n" + "".join(seen))
        build.send_signal(sig)
        rest = build.stderr.read()
        code = build.wait(timeout=120)
        stray = _process_group(build.pid)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert code == 128 + sig or code == -sig or (sig == signal.SIGINT and code in (1, 130)), rest
    assert stray == [], f"processes of the build still running after it exited: {stray}"
    assert sorted(p.name for p in out.parent.iterdir()) == [], "staging left behind"
    assert "Traceback" not in rest
