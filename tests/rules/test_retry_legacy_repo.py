"""The retry/legacy-SDK acceptance repository: a v0 Flask app, a v1 app using tenacity correctly, a Node v3
server, a Next.js route with ``maxRetries: 0``, a notebook and pinned requirements. The scan must report
exactly the expected findings; the correctly retried and default-client calls get none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from oai_lint.cli.commands import main
from oai_lint.ruleset.load import get_rule
from tests.conftest import git_init, run_scan, write_tree

FLASK_V0 = """\
import os

import openai
from flask import Flask, jsonify, request

openai.api_key = os.environ["OPENAI_API_KEY"]
openai.api_base = os.environ.get("OPENAI_PROXY", "https://api.openai.com/v1")

app = Flask(__name__)


@app.post("/complete")
def complete():
    prompt = request.json["prompt"]
    try:
        resp = openai.Completion.create(engine="text-davinci-003", prompt=prompt, max_tokens=200)
    except openai.error.RateLimitError:
        return jsonify(error="busy"), 429
    return jsonify(text=resp["choices"][0]["text"])


@app.post("/chat")
def chat():
    resp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=request.json["messages"])
    return jsonify(resp["choices"][0]["message"])
"""

V1_TENACITY = '''\
"""Chat helpers with explicit retry handling (the client's own retries are off on purpose)."""
import openai
from openai import OpenAI
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_random_exponential

client = OpenAI(max_retries=0)
default_client = OpenAI()


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.RateLimitError):
        return exc.code != "insufficient_quota"
    return isinstance(exc, (openai.APIConnectionError, openai.InternalServerError))


@retry(retry=retry_if_exception(_transient), wait=wait_random_exponential(min=1, max=60),
       stop=stop_after_attempt(6), reraise=True)
def ask(question: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}]
    )
    return response.choices[0].message.content or ""


def embed(texts: list[str]) -> list[list[float]]:
    result = default_client.embeddings.create(model="text-embedding-3-small", input=texts)
    return [item.embedding for item in result.data]
'''

NODE_V3 = """\
const express = require("express");
const { Configuration, OpenAIApi } = require("openai");

const configuration = new Configuration({ apiKey: process.env.OPENAI_API_KEY });
const openai = new OpenAIApi(configuration);
const app = express();
app.use(express.json());

app.post("/reply", async (req, res) => {
  const completion = await openai.createChatCompletion({
    model: "gpt-3.5-turbo",
    messages: req.body.messages,
  });
  res.json(completion.data.choices[0].message);
});

app.listen(3000);
"""

NEXT_ROUTE = """\
import OpenAI from "openai";

const openai = new OpenAI({ maxRetries: 0 });

export async function POST(req: Request) {
  const { messages } = await req.json();
  const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
  return Response.json(completion.choices[0].message);
}
"""

NEXT_RETRIED_ROUTE = """\
import OpenAI from "openai";
import pRetry from "p-retry";

const openai = new OpenAI();
const noRetries = new OpenAI({ maxRetries: 0 });

export async function POST(req: Request) {
  const { input } = await req.json();
  const first = await openai.responses.create({ model: "gpt-4o-mini", input });
  const second = await pRetry(() => noRetries.responses.create({ model: "gpt-4o-mini", input }), {
    retries: 5,
    shouldRetry: (err) => err.code !== "insufficient_quota",
  });
  return Response.json({ first: first.output_text, second: second.output_text });
}
"""


def notebook() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Embeddings demo\n", "Uses the old SDK."]},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["!pip install openai==0.28 pandas\n"],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "import openai\n",
                "import pandas as pd\n",
                "\n",
                'df = pd.DataFrame({"text": ["a", "b"]})\n',
                'resp = openai.Embedding.create(model="text-embedding-ada-002", input=list(df.text))\n',
                'df["embedding"] = [d["embedding"] for d in resp["data"]]',
            ],
        },
    ]
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1) + "\n"


FILES = {
    "legacy_flask/app.py": FLASK_V0,
    "legacy_flask/requirements.txt": "flask==2.3.3\nopenai==0.28.1\ngunicorn>=21\n",
    "legacy_flask/Dockerfile": "FROM python:3.11-slim\nCOPY requirements.txt .\n"
    "RUN pip install -r requirements.txt\n",
    "v1_app/llm.py": V1_TENACITY,
    "v1_app/requirements.txt": "openai>=1.40,<3\ntenacity==9.0.0\n",
    "node_server/server.js": NODE_V3,
    "node_server/package.json": json.dumps(
        {
            "name": "support-bot",
            "version": "1.0.0",
            "main": "server.js",
            "dependencies": {"express": "^4.19.2", "openai": "^3.3.0"},
        },
        indent=2,
    ),
    "web/app/api/chat/route.ts": NEXT_ROUTE,
    "web/app/api/summary/route.ts": NEXT_RETRIED_ROUTE,
    "web/package.json": json.dumps(
        {"name": "web", "private": True, "dependencies": {"next": "14.2.5", "openai": "^4.56.0"}}, indent=2
    ),
    "notebooks/embeddings.ipynb": notebook(),
    "docs/migration.md": "We moved off text-davinci-003 and `openai.ChatCompletion.create` in 2024.\n",
    ".github/workflows/smoke.yml": (
        "on: push\njobs:\n  smoke:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: curl -sf --retry 5 https://api.openai.com/v1/models -H "Authorization: Bearer $KEY"\n'
    ),
}


def _line(path: str, needle: str) -> int:
    return next(n for n, text in enumerate(FILES[path].splitlines(), 1) if needle in text)


NB = "notebooks/embeddings.ipynb"
# openai.api_base (legacy_flask/app.py:7) works under the repository's openai==0.28.1 pin: no OAI402.
# gpt-3.5-turbo (lines 24 and 11) was shut down on 2026-10-23 (the scan's date is today).
EXPECTED = {
    ("OAI401", "legacy_flask/app.py", 16),
    ("OAI405", "legacy_flask/app.py", 16),
    ("OAI401", "legacy_flask/app.py", 17),
    ("OAI401", "legacy_flask/app.py", 24),
    ("OAI405", "legacy_flask/app.py", 24),
    ("OAI403", "legacy_flask/requirements.txt", 2),
    ("OAI404", "node_server/server.js", 4),
    ("OAI404", "node_server/server.js", 5),
    ("OAI404", "node_server/server.js", 10),
    ("OAI405", "node_server/server.js", 11),
    ("OAI403", "node_server/package.json", _line("node_server/package.json", '"openai"')),
    ("OAI301", "web/app/api/chat/route.ts", 3),
    ("OAI403", NB, _line(NB, "pip install")),
    ("OAI401", NB, _line(NB, "Embedding.create")),
}


@pytest.fixture
def acceptance_repo(tmp_path: Path) -> Path:
    git_init(tmp_path)
    write_tree(tmp_path, FILES)
    return tmp_path


def test_exactly_the_expected_findings(acceptance_repo: Path) -> None:
    result = run_scan(acceptance_repo)
    got = {(f.rule_id, f.path, f.line) for f in result.findings}
    assert got == EXPECTED
    assert len(result.findings) == len(EXPECTED)  # no duplicates on the same line either
    for f in result.findings:
        rule = get_rule(f.rule_id)
        assert f.fix == rule.fix and f.doc_url == rule.doc_url


def test_severities_follow_the_rule_families(acceptance_repo: Path) -> None:
    result = run_scan(acceptance_repo)
    severity = {f.rule_id: f.severity for f in result.findings}
    assert severity["OAI401"] == severity["OAI404"] == severity["OAI405"] == "high"
    assert severity["OAI301"] == "medium"
    assert "OAI303" not in severity  # OAI401/OAI404 report those calls, with the missing retries


def test_correct_code_gets_no_findings(acceptance_repo: Path) -> None:
    result = run_scan(acceptance_repo)
    clean = {
        "v1_app/llm.py",
        "v1_app/requirements.txt",
        "web/app/api/summary/route.ts",
        "web/package.json",
        "docs/migration.md",
        ".github/workflows/smoke.yml",
        "legacy_flask/Dockerfile",
    }
    assert not [f for f in result.findings if f.path in clean]


def test_cli_reports_them_and_fails(acceptance_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(acceptance_repo)
    out = CliRunner().invoke(main, ["--format", "json", "."])
    assert out.exit_code == 1, out.output
    data = json.loads(out.output)
    findings = data["findings"]
    assert {(f["rule_id"], f["path"], f["line"]) for f in findings} == EXPECTED
    ok = CliRunner().invoke(main, ["v1_app", "web/app/api/summary"])
    assert ok.exit_code == 0, ok.output
