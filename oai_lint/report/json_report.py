"""JSON output: one object with ``findings``, ``notes`` and a ``summary``."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from oai_lint import __version__
from oai_lint.discover import data_path
from oai_lint.findings import SEVERITIES

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult


def render(result: ScanResult, *, color: bool = False, verbose: bool = False, **_: Any) -> str:
    return dumps(build(result))


def build(result: ScanResult) -> dict[str, Any]:
    """The report as a JSON object (``oai-lint history`` adds its own key to it)."""
    counts = Counter(f.severity for f in result.findings)
    return {
        "tool": "oai-lint",
        "version": __version__,
        "findings": [{**f.as_dict(), "path": data_path(f.path)} for f in result.findings],
        "notes": [{**n.as_dict(), "path": data_path(n.path)} for n in result.notes],
        "summary": {
            "files_scanned": result.files_scanned,
            "files_skipped_binary": result.files_skipped_binary,
            "findings": len(result.findings),
            "suppressed": len(result.suppressed),
            "baselined": len(result.baselined),
            "by_severity": {s: counts[s] for s in SEVERITIES},
        },
    }


def dumps(doc: dict[str, Any]) -> str:
    return _escape_unprintable(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _escape_unprintable(text: str) -> str:
    """Characters a terminal would not show as themselves (a right-to-left override, a zero-width joiner)
    as JSON escapes: the document stays readable and safe to print, and still decodes to the real name."""
    return _NON_ASCII.sub(lambda m: m.group() if m.group().isprintable() else json.dumps(m.group())[1:-1], text)


_NON_ASCII = re.compile(r"[^\x20-\x7e\n]")
