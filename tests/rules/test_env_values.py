"""OAI210 (empty OpenAI env values for openai-python code) and OAI211 (AzureOpenAI without an API version)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git_init, run_scan, write_tree

PY_APP = {"app.py": "from openai import OpenAI\n\nclient = OpenAI()\n"}


def hits(root: Path, files: dict[str, str], rule: str) -> list[tuple[str, int, str]]:
    git_init(root)
    write_tree(root, files)
    return sorted((f.path, f.line, f.severity) for f in run_scan(root).findings if f.rule_id == rule)


def test_empty_values_in_every_place_that_configures_the_environment(tmp_path: Path) -> None:
    files = {
        **PY_APP,
        ".env": "OPENAI_BASE_URL=\nOPENAI_ORG_ID=''\nOPENAI_PROJECT_ID=proj_abc\n",
        "deploy/run.sh": 'export OPENAI_PROJECT_ID=""\n',
        "Dockerfile": 'FROM python:3.12\nENV OPENAI_BASE_URL=""\n',
        "docker-compose.yml": "services:\n  api:\n    build: .\n    environment:\n"
        "      OPENAI_BASE_URL: ${OPENAI_BASE_URL}\n      OPENAI_ORG_ID:\n"
        "      OPENAI_PROJECT_ID: ${OPENAI_PROJECT_ID:-proj_abc}\n"
        "  proxy:\n    image: nginx\n    environment:\n      OPENAI_BASE_URL: ''\n"
        "  web:\n    build: ./web\n    environment:\n      OPENAI_BASE_URL: ${OPENAI_BASE_URL}\n",
        "web/ai.ts": 'import OpenAI from "openai";\nexport const client = new OpenAI();\n',  # openai-node: unset
        "k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n"
        "  - name: a\n    image: a\n    env:\n    - name: OPENAI_BASE_URL\n      value: \"\"\n",
    }
    assert hits(tmp_path, files, "OAI210") == [
        (".env", 1, "high"),
        (".env", 2, "medium"),
        ("Dockerfile", 2, "high"),
        ("deploy/run.sh", 1, "medium"),
        ("docker-compose.yml", 5, "high"),  # no default; `OPENAI_ORG_ID:` passes the host's value through
        ("k8s/pod.yaml", 11, "high"),
    ]


def test_templates_report_only_the_base_url_and_node_only_repositories_nothing(tmp_path: Path) -> None:
    template = "OPENAI_API_KEY=\nOPENAI_ORG_ID=\nOPENAI_BASE_URL=\n"
    assert hits(tmp_path / "py", {**PY_APP, ".env.example": template}, "OAI210") == [(".env.example", 3, "high")]
    node = {"web/ai.ts": 'import OpenAI from "openai";\nexport const client = new OpenAI();\n', ".env": template}
    assert hits(tmp_path / "node", node, "OAI210") == []


def test_azure_client_without_api_version(tmp_path: Path) -> None:
    code = ("import os\nfrom openai import AzureOpenAI, AsyncAzureOpenAI\n"
            "a = AzureOpenAI(azure_endpoint=os.environ['AZURE_OPENAI_ENDPOINT'])\n"
            "b = AsyncAzureOpenAI(azure_endpoint=e, api_version='2024-10-21')\n"
            "c = AzureOpenAI(**options)\n")
    assert hits(tmp_path / "bare", {"llm.py": code}, "OAI211") == [("llm.py", 3, "high")]
    with_env = {"llm.py": code, "docker-compose.yml": "services:\n  api:\n    build: .\n    environment:\n"
                "      OPENAI_API_VERSION: 2024-10-21\n"}
    assert hits(tmp_path / "env", with_env, "OAI211") == []
    by_code = {"llm.py": "import os\nos.environ['OPENAI_API_VERSION'] = '2024-10-21'\n" + code}
    assert hits(tmp_path / "code", by_code, "OAI211") == []
