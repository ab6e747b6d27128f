"""OAI2xx behaviour beyond the rule-file examples: repository facts, wrappers, pass-through variables,
prebuilt images, project keys, Azure, notebooks, Markdown, curl parsing and hostile input.

Cases that only say where the family reports live as annotated files in ``tests/rules/fixtures/OAI2xx/``."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from oai_lint.analysis.ids import header_role, ignored_name, organization_problem, project_problem
from oai_lint.sources import Source
from tests.conftest import git_init, run_scan, write_tree
from tests.support.keygen import make_key

KEY_CHARS = string.ascii_letters + string.digits


def project_key() -> str:
    return make_key("proj164")


def legacy_key() -> str:
    return make_key("legacy")


def hits(root: Path, files: dict[str, str], paths: list[str] | None = None,
         **options: object) -> set[tuple[str, str, int]]:
    git_init(root)
    write_tree(root, files)
    result = run_scan(root, paths, options=dict(options))
    return {(f.rule_id, f.path, f.line) for f in result.findings if f.rule_id.startswith("OAI2")}


# -- which names are fine ---------------------------------------------------------------------------
@pytest.mark.parametrize(("files", "flagged"), [
    ({"requirements.txt": "langchain-openai>=0.2\n"}, set()),
    ({"pyproject.toml": '[project]\ndependencies = ["litellm>=1.40"]\n'}, set()),
    # LangChain.js reads OPENAI_ORGANIZATION and (current versions) OPENAI_API_BASE
    ({"web/package.json": '{"dependencies": {"@langchain/openai": "^0.3.0"}}'}, set()),
    ({"agent.py": "from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI()\n"}, set()),
    ({"requirements.txt": "openai==0.28.1\n"}, set()),
    # LlamaIndex reads OPENAI_API_BASE, not OPENAI_ORGANIZATION
    ({"requirements.txt": "llama-index-llms-openai==0.2.0\n"}, {("OAI201", ".env", 1)}),
    ({"requirements.txt": "openai>=1.40\n"}, {("OAI201", ".env", 1), ("OAI201", ".env", 2)}),
])
def test_wrappers_that_read_the_names(tmp_path: Path, files: dict[str, str],
                                      flagged: set[tuple[str, str, int]]) -> None:
    env = "OPENAI_ORGANIZATION=org-4hT2kQ9mZpW1vX8cR3nB6yLd\nOPENAI_API_BASE=https://gw.internal/v1\n"
    assert hits(tmp_path, {".env": env, **files}) == flagged


@pytest.mark.parametrize("reader", [
    ("app.py", 'import os\norg = os.environ.get("OPENAI_ORG")\n'),
    ("app.py", 'from decouple import config\norg = config("OPENAI_ORG", default=None)\n'),
    ("app.ts", "export const org = import.meta.env.OPENAI_ORG;\n"),
    ("app.ts", "const { OPENAI_API_KEY, OPENAI_ORG } = process.env;\n"),
    ("main.go", 'package main\n\nimport "os"\n\nvar org = os.Getenv("OPENAI_ORG")\n'),
    ("scripts/run.sh", '#!/bin/sh\nexport OPENAI_ORG_ID="$OPENAI_ORG"\nexec python app.py\n'),
    ("Dockerfile", "FROM python:3.12\nENV OPENAI_ORG_ID=${OPENAI_ORG}\n"),
    ("analysis.ipynb", json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                              "source": ["import os\n", 'org = os.environ["OPENAI_ORG"]\n']}],
                                   "metadata": {}, "nbformat": 4, "nbformat_minor": 5})),
])
def test_code_that_reads_the_name_makes_it_fine(tmp_path: Path, reader: tuple[str, str]) -> None:
    files = {".env": "OPENAI_ORG=org-4hT2kQ9mZpW1vX8cR3nB6yLd\n", reader[0]: reader[1]}
    assert ("OAI201", ".env", 1) not in hits(tmp_path, files)


def test_app_prefixed_and_sdk_names_are_not_reported(tmp_path: Path) -> None:
    env = ("OPENAI_API_KEY=\nOPENAI_ORG_ID=org-4hT2kQ9mZpW1vX8cR3nB6yLd\nOPENAI_BASE_URL=https://gw/v1\n"
           "NEXT_PUBLIC_OPENAI_ORG=org-4hT2kQ9mZpW1vX8cR3nB6yLd\nOPENAI_MODEL=gpt-4o\nAZURE_OPENAI_ENDPOINT=x\n"
           "OPENAI_ADMIN_KEY=\nOPENAI_WEBHOOK_SECRET=\nOPENAI_CUSTOM_HEADERS=X-Team=a\nOPENAI_LOG=debug\n"
           "AZURE_OPENAI_API_KEY=\nAZURE_OPENAI_AD_TOKEN=\nOPENAI_API_VERSION=2024-10-21\n")
    assert hits(tmp_path, {".env.example": env}) == set()


def test_gitignored_files_are_not_part_of_the_facts(tmp_path: Path) -> None:
    files = {".gitignore": "local/\n", "local/reader.py": 'import os\nos.getenv("OPENAI_ORG")\n',
             ".env.example": "OPENAI_ORG=\n"}
    assert hits(tmp_path, files) == {("OAI201", ".env.example", 1)}


def test_configured_excludes_apply_to_the_facts(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_tree(tmp_path, {"fixtures/reader.py": 'import os\nos.getenv("OPENAI_ORG")\n',
                          ".env.example": "OPENAI_ORG=\n"})
    result = run_scan(tmp_path, exclude=["fixtures/"])
    assert [(f.rule_id, f.path) for f in result.findings] == [("OAI201", ".env.example")]


def test_outside_git_the_scan_root_is_the_repository(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": 'import os\nos.getenv("OPENAI_ORG")\n', ".env": "OPENAI_ORG=org-abc\n",
                          "other.env": "OPENAI_PROJECT=proj_abc\n"})
    result = run_scan(tmp_path, [".env", "other.env"])
    assert [(f.rule_id, f.path) for f in result.findings if f.rule_id.startswith("OAI2")] == [
        ("OAI201", "other.env")]


# -- values -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "code"), [
    ("org-4hT2kQ9mZpW1vX8cR3nB6yLd", None), ("org-your-org-id", None), ("your-org-id", None),
    ("${ORG}", None), ("<org id>", None), ("", None),
    ("proj_Jm3Tq8", "project-id"), ("org_4hT2kQ9m", "prefix"), ("Acme Inc", "name"), ("sk-proj-...", "key"),
])
def test_organization_values(value: str, code: str | None) -> None:
    p = organization_problem(value)
    assert (p.code if p else None) == code


@pytest.mark.parametrize(("value", "code"), [
    ("proj_Jm3Tq8vXz2Wn5Kd7Rb1Yc4Hs", None), ("proj_xxx", None), ("your-project-id", None),
    ("{{ .Values.p }}", None),
    ("proj-xxxx", "hyphen"), ("proj-{{ .Values.p }}", "hyphen"), ("org-4hT2kQ9m", "org-id"),
    ("checkout-bot", "name"), ("sk-...", "key"), ("PROJECT_abc", "prefix"),
])
def test_project_values(value: str, code: str | None) -> None:
    p = project_problem(value)
    assert (p.code if p else None) == code


def test_a_key_in_the_organization_slot_is_high_and_never_printed(tmp_path: Path) -> None:
    key = project_key()
    files = {"app.py": f'from openai import OpenAI\n\nclient = OpenAI(organization="{key}")\n'}
    git_init(tmp_path)
    write_tree(tmp_path, files)
    result = run_scan(tmp_path)
    org = [f for f in result.findings if f.rule_id == "OAI202"]
    assert [(f.line, f.severity) for f in org] == [(3, "high")]
    for f in result.findings:
        assert key not in f.message and key[8:40] not in f.message
    assert "`sk-proj-…`" in org[0].message


@pytest.mark.parametrize(("header", "role"), [
    ("OpenAI-Organization", "organization"), ("openai-organization", "organization"),
    ("OPENAI-PROJECT", "project"), ("Authorization", "authorization"),
    ("OpenAI-Organisation", "misspelled-organization"), ("OpenAI-Org", "misspelled-organization"),
    ("OpenAI-Org-Id", "misspelled-organization"), ("X-OpenAI-Project", "misspelled-project"),
    ("OpenAI-Project-Id", "misspelled-project"), ("OpenAi-Projcet", "misspelled-project"),
    ("OpenAI-Beta", None), ("openai_organization", None), ("Content-Type", None),
])
def test_header_names(header: str, role: str | None) -> None:
    assert header_role(header) == role


@pytest.mark.parametrize(("name", "replacement"), [
    ("OPENAI_ORG", "OPENAI_ORG_ID"), ("OPENAI_ORGANIZATION_ID", "OPENAI_ORG_ID"),
    ("OPENAI_ORGANISATION", "OPENAI_ORG_ID"), ("OPENAI_PROJECT", "OPENAI_PROJECT_ID"),
    ("OPENAI_PROJ_ID", "OPENAI_PROJECT_ID"), ("OPENAI_API_BASE", "OPENAI_BASE_URL"),
    ("OPENAI_KEY", "OPENAI_API_KEY"), ("OPENAI_API_KEY_PATH", "OPENAI_API_KEY"),
    ("OPENAI_ORG_ID", None), ("OPENAI_MODEL", None), ("OPENAI_API_VERSION", None), ("OPENAI_LOG", None),
])
def test_ignored_names(name: str, replacement: str | None) -> None:
    got = ignored_name(name)
    assert (got.replacement if got else None) == replacement


# -- consistency ------------------------------------------------------------------------------------
def test_project_keys_need_no_headers(tmp_path: Path) -> None:
    files = {"a.py": 'from openai import OpenAI\nc = OpenAI(organization="org-4hT2kQ9mZpW1vX8cR3nB6yLd")\n',
             "b.py": f'from openai import OpenAI\nc = OpenAI(api_key="{project_key()}")\n',
             "c.py": ('import os\nfrom openai import OpenAI\n'
                      'c = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n')}
    # b.py uses a project key; c.py's key comes from the environment, whose kind is unknown
    assert {h for h in hits(tmp_path, files) if h[0] == "OAI205"} == {("OAI205", "c.py", 3)}


def test_project_keys_in_the_configured_environment(tmp_path: Path) -> None:
    files = {"a.py": 'from openai import OpenAI\nc = OpenAI(organization="org-4hT2kQ9mZpW1vX8cR3nB6yLd")\n',
             "c.py": "from openai import OpenAI\nc = OpenAI()\n",
             ".env.example": "OPENAI_API_KEY=sk-proj-...\n"}
    assert hits(tmp_path, files, **{"require-project": True}) == set()
    # a user key among the configured ones: the headers matter again
    (tmp_path / "deploy.env").write_text(f"OPENAI_API_KEY={legacy_key()}\n")
    assert ("OAI206", "c.py", 2) in hits(tmp_path, {}, **{"require-project": True})


def test_clients_whose_options_cannot_be_seen_are_left_alone(tmp_path: Path) -> None:
    files = {".env.example": "OPENAI_ORG_ID=\nOPENAI_PROJECT_ID=\n",
             "a.py": "from openai import OpenAI\nc = OpenAI(**settings.openai_kwargs)\n",
             "b.ts": ('import { createOpenAI } from "@ai-sdk/openai";\n'
                      'export const p = createOpenAI({ ...opts });\n'),
             "c.py": "import requests\nr = session.post('https://api.openai.com/v1/x', json={})\n"}
    assert hits(tmp_path, files, **{"require-project": True}) == set()


def test_azure_is_out_of_scope(tmp_path: Path) -> None:
    files = {".env": "OPENAI_ORG_ID=org-4hT2kQ9mZpW1vX8cR3nB6yLd\n",
             "az.py": ('from openai import AzureOpenAI\n'
                       'c = AzureOpenAI(organization="Contoso", api_version="2024-10-21")\n'),
             "az.ts": ('export const r = fetch("https://contoso.openai.azure.com/openai/deployments/x", '
                       '{ headers: { "api-key": process.env.AZURE_OPENAI_API_KEY } });\n')}
    assert hits(tmp_path, files, **{"require-project": True}) == set()


# -- Markdown, notebooks, curl ----------------------------------------------------------------------
def test_markdown_is_documentation(tmp_path: Path) -> None:
    md = ("Set the org:\n\n    curl https://api.openai.com/v1/models -H 'OpenAI-Org: x'\n\n"
          "```sh\ncurl https://api.openai.com/v1/models \\\n  -H 'Authorization: Bearer $OPENAI_API_KEY' \\\n"
          "  -H 'OpenAI-Org: org-abc'\n```\n\ncurl https://api.openai.com/v1/models outside a code block\n")
    git_init(tmp_path)
    write_tree(tmp_path, {"docs/usage.md": md, ".env": "OPENAI_ORG_ID=org-4hT2kQ9mZpW1vX8cR3nB6yLd\n"})
    result = run_scan(tmp_path, options={"require-project": True})
    assert [(f.rule_id, f.line, f.severity) for f in result.findings] == [("OAI209", 8, "info")]


def test_notebook_lines_point_into_the_ipynb(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Demo"]},
                    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": ["from openai import OpenAI\n", "\n",
                                'client = OpenAI(project="proj-demo")\n']}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    git_init(tmp_path)
    write_tree(tmp_path, {"demo.ipynb": text})
    found = [f for f in run_scan(tmp_path).findings if f.rule_id == "OAI203"]
    assert len(found) == 1
    line = text.splitlines()[found[0].line - 1]
    assert "proj-demo" in line


def test_curl_command_lines() -> None:
    script = ("#!/bin/bash\n"
              "# curl https://api.openai.com/v1/models (a comment)\n"
              "curl -sS -X POST https://api.openai.com/v1/chat/completions \\\n"
              "  -H 'Content-Type: application/json' \\\n"
              "  -H\"Authorization: Bearer ${OPENAI_API_KEY}\" \\\n"
              "  --header='OpenAI-Project: proj_abc' \\\n"
              "  -d '{\"model\": \"gpt-4o-mini\"}' | jq . && curl -K creds.txt https://api.openai.com/v1/models\n"
              "curl --oauth2-bearer \"$KEY\" 'https://api.openai.com/v1/models' -o 'unterminated\n")
    cmds = Source("run.sh", script).curl_commands
    assert [c.line for c in cmds] == [3, 8]
    first = cmds[0]
    assert first.urls == ("https://api.openai.com/v1/chat/completions",)
    assert [(h.name, h.value, h.line) for h in first.headers] == [
        ("Content-Type", "application/json", 4), ("Authorization", "Bearer ${OPENAI_API_KEY}", 5),
        ("OpenAI-Project", "proj_abc", 6)]
    assert first.headers_known and not first.auth_option
    assert cmds[1].auth_option and cmds[1].bearer_option == "$KEY"


HOSTILE = {
    "broken.py": "from openai import OpenAI\nclient = OpenAI(organization=\n",
    "broken.ts": "import OpenAI from 'openai'\nnew OpenAI({ organization: 'x', ...\n",
    "broken.yml": "services: [\n  OPENAI_ORG: {\n",
    "broken.sh": "curl 'https://api.openai.com/v1/models -H \"OpenAI-Org: \\\n",
    "deep.py": "from openai import OpenAI\nx = " + "[" * 3000 + "]" * 3000 + "\n",
    "deep.ts": "import OpenAI from 'openai';\nconst x = " + "{a:" * 2000 + "1" + "}" * 2000 + ";\n",
    "bin.env": "OPENAI_ORG=\x00\x01\x02",
    "weird.env": "OPENAI_PROJECT_ID='proj-\nOPENAI_ORG_ID=\"\n",
    "huge.md": "```\n" + "curl https://api.openai.com/v1/models \\\n" * 5000 + "```\n",
}


def test_hostile_input_never_crashes(tmp_path: Path) -> None:
    git_init(tmp_path)
    write_tree(tmp_path, HOSTILE)
    result = run_scan(tmp_path)
    assert result.files_scanned >= len(HOSTILE) - 1


# -- the configuration reaches the checks -----------------------------------------------------------
def test_require_project_from_the_configuration_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oai_lint.cli.commands import main

    git_init(tmp_path)
    write_tree(tmp_path, {"app.py": "from openai import OpenAI\n\nclient = OpenAI()\n"})
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["."]).exit_code == 0
    (tmp_path / ".oai-lint.toml").write_text("require-project = true\n")
    out = runner.invoke(main, ["."])
    assert out.exit_code == 1
    assert "app.py:3:10: OAI206 [high]" in out.output


ROUTE = 'import { createOpenAI } from "@ai-sdk/openai";\nexport const p = createOpenAI({});\n'


# -- which code a setting reaches ---------------------------------------------------------------------------
def test_settings_reach_only_their_own_service(tmp_path: Path) -> None:
    compose = ("services:\n"
               "  api:\n    build: ./api\n    environment:\n      OPENAI_PROJECT_ID: proj_Jm3Tq8\n"
               "  web:\n    build:\n      context: ./web\n    environment:\n"
               "      OPENAI_ORG_ID: org-4hT2kQ9m\n"
               "  proxy:\n    image: ghcr.io/example/proxy:1\n    environment:\n"
               "      OPENAI_PROJECT_ID: proj_zz\n")
    files = {"docker-compose.yml": compose,
             "web/route.ts": ROUTE,
             "api/route.ts": ROUTE,
             "worker/.env": "OPENAI_PROJECT_ID=proj_Jm3Tq8\n",
             "worker/route.ts": ROUTE,
             "tools/route.ts": ROUTE}
    git_init(tmp_path)
    write_tree(tmp_path, files)
    result = run_scan(tmp_path)
    got = {(f.path, f.message.split("; pass ")[1]) for f in result.findings if f.rule_id == "OAI207"}
    assert got == {
        ("web/route.ts", "`organization` (OPENAI_ORG_ID is set at docker-compose.yml:10)"),
        ("api/route.ts", "`project` (OPENAI_PROJECT_ID is set at docker-compose.yml:5)"),
        ("worker/route.ts", "`project` (OPENAI_PROJECT_ID is set at worker/.env:1)"),
    }


@pytest.mark.parametrize(("dockerfile", "reaches_web"), [("web/Dockerfile", True), ("api/Dockerfile", False),
                                                         ("docker/web.Dockerfile", True)])
def test_dockerfile_env_reaches_its_directory(tmp_path: Path, dockerfile: str, reaches_web: bool) -> None:
    files = {dockerfile: "FROM node:20\nENV OPENAI_PROJECT_ID=proj_Jm3Tq8\n", "web/route.ts": ROUTE}
    assert (("OAI207", "web/route.ts", 2) in hits(tmp_path, files)) is reaches_web


@pytest.mark.parametrize(("image", "reaches_web"), [
    ("registry.example.com/acme/api:1.4", False), ("registry.example.com/acme/web:1.4", True),
    ("ghcr.io/acme/worker@sha256:abc", True),  # no such directory: it may be any of the repository's code
])
def test_kubernetes_env_reaches_the_code_its_image_is_built_from(tmp_path: Path, image: str,
                                                                   reaches_web: bool) -> None:
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                f"        - name: app\n          image: {image}\n          env:\n"
                "            - name: OPENAI_PROJECT_ID\n              value: proj_Jm3Tq8\n")
    files = {"k8s/app.yaml": manifest, "apps/api/Dockerfile": "FROM python:3.12\n",
             "apps/web/Dockerfile": "FROM node:20\n", "apps/web/route.ts": ROUTE}
    assert (("OAI207", "apps/web/route.ts", 2) in hits(tmp_path, files)) is reaches_web


def test_messages_show_opaque_tokens_only_in_part(tmp_path: Path) -> None:
    token = "".join(random.Random().choice(KEY_CHARS) for _ in range(40))
    git_init(tmp_path)
    write_tree(tmp_path, {".env": f"OPENAI_ORG_ID={token}\n"})
    [finding] = [f for f in run_scan(tmp_path).findings if f.rule_id == "OAI202"]
    assert token not in finding.message and f"`{token[:6]}…`" in finding.message


def test_rule_docs_show_the_rest_of_the_example_repository() -> None:
    from oai_lint.cli.commands import main

    out = CliRunner().invoke(main, ["rule", "OAI205"]).output
    assert "elsewhere in the repository, `api/client.py`" in out
    out = CliRunner().invoke(main, ["rule", "OAI206"]).output
    assert "with `require-project = true` in the configuration" in out


def test_clients_of_other_servers_need_no_openai_headers(tmp_path: Path) -> None:
    files = {".env.example": "OPENAI_ORG_ID=\n",
             "local.py": ('from openai import OpenAI\n'
                          'ollama = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")\n'
                          'official = OpenAI(base_url="https://api.openai.com/v1")\n'),
             "web/ai.ts": ('import { createOpenAI } from "@ai-sdk/openai";\n'
                           'export const gw = createOpenAI({ baseURL: process.env.GATEWAY_URL });\n'),
             "gateway/.env": "OPENAI_BASE_URL=https://llm-gateway.internal/v1\n",
             "gateway/app.py": "from openai import OpenAI\nclient = OpenAI()\n"}
    assert hits(tmp_path, files, **{"require-project": True}) == {("OAI206", "local.py", 3)}


def test_a_file_outside_any_repository_stands_alone(tmp_path: Path, tmp_path_factory:
                                                    pytest.TempPathFactory) -> None:
    git_init(tmp_path)
    write_tree(tmp_path, {"reader.py": 'import os\nos.getenv("OPENAI_ORG")\n'})
    loose = tmp_path_factory.mktemp("loose") / "deploy.env"
    loose.write_text("OPENAI_ORG=org-4hT2kQ9mZpW1vX8cR3nB6yLd\n")
    result = run_scan(tmp_path, [str(loose)])  # the repository at the scan root does not read it for it
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("OAI2")] == ["OAI201"]


_ALPHABET = st.sampled_from(list("curl -H'\"\\\n:$`{}[]()=;&|#~ abcOPENAI_org-proj_https://api.openai.com/v1"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=300).map("".join),
       st.sampled_from(["run.sh", "Makefile", "Dockerfile", "ci.yml", "README.md", "a.py", "a.ts", ".env"]))
def test_arbitrary_text_never_breaks_the_org_project_views(text: str, name: str) -> None:
    from oai_lint.analysis.usage import analyse

    source = Source(name, text)
    source.curl_commands  # noqa: B018 - the view itself must not raise
    source.settings  # noqa: B018
    analyse(source)
