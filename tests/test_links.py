"""`kb check --strict` reports links that break on the site (issue 18, finding 18).

Before, three kinds passed: a destination in angle brackets with a space
(`[k](<../claims/hard surface.md>)`), a site-absolute link (`/claims/...`, which breaks under a
GitHub Pages project subpath) and an anchor no heading makes.  The anchors kb check reads from the
source are compared here with the ids of the built site, so the check and the renderer agree.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown.extensions.toc import slugify

from generator.commands.cli import main

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]
write_project, INJURY = kbproject.write_project, kbproject.INJURY

INJURY_PATH = "content/injuries/runners-knee.md"


def check(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--format", "json", *args])
    return result.exit_code, json.loads(result.output)["diagnostics"]


def codes(found: list[dict[str, object]], *wanted: str) -> list[tuple[object, object, object]]:
    return [(d["code"], d["line"], d["message"]) for d in found if d["code"] in wanted]


@pytest.mark.parametrize("text", ["Oefeningen thuis", "Café & crème", "Wat helpt (niet)?", "  spaties  rond ",
                                  "Über straße", "a_b-c d", "Stap 1: 2 × per dag", "Ærø", "—", "x--y", "A\tB"])
def test_toc_slug_is_python_markdowns(text: str) -> None:
    from generator.text.anchors import toc_slug

    assert toc_slug(text) == slugify(text, "-")


HEADINGS = ["Oefeningen thuis", "Café & *crème*", "Wat helpt (niet)?", "Met [een link](../claims/exercise-helps.md)",
            "Code `x = 1` erin", "Oefeningen thuis"]


def _body(links: str) -> str:
    heads = "\n\n".join(f"## {h}" for h in HEADINGS)
    return INJURY + f"\n{heads}\n\nSetext kop\n----------\n\n## Eigen id {{#mijn-id}}\n\n" \
        '<span id="html-id"></span>\n\n```markdown\n## Alleen in code\n```\n\n' + links + "\n"


GOOD = ["#oefeningen-thuis", "#oefeningen-thuis_1", "#cafe-creme", "#wat-helpt-niet", "#met-een-link",
        "#code-x-1-erin", "#setext-kop", "#mijn-id", "#html-id", "runners-knee.md#oefeningen-thuis",
        "../claims/exercise-helps.md#bewijs", "../claims/exercise-helps.md#bewijs-1",
        "../claims/exercise-helps.md#citaat-1", "../claims/exercise-helps.md#kb-claim",
        "../interventions/exercise-therapy.md#exercise-therapy"]
BAD = ["#nergens", "#alleen-in-code", "#Oefeningen-Thuis", "../claims/exercise-helps.md#nope",
       "../pages/about.md#x", "runners-knee.md#oefeningen"]


def test_anchors_kb_check_accepts_are_on_the_built_page(tmp_path: Path) -> None:
    """The check and the renderer agree: every anchor kb check accepts is an id in the site's HTML."""
    links = " ".join(f"[l{i}]({target})" for i, target in enumerate(GOOD))
    root = write_project(tmp_path / "project", injury=_body(links))
    _code, found = check(root, "--strict")
    assert codes(found, "missing-anchor") == []
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = {"content/injuries/runners-knee.md": out / "injuries" / "runners-knee" / "index.html",
             "content/claims/exercise-helps.md": out / "claims" / "exercise-helps" / "index.html",
             "content/interventions/exercise-therapy.md": out / "interventions" / "exercise-therapy" / "index.html"}
    for target in GOOD:
        path, _, fragment = target.partition("#")
        page = pages[{"": INJURY_PATH, "runners-knee.md": INJURY_PATH}.get(path, "content/" + path.lstrip("./"))]
        ids = set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
        assert fragment in ids, (target, sorted(ids))


def test_missing_anchors_are_reported_with_their_line(tmp_path: Path) -> None:
    links = "\n".join(f"[l{i}]({target})" for i, target in enumerate(BAD))
    root = write_project(tmp_path / "project", injury=_body(links))
    code, found = check(root, "--strict")
    missing = codes(found, "missing-anchor")
    assert code == 1
    body_start = _body("").count("\n") + 1 - 1  # the links start on the line after the body's fixed part
    assert [line for _c, line, _m in missing] == list(range(body_start, body_start + len(BAD)))
    assert all(f"'{target}'" in str(message) for (_c, _l, message), target in zip(missing, BAD))


@pytest.mark.parametrize("target", ["/claims/exercise-helps.md", "/claims/exercise-helps/", "/claims/exercise-helps",
                                    "/pages/about.md#x", "/", "/assets/x.png"])
def test_site_absolute_links_are_reported_with_a_relative_hint(tmp_path: Path, target: str) -> None:
    root = write_project(tmp_path / "project", injury=INJURY + f"\nSee [it]({target}).\n\n![i]({target})\n")
    code, found = check(root, "--strict")
    absolute = [d for d in found if d["code"] == "absolute-link"]
    assert code == 1
    assert [(d["file"], d["line"]) for d in absolute] == [(INJURY_PATH, INJURY.count("\n") + 2),
                                                         (INJURY_PATH, INJURY.count("\n") + 4)]
    if target.startswith("/claims/"):
        assert "'../claims/exercise-helps.md'" in str(absolute[0]["hint"])


@pytest.mark.parametrize("target", ["https://example.org/claims/x.md", "//example.org/claims/x.md",
                                    "mailto:a@b.org", "../claims/exercise-helps.md"])
def test_other_links_are_not_site_absolute(tmp_path: Path, target: str) -> None:
    root = write_project(tmp_path / "project", injury=INJURY + f"\nSee [it]({target}).\n")
    _code, found = check(root)
    assert codes(found, "absolute-link", "missing-anchor", "broken-link") == []


@pytest.mark.parametrize(("target", "broken"), [
    ("<../claims/hard surface.md>", True), ('<../claims/hard surface.md> "title"', True),
    ("<../injuries/no such.md#x>", True), ("<../claims/exercise-helps.md>", False),
    ("<../claims/exercise-helps.md#bewijs>", False),
])
def test_angle_bracket_destinations_are_checked(tmp_path: Path, target: str, broken: bool) -> None:
    root = write_project(tmp_path / "project", injury=INJURY + f"\nSee [k]({target}).\n")
    code, found = check(root, "--strict")
    assert bool(codes(found, "broken-link")) is broken
    assert (code == 1) is broken


def test_body_anchors_leave_code_out() -> None:
    from generator.text.anchors import body_anchors

    text = "## Echt\n\n```\n## Nep\n```\n\n`<a id=\"nep2\">` <a id=\"echt2\"></a>\n"
    assert body_anchors(text) == {"echt", "echt2"}
