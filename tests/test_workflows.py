"""The GitHub workflows: valid, and safe for pull requests from forks.

A pull request's code (a fork's too) runs in `pr.yml`; whatever that code does, it must
hold no token that can write.  Posting the evidence diff needs a write token, so it
happens in `pr-comment.yml`, a `workflow_run` workflow that never checks out or runs the
pull request's code.  The schema is the GitHub workflow schema that check-jsonschema
ships (SchemaStore's github-workflow.json), validated offline.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PR_CODE_REFS = ("github.event.pull_request.head", "github.event.workflow_run.head", "github.head_ref")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def writes(permissions: Any) -> bool:
    """True when a token with these permissions can write (absent = the repository default, which may)."""
    if permissions is None:
        return True
    if isinstance(permissions, str):
        return permissions != "read-all"
    return any(value == "write" for value in permissions.values())


def runs_pr_code(workflow: dict[str, Any], job: dict[str, Any]) -> bool:
    if triggers(workflow) & {"pull_request"}:
        return True  # checkout and every run step act on the pull request's merge commit
    for step in job.get("steps", []):
        ref = str((step.get("with") or {}).get("ref", ""))
        if any(marker in ref for marker in PR_CODE_REFS):
            return True
    return False


def jobs(path: Path) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    workflow = load(path)
    return [(name, workflow, job) for name, job in workflow["jobs"].items()]


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "pr-comment.yml", "pages.yml"}


def test_workflows_validate_against_the_github_workflow_schema() -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_job_that_runs_the_pull_requests_code_can_write(path: Path) -> None:
    for name, workflow, job in jobs(path):
        if runs_pr_code(workflow, job):
            permissions = job.get("permissions", workflow.get("permissions"))
            assert not writes(permissions), f"{path.name}: job '{name}' runs the PR's code with {permissions!r}"
            if "pull_request_target" in triggers(workflow) or "workflow_run" in triggers(workflow):
                pytest.fail(f"{path.name}: job '{name}' checks out the PR's code in a privileged workflow")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_a_job_that_can_write_checks_out_nothing_of_a_pull_request(path: Path) -> None:
    for name, workflow, job in jobs(path):
        permissions = job.get("permissions", workflow.get("permissions"))
        if writes(permissions) and triggers(workflow) & {"workflow_run", "pull_request_target"}:
            uses = [str(step.get("uses", "")) for step in job.get("steps", [])]
            assert not any(u.startswith("actions/checkout") for u in uses), f"{path.name}: '{name}' checks out code"
            for step in job.get("steps", []):
                assert "${{" not in str(step.get("run", "")), \
                    f"{path.name}: '{name}' puts an expression into a shell script (pass it through env)"


def test_the_evidence_diff_travels_from_the_check_to_the_comment() -> None:
    pr, comment = load(ROOT / ".github/workflows/pr.yml"), load(ROOT / ".github/workflows/pr-comment.yml")
    assert comment["on"]["workflow_run"]["workflows"] == [pr["name"]]
    steps = [s for job in pr["jobs"].values() for s in job["steps"]]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    download = next(s for job in comment["jobs"].values() for s in job["steps"]
                    if str(s.get("uses", "")).startswith("actions/download-artifact"))
    assert upload["with"]["name"] == download["with"]["name"]
    assert upload.get("if") == "always()"  # a failing check still shows what changed
    assert any("kb diff" in str(s.get("run", "")) for s in steps)
    # annotations need no token: they are workflow commands printed by `kb check --format github`
    assert any("kb check --format github" in str(s.get("run", "")) for s in steps)
    assert "gh pr comment" in json.dumps(comment) and "gh pr comment" not in json.dumps(pr)


def test_pages_takes_its_address_and_date_from_the_repository() -> None:
    pages = load(ROOT / ".github/workflows/pages.yml")
    steps = pages["jobs"]["build"]["steps"]
    configure = next(s for s in steps if str(s.get("uses", "")).startswith("actions/configure-pages"))
    build = next(s for s in steps if "kb build" in str(s.get("run", "")))
    assert build["env"]["SITE_URL"] == "${{ steps.%s.outputs.base_url }}/" % configure["id"]
    assert "SOURCE_DATE_EPOCH" not in build.get("env", {})  # not the 1970 of SOURCE_DATE_EPOCH=0
    assert any("SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in str(s.get("run", "")) for s in steps)
