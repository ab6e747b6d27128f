"""OAI301–OAI306: retry handling, in Python, notebooks, JavaScript/TypeScript and shell.

Cases that only say where a rule reports live as annotated files in ``tests/rules/fixtures/OAI30x/``
(among them: handlers that give up are not retries, retry wrappers and loops, fixed sleeps); the tests
here check messages, columns, notebooks and what a file cannot annotate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oai_lint.findings import Finding
from tests.conftest import run_scan, write_tree
from tests.support.annotations import case_files


def scan(root: Path, files: dict[str, str], rule: str | None = None) -> list[Finding]:
    write_tree(root, files)
    result = run_scan(root)
    return [f for f in result.findings if rule is None or f.rule_id == rule]


def lines(root: Path, files: dict[str, str], rule: str) -> list[tuple[str, int]]:
    return sorted((f.path, f.line) for f in scan(root, files, rule))


TENACITY = "from tenacity import retry, stop_after_attempt, wait_random_exponential\n"
DECORATOR = "@retry(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))\n"


# == OAI301: retries turned off ==============================================================================
class TestDisabledPython:
    def test_module_client_used_in_plain_function_is_reported_at_construction(self, repo: Path) -> None:
        code = (
            "from openai import OpenAI\n\n"
            "client = OpenAI(max_retries=0)\n\n\n"
            "def ask(q):\n"
            "    return client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
        )
        found = scan(repo, {"app.py": code}, "OAI301")
        assert [(f.line, f.column) for f in found] == [(3, 17)]
        assert "OpenAI(max_retries=0)" in found[0].message
        assert "line 7" in found[0].message
        assert found[0].severity == "medium"

    def test_one_unretried_use_among_retried_ones_is_named(self, repo: Path) -> None:
        code = (
            "from openai import OpenAI\n"
            + TENACITY
            + "client = OpenAI(max_retries=0)\n"
            + DECORATOR
            + "def ask(q):\n"
            "    return client.chat.completions.create(model='m', messages=[])\n"
            "def summarize(q):\n"
            "    return client.responses.create(model='m', input=q)\n"
        )
        found = scan(repo, {"app.py": code}, "OAI301")
        assert [f.line for f in found] == [3]
        assert "line 8" in found[0].message

    def test_default_client_is_never_reported(self, repo: Path) -> None:
        code = (
            "from openai import OpenAI, AsyncOpenAI\n"
            "client = OpenAI()\n"
            "aclient = AsyncOpenAI(max_retries=3)\n"
            "r = client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
        )
        assert scan(repo, {"app.py": code}) == []

    def test_factory_function_followed_to_its_callers(self, repo: Path) -> None:
        code = (
            "import backoff, openai\n"
            "from openai import OpenAI\n"
            "def get_client():\n"
            "    return OpenAI(max_retries=0)\n"
            "@backoff.on_exception(backoff.expo, openai.RateLimitError, max_tries=5)\n"
            "def run(p):\n"
            "    return get_client().responses.create(model='m', input=p)\n"
            "def other(p):\n"
            "    c = get_client()\n"
            "    return c.responses.create(model='m', input=p)\n"
        )
        found = scan(repo, {"f.py": code}, "OAI301")
        assert [f.line for f in found] == [4]
        assert "line 10" in found[0].message

    def test_with_options_and_module_client(self, repo: Path) -> None:
        code = (
            "import openai\n"
            "from openai import OpenAI\n"
            "client = OpenAI()\n"
            "a = client.with_options(max_retries=0, timeout=5)"
            ".chat.completions.create(model='m', messages=[])\n"
            "b = client.with_options(max_retries=5).chat.completions.create(model='m', messages=[])\n"
            "openai.max_retries = 0\n"
            "c = openai.chat.completions.create(model='m', messages=[])\n"
        )
        found = scan(repo, {"m.py": code}, "OAI301")
        assert [(f.line, f.message.split(" turns")[0]) for f in found] == [
            (4, ".with_options(max_retries=0)"),
            (6, "openai.max_retries = 0"),
        ]

    def test_client_used_in_no_call_here_is_reported(self, repo: Path) -> None:
        found = scan(
            repo,
            {"clients.py": "from openai import AsyncOpenAI\nclient = AsyncOpenAI(max_retries=0)\n"},
            "OAI301",
        )
        assert len(found) == 1 and "its calls are not in this file" in found[0].message

    def test_a_truth_test_or_close_is_not_a_use(self, repo: Path) -> None:
        code = (
            "from openai import AsyncOpenAI\n"
            "class Base:\n"
            "    def __init__(self):\n"
            "        self.client = AsyncOpenAI(max_retries=0)\n"
            "    async def close(self):\n"
            "        if hasattr(self, 'client') and self.client:\n"
            "            await self.client.close()\n"
            "        if self.client is not None:\n"
            "            pass\n"
        )
        found = scan(repo, {"base.py": code}, "OAI301")
        # the requests are made elsewhere: the message must not point at the `if` as a use
        assert len(found) == 1 and "its calls are not in this file" in found[0].message

    def test_test_files_are_left_alone(self, repo: Path) -> None:
        code = "from openai import OpenAI\nclient = OpenAI(max_retries=0, base_url='http://localhost:9')\n"
        files = {"tests/test_api.py": code, "pkg/api_test.py": code, "conftest.py": code, "app/main.py": code}
        assert lines(repo, files, "OAI301") == [("app/main.py", 2)]

    def test_notebook_lines_point_into_the_ipynb(self, repo: Path) -> None:
        nb = {
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": ["# demo\n"]},
                {
                    "cell_type": "code",
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                    "source": ["from openai import OpenAI\n", "client = OpenAI(max_retries=0)\n"],
                },
                {
                    "cell_type": "code",
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                    "source": ["r = client.chat.completions.create(model='m', messages=[])"],
                },
            ],
            "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        text = json.dumps(nb, indent=1)
        found = scan(repo, {"demo.ipynb": text}, "OAI301")
        expected = next(n for n, line in enumerate(text.splitlines(), 1) if "max_retries=0" in line)
        call_line = next(n for n, line in enumerate(text.splitlines(), 1) if "chat.completions" in line)
        assert [f.line for f in found] == [expected]
        assert f"line {call_line}" in found[0].message


class TestDisabledJavaScript:
    def test_next_route_with_module_client(self, repo: Path) -> None:
        code = (
            'import OpenAI from "openai";\n\n'
            "const openai = new OpenAI({ maxRetries: 0 });\n\n"
            "export async function POST(req: Request) {\n"
            '  const c = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [] });\n'
            "  return Response.json(c);\n"
            "}\n"
        )
        found = scan(repo, {"app/api/chat/route.ts": code}, "OAI301")
        assert [(f.line, f.column) for f in found] == [(3, 29)]
        assert "line 6" in found[0].message

    def test_default_js_client_is_never_reported(self, repo: Path) -> None:
        code = (
            'import OpenAI from "openai";\nconst openai = new OpenAI();\n'
            'export const a = () => openai.chat.completions.create({ model: "m", messages: [] });\n'
        )
        assert scan(repo, {"a.ts": code, "b.tsx": code, "c.mjs": code}) == []


# == OAI302: raw HTTP ========================================================================================
class TestRawHttp:
    def test_urllib3_retry_adapter_must_allow_post_and_429(self, repo: Path) -> None:
        # where it reports: the annotations of tests/rules/fixtures/OAI302/<this test's name>/
        files = case_files("OAI302/urllib3_retry_adapter_must_allow_post_and_429")
        found = {f.path: f.message for f in scan(repo, files, "OAI302")}
        assert sorted(found) == ["int.py", "no_429.py", "no_post.py", "other_session.py"]
        assert "does not retry POST" in found["no_post.py"]
        assert "status_forcelist does not include 429" in found["no_429.py"]
        assert "only retries connection errors" in found["int.py"]

    def test_httpx_aiohttp_urllib(self, repo: Path) -> None:
        # where it reports: the annotations of tests/rules/fixtures/OAI302/httpx_aiohttp_urllib/
        found = scan(repo, case_files("OAI302/httpx_aiohttp_urllib"), "OAI302")
        assert [f.message.split(" sends")[0] for f in found] == ["c.post", "session.post", "urllib.request.urlopen"]

    def test_javascript_fetch_axios_got(self, repo: Path) -> None:
        # where it reports: the annotations of tests/rules/fixtures/OAI302/javascript_fetch_axios_got/
        found = scan(repo, case_files("OAI302/javascript_fetch_axios_got"), "OAI302")
        assert [f.message.split(" to ")[0] for f in found] == [
            "fetch sends a POST",
            "api.post sends a POST",
            "got.post sends a POST",
        ]

    def test_curl_in_scripts_dockerfiles_and_workflows(self, repo: Path) -> None:
        # shell scripts, Dockerfiles, GitHub and GitLab CI, not API docs; where it reports: the annotations of
        # tests/rules/fixtures/OAI302/curl_in_scripts_dockerfiles_and_workflows/
        found = scan(repo, case_files("OAI302/curl_in_scripts_dockerfiles_and_workflows"), "OAI302")
        assert any("POST" in f.message for f in found if f.path.endswith("smoke.yml"))

# == OAI303: pre-1.0 SDK calls ===============================================================================
def test_v0_python_calls_without_retry(repo: Path) -> None:
    code = (
        "import backoff\nimport openai\n"
        "def a():\n    return openai.ChatCompletion.create(model='m', messages=[])\n"
        "@backoff.on_exception(backoff.expo, openai.error.RateLimitError, max_tries=5)\n"
        "def b():\n    return openai.Embedding.create(model='m', input='x')\n"
        "def c():\n    return openai.chat.completions.create(model='m', messages=[])\n"
    )
    write_tree(repo, {"v0.py": code})
    # with OAI401 off, OAI303 reports the unprotected v0 call
    found = [f for f in run_scan(repo, ignore=["OAI401"]).findings if f.rule_id == "OAI303"]
    assert [(f.line, f.message.split(" comes")[0]) for f in found] == [(4, "openai.ChatCompletion.create")]
    # by default OAI401 reports it, the missing retries in its message, and OAI303 says nothing more
    result = run_scan(repo).findings
    assert not [f for f in result if f.rule_id == "OAI303"]
    calls = {f.line: f.message for f in result if f.rule_id == "OAI401"}
    assert "no retry handling" in calls[4] and "no retry handling" not in calls[7]


# == OAI304–OAI306: anti-patterns ============================================================================
class TestAntiPatterns:
    CALL = "client.chat.completions.create(model='m', messages=[])"

    def test_unrelated_loops_are_not_retry_code(self, repo: Path) -> None:
        code = (
            "import time, sqlite3\n"
            "def poll(db):\n    while True:\n        try:\n            return db.execute('select 1')\n"
            "        except sqlite3.OperationalError:\n            time.sleep(1)\n"
        )
        assert scan(repo, {"db.py": code}) == []

    def test_quota_not_checked(self, repo: Path) -> None:
        # where it reports: the annotations of tests/rules/fixtures/OAI306/quota_not_checked/
        found = scan(repo, case_files("OAI306/quota_not_checked"), "OAI306")
        assert [f.path for f in found] == ["unchecked.py"]
        assert found[0].severity == "info" and "RateLimitError" in found[0].message

    def test_tenacity_configurations(self, repo: Path) -> None:
        head = (
            "import openai\nfrom openai import OpenAI\n"
            "from tenacity import (Retrying, retry, retry_if_exception,"
            " retry_if_exception_type, stop_after_attempt, stop_never, wait_fixed, wait_random,"
            " wait_random_exponential)\nclient = OpenAI()\n"
        )
        body = f"def f():\n    return {self.CALL}\n"
        files = {
            "no_stop.py": head
            + "@retry(wait=wait_random_exponential(max=60), retry=retry_if_exception(ok))\n"
            + body,
            "never.py": head + "@retry(stop=stop_never, wait=wait_random_exponential(max=60), "
            "retry=retry_if_exception(ok))\n" + body,
            "fixed.py": head + "@retry(stop=stop_after_attempt(3), wait=wait_fixed(2), "
            "retry=retry_if_exception(ok))\n" + body,
            "bare.py": head + "@retry\n" + body,
            "types.py": head + "@retry(wait=wait_random_exponential(max=9), "
            "retry=retry_if_exception_type(openai.RateLimitError))\n" + body,
            # bounded: a quota error ends after three attempts (OAI306 speaks only of endless retries)
            "types_bounded.py": head + "@retry(stop=stop_after_attempt(3), wait=wait_random_exponential(max=9), "
            "retry=retry_if_exception_type(openai.RateLimitError))\n" + body,
            # instructor re-asks the model on validation errors with the Retrying it is given: not 429 handling
            "reask.py": head + "import instructor\nreask = Retrying(stop=stop_after_attempt(2), wait=wait_fixed(1))\n"
            "def h():\n    return instructor.from_openai(client).chat.completions.create(model='m', messages=[], "
            "max_retries=reask)\n"
            "def i():\n    return instructor.from_openai(client).chat.completions.create(model='m', messages=[], "
            "max_retries=Retrying(stop=stop_after_attempt(3), wait=wait_fixed(1)))\n",
            "good.py": head + "@retry(stop=stop_after_attempt(6), wait=wait_random_exponential(max=60), "
            "retry=retry_if_exception(ok))\n" + body,
            "combo.py": head + "@retry(stop=stop_after_attempt(6), wait=wait_fixed(1) + wait_random(0, 2), "
            "retry=retry_if_exception(ok))\n" + body,
            "retrying.py": head
            + "def g():\n    for a in Retrying(wait=wait_fixed(1), stop=stop_after_attempt(2),"
            " retry=retry_if_exception(ok)):\n        with a:\n"
            f"            {self.CALL}\n",
            "db.py": "from tenacity import retry\n@retry\ndef f():\n    return db.query()\n",
        }
        result = {
            (f.rule_id, f.path) for f in scan(repo, files) if f.rule_id in {"OAI304", "OAI305", "OAI306"}
        }
        assert result == {
            ("OAI305", "no_stop.py"),
            ("OAI305", "never.py"),
            ("OAI304", "fixed.py"),
            ("OAI304", "bare.py"),
            ("OAI305", "bare.py"),
            ("OAI306", "bare.py"),
            ("OAI306", "types.py"),
            ("OAI305", "types.py"),
            ("OAI304", "retrying.py"),
        }

    def test_backoff_configurations(self, repo: Path) -> None:
        head = "import backoff, openai\nfrom openai import OpenAI\nclient = OpenAI()\n"
        body = f"def f():\n    return {self.CALL}\n"
        files = {
            "forever.py": head
            + "@backoff.on_exception(backoff.expo, openai.RateLimitError, giveup=fatal)\n"
            + body,
            "constant.py": head
            + "@backoff.on_exception(backoff.constant, openai.RateLimitError, max_tries=5, "
            "jitter=None, giveup=fatal)\n" + body,
            "no_giveup.py": head
            + "@backoff.on_exception(backoff.expo, openai.RateLimitError, max_tries=5)\n"
            + body,
            "no_giveup_forever.py": head
            + "@backoff.on_exception(backoff.expo, openai.RateLimitError)\n"
            + body,
            "good.py": head + "@backoff.on_exception(backoff.expo, openai.RateLimitError, max_tries=5, "
            "giveup=fatal)\n" + body,
        }
        result = {
            (f.rule_id, f.path) for f in scan(repo, files) if f.rule_id in {"OAI304", "OAI305", "OAI306"}
        }
        assert result == {("OAI305", "forever.py"), ("OAI304", "constant.py"), ("OAI305", "no_giveup_forever.py"),
                          ("OAI306", "no_giveup_forever.py")}

    def test_javascript_loops_and_libraries(self, repo: Path) -> None:
        head = (
            'import OpenAI from "openai";\nimport pRetry from "p-retry";\n'
            "const openai = new OpenAI({ maxRetries: 0 });\nconst sleep = (ms) => new Promise((r) => "
            "setTimeout(r, ms));\nconst DELAY = 500;\n"
        )
        call = 'await openai.chat.completions.create({ model: "m", messages: [] })'
        files = {
            "fixed.js": head + "export async function a() {\n  for (let i = 0; i < 3; i++) {\n"
            f"    try {{ return {call}; }} catch (e) {{\n      if (e.code === 'x') throw e;\n"
            "      await sleep(DELAY);\n    }\n  }\n}\n",
            "forever.js": head + "export async function b() {\n  while (true) {\n"
            f"    try {{ return {call}; }} catch (err) {{\n      await sleep(2 ** n++ * 100);\n"
            "    }\n  }\n}\n",
            "lib.js": head
            + f"export const c = () => pRetry(async () => {call}, {{ forever: true, factor: 1 }});\n",
            "good.js": head
            + f"export const d = () => pRetry(async () => {call}, {{ retries: 5, shouldRetry: "
            "(e) => e.code !== 'x' }});\n",
            "items.js": head
            + "export async function e(items) {\n  for (let i = 0; i < items.length; i++) {\n"
            "    try { await openai.embeddings.create({ input: items[i] }); } "
            "catch (e) { await sleep(1000); }\n  }\n}\n",
        }
        result = sorted(
            (f.rule_id, f.path, f.line)
            for f in scan(repo, files)
            if f.rule_id in {"OAI304", "OAI305", "OAI306"}
        )
        assert result == [
            ("OAI304", "fixed.js", 10),
            ("OAI304", "lib.js", 6),
            ("OAI305", "forever.js", 7),
            ("OAI305", "lib.js", 6),
            ("OAI306", "forever.js", 8),
            ("OAI306", "lib.js", 6),
        ]


@pytest.mark.parametrize("kind", ["py", "ts", "ipynb"])
def test_bad_input_never_crashes(repo: Path, kind: str) -> None:
    broken = {
        "py": "from openai import OpenAI\nclient = OpenAI(max_retries=0\ndef f(:\n",
        "ts": 'import OpenAI from "openai";\nconst c = new OpenAI({ maxRetries: 0 ;\nfunction (',
        "ipynb": '{"cells": [{"cell_type": "code", '
        '"source": ["import openai\\n", "openai.Completion.create(("]}',
    }[kind]
    deep = "import openai\nx = " + "(" * 300 + "openai.ChatCompletion" + ")" * 300 + "\n"
    nested = "import openai\n" + "".join("    " * i + "if x:\n" for i in range(90)) + "    " * 90 + "pass\n"
    write_tree(repo, {f"broken.{kind}": broken, "deep.py": deep, "nested.py": nested})
    result = run_scan(repo)
    assert not [n for n in result.notes if n.kind == "error"]
    assert any(n.path == f"broken.{kind}" for n in result.notes) or kind == "ts"


class TestSettingsReadsAreNotRequests:
    """Reading a client's key or base URL (to build a raw request, or to log it) sends nothing: only calls
    through the client need retry handling (OAI301)."""

    def test_python_call_next_to_a_settings_read_is_still_reported(self, repo: Path) -> None:
        code = (
            "from openai import OpenAI\n\n"
            "client = OpenAI(max_retries=0)\n\n\n"
            "def ask(q):\n"
            "    print(client.base_url)\n"
            "    return client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
        )
        found = scan(repo, {"app.py": code}, "OAI301")
        assert [(f.line, "line 8" in f.message) for f in found] == [(3, True)]

