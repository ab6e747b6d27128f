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
import json
import os
import platform
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from runner.procs import KEY_REGEX, WALK, Bench, run_once, run_suite, tool_version
from runner.report import check_targets, gather_facts, print_table
from runner.trees import ensure_tree, manifest_for, pick_precommit_files


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
    files_bench: Bench | None = None
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
        # the same files as an editor, a script or a user names them: the default scope, whose repository
        # rules need the facts of the whole repository (issue 14: <= 200 ms and <= 2x the hook's run)
        files_bench = Bench(
            f"oai-lint FILES ({len(pre_files)} files, default scope)",
            [*oai, "check", *pre_files, "--format", "json", "--exit-zero", *extra],
            str(tree),
        )
        benches.append(files_bench)
        # the repository-level hook (pass_filenames: false), for the record
        benches.append(Bench(
            "oai-lint repository hook (--scope repository)",
            [*oai, "check", "--scope", "repository", "--format", "json", "--exit-zero", *extra],
            str(tree),
        ))
        pre = benches[-3]
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
    rows = print_table(benches, ref, pre, pass_b)
    facts = gather_facts(walk, ref, scans, manifest)
    targets = check_targets(scans, ref, pre, facts, linearity, lin_benches, files_bench)

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
