"""The retired-model table (``rules/retired-models.yaml``), loaded on first use only.

OAI405 registers byte ``TRIGGERS`` so that the table is read only when a file contains a candidate model
name; ``tests/test_retired_models.py`` checks that every model in the table contains one of them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

DATA_FILE = "retired-models.yaml"
SCHEMA_FILE = "retired-models.schema.json"

# A file is scanned for retired model names only if it contains one of these bytes.
TRIGGERS = (
    b"davinci",
    b"curie",
    b"babbage",
    b"cushman",
    b"-001",
    b"-0301",
    b"-0314",
    b"-0613",
    b"vision-preview",
    b'"ada"',
    b"'ada'",
    b": ada",
    b"=ada",
    b"= ada",
)
# In Python and JS/TS code a model name is a string literal: the bare "ada" is only ever quoted there
# (fewer byte strings to look for in every source file).
CODE_TRIGGERS = (*TRIGGERS[:-3], b"`ada`")


@dataclass(frozen=True)
class RetiredModel:
    """A model OpenAI has shut down: when, its replacement, and the source."""
    model: str
    shutdown: str | None
    replacement: str | None
    source: str
    shutdown_is_earliest: bool = False
    ambiguous: bool = False
    note: str = ""

    def when(self) -> str:
        if self.shutdown is None:
            return " (see the deprecations page for the date)"
        if self.shutdown_is_earliest:
            return f" (earliest announced shutdown {self.shutdown})"
        return f" on {self.shutdown}"


@functools.cache
def table() -> dict[str, RetiredModel]:
    from oai_lint.ruleset.load import load_yaml_file, rules_dir

    data = load_yaml_file(rules_dir() / DATA_FILE)
    out: dict[str, RetiredModel] = {}
    for entry in data.get("models", []):
        out[str(entry["model"])] = RetiredModel(
            model=str(entry["model"]),
            shutdown=entry.get("shutdown"),
            replacement=entry.get("replacement"),
            source=str(entry["source"]),
            shutdown_is_earliest=bool(entry.get("shutdown_is_earliest", False)),
            ambiguous=bool(entry.get("ambiguous", False)),
            note=str(entry.get("note", "")),
        )
    return out


def replacement(model: RetiredModel) -> str | None:
    """The recommended replacement, followed through replacements that were retired in turn."""
    models = table()
    current = model.replacement
    seen = {model.model}
    while current is not None and current in models and current not in seen:
        seen.add(current)
        current = models[current].replacement
    return current


@functools.cache
def pattern() -> re.Pattern[str]:
    """Any retired model id as a whole token (not part of a longer id such as ``davinci-002``)."""
    names = sorted(table(), key=len, reverse=True)
    return re.compile(r"(?<![\w.:/-])(" + "|".join(map(re.escape, names)) + r")(?![\w.-])")
