"""GitLab Code Quality (``artifacts:reports:codequality``): a JSON array with one issue per finding, in
the subset of the Code Climate format GitLab reads (description, check_name, fingerprint, severity,
location with path and lines). ``engine_name`` names oai-lint (Code Climate's field; GitLab ignores it,
oai-lint recognises its own reports by it). ``tests/e2e/test_adoption.py`` validates the output against
GitLab's published schema."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from oai_lint.discover import display_path

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

# oai-lint's severities as GitLab's (info, minor, major, critical, blocker)
SEVERITY = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, **_: Any) -> str:
    issues = [
        {
            "type": "issue",
            "engine_name": "oai-lint",
            "check_name": f.rule_id,
            "description": f"{f.rule_id} {f.message}",
            "categories": ["Security"] if f.rule_id.startswith("OAI1") else ["Bug Risk"],
            "severity": SEVERITY.get(f.severity, "info"),
            "fingerprint": f.fingerprint,
            "location": {"path": display_path(f.path), "lines": {"begin": f.line, "end": f.end_line or f.line}},
        }
        for f in result.findings
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
