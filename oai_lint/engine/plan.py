"""The planner: which checks read a kind of file, and the prefilter in front of them (the byte strings
without which none of them can fire). Most files of a repository hold none, and are never decoded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from oai_lint.checks import Check
from oai_lint.engine.needles import Needles, searcher
from oai_lint.sources import Source
from oai_lint.sources.text import has


@dataclass(frozen=True)
class Plan:
    """What runs on one kind of file: its checks, and the prefilter in front of them."""

    checks: list[Check]
    triggers: tuple[bytes, ...] | None  # any of these in the bytes lets the checks run; None: always
    gated: tuple[tuple[bytes, tuple[bytes, ...]], ...] = ()  # (required, any of): both must occur
    # every byte string the plan's checks (and the facts the scan gathers) ask about, found in one pass;
    # None: searched one by one (few of them, or no automaton: oai_lint.engine.needles)
    search: Needles | None = None

    def learn(self, data: bytes, seen: dict[bytes, bool]) -> None:
        """With a one-pass search, record in ``seen`` which of the plan's byte strings occur in ``data``."""
        if self.search is not None:
            self.search.learn(data, seen)

    def matches(self, data: bytes, seen: dict[bytes, bool] | None = None) -> bool:
        """Whether the checks can fire on ``data``. ``seen`` remembers which triggers were looked
        for and found, so that choosing the checks afterwards searches no byte string twice."""
        if self.triggers is None:
            return True
        if seen is None:
            seen = {}
        self.learn(data, seen)  # (with a one-pass search, `has` then only reads the memo)
        if any(has(data, t, seen) for t in self.triggers):
            return True
        return any(has(data, req, seen) and any(has(data, t, seen) for t in trs) for req, trs in self.gated)


class Planner:
    """The plans of a scan's checks, one per kind of file (and per kind, for minified bundles)."""

    def __init__(self, checks: list[Check], extra_trigger: Callable[[str], bytes | None],
                 in_tests: Callable[[Check], bool] = lambda c: True,
                 asked: Callable[[str], tuple[bytes, ...]] = lambda kind: ()) -> None:
        """``extra_trigger``: bytes that let a file of a kind through for another reason than a check
        (the suppression comments the meta rules read), or None. ``in_tests``: whether a check can
        report anything in test code (most rules do not apply there: oai_lint.testcode). ``asked``: byte
        strings the scan asks about the files of a kind besides the checks' (the facts providers' triggers)."""
        self.checks = checks
        self._extra = extra_trigger
        self._in_tests = in_tests
        self._asked = asked
        self._plans: dict[tuple[str, bool, bool], Plan] = {}

    def plan(self, kind: str, text_level: bool = False, test: bool = False) -> Plan:
        """The checks that read a kind of file, and the byte strings without which none of them can fire.
        ``text_level``: only the checks that read no syntax tree (for a minified bundle, which is never
        parsed). ``test``: the file is test code (only the checks whose rules apply there: the triggers of
        the others are never searched for in a test suite's recordings and fixtures)."""
        key = (kind, text_level, test)
        cached = self._plans.get(key)
        if cached is None:
            checks = [c for c in self.checks if (c.kinds is None or kind in c.kinds)
                      and (c.text_level or not text_level) and (not test or self._in_tests(c))]
            plain = {t for c in checks if not c.requires for t in c.triggers}
            extra = self._extra(kind)
            if extra is not None:
                plain.add(extra)
            gated: dict[bytes, set[bytes]] = {}
            for c in checks:
                if c.requires:
                    gated.setdefault(c.requires, set()).update(c.triggers)
            always = any(not c.triggers for c in checks)
            needles = {t for c in checks for t in (*c.triggers, *([c.requires] if c.requires else []))}
            search = searcher(needles | plain | set(self._asked(kind))) if checks else None
            if search is not None:  # one pass finds them all: their order and redundancy cost nothing
                triggers = tuple(sorted(plain))
            else:
                # a trigger that contains another is redundant: "NEXT_PUBLIC_" once "PUBLIC_" is there
                # the commonest first ("openai" in any case): a file that holds one is let through after one
                # search, instead of a search of the whole file for each rarer trigger before it (158 MB of
                # YAML cassettes that all name api.openai.com were searched for a dozen model names first)
                triggers = tuple(sorted((t for t in plain if not any(o != t and o in t for o in plain)),
                                        key=lambda t: (b"openai" not in t.lower(), t)))
            cached = self._plans[key] = Plan(
                checks, None if always else triggers,
                tuple((req, tuple(sorted(trs))) for req, trs in sorted(gated.items())), search,
            )
        return cached

    def wanted(self, source: Source, data: bytes | None = None,
               seen: dict[bytes, bool] | None = None, plan: Plan | None = None) -> list[Check]:
        """The checks whose triggers occur in the file (in its bytes when given, with the triggers the
        prefilter already looked for in ``seen``)."""
        if data is not None:
            memo = {} if seen is None else seen
            plan = plan or self.plan(source.kind)
            plan.learn(data, memo)
            return [
                c for c in plan.checks
                if (not c.triggers or any(has(data, t, memo) for t in c.triggers))
                and (not c.requires or has(data, c.requires, memo))
            ]
        text = source.text
        return [
            c for c in (plan or self.plan(source.kind)).checks
            if (not c.str_triggers or any(t in text for t in c.str_triggers))
            and (not c.requires or c.requires.decode() in text)
        ]
