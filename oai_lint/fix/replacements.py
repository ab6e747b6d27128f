"""Which models are shut down and what replaces them, for the model fixes (OAI405) and their tests: the
one place the fixes ask ``oai_lint.deprecations``."""

from __future__ import annotations

from oai_lint.deprecations import SHUT_DOWN, lookup


def live_replacement(model: str) -> str | None:
    """The replacement of a shut-down model, followed to the first one that is still live today; None when
    the model is not shut down or no live replacement is known."""
    found = lookup(model)
    if found.status != SHUT_DOWN or found.replacement is None:
        return None
    return found.replacement.id


def is_shut_down(model: str) -> bool:
    """Whether the model is shut down today (an exact id, a family member or a fine-tuned base)."""
    return lookup(model).status == SHUT_DOWN
