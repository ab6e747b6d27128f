"""The check registry. A check is a function ``(source, context) -> hits`` registered for rule ids.

Checks declare the source kinds they read and the byte strings (``triggers``) without which they
cannot fire: the engine reads a file once and runs only the checks whose triggers occur in it.

Layout: one package per rule family (``credentials``, ``orgproject``, ``retries``, ``legacy``), one module
per rule named by its id (``retries/oai305_unbounded_retry.py``). A check that serves one rule is
registered in its rule's module; a check whose one read of a file serves several rules is registered in
the family's ``__init__`` and hands what it read to each rule's module. What the checks know about code
(flow, usage, ids, keys, models, the vocabulary) is in :mod:`oai_lint.analysis`, which imports no check.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from oai_lint import gitcmd

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
    # the rules this scan reports (None: all): a check can skip costly work for rules that are off
    rules: frozenset[str] | None = None

    def enabled(self, *rule_ids: str) -> bool:
        """Whether any of the rules is reported by this scan."""
        return self.rules is None or any(r in self.rules for r in rule_ids)

    def git_ignored(self, abspath: str) -> bool | None:
        """Whether git ignores the file (tracked files never are); None outside a git work tree."""
        proc = gitcmd.run(["check-ignore", "-q", "--", abspath], os.path.dirname(abspath), 30)
        if proc is None:
            return None
        return {0: True, 1: False}.get(proc.returncode)

    # facts a scan is still gathering from the files it reads: asking for one raises FactsPending
    later: frozenset[str] = frozenset()

    def fact(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self.facts:
            if name in self.later:
                raise FactsPending(name)
            self.facts[name] = compute()
        return self.facts[name]


class FactsPending(Exception):
    """A check asked for repository facts the scan is still gathering: it runs again on this file once
    every file has been read."""


CheckFunc = Callable[["Source", Context], Iterable["Hit"]]


class Check(NamedTuple):
    """A registered check: the function, the rules it reports, the kinds it reads and its triggers."""
    name: str
    rule_ids: tuple[str, ...]
    func: CheckFunc
    kinds: frozenset[str] | None  # None: every kind
    triggers: tuple[bytes, ...]  # any of them must occur in the file; empty: always run
    str_triggers: tuple[str, ...] = ()
    # the module that declares the repository facts the check needs (a ``FactsProvider`` named ``PROVIDER``,
    # see oai_lint.repository); "" for none
    facts: str = ""
    requires: bytes = b""  # and this one too (when set): e.g. b"curl" for the curl checks
    # reads only the text (no syntax tree): the only kind of check that can fire on a minified bundle
    text_level: bool = False


_REGISTRY: list[Check] = []


def check(
    *rule_ids: str, kinds: Iterable[str] | None = None, triggers: Iterable[bytes] = (),
    facts: str = "", requires: bytes = b"", text_level: bool = False,
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
                facts=facts,
                requires=requires,
                text_level=text_level,
            )
        )
        return func

    return register


class _Deferred:
    """A check function named by module and attribute, imported on its first call.

    Start-up cost matters (pre-commit runs the tool on every commit): the check modules are only
    imported when a file of their kind passes their triggers.
    """

    def __init__(self, module: str, attr: str) -> None:
        self.module, self.attr = module, attr
        self.__module__, self.__name__ = module, attr  # as the function's (the manifest names it so)
        self._func: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        if self._func is None:
            self._func = getattr(importlib.import_module(self.module), self.attr)
        return self._func(*args)

    def __reduce__(self) -> tuple[type[_Deferred], tuple[str, str]]:
        return (_Deferred, (self.module, self.attr))


_loaded = False
_from_manifest: list[Check] | None = None


def full_registry() -> list[Check]:
    """Every check, from the decorators: imports every check module."""
    global _loaded
    if not _loaded:
        for module in MODULES:
            importlib.import_module(f"oai_lint.checks.{module}")
        _loaded = True
    return list(_REGISTRY)


def registry() -> list[Check]:
    """Every check, from the generated manifest (no check module is imported until a check runs).

    Once :func:`full_registry` has imported the modules (tests that add or wrap checks do), the
    decorated functions themselves."""
    global _from_manifest
    if _loaded:
        return list(_REGISTRY)
    if _from_manifest is None:
        try:
            from oai_lint.checks._manifest import CHECKS, MANIFEST_MODULES
        except ImportError:  # pragma: no cover - a source tree without the generated file
            return full_registry()
        if MANIFEST_MODULES != MODULES:  # pragma: no cover - stale: tests/test_manifest.py catches it
            return full_registry()
        _from_manifest = [
            Check(
                name=name, rule_ids=rule_ids, func=_Deferred(*name.rsplit(".", 1)),
                kinds=frozenset(kinds) if kinds is not None else None, triggers=triggers,
                str_triggers=tuple(t.decode() for t in triggers),
                facts=facts, requires=requires, text_level=text_level,
            )
            for name, rule_ids, kinds, triggers, requires, facts, text_level in CHECKS
        ]
    return list(_from_manifest)
