"""The `kb` command line (click).  Exit codes: 0 ok, 1 problems found, 2 could not run.

Refusals are raised as `generator.core.errors.KbError` (and OSError from the paths
the user gave, and SIGTERM/SIGHUP) and turned into a message and an exit code
in one place, `KbGroup.invoke`; the commands themselves catch nothing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from generator.intake.site_settings import project_settings
from generator.core.errors import Interrupted, KbError, OutputError
from generator.core.terminal import printable


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """The one place kb's text leaves for a terminal: unprintable characters escaped (core/terminal.py)."""
    click.echo(printable(message, keep="\n"), err=err, nl=nl)


def _root(value: str) -> Path:
    try:
        root = Path(value).resolve()
    except ValueError as exc:  # an embedded NUL
        raise KbError(f"no such folder: {value!r}") from exc
    if not root.is_dir():
        raise KbError(f"no such folder: {value}")
    return root


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGTERM and SIGHUP unwind the stack like Ctrl-C, so staging folders and temporary files are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise Interrupted(signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]  # no SIGHUP on Windows
    previous = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(message: str, hint: str | None = None) -> None:
    echo(f"kb: {message}", err=True)
    if hint:
        echo(f"    hint: {hint}", err=True)


class KbGroup(click.Group):
    """The one place where refusals become a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _signals_unwind():
                return super().invoke(ctx)
        except KbError as exc:
            _say(str(exc), exc.hint)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # a path the user gave that cannot be read or written (/proc/x, a file as folder)
            where = f"{exc.filename}: " if exc.filename else ""
            _say(f"{where}{exc.strerror or exc}", "Check the path and its permissions.")
            ctx.exit(2)
        except Interrupted as exc:
            _say(f"stopped by {signal.Signals(exc.signum).name}; temporary files were removed")
            ctx.exit(128 + exc.signum)


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kb-generator")
def main() -> None:
    """Evidence knowledge base: check claim files and references.bib, build the site."""


@main.command()
@click.option("--root", default=".", show_default=True, help="Project folder (holds content/ and references.bib).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--retractions", default=None, metavar="FILE",
              help="The Retraction Watch CSV: report retracted and corrected sources.")
@click.option("--since", default=None, metavar="REV",
              help="Also report commits after git revision REV that change content without a 'Reden:' trailer.")
def check(root: str, fmt: str, strict: bool, retractions: str | None, since: str | None) -> None:
    """Report every problem of the knowledge base in one run."""
    import dataclasses

    from generator.checks.check import run_check
    from generator.checks.report import render_report

    path = _root(root)
    settings, problems = project_settings(path)  # mkdocs.yml's settings count as in a build
    if retractions:
        settings = dataclasses.replace(settings, retractions=str(Path(retractions).resolve()))
    if since:
        from generator.changes.reasons import ReasonsError, reason_diagnostics

        try:
            problems = list(problems) + reason_diagnostics(path, since, settings.language)
        except ReasonsError as exc:
            raise KbError(f"--since: {exc}") from exc
    result = run_check(path, settings, problems)
    echo(render_report(result, fmt))
    sys.exit(1 if result.failed(strict) else 0)


@main.command()
@click.option("--root", default=".", show_default=True)
@click.option("--out", default=None, help="Output folder (default: <root>/site).")
@click.option("--strict", is_flag=True, help="Fail on warnings too (as CI does).")
@click.option("--pages-only", "pages_only", default=None, metavar="DIR",
              help="Only write the generated Markdown pages to DIR (for Zensical, ProperDocs, ...).")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default="mkdocs",
              show_default=True, help="Which engine builds the site (see README, \"Engines\").")
def build(root: str, out: str | None, strict: bool, pages_only: str | None, engine: str) -> None:
    """Check, generate the pages and build the site; refuses to build when there are errors."""
    from generator.checks.check import run_check
    from generator.checks.report import render_report
    from generator.engines import require
    from generator.engines.build import build as build_site, prepare
    from generator.output.site import check_output_dir, write_pages
    from generator.pages.pipeline import generate

    path = _root(root)
    if pages_only:
        check_output_dir(path, Path(pages_only).absolute())  # before the work, not after
        # the plan of every engine: the same refusals (SITE_URL, mkdocs.yml, content/) and the same
        # settings ([tool.kb], then mkdocs.yml's site_url, repo_url, language, plugin options over them)
        plan = prepare(path)
        generated = generate(path, plan.settings, strict=strict, progress=lambda m: echo(f"kb: {m}", err=True),
                             result=run_check(path, plan.settings, plan.problems))
        if generated.result.failed(strict):
            echo(render_report(generated.result, "text"), err=True)
            echo("kb: not building: fix the errors above first.", err=True)
            sys.exit(1)
        updated = write_pages(generated.files, path, Path(pages_only).absolute())
        if updated is None:
            echo(f"Wrote {len(generated.files)} files to {pages_only}")
        else:
            echo(f"Updated {pages_only}: {updated[0]} files rewritten, {updated[1]} removed, "
                       f"{len(generated.files) - updated[0]} unchanged")
        return
    # not resolved here: the guard must see `content/x` as written as well as where it leads
    target = Path(out).absolute() if out else path / "site"
    check_output_dir(path, target)  # refuse before the work, not after
    require(engine)  # a missing engine is named (with its pip package) before any work
    plan = prepare(path)  # refusals and settings, the same for every engine (generator/engines/build.py)
    if plan.settings.cms:
        from generator.pages.cms_admin import script_files

        script_files()  # the browser editor's script is missing: say so (with what to run) before any work
    result = run_check(path, plan.settings, plan.problems)
    if result.failed(strict):
        echo(render_report(result, "text"), err=True)
        echo("kb: not building: fix the errors above first.", err=True)
        sys.exit(1)
    echo(f"kb: {len(result.kb.claims)} claims, {len(result.kb.sources)} sources checked; building {target} ...",
               err=True)
    handoff: list[object] = [result]
    del result  # the plugin frees the knowledge base once the pages exist (memory at 10k claims)
    build_site(path, target, engine=engine, strict=strict, progress=lambda m: echo(m, err=True),
               result=handoff, plan=plan)
    echo(f"kb: site built in {target}", err=True)


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False))
def finish(site_dir: str) -> None:
    """Sanitize the generated content of a site another engine built from `--pages-only` pages."""
    from generator.output.finish import finish_site

    changed = finish_site(Path(site_dir), {})
    echo(f"kb: finished {site_dir} ({changed} pages changed)")


@main.command()
@click.option("--root", default=".", show_default=True)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(root: str, dev_addr: str) -> None:
    """Preview the site; after an edit, rebuilds only the pages it changes (see generator/pages/incremental.py)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.engines.mkdocs_build import ResolvedConfigStream
    from generator.intake.config_safety import refuse_unsafe_config

    path = _root(root)
    refuse_unsafe_config(path)  # an UnsafeConfig is a KbError: KbGroup reports it (exit 2)
    # "dirty": MkDocs writes only the pages the kb plugin marks as changed.  MkDocs warns that a dirty
    # build may leave navigation stale (fatal in strict mode); the plugin rebuilds every page whenever
    # an edit could change the navigation, so that warning does not apply here.
    from generator.engines.internals import build_log

    build_log("mkdocs").addFilter(_DirtyBuildIsIntended())  # MkDocs' build logger: named in internals.py
    logging.getLogger("mkdocs").addHandler(_EscapedLog())  # MkDocs' messages name content files: escaped too
    # MkDocs never parses mkdocs.yml: it reads kb's resolved configuration, again after every edit
    mkdocs_serve(config_file=ResolvedConfigStream(path), dev_addr=dev_addr, livereload=True,  # type: ignore[arg-type]
                 build_type="dirty")


class _EscapedLog(logging.Handler):
    """MkDocs' warnings during `kb serve`, through the one echo (in place of Python's last-resort handler)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        echo(f"{record.levelname}: {record.getMessage()}", err=True)


class _DirtyBuildIsIntended(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from generator.engines.internals import DIRTY_BUILD

        return DIRTY_BUILD not in record.getMessage()


@main.command()
@click.argument("kind", type=click.Choice(["claim", "injury", "risk-factor", "intervention", "page", "source"]))
@click.argument("item_id", metavar="ID")
@click.option("--root", default=".", show_default=True)
@click.option("--title", default=None, help="Title (entities, pages) or statement (claims).")
@click.option("--injury", "injuries", multiple=True, help="Injury id (claims; repeatable).")
@click.option("--risk-factor", "risk_factors", multiple=True, help="Risk factor id (claims; repeatable).")
@click.option("--intervention", "interventions", multiple=True, help="Intervention id (claims; repeatable).")
@click.option("--source", "sources", multiple=True, help="BibTeX key cited as evidence (claims; repeatable).")
def new(kind: str, item_id: str, root: str, title: str | None, injuries: tuple[str, ...],
        risk_factors: tuple[str, ...], interventions: tuple[str, ...], sources: tuple[str, ...]) -> None:
    """Write a valid skeleton for a new claim, entity or page, or the form of a study appraisal
    (`kb new source KEY`: content/sources/KEY.md for a key of references.bib). Never overwrites."""
    from generator.commands.scaffold import new_item

    path = _root(root)
    options: dict[str, object] = {"title": title}
    if kind == "claim":
        options.update(injuries=injuries, risk_factors=risk_factors, interventions=interventions, sources=sources)
    written = new_item(path, kind, item_id, **options)
    echo(f"Created {written.relative_to(path).as_posix()}")


@main.command(name="fmt")
@click.option("--root", default=".", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if the file would change.")
def fmt_command(root: str, check_only: bool) -> None:
    """Normalize references.bib (field order, indentation, DOIs without prefix), losing nothing."""
    from generator.commands.fmt import fmt_file

    path = _root(root) / "references.bib"  # read by fmt_file through the reader: missing, a link, a FIFO...
    changed = fmt_file(path, check_only)
    if check_only and changed:
        echo("references.bib would be reformatted (run `kb fmt`)")
        sys.exit(1)
    echo("references.bib reformatted" if changed else "references.bib already formatted")


@main.command()
@click.argument("identifier", required=False)
@click.option("--from", "from_file", default=None, metavar="FILE.json",
              help="Add the works of a CSL-JSON export (Zotero, Better BibTeX) instead.")
@click.option("--root", default=".", show_default=True)
def add(identifier: str | None, from_file: str | None, root: str) -> None:
    """Add a source to references.bib from its DOI or PMID (doi:..., pmid:..., or a doi.org/PubMed URL)."""
    from generator.commands.add import AddError, Bibliography, DuplicateError, add_works, check_identifier, read_export
    from generator.commands.identifiers import IdentifierError, parse_identifier
    from generator.commands.metadata import MetadataError, from_crossref, from_csl_file, from_pubmed

    path = _root(root)
    if (identifier is None) == (from_file is None):
        echo("kb: give one DOI or PMID (e.g. `kb add doi:10.1136/bjsports-2014-094085`), "
                   "or --from FILE.json", err=True)
        sys.exit(2)
    try:
        bib = Bibliography(path)
        if from_file is not None:
            works = from_csl_file(read_export(from_file))  # the reader's bounds: no device, FIFO, huge file
        else:
            from generator.commands.fetch_metadata import FetchError, fetch

            parsed = parse_identifier(identifier or "")
            check_identifier(bib, parsed)
            try:
                body = fetch(parsed)
            except FetchError as exc:
                echo(f"kb: {exc}. Nothing was changed.", err=True)
                sys.exit(2)
            works = [from_crossref(body) if parsed.kind == "doi" else from_pubmed(body)]
        added = add_works(bib, works)
    except DuplicateError as exc:
        echo(f"kb: {exc}. Nothing was changed.", err=True)
        sys.exit(1)
    except (IdentifierError, MetadataError, AddError) as exc:
        echo(f"kb: {exc}. Nothing was changed.", err=True)
        sys.exit(2)
    except OSError as exc:  # e.g. references.bib or its folder is read-only
        echo(f"kb: cannot write references.bib: {exc.strerror or exc}. Nothing was changed.", err=True)
        sys.exit(2)
    for item in added:
        echo(item.entry)
        for note in item.notes:
            echo(f"kb: note: {note}", err=True)
        echo(f"kb: added '{item.key}' to references.bib. Check the fields against the article, add "
                   f"design = {{...}} and population = {{...}}, then cite it: "
                   f"kb new claim ID --source {item.key}", err=True)


@main.command()
@click.argument("revision")
@click.option("--root", default=".", show_default=True)
def diff(revision: str, root: str) -> None:
    """Claims added, removed or changed since a git revision, as Markdown for a PR comment."""
    from generator.commands.diff import diff_markdown

    path = _root(root)
    settings, _problems = project_settings(path)
    echo(diff_markdown(path, revision, settings), nl=False)


@main.command()
@click.option("--out", default="schema", show_default=True, help="Folder for the JSON Schemas.")
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the files on disk are out of date.")
def schema(out: str, check_only: bool) -> None:
    """Write the JSON Schemas of claim, entity, page and source (appraisal) front matter (the project is the current folder)."""
    from generator.core.protected import real, refuse_protected
    from generator.core.writer import make_dirs, write_file
    from generator.intake.reader import Refused, read_bytes
    from generator.intake.schema_json import SCHEMA_KINDS, json_schema

    folder = Path(out).absolute()
    project = Path.cwd()
    stale = []
    for kind in SCHEMA_KINDS:
        text = json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        target = folder / f"{kind}.schema.json"
        if check_only:
            try:  # through the reader: a FIFO or a link in its place is out of date, not waited on
                current = read_bytes(target, limit=len(text.encode("utf-8")), links=False)
            except Refused:
                current = None
            if current != text.encode("utf-8"):
                stale.append(target.as_posix())
            continue
        refuse_protected(project, folder)
        refuse_protected(project, target)  # also where a symlinked schema file leads
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise OutputError(f"refusing to write {target}: it is not a plain file ({real(target)})")
        make_dirs(folder, root=project)
        write_file(target, text, root=project)  # a hard link to an editor's file keeps its content
    if stale:
        echo("kb: out of date: " + ", ".join(stale) + " (run `kb schema`)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
