"""The pre-commit hooks, proven with the real pre-commit framework.

A snapshot of this repository (its working tree, as ``pre-commit try-repo`` would take it) is committed
to a temporary repository once per module; pre-commit installs oai-lint from it into its own virtual
environment (PRE_COMMIT_HOME in a temp dir, so nothing outside the test is touched) and runs the hooks
from ``.pre-commit-hooks.yaml`` on staged files of another temporary git repository.
"""

from __future__ import annotations

import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, write_tree
from tests.support import keygen

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "oai-lint test", "GIT_AUTHOR_EMAIL": "test@oai-lint.invalid",
    "GIT_COMMITTER_NAME": "oai-lint test", "GIT_COMMITTER_EMAIL": "test@oai-lint.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
_CHARS = string.ascii_letters + string.digits
HOOKS = ("oai-lint", "oai-lint-repo")
HookRepo = tuple[Path, str, dict[str, str]]  # snapshot repository, its commit, environment for pre-commit


def make_key() -> str:
    return keygen.make_key("proj164")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """(snapshot repository, its commit, environment for pre-commit)."""
    base = tmp_path_factory.mktemp("pre-commit")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(base / "home")}
    env.pop("PRE_COMMIT", None)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout
    snap = base / "oai-lint"
    for name in (os.fsdecode(p) for p in listed.split(b"\0") if p):
        src = REPO / name
        if src.is_file():
            dst = snap / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        subprocess.run(cmd, cwd=snap, env=env, check=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snap, env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    return snap, sha, env


@pytest.fixture
def work(tmp_path: Path, hook_repo: HookRepo) -> Path:
    _, _, env = hook_repo
    subprocess.run(["git", "init", "-q", str(tmp_path)], env=env, check=True)
    return tmp_path


def try_repo(work: Path, hook_repo: HookRepo, hook: str,
             *extra: str) -> subprocess.CompletedProcess[str]:
    snap, sha, env = hook_repo
    return run([sys.executable, "-m", "pre_commit", "try-repo", str(snap), hook, "--ref", sha, *extra],
               work, env)


def run_hook(work: Path, hook_repo: HookRepo, hook: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit run HOOK`` with a config naming the snapshot: unlike try-repo (a throwaway store per
    call), this reuses the environment in PRE_COMMIT_HOME."""
    snap, sha, env = hook_repo
    config = {"repos": [{"repo": str(snap), "rev": sha, "hooks": [{"id": h} for h in HOOKS]}]}
    path = work.parent / f"{work.name}-pre-commit-config.yaml"
    path.write_text(yaml.safe_dump(config))
    return run([sys.executable, "-m", "pre_commit", "run", hook, "--config", str(path)], work, env)


def stage(work: Path, env: dict[str, str], files: dict[str, str | bytes]) -> None:
    write_tree(work, files)
    subprocess.run(["git", "add", "--", *files], cwd=work, env=env, check=True)


def hook_output(proc: subprocess.CompletedProcess[str]) -> str:
    """What the hooks printed, without try-repo's preamble (which shows the config)."""
    out = proc.stdout
    marker = out.rfind("=" * 79)
    return out[marker + 79:] if marker != -1 else out


def test_manifest_declares_both_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    per_file, repo_level = hooks["oai-lint"], hooks["oai-lint-repo"]
    assert "--force-exclude" in per_file["entry"] and "--scope file" in per_file["entry"]
    assert per_file.get("pass_filenames", True) and per_file["types"] == ["text"]
    assert repo_level["pass_filenames"] is False and "--scope repository" in repo_level["entry"]
    assert repo_level["require_serial"] and repo_level["always_run"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert set(hook["stages"]) <= {"pre-commit", "pre-merge-commit", "pre-push", "manual"}


def test_staged_key_fails_and_clean_change_passes(work: Path, hook_repo: HookRepo) -> None:
    _, _, env = hook_repo
    key = make_key()
    stage(work, env, {"app.py": f'from openai import OpenAI\n\nclient = OpenAI(api_key="{key}")\n'})
    proc = try_repo(work, hook_repo, "oai-lint")
    out = hook_output(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "oai-lint" in out and "Failed" in out
    assert f"app.py:3:26: OAI101 [high] OpenAI project key sk-proj-…{key[-4:]} is hardcoded" in out
    assert key not in proc.stdout + proc.stderr
    # the fix: the key comes from the environment
    stage(work, env, {"app.py": "from openai import OpenAI\n\nclient = OpenAI()\n"})
    proc = try_repo(work, hook_repo, "oai-lint")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in hook_output(proc)


def test_git_commit_is_blocked_by_the_installed_hooks(work: Path, hook_repo: HookRepo) -> None:
    snap, sha, env = hook_repo
    config = {"repos": [{"repo": str(snap), "rev": sha, "hooks": [{"id": h} for h in HOOKS]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    assert run([sys.executable, "-m", "pre_commit", "install"], work, env).returncode == 0
    key = make_key()
    stage(work, env, {".pre-commit-config.yaml": (work / ".pre-commit-config.yaml").read_text(),
                      "settings.py": f'OPENAI_API_KEY = "{key}"\n'})
    commit = run(["git", "commit", "-m", "add settings"], work, env)
    assert commit.returncode != 0
    shown = commit.stdout + commit.stderr
    assert "settings.py:1:19: OAI101" in shown and key not in shown
    assert run(["git", "rev-parse", "--verify", "-q", "HEAD"], work, env).returncode != 0  # nothing committed
    stage(work, env, {"settings.py": 'import os\n\nOPENAI_API_KEY = os.environ["OPENAI_API_KEY"]\n'})
    commit = run(["git", "commit", "-m", "add settings"], work, env)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    shown = commit.stdout + commit.stderr  # git shows the hooks' report on stderr
    assert "oai-lint (repository-level rules)" in shown and "Failed" not in shown and "Passed" in shown


def test_a_repository_with_findings_commits_through_both_hooks_with_its_baseline(
    work: Path, hook_repo: HookRepo,
) -> None:
    """Adoption (issue 14): the baseline goes in first, the configuration names it, and then the hooks
    pass the baseline itself, a README-only commit and any commit that brings no new finding."""
    snap, sha, env = hook_repo
    config = {"repos": [{"repo": str(snap), "rev": sha, "hooks": [{"id": h} for h in HOOKS]}]}
    key = make_key()
    write_tree(work, {
        ".pre-commit-config.yaml": yaml.safe_dump(config),
        "app.py": f'import openai\nopenai.api_key = "{key}"\nopenai.Completion.create(model="text-davinci-003")\n',
        ".env": "OPENAI_API_KEY=placeholder\nOPENAI_ORGANIZATION=org-abc\n",
        ".oai-lint.toml": 'baseline = ".oai-lint-baseline.json"\n',
    })
    for cmd in (["git", "add", "-A"], ["git", "commit", "-q", "--no-verify", "-m", "existing code"]):
        assert run(cmd, work, env).returncode == 0
    assert run([sys.executable, "-m", "pre_commit", "install"], work, env).returncode == 0
    # before the baseline, an unrelated commit is blocked by the findings elsewhere (the repository hook)
    stage(work, env, {"README.md": "# app\n"})
    assert run(["git", "commit", "-m", "readme"], work, env).returncode != 0
    # the baseline first, committed through both hooks
    written = run([sys.executable, "-m", "oai_lint", "--write-baseline", ".oai-lint-baseline.json"], work, env)
    assert written.returncode == 0, written.stderr
    stage(work, env, {".oai-lint-baseline.json": (work / ".oai-lint-baseline.json").read_text()})
    commit = run(["git", "commit", "-m", "oai-lint baseline"], work, env)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    shown = commit.stdout + commit.stderr
    assert "oai-lint (repository-level rules)" in shown and "Failed" not in shown
    stage(work, env, {"README.md": "# app\n\nHow to run it.\n"})
    commit = run(["git", "commit", "-m", "readme"], work, env)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    # a new key is still caught
    stage(work, env, {"worker.py": f'KEY = "{make_key()}"\n'})
    commit = run(["git", "commit", "-m", "worker"], work, env)
    assert commit.returncode != 0 and "worker.py:1:8: OAI101" in commit.stdout + commit.stderr


def readme_pre_commit_config() -> str:
    """The README's .pre-commit-config.yaml: the first yaml block after <!-- pre-commit-config -->."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.compile(r"```yaml\n(.*?)```", re.S).search(text, text.index("<!-- pre-commit-config -->"))
    assert m
    return m.group(1)


def test_the_readme_pre_commit_config_runs_as_written(work: Path, hook_repo: HookRepo) -> None:
    snap, sha, env = hook_repo
    written = yaml.safe_load(readme_pre_commit_config())
    (entry,) = written["repos"]
    assert entry["repo"] == "https://github.com/OWNER/oai-lint"
    rev = entry["rev"]  # a commit of this repository's history
    assert subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=REPO, capture_output=True,
                          check=False).returncode == 0, rev
    config = readme_pre_commit_config().replace(entry["repo"], str(snap)).replace(rev, sha)
    (work / ".pre-commit-config.yaml").write_text(config)
    stage(work, env, {".pre-commit-config.yaml": config, "app.py": "print('hello')\n"})
    proc = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], work, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("Passed") == 2
    stage(work, env, {"settings.py": f'KEY = "{make_key()}"\n'})
    proc = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], work, env)
    assert proc.returncode == 1 and "settings.py:1:8: OAI101" in proc.stdout


def test_parallel_batches_print_each_finding_once_and_no_summaries(
    work: Path, hook_repo: HookRepo,
) -> None:
    from pre_commit import lang_base, xargs

    _, _, env = hook_repo
    deep = "services/" + "/".join(["component"] * 10)  # long paths: enough bytes for several batches
    files: dict[str, str | bytes] = {f"{deep}/module_{n:04d}.py": f"VALUE_{n} = {n}\n" for n in range(1500)}
    keyed = {f"{deep}/module_{n:04d}.py": make_key() for n in range(0, 1500, 150)}
    for path, key in keyed.items():
        files[path] = f'API_KEY = "{key}"\n'
    stage(work, env, files)
    # what pre-commit will do with these files: more than one batch, whatever the number of CPUs
    batches = xargs.partition(("oai-lint",), lang_base._shuffled(list(files)), lang_base.target_concurrency())
    assert len(batches) >= 2
    proc = try_repo(work, hook_repo, "oai-lint")
    out = hook_output(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    finding_lines = [line for line in out.splitlines() if ": OAI101 [high] " in line]
    assert sorted(line.split(":", 1)[0] for line in finding_lines) == sorted(keyed)
    for line in finding_lines:
        assert line.startswith(tuple(f"{p}:1:12: OAI101" for p in keyed))
    # one summary per batch would mislead ("All checks passed" from a batch without keys)
    for text in ("All checks passed", "Found ", "files scanned", "file scanned"):
        assert text not in out
    assert not any(key in proc.stdout for key in keyed.values())


def test_repository_hook_sees_gitignore_changes(work: Path, hook_repo: HookRepo) -> None:
    _, _, env = hook_repo
    stage(work, env, {".env": "OPENAI_API_KEY=k-prod-8d1f2a93c7e4\n"})
    per_file = run_hook(work, hook_repo, "oai-lint")
    assert per_file.returncode == 0, per_file.stdout  # OAI106 needs .gitignore: left to the repository hook
    repo_level = run_hook(work, hook_repo, "oai-lint-repo")
    assert repo_level.returncode == 1
    assert ".env:1:1: OAI106 [medium] .env sets OPENAI_API_KEY but is not git-ignored" in repo_level.stdout
    # only .gitignore changes: the per-file hook would not look at .env again; the repository hook does
    subprocess.run(["git", "rm", "-q", "--cached", ".env"], cwd=work, env=env, check=True)
    stage(work, env, {".gitignore": ".env\n"})
    repo_level = run_hook(work, hook_repo, "oai-lint-repo")
    assert repo_level.returncode == 0, repo_level.stdout
