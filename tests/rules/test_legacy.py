"""OAI401–OAI405: removed APIs, ignored settings, old SDK pins, the Node v3 API and retired models."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from oai_lint.analysis.versions import npm_spec_below, python_spec_below
from oai_lint.findings import Finding
from oai_lint.sources import Source
from tests.conftest import run_scan, write_tree
from tests.support.annotations import case_files


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
        # where it reports: the annotations of tests/rules/fixtures/OAI401/imports_aliases_and_openai_error/
        found = scan(repo, case_files("OAI401/imports_aliases_and_openai_error"), "OAI401")
        assert len(found) == 4
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
        # where it reports: the annotations of tests/rules/fixtures/OAI402/ignored_settings/
        found = scan(repo, case_files("OAI402/ignored_settings"), "OAI402")
        assert [f.message.split(" is ")[0] for f in found] == ["openai.api_base", "openai.api_key_path"]
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
        # edge specifiers the hand-written parsing got wrong (issue 14): read as pip reads them
        ("!=1.*,<2", True),
        ("<2,!=1.*", True),
        (">=0.27,<1.5", False),
        ("<1.0rc1", True),
        ("<=1.0.0.dev1", True),  # a development release of 1.0 comes before 1.0
        ("~=0.28.1,!=0.28.2", True),
        ("==1.*", False),
        (">=0.28,<1,!=0.28.*", True),
        ("<1.0.0.post1", False),
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
        # requirements files, pyproject (PEP 621, Poetry, dependency groups), Pipfile, setup.cfg/setup.py,
        # conda environments; where it reports: the annotations of tests/rules/fixtures/OAI403/python_manifests/
        found = scan(repo, case_files("OAI403/python_manifests"), "OAI403")
        assert len(found) == 10
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
        # where it reports: the annotations of tests/rules/fixtures/OAI404/commonjs_esm_and_namespace_forms/;
        # the constructor lines carry two findings each (OpenAIApi and Configuration)
        found = scan(repo, case_files("OAI404/commonjs_esm_and_namespace_forms"), "OAI404")
        assert len(found) == 10
        assert sorted(Counter((f.path, f.line) for f in found).values()) == [1, 1, 1, 1, 2, 2, 2]
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
