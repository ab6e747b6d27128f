"""The executable's own option parser (used so that a scan need not import click) reads a command line
exactly as click does, or leaves it to click; and both paths print and exit the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oai_lint.cli import options, parse
from oai_lint.cli.commands import check_cmd, main
from tests.conftest import git_init, write_tree
from tests.support.keygen import make_key

TOKENS = (
    "check", "rules", "rule", "--", "-", "a.py", "dir", "missing.py", "", "--format", "json", "text", "sarif",
    "JSON", "--format=json", "--format=", "-o", "out.txt", "--output=dir", "--select", "OAI1,oai2",
    "--ignore", "OAI101", "--exclude", "*.md", "--fail-on", "high", "nope", "--exit-zero", "--exit-zero=1",
    "--config", "a.py", "--max-file-size", "5MB", "--no-gitignore", "--force-exclude", "-j", "3", "64",
    "65", "-1", "+2", " 2", "--jobs=0", "-j2", "-v", "-vj", "--verbose", "--scope", "file", "repository",
    "--scope=all", "--baseline", "--write-baseline", "--secrets-baseline", "--require-reason",
    "--sarif-category", "cat", "--sarif-include-suppressed", "--version", "-h", "--help", "--bogus", "--sel",
)


def click_params(args: list[str]) -> dict[str, Any]:
    """The parameters click gives ``check`` for a command line (as DefaultGroup routes it)."""
    rest = args[1:] if args and args[0] == "check" else args
    with check_cmd.make_context("check", list(rest)) as ctx:
        return dict(ctx.params)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "dir").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), max_size=8))
def test_parse_agrees_with_click(tree: Path, args: list[str]) -> None:
    ours = parse(args)
    if ours is None:
        return  # click parses it
    assert ours == click_params(args), args


@pytest.mark.parametrize("args", [
    [], ["check"], ["a.py", "dir"], ["check", "--force-exclude", "--scope", "file", "a.py", "--format", "json",
                                    "--exit-zero"],
    ["--select", "OAI1", "--select=OAI2", "--ignore", "OAI101", "-j", "2", "-v", "a.py", "--jobs", "3"],
    ["--format=sarif", "-o", "out.sarif", "--sarif-category", "x", "--sarif-include-suppressed", "dir"],
    ["--require-reason", "--fail-on", "high", "--max-file-size", "1MB", "--no-gitignore", "--config", "a.py"],
    ["--baseline", "b.json", "--write-baseline", "w.json", "--secrets-baseline", ".secrets.baseline"],
])
def test_parse_reads_the_usual_command_lines(tree: Path, args: list[str]) -> None:
    ours = parse(args)
    assert ours is not None
    assert ours == click_params(args)


@pytest.mark.parametrize("args", [
    ["rules"], ["rule", "OAI101"], ["--help"], ["check", "-h"], ["--version"], ["--", "a.py"], ["-"],
    ["-vj2"], ["-j2"], ["--jobs", "65"], ["--format", "JSON"], ["--format"], ["--exit-zero=1"],
    ["--output", "dir"], ["--select", "-x"], ["--sel", "OAI1"],
])
def test_parse_leaves_the_rest_to_click(tree: Path, args: list[str]) -> None:
    assert parse(args) is None


def test_click_reads_the_option_table() -> None:
    """click's ``check`` is built from ``options.OPTIONS``, the table the fast parser reads: every option
    of the command is a row of the table with the same parameter, kind, check of the value and default."""
    assert click_params([]) == options.DEFAULTS
    seen = set()
    for param in check_cmd.params:
        if not isinstance(param, click.Option) or param.name == "version":
            continue
        rows = {options.BY_FLAG[flag] for flag in param.opts}
        assert len(rows) == 1, param.opts
        opt = rows.pop()
        assert opt.flags == tuple(param.opts) and opt.dest == param.name
        assert opt.kind == ("flag" if param.is_flag else "multiple" if param.multiple else "value"), opt
        if isinstance(param.type, click.Choice):
            assert opt.choices == tuple(param.type.choices), opt
        elif isinstance(param.type, click.Path):
            assert opt.path and not param.type.dir_okay and not param.type.exists, opt
        elif isinstance(param.type, click.IntRange):
            assert opt.int_range == (param.type.min, param.type.max), opt
        elif not param.is_flag:
            assert param.type == click.STRING and opt.choices is opt.int_range is None and not opt.path, opt
        seen.add(opt)
    assert seen == set(options.OPTIONS)


def _run(cwd: Path, how: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str, bool]:
    """Exit code, stdout, stderr, and whether click was imported."""
    code = (
        "import sys\nsys.argv = ['oai-lint', *sys.argv[1:]]\n"
        f"from oai_lint.{how} import main\n"
        "try:\n    main()\nfinally:\n    print('CLICK' if 'click' in sys.modules else 'NOCLICK', file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)
    err, _, marker = proc.stderr.rstrip("\n").rpartition("\n")
    return proc.returncode, proc.stdout, err + "\n" if err else "", marker == "CLICK"


@pytest.mark.parametrize("args", [
    ("app.py", "web"), ("--format", "json", "app.py"), ("--format", "sarif", "--exit-zero"),
    ("--format", "github", "web"), ("--format", "junit"), ("-v", "--scope", "file", "--force-exclude", "."),
    ("--select", "OAI9"), ("nothing-here.py",), ("--max-file-size", "lots"), ("--fail-on", "critical"),
    ("--config", "bad.toml", "app.py"), ("--write-baseline", "base.json"), ("-o", "out.txt", "app.py"),
    ("--require-reason", "app.py"),
])
def test_fast_path_and_click_print_and_exit_the_same(tmp_path: Path, args: tuple[str, ...]) -> None:
    key = make_key("proj164")
    write_tree(tmp_path, {
        "app.py": f'from openai import OpenAI\nclient = OpenAI(api_key="{key}")  # oai-lint: ignore[OAI3]\n',
        "web/page.tsx": "import OpenAI from 'openai';\nconst c = new OpenAI({ dangerouslyAllowBrowser: true });\n",
        "bad.toml": "select = 3\n",
    })
    git_init(tmp_path)
    fast = _run(tmp_path, "cli", *args)
    out_fast = (tmp_path / "out.txt").read_text() if (tmp_path / "out.txt").exists() else None
    (tmp_path / "out.txt").unlink(missing_ok=True)
    (tmp_path / "base.json").unlink(missing_ok=True)
    slow = _run(tmp_path, "cli.commands", *args)
    out_slow = (tmp_path / "out.txt").read_text() if (tmp_path / "out.txt").exists() else None
    assert fast[:3] == slow[:3]
    assert out_fast == out_slow
    assert fast[3] is False and slow[3] is True


def test_shell_completion_goes_to_click(tmp_path: Path) -> None:
    code, out, _, used_click = _run(tmp_path, "cli", env={"_OAI_LINT_COMPLETE": "bash_source"})
    assert used_click
    assert code == 0 and "complete" in out


def test_click_group_is_still_the_api() -> None:
    assert isinstance(main, click.Group) and "check" in main.commands


def test_default_secrets_baseline_name_is_the_modules() -> None:
    from oai_lint import secrets_baseline
    from oai_lint.cli import check

    assert check.DEFAULT_SECRETS_BASELINE == secrets_baseline.DEFAULT_NAME


def test_a_pre_commit_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    """The per-file hook's command line on code that uses OpenAI: none of these modules is needed."""
    write_tree(tmp_path, {
        "app.py": "import openai\nfrom openai import OpenAI\nclient = OpenAI(organization='org-x')\n"
                  "openai.ChatCompletion.create(model='gpt-4o')\n",
        "web/page.ts": "import OpenAI from 'openai';\nconst c = new OpenAI({ dangerouslyAllowBrowser: true });\n",
        ".env.example": "OPENAI_ORGANIZATION=org-123\n",
        "README.md": "Set `OPENAI_API_KEY`.\n",
    })
    git_init(tmp_path)
    probe = (
        "import sys\nsys.argv = ['oai-lint', 'check', '--force-exclude', '--scope', 'file', 'app.py', 'web/page.ts',"
        " '.env.example', 'README.md', '--format', 'json', '--exit-zero']\n"
        "from oai_lint.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "unwanted = ['click', 'oai_lint.analysis.repofacts.facts', 'oai_lint.ruleset.load',\n"
        "            'oai_lint.secrets_baseline', 'yaml', 'importlib.resources', 'jsonschema',\n"
        "            'tree_sitter_typescript', 'pathlib', 'subprocess']\n"
        "print('LOADED', [m for m in unwanted if m in sys.modules], file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert '"rule_id": "OAI401"' in proc.stdout and '"rule_id": "OAI102"' in proc.stdout
    assert "LOADED []" in proc.stderr, proc.stderr


def test_fingerprints_are_sha256() -> None:
    import hashlib

    from oai_lint.findings import _sha256, fingerprint

    data = b"OAI101\0app.py\0k\0key = 1\0" b"1"
    assert _sha256()(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert fingerprint("OAI101", "app.py", "k", "a  b", 1) == hashlib.sha256(
        b"OAI101\0app.py\0k\0a b\0" b"1").hexdigest()[:32]
