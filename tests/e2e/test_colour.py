"""Colour as a user sees it: each severity in its colour when colour is on (FORCE_COLOR, or a terminal
that is not dumb), and not one escape sequence with NO_COLOR, TERM=dumb, a pipe or ``-o FILE``; the
history report follows the same rules. The processes are real ones, on a pipe or a pseudo-terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git_init, write_tree
from tests.support.history_repo import Repo
from tests.support.keygen import make_key

KEY = make_key("proj164")
ESC = "\x1b"
# the rule id of a finding of each severity, as a colour terminal shows it (click.style's sequences)
RED_BOLD, RED, YELLOW, CYAN, BOLD, DIM, RESET = ("\x1b[31m\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[1m",
                                                  "\x1b[2m", "\x1b[0m")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Findings of four severities: OAI202 made critical, OAI101 high, OAI403 medium, OAI001 low."""
    root = tmp_path_factory.mktemp("colour")
    write_tree(root, {
        "app.py": f'from openai import OpenAI\nclient = OpenAI(organization="acme")\nkey = "{KEY}"\n'
                  "x = 1  # oai-lint: ignore[OAI101]\n",
        "requirements.txt": "openai<1\n",
        ".oai-lint.toml": '[severity]\nOAI202 = "critical"\n',
    })
    git_init(root)
    return root


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _probe(*args: str) -> list[str]:
    """A run of oai-lint that reports on stderr whether it imported click."""
    return [sys.executable, "-c",
            "import sys\nsys.argv = ['oai-lint', *sys.argv[1:]]\nfrom oai_lint.cli import main\n"
            "try:\n    main()\nfinally:\n"
            "    print('CLICK' if 'click' in sys.modules else 'NOCLICK', file=sys.stderr)\n",
            *args]


def on_pipe(cwd: Path, *args: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_probe(*args), cwd=cwd, env=_env(**env), capture_output=True, text=True, check=False)


def on_terminal(cwd: Path, *args: str, **env: str | None) -> str:
    """What oai-lint writes to a terminal (a pseudo-terminal as its stdout)."""
    import pty

    main_fd, term_fd = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "oai_lint", *args], cwd=cwd, env=_env(**env),
                                stdout=term_fd, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        os.close(term_fd)
        chunks = []
        while True:
            try:
                data = os.read(main_fd, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=60)
    finally:
        os.close(main_fd)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _assert_coloured(out: str) -> None:
    assert f"{RED_BOLD}OAI202{RESET} [critical]" in out
    assert f"{RED}OAI101{RESET} [high]" in out
    assert f"{YELLOW}OAI403{RESET} [medium]" in out
    assert f"{CYAN}OAI001{RESET} [low]" in out
    assert f"{BOLD}app.py:2:" in out and f"  {DIM}fix:{RESET} " in out
    assert f"{BOLD}Found 4 findings (1 critical, 1 high, 1 medium, 1 low)" in out
    assert KEY not in out


def test_force_color_colours_each_severity_even_on_a_pipe(project: Path) -> None:
    proc = on_pipe(project, ".", FORCE_COLOR="1")
    assert proc.returncode == 1
    _assert_coloured(proc.stdout)
    assert ESC not in proc.stderr


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_gets_colour_unless_dumb_or_no_color(project: Path) -> None:
    _assert_coloured(on_terminal(project, "."))
    for env in ({"TERM": "dumb"}, {"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}):
        out = on_terminal(project, ".", **env)
        assert "OAI202 [critical]" in out and ESC not in out, env


def test_a_pipe_gets_no_colour_and_no_click(project: Path) -> None:
    """A colourless run (every pre-commit run) does not import click to style or to strip anything."""
    proc = on_pipe(project, ".")
    assert proc.returncode == 1 and "OAI202 [critical]" in proc.stdout and "Found 4 findings" in proc.stdout
    assert ESC not in proc.stdout and ESC not in proc.stderr
    assert proc.stderr.rstrip().endswith("NOCLICK")


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_a_report_file_never_gets_escapes(project: Path, fmt: str) -> None:
    out = project / f"report-{fmt}.txt"
    try:
        proc = on_pipe(project, "--format", fmt, "-o", str(out), "app.py", "requirements.txt", FORCE_COLOR="1")
        assert proc.returncode == 1
        text = out.read_text(encoding="utf-8")
        assert "OAI202 [critical]" in text and "OAI403 [medium]" in text
        assert ESC not in text and ESC not in proc.stdout
    finally:
        out.unlink(missing_ok=True)


def test_history_report_follows_the_same_rules(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "h")
    repo.commit({"app.py": f'key = "{KEY}"\n'})
    repo.commit({"app.py": "import os\nkey = os.environ['OPENAI_API_KEY']\n"})
    forced = on_pipe(repo.path, "history", FORCE_COLOR="1")
    assert forced.returncode == 1
    assert f"{RED}OAI101{RESET} [high]" in forced.stdout and f"  {DIM}added:{RESET} commit " in forced.stdout
    assert f"{BOLD}Found 1 key in history" in forced.stdout
    plain = on_pipe(repo.path, "history", FORCE_COLOR="1", NO_COLOR="1")
    assert "OAI101 [high]" in plain.stdout and ESC not in plain.stdout
    report = tmp_path / "history.txt"
    to_file = on_pipe(repo.path, "history", "-o", str(report), FORCE_COLOR="1")
    assert to_file.returncode == 1
    assert "OAI101 [high]" in report.read_text(encoding="utf-8") and ESC not in report.read_text(encoding="utf-8")
    assert KEY not in forced.stdout + plain.stdout + report.read_text(encoding="utf-8")
