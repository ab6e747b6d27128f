"""The README's quickstart is what CI runs, and the rule files ship inside the wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0], re.S)
    assert len(blocks) == 2, "the quickstart has exactly two commands"
    assert "oai-lint ." in blocks[0]
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert blocks[1].strip() in [line.strip() for line in ci]


@pytest.mark.skipif(not (REPO / "pyproject.toml").exists(), reason="needs the source tree")
def test_wheel_contains_rules_and_works_outside_the_source_tree(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(REPO)], capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("oai_lint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (REPO / "rules").glob("OAI*.yaml"))
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("oai_lint/rules/OAI")) == rule_files
    assert "oai_lint/config_schema.json" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run([sys.executable, "-m", "oai_lint", "rule", "OAI101"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert "Hardcoded OpenAI API key" in out.stdout
    probe = subprocess.run([sys.executable, "-c", "import oai_lint.ruleset.load as r; print(r.rules_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    assert probe.stdout.strip().startswith(str(unpacked))
