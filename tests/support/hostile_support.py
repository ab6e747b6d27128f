"""Helpers for the hostile-input, property and no-network tests: generated keys, the output formats the
command line offers, and running ``oai-lint`` in a child process with time and memory limits."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "_-"
MARKER = "T3BlbkFJ"
PROBE = str(Path(__file__).with_name("hostile_probe.py"))
NETWORK_EXIT = 97

# (prefix, length of each random half, alphabet): the key formats oai_lint.analysis.keys recognises
KEY_SHAPES = {
    "legacy": ("sk-", 20, ALNUM),
    "proj56": ("sk-proj-", 20, ALNUM),
    "proj132": ("sk-proj-", 58, B64URL),
    "proj164": ("sk-proj-", 74, B64URL),
    "svcacct167": ("sk-svcacct-", 74, B64URL),
    "admin133": ("sk-admin-", 58, B64URL),
    "none164": ("sk-None-", 74, B64URL),
    "named": ("sk-billing-bot-", 20, ALNUM),
}


def fake_key(rng: random.Random, shape: str = "proj164") -> str:
    """A key of the given shape with random halves (never a literal in the repository)."""
    from oai_lint.analysis.keys import is_placeholder

    prefix, n, alphabet = KEY_SHAPES[shape]
    while True:  # random text may spell a placeholder ("fake", "your"…), which is rightly not reported
        left = "".join(rng.choice(alphabet) for _ in range(n))
        right = "".join(rng.choice(alphabet) for _ in range(n))
        if not (is_placeholder(left) or is_placeholder(right) or is_placeholder(left + right)):
            return prefix + left + MARKER + right


def key_halves(key: str) -> tuple[str, str]:
    """The two random halves of a key (either one printed would be a leak)."""
    left, right = key.split(MARKER)
    for shape_prefix, _, _ in sorted(KEY_SHAPES.values(), key=lambda s: -len(s[0])):
        if left.startswith(shape_prefix):
            return left[len(shape_prefix) :], right
    return left, right


def output_formats() -> tuple[str, ...]:
    """Every ``--format`` the ``check`` command accepts (new reporters are covered automatically)."""
    from oai_lint.cli.commands import check_cmd

    for param in check_cmd.params:
        if param.name == "fmt":
            assert isinstance(param.type, click.Choice)
            return tuple(str(c) for c in param.type.choices)
    raise AssertionError("the check command has no --format option")


def assert_no_leak(text: str, keys: list[str]) -> None:
    for key in keys:
        assert key not in text, "a full key was printed"
        for half in key_halves(key):
            assert half not in text, "half of a key was printed"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def _limits(memory: int) -> None:  # runs in the child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(
    cwd: Path,
    *args: str,
    probe: tuple[str, ...] = (),
    timeout: float = 120,
    memory: int = 2 << 30,
    env: dict[str, str] | None = None,
) -> Run:
    """``oai-lint ARGS`` in a child process (through ``tests/support/hostile_probe.py`` for instrumentation),
    killed after ``timeout`` seconds, its address space limited to ``memory`` bytes: a hang or a
    blow-up fails the test instead of the machine."""
    cmd = [sys.executable, PROBE, *probe, "--", *args]
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": "0", **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    start = time.monotonic()
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        env=full_env,
        preexec_fn=lambda: _limits(memory),
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.monotonic() - start,
    )
