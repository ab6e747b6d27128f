"""One flow analysis per Python file and scan, shared by the checks that read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oai_lint.analysis.pyflow import coverage
from oai_lint.sources import Source
from tests.conftest import run_scan, write_tree


def test_each_python_file_is_analysed_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    init = coverage.PyFlow.__init__

    def counting(self: coverage.PyFlow, idx: object) -> None:
        built.append(idx)
        init(self, idx)  # type: ignore[arg-type]

    monkeypatch.setattr(coverage.PyFlow, "__init__", counting)
    # read by the retry, legacy-SDK and retries-elsewhere checks and by the repository facts (max_retries=0)
    client = (
        "import openai\nfrom openai import OpenAI\nopenai.api_key = 'x'\n"
        "client = OpenAI(max_retries=0)\n"
        "def ask():\n    return client.chat.completions.create(model='m', messages=[])\n"
    )
    user = "from app.client import client\ndef go():\n    return client.chat.completions.create(model='m')\n"
    write_tree(repo, {"app/__init__.py": "", "app/client.py": client, "app/user.py": user})
    findings = run_scan(repo, jobs=1).findings
    assert {f.rule_id for f in findings} & {"OAI301", "OAI307"}  # the checks did read the files
    assert len(built) == 2  # app/client.py and app/user.py; the empty __init__.py is never analysed


def test_openai_pyflow_is_the_cached_flow_and_gated() -> None:
    src = Source("a.py", "import openai\nx = openai.OpenAI()\n")
    assert src.openai_pyflow is src.pyflow is not None
    assert Source("b.py", "x = 1\n").openai_pyflow is None
    assert Source("c.txt", "import openai\n").pyflow is None
