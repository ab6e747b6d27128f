"""OAI405: a model that OpenAI has shut down, used in code or configuration (the table:
:mod:`oai_lint.analysis.deprecations`; where a model id counts as used: :mod:`oai_lint.analysis.modeluse`).

The model checks of ``legacy/__init__`` look each used id up on the scan's date and hand the shut-down
ones here (the announced ones go to OAI406)."""

from __future__ import annotations

from oai_lint.analysis import deprecations
from oai_lint.analysis.modeluse import ModelUse
from oai_lint.findings import Hit


def hit(use: ModelUse, found: deprecations.Lookup) -> Hit:
    assert found.entry is not None
    params = {
        "model": use.model,
        "when": f" on {found.entry.shutdown.isoformat()}",
        "replacement": deprecations.replacement_phrase(found),
        "caveat": deprecations.caveat(found),
    }
    return Hit("OAI405", use.line, use.column, use.line, use.end_column, params=params, key=use.model)
