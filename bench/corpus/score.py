#!/usr/bin/env python3
"""Score the latest corpus run against the hand labels (bench/corpus/labels.tsv).

Usage:
  python bench/corpus/score.py [--run DIR] [--todo] [--context N]

By default each repository's newest report under /tmp/oai-corpus/runs is used.

A finding is keyed by (repository, rule, path, line).  For a repository with more than
SAMPLE findings, only a fixed-seed sample of SAMPLE is judged: the findings whose keys
have the smallest sha256(SEED:key), so a finding's membership does not depend on the
order of the report, and a re-run after a rule change keeps the judged ones wherever
they still exist.

Prints precision (TP / judged) per rule, per group and overall, then the sampled findings
that have no label yet (with --todo, the code around each one, read from the cached
tree), and the labels that match no finding any more (fixed false positives, or lost
true positives).  Exit status: 0, or 2 on bad input (a malformed labels.tsv or run).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import DEFAULT_CACHE, read_repos, slug  # noqa: E402

LABELS_TSV = HERE / "labels.tsv"
SEED = "oai-lint-corpus-1"
SAMPLE = 25
LABEL_FIELDS = ["repo", "rule", "path", "line", "verdict", "reason"]

Key = tuple[str, str, str, int]


class BadInput(Exception):
    pass


@dataclass
class Finding:
    repo: str
    group: str
    rule: str
    path: str
    line: int
    message: str

    @property
    def key(self) -> Key:
        return (self.repo, self.rule, self.path, self.line)


def sample_rank(key: Key) -> str:
    return hashlib.sha256(f"{SEED}:{key[0]}:{key[1]}:{key[2]}:{key[3]}".encode()).hexdigest()


def sample(findings: list[Finding], size: int = SAMPLE) -> list[Finding]:
    """The findings of one repository that are judged: all, or the fixed-seed sample of size."""
    keys = sorted({f.key for f in findings}, key=sample_rank)
    chosen = set(keys[:size])
    return [f for f in findings if f.key in chosen]


def norm_path(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def report_files(runs: Path, run: Path | None, repos: dict[str, dict[str, str]]) -> dict[str, Path]:
    """The report of each repository: from ``run`` if given, else from the newest run that has it
    (a run limited with ``run.py --only`` does not hide the other repositories' latest reports)."""
    if run is not None:
        dirs = [run]
    elif runs.is_dir():
        dirs = sorted((d for d in runs.iterdir() if d.is_dir() and not d.is_symlink()), reverse=True)
    else:
        dirs = []
    found: dict[str, Path] = {}
    for repo in repos:
        for d in dirs:
            report = d / f"{slug(repo)}.json"
            if report.is_file():
                found[repo] = report
                break
    if not found:
        raise BadInput(f"no reports under {run or runs}: run bench/corpus/run.py first")
    return found


def load_run(reports: dict[str, Path], repos: dict[str, dict[str, str]]) -> tuple[list[Finding], dict[str, int]]:
    findings: list[Finding] = []
    totals: dict[str, int] = {}
    for repo, report_file in reports.items():
        try:
            report = json.loads(report_file.read_text())
            items = [Finding(repo, repos[repo]["group"], f["rule_id"], norm_path(f["path"]), int(f["line"]),
                             f.get("message", "")) for f in report.get("findings", [])]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise BadInput(f"{report_file}: {exc}") from exc
        totals[repo] = len(items)
        findings.extend(items)
    return findings, totals


def load_labels(path: Path = LABELS_TSV) -> dict[Key, tuple[str, str]]:
    labels: dict[Key, tuple[str, str]] = {}
    if not path.exists():
        return labels
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != LABEL_FIELDS:
            raise BadInput(f"{path}: header must be {' '.join(LABEL_FIELDS)}")
        for n, row in enumerate(reader, start=2):
            verdict = row.get("verdict")
            if verdict not in ("TP", "FP"):
                raise BadInput(f"{path}:{n}: verdict must be TP or FP, not {verdict!r}")
            try:
                key = (row["repo"], row["rule"], norm_path(row["path"]), int(row["line"]))
            except (TypeError, ValueError) as exc:
                raise BadInput(f"{path}:{n}: bad line number") from exc
            if key in labels:
                raise BadInput(f"{path}:{n}: duplicate label for {key}")
            labels[key] = (verdict, row.get("reason") or "")
    return labels


def pct(tp: int, n: int) -> str:
    return f"{100 * tp / n:5.1f}%" if n else "    -"


def context(cache: Path, repo: str, commit: str, path: str, line: int, width: int) -> str:
    file = cache / "trees" / f"{slug(repo)}-{commit[:12]}" / path
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "        (file not in cache)"
    lo, hi = max(0, line - 1 - width), min(len(lines), line + width)
    return "\n".join(f"  {'>' if i + 1 == line else ' '}{i + 1:5} {lines[i][:160]}" for i in range(lo, hi))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, default=None,
                    help="one run directory (default: each repository's newest report under CACHE/runs)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--labels", type=Path, default=LABELS_TSV)
    ap.add_argument("--todo", action="store_true", help="show the code around each unlabelled finding")
    ap.add_argument("--context", type=int, default=4, help="lines of code either side with --todo")
    ap.add_argument("--without", default="", metavar="RULES",
                    help="also print the figures per group without these rules (comma-separated ids or prefixes, "
                         "e.g. OAI405,OAI406: rules another change owns)")
    args = ap.parse_args(argv)
    try:
        repos = {r["repo"]: r for r in read_repos()}
        reports = report_files(args.cache / "runs", args.run, repos)
        findings, totals = load_run(reports, repos)
        labels = load_labels(args.labels)
    except BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    by_repo: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_repo[f.repo].append(f)
    judged: list[tuple[Finding, str]] = []
    todo: list[Finding] = []
    for repo in by_repo:
        for f in sample(by_repo[repo]):
            if f.key in labels:
                judged.append((f, labels[f.key][0]))
            else:
                todo.append(f)

    def table(title: str, groups: dict[str, list[str]]) -> None:
        print(f"\n{title:<44} {'TP':>4} {'FP':>4} {'judged':>6} {'precision':>9}")
        for name in sorted(groups):
            verdicts = groups[name]
            tp = verdicts.count("TP")
            print(f"{name:<44} {tp:>4} {len(verdicts) - tp:>4} {len(verdicts):>6} {pct(tp, len(verdicts)):>9}")

    per_rule: dict[str, list[str]] = defaultdict(list)
    per_group: dict[str, list[str]] = defaultdict(list)
    per_repo: dict[str, list[str]] = defaultdict(list)
    for f, verdict in judged:
        per_rule[f.rule].append(verdict)
        per_group[f.group].append(verdict)
        per_repo[f.repo].append(verdict)
    used = sorted({p.parent.name for p in reports.values()})
    print(f"reports from run(s): {', '.join(used)} under {args.cache / 'runs'}")
    print(f"{len(findings)} findings in {len(totals)} repositories; {len(judged)} judged, {len(todo)} to judge")
    table("rule", per_rule)
    table("group", per_group)
    tp_all = sum(1 for _, v in judged if v == "TP")
    print(f"{'overall':<44} {tp_all:>4} {len(judged) - tp_all:>4} {len(judged):>6} {pct(tp_all, len(judged)):>9}")
    # A false positive whose reason starts with "duplicate:" is a second finding for a problem another
    # finding already reports; merging the two removes it, so show the figures without them too.
    merged: dict[str, list[str]] = defaultdict(list)
    for f, verdict in judged:
        if not labels[f.key][1].startswith("duplicate:"):
            merged[f.group].append(verdict)
            merged["overall"].append(verdict)
    table("without 'duplicate:' false positives", merged)
    left_out = tuple(r.strip() for r in args.without.split(",") if r.strip())
    if left_out:
        rest: dict[str, list[str]] = defaultdict(list)
        for f, verdict in judged:
            if not f.rule.startswith(left_out):
                rest[f.group].append(verdict)
                rest["overall"].append(verdict)
        table(f"without {', '.join(left_out)}", rest)
    table("repository", {f"{r} ({totals[r]})": v for r, v in per_repo.items()})

    if todo:
        print(f"\nnot yet labelled ({len(todo)}): add rows to {args.labels.name}")
        for f in sorted(todo, key=lambda x: x.key):
            print(f"{f.repo}\t{f.rule}\t{f.path}\t{f.line}\t?\t{f.message[:150]}")
            if args.todo:
                print(context(args.cache, f.repo, repos[f.repo]["commit"], f.path, f.line, args.context))
    current = {f.key for f in findings}
    stale = [(k, v) for k, v in labels.items() if k not in current and k[0] in totals]
    unknown = sorted({k[0] for k in labels} - set(repos))
    if unknown:
        print(f"\nlabels for repositories not in repos.tsv: {', '.join(unknown)}")
    if stale:
        print(f"\nlabels with no finding in this run ({len(stale)}): fixed FP or lost TP")
        for k, (verdict, reason) in sorted(stale):
            kind = "fixed FP" if verdict == "FP" else "LOST TP"
            print(f"{kind:<9} {k[0]}\t{k[1]}\t{k[2]}:{k[3]}\t{reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
