"""Bounded time: the work on one file grows linearly with its size, whatever its shape.

Each case times a view or the whole pipeline on an input of size n and of size 4n. Linear work takes
about 4 times as long; quadratic work about 16 times (these cases found quadratic code: a file of
blank lines that does not parse, notebook cells without source, a minified bundle, a long Dockerfile
ENV). The bound is 8 times plus a little slack for timer noise.
"""

from __future__ import annotations

import gc
import json
import random
import time
from collections.abc import Callable
from typing import Any

import pytest

from oai_lint.checks import Context
from oai_lint.engine import Scanner, Settings
from oai_lint.sources import Source
from tests.support.hostile_support import fake_key

RNG = random.Random(11)


def _seconds(fn: Callable[[Any], object], arg: Any) -> float:
    """The best of three runs in CPU time of this process (the machines are shared: wall time also counts
    other processes), without the cyclic garbage collector (whose full collections add superlinear
    noise on inputs that create many objects, e.g. JSON with 20,000 cells)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            start = time.process_time()
            fn(arg)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def _long_line(n: int) -> str:
    """One very long line (an inlined bundle or data table) among short ones: parsed like any source."""
    long = ";".join(f"function f{i}(e){{return process.env.NODE_ENV||e.k{i}}}" for i in range(n))
    return "const a = 1;\n" * (n // 4) + long + ";\n" + "const b = 2;\n" * (n // 4)


def _notebook(n: int) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "outputs": []} for _ in range(n)], "metadata": {}})


def _js_positions(text: str) -> None:
    tree = Source("app.js", text).js
    assert tree is not None
    for node in tree.walk({"member_expression"}):
        tree.start(node)
        tree.end(node)


def _scan(name: str) -> Callable[[str], None]:
    scanner = Scanner(Settings(), Context(root="."))

    def run(text: str) -> None:
        scanner.scan_source(Source(name, text))

    return run


def _keys_file(n: int) -> str:
    keys = [fake_key(RNG, "legacy") for _ in range(min(n, 50))]
    return "".join(
        f"k{i} = '{keys[i % len(keys)]}'  # oai-lint: ignore[OAI101] fixture {i}\n" for i in range(n)
    )


CASES: dict[str, tuple[Callable[[int], str], Callable[[str], object], int]] = {
    "python that does not parse after blank lines": (
        lambda n: "import openai\n" + "\n" * n + "x = (\n",
        lambda t: Source("a.py", t).python,
        20_000,
    ),
    "notebook cells without source": (_notebook, lambda t: Source("a.ipynb", t).notebook, 5_000),
    "lone carriage returns": (
        lambda n: "ab\r" * n,
        lambda t: Source("a.txt", t).position(len(t) - 1),
        300_000,
    ),
    "positions on a very long line": (_long_line, _js_positions, 3_000),
    "dockerfile ENV continuation lines": (
        lambda n: "FROM python\nENV " + " \\\n    ".join(f"OPENAI_API_KEY_{i}=v" for i in range(n)) + "\n",
        lambda t: Source("Dockerfile", t).settings,
        1_000,
    ),
    "suppressed keys, one per line": (_keys_file, _scan("keys.py"), 2_000),
    "compose environment": (
        lambda n: (
            "services:\n  api:\n    environment:\n"
            + "".join(f"      OPENAI_API_KEY_{i}: v\n" for i in range(n))
        ),
        _scan("docker-compose.yml"),
        3_000,
    ),
    "env file": (
        lambda n: "".join(f"export OPENAI_API_KEY_{i}='v{i}'\n" for i in range(n)),
        _scan(".env"),
        5_000,
    ),
    "markers without keys": (lambda n: ("sk-proj-" + "a1b2" * 5 + "T3BlbkFJ ") * n, _scan("a.txt"), 10_000),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_time_grows_linearly(case: str) -> None:
    make, work, n = CASES[case]
    small, large = make(n), make(4 * n)
    t1, t4 = _seconds(work, small), _seconds(work, large)
    assert t4 < 8 * t1 + 0.05, f"{case}: {t1:.3f} s for n={n}, {t4:.3f} s for 4n (quadratic?)"
