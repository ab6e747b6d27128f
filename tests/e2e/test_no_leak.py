"""No key material leaves the process: a repository that puts fake keys everywhere an attacker (or a
careless commit) can, scanned in every output format, with its errors on stderr and a written baseline.
The test looks for any 12-character run of each key's random part (a half key, a truncated key, a key
with its marker cut off are leaks too)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.support.hostile_support import output_formats, run_cli
from tests.support.keygen import MARKER, make_key

RUN = 12


def _random_part(key: str) -> str:
    left, right = key.split(MARKER)
    return left.rsplit("-", 1)[-1] + "\0" + right  # the NUL: no run spans the two halves


def leaks(text: str, keys: dict[str, str]) -> list[str]:
    """The names of the keys of which some 12-character run of the random part is in ``text``."""
    found = []
    for name, key in keys.items():
        for half in _random_part(key).split("\0"):
            if any(half[i : i + RUN] in text for i in range(len(half) - RUN + 1)):
                found.append(name)
                break
    return found


@pytest.fixture(scope="module")
def keys() -> dict[str, str]:
    rng = random.Random(1717)
    names = ("js_comment", "tenacity", "requirement", "toml_table", "suppressed", "org_value", "file_name",
             "dir_name", "notebook_meta", "yaml_alias")
    return {n: make_key("legacy" if n in {"org_value", "js_comment"} else "proj56", rng) for n in names}


def hostile_tree(root: Path, keys: dict[str, str]) -> None:
    k = keys
    write_tree(root, {
        # item 1: a comment inside the member expression of a legacy callee (OAI303/OAI404)
        "app.js": (
            'const { Configuration, OpenAIApi } = require("openai");\n'
            "const openai = new OpenAIApi(new Configuration({}));\n"
            f'async function go() {{ return openai /* old key: {k["js_comment"]} */ .createChatCompletion('
            '{ model: "gpt-3.5-turbo" }); }\n'
        ),
        # item 1: tenacity arguments quoted with ast.unparse (OAI304/OAI306)
        "retry.py": (
            "import openai\nfrom tenacity import retry, wait_fixed, retry_if_exception_type\n\n"
            f'@retry(wait=wait_fixed(len("{k["tenacity"]}")), '
            f'retry=retry_if_exception_type(openai.RateLimitError or "{k["tenacity"]}"))\n'
            "def call():\n    return openai.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
        ),
        # item 1: the whole requirement quoted (OAI403)
        "requirements.txt": f'openai==0.28.1 ; python_version > "{k["requirement"]}"\n',
        # item 2: tomllib quotes the table name in its error
        "pyproject.toml": f"[project]\nname='x'\ndependencies=['openai']\n[{k['toml_table']}]\na=1\n"
                          f"[{k['toml_table']}]\nb=2\n",
        # item 3: the "reason" of a suppression comment is the code after it
        "suppressed.js": f'/* oai-lint: ignore[OAI101] */ const k = "{k["suppressed"]}";\n',
        # item 5: an organization with a space, long enough that the key starts past 24 characters
        ".env": f"OPENAI_API_KEY=x\nOPENAI_ORG_ID=aaaaaaaaaaaaaaaaaaaa {k['org_value']}\n",
        # item 6: a key as a file name and as a directory name
        f"{k['file_name']}.txt": "nothing here\n",
        f"{k['dir_name']}/settings.py": "import openai\nclient = openai.OpenAI(max_retries=0)\n",
        # item 15: a notebook whose metadata is not an object, with a key in it
        "nb.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": ["import openai\n"],
                                           "metadata": k["notebook_meta"], "outputs": []}],
                                "metadata": k["notebook_meta"], "nbformat": 4, "nbformat_minor": 5}),
        # item 7: YAML errors quote aliases and tag handles
        "deploy.yaml": f"env:\n  OPENAI_API_KEY: *{k['yaml_alias']}\n  other: !{k['yaml_alias']}! x\n",
    })


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, str]) -> Path:
    root = tmp_path_factory.mktemp("leaky")
    hostile_tree(root, keys)
    return root


@pytest.mark.parametrize("fmt", output_formats())
def test_no_output_format_leaks(tree: Path, keys: dict[str, str], fmt: str) -> None:
    run = run_cli(tree, "check", "--format", fmt, "--verbose", "--sarif-include-suppressed", "--no-gitignore",
                  ".")
    assert "Traceback" not in run.stderr
    assert leaks(run.stdout, keys) == [], run.stdout
    assert leaks(run.stderr, keys) == [], run.stderr
    # the scan saw the keys: it is not silent because it failed
    assert run.code in (1, 2), run.stderr


def test_a_key_as_a_name_is_reported_and_redacted(tree: Path, keys: dict[str, str]) -> None:
    run = run_cli(tree, "check", "--format", "json", "--select", "OAI101", "--no-gitignore", ".")
    report = json.loads(run.stdout)
    in_paths = [f for f in report["findings"] if "in the file's path" in f["message"]]
    assert len(in_paths) == 2, report  # the file, and the one file in the directory
    assert all("…" in f["path"] for f in in_paths)


def test_baseline_and_stderr_do_not_leak(tree: Path, keys: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "baseline.json"
    run = run_cli(tree, "check", "--no-gitignore", "--write-baseline", str(out), ".")
    assert leaks(run.stderr, keys) == [], run.stderr
    assert leaks(out.read_text(encoding="utf-8"), keys) == []
    report = tmp_path / "report.sarif"
    run = run_cli(tree, "check", "--format", "sarif", "-o", str(report), "--sarif-include-suppressed",
                  "--no-gitignore", ".")
    assert leaks(run.stderr, keys) == [], run.stderr
    assert leaks(report.read_text(encoding="utf-8"), keys) == []


@pytest.mark.parametrize("config", [
    "select = ['{key}']\n",
    "{key} = 1\n",
    "[per-file-ignores]\n'{key}' = ['{key}']\n",
    "[severity]\nOAI101 = '{key}'\n",
    "[tool]\nx = 1\n[{key}]\n[{key}]\n",
])
def test_configuration_errors_do_not_echo_keys(tmp_path: Path, config: str) -> None:
    key = make_key("proj56", random.Random(config))
    (tmp_path / ".oai-lint.toml").write_text(config.format(key=key), encoding="utf-8")
    run = run_cli(tmp_path, "check", ".")
    assert run.code == 2, run.stderr
    assert "oai-lint: error:" in run.stderr
    assert leaks(run.stderr + run.stdout, {"k": key}) == [], run.stderr


def test_baseline_errors_do_not_echo_keys(tmp_path: Path) -> None:
    key = make_key("proj56", random.Random(5))
    (tmp_path / "b.json").write_text(json.dumps({"tool": "oai-lint", "format": 1, "findings": [{"path": key}]}),
                                     encoding="utf-8")
    run = run_cli(tmp_path, "check", "--baseline", "b.json", ".")
    assert run.code == 2, run.stderr
    assert leaks(run.stderr, {"k": key}) == [], run.stderr
