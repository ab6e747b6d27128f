"""Excludes have gitignore semantics (pathspec's GitIgnoreSpec): ``*`` never crosses ``/`` (issue 14,
defect 2). Patterns without wildcards are matched without importing pathspec, with the same answers."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pathspec
import pytest

from oai_lint.discover import Excludes, excluded

PATHS = ["app.py", "app/x.py", "app/sub/x.py", "sub/app", "a/app/b.txt", "build", "build/x", "src/build/y.js",
         "docs/a.md", "docs/sub/b.md", "x/docs/a.md", "tests/fixtures/k.env", "my.snap", "d/my.snap/z"]
LITERALS = ["app", "app/", "/app", "/app/", "app/sub", "app/sub/", "build", "build/", "/build", "src/build",
            "docs", "tests/fixtures/", "./tests/fixtures", "x.py", "sub/x.py", "my.snap", "nothing"]


@pytest.mark.parametrize("pattern", LITERALS)
def test_patterns_without_wildcards_match_as_pathspec_does(pattern: str) -> None:
    spec = pathspec.GitIgnoreSpec.from_lines([pattern.removeprefix("./")])
    ours = Excludes([pattern])
    assert ours._spec is None  # matched without pathspec
    for path in PATHS:
        assert ours.match(path) == spec.match_file(path), (pattern, path)


def test_lists_of_literals_match_as_pathspec_does() -> None:
    for pair in itertools.combinations(LITERALS, 2):
        spec = pathspec.GitIgnoreSpec.from_lines([p.removeprefix("./") for p in pair])
        for path in PATHS:
            assert Excludes(pair).match(path) == spec.match_file(path), (pair, path)


def test_a_star_does_not_cross_a_slash() -> None:
    assert excluded("app/x.py", ["app/*.py"])
    assert not excluded("app/sub/leak.py", ["app/*.py"])
    assert excluded("app/sub/leak.py", ["app/**/*.py"])
    assert excluded("deep/down/my.snap", ["*.snap"])  # no slash: any depth
    assert not excluded("docs/sub/b.md", ["docs/*.md"])
    assert excluded("lib/keep.py", ["lib/*", "!lib/k*.py"]) is False  # a negation re-includes


def test_literal_excludes_do_not_import_pathspec() -> None:
    code = ("import sys; from oai_lint.discover import excluded; "
            "assert excluded('tests/fixtures/a.py', ['tests/fixtures/', 'rules']); "
            "print('pathspec' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_configured_patterns_are_rebased_to_the_scan_root(tmp_path: object) -> None:
    from oai_lint.config import rebase_globs

    assert rebase_globs(["app/*.py", "*.snap", "/build", "!app/keep.py"], "/r/sub", "/r") == [
        "sub/app/*.py", "*.snap", "sub/build", "!sub/app/keep.py"]
    rebased = rebase_globs(["app/*.py", "!app/keep.py"], "/r/sub", "/r")
    assert excluded("sub/app/x.py", rebased) and not excluded("sub/app/keep.py", rebased)
    assert not excluded("sub/app/deep/x.py", rebased)

