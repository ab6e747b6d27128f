#!/usr/bin/env python3
"""Generate a large, realistic monorepo tree for benchmarking oai-lint.

Usage: python bench/generate.py OUT_DIR [--seed N] [--scale F] [--no-git] [--force]

At scale 1.0 the tree mirrors a measured monorepo: about 27,000 files and 400 MB,
mostly Markdown/MDX docs, with Python, YAML, JS/TS, JSON, TOML, .env files,
Dockerfiles, shell scripts, notebooks, PNG-like binaries and minified bundles.
About 1% of the Python/JS files use the OpenAI SDK, and a handful of files hold
key-shaped strings.  Those keys are drawn from the seeded RNG at generation time;
none is stored in this source file.

The output is a pure function of (seed, scale).  A manifest (counts, bytes, and
the path/line of every planted key, never the key text) is written beside the
tree as OUT_DIR.manifest.json, outside the tree so that scanners do not read it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gen.generator import Generator
from gen.shape import MB


def git_commit(out: Path, seed: int, scale: float) -> None:
    settings = {
        "user.name": "bench",
        "user.email": "bench@example.invalid",
        "commit.gpgsign": "false",
        "core.autocrlf": "false",
        "init.defaultBranch": "main",
        # No background "git gc --auto" after the commit: it would repack the tree's 27,000 loose
        # objects for minutes while the benchmark runs.
        "gc.auto": "0",
        "maintenance.auto": "false",
    }
    base = ["git", *(arg for k, v in settings.items() for arg in ("-c", f"{k}={v}")), "-C", str(out)]
    subprocess.run([*base, "init", "-q"], check=True)
    for key in ("gc.auto", "maintenance.auto"):  # also for later git commands in the tree
        subprocess.run([*base, "config", key, settings[key]], check=True)
    subprocess.run([*base, "add", "-A"], check=True)
    subprocess.run([*base, "commit", "-q", "--no-verify", "-m", f"bench tree seed={seed} scale={scale}"], check=True)


def manifest_path(out: Path) -> Path:
    return out.parent / (out.name + ".manifest.json")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--no-git", action="store_true", help="do not git init/add/commit the tree")
    ap.add_argument("--force", action="store_true", help="replace OUT_DIR if it is a tree made by this script")
    args = ap.parse_args(argv)
    out: Path = args.out_dir.resolve()
    if args.scale <= 0:
        ap.error("--scale must be positive")
    if out.exists() and any(out.iterdir()):
        if not args.force:
            ap.error(f"{out} exists and is not empty (use --force to replace a generated tree)")
        if not manifest_path(out).exists():
            ap.error(f"{out} has no {manifest_path(out).name} beside it; refusing to delete it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path(out).unlink(missing_ok=True)
    t0 = time.perf_counter()
    manifest = Generator(out, args.seed, args.scale).run()
    t_gen = time.perf_counter() - t0
    if not args.no_git:
        git_commit(out, args.seed, args.scale)
    t_all = time.perf_counter() - t0
    manifest["git"] = not args.no_git
    manifest_path(out).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    by_cat = manifest["by_category"]
    assert isinstance(by_cat, dict)
    print(f"{'category':<10} {'files':>7} {'MB':>9}")
    for cat, st in by_cat.items():
        print(f"{cat:<10} {st['files']:>7} {st['bytes'] / MB:>9.1f}")
    files = manifest["files"]
    nbytes = manifest["bytes"]
    assert isinstance(nbytes, int)
    print(f"{'total':<10} {files:>7} {nbytes / MB:>9.1f}")
    planted = manifest["planted_keys"]
    openai_files = manifest["openai_files"]
    assert isinstance(planted, list) and isinstance(openai_files, list)
    ignored = sum(1 for k in planted if k["ignored_by_git"])
    print(f"planted keys: {len(planted)} ({ignored} in git-ignored files); openai files: {len(openai_files)}")
    print(f"generated in {t_gen:.1f}s, {t_all:.1f}s with git; manifest: {manifest_path(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
