"""Which models are shut down and what replaces them, for the model fixes (OAI405) and their tests: the
one place the fixes ask ``oai_lint.analysis.deprecations``.

The date is the scan's (``--as-of`` or the configuration's ``as-of``, else today), so that a fix writes
the replacement its finding names: :func:`scan_date` sets it for the fixes of one run."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar

from oai_lint.analysis.deprecations import SHUT_DOWN, lookup

_DAY: ContextVar[datetime.date | None] = ContextVar("oai_lint_fix_day", default=None)


@contextlib.contextmanager
def scan_date(day: datetime.date | None) -> Iterator[None]:
    """The fixes inside look models up on ``day`` (None: today)."""
    token = _DAY.set(day)
    try:
        yield
    finally:
        _DAY.reset(token)


def live_replacement(model: str) -> str | None:
    """The replacement of a shut-down model, followed to the first one that is still live on the scan's date;
    None when the model is not shut down or no live replacement is known."""
    found = lookup(model, _DAY.get())
    if found.status != SHUT_DOWN or found.replacement is None:
        return None
    return found.replacement.id


def is_shut_down(model: str) -> bool:
    """Whether the model is shut down on the scan's date (an exact id, a family member or a fine-tuned base)."""
    return lookup(model, _DAY.get()).status == SHUT_DOWN
