"""The browser editor, driven in Chromium through its own form, against decap-server on 127.0.0.1.

A scratch git clone of a small project is built with the setting `cms` on; decap-server (the local
backend Decap CMS ships, installed by npm from cms/package-lock.json) serves that clone in git mode,
so a save in the editorial workflow becomes a commit on a `cms/claims/<id>` branch, as on GitHub.
The built /admin/ looks for the local backend at localhost:8081; the test routes that to the
server's own port.  Every wait is for a state (a label, a branch), never for time.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from browser_support import CHROMIUM, MINI_PROJECT, SiteServer, build, kb_executable, launch_chromium, require
from generator.intake.content import _build
from generator.pages.cms_admin import SCRIPT, cms_project, dist_dir
from test_cms import _data

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
#: a claim with what the form must keep: bare GRADE words, a judged domain, participants, a body
EDITED = "content/claims/hsr-achilles.md"
EDITED_TEXT = """\
---
statement: "Zware langzame krachttraining vermindert achillespeesklachten even goed als excentrische training."
type: intervention
population: "Volwassenen met chronische klachten."
injuries: [achilles-tendinopathy]
interventions: [heavy-slow-resistance]
certainty: moderate
certainty_reason: "Eén RCT."
grade:
  start: high
  risk_of_bias: no
  inconsistency: no
  indirectness: no
  imprecision: {rating: serious, reason: "Eén kleine trial."}
  publication_bias: no
evidence:
  - source: beyer2015
    stance: supports
    participants: 58
    note: "Beide groepen verbeterden."
  - source: alfredson1998
    stance: mentions
reviewed: 2026-11-24
---
Uitleg [@beyer2015].
"""


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(GIT + list(args), cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, process: subprocess.Popen, log: Path) -> None:
    """Until decap-server answers (it says so at once, or its process ends): a state, not a delay."""
    request = json.dumps({"action": "info"}).encode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"decap-server stopped: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, request, {"Content-Type": "application/json"}),
                                        timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling the port; the loop ends on the state above
    pytest.fail("decap-server did not answer within 60 s")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    require((dist_dir() / SCRIPT).is_file(), "the CMS is not installed (make test runs npm ci in cms/)")
    server_js = cms_project() / "node_modules" / "decap-server" / "dist" / "index.js"
    require(server_js.is_file(), "decap-server is not installed (make test runs npm ci in cms/)")
    base = tmp_path_factory.mktemp("cms")
    project = base / "project"
    for rel, text in MINI_PROJECT.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (project / EDITED).write_text(EDITED_TEXT, encoding="utf-8")
    (project / "pyproject.toml").write_text("[tool.kb]\ncms = true\n", encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "Start")
    site = SiteServer(base / "site")
    build(project, base / "site")
    site.start()
    port = _free_port()
    log = base / "decap-server.log"
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="git", GIT_REPO_DIRECTORY=str(project),
               GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org", GIT_COMMITTER_NAME="Test",
               GIT_COMMITTER_EMAIL="test@example.org")
    with open(log, "w") as out:
        process = subprocess.Popen(["node", str(server_js)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_server(f"http://127.0.0.1:{port}/api/v1", process, log)
        for browser in launch_chromium():
            yield {"browser": browser, "site": site, "project": project, "port": port, "base": base}
    finally:
        process.terminate()
        process.wait(timeout=30)
        site.stop()


def _open(editor, path: str):
    page = editor["browser"].new_page(viewport={"width": 1300, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    local = f"http://127.0.0.1:{editor['port']}"
    page.route("http://localhost:8081/**",
               lambda route: route.fulfill(response=route.fetch(url=route.request.url.replace(
                   "http://localhost:8081", local))))
    page.goto(editor["site"].url + "admin/")
    page.get_by_role("button", name="Inloggen").click()
    page.goto(editor["site"].url + "admin/#/collections/claims/" + path)
    page.locator('[id^="statement-field-"]').wait_for(timeout=60000)
    return page, requests


def _pick(page, field: str, text: str, nth: int = 0) -> None:
    """Choose in one of Decap's select boxes: type the option's label, take the first match."""
    box = page.locator(f'[id^="{field}-field-"]').nth(nth)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def _save(page) -> None:
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Wijzigingen opgeslagen").wait_for(timeout=60000)


def _saved(project: Path, branch: str, rel: str) -> str:
    return _git(project, "show", f"{branch}:{rel}")


def test_create_a_claim_in_the_form(editor, tmp_path):
    page, requests = _open(editor, "new")
    # longer than a file name may be: the id is cut from the first 60 characters
    page.locator('[id^="statement-field-"]').fill(
        "Zware krachttraining helpt bij achillespeesklachten, ook bij lopers die al jaren klachten hebben.")
    _pick(page, "type", "behandeling")
    population = page.locator('[id^="population-field-"]')
    population.fill("Lopers")
    population.fill("")  # emptied again: left out, not saved as an empty text kb check refuses
    _pick(page, "injuries", "Achillespees")
    _pick(page, "certainty", "laag")
    _pick(page, "start", "hoog")
    # kb's GRADE domain widget: a rating and its reason
    page.locator('select[id^="risk_of_bias-field-"]').select_option("serious")
    page.locator('textarea[id^="risk_of_bias-field-"]').fill("Deelnemers wisten welke behandeling ze kregen.")
    page.locator('select[id^="imprecision-field-"]').select_option("serious")
    page.locator('textarea[id^="imprecision-field-"]').fill("Eén kleine trial.")
    page.locator('select[id^="inconsistency-field-"]').select_option("no")
    for nth, (source, stance, quote, locator) in enumerate([
            ("Beyer", "ondersteunt", "Both treatments were effective.", "abstract"),
            ("Alfredson", "nuanceert", "Heavy-load eccentric training helped.", "p. 362")]):
        page.get_by_role("button", name="Voeg bewijs toe").click()
        _pick(page, "source", source, nth)
        _pick(page, "stance", stance, nth)
        page.locator('[id^="quote-field-"]').nth(nth).fill(quote)
        page.locator('[id^="locator-field-"]').nth(nth).fill(locator)
    page.locator('[id^="reviewed-field-"]').fill("2026-12-07")
    page.locator('[id^="reden-field-"]').fill("Nieuwe bewering over krachttraining,\nop basis van twee studies.")
    # the preview is the claim page's shape, in Dutch
    preview = page.frame_locator("iframe").first
    preview.locator(".kb-certainty").first.wait_for()
    assert preview.locator(".kb-quote").count() == 2
    assert "Risico op vertekening" in preview.locator(".kb-profile").inner_text()
    _save(page)
    assert not [u for u in requests if not u.startswith(("http://127.0.0.1", "http://localhost:8081", "data:",
                                                          "blob:"))]
    project = editor["project"]
    branches = _git(project, "branch", "--format=%(refname:short)").split()
    ours = [b for b in branches if b.startswith("cms/claims/")]
    assert len(ours) == 1, branches
    rel = _git(project, "diff", "--name-only", "main", ours[0]).split()
    assert len(rel) == 1 and rel[0].startswith("content/claims/"), rel
    assert Path(rel[0]).stem == "zware-krachttraining-helpt-bij-achillespeesklachten-ook-bij", rel
    message = _git(project, "log", "-1", "--format=%B", ours[0])
    # the form's reason is the commit's trailer (one line), the one the site's change history reads
    trailer = _git(project, "log", "-1", "--format=%(trailers:key=Reden,valueonly)", ours[0]).strip()
    assert trailer == "Nieuwe bewering over krachttraining, op basis van twee studies.", message
    # the written file passes kb check and is a page of the build
    copy = tmp_path / "copy"
    _git(project, "worktree", "add", "-q", str(copy), ours[0])
    try:
        checked = subprocess.run(kb_executable() + ["check", "--root", str(copy)], capture_output=True, text=True,
                                 timeout=300)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        claim, problems = _build((copy / rel[0]).read_bytes(), rel[0], "claim", Path(rel[0]).stem)
        assert claim is not None and not problems
        assert claim.injuries == ("achilles-tendinopathy",) and claim.certainty == "low"
        assert [(e.source, e.stance) for e in claim.evidence] == [("beyer2015", "supports"),
                                                                  ("alfredson1998", "qualifies")]
        assert {j.domain: j.rating for j in claim.grade.judgements if j.rating != "no"} == {
            "risk_of_bias": "serious", "imprecision": "serious"}
        text = (copy / rel[0]).read_text(encoding="utf-8")
        assert "population" not in text and "  inconsistency: no\n" in text, text
        assert "reden" not in text and "Nieuwe bewering" not in text, text  # the reason is not in the file
        build(copy, tmp_path / "built")
        assert (tmp_path / "built" / "claims" / Path(rel[0]).stem / "index.html").is_file()
    finally:
        _git(project, "worktree", "remove", "--force", str(copy))


def test_edit_a_claims_statement_keeps_the_rest(editor):
    page, _ = _open(editor, "entries/hsr-achilles")
    # the bare GRADE words open as what they say
    assert page.locator('select[id^="risk_of_bias-field-"]').input_value() == "no"
    assert page.locator('select[id^="imprecision-field-"]').input_value() == "serious"
    assert page.locator('textarea[id^="imprecision-field-"]').input_value() == "Eén kleine trial."
    statement = page.locator('[id^="statement-field-"]')
    statement.fill("Zware langzame krachttraining helpt even goed als excentrische training.")
    page.get_by_role("button", name="Opslaan").click()  # without a reason the form refuses
    page.get_by_text("Reden van de wijziging is vereist", exact=False).first.wait_for()
    page.locator('[id^="reden-field-"]').fill("Korter geformuleerd.")
    _save(page)
    project = editor["project"]
    written = _saved(project, "cms/claims/hsr-achilles", EDITED)
    assert _git(project, "log", "-1", "--format=%(trailers:key=Reden,valueonly)",
                "cms/claims/hsr-achilles").strip() == "Korter geformuleerd."
    before, _ = _build(EDITED_TEXT.encode(), EDITED, "claim", "hsr-achilles")
    after, problems = _build(written.encode(), EDITED, "claim", "hsr-achilles")
    assert after is not None and not problems, (problems, written)
    assert after.statement == "Zware langzame krachttraining helpt even goed als excentrische training."
    old, new = _data(before), _data(after)
    old.pop("statement"), new.pop("statement")
    assert new == old, written
