"""rules/retired-models.yaml: valid against its schema, reachable through the byte triggers, loaded lazily."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from oai_lint import retired_models
from oai_lint.ruleset import rule_ids
from oai_lint.ruleset.load import load_yaml_file, rules_dir
from tests.conftest import run_scan, write_tree

DATA = rules_dir() / retired_models.DATA_FILE
SCHEMA = json.loads((rules_dir() / retired_models.SCHEMA_FILE).read_text())


def test_data_file_matches_its_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator(SCHEMA).validate(load_yaml_file(DATA))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("shutdown", "January 4, 2024"),
        ("shutdown", "2024-13-01"),
        ("source", "https://example.com/deprecations"),
        ("evidence", []),
        ("replacement", "GPT 4"),
    ],
)
def test_schema_rejects_bad_entries(field: str, value: object) -> None:
    data = load_yaml_file(DATA)
    data["models"][0][field] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(data)


def test_schema_requires_the_core_fields() -> None:
    data = load_yaml_file(DATA)
    for field in ("model", "shutdown", "replacement", "source", "evidence"):
        broken = json.loads(json.dumps(data))
        del broken["models"][0][field]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft7Validator(SCHEMA).validate(broken)


def test_every_model_is_reachable_through_a_trigger() -> None:
    words = {t.strip(b"\"': =").decode() for t in retired_models.TRIGGERS}
    for model in retired_models.table():
        assert any(w in model for w in words), f"{model} contains no OAI405 trigger; add one"


def test_entries_are_unique_and_sourced() -> None:
    raw = load_yaml_file(DATA)["models"]
    names = [m["model"] for m in raw]
    assert len(names) == len(set(names))
    for entry in retired_models.table().values():
        assert entry.source.startswith("https://platform.openai.com/docs/deprecations")
        if entry.shutdown is None or entry.replacement is None:
            assert entry.note, f"{entry.model}: an unverified field needs a note saying so"


def test_replacements_lead_to_a_model_that_is_not_retired() -> None:
    table = retired_models.table()
    for entry in table.values():
        final = retired_models.replacement(entry)
        assert final is None or final not in table
    chained = next(m for m in table.values() if m.replacement and m.replacement in table)
    final = retired_models.replacement(chained)
    assert final is not None and final != chained.replacement


def test_the_data_file_is_not_a_rule() -> None:
    assert all(rid.startswith("OAI") for rid in rule_ids())
    assert "retired-models" not in rule_ids()


def test_table_is_loaded_only_when_a_file_names_a_candidate(repo: Path) -> None:
    retired_models.table.cache_clear()
    retired_models.pattern.cache_clear()
    write_tree(
        repo, {"app.py": "from openai import OpenAI\nclient = OpenAI()\n", "conf.yaml": "model: gpt-4o\n"}
    )
    assert run_scan(repo).findings == []
    assert retired_models.table.cache_info().currsize == 0
    write_tree(repo, {"old.py": "MODEL = 'text-davinci-003'\n"})
    assert [f.rule_id for f in run_scan(repo).findings] == ["OAI405"]
    assert retired_models.table.cache_info().currsize == 1
