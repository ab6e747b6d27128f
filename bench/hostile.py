#!/usr/bin/env python3
"""Pathological inputs from the adversarial review (issue 17): each is scanned by ``oai-lint`` in a child
process limited to 1 GB of address space and killed after 10 s. Prints the time and peak memory of each;
exits 1 when one fails its limits (a hang, a blow-up, a crash).

Usage: python bench/hostile.py [--only NAME] [--time-limit S] [--memory-limit MB] [--oai-lint-cmd CMD]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _dotted_key(size: int) -> str:
    return "[project]\nname = 'x'\ndependencies = ['openai<1']\n[tool.x]\n" + "a." * (size // 2) + "a = 1\n"


def _js_chain(lines: int) -> str:
    return ('import OpenAI from "openai";\nconst openai = new OpenAI();\nopenai.chat.completions.create({})\n'
            + "  .then(r => r)\n" * lines + ";\n")


def _js_nested(depth: int) -> str:
    return ('import OpenAI from "openai";\n' + "function f() {\n" * depth
            + "new OpenAI({ maxRetries: 0 }).chat.completions.create({});\n" + "}\n" * depth)


def _reassigned(size: int) -> str:
    head = "import openai\n"
    block = ("client = openai.OpenAI(max_retries=0)\n"
             "client.chat.completions.create(model='gpt-4o-mini', messages=[])\n")
    return head + block * (size // len(block))


def _notebook(size: int) -> str:
    block = ["client = openai.OpenAI(max_retries=0)\n",
             "client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"]
    src = ["import openai\n"] + block * (size // 110)
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": src}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


# name -> (file name, content builder, size argument)
CASES: dict[str, tuple[str, Callable[[int], str], int]] = {
    "toml dotted key 32 KB (pyproject.toml)": ("pyproject.toml", _dotted_key, 32_000),
    "toml dotted key 64 KB (pyproject.toml)": ("pyproject.toml", _dotted_key, 64_000),
    "toml dotted key 64 KB (.oai-lint.toml)": (".oai-lint.toml", lambda n: "a." * (n // 2) + "a = 1\n", 64_000),
    "js method chain, 20,000 lines": ("app.js", _js_chain, 20_000),
    "js nested functions, depth 3,000": ("app.js", _js_nested, 3_000),
    "js nested functions, depth 20,000": ("app.js", _js_nested, 20_000),
    "python client reassigned, 200 KB": ("app.py", _reassigned, 200_000),
    "notebook client reassigned, 1.3 MB": ("nb.ipynb", _notebook, 1_300_000),
}


def _limit(memory: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_case(name: str, cmd: list[str], time_limit: float, memory: int) -> tuple[bool, str]:
    file_name, build, size = CASES[name]
    with tempfile.TemporaryDirectory(prefix="oai-lint-hostile-") as tmp:
        Path(tmp, file_name).write_text(build(size), encoding="utf-8")
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err_file:
            start = time.monotonic()
            proc = subprocess.Popen([*cmd, "--format", "json", "--no-gitignore", "."], cwd=tmp, stdout=out,
                                    stderr=err_file,
                                    preexec_fn=_limit(memory))
            while True:  # wait4: this child's own peak RSS
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > time_limit:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    return False, f"killed after {time_limit:.0f} s"
                time.sleep(0.02)
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            seconds = time.monotonic() - start
            err_file.seek(0)
            err = err_file.read().decode("utf-8", "replace")
            out.seek(0)
            report = out.read().decode("utf-8", "replace")
        try:  # a report, or (for a configuration it refuses) one error line
            answered = "files_scanned" in report and json.loads(report) is not None
        except ValueError:
            answered = False
        answered = answered or (code == 2 and err.startswith("oai-lint: error:"))
        err += report  # "not enough memory to check this file" notes
        mem = f"{usage.ru_maxrss / 1024:.0f} MB peak RSS"
        broke = any(sign in err for sign in ("Traceback", "MemoryError", "not enough memory"))
        if not answered or broke or code not in (0, 1, 2) or usage.ru_maxrss * 1024 >= memory * 0.9:
            return False, f"exit {code} after {seconds:.1f} s, {mem}: {err.strip().splitlines()[-1:]}"
        return True, f"{seconds:.2f} s, {mem}, exit {code}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run the cases whose name contains this")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--memory-limit", type=int, default=1024, help="MB of address space")
    ap.add_argument("--oai-lint-cmd", default=f"{shlex.quote(sys.executable)} -m oai_lint")
    opts = ap.parse_args(argv)
    cmd = shlex.split(opts.oai_lint_cmd)
    failed = 0
    for name in CASES:
        if opts.only and opts.only not in name:
            continue
        ok, detail = run_case(name, cmd, opts.time_limit, opts.memory_limit << 20)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.exit(main())
