"""No network, proven: a full scan with every rule, in every output format, serial and with worker
processes, under an audit hook (PEP 578) that ends the process on the first socket event of any kind
(creation, connect, bind, name lookup) and records every program started.

The tree holds every rule's documented examples (rules/*.yaml, so rules added later are covered),
generated keys in several file kinds, a configuration file, and the tests check that every
registered check really ran.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
import yaml

from oai_lint.checks import registry
from oai_lint.ruleset.load import all_rules
from tests.conftest import git_init, write_tree
from tests.support.hostile_support import NETWORK_EXIT, assert_no_leak, fake_key, output_formats, run_cli

RNG = random.Random(404)


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("offline") / "repo"
    root.mkdir()
    git_init(root)
    files: dict[str, str | bytes] = {}
    for rule in all_rules():
        for kind, examples in (("bad", rule.bad), ("good", rule.good)):
            for n, ex in enumerate(examples):
                base = f"examples/{rule.id}/{kind}{n}"
                files[f"{base}/{ex.path}"] = ex.code
                for rel, content in ex.files.items():
                    files[f"{base}/{rel}"] = content
    keys = [fake_key(RNG, shape) for shape in ("proj164", "admin133", "legacy", "named")]
    files.update(
        {
            "src/app.py": f"from openai import OpenAI\nclient = OpenAI(api_key='{keys[0]}')\n",
            "web/client.ts": (
                f"const c = new OpenAI({{ apiKey: '{keys[1]}',\n  dangerouslyAllowBrowser: true }});\n"
            ),
            "notebooks/a.ipynb": json.dumps(
                {"cells": [{"cell_type": "code", "source": [f"k = '{keys[2]}'\n"]}]}
            ),
            "deploy/values.yaml": yaml.safe_dump({"env": {"OPENAI_API_KEY": keys[3]}}),
            "docs/setup.md": "Set `OPENAI_API_KEY` in your environment.\n",
            f"backup/{keys[0]}.txt": "a key as a file name\n",
            ".oai-lint.yaml": yaml.safe_dump(
                {
                    "exclude": ["vendor/"],
                    "severity": {"OAI104": "high"},
                    "per-file-ignores": {"docs/*.md": ["OAI1"]},
                    "require-reason": False,
                }
            ),
        }
    )
    write_tree(root, files)
    return root, keys


@pytest.mark.parametrize("fmt", output_formats())
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_full_scan_opens_no_socket(
    everything: tuple[Path, list[str]], fmt: str, jobs: str, tmp_path: Path
) -> None:
    root, keys = everything
    spawned, calls = tmp_path / "spawned.log", tmp_path / "calls.log"
    r = run_cli(
        root,
        ".",
        "--select",
        "ALL",
        "--format",
        fmt,
        "-j",
        jobs,
        probe=("--audit", str(spawned), "--calls", str(calls)),
        timeout=120,
        memory=1 << 30,
    )
    assert r.code != NETWORK_EXIT and "NETWORK" not in r.stderr, r.stderr
    assert r.code == 1, (r.code, r.stderr)  # it ran to the end, and found the keys
    assert "Traceback" not in r.stderr
    assert_no_leak(r.stdout + r.stderr, keys)
    # every check ran (its triggers are in its rule's examples)
    ran = set(calls.read_text().split())
    assert {c.name for c in registry()} <= ran
    # the only program started is git (listing files, asking whether a .env file is ignored)
    started = [json.loads(line) for line in spawned.read_text().splitlines()] if spawned.exists() else []
    assert started and {os.path.basename(program) for _, program, _ in started} == {"git"}, started


def test_the_hook_does_catch_a_socket(tmp_path: Path) -> None:
    """The audit hook is not asleep: a check that opens a socket ends the scan with exit 97."""
    (tmp_path / ".oai-lint.toml").write_text("")
    (tmp_path / "a.py").write_text("x = 1\n")
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(
        "import socket\n"
        "from oai_lint import checks\n"
        "checks.full_registry()\n"
        "@checks.check('OAI101')\n"
        "def phone_home(source, ctx):\n"
        "    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()\n"
        "    return []\n"
    )
    r = run_cli(
        tmp_path,
        ".",
        probe=("--audit", str(tmp_path / "spawned.log")),
        timeout=60,
        memory=1 << 30,
        env={"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])},
    )
    assert r.code == NETWORK_EXIT and "NETWORK socket.__new__" in r.stderr, (r.code, r.stderr)
