#!/usr/bin/env python3
"""Run oai-lint over the pinned corpus of public repositories (bench/corpus/repos.tsv).

Usage:
  python bench/corpus/run.py [--mirror-root DIR] [--cache DIR] [--only REPO ...] [--jobs N]

For each repository, the pinned commit is taken from its bare git directory
(``<mirror-root>/<owner>+<name>/repo``, as the session's ``fetch`` leaves it), written
out once under ``<cache>/trees/`` with ``git archive | tar -x`` and made a git work tree
again (``git init``, ``add``, ``commit``, hooks disabled) so that .gitignore applies as
it does for a user.  Then ``oai-lint . --format json --exit-zero`` runs in that tree
(so paths are relative to the repository root) with a wall-clock timer.

Results go to ``<cache>/runs/<UTC time>/<owner>+<name>.json`` plus ``summary.json``,
and ``<cache>/runs/latest`` points at the newest run.  Nothing is written into this
repository.  Repositories over 3 s (wall clock) are marked SLOW; the CPU time of oai-lint and
its workers is shown too, since wall time on a shared machine depends on the load.  With
``--per-file N`` each SLOW repository is scanned again in one process with each file timed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPOS_TSV = HERE / "repos.tsv"
DEFAULT_MIRROR = Path("/work/.mirror")
DEFAULT_CACHE = Path("/tmp/oai-corpus")
SLOW_S = 3.0

# A git with no user configuration, no hooks and a fixed identity, so materialising is reproducible.
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "corpus",
    "GIT_AUTHOR_EMAIL": "corpus@localhost",
    "GIT_COMMITTER_NAME": "corpus",
    "GIT_COMMITTER_EMAIL": "corpus@localhost",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
}


def read_repos(path: Path = REPOS_TSV) -> list[dict[str, str]]:
    """The corpus: one dict per row of repos.tsv (group, repo, commit, description)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        if row.get("group") not in ("small", "mid", "framework"):
            raise SystemExit(f"{path}: bad group in {row}")
        if len(row.get("commit") or "") != 40:
            raise SystemExit(f"{path}: commit must be a full sha in {row}")
    return rows


def slug(repo: str) -> str:
    return repo.replace("/", "+")


def git(args: list[str], cwd: Path | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_tree(gitdir: Path, commit: str, tree: Path) -> list[str]:
    """Write the files of commit into tree; return the paths whose blobs the snapshot lacks.

    Snapshots from ``fetch`` omit blobs of 4 MiB and more, so ``git archive`` fails on
    them; this reads the tree listing and the blobs one by one instead.  Symbolic links
    are written only when they stay inside the tree; submodules are skipped.
    """
    listing = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "-r", "-z", "--full-tree", commit],
                             capture_output=True, check=True).stdout
    entries: list[tuple[str, str, str]] = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, _, raw_name = item.partition(b"\t")
        mode, kind, obj = meta.decode().split()
        if kind == "blob":
            entries.append((mode, obj, raw_name.decode("utf-8", "surrogateescape")))
    cat = subprocess.Popen(["git", f"--git-dir={gitdir}", "cat-file", "--batch"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert cat.stdin is not None and cat.stdout is not None
    missing: list[str] = []
    root = tree.resolve()
    for mode, obj, name in entries:
        cat.stdin.write(obj.encode() + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing.append(name)
            continue
        data = cat.stdout.read(int(header[2]))
        cat.stdout.read(1)  # the newline after the content
        dest = tree / name
        if not dest.resolve().is_relative_to(root) or ".git" in Path(name).parts:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target = data.decode("utf-8", "surrogateescape")
            if (dest.parent / target).resolve().is_relative_to(root):
                os.symlink(target, dest)
            continue
        dest.write_bytes(data)
        if mode == "100755":
            dest.chmod(0o755)
    cat.stdin.close()
    cat.wait()
    return missing


def materialise(row: dict[str, str], mirror_root: Path, cache: Path) -> Path:
    """The pinned tree as a git work tree under cache/trees (built once, reused)."""
    tree = cache / "trees" / f"{slug(row['repo'])}-{row['commit'][:12]}"
    done = tree / ".git" / "corpus-ready"
    if done.exists():
        return tree
    gitdir = mirror_root / slug(row["repo"]) / "repo"
    if not gitdir.is_dir():
        raise FileNotFoundError(f"{gitdir} missing: fetch github:{row['repo']} first")
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    missing = write_tree(gitdir, row["commit"], tree)
    git(["init", "-q"], cwd=tree)
    git(["add", "-A", "-f", "."], cwd=tree)
    git(["commit", "-q", "--no-verify", "-m", f"{row['repo']}@{row['commit']}"], cwd=tree)
    (tree / ".git" / "corpus-missing").write_text("".join(p + "\n" for p in missing))
    done.write_text(row["commit"] + "\n")
    return tree


# The labels judge OAI405-OAI407 as of this date (a model shut down later is another finding).
AS_OF = "2026-12-05"


def lint(tree: Path, jobs: int | None, as_of: str = "") -> tuple[float, float, dict[str, Any], str]:
    """Run oai-lint on tree: (wall seconds, CPU seconds of it and its workers, report, error)."""
    cmd = [sys.executable, "-m", "oai_lint", "check", ".", "--format", "json", "--exit-zero"]
    if as_of:
        cmd += ["--as-of", as_of]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        return elapsed, cpu, {"findings": []}, proc.stderr[-2000:] or f"exit {proc.returncode}"
    return elapsed, cpu, json.loads(proc.stdout), ""


PER_FILE = r"""
import json, os, sys, time
import oai_lint.engine as engine
times = {}
scan_file = engine.Scanner.scan_file
def timed(self, entry, index=-1):
    start = time.process_time()
    try:
        return scan_file(self, entry, index)
    finally:
        times[entry.relpath] = times.get(entry.relpath, 0.0) + time.process_time() - start
engine.Scanner.scan_file = timed
sys.argv = ["oai-lint", ".", "--exit-zero", "--jobs", "1", "--output", os.devnull]
from oai_lint.cli import main
start = time.process_time()
try:
    main()
except SystemExit:
    pass
print(json.dumps({"total": time.process_time() - start, "files": times}))
"""


def per_file(tree: Path, top: int) -> None:
    """CPU time per file in one process (it relies on oai_lint.engine.Scanner.scan_file)."""
    proc = subprocess.run([sys.executable, "-c", PER_FILE], cwd=tree, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  per-file timing failed: {proc.stderr.strip().splitlines()[-1:]}")
        return
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    files: dict[str, float] = data["files"]
    by_kind: dict[str, float] = {}
    for path, seconds in files.items():
        ext = Path(path).suffix or Path(path).name
        by_kind[ext] = by_kind.get(ext, 0.0) + seconds
    print(f"  CPU {data['total']:.2f} s in one process, {sum(files.values()):.2f} s in scan_file; by extension: "
          + ", ".join(f"{k} {v:.2f}" for k, v in sorted(by_kind.items(), key=lambda x: -x[1])[:5]))
    for path, seconds in sorted(files.items(), key=lambda x: -x[1])[:top]:
        size = (tree / path).stat().st_size if (tree / path).is_file() else 0
        print(f"  {seconds:6.2f} s {size / 1000:9.0f} KB  {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror-root", type=Path, default=DEFAULT_MIRROR)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--only", nargs="*", default=[], help="repositories (owner/name) to run")
    ap.add_argument("--jobs", type=int, default=None, help="passed to oai-lint --jobs")
    ap.add_argument("--as-of", default=AS_OF, metavar="YYYY-MM-DD",
                    help=f"passed to oai-lint --as-of: the date the labels judge shutdowns on (default {AS_OF}; "
                         "'' for a version without the option)")
    ap.add_argument("--per-file", type=int, default=0, metavar="N",
                    help="also time each file in one process and show the N slowest (slow repositories only)")
    args = ap.parse_args(argv)

    rows = read_repos()
    if args.only:
        unknown = set(args.only) - {r["repo"] for r in rows}
        if unknown:
            ap.error(f"not in repos.tsv: {', '.join(sorted(unknown))}")
        rows = [r for r in rows if r["repo"] in args.only]
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = args.cache / "runs" / stamp
    out.mkdir(parents=True, exist_ok=True)

    summary: list[dict[str, Any]] = []
    print(f"{'group':<10} {'repository':<45} {'files':>6} {'wall s':>7} {'cpu s':>6} {'findings':>8}  by rule")
    for row in rows:
        try:
            tree = materialise(row, args.mirror_root, args.cache)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"{row['group']:<10} {row['repo']:<45} SKIPPED: {exc}")
            summary.append({**row, "error": str(exc)})
            continue
        nfiles = sum(1 for _ in subprocess.run(["git", "ls-files", "-z"], cwd=tree, capture_output=True)
                     .stdout.split(b"\0") if _)
        elapsed, cpu, report, error = lint(tree, args.jobs, args.as_of)
        findings = report.get("findings", [])
        (out / f"{slug(row['repo'])}.json").write_text(json.dumps(report, indent=1))
        rules = Counter(f["rule_id"] for f in findings)
        slow = elapsed > SLOW_S
        summary.append({**row, "files": nfiles, "seconds": round(elapsed, 3), "cpu": round(cpu, 3), "slow": slow,
                        "findings": len(findings), "rules": dict(rules), "error": error})
        by_rule = " ".join(f"{k}:{v}" for k, v in sorted(rules.items()))
        flag = "  SLOW" if slow else ""
        err = f"  ERROR: {error.strip().splitlines()[-1]}" if error else ""
        print(f"{row['group']:<10} {row['repo']:<45} {nfiles:>6} {elapsed:>7.2f} {cpu:>6.2f} {len(findings):>8}  "
              f"{by_rule}{flag}{err}", flush=True)
        if slow and args.per_file:
            per_file(tree, args.per_file)
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    latest = args.cache / "runs" / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(stamp)
    total = sum(s.get("findings", 0) for s in summary)
    slow_repos = [s["repo"] for s in summary if s.get("slow")]
    print(f"\n{len(summary)} repositories, {total} findings; results in {out}")
    print(f"over {SLOW_S:.0f} s: {', '.join(slow_repos) if slow_repos else 'none'}")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(wall times on a busy machine are inflated: compare cpu s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
