"""The fast configuration check agrees with jsonschema on every input."""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from oai_lint.config import quick_valid, schema

SCHEMA = schema()
KEYS = [*SCHEMA["properties"], "selct", "extra"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**7), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["OAI1", "OAI101", "ALL", "E501", "critical", "medium", "urgent", "5MB", "1.5 KiB", "big",
                     "rules/", "*.md", "OAI9999", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["OAI101", "OAI2", "docs/*.md", "x"]), inner,
                                            max_size=3)),
    max_leaves=6,
)
configs = st.dictionaries(st.sampled_from(KEYS), values, max_size=4)


@settings(max_examples=400, deadline=None)
@given(configs)
def test_quick_check_agrees_with_jsonschema(config: dict[str, Any]) -> None:
    verdict = quick_valid(config, SCHEMA)
    truth = jsonschema.Draft7Validator(SCHEMA).is_valid(config)
    assert verdict is None or verdict == truth


def test_quick_check_decides_ordinary_configs() -> None:
    ok = {"select": ["OAI1"], "ignore": ["OAI106"], "exclude": ["tests/"], "per-file-ignores": {"a/*": ["OAI1"]},
          "severity": {"OAI101": "critical"}, "max-file-size": "5MB", "fail-on": "high"}
    assert quick_valid(ok, SCHEMA) is True
    assert quick_valid({**ok, "selct": []}, SCHEMA) is False
