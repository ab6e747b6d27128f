"""Compare what two versions of oai-lint report: the same findings, notes and summary, or a diff.

A behaviour-preserving change (a restructuring, a speed-up) must leave every output unchanged. This
script checks that: it checks out ``--ref`` (default: ``main``) into a temporary git worktree, runs that
version and the current work tree's version on the same inputs with ``--format json``, once per
``--jobs`` value, and compares the outputs (the version field aside).

The inputs: every tree named on the command line (e.g. the bench tree of ``bench/generate.py``) and, by
default, the trees of rule examples (``python -m tests.support.rule_fixtures``, or ``tests.rule_fixtures`` in
versions before the tests were grouped, built by the reference version, each scanned from its own directory as
the tests do), and this work tree's annotated rule fixtures (``tests/rules/fixtures``, one tree).

    python scripts/compare_scans.py --ref main /tmp/oai-bench/tree --jobs 1 2
    python scripts/compare_scans.py --ref HEAD~3 --no-fixtures /tmp/oai-bench/small

Exit code: 0 when every output is the same, 1 when one differs, 2 on a usage or set-up error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_version(code_dir: Path, target: Path, jobs: int, cwd: Path | None = None) -> dict[str, object]:
    """The JSON report of the oai-lint in ``code_dir`` on ``target`` (or on ``.`` from ``cwd``)."""
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    env.pop("NO_COLOR", None)
    args = [sys.executable, "-m", "oai_lint", "check", "--format", "json", "--exit-zero", "--jobs", str(jobs)]
    args.append("." if cwd is not None else str(target))
    proc = subprocess.run(args, cwd=cwd or ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{code_dir}: exit {proc.returncode} on {target}:\n{proc.stderr[-2000:]}")
    doc: dict[str, object] = json.loads(proc.stdout)
    doc.pop("version", None)
    return doc


def build_annotated(root: Path) -> bool:
    """The annotated rule fixtures of this work tree (``tests/rules/fixtures/<RULE>/<case>/``), each case a git
    work tree of its own below ``root``, placeholders filled with fake keys; False when this tree has none."""
    if not (ROOT / "tests" / "support" / "annotations.py").is_file():
        return False
    sys.path.insert(0, str(ROOT))
    from tests.support.annotations import cases, materialise

    for case in cases():
        dest = root / case.parent.name / case.name
        materialise(case, dest)
        subprocess.run(["git", "init", "-q", str(dest)], check=True)
    return True


def lines(doc: dict[str, object]) -> list[str]:
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False).splitlines(keepends=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="directories to scan with both versions")
    parser.add_argument("--ref", default="main", help="the reference revision (default: main)")
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="worker counts (default: 1 2)")
    parser.add_argument("--no-fixtures", action="store_true", help="do not scan the rule-example trees")
    opts = parser.parse_args()
    for tree in opts.trees:
        if not tree.is_dir():
            print(f"not a directory: {tree}", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="oai-compare-"))
    ref_dir = work / "ref"
    try:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(ref_dir), opts.ref],
                       check=True)
        targets: list[tuple[str, Path, bool]] = [(str(t), t.resolve(), False) for t in opts.trees]
        if not opts.no_fixtures:
            fixtures = work / "fixtures"
            module = ("tests.support.rule_fixtures" if (ref_dir / "tests" / "support" / "rule_fixtures.py").is_file()
                      else "tests.rule_fixtures")
            subprocess.run([sys.executable, "-m", module, str(fixtures)], cwd=ref_dir,
                           env={**os.environ, "PYTHONPATH": str(ref_dir)}, check=True, capture_output=True)
            targets += [(f"rule examples ({name})", fixtures / name, True) for name in ("default", "configured")]
            if build_annotated(work / "annotated"):
                targets.append(("annotated rule fixtures (tests/rules/fixtures)", work / "annotated", True))
        differ = 0
        for label, target, from_inside in targets:
            for jobs in opts.jobs:
                cwd = target if from_inside else None
                before = run_version(ref_dir, target, jobs, cwd)
                after = run_version(ROOT, target, jobs, cwd)
                summary = after.get("summary", {})
                counts = f"{len(after['findings'])} findings, {len(after['notes'])} notes, {summary}"  # type: ignore[arg-type]
                if before == after:
                    print(f"same      {label} -j{jobs}: {counts}")
                    continue
                differ += 1
                print(f"DIFFERENT {label} -j{jobs}:")
                sys.stdout.writelines(difflib.unified_diff(lines(before), lines(after), opts.ref, "work tree", n=2))
        return 1 if differ else 0
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(ref_dir)],
                       check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
