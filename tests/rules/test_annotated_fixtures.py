"""Every rule fixture under ``tests/rules/fixtures/<RULEID>/<case>/`` is reported exactly on its annotated lines.

The annotations (``# ruleid: OAI301`` on the line before, see ``tests/support/annotations.py``) are the
expectations: a missing finding or an extra one fails, naming the file and the line. The rules checked are the
directory's rule and every rule named in the case's annotations; a family directory (``OAI2xx``) checks every
rule of the family, for cases where the whole family's output is the expectation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from oai_lint.ruleset.load import all_rules
from tests.conftest import git_init, run_scan
from tests.support.annotations import FIXTURES, Expectations, cases, materialise, parse

CASES = cases()


def checked(directory: str, expected: Expectations) -> Callable[[str], bool]:
    """Which findings a case speaks for: its directory's rule (or family) and every rule it annotates."""
    named = set(expected.ruleid) | set(expected.ok)
    if directory.endswith("xx"):
        family = directory.removesuffix("xx")
        return lambda rule: rule.startswith(family) or rule in named
    return lambda rule: rule == directory or rule in named


def test_there_are_fixtures_and_each_names_a_known_rule_or_family() -> None:
    known = {r.id for r in all_rules()}
    assert CASES, f"no fixture directories under {FIXTURES}"
    for case in CASES:
        name = case.parent.name
        assert name in known or any(r.startswith(name.removesuffix("xx")) for r in known if name.endswith("xx")), case


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_findings_are_exactly_the_annotated_lines(case: Path, tmp_path: Path) -> None:
    root = tmp_path / case.name
    expected = materialise(case, root)
    assert expected.ruleid or expected.ok, f"{case}: no annotation"
    speaks_for = checked(case.parent.name, expected)
    git_init(root)
    found = {(f.rule_id, f.path, f.line) for f in run_scan(root).findings if speaks_for(f.rule_id)}
    want = {(rule, p, n) for rule, places in expected.ruleid.items() for p, n in places}
    ok = {(rule, p, n) for rule, places in expected.ok.items() for p, n in places}
    problems = [f"{p}:{n}: {rule} expected here, not reported" for rule, p, n in sorted(want - found)]
    problems += [f"{p}:{n}: {rule} reported, not annotated" for rule, p, n in sorted(found - want - ok)]
    problems += [f"{p}:{n}: {rule} reported on a line marked ok" for rule, p, n in sorted(found & ok)]
    assert not problems, "\n".join(problems)


def test_annotations_apply_to_the_next_line_and_a_bad_one_fails() -> None:
    exp = Expectations()
    parse("a.py", "# ruleid: OAI301, OAI305\nx = 1\n// ok: OAI302\n<!-- ruleid: OAI401 -->\ny\n", exp)
    assert exp.ruleid == {"OAI301": {("a.py", 2)}, "OAI305": {("a.py", 2)}, "OAI401": {("a.py", 5)}}
    assert exp.ok == {"OAI302": {("a.py", 5)}}
    with pytest.raises(ValueError, match=r"a\.py"):
        parse("a.py", "x = 1\n# ruleid: OAI301\n", Expectations())
