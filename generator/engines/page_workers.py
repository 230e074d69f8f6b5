"""Write the generated pages with the theme in two processes (MkDocs and ProperDocs builds).

After the rendering rewrite, the largest single part of a `kb build` is the theme:
Material's templates wrap every page (a few ms each, thousands of pages), one page
after the other in one process.  On a machine with a second core the plugin forks,
at `on_env` (every page is read and converted, nothing is written yet), a child that
writes every second generated page with the same environment, navigation and
`_build_page` MkDocs uses itself, while the parent writes the rest.  In the parent
the child's pages render an empty template (MkDocs then writes nothing for them),
so every plugin event still runs there, in the same order: the search index, the
progress lines and the `<head>` additions are the parent's, as in a one-process
build, and the site is byte-identical (tests/test_page_workers.py).

Only pages the generator prepared go to the child (their HTML does not depend on
anything a plugin learns while writing other pages), and only when every plugin in
mkdocs.yml is one we know keeps no state between pages: an unknown plugin, `kb
serve`, a thread in the process, or a machine with one core keeps the usual single
process.  The child reports its warnings (re-logged by the parent, so a strict
build still counts them) and any error through a pipe, and always ends with
`os._exit`: it never returns into MkDocs or the `kb` command.
"""

from __future__ import annotations


import json
import logging
import os
import time
import traceback
from typing import Any

import jinja2

from generator.core import parallel
from generator.engines import internals

#: plugins (mkdocs.yml names) whose page events keep no state a second process would miss
SAFE_PLUGINS = frozenset({"kb", "search", "material/search", "offline", "material/offline"})
#: below this many generated pages the fork costs more than it saves
MIN_PAGES = 64
#: what the parent renders for a page the child writes: nothing (MkDocs then writes no file)
ELSEWHERE = "kb-written-by-the-second-process.html"


class PageWorkers:
    """One forked child writing a share of the pages; the parent waits for it at post_build."""

    def __init__(self, pid: int, read_end: int, theirs: set[str], build_log: logging.Logger) -> None:
        self.pid, self.read_end, self.theirs, self.build_log = pid, read_end, theirs, build_log
        self.started = time.monotonic()
        self.quiet = _QuietSkips(theirs)
        build_log.addFilter(self.quiet)

    def finish(self) -> str | None:
        """Wait for the child (never for ever); re-log its warnings here; return its error, if it had one."""
        try:
            data = parallel.read_all(self.read_end, self.started + parallel.CHILD_TIMEOUT,
                                     "the second process that writes pages")
        except parallel.ChildFailed as exc:
            self.stop()
            return str(exc)
        os.close(self.read_end)
        code = parallel.reap(self.pid, timeout=10.0)  # it closed its pipe: it is exiting
        self.build_log.removeFilter(self.quiet)
        try:
            report = json.loads(data.decode("utf-8")) if data else {}
        except ValueError:
            report = {}
        for message in report.get("warnings", []):
            self.build_log.warning(message)
        if report.get("error") or code != 0:
            return report.get("error") or f"the second process that writes pages ended with exit code {code}"
        return None

    def stop(self) -> None:
        """The build failed in the parent: end the child and leave no zombie behind."""
        self.build_log.removeFilter(self.quiet)
        parallel.kill(self.pid)
        try:
            os.close(self.read_end)
        except OSError:  # already closed by finish()
            pass


def start(config: Any, env: jinja2.Environment, files: Any, nav: Any, prepared: set[str]) -> PageWorkers | None:
    """Fork a child that writes every second prepared page; None if this build stays in one process."""
    if nav is None or parallel.workers() < 2 or not _plugins_known(config):
        return None
    engine = type(config).__module__.split(".")[0]  # mkdocs, or properdocs when ProperDocs runs the plugin
    reach = internals.page_builder(engine)  # None on an MkDocs kb was not tested on: one process
    if reach is None:
        return None
    build_page, inclusion = reach
    doc_files = files.documentation_pages(inclusion=inclusion.is_included)
    ours = [f for f in doc_files if f.src_uri in prepared and f.page is not None]
    if len(ours) < MIN_PAGES:
        return None
    theirs = {f.src_uri for f in ours[::2]}
    # the child (default signal handling: any SIGTERM ends it) writes its pages, reports, and leaves
    # through os._exit without ever returning into MkDocs; the parent stops and reaps it before a
    # failed build removes the staging folder (output/site.remove_staging)
    pid, read_end = parallel.fork(lambda write_end: _child(build_page, config, env, nav, doc_files, theirs, write_end))
    for f in ours:
        if f.src_uri in theirs:
            f.page.meta = {**f.page.meta, "template": ELSEWHERE}
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: ""}), env.loader])  # type: ignore[list-item]
    return PageWorkers(pid, read_end, theirs, internals.build_log(engine))


def _plugins_known(config: Any) -> bool:
    return all(name in SAFE_PLUGINS for name in config.plugins)


def _child(build_page: Any, config: Any, env: jinja2.Environment, nav: Any, doc_files: Any, theirs: set[str],
           write_end: int) -> int:
    capture = _Capture()
    for logger in [logging.getLogger(), *(lg for lg in logging.root.manager.loggerDict.values()
                                          if isinstance(lg, logging.Logger))]:
        if logger.handlers:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.addHandler(capture)
    logging.getLogger().addHandler(capture)
    error = None
    try:
        for file in doc_files:
            if file.src_uri in theirs:
                build_page(file.page, config, doc_files, nav, env, False, excluded=file.inclusion.is_excluded())
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        error = f"{type(exc).__name__}: {exc}" if str(exc) else "".join(traceback.format_exception_only(exc)).strip()
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(json.dumps({"warnings": capture.messages, "error": error}).encode("utf-8"))
    return 1 if error else 0


class _Capture(logging.Handler):
    """The child's warnings, in order, once each (a record can reach several loggers' handlers)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.seen: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) not in self.seen:
            self.seen.add(id(record))
            self.messages.append(record.getMessage())


class _QuietSkips(logging.Filter):
    """MkDocs says 'Page skipped ... Generated empty output' for each page the child writes: not news."""

    def __init__(self, theirs: set[str]) -> None:
        super().__init__()
        self.theirs = theirs

    def filter(self, record: logging.LogRecord) -> bool:
        return internals.skipped_page(record.getMessage()) not in self.theirs
