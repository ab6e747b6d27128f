"""rules/drafts/: rule files whose checks are not written yet. They are not loaded, but they must be valid
rule files with ids of their own, so that moving one to rules/ is all it takes to load it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from oai_lint.ruleset import rule_ids
from oai_lint.ruleset.load import load_yaml_file, rule_files, rules_dir

DRAFTS = sorted((rules_dir() / "drafts").glob("OAI*.yaml"))
SCHEMA = json.loads((rules_dir() / "rule.schema.json").read_text())


def test_drafts_are_not_loaded() -> None:
    assert not {p.stem for p in DRAFTS} & set(rule_ids())
    assert not {p.stem for p in DRAFTS} & set(rule_files())


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_draft_is_a_valid_rule_file(path: Path) -> None:
    data = load_yaml_file(path)
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    assert data["id"] == path.stem
    assert "Sources:" in data.get("notes", ""), "each draft names the sources of its claims"
    for example in data["examples"]["bad"]:
        assert example.get("lines"), f"{path.stem}: a bad example says which lines it expects"
