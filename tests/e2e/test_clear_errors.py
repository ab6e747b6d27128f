"""Clear errors: bad configuration, unknown rule ids, unreadable or missing paths, a report that cannot be
written, bad option values. Each is one line on stderr that says what is wrong and what to do, exit 2,
no traceback, nothing on stdout. Run as a user runs it: a real process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.hostile_support import run_cli

# (files to write, arguments, parts of the one error line)
CASES: dict[str, tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]] = {
    "toml syntax": ({".oai-lint.toml": "select = [\n"}, (), (".oai-lint.toml: not valid TOML",)),
    "yaml syntax": (
        {".oai-lint.yaml": "select: [OAI1\nignore: x\n"},
        (),
        (".oai-lint.yaml: not valid YAML at line",),
    ),
    "unknown key": ({".oai-lint.toml": "selcet = ['OAI1']\n"}, (), ("unknown key 'selcet'", "known keys:")),
    "wrong type": ({".oai-lint.toml": "select = 'OAI1'\n"}, (), ("select:", "is not of type 'array'")),
    "bad size in config": (
        {".oai-lint.toml": "max-file-size = '5 parsecs'\n"},
        (),
        ("max-file-size", "is not a size such as 5MB"),
    ),
    "not a mapping": ({".oai-lint.yaml": "- select\n"}, (), ("must be a table/mapping of settings",)),
    "pyproject section": (
        {"pyproject.toml": "[tool.oai-lint]\nfail-on = 'urgent'\n"},
        (),
        ("pyproject.toml [tool.oai-lint]: fail-on:",),
    ),
    "unknown rule in config": (
        {".oai-lint.toml": "ignore = ['OAI999']\n"},
        (),
        ("unknown rule id or prefix 'OAI999' in", "`oai-lint rules` lists the rules"),
    ),
    "unknown rule in per-file-ignores": (
        {".oai-lint.toml": "[per-file-ignores]\n'docs/*' = ['OAI998']\n"},
        (),
        ("unknown rule id or prefix 'OAI998' in",),
    ),
    "unknown rule in severity": (
        {".oai-lint.toml": "[severity]\nOAI997 = 'low'\n"},
        (),
        ("unknown rule id or prefix 'OAI997' in",),
    ),
    "config file missing": ({}, ("--config", "nope.toml"), ("nope.toml: configuration file not found",)),
    "config is a directory": ({"cfg/x": ""}, ("--config", "cfg"), ("'cfg' is a directory", "--help")),
    "unknown rule in --select": (
        {},
        ("--select", "OAI1,OAI999"),
        ("unknown rule id or prefix 'OAI999'", "`oai-lint rules` lists the rules"),
    ),
    "unknown rule in --ignore": ({}, ("--ignore", "XYZ"), ("unknown rule id or prefix 'XYZ'",)),
    "missing path": ({}, ("src/missing.py",), ("src/missing.py: no such file or directory",)),
    "report into a missing directory": (
        {},
        ("-o", "out/report.json"),
        ("cannot write the report to out/report.json", "check the path"),
    ),
    "report below a file": (
        {"file.txt": "x"},
        ("-o", "file.txt/report.json"),
        ("cannot write the report to file.txt/report.json",),
    ),
    "report is a directory": ({"out/x": ""}, ("-o", "out"), ("'out' is a directory",)),
    "bad --format": ({}, ("--format", "xml"), ("'xml' is not one of", "--help")),
    "bad --max-file-size": ({}, ("--max-file-size", "lots"), ("cannot read 'lots' as a size such as 5MB",)),
    "bad --jobs": ({}, ("-j", "1000"), ("--jobs", "1000 is not in the range")),
    "unknown option": ({}, ("--colour",), ("No such option '--colour'", "--help")),
    "unknown rule for `rule`": ({}, ("rule", "OAI999"), ("unknown rule 'OAI999'", "`oai-lint rules`")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_line_exit_2_no_traceback(tmp_path: Path, case: str) -> None:
    files, args, parts = CASES[case]
    (tmp_path / "app.py").write_text("print('hello')\n")
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content)
    if not any(name.startswith((".oai-lint", "pyproject")) for name in files):
        (tmp_path / ".oai-lint.toml").write_text("")  # keep any configuration further up out of it
    cmd = (
        args if args[:1] == ("rule",) else (*args, ".") if not any(a.endswith(".py") for a in args) else args
    )
    r = run_cli(tmp_path, *cmd, timeout=60, memory=1 << 30)
    assert r.code == 2, (r.code, r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("oai-lint: error: "), line
    for part in parts:
        assert part in line, (part, line)
