"""The tests' and bench scripts' own layout: each test module in the directory of its kind (or a folder
below it), no module over 500 lines, and no fixture file that pytest would collect as a test or a
conftest."""

from __future__ import annotations

from tests.conftest import REPO

KINDS = ("unit", "rules", "e2e", "perf")
FIXTURES = REPO / "tests" / "rules" / "fixtures"
MAX_LINES = 500


def test_every_test_module_lives_in_the_directory_of_its_kind() -> None:
    misplaced = [str(p.relative_to(REPO)) for p in sorted((REPO / "tests").rglob("test_*.py"))
                 if FIXTURES not in p.parents and p.relative_to(REPO / "tests").parts[0] not in KINDS]
    assert not misplaced, f"move these under tests/{{{','.join(KINDS)}}}/: {misplaced}"


def test_no_test_helper_or_bench_module_is_over_500_lines() -> None:
    long = {}
    for top in ("tests", "bench", "scripts"):
        for path in sorted((REPO / top).rglob("*.py")):
            if FIXTURES not in path.parents and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES:
                long[str(path.relative_to(REPO))] = n
    assert not long, f"split these by concern: {long}"


def test_no_fixture_file_is_collected_by_pytest() -> None:
    collected = [str(p.relative_to(REPO)) for p in sorted(FIXTURES.rglob("*.py"))
                 if p.name.startswith("test_") or p.name.endswith("_test.py") or p.name == "conftest.py"]
    assert not collected, f"pytest would import these fixture files: {collected}"
