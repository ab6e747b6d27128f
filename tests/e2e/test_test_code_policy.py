"""What applies in test code (oai_lint.testcode): by default a real-looking key and removed-SDK code are
reported there, org/project, retry, browser-client and model-id rules are not; the `test-code` table of the
configuration changes it per rule or prefix."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from oai_lint.config import ConfigError, load
from tests.conftest import git_init, run_scan, write_tree
from tests.e2e.test_cli import cli
from tests.support.keygen import make_key

KEY = make_key("proj164", random.Random(12))

TEST_FILE = (
    "import time\n"
    "import openai\n"
    "from openai import OpenAI\n"
    f"KEY = \"{KEY}\"\n"
    "client = OpenAI(organization='org-client', project='proj-client')\n"
    "def test_retry_loop():\n"
    "    for attempt in range(3):\n"
    "        try:\n"
    "            return client.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
    "        except openai.RateLimitError:\n"
    "            time.sleep(5)\n"
    "def test_old_sdk():\n"
    "    return openai.Completion.create(model='gpt-3.5-turbo-instruct', prompt='x')\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git_init(tmp_path)
    write_tree(tmp_path, {"tests/test_client.py": TEST_FILE, "app/client.py": TEST_FILE.replace(KEY, "")})
    return tmp_path


def _rules(findings: list, path: str) -> set[str]:
    return {f.rule_id for f in findings if f.path == path}


def test_default_reports_keys_and_removed_api_in_tests_and_everything_elsewhere(repo: Path) -> None:
    found = run_scan(repo).findings
    in_tests = _rules(found, "tests/test_client.py")
    assert "OAI101" in in_tests and "OAI401" in in_tests
    assert not in_tests & {"OAI203", "OAI304", "OAI205"}
    assert {"OAI203", "OAI304", "OAI401"} <= _rules(found, "app/client.py")


def test_the_configuration_reports_a_family_in_tests_or_skips_a_rule(repo: Path) -> None:
    (repo / ".oai-lint.toml").write_text('[test-code]\nOAI3 = "report"\nOAI401 = "skip"\n')
    _, out, _ = cli(repo, "--format", "json", ".")
    found = {(f["rule_id"], f["path"]) for f in json.loads(out)["findings"]}
    assert ("OAI304", "tests/test_client.py") in found
    assert ("OAI401", "tests/test_client.py") not in found
    assert ("OAI101", "tests/test_client.py") in found
    assert ("OAI203", "tests/test_client.py") not in found  # OAI2 keeps its default


def test_all_report_makes_tests_like_other_code(repo: Path) -> None:
    found = run_scan(repo, test_code={"ALL": "report"}).findings
    assert {"OAI203", "OAI304", "OAI401", "OAI101"} <= _rules(found, "tests/test_client.py")


def test_a_suppression_of_a_rule_skipped_in_tests_is_not_unused(repo: Path) -> None:
    write_tree(repo, {"tests/test_models.py": (
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "def test_it():\n"
        "    client.chat.completions.create(model='m', messages=[])  # oai-lint: ignore[OAI304] recorded\n"
    )})
    found = run_scan(repo).findings
    assert not [f for f in found if f.rule_id == "OAI001" and f.path == "tests/test_models.py"]


def test_a_bad_value_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / ".oai-lint.toml").write_text('[test-code]\nOAI3 = "ignore"\n')
    with pytest.raises(ConfigError, match="test-code"):
        load(None, str(tmp_path))
    (tmp_path / ".oai-lint.toml").write_text('[test-code]\nretries = "skip"\n')
    with pytest.raises(ConfigError, match="test-code"):
        load(None, str(tmp_path))


def test_model_ids_in_tests_follow_the_configuration(repo: Path) -> None:
    """OAI405 in test code is the test-code policy's to decide (skipped by default), not the model-use
    analysis's: with `OAI405 = "report"` a shut-down model that a test sends is reported."""
    write_tree(repo, {"IntegrationTests/test_chat.py": (
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "def test_it():\n"
        "    client.chat.completions.create(model='text-davinci-003', messages=[])\n"
    )})
    assert "OAI405" not in _rules(run_scan(repo, options={"as-of": "2026-12-05"}).findings,
                                  "IntegrationTests/test_chat.py")
    reported = run_scan(repo, options={"as-of": "2026-12-05"}, test_code={"OAI405": "report"}).findings
    assert "OAI405" in _rules(reported, "IntegrationTests/test_chat.py")
