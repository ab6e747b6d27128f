"""TOML whose dotted keys would cost tomllib quadratic time and memory is refused before it is parsed (the
sizes that used to take gigabytes are in bench/hostile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oai_lint import config
from oai_lint.sources import Source, tomlsafe


def test_ordinary_dotted_keys_parse() -> None:
    assert tomlsafe.loads('a.b.c = 1\n"x.y".z = 2\n[tool.poetry.dependencies]\nopenai = "<1"\n') == {
        "a": {"b": {"c": 1}}, "x.y": {"z": 2}, "tool": {"poetry": {"dependencies": {"openai": "<1"}}}}


@pytest.mark.parametrize("key", ["a." * 300 + "a", "a . " * 300 + "a", '"q".' * 300 + "q"])
def test_a_key_of_hundreds_of_parts_is_refused(key: str) -> None:
    with pytest.raises(tomlsafe.TomlTooComplex):
        tomlsafe.loads(f"[project]\n{key} = 1\n")
    src = Source("pyproject.toml", f"[project]\ndependencies = ['openai<1']\n{key} = 1\n")
    assert src.toml_data is None
    assert any("dotted parts" in n for n in src.notes)


def test_in_the_configuration_it_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".oai-lint.toml").write_text("a." * 300 + "a = 1\n")
    with pytest.raises(config.ConfigError, match="dotted parts"):
        config.load(None, str(tmp_path))


def test_many_dots_elsewhere_are_fine() -> None:
    text = "versions = [" + ", ".join(f'"1.2.{i}"' for i in range(400)) + "]\nurl = '" + "a." * 400 + "'\n"
    assert len(tomlsafe.loads(text)["versions"]) == 400
