"""Reporters: text (ruff style), JSON, SARIF, GitHub annotations, JUnit; each renders a ScanResult."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

# format -> reporter module (the CLI's --format choices come from here)
_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "github", "junit": "junit"}
FORMATS = tuple(_MODULES)


def render(fmt: str, result: ScanResult, *, color: bool = False, verbose: bool = False,
           **options: Any) -> str:
    """``options`` are format-specific (e.g. ``category`` for SARIF, ``compact`` for text); a reporter
    ignores those it does not know."""
    module = importlib.import_module(f"oai_lint.report.{_MODULES.get(fmt, 'text')}")
    text: str = module.render(result, color=color, verbose=verbose, **options)
    return text
