"""Fixes in configuration files: env names the SDKs never read (safe) and shut-down models (unsafe)."""

from __future__ import annotations

from oai_lint.fix.config_fix import fix_config
from oai_lint.fix.model import SAFE, UNSAFE, Target
from oai_lint.fix.replacements import live_replacement


def test_env_name_is_renamed_at_the_finding_only() -> None:
    text = "# OPENAI_ORGANIZATION is read below\nOPENAI_ORGANIZATION=org-abc\n"
    new, fixed, notes = fix_config(text, [Target("OAI201", 2, 1)], False, ".env")
    assert new == "# OPENAI_ORGANIZATION is read below\nOPENAI_ORG_ID=org-abc\n"
    assert fixed[0].applicability == SAFE and not notes


def test_key_file_and_taken_names_are_left_alone() -> None:
    text = "OPENAI_API_KEY_PATH=/run/key\nOPENAI_BASE=https://x/v1\nOPENAI_BASE_URL=https://y/v1\n"
    new, fixed, notes = fix_config(text, [Target("OAI201", 1, 1), Target("OAI201", 2, 1)], False, ".env")
    assert new == text and not fixed and "already set" in notes[0]


def test_model_in_yaml_only_with_unsafe_fixes() -> None:
    old = "text-davinci-003"  # oai-lint: ignore[OAI405] a shut-down model on purpose
    text = f"llm:\n  model: {old}\n  temperature: 0\n"
    assert fix_config(text, [Target("OAI405", 2, 10)], False, "c.yaml")[0] == text
    new, fixed, _ = fix_config(text, [Target("OAI405", 2, 10)], True, "c.yaml")
    assert new == f"llm:\n  model: {live_replacement(old)}\n  temperature: 0\n"
    assert fixed[0].applicability == UNSAFE


def test_a_position_that_does_not_hold_the_name_changes_nothing() -> None:
    text = "OPENAI_API_KEY=\n"
    assert fix_config(text, [Target("OAI201", 1, 1), Target("OAI201", 9, 1)], False, ".env")[0] == text


def test_lines_are_counted_as_the_findings_count_them_a_lone_cr_too() -> None:
    text = "# settings\rAPP=1\rOPENAI_ORGANIZATION=org-abc\r"
    new, fixed, _ = fix_config(text, [Target("OAI201", 3, 1)], False, "config.env")
    assert new == "# settings\rAPP=1\rOPENAI_ORG_ID=org-abc\r" and len(fixed) == 1
