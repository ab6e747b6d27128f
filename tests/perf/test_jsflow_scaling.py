"""Bounded time in the JS/TS flow analysis: following a client stored on ``this.client`` compares the other
member expressions of the file with it, and a file with one long method chain split over lines has as many
member expressions as links, each spanning the chain before it. Timed like tests/perf/test_scaling.py:
size n against 4n (linear: about 4 times as long; quadratic: about 16 times; before the fix a scan took
0.9 s at 8,000 links, 3.3 s at 16,000 and 13 s at 32,000)."""

from __future__ import annotations

import pytest

from oai_lint.checks import Context
from oai_lint.engine import Scanner, Settings
from oai_lint.sources import Source
from tests.perf.test_scaling import _seconds

CLASS = (
    'import OpenAI from "openai";\n'
    "class Agent {\n"
    "  constructor() {\n"
    "    this.client = new OpenAI({ maxRetries: 0 });\n"
    "  }\n"
    "  run() {\n"
    "    return this.client.chat.completions.create({});\n"
    "  }\n"
    "}\n"
)


def _chain(n: int, link: str) -> str:
    return CLASS + "const y = x" + "".join(f"\n  .{link}" for _ in range(n)) + ";\n"


def _scan(text: str) -> list[str]:
    result = Scanner(Settings(), Context(root=".")).scan_source(Source("agent.js", text))
    return sorted(f.rule_id for f in result.findings)


@pytest.mark.parametrize("link", ["step", "client"])  # "client": every link has the stored member's name
def test_member_uses_time_grows_linearly_with_a_long_chain(link: str) -> None:
    n = 4_000
    small, large = _chain(n, link), _chain(4 * n, link)
    assert _scan(small) == _scan(large) == ["OAI301"]  # the client without retries is still reported
    t1, t4 = _seconds(_scan, small), _seconds(_scan, large)
    assert t4 < 8 * t1 + 0.05, f"{link}: {t1:.3f} s for n={n}, {t4:.3f} s for 4n (quadratic?)"
