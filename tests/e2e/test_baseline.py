"""Baselines: ``--write-baseline`` accepts today's findings by content; ``--baseline`` reports only new ones.
And detect-secrets' ``.secrets.baseline``: strings audited as not secrets are not reported."""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_tree
from tests.support import keygen

_CHARS = string.ascii_letters + string.digits


def make_key(kind: str = "proj") -> str:
    return keygen.make_key("legacy" if kind == "legacy" else "proj164")


def oai_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def findings(cwd: Path, *args: str) -> list[dict[str, object]]:
    proc = oai_lint(cwd, "check", "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    data: list[dict[str, object]] = json.loads(proc.stdout)["findings"]
    return data


APP = """from openai import OpenAI

client = OpenAI(api_key="{key}")


def ask(question):
    return client.responses.create(model="gpt-4.1", input=question)
"""


def test_moved_code_stays_baselined_and_new_findings_are_reported(repo: Path) -> None:
    key = make_key()
    write_tree(repo, {"app.py": APP.format(key=key), ".env": "OPENAI_API_KEY=k-prod-8d1f2a93c7e4\n"})
    before = findings(repo, ".")
    assert {f["rule_id"] for f in before} == {"OAI101", "OAI106"}
    written = oai_lint(repo, "check", "--write-baseline", "oai-lint-baseline.json", ".")
    assert written.returncode == 0 and "wrote 2 findings" in written.stderr
    text = (repo / "oai-lint-baseline.json").read_text()
    assert key not in text and key[-4:] in text  # redacted messages only

    # the flagged code moves 20 lines down
    padding = "".join(f"# line {n}\n" for n in range(20))
    (repo / "app.py").write_text(padding + APP.format(key=key))
    assert [f["line"] for f in findings(repo, ".") if f["path"] == "app.py"] == [23]
    proc = oai_lint(repo, "check", "--baseline", "oai-lint-baseline.json", ".")
    assert proc.returncode == 0, proc.stdout
    assert "All checks passed" in proc.stdout and "2 in the baseline" in proc.stdout

    # a new key is new; the baselined one stays quiet
    new_key = make_key()
    write_tree(repo, {"worker.py": f'KEY = "{new_key}"\n'})
    new = findings(repo, "--baseline", "oai-lint-baseline.json", ".")
    assert [(f["rule_id"], f["path"]) for f in new] == [("OAI101", "worker.py")]


def test_a_changed_line_is_new(repo: Path) -> None:
    write_tree(repo, {"app.py": APP.format(key=make_key())})
    oai_lint(repo, "check", "--write-baseline", "b.json", ".")
    write_tree(repo, {"app.py": APP.format(key=make_key())})  # the key was replaced by another one
    assert [f["rule_id"] for f in findings(repo, "--baseline", "b.json", ".")] == ["OAI101"]


def test_a_second_identical_line_is_new(repo: Path) -> None:
    line = f'KEY = "{make_key()}"\n'
    write_tree(repo, {"a.py": line})
    oai_lint(repo, "check", "--write-baseline", "b.json", ".")
    write_tree(repo, {"a.py": line + "\n" + line})
    assert len(findings(repo, "--baseline", "b.json", ".")) == 1


def test_renamed_file_stays_baselined_but_a_copy_is_new(repo: Path) -> None:
    write_tree(repo, {"old/config.py": f'KEY = "{make_key()}"\n'})
    oai_lint(repo, "check", "--write-baseline", "b.json", ".")
    (repo / "new").mkdir()
    (repo / "old/config.py").rename(repo / "new/settings.py")  # git mv / a refactoring
    assert findings(repo, "--baseline", "b.json", ".") == []
    # a copy while the original is still there: a key copied into a second file is a second leak
    oai_lint(repo, "check", "--write-baseline", "b.json", ".")
    (repo / "new/copy.py").write_text((repo / "new/settings.py").read_text())
    assert [f["path"] for f in findings(repo, "--baseline", "b.json", ".")] == ["new/copy.py"]


def test_writing_twice_gives_the_same_bytes(repo: Path) -> None:
    write_tree(repo, {"a.py": f'A = "{make_key()}"\n', "b.py": f'B = "{make_key()}"\n'})
    oai_lint(repo, "check", "--write-baseline", "one.json", ".")
    oai_lint(repo, "check", "--write-baseline", "two.json", "--exclude", "one.json", ".")
    assert (repo / "one.json").read_bytes() == (repo / "two.json").read_bytes()


def test_bad_baseline_files_are_usage_errors(repo: Path) -> None:
    write_tree(repo, {"a.py": "x = 1\n", "broken.json": "{", "other.json": '{"results": {}}'})
    for name, expected in (("missing.json", "not found"), ("broken.json", "invalid JSON"),
                           ("other.json", "not an oai-lint baseline")):
        proc = oai_lint(repo, "check", "--baseline", name, ".")
        assert proc.returncode == 2 and expected in proc.stderr, proc.stderr
        assert proc.stderr.count("\n") == 1


# -- detect-secrets ------------------------------------------------------------------------------------------
def detect_secrets_baseline(repo: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-m", "detect_secrets", "scan"], cwd=repo, capture_output=True,
                          text=True, check=True)
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def audit(baseline: dict[str, object], verdicts: dict[str, bool]) -> None:
    """What ``detect-secrets audit`` records: ``is_secret`` per entry (by file name here)."""
    results = baseline["results"]
    assert isinstance(results, dict)
    for filename, entries in results.items():
        for entry in entries:
            if filename in verdicts:
                entry["is_secret"] = verdicts[filename]


def test_entries_audited_as_not_secrets_are_not_reported(repo: Path) -> None:
    write_tree(repo, {
        "tests/fixture.py": f'REVOKED = "{make_key()}"\n',  # audited: not a secret
        "tests/legacy.env": f"OPENAI_API_KEY={make_key('legacy')}\n",  # audited: not a secret
        "app.py": f'KEY = "{make_key()}"\n',  # audited: a real secret
        "worker.py": f'KEY = "{make_key()}"\n',  # never audited
    })
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)  # detect-secrets scans tracked files
    baseline = detect_secrets_baseline(repo)
    results = baseline["results"]
    assert isinstance(results, dict)
    assert {"tests/fixture.py", "tests/legacy.env", "app.py", "worker.py"} <= set(results)
    audit(baseline, {"tests/fixture.py": False, "tests/legacy.env": False, "app.py": True})
    (repo / ".secrets.baseline").write_text(json.dumps(baseline, indent=2))

    reported = sorted(str(f["path"]) for f in findings(repo, ".") if f["rule_id"] == "OAI101")
    assert reported == ["app.py", "worker.py"]
    # --secrets-baseline points elsewhere; without the file, everything is reported
    (repo / ".secrets.baseline").rename(repo / "ds.json")
    assert len([f for f in findings(repo, ".") if f["rule_id"] == "OAI101"]) == 4
    elsewhere = findings(repo, "--secrets-baseline", "ds.json", ".")
    assert len([f for f in elsewhere if f["rule_id"] == "OAI101"]) == 2


def test_a_broken_secrets_baseline_is_a_usage_error(repo: Path) -> None:
    write_tree(repo, {".secrets.baseline": "not json", "a.py": "x = 1\n"})
    proc = oai_lint(repo, "check", ".")
    assert proc.returncode == 2 and "detect-secrets baseline" in proc.stderr
