"""Which of a plan's byte strings occur in a file, found in one pass over its bytes.

The checks that read code or configuration ask about 40 to 60 byte strings (the model ids of the
deprecation table alone are 24). Searched one by one (``needle in data``), each string that is absent costs
a pass over the whole file, and in most files most of them are absent. An Aho-Corasick automaton finds every
one of them in a single pass; ``ahocorasick_rs`` (Rust, with a vectorised prefilter) runs it at about the
speed of one ``bytes`` search, so it replaces a few dozen passes by one, linear in the file's size. It is
imported with the first plan that uses it; without it (a platform with no wheel) the plan searches the
strings one by one, as it did before, with the same answers.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

# Below this many strings, separate searches cost less: each stops at the first occurrence, and a file that
# holds the first string asked for is let through after searching only up to it.
MIN_NEEDLES = 6

_module: Any = None


def _automata() -> Any:
    """The ahocorasick_rs module, or None when it cannot be imported."""
    global _module
    if _module is None:
        try:
            _module = importlib.import_module("ahocorasick_rs")
        except ImportError:
            _module = False
    return _module or None


class Needles:
    """A set of byte strings, searched for together."""

    def __init__(self, needles: Iterable[bytes]) -> None:
        self.needles = tuple(sorted(set(needles)))
        self._automaton: Any = None

    def learn(self, data: bytes, seen: dict[bytes, bool]) -> None:
        """Record in ``seen`` whether each string occurs in ``data`` (one pass; nothing when already known)."""
        if all(n in seen for n in self.needles):
            return
        if self._automaton is None:
            module = _automata()
            assert module is not None  # searcher() builds a Needles only when the module is there
            self._automaton = module.BytesAhoCorasick(list(self.needles))
        # overlapping: every occurrence of every string, so that one that only ever occurs inside or across
        # another one's occurrence ("gpt-" in "chatgpt-") is seen as well (`needle in data` would see it)
        found = {i for i, _start, _end in self._automaton.find_matches_as_indexes(data, overlapping=True)}
        for i, needle in enumerate(self.needles):
            seen[needle] = i in found


def searcher(needles: Iterable[bytes]) -> Needles | None:
    """A one-pass search for ``needles`` when it pays off: enough of them, and the automaton available."""
    distinct = set(needles)
    if len(distinct) < MIN_NEEDLES or _automata() is None:
        return None
    return Needles(distinct)
