"""The detect-secrets plugin finds the formats detect-secrets 1.5 misses, through detect-secrets itself."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.keygen import FORMATS, make_key

pytest.importorskip("detect_secrets")


def test_plugin_through_the_detect_secrets_cli(tmp_path: Path) -> None:
    import oai_lint.integrations.detect_secrets_plugin as plugin

    rng = random.Random(11)
    keys = [make_key(f, rng) for f in FORMATS]
    (tmp_path / "keys.py").write_text(
        "".join(f'k{i} = "{k}"\n' for i, k in enumerate(keys))
        + 'placeholder = "sk-proj-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx"\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--no-verify", "--disable-plugin", "OpenAIDetector",
         "--plugin", plugin.__file__, "keys.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)["results"]["keys.py"]
    ours = sorted(r["line_number"] for r in results if r["type"] == "OpenAI API Key (oai-lint)")
    assert ours == list(range(1, len(keys) + 1))


def test_a_key_passed_to_the_client_needs_the_indirect_reference_filter_off(tmp_path: Path) -> None:
    """detect-secrets' own ``is_indirect_reference`` filter drops ``OpenAI(api_key="sk-…")`` lines before
    any plugin sees them (issue 14, defect 9): the README's command turns that filter off."""
    import oai_lint.integrations.detect_secrets_plugin as plugin

    key = make_key("proj164", random.Random(5))
    (tmp_path / "app.py").write_text(f'from openai import OpenAI\n\nclient = OpenAI(api_key="{key}")\n')
    base = [sys.executable, "-m", "detect_secrets", "scan", "--no-verify", "--plugin", plugin.__file__, "app.py"]

    def lines(*extra: str) -> list[int]:
        proc = subprocess.run([*base, *extra], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              check=False)
        assert proc.returncode == 0, proc.stderr
        results = json.loads(proc.stdout)["results"].get("app.py", [])
        return [r["line_number"] for r in results if r["type"] == "OpenAI API Key (oai-lint)"]

    assert lines() == []  # the filter at work
    assert lines("--disable-filter", "detect_secrets.filters.heuristic.is_indirect_reference") == [3]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "--disable-filter detect_secrets.filters.heuristic.is_indirect_reference" in readme
