"""A scanned repository controls its ``.git/config``: nothing in it may run a command when oai-lint asks
git for the files (``core.fsmonitor`` is executed by ``git ls-files``), and the environment variables that
point git at another repository do not redirect the scan. When git cannot list the files, the scan says
that it walked the directory instead (and that ``.gitignore`` was not honoured)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import git_init, write_tree
from tests.support.hostile_support import run_cli


def _hostile_config(repo: Path, marker: Path) -> None:
    script = repo / "evil.sh"
    script.write_text(f"#!/bin/sh\necho ran >> {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    with open(repo / ".git" / "config", "a", encoding="utf-8") as fh:
        fh.write(f"[core]\n\tfsmonitor = {script}\n\tpager = {script}\n\thooksPath = {repo}/hooks\n"
                 f"\tsshCommand = {script}\n[diff]\n\texternal = {script}\n"
                 f'[diff "x"]\n\ttextconv = {script}\n')
    (repo / ".gitattributes").write_text("* diff=x\n", encoding="utf-8")


@pytest.fixture
def hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    repo = tmp_path / "repo"
    repo.mkdir()
    git_init(repo)
    marker = tmp_path / "marker"
    write_tree(repo, {
        "app.py": "import openai\nclient = openai.OpenAI(max_retries=0)\nclient.chat.completions.create()\n",
        ".env": "OPENAI_API_KEY=x\n",
        "requirements.txt": "openai==0.28\n",
    })
    subprocess.run(["git", "-C", str(repo), "add", "app.py"], check=True)
    # the attacker's configuration comes with the checkout; nothing ran while it was set up
    _hostile_config(repo, marker)
    return repo, marker


@pytest.mark.parametrize("args", [(".",), ("app.py", ".env"), ("--scope", "repository", ".")])
def test_git_config_of_the_scanned_repository_runs_nothing(hostile_repo: tuple[Path, Path],
                                                           args: tuple[str, ...]) -> None:
    repo, marker = hostile_repo
    run = run_cli(repo, "check", *args)
    assert run.code in (0, 1), run.stderr
    assert not marker.exists(), "a command from the scanned repository's .git/config ran"


def test_git_environment_does_not_redirect_the_scan(hostile_repo: tuple[Path, Path], tmp_path: Path) -> None:
    repo, _ = hostile_repo
    other = tmp_path / "other"
    other.mkdir()
    git_init(other)
    # in a git hook, GIT_DIR names the repository being committed to, not the one scanned
    env = {"GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other), "GIT_INDEX_FILE": str(other / "nope")}
    run = run_cli(repo, "check", "--format", "json", ".", env=env)
    assert '"app.py"' in run.stdout, run.stdout
    assert "walked" not in run.stdout


def test_a_failing_git_is_reported(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git_init(repo)
    write_tree(repo, {".gitignore": "ignored.py\n", "ignored.py": "import openai\nopenai.Completion.create()\n"})
    (repo / ".git" / "index").write_bytes(b"DIRC broken index")
    run = run_cli(repo, "check", "--verbose", ".")
    assert "git" in run.stdout and ".gitignore" in run.stdout, run.stdout


def test_git_helper_is_the_only_way_to_git() -> None:
    """Every git command of the package goes through oai_lint.gitcmd (no other module spells "git")."""
    package = Path(__file__).resolve().parents[2] / "oai_lint"
    offenders = [str(p) for p in package.rglob("*.py")
                 if p.name != "gitcmd.py" and '["git"' in p.read_text(encoding="utf-8")]
    assert offenders == []
    assert os.path.exists(package / "gitcmd.py")


def test_git_grep_still_answers(hostile_repo: tuple[Path, Path]) -> None:
    """The options that disarm git are ones each command accepts (else git fails and oai-lint silently
    falls back to reading every file)."""
    from oai_lint.repository import Search, _grep_names, _start_grep

    repo, marker = hostile_repo
    found = _grep_names(str(repo), _start_grep(str(repo), Search((b"max_retries",)), ("--untracked",)))
    assert found is not None and [os.path.basename(p) for p in found] == ["app.py"]
    assert not marker.exists()
