"""Regular expressions compiled on first use.

A module-level ``re.compile`` runs at import; with some seventy patterns across the checks that is tens of
milliseconds of start-up on every pre-commit run, mostly for patterns the run never uses.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast


class _LazyPattern:
    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._args[0]!r})"


def lazy_compile(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile``, deferred until the pattern is first used (search, match, finditer, …)."""
    return cast("re.Pattern[AnyStr]", _LazyPattern(pattern, int(flags)))
