"""The report: the results table, the facts, the targets."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from runner.procs import (
    MB,
    TARGET_FILES_RATIO,
    TARGET_FILES_S,
    TARGET_LINEARITY,
    TARGET_PRECOMMIT_S,
    TARGET_RG_RATIO,
    TARGET_RSS_MB,
    Bench,
)


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



def print_table(benches: list[Bench], ref: Bench | None, pre: Bench | None, pass_b: Bench) -> list[dict[str, Any]]:
    """The results table: one row per benchmark; returns the rows for the JSON report."""
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
    return rows


def gather_facts(walk: Bench, ref: Bench | None, scans: list[Bench], manifest: dict[str, Any] | None) -> dict[str, Any]:
    """What the runs found (files walked, ripgrep matches, findings, planted keys), printed and returned."""
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
    return facts


def check_targets(scans: list[Bench], ref: Bench | None, pre: Bench | None, facts: dict[str, Any],
                  linearity: dict[str, Any] | None, lin_benches: list[tuple[Bench, Bench]],
                  files: Bench | None = None) -> list[dict[str, Any]]:
    """The README's targets (and the linearity ratios), each PASS, FAIL or n/a; returns them for the JSON report."""
    ref_med = ref.median() if ref else None
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
    files_med = files.median() if files else None
    check("oai-lint FILES <= 200 ms", files_med, TARGET_FILES_S, "s")
    pre_med = pre.median() if pre else None
    check("oai-lint FILES <= 2x the pre-commit run", files_med / pre_med if files_med and pre_med else None,
          TARGET_FILES_RATIO, "x")
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

    return targets
