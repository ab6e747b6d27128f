"""Adopting oai-lint in a repository that already has findings (issue 14): the baseline and the reports
oai-lint writes are never findings themselves, so a baseline settles at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.support import keygen


def oai_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def legacy_app(key: str) -> str:
    # findings whose messages name a retired model, a removed API and an ignored env name: the text a
    # baseline or a report repeats
    return ("import openai\n"
            f'openai.api_key = "{key}"\n'
            'reply = openai.Completion.create(model="text-davinci-003", prompt="hi")\n')


def adopted_repo(repo: Path) -> str:
    key = keygen.make_key("proj164")
    write_tree(repo, {"app.py": legacy_app(key), ".env": "OPENAI_API_KEY=abc\nOPENAI_ORGANIZATION=org-x\n",
                      "deploy/compose.yaml": "services:\n  web:\n    environment:\n"
                                             "      OPENAI_MODEL: code-davinci-002\n"})
    return key


def test_a_baseline_settles_at_once_and_rewrites_byte_identical(repo: Path) -> None:
    key = adopted_repo(repo)
    first = oai_lint(repo, "--write-baseline", ".oai-lint-baseline.json")
    assert first.returncode == 0, first.stderr
    written = (repo / ".oai-lint-baseline.json").read_bytes()
    assert key.encode() not in written and b"text-davinci-003" in written  # the text that triggered itself

    scan = oai_lint(repo, "--baseline", ".oai-lint-baseline.json")
    assert scan.returncode == 0, scan.stdout
    assert "All checks passed" in scan.stdout and ".oai-lint-baseline.json" not in scan.stdout

    for _ in range(2):  # rewriting it settles: the same bytes, every time
        again = oai_lint(repo, "--write-baseline", ".oai-lint-baseline.json")
        assert again.returncode == 0, again.stderr
        assert (repo / ".oai-lint-baseline.json").read_bytes() == written

    # a scan without --baseline reports the code's findings, never the baseline's text
    plain = json.loads(oai_lint(repo, "--format", "json").stdout)
    assert {f["path"] for f in plain["findings"]} == {"app.py", ".env", "deploy/compose.yaml"}


def test_reports_written_by_oai_lint_are_not_scanned(repo: Path) -> None:
    adopted_repo(repo)
    for fmt, out in (("json", "report.json"), ("sarif", "oai-lint.sarif")):
        proc = oai_lint(repo, "--format", fmt, "-o", out)
        assert proc.returncode == 1, proc.stderr
    scan = json.loads(oai_lint(repo, "--format", "json").stdout)
    assert {f["path"] for f in scan["findings"]} == {"app.py", ".env", "deploy/compose.yaml"}
    notes = {n["path"]: n["message"] for n in scan["notes"]}
    assert "own json file" in notes["report.json"] and "own sarif file" in notes["oai-lint.sarif"]

    # the file this run writes is never scanned, whatever it holds before
    write_tree(repo, {"old.json": json.dumps({"model": "text-davinci-003"})})
    assert "old.json" in {f["path"] for f in json.loads(oai_lint(repo, "--format", "json").stdout)["findings"]}
    proc = oai_lint(repo, "--format", "json", "-o", "old.json")
    after = json.loads((repo / "old.json").read_text())
    assert {f["path"] for f in after["findings"]} == {"app.py", ".env", "deploy/compose.yaml"}, proc.stderr


def test_a_key_pasted_into_a_report_is_still_found(repo: Path) -> None:
    key = keygen.make_key("proj164")
    report = {"tool": "oai-lint", "version": "0.1.0", "findings": [{"message": f"see {key}"}], "notes": [],
              "summary": {}}
    write_tree(repo, {"report.json": json.dumps(report)})
    found = json.loads(oai_lint(repo, "--format", "json").stdout)["findings"]
    assert [(f["rule_id"], f["path"]) for f in found] == [("OAI101", "report.json")]


def test_a_file_that_only_looks_like_a_report_is_scanned(repo: Path) -> None:
    # "oai-lint" as a value elsewhere, or a SARIF file of another tool, is an ordinary file
    write_tree(repo, {
        "config.json": json.dumps({"name": "oai-lint", "model": "text-davinci-003"}),
        "eslint.json": json.dumps({"runs": [{"tool": {"driver": {"name": "eslint"}},
                                             "results": [{"message": {"text": "oai-lint"},
                                                          "properties": {"model": "text-davinci-003"}}]}]}),
    })
    found = json.loads(oai_lint(repo, "--format", "json").stdout)["findings"]
    assert sorted((f["rule_id"], f["path"]) for f in found) == [("OAI405", "config.json"),
                                                                 ("OAI405", "eslint.json")]


def test_an_exclude_glob_never_crosses_a_directory(repo: Path) -> None:
    key = keygen.make_key("proj164")
    write_tree(repo, {"app/main.py": "print('hello')\n", "app/sub/leak.py": f'KEY = "{key}"\n',
                      "other/sub/leak.py": f'KEY = "{key}"\n',
                      ".oai-lint.toml": 'exclude = ["other/*.py"]\n'})
    scan = json.loads(oai_lint(repo, "--format", "json", "--exclude", "app/*.py", "app", "other").stdout)
    assert sorted(f["path"] for f in scan["findings"]) == ["app/sub/leak.py", "other/sub/leak.py"]
    assert scan["summary"]["files_scanned"] == 2
    # a `**` crosses directories, in the configuration and on the command line alike
    (repo / ".oai-lint.toml").write_text('exclude = ["other/**/*.py"]\n')
    scan = json.loads(oai_lint(repo, "--format", "json", "--exclude", "app/**/leak.py").stdout)
    assert scan["findings"] == []


def test_a_scan_of_nothing_and_a_skipped_named_file_are_said_on_stderr(repo: Path) -> None:
    key = keygen.make_key("proj164")
    write_tree(repo, {"rules/r.yaml": f"key: {key}\n", "app/main.py": f'KEY = "{key}"\n' + "#\n" * 600,
                      ".oai-lint.toml": 'exclude = ["rules/"]\n'})
    proc = oai_lint(repo, "./rules")
    assert proc.returncode == 0 and "0 files scanned" in proc.stdout
    assert "oai-lint: warning: ./rules matches an exclude pattern" in proc.stderr

    proc = oai_lint(repo, "--max-file-size", "1KB", "app/main.py")
    assert proc.returncode == 0
    assert ("oai-lint: warning: app/main.py was not scanned: skipped: 1.4 KB is above the size cap of 1.0 KB"
            in proc.stderr)

    proc = oai_lint(repo, "--exclude", "app/", "app")
    assert "oai-lint: warning: app matches an exclude pattern" in proc.stderr

    proc = oai_lint(repo, "--exclude", "*.py", "--exclude", "*.yaml", "--exclude", "*.toml", ".")
    assert proc.returncode == 0
    assert proc.stderr.startswith("oai-lint: warning: no file was scanned")

    # a scan that read files says nothing; under pre-commit, a file excluded with --force-exclude is
    # left out on purpose
    assert oai_lint(repo, "app").stderr == ""
    env = {**os.environ, "PRE_COMMIT": "1"}
    proc = subprocess.run([sys.executable, "-m", "oai_lint", "--force-exclude", "rules/r.yaml"], cwd=repo,
                          env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stderr == "" and proc.stdout == ""
    assert "rules/r.yaml was not scanned: it matches an exclude pattern" in oai_lint(
        repo, "--force-exclude", "rules/r.yaml").stderr


def test_ci_settings_in_the_configuration(repo: Path) -> None:
    adopted_repo(repo)
    write_tree(repo, {"vendor/lib.py": f'KEY = "{keygen.make_key("proj164")}"\n', "pyproject.toml": (
        '[tool.oai-lint]\nbaseline = "ci/baseline.json"\nformat = "json"\njobs = 2\n'
        'exclude = ["deploy/"]\nextend-exclude = ["vendor/"]\n')})
    (repo / "ci").mkdir()
    missing = oai_lint(repo)
    assert missing.returncode == 2
    assert "ci/baseline.json: baseline file not found (create it with --write-baseline" in missing.stderr
    # --format goes with --write-baseline: the report of what was accepted
    written = oai_lint(repo, "--write-baseline", "ci/baseline.json", "--format", "json")
    assert written.returncode == 0
    accepted = json.loads(written.stdout)["findings"]
    assert {f["path"] for f in accepted} == {"app.py", ".env"}  # deploy/ and vendor/ are excluded
    scan = oai_lint(repo)
    assert scan.returncode == 0, scan.stdout
    report = json.loads(scan.stdout)  # format = "json"
    assert report["findings"] == [] and report["summary"]["baselined"] == len(accepted)
    # the command line wins: --format, and --baseline of another file
    assert oai_lint(repo, "--format", "text").stdout.startswith("All checks passed")
    (repo / "app.py").write_text("print('fixed')\n")
    assert oai_lint(repo, "--write-baseline", "other.json").returncode == 0
    other = json.loads((repo / "other.json").read_text())["findings"]
    assert {f["path"] for f in other} == {".env"}
    assert json.loads(oai_lint(repo, "--baseline", "other.json").stdout)["summary"]["baselined"] == len(other)
    # a subdirectory's run finds the configuration and its baseline
    (repo / "src").mkdir()
    assert oai_lint(repo / "src", "--format", "text").returncode == 0


def test_a_tool_table_in_the_oai_lint_file_gets_a_hint(repo: Path) -> None:
    write_tree(repo, {".oai-lint.toml": '[tool.oai-lint]\nexclude = ["x/"]\n'})
    proc = oai_lint(repo)
    assert proc.returncode == 2
    assert "unknown key 'tool'; a [tool.oai-lint] table belongs in pyproject.toml" in proc.stderr
    assert "write the settings at the top level" in proc.stderr


def test_rule_docs_hold_no_key(tmp_path: Path) -> None:
    from oai_lint.analysis.keys import find_encoded_keys, find_keys
    from oai_lint.ruleset import rule_ids

    docs = tmp_path / "docs"
    docs.mkdir()
    for rid in rule_ids():
        proc = oai_lint(tmp_path, "rule", rid)
        assert proc.returncode == 0, proc.stderr
        assert not list(find_keys(proc.stdout)) and not list(find_encoded_keys(proc.stdout)), rid
        (docs / f"{rid}.md").write_text(proc.stdout)
    assert "sk-proj-…" in (docs / "OAI101.md").read_text()  # the examples still show the key's shape
    found = json.loads(oai_lint(tmp_path, "--format", "json", "docs").stdout)["findings"]
    assert not [f for f in found if f["rule_id"].startswith("OAI1")]


def test_fail_on_none_and_family_names(repo: Path) -> None:
    adopted_repo(repo)
    proc = oai_lint(repo, "--fail-on", "none")
    assert proc.returncode == 0 and "Found" in proc.stdout
    (repo / ".oai-lint.toml").write_text('fail-on = "none"\nselect = ["legacy-sdk"]\n')
    scan = json.loads(oai_lint(repo, "--format", "json").stdout)
    assert scan["findings"] and {f["rule_id"][:4] for f in scan["findings"]} == {"OAI4"}
    assert oai_lint(repo).returncode == 0
    (repo / ".oai-lint.toml").unlink()
    scan = json.loads(oai_lint(repo, "--format", "json", "--select", "credentials,Retries",
                               "--ignore", "OAI106").stdout)
    assert {f["rule_id"] for f in scan["findings"]} == {"OAI101", "OAI303"}


def test_rule_families_are_their_id_prefixes() -> None:
    from oai_lint.ruleset import FAMILY_PREFIXES
    from oai_lint.ruleset.load import all_rules

    for rule in all_rules():
        assert rule.id.startswith(FAMILY_PREFIXES[rule.family]), rule.id


def test_no_colour_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from oai_lint.cli import output

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert output.want_color()
    monkeypatch.setenv("TERM", "dumb")
    assert not output.want_color()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert output.want_color()


SCHEMAS = Path(__file__).parent / "schemas"


def test_concise_output_is_one_line_per_finding(repo: Path) -> None:
    adopted_repo(repo)
    full = json.loads(oai_lint(repo, "--format", "json").stdout)["findings"]
    proc = oai_lint(repo, "--format", "concise")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[:len(full)] == [f"{f['path']}:{f['line']}:{f['column']}: {f['rule_id']} [{f['severity']}] "
                                 f"{f['message']}" for f in full]
    assert lines[len(full)] == "" and lines[-1].startswith(f"Found {len(full)} findings")
    assert "fix:" not in proc.stdout and "docs:" not in proc.stdout
    (repo / ".oai-lint.toml").write_text('format = "concise"\n')
    assert oai_lint(repo).stdout.replace("4 files", "3 files") == proc.stdout  # (one more file)


def test_statistics_count_findings_per_rule(repo: Path) -> None:
    adopted_repo(repo)
    write_tree(repo, {"more.py": "import openai\nopenai.Completion.create(model='text-davinci-003')\n"
                                 "openai.Completion.create(model='code-davinci-002')\n"})
    full = json.loads(oai_lint(repo, "--format", "json").stdout)["findings"]
    proc = oai_lint(repo, "--statistics")
    assert proc.returncode == 1
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    counted = {rid: int(n) for n, rid, _, _ in rows}
    expected = {rid: sum(1 for f in full if f["rule_id"] == rid) for rid in {f["rule_id"] for f in full}}
    assert counted == expected and counted["OAI405"] == 4
    assert [int(n) for n, *_ in rows] == sorted(counted.values(), reverse=True)
    assert rows[0][1] == "OAI405" and rows[0][3] == "Model that OpenAI has shut down"
    as_json = json.loads(oai_lint(repo, "--statistics", "--format", "json").stdout)
    assert {r["rule_id"]: r["count"] for r in as_json} == expected
    assert oai_lint(repo, "--statistics", "--select", "OAI2").stdout == ""


def test_standard_input_is_scanned_as_the_named_file(repo: Path) -> None:
    key = keygen.make_key("proj164")
    buffer = legacy_app(key)

    def piped(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "oai_lint", *args], cwd=repo, input=buffer,
                              capture_output=True, text=True, check=False)

    proc = piped("-", "--stdin-filename", "src/app.py", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    assert {(f["path"], f["rule_id"]) for f in found} == {("src/app.py", r)
                                                          for r in ("OAI101", "OAI401", "OAI405")}
    assert key not in proc.stdout
    assert not (repo / "src").exists()  # nothing is written, the name need not exist
    # the name decides the kind: the same text as a Markdown page is not Python
    as_md = json.loads(piped("-", "--stdin-filename", "notes.md", "--format", "json").stdout)["findings"]
    assert {f["rule_id"] for f in as_md} == {"OAI101"}
    # repository-level rules see the repository around the name: a .env that .gitignore covers is fine
    buffer = "OPENAI_API_KEY=abc\n"
    assert {f["rule_id"] for f in json.loads(piped("-", "--stdin-filename", ".env", "--format", "json").stdout)[
        "findings"]} == {"OAI106"}
    (repo / ".gitignore").write_text(".env\n")
    assert json.loads(piped("-", "--stdin-filename", ".env", "--format", "json").stdout)["findings"] == []
    assert piped("-", "app.py").returncode == 2
    assert "--stdin-filename goes with `-`" in oai_lint(repo, "--stdin-filename", "a.py", ".").stderr


def test_gitlab_code_quality_report_matches_gitlabs_schema(repo: Path) -> None:
    import jsonschema

    adopted_repo(repo)
    full = json.loads(oai_lint(repo, "--format", "json").stdout)["findings"]
    proc = oai_lint(repo, "--format", "gitlab")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text())
    assert isinstance(report, list) and len(report) == len(full)
    for issue in report:
        jsonschema.Draft7Validator(schema).validate(issue)
        # what GitLab's documentation adds to the schema
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in report}) == len(report)  # GitLab tells issues apart by it
    by_place = {(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]): i for i in report}
    for f in full:
        issue = by_place[(f["path"], f["line"], f["rule_id"])]
        assert f["message"] in issue["description"]
    key_issue = by_place[("app.py", 2, "OAI101")]
    assert key_issue["severity"] == "critical"  # high
    # an empty report is an empty array, and a report oai-lint wrote is not scanned again
    (repo / "gl-code-quality-report.json").write_text(proc.stdout)
    again = json.loads(oai_lint(repo, "--format", "json").stdout)
    assert {f["path"] for f in again["findings"]} == {f["path"] for f in full}
    assert json.loads(oai_lint(repo, "--format", "gitlab", "--select", "OAI2").stdout) == []


def test_named_files_compute_the_repository_facts_only_when_a_check_asks(
    repo: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`oai-lint FILES` in one process: nothing about the repository is computed up front, and the env-name
    rule's question (does anything read OPENAI_ORGANIZATION?) is answered from the files that mention the
    name, not from the facts of the whole repository (a pass over it); the findings are those of a full
    scan (issue 14)."""
    from oai_lint.repository import FactsProvider
    from tests.conftest import run_scan

    write_tree(repo, {"app.py": "import os\n\nprint(os.environ.get('HOME'))\n",
                      "deploy/.env.production": "OPENAI_ORGANIZATION=org-abc123\n",
                      "worker.py": "import os\n\nORG = os.environ['OPENAI_ORGANIZATION']\n"})
    calls: list[str] = []
    compute = FactsProvider.compute

    def counted(self: FactsProvider, ctx: object, top: str) -> object:
        calls.append(top)
        return compute(self, ctx, top)  # type: ignore[arg-type]

    monkeypatch.setattr(FactsProvider, "compute", counted)
    assert run_scan(repo, ["app.py"], jobs=1).findings == [] and calls == []
    env = run_scan(repo, ["deploy/.env.production"], jobs=1)
    assert calls == []  # worker.py reads it: git grep finds it, the rest of the repository is not read
    whole = run_scan(repo, jobs=1)
    assert [f for f in whole.findings if f.path == "deploy/.env.production"] == env.findings
