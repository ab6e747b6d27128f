"""Issue 2's acceptance tree: one key of every format in every file type, each reported once as OAI101
on its own line; the negative classes produce no OAI101; no output contains a full key."""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git_init, run_scan, write_tree
from tests.support.keygen import FORMATS, make_key

RNG = random.Random(4242)
KEYS = {fmt: make_key(fmt, RNG) for fmt in FORMATS}


def _py(keys: dict[str, str]) -> str:
    lines = ["from openai import OpenAI", ""]
    for i, (fmt, key) in enumerate(keys.items()):
        style = i % 4
        if style == 0:
            lines.append(f'KEY_{fmt.upper()} = "{key}"')
        elif style == 1:
            lines.append(f"client_{i} = OpenAI(api_key='{key}')")
        elif style == 2:
            lines.append(f'settings = {{"key": "{key}", "n": {i}}}')
        else:
            lines.append(f'print(f"{{x}}{key}")')
    return "\n".join(lines) + "\n"


def _js(keys: dict[str, str], ts: bool) -> str:
    t = ": string" if ts else ""
    out = ['import OpenAI from "openai";']
    for i, key in enumerate(keys.values()):
        quote = "`" if i % 3 == 0 else ("'" if i % 3 == 1 else '"')
        out.append(f"const k{i}{t} = {quote}{key}{quote};")
    out.append("const c = new OpenAI({ apiKey: k0 });")
    return "\n".join(out) + "\n"


def _notebook(keys: dict[str, str]) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n", "Uses the API.\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
         "source": ["import openai\n"] + [f'key_{i} = "{k}"\n' for i, k in enumerate(keys.values())]},
    ]
    nb = {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


def _env(keys: dict[str, str]) -> str:
    out = ["# local settings"]
    for i, key in enumerate(keys.values()):
        out.append([f"OPENAI_API_KEY_{i}={key}", f'export OPENAI_KEY_{i}="{key}"', f"K{i}='{key}'"][i % 3])
    return "\n".join(out) + "\n"


def _dockerfile(keys: dict[str, str]) -> str:
    out = ["FROM python:3.12-slim"]
    for i, key in enumerate(keys.values()):
        out.append(f"ENV TOKEN_{i}={key}" if i % 2 else f"RUN echo {key} > /tmp/k{i}")
    return "\n".join(out) + "\n"


def _compose(keys: dict[str, str]) -> str:
    out = ["services:", "  api:", "    image: app", "    environment:"]
    out += [f"      - TOKEN_{i}={key}" for i, key in enumerate(keys.values())]
    return "\n".join(out) + "\n"


def _workflow(keys: dict[str, str]) -> str:
    out = ["on: push", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    env:"]
    out += [f"      TOKEN_{i}: {key}" for i, key in enumerate(keys.values())]
    out += ["    steps:", "      - run: pytest"]
    return "\n".join(out) + "\n"


def _k8s_secret(keys: dict[str, str]) -> str:
    out = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: openai", "type: Opaque", "data:"]
    out += [f"  token-{i}: {base64.b64encode(key.encode()).decode()}" for i, key in enumerate(keys.values())]
    return "\n".join(out) + "\n"


def _shell(keys: dict[str, str]) -> str:
    out = ["#!/bin/sh"]
    for key in keys.values():
        out.append(f'curl https://api.openai.com/v1/models -H "Authorization: Bearer {key}"')
    return "\n".join(out) + "\n"


def _markdown(keys: dict[str, str]) -> str:
    out = ["# Setup", "", "```bash"]
    items = list(keys.values())
    out += [f"export OPENAI_API_KEY={k}" for k in items[: len(items) // 2]]
    out += ["```", ""]
    out += [f"Use the key ({k}), then run." for k in items[len(items) // 2 :]]
    return "\n".join(out) + "\n"


FILES = {
    "svc/app.py": _py(KEYS),
    "web/client.js": _js(KEYS, ts=False),
    "web/client.ts": _js(KEYS, ts=True),
    "notebooks/demo.ipynb": _notebook(KEYS),
    "config/.env": _env(KEYS),
    "Dockerfile": _dockerfile(KEYS),
    "docker-compose.yml": _compose(KEYS),
    ".github/workflows/ci.yml": _workflow(KEYS),
    "k8s/secret.yaml": _k8s_secret(KEYS),
    "scripts/call.sh": _shell(KEYS),
    "docs/setup.md": _markdown(KEYS),
}


def _expected() -> set[tuple[str, int]]:
    expected = set()
    for path, text in FILES.items():
        for key in KEYS.values():
            needle = base64.b64encode(key.encode()).decode() if path == "k8s/secret.yaml" else key
            pos = text.find(needle)
            assert pos >= 0
            expected.add((path, text.count("\n", 0, pos) + 1))
    return expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    git_init(root)
    write_tree(root, FILES)
    return root


def test_every_key_reported_once_on_its_line(corpus: Path) -> None:
    result = run_scan(corpus)
    got = [(f.path, f.line) for f in result.findings if f.rule_id == "OAI101"]
    assert len(got) == len(set(got)), "a key was reported twice"
    assert set(got) == _expected()
    assert len(got) == len(FILES) * len(FORMATS)


def test_admin_keys_are_critical_and_messages_redacted(corpus: Path) -> None:
    result = run_scan(corpus, select=["OAI101"])
    admin_tail = KEYS["admin133"][-4:]
    admin = [f for f in result.findings if "admin" in f.message]
    assert admin and all(f.severity == "critical" for f in admin)
    assert all(f"sk-admin-…{admin_tail}" in f.message for f in admin)
    for f in result.findings:
        assert not any(k in f.message for k in KEYS.values())


def test_no_output_format_prints_a_full_key(corpus: Path, tmp_path: Path) -> None:
    from oai_lint.cli.commands import check_cmd

    formats = next(p for p in check_cmd.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
    for fmt in formats:
        proc = subprocess.run(
            [sys.executable, "-m", "oai_lint", ".", "--format", fmt, "--verbose"],
            cwd=corpus, capture_output=True, text=True, timeout=120, check=False,
        )
        assert proc.returncode == 1, proc.stderr
        blob = proc.stdout + proc.stderr
        assert "sk-" in blob
        for key in KEYS.values():
            assert key not in blob and key[3:] not in blob and key[-24:] not in blob


NEGATIVES = {
    "ph.py": "\n".join([
        'a = "sk-..."', 'b = "sk-…"', 'c = "sk-proj-..."', 'd = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
        'e = "sk-your-key-here"', 'f = "sk-svcacct-your_service_account_key_here"', 'g = "<YOUR_KEY>"',
        'h = "${OPENAI_API_KEY}"', 'i = "sk-abc...def"', 'j = "sk-admin-1234abcd"', 'k = "sk-proj-1234567890"',
        'l = "sk-test-key"', 'm = "My API Key"', 'n = "your_api_key_here"',
    ]) + "\n",
    "marker.py": "\n".join([
        # the marker with placeholder or low-entropy or sequential random parts
        'a = "sk-proj-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx"',
        'b = "sk-abcdefghijklmnopqrstT3BlbkFJabcdefghijklmnopqrst"',
        'c = "sk-00000000000000000000T3BlbkFJ00000000000000000000"',
        'd = "sk-EXAMPLEexampleEXAMPLET3BlbkFJEXAMPLEexampleEXAMPLE"',
        'e = "sk-tooshortT3BlbkFJtooshort"',
        f'f = "sk-proj-{"Ab1" * 20}NOWATERMARK{"Cd2" * 20}"',
    ]) + "\n",
    "vendors.ts": "\n".join([
        f'const a = "sk-ant-api03-{make_key("legacy", RNG)[3:]}";',
        f'const b = "sk-or-v1-{make_key("legacy", RNG)[3:]}";',
        f'const c = "sk_live_{make_key("legacy", RNG)[3:]}";',
        f'const d = "sk_test_{make_key("legacy", RNG)[3:]}";',
    ]) + "\n",
    "words.md": "\n".join([
        "A task-based, risk-free, disk-backed plan: desk-sharing and whisk-ready.",
        f"task-{make_key('legacy', RNG)[3:]} is an id, not a key.",
        f"risk-{make_key('legacy', RNG)[3:]} and disk-{make_key('legacy', RNG)[3:]}",
        "Use `${{ secrets.OPENAI_API_KEY }}` in workflows.",
    ]) + "\n",
}


def test_negative_classes_are_not_reported(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_tree(tmp_path, NEGATIVES)
    result = run_scan(tmp_path, select=["OAI101"])
    assert [(f.path, f.line, f.message) for f in result.findings] == []


def test_key_followed_by_escaped_quote_comma_paren_or_eol(tmp_path: Path) -> None:
    key = make_key("proj164", RNG)
    text = "\n".join([f'"x = \\"{key}\\"\\n"', f"f({key}, 1)", f"g({key})", key]) + "\n"
    write_tree(tmp_path, {"mixed.txt": text})
    result = run_scan(tmp_path)
    assert [f.line for f in result.findings if f.rule_id == "OAI101"] == [1, 2, 3, 4]


def test_key_in_a_notebook_output_says_so(tmp_path: Path) -> None:
    """A key printed into a saved output is gone from the code but not from the file: the message says
    where it is, so that clearing the outputs is part of the fix. A key in a cell's source does not."""
    in_source, in_output = make_key("proj164", RNG), make_key("legacy", RNG)
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["import openai\n", f'openai.api_key = "{in_source}"']},
            {"cell_type": "code", "execution_count": 2, "metadata": {},
             "outputs": [{"name": "stdout", "output_type": "stream", "text": [in_output + "\n"]}],
             "source": ["import os\n", 'print(os.environ["OPENAI_API_KEY"])']},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write_tree(tmp_path, {"nb/demo.ipynb": json.dumps(nb, indent=1)})
    found = sorted((f.line, f.message) for f in run_scan(tmp_path).findings if f.rule_id == "OAI101")
    assert len(found) == 2
    (_, source_msg), (_, output_msg) = found
    assert source_msg.endswith("is hardcoded") and "cell output" not in source_msg
    assert "printed in a saved cell output" in output_msg and in_output not in output_msg
