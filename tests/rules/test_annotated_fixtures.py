"""Every rule fixture under ``tests/rules/fixtures/<RULEID>/<case>/`` is reported exactly on its annotated lines.

The annotations (``# ruleid: OAI301`` on the line before, see ``tests/support/annotations.py``) are the
expectations: a missing finding or an extra one fails, naming the file and the line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oai_lint.rules import all_rules
from tests.conftest import git_init, run_scan
from tests.support.annotations import FIXTURES, Expectations, cases, materialise, parse

CASES = cases()


def test_there_are_fixtures_and_each_names_a_known_rule() -> None:
    known = {r.id for r in all_rules()}
    assert CASES, f"no fixture directories under {FIXTURES}"
    assert {c.parent.name for c in CASES} <= known


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_findings_are_exactly_the_annotated_lines(case: Path, tmp_path: Path) -> None:
    rule = case.parent.name
    root = tmp_path / case.name
    expected = materialise(case, root)
    assert rule in expected.ruleid or rule in expected.ok, f"{case}: no '{rule}' annotation"
    git_init(root)
    found = {(f.path, f.line) for f in run_scan(root).findings if f.rule_id == rule}
    want = expected.ruleid.get(rule, set())
    problems = [f"{p}:{n}: {rule} expected here, not reported" for p, n in sorted(want - found)]
    problems += [f"{p}:{n}: {rule} reported, not annotated" for p, n in sorted(found - want)]
    marked_ok = found & expected.ok.get(rule, set())
    problems += [f"{p}:{n}: {rule} reported on a line marked ok" for p, n in sorted(marked_ok)]
    assert not problems, "\n".join(problems)


def test_annotations_apply_to_the_next_line_and_a_bad_one_fails() -> None:
    exp = Expectations()
    parse("a.py", "# ruleid: OAI301, OAI305\nx = 1\n// ok: OAI302\n<!-- ruleid: OAI401 -->\ny\n", exp)
    assert exp.ruleid == {"OAI301": {("a.py", 2)}, "OAI305": {("a.py", 2)}, "OAI401": {("a.py", 5)}}
    assert exp.ok == {"OAI302": {("a.py", 5)}}
    with pytest.raises(ValueError, match=r"a\.py"):
        parse("a.py", "x = 1\n# ruleid: OAI301\n", Expectations())
