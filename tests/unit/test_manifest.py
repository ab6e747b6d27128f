"""The generated check manifest gives the checks the decorators give (tests/test_rules_cache.py checks
that it is current), and start-up imports no check module it need not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from oai_lint.checks import Check, full_registry, registry


def test_manifest_checks_equal_decorated_checks() -> None:
    def key(c: Check) -> tuple[object, ...]:
        return (c.name, c.rule_ids, c.kinds, c.triggers, c.requires, c.facts, c.text_level)

    assert [key(c) for c in registry()] == [key(c) for c in full_registry()]


def test_a_clean_file_imports_no_check_module(tmp_path: Path) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['oai-lint', 'README.md', '--exit-zero']\n"
        "try:\n    runpy.run_module('oai_lint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.startswith('oai_lint.checks.') and m != 'oai_lint.checks._manifest')\n"
        "print('HEAVY', heavy, 'jsonschema' in sys.modules, 'tree_sitter' in sys.modules)\n"
    )
    (tmp_path / "README.md").write_text("# hello\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("HEAVY"))
    assert line == "HEAVY [] False False", proc.stdout + proc.stderr

