"""The fixtures of the ``oai-lint history`` tests: a git repository built commit by commit (``repo``), and
the snapshot pre-commit installs its hooks from (``hook_repo``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_precommit import hook_repo  # noqa: F401 - a fixture, for the pre-push test
from tests.support.history_repo import Repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")
