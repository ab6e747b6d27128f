"""Exit codes when things go wrong: a configuration that cannot be read is exit 2 with one clear line
(never a traceback, never exit 1, which means findings); Ctrl-C is 130; a reader that goes away (``| head
-1``) changes nothing; --write-baseline does not hide files it could not read."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.hostile_support import run_cli

DEEP = 2000

CONFIGS: dict[str, tuple[str, bytes]] = {
    "yaml impossible date": (".oai-lint.yaml", b"exclude: [2001-02-30]\n"),
    "yaml bad !!int": (".oai-lint.yaml", b"max-file-size: !!int twelve\n"),
    "yaml bad !!bool": (".oai-lint.yaml", b"require-reason: !!bool maybe\n"),
    "yaml bad !!float": (".oai-lint.yaml", b"max-file-size: !!float abc\n"),
    "yaml deep list": (".oai-lint.yaml", b"exclude: " + b"[" * 999 + b"]" * 999 + b"\n"),
    "toml deep array": (".oai-lint.toml", b"exclude = " + b"[" * DEEP + b"]" * DEEP + b"\n"),
    "toml latin-1 byte": ("pyproject.toml", b"[tool.oai-lint]\n# caf\xe9\nselect = ['OAI1']\n"),
}


@pytest.mark.parametrize("case", CONFIGS)
def test_unreadable_configuration_is_exit_2(tmp_path: Path, case: str) -> None:
    name, content = CONFIGS[case]
    (tmp_path / name).write_bytes(content)
    (tmp_path / "a.py").write_text("x = 1\n")
    run = run_cli(tmp_path, "check", ".", timeout=60)
    assert run.code == 2, (run.code, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("oai-lint: error: ") and name in lines[0], run.stderr
    assert run.stdout == ""


def _cli(tmp_path: Path, script: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})


def test_ctrl_c_is_130_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    # the scan waits (as a long one would) once the command line has been read
    script = (
        "import sys, time\nimport oai_lint.cli.check as c\n"
        "def slow(*a, **k):\n    sys.stderr.write('scanning\\n'); sys.stderr.flush(); time.sleep(60)\n"
        "c.scan = slow\nsys.argv = ['oai-lint', '.']\nfrom oai_lint.cli import main\nmain()\n"
    )
    proc = _cli(tmp_path, script)
    assert proc.stderr is not None
    assert proc.stderr.readline() == b"scanning\n"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err


@pytest.mark.parametrize(("content", "code"), [("x = 1\n", 0), ("import openai\nopenai.Completion.create()\n", 1)])
def test_a_closed_pipe_changes_no_exit_code(tmp_path: Path, content: str, code: int) -> None:
    (tmp_path / "a.py").write_text(content)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written (`| head -0`)
    try:
        proc = subprocess.run([sys.executable, "-m", "oai_lint", "."], cwd=tmp_path, stdout=write_end,
                              stderr=subprocess.PIPE, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    finally:
        os.close(write_end)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr == b""


def test_notebook_metadata_that_is_not_an_object(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": "x", "outputs": [],
                     "source": ["import openai\n", "openai.Completion.create()\n"]}],
          "metadata": ["not", "an", "object"], "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb))
    run = run_cli(tmp_path, "check", "--format", "json", ".", timeout=60)
    doc = json.loads(run.stdout)
    assert not [n for n in doc["notes"] if "internal error" in n["message"]], doc["notes"]
    assert run.code == 1 and any(f["rule_id"] == "OAI401" for f in doc["findings"]), doc


def test_sigint_reaches_no_worker_traceback(tmp_path: Path) -> None:
    """With worker processes, Ctrl-C (sent to the whole process group) still ends in 130 and one line."""
    for i in range(600):
        (tmp_path / f"m{i}.py").write_text("import openai\n" + "x = 1\n" * 2000)
    proc = subprocess.Popen([sys.executable, "-m", "oai_lint", "-j", "2", "."], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(1.5)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode in (0, 1):
        pytest.skip("the scan finished before the signal")
    assert proc.returncode == 130, err
    assert b"Traceback" not in err


def test_an_internal_error_is_exit_2_and_redacted(tmp_path: Path) -> None:
    import random

    from tests.support.keygen import make_key

    key = make_key("proj56", random.Random(99))
    (tmp_path / "a.py").write_text("x = 1\n")
    script = (
        "import sys\nimport oai_lint.cli.check as c\n"
        f"def broken(*a, **k):\n    raise ValueError('bad value {key}')\n"
        "c.scan = broken\nsys.argv = ['oai-lint', '.']\nfrom oai_lint.cli import main\nmain()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert b"internal error" in proc.stderr and key.encode()[-30:] not in proc.stderr
