"""``--statistics``: how many findings each rule has, most first (as ruff's ``--statistics``): a table for
people, or a JSON array with ``--format json``."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from oai_lint.findings import SEVERITY_RANK
from oai_lint.ruleset import rule_info

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult


def rows(result: ScanResult) -> list[tuple[str, int, str, str]]:
    """(rule id, count, the most severe severity among its findings, rule title), most findings first."""
    counts = Counter(f.rule_id for f in result.findings)
    worst: dict[str, str] = {}
    for f in result.findings:
        if f.rule_id not in worst or SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst[f.rule_id]]:
            worst[f.rule_id] = f.severity
    return [(rid, n, worst[rid], rule_info(rid).title)
            for rid, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def render(result: ScanResult, *, fmt: str = "text", color: bool = False) -> str:
    table = rows(result)
    if fmt == "json":
        return json.dumps([{"rule_id": rid, "count": n, "severity": sev, "title": title}
                           for rid, n, sev, title in table], indent=2) + "\n"
    if not table:
        return ""
    width = max(len(str(n)) for _, n, _, _ in table)
    return "".join(f"{n:>{width}}\t{rid}\t[{sev}]\t{title}\n" for rid, n, sev, title in table)
