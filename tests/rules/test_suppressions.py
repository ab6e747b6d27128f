"""Suppression comments: unused ones are reported (OAI001), reasons can be required (OAI002), and
rule scopes split the rules between the pre-commit hooks."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

from oai_lint.engine import ScanResult
from tests.conftest import run_scan, write_tree
from tests.support import keygen

_CHARS = string.ascii_letters + string.digits
# built at run time so this file holds no directive of its own
D = "oai-lint" + ": ignore"


def make_key() -> str:
    return keygen.make_key("proj164")


def ids(result: ScanResult) -> list[tuple[str, str, int, int]]:
    return [(f.rule_id, f.path, f.line, f.column) for f in result.findings]


def test_unused_suppression_is_reported_where_it_is_written(repo: Path) -> None:
    write_tree(repo, {
        "app.py": f"import os\n\nKEY = os.environ['OPENAI_API_KEY']  # {D}[OAI101] old test key\n",
        "web/client.ts": f"// {D}[OAI102]\nconst client = new OpenAI();\n",
        "Dockerfile": f"FROM python:3.12\n# {D}[OAI105]\nENV PORT=8080\n",
    })
    assert ids(run_scan(repo)) == [
        ("OAI001", "Dockerfile", 2, 3),
        ("OAI001", "app.py", 3, len("KEY = os.environ['OPENAI_API_KEY']  # ") + 1),
        ("OAI001", "web/client.ts", 1, 4),
    ]
    finding = run_scan(repo).findings[1]
    assert finding.message == f"Suppression comment `{D}[OAI101]` matches no finding"
    assert finding.severity == "low"


def test_used_suppressions_are_not_reported(repo: Path) -> None:
    write_tree(repo, {
        "a.py": f'KEY = "{make_key()}"  # {D}[OAI101] revoked\n',
        "b.py": f'# {D}[OAI1] revoked, kept for the redaction test\nKEY = "{make_key()}"\n',
        "c.py": f'KEY = "{make_key()}"  # {D}\n',
    })
    result = run_scan(repo)
    assert ids(result) == []
    assert len(result.suppressed) == 3


def test_mentions_of_the_syntax_are_not_suppressions_to_report(repo: Path) -> None:
    write_tree(repo, {
        "docs/usage.md": f"Accept a finding with `# {D}[OAI101] reason`.\n",
        "notes.txt": f"{D}[OAI101]\n",
        "tool.py": f'TEMPLATE = "x = 1  # {D}[OAI101]"\n"""Docs: {D}[OAI102] in a docstring."""\n',
        "tool.js": f'const t = "// {D}[OAI101]";\n',
    })
    assert ids(run_scan(repo)) == []


def test_unknown_rule_ids_are_reported(repo: Path) -> None:
    write_tree(repo, {"a.py": f"x = 1  # {D}[OAI999, OAI101]\n"})
    (finding,) = run_scan(repo).findings
    assert finding.rule_id == "OAI001" and finding.message.endswith("(no rule has the id OAI999)")


def test_suppressions_for_rules_not_run_are_not_judged(repo: Path) -> None:
    write_tree(repo, {"a.py": f"x = 1  # {D}[OAI101]\n", "b.py": f"y = 2  # {D}\n"})
    assert [f.path for f in run_scan(repo).findings] == ["a.py", "b.py"]
    # OAI101 does not run: its suppression may be needed; a blanket one too
    assert ids(run_scan(repo, select=["OAI0", "OAI102"])) == []
    assert ids(run_scan(repo, ignore=["OAI101"])) == []
    assert ids(run_scan(repo, ignore=["OAI001"])) == []
    assert ids(run_scan(repo, scope="repository")) == []  # OAI001 is a per-file rule


def test_detect_secrets_pragmas_are_never_reported_unused(repo: Path) -> None:
    write_tree(repo, {"a.py": "password = load()  # pragma: allowlist secret\n"})
    assert ids(run_scan(repo)) == []


def test_meta_findings_cannot_be_suppressed_by_the_comment_itself(repo: Path) -> None:
    write_tree(repo, {"a.py": f"x = 1  # {D}\n", "b.py": f"y = 2  # {D}[OAI001]\n"})
    assert [f.rule_id for f in run_scan(repo).findings] == ["OAI001", "OAI001"]


def test_require_reason(repo: Path) -> None:
    write_tree(repo, {
        "a.py": f'KEY = "{make_key()}"  # {D}[OAI101]\n',
        "b.py": f'KEY = "{make_key()}"  # {D}[OAI101] -- revoked, kept to test redaction\n',
        "c.py": f'KEY = "{make_key()}"  # pragma: allowlist secret\n',
        "d.py": f'# {D}[OAI101]:\nKEY = "{make_key()}"\n',
    })
    assert ids(run_scan(repo)) == []
    column = len('KEY = "') + 164 + len('"  # ') + 1
    expected = [("OAI002", "a.py", 1, column), ("OAI002", "d.py", 1, 3)]
    assert ids(run_scan(repo, require_reason=True)) == expected


def test_require_reason_from_the_command_line_and_the_configuration(repo: Path) -> None:
    write_tree(repo, {"a.py": f'KEY = "{make_key()}"  # {D}[OAI101]\n'})

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "oai_lint", *args, "."], cwd=repo, capture_output=True,
                              text=True, check=False)

    assert run().returncode == 0
    flagged = run("--require-reason")
    assert flagged.returncode == 1
    assert f"a.py:1:177: OAI002 [low] Suppression comment `{D}[OAI101]` gives no reason" in flagged.stdout
    (repo / ".oai-lint.toml").write_text("require-reason = true\n")
    assert run().returncode == 1


def test_scopes_split_the_rules(repo: Path) -> None:
    write_tree(repo, {".env": "OPENAI_API_KEY=k-prod-8d1f2a93c7e4\n", "a.py": f'KEY = "{make_key()}"\n'})
    assert {f.rule_id for f in run_scan(repo).findings} == {"OAI101", "OAI106"}
    assert {f.rule_id for f in run_scan(repo, scope="file").findings} == {"OAI101"}
    assert {f.rule_id for f in run_scan(repo, scope="repository").findings} == {"OAI106"}


def test_rule_scope_reads_the_same_value_as_the_rule_file() -> None:
    from oai_lint.ruleset import rule_scope
    from oai_lint.ruleset.load import all_rules

    assert {r.id: r.scope for r in all_rules()} == {r.id: rule_scope(r.id) for r in all_rules()}
    assert rule_scope("OAI106") == "repository"
