"""The current openai packages (PyPI and npm) for the end-to-end tests, installed once per version into
~/.cache/oai-lint-ci (outside the repository, like the CI's other tools) by the package managers themselves.

A test that needs one is skipped, with the reason, only when the registry cannot be reached.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("OAI_LINT_CI_CACHE", Path.home() / ".cache" / "oai-lint-ci"))


def _run(cmd: list[str], cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def _install_once(target: Path, build: callable) -> Path:  # type: ignore[valid-type]
    """Build into a temporary directory beside ``target`` and rename it into place (atomic, so that a
    concurrent or interrupted run never sees half an installation)."""
    if (target / ".complete").exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=CACHE))
    try:
        build(work)
        (work / ".complete").write_text("ok\n")
        with contextlib.suppress(OSError):  # another run finished first
            work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    if not (target / ".complete").exists():
        pytest.fail(f"could not install into {target}")
    return target


def python_sdk() -> tuple[Path, str]:
    """(the python of a virtual environment with the newest openai from PyPI, its version)."""
    found = _run([sys.executable, "-m", "pip", "index", "versions", "openai", "--disable-pip-version-check"],
                 timeout=120)
    if found.returncode != 0 or "(" not in found.stdout:
        pytest.skip(f"PyPI is not reachable (pip index versions openai: {found.stderr.strip()[-200:]})")
    version = found.stdout.split("(", 1)[1].split(")", 1)[0].strip()

    def build(work: Path) -> None:
        made = _run([sys.executable, "-m", "venv", str(work / "venv")])
        assert made.returncode == 0, made.stderr
        py = work / "venv" / "bin" / "python"
        got = _run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"openai=={version}"])
        if got.returncode != 0:
            pytest.skip(f"pip could not install openai=={version} from PyPI: {got.stderr.strip()[-300:]}")

    home = _install_once(CACHE / f"openai-python-{version}", build)
    return home / "venv" / "bin" / "python", version


def node_sdk() -> tuple[Path, str]:
    """(a node_modules directory with the newest openai from npm, its version)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed")
    found = _run(["npm", "view", "openai", "version"], timeout=120)
    if found.returncode != 0 or not found.stdout.strip():
        pytest.skip(f"the npm registry is not reachable (npm view openai version: {found.stderr.strip()[-200:]})")
    version = found.stdout.strip().splitlines()[-1].strip()

    def build(work: Path) -> None:
        (work / "package.json").write_text('{"name": "oai-lint-e2e", "private": true}\n')
        got = _run(["npm", "install", "--no-audit", "--no-fund", "--silent", f"openai@{version}"], cwd=work)
        if got.returncode != 0:
            pytest.skip(f"npm could not install openai@{version}: {got.stderr.strip()[-300:]}")

    home = _install_once(CACHE / f"openai-node-{version}", build)
    return home / "node_modules", version
