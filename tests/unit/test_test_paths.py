"""Which paths are test code (oai_lint.analysis.names.is_test_file): by file name or by any directory name,
the same answer however the directory's answers were cached, and a deep path (git history has paths of any
length) costs memory in proportion to its length, not to the square of its depth."""

from __future__ import annotations

import tracemalloc

import pytest

from oai_lint.analysis import names


@pytest.mark.parametrize(("path", "test"), [
    ("app/main.py", False), ("tests/test_app.py", True), ("app/tests/helpers.py", True),
    ("src/Foo.Tests/Client.cs", True), ("web/unit-tests/a.ts", True), ("pkg/test_x/q.py", False),
    ("IntegrationTests/a.py", True), ("a/b/c/d/e.py", False), ("a/b/cassettes/c/d.yaml", True),
    ("web/app.spec.ts", True), ("conftest.py", True), ("x.py", False),
])
def test_test_code_by_file_or_directory_name(path: str, test: bool) -> None:
    assert names.is_test_file(path) is test
    names._TEST_DIR_CACHE.clear()
    assert names.is_test_file(path) is test  # the same from an empty cache


def test_a_deep_path_costs_memory_in_proportion_to_its_length() -> None:
    names._TEST_DIR_CACHE.clear()
    path = "a/" * 20_000 + "x.py"  # 40 KB
    tracemalloc.start()
    try:
        assert names.is_test_file(path) is False
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000  # about 1.5 MB for the split; keeping every ancestor's prefix held 400 MB
