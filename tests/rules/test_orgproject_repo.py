"""The organization/project rules on a whole repository: a Python service, a Next.js app, a .env, a
compose file and a workflow. The same findings must come out of a scan of the whole repository, of
only the changed files (as pre-commit passes them), of single files, and of a multi-process scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from oai_lint.engine import ScanResult
from tests.conftest import git_init, run_scan, write_tree

SERVICE_MAIN = '''\
import os

import httpx
from openai import OpenAI

client = OpenAI(organization=os.environ["OPENAI_ORG_ID"])
batch = OpenAI(project="proj-batch")
BASE = "https://api.openai.com/v1"
gateway = os.getenv("OPENAI_API_BASE")


def usage() -> httpx.Response:
    headers = {
        "Authorization": os.environ["OPENAI_API_KEY"],
        "OpenAI-Organisation": os.environ["OPENAI_ORG_ID"],
    }
    return httpx.get(f"{BASE}/organization/usage", headers=headers)
'''

SERVICE_SETTINGS = '''\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    openai_model: str = "gpt-4o-mini"
    openai_project: str | None = None
'''

ROUTE = '''\
import { createOpenAI } from "@ai-sdk/openai";
import { streamText } from "ai";

const openai = createOpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = await streamText({ model: openai("gpt-4o-mini"), messages });
  return result.toDataStreamResponse();
}
'''

CLIENT_TS = '''\
import OpenAI from "openai";

export const client = new OpenAI();
export const admin = new OpenAI({ organization: "Acme Inc" });

export async function models() {
  return fetch("https://api.openai.com/v1/models", {
    headers: {
      Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
      "OpenAI-Organization": process.env.OPENAI_ORG_ID ?? "",
    },
  });
}
'''

ENV = '''\
OPENAI_ORG_ID=org-4hT2kQ9mZpW1vX8cR3nB6yLd
OPENAI_ORGANIZATION=org-4hT2kQ9mZpW1vX8cR3nB6yLd
OPENAI_PROJECT=proj_Jm3Tq8vXz2Wn5Kd7Rb1Yc4Hs
OPENAI_API_BASE=https://llm-gateway.internal/v1
'''

COMPOSE = '''\
services:
  api:
    build: ./service
    env_file: .env
    environment:
      OPENAI_PROJECT_ID: proj-live
      OPENAI_KEY: ${OPENAI_KEY}
  web:
    build: ./web
    environment:
      OPENAI_ORG_ID: ${OPENAI_ORG_ID}
  dashboard:
    image: ghcr.io/example/llm-dashboard:1.4
    environment:
      OPENAI_API_HOST: https://api.openai.com
'''

WORKFLOW = '''\
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      OPENAI_ORG: ${{ secrets.OPENAI_ORG }}
      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}
    steps:
      - uses: actions/checkout@v4
      - run: pytest service
      - run: |
          curl -fsS https://api.openai.com/v1/models \\
            -H "Authorization: Bearer $OPENAI_API_KEY"
'''

README = '''\
# Chat demo

```bash
curl https://api.openai.com/v1/models -H "OpenAI-Project: proj-xxx"
```
'''

FILES = {
    "service/requirements.txt": "openai>=1.40\nhttpx\npydantic-settings\n",
    "service/app/main.py": SERVICE_MAIN,
    "service/app/settings.py": SERVICE_SETTINGS,
    "web/package.json": '{"dependencies": {"next": "14.2.3", "ai": "^3.2.0", "@ai-sdk/openai": "^0.0.40",'
                        ' "openai": "^4.52.0"}}\n',
    "web/app/api/chat/route.ts": ROUTE,
    "web/lib/client.ts": CLIENT_TS,
    ".env": ENV,
    "docker-compose.yml": COMPOSE,
    ".github/workflows/ci.yml": WORKFLOW,
    "README.md": README,
}

# (rule, path, line, severity): everything OAI2xx the repository should produce, nothing more.
EXPECTED = {
    # .env: OPENAI_ORGANIZATION is read by nothing; OPENAI_PROJECT is read by the pydantic settings
    # class and OPENAI_API_BASE by main.py, so they are fine
    ("OAI201", ".env", 2, "medium"),
    # compose: OPENAI_KEY (built service) is ignored; the dashboard runs a prebuilt image: skipped
    ("OAI201", "docker-compose.yml", 7, "medium"),
    ("OAI203", "docker-compose.yml", 6, "medium"),
    # workflow: OPENAI_ORG is ignored; the curl sends no organization although the repo pins one
    ("OAI201", ".github/workflows/ci.yml", 6, "medium"),
    ("OAI205", ".github/workflows/ci.yml", 12, "low"),
    # the service: a proj- project id, a raw request with a bare key and a misspelled org header
    # (reported once, as OAI209, not again as a request without an organization)
    ("OAI203", "service/app/main.py", 7, "medium"),
    ("OAI208", "service/app/main.py", 14, "high"),
    ("OAI209", "service/app/main.py", 15, "medium"),
    # the Next.js app: createOpenAI ignores OPENAI_ORG_ID from .env; an org name instead of an id
    ("OAI207", "web/app/api/chat/route.ts", 4, "medium"),
    ("OAI202", "web/lib/client.ts", 4, "medium"),
    # documentation: reported at info, and never as inconsistent
    ("OAI203", "README.md", 4, "info"),
    ("OAI208", "README.md", 4, "info"),
}

CHANGED = [".env", "web/app/api/chat/route.ts", ".github/workflows/ci.yml", "docker-compose.yml"]


def _oai2(result: ScanResult) -> set[tuple[str, str, int, str]]:
    return {(f.rule_id, f.path, f.line, f.severity) for f in result.findings if f.rule_id.startswith("OAI2")}


@pytest.fixture
def mixed_repo(tmp_path: Path) -> Path:
    git_init(tmp_path)
    write_tree(tmp_path, FILES)
    return tmp_path


def test_whole_repository_gives_exactly_the_expected_findings(mixed_repo: Path) -> None:
    assert _oai2(run_scan(mixed_repo)) == EXPECTED


def test_changed_files_only_give_the_same_findings_for_those_files(mixed_repo: Path) -> None:
    # The .env finding needs to know that no code reads OPENAI_ORGANIZATION but settings.py reads
    # OPENAI_PROJECT; route.ts needs the OPENAI_ORG_ID set in .env: none of those files is passed.
    got = _oai2(run_scan(mixed_repo, CHANGED))
    assert got == {e for e in EXPECTED if e[1] in CHANGED}


@pytest.mark.parametrize("path", sorted(FILES))
def test_each_file_alone_gives_its_share(mixed_repo: Path, path: str) -> None:
    assert _oai2(run_scan(mixed_repo, [path])) == {e for e in EXPECTED if e[1] == path}


def test_worker_processes_give_the_same_findings(mixed_repo: Path) -> None:
    assert _oai2(run_scan(mixed_repo, jobs=2)) == EXPECTED


def test_scanning_from_a_subdirectory_uses_the_whole_repository(mixed_repo: Path) -> None:
    got = _oai2(run_scan(mixed_repo / "web", ["app/api/chat/route.ts"]))
    assert got == {("OAI207", "app/api/chat/route.ts", 4, "medium")}
    message = next(f.message for f in run_scan(mixed_repo / "web", ["app/api/chat/route.ts"]).findings
                   if f.rule_id == "OAI207")
    assert "../.env:1" in message


def test_scanning_a_repository_from_outside_uses_that_repository(mixed_repo: Path, tmp_path_factory:
                                                                 pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run_scan(elsewhere, [str(mixed_repo / ".env")])
    assert [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("OAI2")] == [("OAI201", 2)]


def test_the_fix_makes_the_findings_go_away(mixed_repo: Path) -> None:
    write_tree(mixed_repo, {
        ".env": "".join(line for line in ENV.splitlines(keepends=True) if "ORGANIZATION" not in line),
        "web/app/api/chat/route.ts": ROUTE.replace(
            "{ apiKey: process.env.OPENAI_API_KEY }",
            "{\n  organization: process.env.OPENAI_ORG_ID,\n  project: process.env.OPENAI_PROJECT_ID,\n}"),
    })
    got = _oai2(run_scan(mixed_repo, [".env", "web/app/api/chat/route.ts"]))
    assert got == set()


def test_require_project_turns_missing_projects_into_errors(mixed_repo: Path) -> None:
    got = _oai2(run_scan(mixed_repo, options={"require-project": True}))
    # Raw requests (fetch, curl) never read OPENAI_PROJECT_ID. The compose file sets it only for the
    # "api" service, built from ./service: the service's SDK clients get it, the web app's do not.
    # createOpenAI lacks the organization from .env, which OAI207 reports; httpx has OAI209.
    assert {e for e in got if e[0] == "OAI206"} == {
        ("OAI206", ".github/workflows/ci.yml", 12, "high"),
        ("OAI206", "web/lib/client.ts", 3, "high"),
        ("OAI206", "web/lib/client.ts", 4, "high"),
        ("OAI206", "web/lib/client.ts", 7, "high"),
    }
    # OAI206 replaces OAI205 where both would apply; everything else is unchanged
    assert {e for e in got if e[0] != "OAI206"} == {e for e in EXPECTED if e[0] != "OAI205"}
