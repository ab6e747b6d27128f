"""What applies in test code (``tests/``, ``test_*.py``, ``conftest.py``, ``*.test.ts``, ``__mocks__``,
fixtures): the documented default per rule, and the ``test-code`` table of the configuration that changes it.

Test code runs against mocks, recorded cassettes and fake settings and is never deployed, so the rules about
how the deployed code behaves (organization/project settings, retry handling, model ids, client bundling) do
not apply there by default. A real-looking key is a leak wherever it is, and code written for a removed SDK
breaks its tests too: those rules apply everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

# rule id or prefix -> "report" | "skip" in test code; the longest matching entry wins
DEFAULTS: dict[str, str] = {
    "ALL": "report",
    "OAI102": "skip",  # the browser client: tests run it under jsdom on purpose
    "OAI103": "skip",  # a public env name read by a test is not bundled
    "OAI2": "skip",  # organization/project settings: fixtures, cassette scrubbers, fake ids
    "OAI3": "skip",  # retry handling: tests turn retries off and test re-ask features
    "OAI405": "skip",  # model ids: test data, mocked responses, recorded requests
    "OAI406": "skip",  # the same for models announced for shutdown
    "OAI407": "skip",  # endpoints: mocked routes and recorded requests
}

__all__ = ["DEFAULTS", "TestCodePolicy"]


class TestCodePolicy:
    """Which rules report findings in test code: the configuration's entries first (the most specific that
    names the rule: ``OAI304`` before ``OAI3`` before ``ALL``), then ``DEFAULTS`` (likewise)."""

    __test__ = False  # (not a pytest class)

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self._cache: dict[str, bool] = {}

    def reports(self, rule_id: str) -> bool:
        """Whether ``rule_id`` reports findings in test code."""
        known = self._cache.get(rule_id)
        if known is None:
            value = _lookup(self.overrides, rule_id) or _lookup(DEFAULTS, rule_id) or "report"
            known = self._cache[rule_id] = value == "report"
        return known


def _lookup(table: Mapping[str, str], rule_id: str) -> str | None:
    names = [k for k in table if k == "ALL" or rule_id.startswith(k)]
    if not names:
        return None
    return table[max(names, key=lambda k: -1 if k == "ALL" else len(k))]
