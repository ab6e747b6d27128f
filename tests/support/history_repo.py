"""Git repositories built by the tests of ``oai-lint history`` (fake keys from tests/support/keygen.py), and
the command run as a user would, through the CLI."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from oai_lint.cli.commands import main

MARKER = base64.b64encode(b"OpenAI").decode()


class Repo:
    """A git repository under construction, with one commit per call to ``commit``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tick = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self) -> dict[str, str]:
        date = f"@{1_700_000_000 + self.tick * 3600} +0000"
        return {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
                "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.path, env=self.env(), check=True, capture_output=True,
                              text=True).stdout.strip()

    def commit(self, files: dict[str, str | bytes | None], message: str = "change") -> str:
        removed = [name for name, content in files.items() if content is None]
        for name, content in files.items():
            p = self.path / name
            if content is None:
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
        if removed:
            self.git("rm", "-q", "--", *removed)
        added = [name for name in files if name not in removed]
        if added:
            self.git("add", "--", *added)
        self.tick += 1
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


def history(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["history", *args], env=env, catch_exceptions=False)
    return result.exit_code, result.output


def report(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
    code, out = history(*args, "--format", "json", env=env)
    return code, json.loads(out)


def findings(doc: dict[str, object]) -> list[dict[str, object]]:
    found = doc["findings"]
    assert isinstance(found, list)
    return found
