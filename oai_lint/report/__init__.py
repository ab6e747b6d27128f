"""Reporters: text (ruff style; concise: one line per finding), JSON, SARIF, GitHub annotations, JUnit,
GitLab Code Quality, and the statistics (``--statistics``); each renders a ScanResult."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

# format -> reporter module (the CLI's --format choices come from here)
_MODULES = {"text": "text", "concise": "text", "json": "json_report", "sarif": "sarif", "github": "github",
            "junit": "junit", "gitlab": "gitlab"}
FORMATS = tuple(_MODULES)


def render(fmt: str, result: ScanResult, *, color: bool = False, verbose: bool = False,
           **options: Any) -> str:
    """``options`` are format-specific (e.g. ``category`` for SARIF, ``compact`` for text); a reporter
    ignores those it does not know."""
    if options.get("statistics"):
        from oai_lint.report.statistics import render as render_statistics

        return render_statistics(result, fmt=fmt, color=color)
    module = importlib.import_module(f"oai_lint.report.{_MODULES.get(fmt, 'text')}")
    if fmt == "concise":
        options["concise"] = True
    text: str = module.render(result, color=color, verbose=verbose, **options)
    return text
