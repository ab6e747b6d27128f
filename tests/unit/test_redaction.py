"""The redaction every outgoing string passes through (oai_lint.analysis.keys.redact_text, applied by
oai_lint.cli.output.outward and to findings and notes), and the places that used to shorten a value before
redacting it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from oai_lint.analysis.ids import shown
from oai_lint.analysis.keys import redact_text
from oai_lint.cli.output import outward
from tests.conftest import run_scan, write_tree
from tests.e2e.test_no_leak import leaks
from tests.support.keygen import FORMATS, make_key


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_key_format_is_redacted_wherever_it_sits(fmt: str) -> None:
    key = make_key(fmt, random.Random(fmt))
    for text in (key, f"x{key}y", f"/{key}/a.py", f"('{key}',)", f"\\u00e9{key}", f"{key}_backup",
                 f"{key[:-1]}", f"{key[:40]}", f"{key[8:]}"):
        assert leaks(redact_text(text), {"k": key}) == [], text
        assert leaks(outward(text), {"k": key}) == [], text


def test_redacted_forms_and_ordinary_text_are_left_alone() -> None:
    assert redact_text("sk-proj-…Xa9Q and task-runner, sk-short") == "sk-proj-…Xa9Q and task-runner, sk-short"
    assert outward("plain text") == "plain text"


def test_a_value_is_redacted_before_it_is_shortened() -> None:
    key = make_key("legacy", random.Random(3))
    # 20 characters, a space, the key: shortened to 37 characters, the key's left half remained
    value = "a" * 20 + " " + key
    assert leaks(shown(value), {"k": key}) == []
    assert leaks(shown("b" * 10 + " " + key), {"k": key}) == []


def test_pure_python_yaml_errors_do_not_quote_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from oai_lint.sources import yamlsrc

    monkeypatch.setattr(yamlsrc, "_Loader", yaml.SafeLoader)  # as without libyaml
    key = make_key("proj56", random.Random(7))
    write_tree(tmp_path, {"deploy.yaml": f"env:\n  OPENAI_API_KEY: *{key}\n  x: !{key}! y\n"})
    result = run_scan(tmp_path, use_gitignore=False)
    assert result.notes, "the YAML error is a note"
    for n in result.notes:
        assert leaks(n.message + n.path, {"k": key}) == [], n.message
