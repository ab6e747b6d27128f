"""The one-pass search for a plan's byte strings (oai_lint.engine.needles) answers exactly as ``needle in
data`` does, with either automaton library, and a scan with either (or none: an install without them)
reports the same findings."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
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
POOL = sorted({*OVERLAPPING, *CODE_TRIGGERS, *TRIGGERS})
INSTALLED = [name for name in needles.BACKENDS if importlib.util.find_spec(name) is not None]


@pytest.fixture(params=needles.BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    name: str = request.param
    if name not in INSTALLED:
        pytest.skip(f"{name} is not installed")
    needles.use(name)
    yield name
    needles.use("")  # looked for again on next use


def test_the_dependency_is_installed() -> None:
    assert "ahocorasick" in INSTALLED  # pyahocorasick: a dependency of the package


def test_every_occurrence_counts_also_inside_or_across_another(backend: str) -> None:
    data = b'client.chat.completions.create(model="chatgpt-4o") # api.openai.com \xff\x00 end'
    search = needles.searcher(OVERLAPPING)
    assert search is not None
    seen: dict[bytes, bool] = {}
    search.learn(data, seen)
    assert seen == {n: n in data for n in OVERLAPPING}
    assert seen[b"gpt-"] and seen[b"pt-4"] and seen[b"openai"] and seen[b".completions."]
    assert not seen[b"o1-"] and not seen[b"-001"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*POOL, b"x", b"\n", b"\xff", b"\x00", b" ", b"\xc3\xa9"]), max_size=40))
def test_answers_are_those_of_a_plain_search(parts: list[bytes]) -> None:
    data = b"".join(parts)
    for name in INSTALLED:
        needles.use(name)
        try:
            search = needles.searcher(POOL)
            assert search is not None
            seen: dict[bytes, bool] = {}
            search.learn(data, seen)
            assert seen == {n: n in data for n in POOL}, name
        finally:
            needles.use("")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*POOL, b"x", b"\xff"]), max_size=30), st.integers(min_value=1, max_value=9))
def test_strings_across_the_windows_of_a_large_file_are_found(parts: list[bytes], window: int) -> None:
    """ahocorasick_rs searches a file a window at a time (its list of every occurrence stays small): a string
    that straddles two windows is found all the same."""
    if "ahocorasick_rs" not in INSTALLED:
        pytest.skip("ahocorasick_rs is not installed")
    data = b"".join(parts)
    old = needles._WINDOW
    needles.use("ahocorasick_rs")
    needles._WINDOW = window
    try:
        search = needles.searcher(POOL)
        assert search is not None
        seen: dict[bytes, bool] = {}
        search.learn(data, seen)
        assert seen == {n: n in data for n in POOL}
    finally:
        needles._WINDOW = old
        needles.use("")


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


def test_a_scan_reports_the_same_with_each_library_or_none(tmp_path: Path) -> None:
    results = {}
    try:
        for name in [*INSTALLED, None]:
            needles.use(name)
            assert (needles.searcher(OVERLAPPING) is None) == (name is None)
            results[name] = _fixture_findings(tmp_path / str(name))
    finally:
        needles.use("")
    first = results[INSTALLED[0]]
    assert first and all(found == first for found in results.values())
