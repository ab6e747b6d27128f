#!/usr/bin/env python3
"""Benchmark oai-lint on a large tree against ripgrep and a bare Python walk.

Usage:
  python bench/run.py PATH [options]
  python bench/run.py --generate [--scale F] [--seed N] [options]

Every command runs in a fresh wrapper process that times it (wall clock, from
spawn to exit) and reads its peak RSS with getrusage(RUSAGE_CHILDREN).  Each
benchmark runs --repeat times, round-robin, after one untimed warm-up run of
the cheap ones (which also fills the page cache), and the median is reported.
See bench/README.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MARKER = base64.b64encode(b"OpenAI").decode("ascii")  # built at run time, so no key-like text here
KEY_REGEX = "sk-[A-Za-z0-9_-]*" + MARKER + "[A-Za-z0-9_-]+"
MB = 1_000_000

TARGET_RG_RATIO = 4.0
TARGET_PRECOMMIT_S = 0.150
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


def manifest_for(tree: Path) -> dict[str, Any] | None:
    path = tree.parent / (tree.name + ".manifest.json")
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def ensure_tree(work_dir: Path, seed: int, scale: float, regenerate: bool) -> Path:
    tree = work_dir / f"tree-seed{seed}-scale{scale:g}"
    m = manifest_for(tree)
    if not regenerate and m and m.get("seed") == seed and m.get("scale") == scale and tree.is_dir():
        print(f"reusing {tree} ({m['files']} files, {m['bytes'] / MB:.1f} MB)")
        return tree
    work_dir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(HERE / "generate.py"), str(tree), "--seed", str(seed), "--scale", f"{scale:g}"]
    if tree.exists():
        cmd.append("--force")
    print("generating:", shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    return tree


def pick_precommit_files(tree: Path, manifest: dict[str, Any] | None, seed: int) -> list[str]:
    """Ten files, as a commit might touch: 3 Python, 2 JS/TS, 2 YAML, 2 Markdown, 1 .env."""
    rng = random.Random(seed)
    groups: list[tuple[tuple[str, ...], int]] = [
        ((".py",), 3),
        ((".js", ".ts", ".tsx"), 2),
        ((".yml", ".yaml"), 2),
        ((".md", ".mdx"), 2),
        ((".env",), 1),
    ]
    found: dict[tuple[str, ...], list[str]] = {exts: [] for exts, _ in groups}
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, name), tree)
            if rel == ".env" or name.endswith(".min.js"):  # the root .env is git-ignored
                continue
            try:
                size = os.path.getsize(os.path.join(dirpath, name))
            except OSError:
                continue
            if not 300 <= size <= 60_000:
                continue
            for exts, _ in groups:
                if name.endswith(exts) or (exts == (".env",) and name.startswith(".env")):
                    found[exts].append(rel)
    preferred = set(manifest.get("openai_files", [])) if manifest else set()
    picked: list[str] = []
    for exts, count in groups:
        cands = found[exts]
        first = [c for c in cands if c in preferred or "docker-compose" in c]
        rest = [c for c in cands if c not in first]
        rng.shuffle(first)
        rng.shuffle(rest)
        take = first[: (count + 1) // 2] if first else []
        picked += take + rest[: count - len(take)]
    return picked


def fmt(x: float | None, spec: str = ".3f") -> str:
    return "-" if x is None else format(x, spec)


def parse_findings(text: str) -> int | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        for key in ("findings", "results", "issues"):
            if isinstance(data.get(key), list):
                return len(data[key])
        runs = data.get("runs")
        if isinstance(runs, list) and runs and isinstance(runs[0], dict) and isinstance(runs[0].get("results"), list):
            return len(runs[0]["results"])
    return None


def rg_total(text: str) -> int:
    total = 0
    for line in text.splitlines():
        _, _, n = line.rpartition(":")
        if n.isdigit():
            total += int(n)
    return total


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark oai-lint against ripgrep and a bare Python walk.")
    ap.add_argument("path", nargs="?", type=Path, help="tree to scan (or use --generate)")
    ap.add_argument("--generate", action="store_true", help="generate (or reuse) a tree with bench/generate.py")
    ap.add_argument("--scale", type=float, default=1.0, help="tree scale for --generate (default 1.0)")
    ap.add_argument("--seed", type=int, default=0, help="tree seed for --generate (default 0)")
    ap.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "oai-lint-bench",
        help="where --generate puts trees (default: /tmp/oai-lint-bench)",
    )
    ap.add_argument("--regenerate", action="store_true", help="generate again even if a matching tree exists")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per benchmark (default 3)")
    ap.add_argument(
        "--jobs",
        nargs="+",
        metavar="N",
        help="run the full scan once per value with --jobs N (default: no --jobs flag)",
    )
    ap.add_argument(
        "--oai-lint-cmd", help="command for oai-lint, e.g. 'python -m oai_lint' (default: oai-lint on PATH)"
    )
    ap.add_argument("--oai-lint-args", default="", help="extra arguments for every oai-lint scan")
    ap.add_argument(
        "--rg-uu",
        action="store_true",
        help="ripgrep with -uu (ignore .gitignore too); default honours .gitignore. .git/ is always skipped",
    )
    ap.add_argument("--with-detect-secrets", action="store_true", help="also time detect-secrets scan (slow; one run)")
    ap.add_argument("--detect-secrets-timeout", type=float, default=900.0, help="seconds (default 900)")
    ap.add_argument("--timeout", type=float, default=600.0, help="per-invocation timeout in seconds (default 600)")
    ap.add_argument(
        "--sample-interval",
        type=float,
        default=0.02,
        help="seconds between process-tree memory samples in the extra memory run (default 0.02)",
    )
    ap.add_argument("--linearity", action="store_true", help="also scan a 2x tree and report time(2x)/time(1x)")
    ap.add_argument("--json", type=Path, dest="json_out", help="write all results to this JSON file")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    if args.generate:
        if args.path:
            ap.error("give either PATH or --generate")
        tree = ensure_tree(args.work_dir, args.seed, args.scale, args.regenerate)
    elif args.path:
        tree = args.path.resolve()
        if not tree.is_dir():
            ap.error(f"{tree} is not a directory")
    else:
        ap.error("give PATH or --generate")
    manifest = manifest_for(tree)
    tmp = Path(tempfile.mkdtemp(prefix="oai-lint-bench-run-"))
    notes: list[str] = []

    rg = shutil.which("rg")
    if args.oai_lint_cmd:
        oai = shlex.split(args.oai_lint_cmd)
    elif shutil.which("oai-lint"):
        oai = ["oai-lint"]
    else:
        oai = []
        notes.append("oai-lint is not on PATH and no --oai-lint-cmd was given: oai-lint rows skipped")
    extra = shlex.split(args.oai_lint_args)
    if not rg:
        notes.append("rg (ripgrep) is not on PATH: reference skipped (apt-get install ripgrep)")
    rg_flags = ["-uu"] if args.rg_uu else ["--hidden"]

    def rg_bench(root: Path, threads: int | None = None) -> Bench:
        assert rg
        cmd = [rg, "-c", "--no-messages", *rg_flags, "-g", "!.git/"]
        if threads:
            cmd += ["-j", str(threads)]
        name = "ripgrep key regex" + (f" (-j{threads})" if threads else "")
        return Bench(name, [*cmd, "-e", KEY_REGEX, str(root)], str(root), ok_codes=(0, 1), timeout=args.timeout)

    def full_scan(root: Path, jobs: str | None) -> Bench:
        cmd = [*oai, str(root), "--format", "json", "--exit-zero", *extra]
        if jobs:
            cmd += ["--jobs", jobs]
        return Bench("oai-lint full scan" + (f" (--jobs {jobs})" if jobs else ""), cmd, str(root), timeout=args.timeout)

    def walk_bench(root: Path) -> Bench:
        return Bench(
            "python walk (1 process)", [sys.executable, "-c", WALK, str(root)], str(root), timeout=args.timeout
        )

    benches: list[Bench] = []
    ref: Bench | None = rg_bench(tree) if rg else None
    if ref:
        benches += [ref, rg_bench(tree, 1)]
    walk = walk_bench(tree)
    pass_b = Bench("python -c pass", [sys.executable, "-c", "pass"], str(tree))
    nosite = Bench("python -S -c pass (no site)", [sys.executable, "-S", "-c", "pass"], str(tree))
    benches += [walk, pass_b, nosite]
    scans: list[Bench] = []
    pre: Bench | None = None
    pre_files: list[str] = []
    if oai:
        benches.append(Bench("oai-lint --version", [*oai, "--version"], str(tree)))
        scans = [full_scan(tree, j) for j in (args.jobs or [None])]
        for s in scans:
            s.warmup = False
        benches += scans
        pre_files = pick_precommit_files(tree, manifest, args.seed)
        # as the per-file pre-commit hook runs it (.pre-commit-hooks.yaml): `check --force-exclude --scope file`
        pre = Bench(
            f"oai-lint pre-commit ({len(pre_files)} files)",
            [*oai, "check", "--force-exclude", "--scope", "file", *pre_files, "--format", "json", "--exit-zero",
             *extra],
            str(tree),
        )
        benches.append(pre)
        # the repository-level hook (pass_filenames: false), for the record
        benches.append(Bench(
            "oai-lint repository hook (--scope repository)",
            [*oai, "check", "--scope", "repository", "--format", "json", "--exit-zero", *extra],
            str(tree),
        ))
        pre = benches[-2]
    if args.with_detect_secrets:
        if shutil.which("detect-secrets"):
            benches.append(
                Bench(
                    "detect-secrets scan",
                    ["detect-secrets", "scan", "--no-verify", str(tree)],
                    str(tree),
                    timeout=args.detect_secrets_timeout,
                    warmup=False,
                    repeat=False,
                    timeout_is_error=False,
                )
            )
        else:
            notes.append("detect-secrets is not on PATH: skipped (pip install detect-secrets)")

    env = {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "rg": tool_version([rg, "--version"]) if rg else None,
        "oai_lint": tool_version([*oai, "--version"]) if oai else None,
        "oai_lint_cmd": oai,
        "rg_mode": " ".join([*rg_flags, "-g", "!.git/"]),
    }
    print(f"tree: {tree}")
    print(f"python {env['python']} on {env['cpus']} CPUs; rg: {env['rg']}; oai-lint: {env['oai_lint']}")
    if pre_files:
        print("pre-commit files:", " ".join(pre_files))
    run_suite(benches, args.repeat, tmp, "1x")

    for s in scans:  # one extra run that samples the whole process tree's memory
        if s.ok_samples():
            res = run_once(s, tmp, sample=args.sample_interval, keep_stdout=True)
            s.tree_peak_kb = res["tree_peak_kb"]

    linearity: dict[str, Any] | None = None
    lin_benches: list[tuple[Bench, Bench]] = []
    if args.linearity:
        base_seed = int(manifest["seed"]) if manifest else args.seed
        base_scale = float(manifest["scale"]) if manifest else args.scale
        if not manifest:
            notes.append(
                "linearity: PATH has no generate.py manifest; compared with a generated tree of "
                f"scale {2 * base_scale:g}, which may not be comparable"
            )
        tree2 = ensure_tree(args.work_dir, base_seed, 2 * base_scale, args.regenerate)
        pairs: list[tuple[Bench, Bench]] = [(walk, walk_bench(tree2))]
        if ref:
            pairs.append((ref, rg_bench(tree2)))
        for s, j in zip(scans, args.jobs or [None], strict=True):
            pairs.append((s, full_scan(tree2, j)))
        lin_benches = pairs
        run_suite([p[1] for p in pairs], args.repeat, tmp, "2x")
        linearity = {"tree": str(tree2), "rows": []}

    # ---- report -----------------------------------------------------------------------------
    ref_med = ref.median() if ref else None
    pass_med = pass_b.median()
    rows = []
    print()
    print(
        f"{'benchmark':<38} {'median s':>9} {'min s':>8} {'cpu s':>7} {'vs rg':>7} {'vs pass':>8} "
        f"{'peak MB':>8} {'runs':>5}"
    )
    for b in benches:
        med = b.median()
        ok = b.ok_samples()
        mn = min(s["wall"] for s in ok) if ok else None
        cpu = b.cpu_median()
        r_rg = med / ref_med if med is not None and ref_med else None
        r_pass = med / pass_med if b is pre and med is not None and pass_med else None
        timed_out = any(s["timed_out"] for s in b.samples)
        print(
            f"{b.name:<38} {fmt(med):>9} {fmt(mn):>8} {fmt(cpu, '.2f'):>7} {fmt(r_rg, '.2f'):>7} "
            f"{fmt(r_pass, '.1f'):>8} {fmt(b.peak_mb(), '.0f'):>8} {len(ok):>5}{'  TIMEOUT' if timed_out else ''}"
        )
        rows.append(
            {
                "name": b.name,
                "cmd": b.cmd,
                "median_s": med,
                "min_s": mn,
                "cpu_median_s": cpu,
                "ratio_vs_rg": r_rg,
                "ratio_vs_python_pass": r_pass,
                "max_rss_mb": b.maxrss_mb(),
                "tree_pss_peak_mb": b.tree_peak_kb * 1024 / MB if b.tree_peak_kb else None,
                "peak_mb": b.peak_mb(),
                "timed_out": timed_out,
                "samples": [
                    {k: s[k] for k in ("wall", "rc", "timed_out", "maxrss_kb", "user", "sys")} for s in b.samples
                ],
                "errors": b.errors,
            }
        )

    facts: dict[str, Any] = {}
    with contextlib.suppress(ValueError):
        facts["walk"] = json.loads(walk.last_stdout)
    if ref:
        facts["rg_matching_lines"] = rg_total(ref.last_stdout)
    for s in scans:
        facts[f"findings: {s.name}"] = parse_findings(s.last_stdout)
    if manifest:
        keys = manifest.get("planted_keys", [])
        facts["planted_keys"] = len(keys)
        facts["planted_keys_plain_tracked"] = sum(
            1 for k in keys if k["encoding"] == "plain" and not k["ignored_by_git"]
        )
    print()
    if "walk" in facts:
        w = facts["walk"]
        print(
            f"tree: {w['files']} files, {w['bytes'] / MB:.1f} MB (walk, without .git); "
            f"files containing: {w['files_containing']}"
        )
    if ref:
        print(
            f"rg key-regex matching lines: {facts['rg_matching_lines']}"
            + (
                f" (planted plain keys in tracked files: {facts['planted_keys_plain_tracked']}, "
                f"all planted: {facts['planted_keys']})"
                if manifest
                else ""
            )
        )
    for s in scans:
        print(f"{s.name}: findings in JSON output: {facts[f'findings: {s.name}']}")

    targets = []

    def check(name: str, value: float | None, limit: float, unit: str) -> None:
        status = "n/a" if value is None else ("PASS" if value <= limit else "FAIL")
        targets.append({"target": name, "value": value, "limit": limit, "status": status})
        shown = "-" if value is None else f"{value:.3f}{unit}"
        print(f"  {name:<44} {shown:>12}  (limit {limit:g}{unit})  {status}")

    print("\ntargets:")
    for s in scans:
        med = s.median()
        check(
            f"{s.name} <= {TARGET_RG_RATIO:g}x ripgrep",
            med / ref_med if med is not None and ref_med else None,
            TARGET_RG_RATIO,
            "x",
        )
    check("pre-commit run <= 150 ms", pre.median() if pre else None, TARGET_PRECOMMIT_S, "s")
    for s in scans:
        check(f"peak memory of {s.name}", s.peak_mb(), TARGET_RSS_MB, "MB")
    if linearity is not None:
        walk2 = json.loads(lin_benches[0][1].last_stdout) if lin_benches[0][1].last_stdout else {}
        if walk2 and "walk" in facts:
            linearity["bytes_ratio"] = walk2["bytes"] / facts["walk"]["bytes"]
            print(
                f"\nlinearity: 2x tree {walk2['files']} files, {walk2['bytes'] / MB:.1f} MB "
                f"(bytes ratio {linearity['bytes_ratio']:.2f})"
            )
        for one, two in lin_benches:
            m1, m2 = one.median(), two.median()
            ratio = m2 / m1 if m1 and m2 is not None else None
            c1, c2 = one.cpu_median(), two.cpu_median()
            cpu_ratio = c2 / c1 if c1 and c2 is not None else None
            linearity["rows"].append(
                {
                    "name": one.name,
                    "median_1x_s": m1,
                    "median_2x_s": m2,
                    "ratio": ratio,
                    "cpu_ratio": cpu_ratio,
                    "samples_2x": [s["wall"] for s in two.samples],
                    "errors": two.errors,
                }
            )
            print(
                f"  {one.name:<38} 1x {fmt(m1)}s  2x {fmt(m2)}s  ratio {fmt(ratio, '.2f')}  "
                f"(cpu {fmt(c1, '.2f')}s -> {fmt(c2, '.2f')}s, ratio {fmt(cpu_ratio, '.2f')})"
            )
            if one in scans:
                check(f"linearity {one.name} <= {TARGET_LINEARITY:g}", ratio, TARGET_LINEARITY, "")

    errors = [e for b in benches for e in b.errors] + [e for _, two in lin_benches for e in two.errors]
    for n in notes:
        print("note:", n)
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    code = 2 if errors or (not oai) else 0
    if args.json_out:
        doc = {
            "tree": str(tree),
            "manifest": {k: manifest.get(k) for k in ("seed", "scale", "files", "bytes")} if manifest else None,
            "env": env,
            "repeat": args.repeat,
            "precommit_files": pre_files,
            "results": rows,
            "facts": facts,
            "targets": targets,
            "linearity": linearity,
            "notes": notes,
            "errors": errors,
            "exit_code": code,
        }
        args.json_out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_out}")
    shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
