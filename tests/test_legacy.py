"""OAI401–OAI405: removed APIs, ignored settings, old SDK pins, the Node v3 API and retired models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oai_lint.checks.legacy import npm_spec_below, python_spec_below
from oai_lint.findings import Finding
from oai_lint.sources import Source
from tests.conftest import run_scan, write_tree


def scan(root: Path, files: dict[str, str], rule: str | None = None) -> list[Finding]:
    write_tree(root, files)
    return [f for f in run_scan(root).findings if rule is None or f.rule_id == rule]


def where(found: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.path, f.line) for f in found)


# == OAI401 / OAI402 =========================================================================================
class TestPythonV0:
    def test_every_removed_resource_names_its_replacement(self, repo: Path) -> None:
        code = (
            "import openai\n"
            "a = openai.ChatCompletion.create(model='m', messages=[])\n"
            "b = await openai.ChatCompletion.acreate(model='m', messages=[])\n"
            "c = openai.Completion.create(model='m', prompt='x')\n"
            "d = openai.Embedding.create(model='m', input='x')\n"
            "e = openai.Image.create(prompt='cat')\n"
            "f = openai.Audio.transcribe('whisper-1', fh)\n"
            "g = openai.Moderation.create(input='x')\n"
            "h = openai.FineTune.create(training_file='f')\n"
            "i = openai.Model.list()\n"
        )
        found = scan(repo, {"v0.py": code}, "OAI401")
        messages = {f.line: f.message for f in found}
        assert sorted(messages) == list(range(2, 11))
        assert "use client.chat.completions.create" in messages[2]
        assert "AsyncOpenAI" in messages[3]
        assert "client.images.generate" in messages[6]
        assert "client.audio.transcriptions.create" in messages[7]
        assert "client.fine_tuning.jobs.create" in messages[9]
        assert all(f.severity == "high" for f in found)

    def test_imports_aliases_and_openai_error(self, repo: Path) -> None:
        code = (
            "import openai as oa\n"
            "from openai import ChatCompletion\n"
            "from openai.error import InvalidRequestError, RateLimitError\n"
            "try:\n"
            "    ChatCompletion.create(model='m', messages=[])\n"
            "    oa.Embedding.create(model='m', input='x')\n"
            "except RateLimitError:\n"
            "    pass\n"
            "except oa.error.APIError:\n"
            "    pass\n"
        )
        found = scan(repo, {"a.py": code}, "OAI401")
        assert [f.line for f in found] == [3, 5, 6, 9]
        assert "openai.BadRequestError" in found[0].message
        assert "openai.error.APIError" in found[3].message

    def test_current_sdk_and_other_libraries_are_fine(self, repo: Path) -> None:
        code = (
            "import os\nimport openai\nfrom openai import OpenAI\nfrom mylib import Completion\n"
            "openai.api_key = os.environ['OPENAI_API_KEY']\n"
            "openai.organization = 'org-x'\n"
            "client = OpenAI()\n"
            "client.chat.completions.create(model='m', messages=[])\n"
            "Completion.create()\n"
            "try:\n    pass\nexcept openai.RateLimitError:\n    pass\n"
        )
        assert [f for f in scan(repo, {"v1.py": code}) if f.rule_id.startswith("OAI40")] == []

    def test_ignored_settings(self, repo: Path) -> None:
        code = (
            "import openai\nopenai.api_base = 'https://proxy/v1'\nopenai.api_key_path = '/run/key'\n"
            "openai.base_url = 'https://proxy/v1'\n"
        )
        found = scan(repo, {"s.py": code}, "OAI402")
        assert [(f.line, f.message.split(" is ")[0]) for f in found] == [
            (2, "openai.api_base"),
            (3, "openai.api_key_path"),
        ]
        assert "OPENAI_BASE_URL" in found[0].message

    def test_notebook_line_is_the_ipynb_line(self, repo: Path) -> None:
        nb = {
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": ["# Old notebook\n", "text\n"]},
                {
                    "cell_type": "code",
                    "metadata": {},
                    "outputs": [],
                    "execution_count": 1,
                    "source": [
                        "%matplotlib inline\n",
                        "import openai\n",
                        "\n",
                        "r = openai.Completion.create(engine='gpt-3.5-turbo-instruct', prompt='x')\n",
                    ],
                },
            ],
            "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        text = json.dumps(nb, indent=1)
        expected = next(n for n, line in enumerate(text.splitlines(), 1) if "Completion.create" in line)
        found = scan(repo, {"nb/old.ipynb": text}, "OAI401")
        assert [(f.path, f.line) for f in found] == [("nb/old.ipynb", expected)]
        assert found[0].column == text.splitlines()[expected - 1].index("openai.Completion") + 1


# == OAI403: pins ============================================================================================
@pytest.mark.parametrize(
    ("spec", "old"),
    [
        ("==0.28.1", True),
        ("<1", True),
        ("<1.0", True),
        ("<1.0.0", True),
        ("<=0.28.1", True),
        ("~=0.27", True),
        ("~=0.27.8", True),
        ("==0.*", True),
        (">=0.27,<1", True),
        ("^0.28", True),
        ("~0.28", True),
        ("0.28.1", True),
        ("===0.27.0", True),
        ("=0.28", True),
        ("", False),
        (">=0.27", False),
        (">=1", False),
        ("==1.40.0", False),
        ("<1.1", False),
        ("<=1.0", False),
        ("^1.3", False),
        ("!=0.28", False),
        ("*", False),
        ("~=1.0", False),
        (">0.27,!=0.28", False),
    ],
)
def test_python_spec(spec: str, old: bool) -> None:
    assert python_spec_below(spec, 1) is old


@pytest.mark.parametrize(
    ("spec", "old"),
    [
        ("^3.3.0", True),
        ("~3.2.1", True),
        ("3.3.0", True),
        ("3.x", True),
        ("<4", True),
        ("<4.0.0", True),
        (">=3.0.0 <4.0.0", True),
        ("3.1.0 - 3.3.0", True),
        ("^2 || ^3", True),
        ("=3.3.0", True),
        ("<= 3.3.0", True),
        ("^4.0.0", False),
        ("latest", False),
        ("*", False),
        ("", False),
        (">=3", False),
        ("^3 || ^4", False),
        ("3.x || 4.x", False),
        ("github:openai/openai-node", False),
        ("file:../openai", False),
        ("npm:openai@^3", False),
        ("<4.1", False),
    ],
)
def test_npm_spec(spec: str, old: bool) -> None:
    assert npm_spec_below(spec, 4) is old


class TestPins:
    def test_python_manifests(self, repo: Path) -> None:
        files = {
            "requirements.txt": "# deps\nflask==3.0\n"
            "openai[datalib]==0.28.1 ; python_version > '3.8'  # old\n",
            "requirements-dev.txt": "-r requirements.txt\nopenai>=0.27\n",
            "reqs/requirements.in": "openai \\\n  <1\n",
            "pyproject.toml": (
                "[project]\nname = 'x'\ndependencies = [\n  'requests',\n  \"openai~=0.27\",\n]\n"
                "[project.optional-dependencies]\nai = ['openai>=1.0']\n"
                "[dependency-groups]\nlegacy = ['openai<1']\n"
            ),
            "svc/pyproject.toml": (
                "[tool.poetry]\nname = 'svc'\n\n[tool.poetry.dependencies]\npython = '^3.11'\n"
                "openai = { version = '^0.28', extras = ['datalib'] }\n"
                "[tool.poetry.group.dev.dependencies]\nopenai = '>=1.2'\n"
            ),
            "Pipfile": "[packages]\nflask = '*'\nopenai = '==0.27.8'\n\n[dev-packages]\npytest = '*'\n",
            "setup.cfg": "[metadata]\nname = x\n\n[options]\ninstall_requires =\n    requests\n"
            "    openai<1.0\n",
            "setup.py": "from setuptools import setup\nsetup(name='x', install_requires=['requests>=2', "
            "'openai==0.28.0'])\n",
            "environment.yml": "name: ml\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n"
            "  - conda-forge::openai=0.28\n  - pip\n  - pip:\n      - openai==0.27.4\n",
        }
        found = scan(repo, files, "OAI403")
        assert where(found) == [
            ("Pipfile", 3),
            ("environment.yml", 6),
            ("environment.yml", 9),
            ("pyproject.toml", 5),
            ("pyproject.toml", 10),
            ("reqs/requirements.in", 1),
            ("requirements.txt", 3),
            ("setup.cfg", 7),
            ("setup.py", 2),
            ("svc/pyproject.toml", 6),
        ]
        by_path = {f.path: f for f in found}
        assert by_path["requirements.txt"].column == 1
        assert "openai==0.28.1 in requirements.txt" in by_path["requirements.txt"].message
        assert by_path["svc/pyproject.toml"].column == 1
        assert "openai-python before 1.0" in by_path["Pipfile"].message

    def test_package_json_and_install_commands(self, repo: Path) -> None:
        files = {
            "bot/package.json": json.dumps(
                {
                    "name": "bot",
                    "dependencies": {"express": "^4.19.2"},
                    "devDependencies": {"openai": "~3.2.1"},
                },
                indent=2,
            ),
            "web/package.json": json.dumps({"dependencies": {"openai": "^4.56.0"}}, indent=2),
            "Dockerfile": "FROM python:3.11\nRUN pip install --no-cache-dir -r req.txt && pip install "
            "'openai<1' flask\nRUN npm install -g openai@3.3.0\n",
            "setup.sh": "#!/bin/sh\npython -m pip install -U openai\nuv pip install openai==1.40.0\n",
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: pip install openai==0.28.1 pytest\n",
        }
        found = scan(repo, files, "OAI403")
        assert where(found) == [
            (".github/workflows/ci.yml", 6),
            ("Dockerfile", 2),
            ("Dockerfile", 3),
            ("bot/package.json", 7),
        ]
        pkg = next(f for f in found if f.path == "bot/package.json")
        assert pkg.column == 6 and "openai-node before v4" in pkg.message
        docker = sorted((f for f in found if f.path == "Dockerfile"), key=lambda f: f.line)
        assert docker[0].column == Path(repo / "Dockerfile").read_text().splitlines()[1].index("openai<1") + 1

    def test_dependencies_view(self) -> None:
        src = Source("setup.cfg", "[options]\ninstall_requires =\n  openai==0.28\n[x\n")
        assert src.ini is None and src.dependencies == [] and src.notes
        good = Source("setup.cfg", "[options]\ninstall_requires =\n  openai==0.28\n")
        assert [(d.name, d.spec, d.line) for d in good.dependencies] == [("openai", "==0.28", 3)]


# == OAI404 ==================================================================================================
class TestNodeV3:
    def test_commonjs_esm_and_namespace_forms(self, repo: Path) -> None:
        files = {
            "cjs.js": 'const { Configuration, OpenAIApi } = require("openai");\n'
            "const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));\n"
            'openai.createCompletion({ model: "m" });\nopenai.listModels();\n',
            "esm.ts": 'import { OpenAIApi as Api, Configuration, CreateChatCompletionRequest } '
            'from "openai";\n'
            "const api = new Api(new Configuration({}));\n",
            "ns.mjs": 'import * as oa from "openai";\n'
                'const api = new oa.OpenAIApi(new oa.Configuration({}));\n',
            "mine.js": 'import { Configuration } from "./config";\nconst c = new Configuration({});\n'
            "db.createCompletion();\n",
            "types.ts": 'import type { ChatCompletionRequestMessage } from "openai";\n'
            "export const history: ChatCompletionRequestMessage[] = [];\n",
            "v4.ts": 'import OpenAI from "openai";\nconst openai = new OpenAI();\n'
            'await openai.chat.completions.create({ model: "m", messages: [] });\n',
        }
        found = scan(repo, files, "OAI404")
        assert where(found) == [
            ("cjs.js", 2),
            ("cjs.js", 2),
            ("cjs.js", 3),
            ("cjs.js", 4),
            ("esm.ts", 1),
            ("esm.ts", 2),
            ("esm.ts", 2),
            ("ns.mjs", 2),
            ("ns.mjs", 2),
            ("types.ts", 1),
        ]
        msgs = " ".join(f.message for f in found)
        assert "openai.completions.create" in msgs and "openai.models.list" in msgs
        assert "CreateChatCompletionRequest" in msgs


# == OAI405 ==================================================================================================
class TestRetiredModels:
    def test_python_contexts(self, repo: Path) -> None:
        code = (
            "from openai import OpenAI\nclient = OpenAI()\n"
            "a = client.completions.create(model='text-davinci-003', prompt='x')\n"
            "EMBED_MODEL = 'text-search-ada-doc-001'\n"
            "cfg = {'model': 'gpt-4-0314', 'engine': 'davinci'}\n"
            "if a.model == 'text-davinci-003':\n    pass\n"
            "LIMITS = {'text-davinci-003': 4097}\n"
            "who = 'ada'\nperson = {'name': 'curie'}\n"
            "b = client.completions.create(model='davinci-002', prompt='x')\n"
            "match name:\n    case 'text-davinci-002':\n        pass\n"
        )
        found = scan(repo, {"m.py": code}, "OAI405")
        assert [(f.line, f.message.split(" was")[0]) for f in found] == [
            (3, "text-davinci-003"),
            (4, "text-search-ada-doc-001"),
            (5, "gpt-4-0314"),
            (5, "davinci"),
            (11, "davinci-002"),  # the 2023 replacement of davinci, itself shut down on 2026-09-28
        ]
        first = found[0]
        # the replacement, gpt-3.5-turbo-instruct, was shut down in turn: the first live one is named
        assert "on 2024-01-04" in first.message and "gpt-5.6-terra" in first.message
        assert first.column == code.splitlines()[2].index("text-davinci-003") + 1

    def test_javascript_and_config_contexts(self, repo: Path) -> None:
        files = {
            "src/a.ts": 'const model = "gpt-3.5-turbo-0613";\n'
            'if (m === "text-davinci-003") {}\n'
            'const limits = { "text-davinci-003": 4097 };\n'
            'await openai.createCompletion({ model: "davinci", prompt });\n'
            'const author = "ada";\n',
            "config.yaml": "llm:\n  model: code-davinci-002  # old\n  author: ada\n"
            "# model: text-davinci-003\n  engine: curie\n",
            "settings.json": json.dumps(
                {
                    "model": "text-davinci-edit-001",  # oai-lint: ignore[OAI405] test data
                    "text-davinci-003": 1,
                },
                indent=2,
            ),
            "app.toml": '[llm]\nmodel = "gpt-4-32k-0314"\n',
            ".env": "OPENAI_MODEL=gpt-4-vision-preview\n",
            "docs/history.md": "We used text-davinci-003 in 2022.\n",
        }
        found = scan(repo, files, "OAI405")
        assert where(found) == [
            (".env", 1),
            ("app.toml", 2),
            ("config.yaml", 2),
            ("config.yaml", 5),
            ("settings.json", 2),
            ("src/a.ts", 1),
            ("src/a.ts", 4),
        ]
        msg = {(f.path, f.line): f.message for f in found}
        assert "on 2024-12-06" in msg[(".env", 1)] and "gpt-4o" in msg[(".env", 1)]
        assert "on 2025-06-06" in msg[("app.toml", 2)]
        # code-davinci-002 is in two announcements: the earlier shutdown (Codex models) is the one
        assert "on 2023-03-23" in msg[("config.yaml", 2)] and "gpt-4o" in msg[("config.yaml", 2)]
        # gpt-3.5-turbo-0613 -> gpt-3.5-turbo (shut down 2026-10-23) -> gpt-5.6-terra
        assert "on 2024-09-13" in msg[("src/a.ts", 1)] and "gpt-5.6-terra" in msg[("src/a.ts", 1)]
