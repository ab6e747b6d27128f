"""Files named on the command line (an editor, a script, `oai-lint FILE`) get the repository facts their
checks ask for from only the files that can change the answer (oai_lint.repository.part_for), and the
findings must be exactly those of the whole facts: a file read by git's tracked files, by an untracked
file git does not ignore, not by an ignored one, a wrapper named in a dependency file in any case, the
legacy SDK in code, pydantic settings fields, and a client built with retries off in an untracked module."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from oai_lint import repository
from oai_lint.engine import ScanResult
from tests.conftest import git_init, run_scan, write_tree

ENV = """\
OPENAI_ORG=org-4hT2kQ9mZpW1vX8cR3nB6yLd
OPENAI_PROJ=proj_Jm3Tq8vXz2Wn5Kd7Rb1Yc4Hs
OPENAI_API_URL=https://gateway.internal/v1
OPENAI_ORGANIZATION=org-4hT2kQ9mZpW1vX8cR3nB6yLd
OPENAI_HOST=https://gateway.internal
OPENAI_API_KEY_PATH=/run/secrets/openai
"""

TRACKED = {
    ".gitignore": "generated/\n",
    "deploy/.env": ENV,
    # (a) tracked code reads OPENAI_ORG
    "app/config.py": 'import os\n\nORG = os.getenv("OPENAI_ORG")\n',
    # a pydantic settings class: env_prefix + field name give OPENAI_HOST (the name is never written out)
    "app/settings.py": ('from pydantic_settings import BaseSettings\n\n\nclass Gateway(BaseSettings):\n'
                        '    host: str = ""\n\n    class Config:\n        env_prefix = "OPENAI_"\n'),
    # (d) LangChain (which reads OPENAI_ORGANIZATION) as a dependency, spelled as its project page does
    "requirements.txt": "OpenAI>=1.40\nLangChain>=0.2\n",
    # reaches a client another module builds with retries off (OAI307), and one only an ignored file builds
    "app/jobs.py": ('from app.clients import client\nfrom generated.fast import gen_client\n\n\n'
                    'def run():\n    client.chat.completions.create(model="gpt-4o-mini", messages=[])\n'
                    '    gen_client.chat.completions.create(model="gpt-4o-mini", messages=[])\n'),
}
UNTRACKED = {
    # (b) an untracked file git does not ignore reads OPENAI_PROJ; and builds the retries-off client
    "tools/local.py": 'import os\n\nPROJECT = os.environ["OPENAI_PROJ"]\n',
    "app/clients.py": "from openai import OpenAI\n\nclient = OpenAI(max_retries=0)\n",
}
IGNORED = {
    # (c) only an ignored file reads OPENAI_API_URL: it does not count
    "generated/reader.py": 'import os\n\nURL = os.getenv("OPENAI_API_URL")\n',
    "generated/fast.py": "from openai import OpenAI\n\ngen_client = OpenAI(max_retries=0)\n",
}
LEGACY = {"legacy/old.py": 'import openai\n\nopenai.ChatCompletion.create(model="gpt-4", messages=[])\n'}

NAMED = ["deploy/.env", "app/jobs.py"]


def _findings(result: ScanResult, paths: list[str]) -> list[tuple[str, str, int, int, str]]:
    return sorted((f.rule_id, f.path, f.line, f.column, f.message) for f in result.findings if f.path in paths)


def _repo(root: Path, legacy: bool) -> Path:
    git_init(root)
    write_tree(root, {**TRACKED, **(LEGACY if legacy else {})})
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    write_tree(root, {**UNTRACKED, **IGNORED})
    return root


@pytest.mark.parametrize("legacy", [False, True], ids=["sdk-v1", "legacy-sdk-in-code"])
def test_named_files_get_the_findings_of_the_whole_facts(tmp_path: Path, legacy: bool,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, legacy)
    whole = _findings(run_scan(root), NAMED)  # the scan of the whole repository gathers every fact

    with monkeypatch.context() as m:  # the whole facts computed up front, as before parts existed
        m.setattr(repository, "PARTS_PER_REPOSITORY", 0)
        computed = _findings(run_scan(root, NAMED), NAMED)

    def no_whole_facts(*args: object) -> None:
        raise AssertionError("the whole facts were computed")

    with monkeypatch.context() as m:  # the named files: only parts, never the whole facts
        m.setattr(repository.FactsProvider, "compute", no_whole_facts)
        parts = _findings(run_scan(root, NAMED), NAMED)

    assert parts == computed == whole
    oai201 = {(line, message.split()[0]) for rule, path, line, _, message in parts if rule == "OAI201"}
    # read by nothing that counts: OPENAI_API_URL (an ignored file only), OPENAI_API_KEY_PATH (unless the
    # legacy SDK, which reads it, is used)
    assert {line for line, _ in oai201} == ({3} if legacy else {3, 6})
    oai307 = [(path, line, message) for rule, path, line, _, message in parts if rule == "OAI307"]
    assert [(p, n) for p, n, _ in oai307] == [("app/jobs.py", 6)]  # not the ignored module's client
    assert "app/clients.py:3" in oai307[0][2]


def test_a_name_no_file_mentions_is_answered_without_the_whole_facts(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path, False)
    write_tree(root, {"deploy/.env": "OPENAI_API_BASE=https://gateway.internal/v1\n"})
    monkeypatch.setattr(repository.FactsProvider, "compute", lambda *a: pytest.fail("whole facts computed"))
    got = {(f.rule_id, f.line) for f in run_scan(root, ["deploy/.env"]).findings}
    # LangChain reads OPENAI_API_BASE: the dependency file tells, in any case it spells the name
    assert ("OAI201", 1) not in got
    write_tree(root, {"requirements.txt": "openai>=1.40\n"})
    got = {(f.rule_id, f.line) for f in run_scan(root, ["deploy/.env"]).findings}
    assert ("OAI201", 1) in got


@pytest.mark.parametrize("count", [300, 600], ids=["searched-in-batches", "too-many-whole-facts"])
def test_many_untracked_files_still_count(tmp_path: Path, count: int) -> None:
    # 300 untracked files with long names need two git commands; 600 are more than a search takes on
    # (the whole facts are computed): either way the one among them that reads the name counts
    git_init(tmp_path)
    write_tree(tmp_path, {"deploy/.env": "OPENAI_ORG=org-4hT2kQ9mZpW1vX8cR3nB6yLd\n"})
    long_dir = "tools/" + "x" * 50
    write_tree(tmp_path, {f"{long_dir}/script_{i:04d}.py": f"print({i})  # openai\n" for i in range(count)})
    assert ("OAI201", 1) in {(f.rule_id, f.line) for f in run_scan(tmp_path, ["deploy/.env"]).findings}
    write_tree(tmp_path, {f"{long_dir}/script_{count - 1:04d}.py": 'import os\nos.getenv("OPENAI_ORG")\n'})
    assert ("OAI201", 1) not in {(f.rule_id, f.line) for f in run_scan(tmp_path, ["deploy/.env"]).findings}


def test_a_reader_git_calls_binary_by_attribute_still_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`.gitattributes` can mark text files binary (`*.py binary`): the scan still reads them (their bytes are
    text), so a named file's facts must come from them too (git grep's -I would skip them)."""
    git_init(tmp_path)
    write_tree(tmp_path, {"deploy/.env": "OPENAI_ORG=org-4hT2kQ9mZpW1vX8cR3nB6yLd\n",
                          ".gitattributes": "*.py binary\n",
                          "app/config.py": 'import os\n\nORG = os.getenv("OPENAI_ORG")  # openai\n'})
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    named = ["deploy/.env"]
    whole = _findings(run_scan(tmp_path), named)
    assert not [f for f in whole if f[0] == "OAI201"]  # the code reads the name
    with monkeypatch.context() as m:
        m.setattr(repository, "PARTS_PER_REPOSITORY", 0)  # the whole facts, computed up front
        computed = _findings(run_scan(tmp_path, named), named)
    assert _findings(run_scan(tmp_path, named), named) == computed == whole
