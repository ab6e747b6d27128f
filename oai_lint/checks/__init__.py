"""The check registry. A check is a function ``(source, context) -> hits`` registered for rule ids.

Checks declare the source kinds they read and the byte strings (``triggers``) without which they
cannot fire: the engine reads a file once and runs only the checks whose triggers occur in it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oai_lint.findings import Hit
    from oai_lint.sources import Source

# The modules that hold checks, imported once on first use.
MODULES = ("credentials", "orgproject", "retries", "legacy")


@dataclass
class Context:
    """What a check may know beyond its file: options from the config and repository-level facts."""

    root: str
    options: dict[str, Any] = field(default_factory=dict)
    in_git: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    # how the scan finds files, for checks that look at the whole repository (oai_lint.repofacts)
    exclude: tuple[str, ...] = ()
    max_file_size: int = 5_000_000
    use_gitignore: bool = True
    listing: tuple[str, ...] = ()  # every file of the scan, when the scan covers the whole root directory

    def git_ignored(self, abspath: str) -> bool | None:
        """Whether git ignores the file (tracked files never are); None outside a git work tree."""
        directory = os.path.dirname(abspath)
        import subprocess

        try:
            proc = subprocess.run(
                ["git", "check-ignore", "-q", "--", abspath],
                cwd=directory, capture_output=True, timeout=30, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return {0: True, 1: False}.get(proc.returncode)

    def fact(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self.facts:
            self.facts[name] = compute()
        return self.facts[name]


CheckFunc = Callable[["Source", Context], Iterable["Hit"]]
# Computes repository-level facts into the context up front (given the files to be scanned), so that
# worker processes inherit them instead of each computing them again.
PrimeFunc = Callable[[Context, Sequence[str]], None]


@dataclass(frozen=True)
class Check:
    name: str
    rule_ids: tuple[str, ...]
    func: CheckFunc
    kinds: frozenset[str] | None  # None: every kind
    triggers: tuple[bytes, ...]  # any of them must occur in the file; empty: always run
    str_triggers: tuple[str, ...] = ()
    prime: PrimeFunc | None = None


_REGISTRY: list[Check] = []


def check(
    *rule_ids: str, kinds: Iterable[str] | None = None, triggers: Iterable[bytes] = (),
    prime: PrimeFunc | None = None,
) -> Callable[[CheckFunc], CheckFunc]:
    def register(func: CheckFunc) -> CheckFunc:
        trig = tuple(triggers)
        _REGISTRY.append(
            Check(
                name=f"{func.__module__}.{func.__name__}",
                rule_ids=tuple(rule_ids),
                func=func,
                kinds=frozenset(kinds) if kinds is not None else None,
                triggers=trig,
                str_triggers=tuple(t.decode() for t in trig),
                prime=prime,
            )
        )
        return func

    return register


def prime(context: Context, checks: Iterable[Check], abspaths: Sequence[str]) -> None:
    """Run the ``prime`` hooks of the given checks once (each hook once, however many checks share it)."""
    for func in dict.fromkeys(c.prime for c in checks if c.prime is not None):
        func(context, abspaths)


_loaded = False


def registry() -> list[Check]:
    global _loaded
    if not _loaded:
        for module in MODULES:
            importlib.import_module(f"oai_lint.checks.{module}")
        _loaded = True
    return list(_REGISTRY)
