"""Which of a plan's byte strings occur in a file, found in one pass over its bytes.

The checks that read code or configuration ask about 40 to 60 byte strings (the model ids of the
deprecation table alone are 24). Searched one by one (``needle in data``), each string that is absent costs
a pass over the whole file, and in most files most of them are absent. An Aho-Corasick automaton finds every
one of them in a single pass, linear in the file's size:

- ``ahocorasick_rs`` (Rust, with a vectorised prefilter: about the speed of one ``bytes`` search), when it
  is installed (the ``fast`` extra: it has no wheel for musl, 32-bit or some other platforms, where pip would
  need a Rust toolchain);
- otherwise ``pyahocorasick`` (C, a dependency: wheels for every common platform, musl included), over the
  bytes read as Latin-1 (one character per byte);
- without either (an install without its dependencies) the plan searches the strings one by one, as it did
  before, with the same answers.

The library is imported with the first plan that uses it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

# Below this many strings, separate searches cost less: each stops at the first occurrence, and a file that
# holds the first string asked for is let through after searching only up to it.
MIN_NEEDLES = 6

# bytes searched per call of ahocorasick_rs (see _finder)
_WINDOW = 1 << 18
# the automaton libraries, preferred first; the name of the one in use (None: none; "" : not looked for yet)
BACKENDS = ("ahocorasick_rs", "ahocorasick")
_backend: str | None = ""
_module: Any = None


def backend() -> str | None:
    """The automaton library this process uses (imported on first call), or None."""
    if _backend == "":
        for name in BACKENDS:
            try:
                use(name)
                break
            except ImportError:
                continue
        else:
            use(None)
    return _backend


def use(name: str | None) -> None:
    """Use this library (one of ``BACKENDS``; None: none; "": look again on next use) from now on: for tests of
    each path."""
    global _backend, _module
    _module = importlib.import_module(name) if name else None
    _backend = name


def _finder(needles: tuple[bytes, ...]) -> Callable[[bytes], set[int]]:
    """A function giving the indexes of the needles that occur in some bytes, for the library in use."""
    if _backend == "ahocorasick_rs":
        automaton = _module.BytesAhoCorasick(list(needles))
        overlap = max(map(len, needles)) - 1

        def find(data: bytes) -> set[int]:
            # overlapping: every occurrence of every string, so that one that only ever occurs inside or across
            # another one's occurrence ("gpt-" in "chatgpt-") is seen as well (`needle in data` would see it).
            # The library returns every occurrence as a tuple: a window at a time keeps that list small (a
            # file of 5 MB made of one string held 190 MB of them), and the windows overlap by a string's
            # length, less one, so that none is cut in two.
            found: set[int] = set()
            view = memoryview(data)
            for start in range(0, max(len(data), 1), _WINDOW):
                window = view[start:start + _WINDOW + overlap]
                found.update(i for i, _start, _end in automaton.find_matches_as_indexes(window, overlapping=True))
                if len(found) == len(needles):
                    break
            return found

        return find
    trie = _module.Automaton()
    for i, needle in enumerate(needles):
        trie.add_word(needle.decode("latin-1"), i)
    trie.make_automaton()
    # iter() reports every occurrence, overlapping ones included
    return lambda data: {i for _end, i in trie.iter(data.decode("latin-1"))}


class Needles:
    """A set of byte strings, searched for together."""

    def __init__(self, needles: Iterable[bytes]) -> None:
        self.needles = tuple(sorted(set(needles)))
        self._find: Callable[[bytes], set[int]] | None = None

    def learn(self, data: bytes, seen: dict[bytes, bool]) -> None:
        """Record in ``seen`` whether each string occurs in ``data`` (one pass; nothing when already known)."""
        if all(n in seen for n in self.needles):
            return
        if self._find is None:
            self._find = _finder(self.needles)
        found = self._find(data)
        for i, needle in enumerate(self.needles):
            seen[needle] = i in found


def searcher(needles: Iterable[bytes]) -> Needles | None:
    """A one-pass search for ``needles`` when it pays off: enough of them, and an automaton library."""
    distinct = {n for n in needles if n}  # (the empty string is in every file: `has` answers it by itself)
    if len(distinct) < MIN_NEEDLES or backend() is None:
        return None
    return Needles(distinct)
