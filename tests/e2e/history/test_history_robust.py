"""``oai-lint history`` on hostile and unusual repositories: what git must never run, size caps, chunk
boundaries, old git versions, tags, notebooks, UTF-16, memory and the number of processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import keygen
from tests.support.history_repo import MARKER, Repo, findings, history, report

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


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
        tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]) -> None:
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
    probe = ("import resource, sys\nfrom oai_lint.cli import main\nsys.argv = ['oai-lint', *sys.argv[1:]]\n"
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
