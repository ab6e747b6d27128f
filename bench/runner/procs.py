"""Timed child processes: each command runs in a wrapper that reports wall time and peak memory."""

from __future__ import annotations

import base64
import json
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = base64.b64encode(b"OpenAI").decode("ascii")  # built at run time, so no key-like text here
KEY_REGEX = "sk-[A-Za-z0-9_-]*" + MARKER + "[A-Za-z0-9_-]+"
MB = 1_000_000

TARGET_RG_RATIO = 4.0
TARGET_PRECOMMIT_S = 0.150
TARGET_FILES_S = 0.200  # `oai-lint FILES` (10 files, default scope): issue 14
TARGET_FILES_RATIO = 2.0  # ... and at most twice the pre-commit run
TARGET_RSS_MB = 150.0
TARGET_LINEARITY = 2.1

# Runs one command and prints {"wall", "rc", "timed_out", "maxrss_kb", "tree_peak_kb", ...} as JSON.
# With "sample" > 0 a thread also sums Pss (falling back to Rss) over the child's process tree
# every "sample" seconds, which catches worker pools that ru_maxrss (largest single process) misses.
WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, threading, time
spec = json.loads(sys.argv[1])
out = open(spec["stdout"], "wb") if spec["stdout"] else subprocess.DEVNULL
err = open(spec["stderr"], "wb")
peak = [0]
stop = threading.Event()

def tree_kb(root):
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                with open(f"/proc/{pid}/{name}") as fh:
                    kb = next((int(l.split()[1]) for l in fh if l.startswith(field)), None)
            except (OSError, ValueError):
                kb = None
            if kb is not None:
                total += kb
                break
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    todo.extend(int(x) for x in fh.read().split())
        except OSError:
            pass
    return total

t0 = time.perf_counter()
p = subprocess.Popen(spec["cmd"], cwd=spec["cwd"], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                     start_new_session=True)

def sampler():
    while not stop.wait(spec["sample"]):
        peak[0] = max(peak[0], tree_kb(p.pid))

if spec["sample"]:
    threading.Thread(target=sampler, daemon=True).start()
timed_out = []

def kill():
    timed_out.append(True)
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except OSError:
        pass

timer = threading.Timer(spec["timeout"], kill)
timer.daemon = True
timer.start()
rc = p.wait()  # a blocking waitpid: Popen.wait(timeout=...) polls in steps of up to 50 ms
wall = time.perf_counter() - t0
timer.cancel()
stop.set()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rc": rc, "timed_out": bool(timed_out), "maxrss_kb": ru.ru_maxrss,
                  "user": ru.ru_utime, "sys": ru.ru_stime, "tree_peak_kb": peak[0]}))
"""

# A bare single-process Python scan: read every file (except under .git), test a few substrings.
WALK = r"""
import base64, json, os, sys
needles = [base64.b64encode(b"OpenAI"), b"sk-", b"openai", b"OPENAI_"]
hits = [0] * len(needles)
files = nbytes = 0
stack = [sys.argv[1]]
while stack:
    try:
        it = os.scandir(stack.pop())
    except OSError:
        continue
    with it:
        for e in it:
            if e.is_dir(follow_symlinks=False):
                if e.name != ".git":
                    stack.append(e.path)
            elif e.is_file(follow_symlinks=False):
                try:
                    with open(e.path, "rb") as fh:
                        data = fh.read()
                except OSError:
                    continue
                files += 1
                nbytes += len(data)
                for i, n in enumerate(needles):
                    if n in data:
                        hits[i] += 1
print(json.dumps({"files": files, "bytes": nbytes,
                  "files_containing": {n.decode(): h for n, h in zip(needles, hits)}}))
"""


@dataclass
class Bench:
    name: str
    cmd: list[str]
    cwd: str
    ok_codes: tuple[int, ...] = (0,)
    timeout: float = 600.0
    warmup: bool = True
    repeat: bool = True  # False: run once (detect-secrets)
    timeout_is_error: bool = True
    samples: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    tree_peak_kb: int = 0
    last_stdout: str = ""

    def ok_samples(self) -> list[dict[str, Any]]:
        return [s for s in self.samples if s["rc"] in self.ok_codes and not s["timed_out"]]

    def median(self) -> float | None:
        ok = self.ok_samples()
        return statistics.median(s["wall"] for s in ok) if ok else None

    def cpu_median(self) -> float | None:
        """Median user+sys CPU seconds of the command and its children: steadier than wall time on a busy host."""
        ok = self.ok_samples()
        return statistics.median(s["user"] + s["sys"] for s in ok) if ok else None

    def maxrss_mb(self) -> float | None:
        ok = self.ok_samples()
        return max(s["maxrss_kb"] for s in ok) * 1024 / MB if ok else None

    def peak_mb(self) -> float | None:
        """Largest of: biggest single process (ru_maxrss), sampled whole-tree Pss."""
        m = self.maxrss_mb()
        if m is None:
            return None
        return max(m, self.tree_peak_kb * 1024 / MB)


def run_once(b: Bench, tmp: Path, sample: float = 0.0, keep_stdout: bool = True) -> dict[str, Any]:
    out = tmp / "stdout"
    err = tmp / "stderr"
    spec = {
        "cmd": b.cmd,
        "cwd": b.cwd,
        "stdout": str(out) if keep_stdout else "",
        "stderr": str(err),
        "timeout": b.timeout,
        "sample": sample,
    }
    p = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(spec)], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"wrapper failed for {b.name}: {p.stderr.strip()[-2000:]}")
    res: dict[str, Any] = json.loads(p.stdout)
    if keep_stdout:
        b.last_stdout = out.read_text(encoding="utf-8", errors="replace")
    if res["timed_out"]:
        msg = f"{b.name}: timed out after {b.timeout:g}s"
        if b.timeout_is_error:
            b.errors.append(msg)
    elif res["rc"] not in b.ok_codes:
        tail = err.read_text(encoding="utf-8", errors="replace").strip()[-1500:]
        b.errors.append(f"{b.name}: exit code {res['rc']}: {tail}")
    return res


def tool_version(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable ({e})"
    return (p.stdout.strip() or p.stderr.strip()).splitlines()[0] if (p.stdout or p.stderr) else f"rc={p.returncode}"




def run_suite(benches: list[Bench], repeat: int, tmp: Path, label: str) -> None:
    for b in benches:
        if b.warmup:
            print(f"  warm-up: {b.name}", flush=True)
            run_once(b, tmp)
            b.errors.clear()
    for i in range(repeat):
        for b in benches:
            if not b.repeat and i > 0:
                continue
            res = run_once(b, tmp)
            b.samples.append(res)
            state = "timeout" if res["timed_out"] else f"rc={res['rc']}"
            print(
                f"  [{label} {i + 1}/{repeat}] {b.name}: {res['wall']:.3f}s {state} "
                f"maxrss={res['maxrss_kb'] / 1024:.0f}MiB",
                flush=True,
            )
