"""Reporters: text (ruff style), JSON; each renders a ScanResult to a string."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

FORMATS = ("text", "json")


def render(fmt: str, result: ScanResult, *, color: bool = False, verbose: bool = False) -> str:
    renderer: Callable[..., str]
    if fmt == "json":
        from oai_lint.report.json_report import render as renderer
    else:
        from oai_lint.report.text import render as renderer
    return renderer(result, color=color, verbose=verbose)
