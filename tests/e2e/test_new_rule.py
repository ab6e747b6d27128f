"""The generator and the rule scaffolding, run as a contributor runs them, in a temporary copy of the
repository (nothing is left behind in this one)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import REPO


@pytest.fixture
def copy() -> Iterator[Path]:
    """The package, the rule files, the scripts and the README, copied to a directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="oai-lint-copy-") as tmp:
        root = Path(tmp)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for name in ("oai_lint", "rules", "scripts"):
            shutil.copytree(REPO / name, root / name, ignore=ignore)
        shutil.copy2(REPO / "README.md", root / "README.md")
        yield root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A Python command in the copy, importing the copy's oai_lint."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_generate_check_names_each_stale_table_and_generate_rewrites_them(copy: Path) -> None:
    assert run(copy, "scripts/generate.py", "--check").returncode == 0
    # a rule file added without regenerating: the rule table and the README's table are stale
    data = yaml.safe_load((copy / "rules" / "OAI306.yaml").read_text(encoding="utf-8"))
    data.update(id="OAI307", title="A rule added without regenerating the tables", summary="a new rule")
    (copy / "rules" / "OAI307.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    # a manifest that no longer says what the @check decorators say (e.g. a rule id added to one)
    manifest = copy / "oai_lint" / "checks" / "_manifest.py"
    text = manifest.read_text(encoding="utf-8")
    assert text.count("('OAI102',)") == 1
    manifest.write_text(text.replace("('OAI102',)", "('OAI101',)"), encoding="utf-8")

    proc = run(copy, "scripts/generate.py", "--check")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"out of date: {rel} (run: python scripts/generate.py)"
        for rel in ("oai_lint/ruleset/_table.py", "oai_lint/checks/_manifest.py", "README.md")]
    assert run(copy, "scripts/generate.py").returncode == 0
    assert run(copy, "scripts/generate.py", "--check").returncode == 0
    assert "| OAI307 | info | a new rule |" in (copy / "README.md").read_text(encoding="utf-8")
    listed = run(copy, "-m", "oai_lint", "rules", "--format", "json")
    assert "OAI307" in [r["id"] for r in json.loads(listed.stdout)]


def test_new_rule_scaffolds_a_rule_the_tests_reject_until_it_is_written(copy: Path) -> None:
    proc = run(copy, "scripts/new_rule.py", "OAI307", "--family", "retries", "--title",
               "Retry that ignores the retry-after header", "--severity", "low")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    saved = list(sys.path)
    sys.path.insert(0, str(copy / "scripts"))
    try:
        import new_rule  # its constants: where it puts the check module and the fixture
    finally:
        sys.path[:] = saved  # new_rule adds the copy's root too
        sys.modules.pop("new_rule", None)
    slug = "retry_that_ignores_the_retry_after"
    module_file = copy / new_rule.CHECK_MODULE.format(package="retries", rule="oai307", slug=slug)
    fixture = copy / new_rule.FIXTURE.format(id="OAI307", slug=slug)
    rule_file = copy / "rules" / "OAI307.yaml"
    assert module_file.is_file() and fixture.is_file()
    assert "# ruleid: OAI307" in fixture.read_text(encoding="utf-8")

    # the rule file is valid, and marked TODO where it needs its author (tests/test_rule_files.py fails)
    data = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
    schema = json.loads((copy / "rules" / "rule.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(data)
    assert (data["id"], data["family"], data["severity"], data["name"]) == (
        "OAI307", "retries", "low", "retry-that-ignores-the-retry-after")
    assert "TODO" in rule_file.read_text(encoding="utf-8")

    # the generator ran: every table knows the rule and its check
    assert run(copy, "scripts/generate.py", "--check").returncode == 0
    manifest = (copy / "oai_lint" / "checks" / "_manifest.py").read_text(encoding="utf-8")
    assert "('OAI307',)" in manifest
    # the stub runs (and reports nothing yet: the rule's bad example fails until the check is written)
    (copy / "app.py").write_text(data["examples"]["bad"][0]["code"], encoding="utf-8")
    scan = run(copy, "-m", "oai_lint", "check", "--select", "OAI307", "--format", "json", "app.py")
    assert scan.returncode == 0, scan.stderr
    assert json.loads(scan.stdout)["findings"] == []

    # the same id again is refused, and nothing is overwritten
    again = run(copy, "scripts/new_rule.py", "OAI307", "--family", "retries", "--title", "Another title here")
    assert again.returncode == 2 and "exists already" in again.stderr
    # an id of another family is refused
    wrong = run(copy, "scripts/new_rule.py", "OAI208", "--family", "retries", "--title", "A title long enough")
    assert wrong.returncode == 2 and "organization-project" in wrong.stderr
