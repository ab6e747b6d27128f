"""oai-lint's own output, recognised by its content: a baseline, a JSON report, a SARIF file whose runs are
all oai-lint's, a GitLab Code Quality report that oai-lint wrote. Their messages name retired models, env
names and redacted keys; scanning them again reported the baseline's own text (issue 14), so the scanner
runs only the key check on them (a full key in one of them is still a leak).

Cheap for every other file: a byte search for ``"oai-lint"`` decides before anything is parsed.
"""

from __future__ import annotations

import json
from typing import Any

MARK = b'"oai-lint"'


def own_format(data: bytes) -> str | None:
    """The name of the oai-lint format ``data`` is written in (``baseline``, ``json``, ``sarif``,
    ``gitlab``), or None."""
    start = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip()  # (a byte order mark, as some editors write)
    if start[:1] not in (b"{", b"[") or MARK not in data:
        return None
    try:
        doc: Any = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if isinstance(doc, dict):
        if doc.get("tool") == "oai-lint" and isinstance(doc.get("findings"), list):
            return "baseline" if "format" in doc and "summary" not in doc else "json"
        runs = doc.get("runs")
        if isinstance(runs, list) and runs and all(_sarif_run_of_ours(r) for r in runs):
            return "sarif"
        return None
    if isinstance(doc, list) and doc and all(
            isinstance(item, dict) and item.get("engine_name") == "oai-lint" for item in doc):
        return "gitlab"
    return None


def _sarif_run_of_ours(run: Any) -> bool:
    if not isinstance(run, dict):
        return False
    tool = run.get("tool")
    driver = tool.get("driver") if isinstance(tool, dict) else None
    return isinstance(driver, dict) and driver.get("name") == "oai-lint"
