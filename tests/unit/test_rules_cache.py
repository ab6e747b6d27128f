"""The generated rule table (what a scan knows about the rules without reading rules/*.yaml) matches
the rule files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from oai_lint import ruleinfo
from oai_lint.rules import all_rules, cache_source, rule_files
from tests.conftest import REPO


def test_rules_cache_is_current() -> None:
    current = (REPO / "oai_lint" / "_rules.py").read_text(encoding="utf-8")
    assert current == cache_source(), "run: python scripts/gen_rules_cache.py"


def test_rule_info_equals_the_rule_files() -> None:
    assert ruleinfo.rule_ids() == rule_files()
    for rule in all_rules():
        info = ruleinfo.rule_info(rule.id)
        assert (info.scope, info.severity, info.title, info.message, info.fix, info.doc_url) == (
            rule.scope, rule.severity, rule.title, rule.message, rule.fix, rule.doc_url)
        assert info.render_message({}) == rule.render_message({})


def test_a_scan_with_findings_reads_no_rule_file(tmp_path: Path) -> None:
    probe = (
        "import sys\nsys.argv = ['oai-lint', '--format', 'json', '.']\n"
        "from oai_lint.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('YAML', 'yaml' in sys.modules, 'oai_lint.rules' in sys.modules, file=sys.stderr)\n"
    )
    (tmp_path / "app.js").write_text("const c = new OpenAI({ dangerouslyAllowBrowser: true });\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert '"rule_id": "OAI102"' in proc.stdout
    assert "YAML False False" in proc.stderr
