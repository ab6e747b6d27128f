"""A scanned repository cannot forge report lines or write to the terminal: control characters in file
names (and in anything else a message quotes) are escaped in every format, and the output is valid UTF-8
even when a file name is not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import git_init
from tests.support.hostile_support import output_formats, run_cli

FORGED = "::error file=forged.py,line=1::forged"
HOSTILE_NAMES = [
    f".env.x\n{FORGED}\n",  # a new line, then a GitHub workflow command
    ".env.y\rforged.py:1:1: OAI101 [critical] forged",  # a carriage return rewrites the line on a terminal
    ".env.z\x1b]52;c;ZXZpbA==\x07\x1b[2J",  # OSC 52 (writes the clipboard), CSI clear screen
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forge")
    git_init(root)
    for name in HOSTILE_NAMES:
        (root / name).write_text("OPENAI_API_KEY=x\n")
    # a name that is not UTF-8
    with open(os.path.join(os.fsencode(root), b".env.caf\xe9"), "w") as fh:
        fh.write("OPENAI_API_KEY=x\n")
    (root / "app.py").write_text("import openai\nopenai.Completion.create()  # oai-lint: ignore[OAI401] \x1b[31mred\n")
    return root


@pytest.mark.parametrize("fmt", output_formats())
def test_no_format_can_be_forged(tree: Path, fmt: str) -> None:
    run = run_cli(tree, "check", "--format", fmt, "--verbose", "--sarif-include-suppressed", ".", timeout=60)
    assert run.code == 1, run.stderr
    raw = run.stdout.encode("utf-8", "surrogateescape")
    raw.decode("utf-8")  # valid UTF-8
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout and "\r" not in run.stdout
    lines = run.stdout.splitlines()
    assert not [line for line in lines if line.startswith(("::error file=forged", "forged.py"))], run.stdout
    if fmt == "github":
        assert all(line.startswith("::") for line in lines), run.stdout
    if fmt in ("json", "sarif"):
        json.loads(run.stdout)
    if fmt == "text":
        assert sum("OAI106" in line for line in lines) == 4, run.stdout


def test_non_utf8_name_is_escaped_in_the_message(tree: Path) -> None:
    run = run_cli(tree, "check", "--format", "json", "--select", "OAI106", ".", timeout=60)
    messages = [f["message"] for f in json.loads(run.stdout)["findings"]]
    assert any("caf\\xe9" in m for m in messages), messages


def _clean(text: str) -> bool:
    return "\x1b" not in text and "\x07" not in text and "\r" not in text


def test_fix_summaries_and_diffs_cannot_act_on_the_terminal(tmp_path: Path) -> None:
    git_init(tmp_path)
    name = "evil\x1b]0;title\x07\x1b[2J.py"
    (tmp_path / name).write_text('from openai import OpenAI\nc = OpenAI()\n'
                                 'c.chat.completions.create(model="gpt-4-32k\x1b]0;pwn\x07", messages=[])\n'
                                 'c.chat.completions.create(model="gpt-4-32k", messages=[])\n')
    run = run_cli(tmp_path, "check", "--diff", "--unsafe-fixes", ".", timeout=60)
    assert "would fix 1 finding" in run.stderr
    assert "--- a/evil\\x1b]0;title\\x07\\x1b[2J.py" in run.stdout  # shown, escaped
    assert _clean(run.stdout) and _clean(run.stderr)


def test_a_configured_path_in_an_error_cannot_act_on_the_terminal(tmp_path: Path) -> None:
    git_init(tmp_path)
    (tmp_path / ".oai-lint.toml").write_text('baseline = "b\\u001b]0;t\\u0007.json"\n')
    run = run_cli(tmp_path, "check", ".", timeout=60)
    assert run.code == 2 and "b\\x1b]0;t\\x07.json" in run.stderr and _clean(run.stderr)
