"""Every rule file is valid, has a check, and its examples behave as documented (semgrep-rules style)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from oai_lint.checks import full_registry
from oai_lint.ruleset import FAMILIES
from oai_lint.ruleset.load import Example, all_rules, get_rule, load_yaml_file, rule_files, rules_dir
from oai_lint.suppress.meta import META_RULES
from tests.conftest import git_init, run_scan, write_tree

SCHEMA = json.loads((rules_dir() / "rule.schema.json").read_text())
RULE_FILES = sorted(rules_dir().glob("OAI*.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_matches_schema(path: Path) -> None:
    data = load_yaml_file(path)
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    assert data["id"] == path.stem
    assert FAMILIES[data["id"][:4]] == data["family"]


def test_schema_rejects_a_broken_rule() -> None:
    data = load_yaml_file(RULE_FILES[0])
    data["severity"] = "urgent"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(data)


def test_every_rule_has_a_check_and_every_check_a_rule() -> None:
    """From the sources (the rule files, the @check decorators), not from the tables generated from them."""
    # the meta rules (OAI0xx) are reported from the suppression comments (oai_lint.suppress.meta), not by a check
    checked = {rid for c in full_registry() for rid in c.rule_ids}
    assert checked | set(META_RULES) == set(rule_files())
    assert not checked & set(META_RULES)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_has_no_placeholder_left(path: Path) -> None:
    """``scripts/new_rule.py`` writes TODO where a rule file needs its author."""
    text = path.read_text(encoding="utf-8")
    assert "TODO" not in text, f"{path.name}: fill in every TODO left by scripts/new_rule.py"


def test_message_templates_render() -> None:
    for rule in all_rules():
        assert "{" not in rule.render_message({k: "x" for k in _fields(rule.message)})


def _fields(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


EXAMPLES = [
    (rule.id, kind, n, ex)
    for rule in all_rules()
    for kind, group in (("bad", rule.bad), ("good", rule.good))
    for n, ex in enumerate(group)
]


@pytest.mark.parametrize(("rule_id", "kind", "n", "example"), EXAMPLES,
                         ids=[f"{r}-{k}{n}" for r, k, n, _ in EXAMPLES])
def test_rule_example(tmp_path: Path, rule_id: str, kind: str, n: int, example: Example) -> None:
    git_init(tmp_path)
    write_tree(tmp_path, {example.path: example.code, **example.files})
    if example.config:
        import yaml

        (tmp_path / ".oai-lint.yaml").write_text(yaml.safe_dump(example.config))
    options = {k: v for k, v in example.config.items() if k.startswith("require-") or k == "as-of"}
    # (what the configuration file would select; given directly, as the CLI reads it)
    chosen = {k: list(example.config[k]) for k in ("select", "ignore") if k in example.config}
    result = run_scan(tmp_path, options=options, require_reason=bool(example.config.get("require-reason")),
                      **chosen)
    hits = [f for f in result.findings if f.rule_id == rule_id and f.path == example.path]
    if kind == "good":
        assert hits == [], f"{rule_id} good example {n} was flagged: {[f.message for f in hits]}"
        return
    assert hits, f"{rule_id} bad example {n} ({example.path}) was not flagged"
    if example.lines:
        assert sorted({f.line for f in hits}) == sorted(example.lines)
    rule = get_rule(rule_id)
    for f in hits:
        assert f.fix == rule.fix and f.doc_url == rule.doc_url
    if rule.family != "meta":
        # --select of the rule alone runs the checks declared for it: a check that reports a rule its
        # @check(...) does not name is found here (it would report the rule in a full scan only)
        selected = run_scan(tmp_path, options=options, select=[rule_id])
        assert [f for f in selected.findings if f.rule_id == rule_id and f.path == example.path], (
            f"{rule_id} bad example {n} is not flagged with --select {rule_id}: add {rule_id} to its @check(...)")
