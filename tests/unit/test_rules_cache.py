"""The generated tables (the rule table a scan reads instead of rules/*.yaml, the check manifest, the
README's rule table) match their sources: the rule files and the @check decorators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from oai_lint import ruleset
from oai_lint.ruleset.load import all_rules, rule_files
from tests.support.scripts import load_script


def test_every_generated_table_is_current() -> None:
    """Compared with what the YAML files and the decorators give now, not with another generated table."""
    assert load_script("generate").stale() == [], "run: python scripts/generate.py"


def test_rule_info_equals_the_rule_files() -> None:
    assert ruleset.rule_ids() == rule_files()
    for rule in all_rules():
        info = ruleset.rule_info(rule.id)
        assert (info.scope, info.severity, info.title, info.message, info.fix, info.doc_url) == (
            rule.scope, rule.severity, rule.title, rule.message, rule.fix, rule.doc_url)
        assert info.render_message({}) == rule.render_message({})


def test_a_scan_with_findings_reads_no_rule_file(tmp_path: Path) -> None:
    probe = (
        "import sys\nsys.argv = ['oai-lint', '--format', 'json', '.']\n"
        "from oai_lint.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('YAML', 'yaml' in sys.modules, 'oai_lint.ruleset.load' in sys.modules, file=sys.stderr)\n"
    )
    (tmp_path / "app.js").write_text("const c = new OpenAI({ dangerouslyAllowBrowser: true });\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert '"rule_id": "OAI102"' in proc.stdout
    assert "YAML False False" in proc.stderr
