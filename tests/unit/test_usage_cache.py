"""The per-file usage memo is bounded: a process that reads many files does not keep them all."""

from __future__ import annotations

import pytest

from oai_lint.analysis import usage
from oai_lint.sources import Source


def test_usage_memo_is_bounded_and_answers_stay_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(usage, "_CACHE", {})
    monkeypatch.setattr(usage, "_CACHE_SIZE", 3)
    code = "from openai import OpenAI\nclient = OpenAI(organization='org-{n}')\n"
    sources = [Source(f"m{n}.py", code.format(n=n), abspath=f"/r/m{n}.py") for n in range(10)]
    first = [usage.analyse(s) for s in sources]
    assert len(usage._CACHE) <= 3
    again = [usage.analyse(Source(s.path, s.text, abspath=s.abspath)) for s in sources]
    assert [u.uses for u in again] == [u.uses for u in first]
    assert first[9].uses and first[9].uses[0].line == 2
