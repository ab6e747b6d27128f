"""The one-pass search for a plan's byte strings (oai_lint.engine.needles) answers exactly as ``needle in
data`` does, and a scan without the automaton (a platform with no wheel) reports the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oai_lint.analysis.deprecations import CODE_TRIGGERS, TRIGGERS
from oai_lint.engine import needles
from tests.conftest import git_init, run_scan
from tests.support.annotations import cases, materialise

# strings that overlap each other in every way: one inside another, one's end the other's start
OVERLAPPING = (b"gpt-", b"chatgpt-", b"pt-4", b"openai", b"api.openai.com", b".chat.", b".completions.", b"o1-",
               b"-001")


def test_every_occurrence_counts_also_inside_or_across_another() -> None:
    search = needles.searcher(OVERLAPPING)
    assert search is not None
    seen: dict[bytes, bool] = {}
    search.learn(b'client.chat.completions.create(model="chatgpt-4o") # api.openai.com', seen)
    assert seen == {n: n in b'client.chat.completions.create(model="chatgpt-4o") # api.openai.com'
                    for n in OVERLAPPING}
    assert seen[b"gpt-"] and seen[b"pt-4"] and seen[b"openai"] and seen[b".completions."]
    assert not seen[b"o1-"] and not seen[b"-001"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*OVERLAPPING, *CODE_TRIGGERS, *TRIGGERS, b"x", b"\n", b"\xff", b" "]),
                max_size=40))
def test_answers_are_those_of_a_plain_search(parts: list[bytes]) -> None:
    data = b"".join(parts)
    pool = sorted({*OVERLAPPING, *CODE_TRIGGERS, *TRIGGERS})
    search = needles.searcher(pool)
    assert search is not None
    seen: dict[bytes, bool] = {}
    search.learn(data, seen)
    assert seen == {n: n in data for n in pool}


def test_few_strings_are_searched_one_by_one() -> None:
    assert needles.searcher([b"T3BlbkFJ", b"api.openai.com", b"curl"]) is None


def _fixture_findings(tmp_path: Path) -> set[tuple[str, str, str, int]]:
    found = set()
    for case in cases():
        root = tmp_path / case.parent.name / case.name
        materialise(case, root)
        git_init(root)
        found |= {(case.name, f.rule_id, f.path, f.line) for f in run_scan(root).findings}
    return found


def test_a_scan_without_the_automaton_reports_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_it = _fixture_findings(tmp_path / "with")
    assert needles._automata() is not None
    monkeypatch.setattr(needles, "_module", False)
    assert needles.searcher(OVERLAPPING) is None
    without = _fixture_findings(tmp_path / "without")
    assert with_it and with_it == without
