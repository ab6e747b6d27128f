from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from oai_lint.engine import ScanResult, Settings, scan

REPO = Path(__file__).resolve().parent.parent


def git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")


def run_scan(root: Path, paths: list[str] | None = None, **settings: object) -> ScanResult:
    old = os.getcwd()
    os.chdir(root)
    try:
        return scan(paths or ["."], Settings(**settings), str(root))  # type: ignore[arg-type]
    finally:
        os.chdir(old)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git_init(tmp_path)
    return tmp_path
