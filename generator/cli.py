"""The `kb` command line (click).  Exit codes: 0 ok, 1 problems found, 2 could not run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator.config import load_settings


def _root(value: str) -> Path:
    root = Path(value).resolve()
    if not root.is_dir():
        click.echo(f"kb: no such folder: {value}", err=True)
        sys.exit(2)
    return root


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kb-generator")
def main() -> None:
    """Evidence knowledge base: check claim files and references.bib, build the site."""


@main.command()
@click.option("--root", default=".", show_default=True, help="Project folder (holds content/ and references.bib).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(root: str, fmt: str, strict: bool) -> None:
    """Report every problem of the knowledge base in one run."""
    from generator.check import run_check
    from generator.report import render_report

    path = _root(root)
    settings, problems = load_settings(path)
    result = run_check(path, settings, problems)
    click.echo(render_report(result, fmt))
    sys.exit(1 if result.failed(strict) else 0)


@main.command()
@click.option("--root", default=".", show_default=True)
@click.option("--out", default=None, help="Output folder (default: <root>/site).")
@click.option("--strict", is_flag=True, help="Fail on warnings too (as CI does).")
@click.option("--pages-only", "pages_only", default=None, metavar="DIR",
              help="Only write the generated Markdown pages to DIR (for Zensical, ProperDocs, ...).")
def build(root: str, out: str | None, strict: bool, pages_only: str | None) -> None:
    """Check, generate the pages and build the site; refuses to build when there are errors."""
    from generator.mkdocs_build import BuildFailed, build_site
    from generator.pipeline import generate
    from generator.report import render_report
    from generator.site import OutputError, write_pages

    path = _root(root)
    settings, problems = load_settings(path)
    if pages_only:
        generated = generate(path, settings, strict=strict, progress=lambda m: click.echo(f"kb: {m}", err=True))
        if generated.result.failed(strict):
            click.echo(render_report(generated.result, "text"), err=True)
            click.echo("kb: not building: fix the errors above first.", err=True)
            sys.exit(1)
        try:
            updated = write_pages(generated.files, path, Path(pages_only).resolve())
        except OutputError as exc:
            click.echo(f"kb: {exc}", err=True)
            sys.exit(2)
        if updated is None:
            click.echo(f"Wrote {len(generated.files)} files to {pages_only}")
        else:
            click.echo(f"Updated {pages_only}: {updated[0]} files rewritten, {updated[1]} removed, "
                       f"{len(generated.files) - updated[0]} unchanged")
        return
    from generator.check import run_check

    result = run_check(path, settings, problems)
    if result.failed(strict):
        click.echo(render_report(result, "text"), err=True)
        click.echo("kb: not building: fix the errors above first.", err=True)
        sys.exit(1)
    target = Path(out).resolve() if out else path / "site"
    click.echo(f"kb: {len(result.kb.claims)} claims, {len(result.kb.sources)} sources checked; building {target} ...",
               err=True)
    try:
        handoff: list[object] = [result]
        del result  # the plugin frees the knowledge base once the pages exist (memory at 10k claims)
        build_site(path, target, strict=strict, progress=lambda m: click.echo(m, err=True), result=handoff)
    except OutputError as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(2)
    except BuildFailed as exc:
        click.echo(f"kb: the site build failed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"kb: site built in {target}", err=True)


@main.command()
@click.option("--root", default=".", show_default=True)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(root: str, dev_addr: str) -> None:
    """Preview the site; rebuilds when content/ or references.bib changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.config_safety import UnsafeConfig, refuse_unsafe_config

    path = _root(root)
    try:
        refuse_unsafe_config(path)
    except UnsafeConfig as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(2)
    mkdocs_serve(config_file=str(path / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)


@main.command()
@click.argument("kind", type=click.Choice(["claim", "injury", "risk-factor", "intervention", "page"]))
@click.argument("item_id", metavar="ID")
@click.option("--root", default=".", show_default=True)
@click.option("--title", default=None, help="Title (entities, pages) or statement (claims).")
@click.option("--injury", "injuries", multiple=True, help="Injury id (claims; repeatable).")
@click.option("--risk-factor", "risk_factors", multiple=True, help="Risk factor id (claims; repeatable).")
@click.option("--intervention", "interventions", multiple=True, help="Intervention id (claims; repeatable).")
@click.option("--source", "sources", multiple=True, help="BibTeX key cited as evidence (claims; repeatable).")
def new(kind: str, item_id: str, root: str, title: str | None, injuries: tuple[str, ...],
        risk_factors: tuple[str, ...], interventions: tuple[str, ...], sources: tuple[str, ...]) -> None:
    """Write a valid skeleton for a new claim, entity or page (never overwrites)."""
    from generator.scaffold import ScaffoldError, new_item

    path = _root(root)
    options: dict[str, object] = {"title": title}
    if kind == "claim":
        options.update(injuries=injuries, risk_factors=risk_factors, interventions=interventions, sources=sources)
    try:
        written = new_item(path, kind, item_id, **options)
    except ScaffoldError as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Created {written.relative_to(path).as_posix()}")


@main.command(name="fmt")
@click.option("--root", default=".", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if the file would change.")
def fmt_command(root: str, check_only: bool) -> None:
    """Normalize references.bib (field order, indentation, DOIs without prefix), losing nothing."""
    from generator.fmt import FormatError, fmt_file

    path = _root(root) / "references.bib"
    if not path.is_file():
        click.echo("kb: references.bib is missing", err=True)
        sys.exit(2)
    try:
        changed = fmt_file(path, check_only)
    except (FormatError, UnicodeDecodeError) as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(2)
    if check_only and changed:
        click.echo("references.bib would be reformatted (run `kb fmt`)")
        sys.exit(1)
    click.echo("references.bib reformatted" if changed else "references.bib already formatted")


@main.command()
@click.argument("revision")
@click.option("--root", default=".", show_default=True)
def diff(revision: str, root: str) -> None:
    """Claims added, removed or changed since a git revision, as Markdown for a PR comment."""
    from generator.diff import DiffError, diff_markdown

    path = _root(root)
    settings, _problems = load_settings(path)
    try:
        click.echo(diff_markdown(path, revision, settings), nl=False)
    except DiffError as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.option("--out", default="schema", show_default=True, help="Folder for the JSON Schemas.")
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the files on disk are out of date.")
def schema(out: str, check_only: bool) -> None:
    """Write the JSON Schemas of claim, entity and page front matter."""
    from generator.schema import json_schema

    folder = Path(out)
    stale = []
    for kind in ("claim", "entity", "page"):
        text = json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        target = folder / f"{kind}.schema.json"
        if check_only:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(target.as_posix())
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if stale:
        click.echo("kb: out of date: " + ", ".join(stale) + " (run `kb schema`)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
