"""TOML parsed in time and memory linear in its size.

tomllib builds, for a dotted key of n parts (``a.b.c…``), a tuple of every prefix: n²/2 entries, so a
32 KB key took 1.5 GB and 64 KB 6 GB. No real file has a key of more than a few dozen parts: a key of
more than :data:`MAX_KEY_PARTS` is refused before tomllib sees it. Keys cannot span lines (TOML 1.0), so
only a line with that many dots is looked at closely.
"""

from __future__ import annotations

import re
from typing import Any

from oai_lint._compat import tomllib
from oai_lint.lazyre import lazy_compile

__all__ = ["MAX_KEY_PARTS", "TomlTooComplex", "check", "loads", "tomllib"]

MAX_KEY_PARTS = 256
# a dotted key: bare or quoted parts joined by dots; matched left to right, each run once (linear)
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\n\\]*"|'[^'\n]*')"""
_DOTTED = lazy_compile(rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})+")


class TomlTooComplex(ValueError):
    """A TOML document whose keys would cost tomllib more than linear time and memory."""


def check(text: str) -> None:
    """Raise :class:`TomlTooComplex` for a key of more than :data:`MAX_KEY_PARTS` dotted parts."""
    if text.count(".") < MAX_KEY_PARTS:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(".") >= MAX_KEY_PARTS and any(_is_long_key(line, m) for m in _DOTTED.finditer(line)):
            raise TomlTooComplex(f"a key of more than {MAX_KEY_PARTS} dotted parts at line {number}")


def _is_long_key(line: str, m: re.Match[str]) -> bool:
    """A run of dotted parts that is a key (followed by ``=``, or ``]`` in a table header), not text in a
    string (``url = 'a.b.c…'``), with too many parts."""
    if m.group().count(".") < MAX_KEY_PARTS:
        return False
    after = line[m.end():].lstrip(" \t")
    return after.startswith(("=", "]"))


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads`` after :func:`check`."""
    check(text)
    data: dict[str, Any] = tomllib.loads(text)
    return data
