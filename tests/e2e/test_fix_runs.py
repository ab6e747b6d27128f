"""The proof of ``--fix``: v0 Python and v3 Node programs (tests/rules/fixtures/fix_e2e), after
``oai-lint --fix --unsafe-fixes``, run unchanged on the current openai packages from PyPI and npm against a
local fake of today's API, and print its replies. Before the fix the same programs fail on those packages.

Also: after the fix the scan reports no OAI401/OAI404/OAI405 there, a second ``--fix`` changes nothing, and
``--diff`` shows exactly what ``--fix`` writes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, git_init
from tests.e2e.fake_openai import REPLY_MARK, FakeOpenAI
from tests.e2e.sdks import node_sdk, python_sdk
from tests.support.keygen import make_key

PROGRAMS = REPO / "tests" / "rules" / "fixtures" / "fix_e2e"
PYTHON = sorted(p.name for p in (PROGRAMS / "python").glob("*.py") if not p.name.startswith("_"))  # _x: helpers
NODE = sorted(p.name for p in (PROGRAMS / "node").iterdir())
GONE = {"OAI401", "OAI404", "OAI405"}


def oai_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The programs before and after ``--fix --unsafe-fixes``, the --diff output and the fix's output."""
    root = tmp_path_factory.mktemp("fix-e2e") / "repo"
    shutil.copytree(PROGRAMS, root)
    git_init(root)
    before = files(root)
    diff = oai_lint(root, "--diff", "--unsafe-fixes", ".")
    assert files(root) == before, "--diff wrote to the files"
    run = oai_lint(root, "--fix", "--unsafe-fixes", ".")
    after = files(root)
    again = oai_lint(root, "--fix", "--unsafe-fixes", ".")
    report = oai_lint(root, "--format", "json", "--exit-zero", ".")
    return {"root": root, "before": before, "after": after, "diff": diff, "run": run, "again": again,
            "again_files": files(root), "report": json.loads(report.stdout)}


def test_the_fix_leaves_no_removed_api_or_shut_down_model(fixed: dict[str, object]) -> None:
    report = fixed["report"]
    assert isinstance(report, dict)
    left = [f"{f['path']}:{f['line']} {f['rule_id']}" for f in report["findings"] if f["rule_id"] in GONE]
    assert not left, left
    assert fixed["before"] != fixed["after"]


def test_a_second_fix_changes_nothing(fixed: dict[str, object]) -> None:
    assert fixed["again_files"] == fixed["after"]
    again = fixed["again"]
    assert isinstance(again, subprocess.CompletedProcess)
    assert "fixed 0 findings in 0 files" in again.stderr


def test_diff_is_what_fix_writes(fixed: dict[str, object], tmp_path: Path) -> None:
    diff = fixed["diff"]
    assert isinstance(diff, subprocess.CompletedProcess)
    assert diff.returncode == 1  # something would change
    patch = tmp_path / "fix.patch"
    patch.write_text(diff.stdout, encoding="utf-8")
    copy = tmp_path / "copy"
    shutil.copytree(PROGRAMS, copy)
    applied = subprocess.run(["git", "apply", "--unsafe-paths", "-p1", str(patch)], cwd=copy, capture_output=True,
                             text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    after = fixed["after"]
    assert isinstance(after, dict)
    assert files(copy) == after


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(max_requests=60, lifetime=240).start()
    yield fake
    fake.close()


def _env(server: FakeOpenAI, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NODE_"))}
    env.update(OPENAI_API_KEY=make_key("proj56"), OPENAI_BASE_URL=server.base_url, OPENAI_API_BASE=server.base_url,
               **extra)
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("program", PYTHON)
def test_fixed_python_program_runs_on_current_openai(fixed: dict[str, object], server: FakeOpenAI,
                                                     program: str, tmp_path: Path) -> None:
    python, version = python_sdk()
    root = fixed["root"]
    assert isinstance(root, Path)
    env = _env(server)
    done = _run([str(python), f"python/{program}"], root, env)
    assert done.returncode == 0, f"openai {version}:\n{done.stdout}\n{done.stderr}"
    assert REPLY_MARK in done.stdout
    assert all(key != env["OPENAI_API_KEY"] for key in done.stdout.split())
    # the same program before the fix fails on the current SDK
    shutil.copytree(PROGRAMS / "python", tmp_path / "python")
    old = _run([str(python), f"python/{program}"], tmp_path, env)
    assert old.returncode != 0 and REPLY_MARK not in old.stdout
    assert "APIRemovedInV1" in old.stderr or "No module named 'openai.error'" in old.stderr


@pytest.mark.parametrize("program", NODE)
def test_fixed_node_program_runs_on_current_openai(fixed: dict[str, object], server: FakeOpenAI,
                                                   program: str, tmp_path: Path) -> None:
    modules, version = node_sdk()
    root = fixed["root"]
    assert isinstance(root, Path)
    env = _env(server, NODE_PATH=str(modules))
    work = tmp_path / "run"
    work.mkdir()
    (work / "node_modules").symlink_to(modules)  # ESM resolves packages from node_modules only
    after, before = fixed["after"], fixed["before"]
    assert isinstance(after, dict) and isinstance(before, dict)
    (work / program).write_text(after[f"node/{program}"], encoding="utf-8")
    done = _run(["node", program], work, env)
    assert done.returncode == 0, f"openai {version}:\n{done.stdout}\n{done.stderr}"
    assert REPLY_MARK in done.stdout
    (work / program).write_text(before[f"node/{program}"], encoding="utf-8")
    old = _run(["node", program], work, env)
    assert old.returncode != 0 and REPLY_MARK not in old.stdout


def test_the_fake_server_answers_like_the_api(server: FakeOpenAI) -> None:
    """401 without a key, 404 model_not_found for a shut-down model, the removed engines endpoint 404s."""
    import urllib.error
    import urllib.request

    def post(path: str, body: dict[str, object], key: str | None) -> tuple[int, dict[str, object]]:
        req = urllib.request.Request(server.base_url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {key}"} if key else {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    assert post("/chat/completions", chat, None)[0] == 401
    gone = {**chat, "model": "text-davinci-003"}  # oai-lint: ignore[OAI405] a shut-down model on purpose
    status, body = post("/chat/completions", gone, make_key("proj56"))
    assert status == 404 and body["error"]["code"] == "model_not_found"  # type: ignore[index]
    assert post("/engines/davinci/completions", {"prompt": "x"}, make_key("proj56"))[0] == 404
    status, body = post("/chat/completions", chat, make_key("proj56"))
    assert status == 200 and REPLY_MARK in body["choices"][0]["message"]["content"]  # type: ignore[index]


def test_the_fake_server_stops_itself() -> None:
    """A runaway program cannot keep the server (or the test) alive: a request budget and a lifetime."""
    import time
    import urllib.error
    import urllib.request

    fake = FakeOpenAI(max_requests=2, lifetime=30).start()
    try:
        codes = []
        for _ in range(3):
            req = urllib.request.Request(fake.base_url + "/models", headers={"Authorization": "Bearer k"})
            try:
                with urllib.request.urlopen(req, timeout=5) as resp:
                    codes.append(resp.status)
            except urllib.error.HTTPError as exc:
                codes.append(exc.code)
            except OSError:
                codes.append(0)  # no longer listening
        assert codes[:2] == [200, 200] and codes[2] != 200
    finally:
        fake.close()
    short = FakeOpenAI(lifetime=0.2).start()
    time.sleep(1)
    try:
        req = urllib.request.Request(short.base_url + "/models", headers={"Authorization": "Bearer k"})
        with urllib.request.urlopen(req, timeout=2):
            raise AssertionError("the server outlived its lifetime")
    except OSError:
        pass
    finally:
        short.close()
