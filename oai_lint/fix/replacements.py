"""Which models are shut down and what replaces them, for the model fixes (OAI405) and their tests.

The one place the fixes ask: when the deprecation table moves (``oai_lint.deprecations``), only these two
functions change.
"""

from __future__ import annotations

from oai_lint.retired_models import replacement, table


def live_replacement(model: str) -> str | None:
    """The replacement of a shut-down model, followed to the first one that is not shut down; None when
    the model is not shut down or its replacement is not known."""
    entry = table().get(model)
    if entry is None:
        return None
    repl = replacement(entry)
    return repl if repl is not None and repl not in table() else None


def shut_down_models() -> frozenset[str]:
    """Every model id the table says is shut down."""
    return frozenset(table())
