"""OAI405 (shut-down models), OAI406 (announced shutdowns) and OAI407 (shut-down endpoints) on a pinned date:
every announcement of the table, where an id counts as used, and the ``as-of`` option."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from oai_lint.analysis import deprecations
from oai_lint.analysis.deprecations import ANNOUNCED, NOT_LISTED, SHUT_DOWN
from oai_lint.findings import Finding
from tests.conftest import run_scan, write_tree

AS_OF = "2026-12-05"
LIVE = ("gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "text-embedding-3-small")
RULES = ("OAI405", "OAI406", "OAI407")


def scan(root: Path, files: dict[str, str], as_of: str = AS_OF) -> list[Finding]:
    write_tree(root, files)
    result = run_scan(root, options={"as-of": as_of})
    return sorted(f for f in result.findings if f.rule_id in RULES)


def _used_id(entry: deprecations.Entry) -> str:
    """How code names a model of the entry: the id, a fine-tuned model of the base, a legacy fine-tune."""
    if entry.match == "fine-tuned":
        return f"ft:{entry.base}:acme::8Xy1ab2C"
    if entry.match == "legacy-fine-tuned":
        return f"{entry.base}:ft-acme-2023-03-31-01-09-15"
    return entry.id


def _model_ids() -> list[str]:
    ids = {_used_id(e) for e in deprecations.table().entries if e.kind == "model"}
    return sorted(ids)


@pytest.mark.parametrize("as_of", ["2026-12-05", "2026-09-01", "2024-01-01"])
def test_every_announced_model_is_reported_with_its_date_and_replacement(tmp_path: Path, as_of: str) -> None:
    ids = _model_ids()
    code = "from openai import OpenAI\nclient = OpenAI()\n" + "".join(
        f'r{n} = client.chat.completions.create(model="{ident}", messages=[])\n' for n, ident in enumerate(ids)
    )
    found = scan(tmp_path, {"app.py": code}, as_of)
    by_line = {f.line: f for f in found}
    day = datetime.date.fromisoformat(as_of)
    reported = 0
    for n, ident in enumerate(ids):
        want = deprecations.lookup(ident, day)
        got = by_line.get(n + 3)
        if want.status == NOT_LISTED:
            assert got is None, f"{ident} is not yet announced on {as_of}: {got}"
            continue
        assert got is not None, f"{ident} ({want.status} on {as_of}) is not reported"
        reported += 1
        assert want.entry is not None
        assert got.message.startswith(f"{ident} "), got.message
        assert want.entry.shutdown.isoformat() in got.message
        if want.replacement is not None and want.replacement.id is not None:
            assert f"replacement is {want.replacement.id}" in got.message
        if want.status == SHUT_DOWN:
            assert got.rule_id == "OAI405" and got.severity == "high"
        else:
            assert want.status == ANNOUNCED and got.rule_id == "OAI406"
            days = (want.entry.shutdown - day).days
            assert f"({days} days after {as_of})" in got.message
            assert got.severity == ("medium" if days <= 90 else "low")
        if want.entry.third_party:
            assert "translated copies" in got.message
    assert reported == len(found)
    if as_of == "2026-12-05":
        assert reported == len(ids)  # every announcement of the table is known by then


def test_known_facts_on_a_pinned_date(tmp_path: Path) -> None:
    code = (
        "from openai import OpenAI\nclient = OpenAI()\n"
        "a = client.chat.completions.create(model='gpt-4-32k', messages=[])\n"
        "b = client.completions.create(model='text-davinci-003', prompt='x')\n"
        "c = client.audio.transcriptions.create(model='whisper-1', file=f)\n"
        "d = client.chat.completions.create(model='gpt-4', messages=[])\n"
        "e = client.audio.speech.create(model='tts-1', voice='alloy', input='hi')\n"
        "f = client.chat.completions.create(model='gpt-realtime-2025-08-28', messages=[])\n"
    )
    msgs = {f.line: (f.rule_id, f.severity, f.message) for f in scan(tmp_path, {"app.py": code})}
    assert msgs[3][0] == "OAI405" and "on 2025-06-06" in msgs[3][2] and "replacement is gpt-4o" in msgs[3][2]
    # text-davinci-003 -> gpt-3.5-turbo-instruct (shut down 2026-09-28) -> gpt-5.6-terra
    assert "on 2024-01-04" in msgs[4][2] and "gpt-5.6-terra" in msgs[4][2]
    assert "gpt-3.5-turbo-instruct" in msgs[4][2]
    assert msgs[5][:2] == ("OAI406", "medium") and "on 2027-02-26 (83 days after 2026-12-05)" in msgs[5][2]
    assert msgs[6][0] == "OAI405" and "on 2026-10-23" in msgs[6][2] and "gpt-5.6-sol" in msgs[6][2]
    assert msgs[7][0] == "OAI406" and "translated copies" in msgs[7][2]  # a third-party row
    assert msgs[8][0] == "OAI406" and "gpt-realtime-2.1" in msgs[8][2]  # a dated snapshot of a family
    before = {f.line: f.rule_id for f in scan(tmp_path, {"app.py": code}, "2026-09-01")}
    assert before[6] == "OAI406" and 7 not in before  # gpt-4 still live; tts-1 not announced yet


@pytest.mark.parametrize("as_of", ["2026-12-05", "2031-01-01"])
def test_live_models_are_never_reported(tmp_path: Path, as_of: str) -> None:
    files = {
        "app.py": "from openai import OpenAI\nclient = OpenAI()\n"
        + "".join(f"x{n} = client.chat.completions.create(model='{m}', messages=[])\n" for n, m in enumerate(LIVE))
        + "".join(f"MODEL_{n} = '{m}'\n" for n, m in enumerate(LIVE)),
        "web/a.ts": "".join(f'const model{n} = "{m}";\n' for n, m in enumerate(LIVE)),
        "config.yaml": "".join(f"model_{n}: {m}\n" for n, m in enumerate(LIVE)),
        ".env": "".join(f"OPENAI_MODEL_{n}={m}\n" for n, m in enumerate(LIVE)),
    }
    assert scan(tmp_path, files, as_of) == []


def test_ids_that_reach_no_request_are_not_reported(tmp_path: Path) -> None:
    files = {
        "types.py": "from typing import Literal\n"
        "ChatModel = Literal['gpt-4', 'gpt-3.5-turbo']\n"
        "DEPRECATED_MODELS = ['gpt-4-32k', 'text-davinci-003']\n"
        "VISION_MODELS = {'gpt-4-vision-preview'}\n"
        "LIMITS = {'gpt-4': 8192}\n"
        "def num_tokens(text, model='gpt-3.5-turbo-0301'):\n    pass\n"
        "class TokenCounter:\n    def __init__(self, model='gpt-4'):\n        pass\n"
        "if model == 'gpt-4':\n    pass\n"
        "match name:\n    case 'gpt-4':\n        normalized_model = 'gpt-4'\n",
        "web/models.ts": 'export type Model = "gpt-4" | "gpt-3.5-turbo";\n'
        'export const MODELS = ["gpt-4", "gpt-3.5-turbo"];\n'
        'if (model === "gpt-4") {}\n',
        "schema.json": json.dumps({"properties": {"model": {"enum": ["gpt-4", "gpt-3.5-turbo"]}}}, indent=2),
        "catalog.yaml": "models:\n  gpt-4:\n    context: 8192\n",
        "notes/release.yaml": 'notes: |\n  agent = Agent(OpenAIChatGenerator(model="gpt-4"))\n',
        "tests/test_app.py": "client.chat.completions.create(model='gpt-4', messages=[])\n",
        "src/IntegrationTests/testsettings.json": json.dumps({"OpenAI": {"ModelId": "gpt-4"}}),
        "assist.py": "from openai.types.beta.threads import Message\n"
        "# client.beta.assistants.create(model='gpt-4o') is gone\n",
    }
    assert [(f.path, f.line) for f in scan(tmp_path, files)] == []


def test_uses_in_code_and_configuration(tmp_path: Path) -> None:
    files = {
        "app.py": "import os\nfrom openai import OpenAI\nimport dspy\nclient = OpenAI()\n"
        "MODEL = os.getenv('OPENAI_MODEL', 'gpt-4-0613')\n"
        "def ask(q, model='gpt-4-32k'):\n    return client.chat.completions.create(model=model, messages=[])\n"
        "fallback = 'gpt-4'\nclient.chat.completions.create(model=fallback, messages=[])\n"
        "lm = dspy.LM('openai/gpt-4.1-nano')\n"
        "ft = client.chat.completions.create(model='ft:gpt-3.5-turbo-0613:acme::8abc', messages=[])\n",
        "web/chat.ts": 'const model = process.env.OPENAI_MODEL || "gpt-3.5-turbo";\n'
        'await openai.chat.completions.create({ model: "gpt-4-turbo", messages });\n',
        "config.yaml": "llm:\n  model: gpt-4-0314  # pinned\n",
        ".env": "OPENAI_MODEL=gpt-realtime-2025-08-28\n",
        "run.sh": "python app.py --model gpt-4\n",
    }
    got = [(f.path, f.line, f.rule_id) for f in scan(tmp_path, files)]
    assert got == [
        (".env", 1, "OAI406"),
        ("app.py", 5, "OAI405"),
        ("app.py", 6, "OAI405"),
        ("app.py", 8, "OAI405"),
        ("app.py", 10, "OAI405"),
        ("app.py", 11, "OAI405"),
        ("config.yaml", 2, "OAI405"),
        ("run.sh", 1, "OAI405"),
        ("web/chat.ts", 1, "OAI405"),
        ("web/chat.ts", 2, "OAI405"),
    ]


def test_endpoints_and_beta_headers(tmp_path: Path) -> None:
    files = {
        "calls.sh": "curl https://api.openai.com/v1/engines\n"
        "curl https://api.openai.com/v1/edits -d @body.json\n"
        "curl https://api.openai.com/v1/fine-tunes -d @ft.json\n"
        'curl -X POST https://api.openai.com/v1/fine_tuning/jobs -d "{}"\n'
        "curl https://api.openai.com/v1/fine_tuning/jobs\n"
        'curl https://api.openai.com/v1/models -H "OpenAI-Beta: realtime=v1"\n',
        "assistant.py": "from openai import OpenAI\nclient = OpenAI()\n"
        "a = client.beta.assistants.create(model='gpt-4o')\n"
        "t = client.beta.threads.create()\n"
        "j = client.fine_tuning.jobs.create(model='gpt-4o-mini-2024-07-18', training_file='f')\n"
        "s = client.fine_tuning.jobs.list()\n",
        "web/rt.ts": 'const ws = new WebSocket(url, { headers: { "OpenAI-Beta": "assistants=v2" } });\n',
        # a client a wrapper builds: the file never names openai in lower case
        "agent.py": "client = AzureAssistantAgent.create_client()\n"
        "definition = await client.beta.assistants.create(model=deployment)\n",
    }
    got = {(f.path, f.line): (f.rule_id, f.message) for f in scan(tmp_path, files)}
    assert sorted(got) == [
        ("agent.py", 2), ("assistant.py", 3), ("assistant.py", 4), ("assistant.py", 5),
        ("calls.sh", 1), ("calls.sh", 2), ("calls.sh", 3), ("calls.sh", 4), ("calls.sh", 6),
        ("web/rt.ts", 1),
    ]
    assert got[("calls.sh", 1)][0] == "OAI407" and "2022-12-03" in got[("calls.sh", 1)][1]
    assert "replacement is /v1/models" in got[("calls.sh", 1)][1]
    assert "2024-01-04" in got[("calls.sh", 3)][1] and "/v1/fine_tuning/jobs" in got[("calls.sh", 3)][1]
    assert got[("calls.sh", 4)][0] == "OAI406" and "2027-01-06" in got[("calls.sh", 4)][1]
    assert got[("assistant.py", 5)][0] == "OAI406"
    assert got[("assistant.py", 3)][0] == "OAI407" and "Responses API" in got[("assistant.py", 3)][1]
    assert "Realtime API" in got[("calls.sh", 6)][1] and "2026-05-12" in got[("calls.sh", 6)][1]
    assert got[("web/rt.ts", 1)][0] == "OAI407"  # assistants=v2 is the Assistants API, shut down 2026-08-26
    earlier = {(f.path, f.line): f.rule_id for f in scan(tmp_path, files, "2026-06-01")}
    assert earlier[("assistant.py", 3)] == "OAI406" and earlier[("calls.sh", 1)] == "OAI407"


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oai_lint", "check", ".", "--format", "json", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def test_as_of_option_and_config_key(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "client.chat.completions.create(model='gpt-4', messages=[])\n"})
    rules = lambda proc: [f["rule_id"] for f in json.loads(proc.stdout)["findings"]]  # noqa: E731
    assert rules(_cli(tmp_path, "--as-of", "2026-12-05")) == ["OAI405"]
    assert rules(_cli(tmp_path, "--as-of", "2026-09-01")) == ["OAI406"]
    assert rules(_cli(tmp_path, "--as-of", "2026-01-01")) == []
    (tmp_path / ".oai-lint.yaml").write_text("as-of: 2026-09-01\n")  # an unquoted YAML date
    assert rules(_cli(tmp_path)) == ["OAI406"]
    assert rules(_cli(tmp_path, "--as-of", "2026-12-05")) == ["OAI405"]  # the option wins
    bad = _cli(tmp_path, "--as-of", "05/12/2026")
    assert bad.returncode == 2 and "not a date such as 2026-12-05" in bad.stderr
    (tmp_path / ".oai-lint.yaml").write_text("as-of: 'tomorrow'\n")
    bad = _cli(tmp_path)
    assert bad.returncode == 2 and "as-of" in bad.stderr
