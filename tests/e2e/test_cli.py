"""The command line as a user drives it: exit codes, selection, configuration, output, suppressions."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from oai_lint.cli.commands import main
from oai_lint.ruleset import rule_ids
from tests.conftest import write_tree
from tests.support.keygen import make_key

RNG = random.Random(7)
KEY = make_key("proj164", RNG)
LEGACY = make_key("legacy", RNG)


def cli(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(root)
    try:
        res = runner.invoke(main, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def leaky(repo: Path) -> Path:
    write_tree(repo, {
        "app.py": f'from openai import OpenAI\nclient = OpenAI(api_key="{KEY}")\n',
        "web/page.tsx": "const c = new OpenAI({ dangerouslyAllowBrowser: true });\n",
        "clean.py": "print('hello')\n",
    })
    return repo


def test_findings_exit_1_with_ruff_style_lines(leaky: Path) -> None:
    code, out, _ = cli(leaky, ".")
    assert code == 1
    assert f"app.py:2:26: OAI101 [high] OpenAI project key sk-proj-…{KEY[-4:]} is hardcoded" in out
    assert "web/page.tsx:1:24: OAI102" in out
    assert "  fix: Revoke and rotate the key" in out
    assert "  docs: https://help.openai.com/en/articles/5112595" in out
    assert out.rstrip().splitlines()[-1].startswith("Found 2 findings (2 high); 3 files scanned")
    assert KEY not in out


def test_clean_tree_exits_0(repo: Path) -> None:
    write_tree(repo, {"a.py": "import os\nkey = os.environ['OPENAI_API_KEY']\n"})
    code, out, _ = cli(repo)
    assert code == 0
    assert out.startswith("All checks passed; 1 file scanned")


def test_exit_zero_and_fail_on(leaky: Path) -> None:
    assert cli(leaky, ".", "--exit-zero")[0] == 0
    assert cli(leaky, ".", "--fail-on", "critical")[0] == 0
    assert cli(leaky, ".", "--fail-on", "high")[0] == 1


def test_select_and_ignore_by_id_and_prefix(leaky: Path) -> None:
    _, out, _ = cli(leaky, ".", "--select", "OAI102")
    assert "OAI102" in out and "OAI101" not in out
    _, out, _ = cli(leaky, ".", "--ignore", "OAI10")
    assert "All checks passed" in out
    _, out, _ = cli(leaky, ".", "--select", "OAI1", "--ignore", "OAI101,OAI103")
    assert "OAI102" in out and "OAI101" not in out


def test_unknown_rule_is_a_usage_error(leaky: Path) -> None:
    code, out, err = cli(leaky, ".", "--select", "OAI999")
    assert code == 2 and out == ""
    assert err.strip() == "oai-lint: error: unknown rule id or prefix 'OAI999'; `oai-lint rules` lists the rules"


def test_missing_path_is_a_usage_error(leaky: Path) -> None:
    code, _, err = cli(leaky, "nope.py")
    assert code == 2 and "nope.py: no such file or directory" in err


def test_json_output_document(leaky: Path) -> None:
    code, out, _ = cli(leaky, ".", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["tool"] == "oai-lint"
    first = doc["findings"][0]
    for key in ("rule_id", "severity", "path", "line", "column", "message", "fix", "doc_url"):
        assert key in first
    assert first["path"] == "app.py" and first["line"] == 2 and first["column"] == 26
    assert doc["summary"]["findings"] == 2 and doc["summary"]["by_severity"]["high"] == 2


def test_output_file_and_unwritable_output(leaky: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = cli(leaky, ".", "--format", "json", "-o", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["findings"] == 2
    code, _, err = cli(leaky, ".", "-o", str(tmp_path / "missing-dir" / "r.txt"))
    assert code == 2 and "cannot write the report to" in err and "Traceback" not in err


def test_colour_only_when_asked(leaky: Path) -> None:
    _, out, _ = cli(leaky, ".", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in out
    _, out, _ = cli(leaky, ".", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in out


def test_version_and_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "oai_lint", "--version"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("oai-lint, version ")


def test_rules_and_rule_docs(tmp_path: Path) -> None:
    code, out, _ = cli(tmp_path, "rules")
    assert code == 0 and all(rid in out for rid in rule_ids())
    code, out, _ = cli(tmp_path, "rule", "oai101")
    assert code == 0
    for heading in ("# Hardcoded OpenAI API key (OAI101)", "## What it does", "## Why is this bad?",
                    "## Example", "## Use instead", "## Fix", "https://help.openai.com/"):
        assert heading in out
    code, _, err = cli(tmp_path, "rule", "OAI000")
    assert code == 2 and "unknown rule" in err


# -- configuration ------------------------------------------------------------------------------------

def test_pyproject_config_select_and_per_file_ignores(leaky: Path) -> None:
    (leaky / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.oai-lint]\nignore = ["OAI102"]\n'
        'per-file-ignores = { "app.py" = ["OAI101"] }\n'
    )
    code, out, _ = cli(leaky, ".")
    assert code == 0, out


def test_yaml_config_severity_override_and_fail_on(leaky: Path) -> None:
    (leaky / ".oai-lint.yaml").write_text("severity:\n  OAI102: low\nfail-on: high\nselect: [OAI102]\n")
    code, out, _ = cli(leaky, ".")
    assert "OAI102 [low]" in out and code == 0


@pytest.mark.parametrize(("content", "message"), [
    ('[tool.oai-lint]\nselct = ["OAI1"]\n', "unknown key 'selct'"),
    ('[tool.oai-lint]\nselect = "OAI1"\n', "select: 'OAI1' is not of type 'array'"),
    ('[tool.oai-lint]\nseverity = { OAI101 = "urgent" }\n', "severity.OAI101"),
    ('[tool.oai-lint]\nignore = ["E501"]\n', "'E501' is not a rule id"),
    ('[tool.oai-lint\n', "not valid TOML"),
])
def test_bad_configuration_exits_2_naming_the_key(leaky: Path, content: str, message: str) -> None:
    (leaky / "pyproject.toml").write_text(content)
    code, out, err = cli(leaky, ".")
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_config_exclude_is_relative_to_the_config_file(leaky: Path) -> None:
    (leaky / ".oai-lint.toml").write_text('exclude = ["/app.py", "web/"]\n')
    code, out, _ = cli(leaky, ".")
    assert code == 0, out


# -- discovery ----------------------------------------------------------------------------------------

def test_gitignore_nested_and_default_excludes(repo: Path) -> None:
    write_tree(repo, {
        ".gitignore": "secrets/\n",
        "pkg/.gitignore": "local_*.py\n",
        "secrets/a.py": f'k = "{LEGACY}"\n',
        "pkg/local_conf.py": f'k = "{LEGACY}"\n',
        "pkg/conf.py": f'k = "{LEGACY}"\n',
        "node_modules/lib/index.js": f'k = "{LEGACY}"\n',
        ".venv/lib/x.py": f'k = "{LEGACY}"\n',
    })
    _, out, _ = cli(repo, ".", "--format", "json")
    paths = {f["path"] for f in json.loads(out)["findings"]}
    assert paths == {"pkg/conf.py"}
    _, out, _ = cli(repo, ".", "--format", "json", "--no-gitignore")
    paths = {f["path"] for f in json.loads(out)["findings"]}
    assert paths == {"pkg/conf.py", "pkg/local_conf.py", "secrets/a.py"}


def test_exclude_option_and_explicit_files(repo: Path) -> None:
    write_tree(repo, {"gen/a.py": f'k = "{LEGACY}"\n', "b.py": f'k = "{LEGACY}"\n'})
    _, out, _ = cli(repo, ".", "--exclude", "gen/", "--format", "json")
    assert {f["path"] for f in json.loads(out)["findings"]} == {"b.py"}
    # a file named on the command line is scanned unless --force-exclude
    _, out, _ = cli(repo, "gen/a.py", "--exclude", "gen/", "--format", "json")
    assert {f["path"] for f in json.loads(out)["findings"]} == {"gen/a.py"}
    _, out, _ = cli(repo, "gen/a.py", "--exclude", "gen/", "--force-exclude", "--format", "json")
    assert json.loads(out)["findings"] == []


def test_size_cap_binary_and_symlink_notes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside.py"
    outside.write_text(f'k = "{LEGACY}"\n')
    write_tree(root, {
        "big.txt": "x" * 2000 + f" {LEGACY}\n",
        "blob.py": b"\x00\x01\x02" + LEGACY.encode(),
        "ok.py": f'k = "{LEGACY}"\n',
    })
    os.symlink(outside, root / "link.py")
    _, out, _ = cli(root, ".", "--format", "json", "--max-file-size", "1KB")
    doc = json.loads(out)
    assert {f["path"] for f in doc["findings"]} == {"ok.py"}
    notes = {n["path"]: n["message"] for n in doc["notes"]}
    assert "above the size cap" in notes["big.txt"]
    assert notes["blob.py"] == "binary content; skipped"
    assert "outside the scanned directory" in notes["link.py"]


def test_output_order_is_deterministic(repo: Path) -> None:
    write_tree(repo, {f"d{i}/f{j}.py": f'k = "{LEGACY}"\n' for i in range(3) for j in range(3)})
    outs = {cli(repo, ".", "--format", "json", "-j", str(j))[1] for j in (1, 2)}
    assert len(outs) == 1


# -- suppressions ---------------------------------------------------------------------------------------

def test_inline_suppressions_in_every_comment_style(repo: Path) -> None:
    write_tree(repo, {
        "a.py": f'k = "{LEGACY}"  # oai-lint: ignore[OAI101] test fixture\n',
        "b.js": f'// oai-lint: ignore[OAI101] rotated long ago\nconst k = "{LEGACY}";\n',
        "c.yaml": f"# oai-lint: ignore\nkey: {LEGACY}\n",
        "d.md": f"<!-- oai-lint: ignore[OAI1] docs -->\n{LEGACY}\n",
        "e.ts": f'const k = "{LEGACY}"; /* oai-lint: ignore[OAI101] */\n',
        "f.py": f'k = "{LEGACY}"  # pragma: allowlist secret\n',
        "g.py": f'# pragma: allowlist nextline secret\nk = "{LEGACY}"\n',
        "h.py": f'k = "{LEGACY}"  # oai-lint: ignore[OAI102] wrong rule\n',
        "i.py": f'# oai-lint: ignore[OAI101]\nx = 1\nk = "{LEGACY}"\n',
    })
    _, out, _ = cli(repo, ".", "--format", "json")
    doc = json.loads(out)
    assert {(f["path"], f["line"], f["rule_id"]) for f in doc["findings"]} == {
        ("h.py", 1, "OAI101"), ("i.py", 3, "OAI101"),
        # the two comments that suppress nothing are reported as unused (OAI001)
        ("h.py", 1, "OAI001"), ("i.py", 1, "OAI001"),
    }
    assert doc["summary"]["suppressed"] == 7


def test_minified_bundle_gets_key_rules_only(repo: Path) -> None:
    bundle = "var a=1;" * 20000 + f'var k="{LEGACY}";var c=new OpenAI({{dangerouslyAllowBrowser:true}});'
    write_tree(repo, {"dist2/app.min.js": bundle})
    _, out, _ = cli(repo, ".", "--format", "json")
    doc = json.loads(out)
    assert [f["rule_id"] for f in doc["findings"]] == ["OAI101"]
    assert any("minified" in n["message"] for n in doc["notes"])
