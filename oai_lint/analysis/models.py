"""The shut-down models OAI405 reports, from the deprecation table (``oai_lint.deprecations``), loaded on first
use only.

A thin view of ``oai_lint.deprecations`` that keeps the API the OAI405 checks use: ``table()`` maps every
model id that is shut down today to its entry, with the replacement already followed to a live model.
Until the checks move to ``oai_lint.deprecations`` (with its wider ``TRIGGERS``, families and fine-tuned ids),
the view holds the ids that the byte ``TRIGGERS`` below reach: the checks register these triggers, so an id
outside them would be reported or not depending on unrelated bytes of the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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
_WORDS = tuple(t.strip(b"\"': =").decode() for t in TRIGGERS)


@dataclass(frozen=True)
class RetiredModel:
    """A model OpenAI has shut down: when, its replacement (followed to a live model), and the source."""
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
    from oai_lint import deprecations

    day = deprecations.today()
    out: dict[str, RetiredModel] = {}
    for entry in deprecations.table().entries:
        if entry.kind != "model" or entry.match not in {"exact", "family"} or entry.id in out:
            continue
        if not any(w in entry.id for w in _WORDS):
            continue
        found = deprecations.lookup(entry.id, day)
        if found.status != deprecations.SHUT_DOWN or found.entry is None:
            continue
        e = found.entry
        out[entry.id] = RetiredModel(
            model=entry.id,
            shutdown=e.shutdown.isoformat(),
            replacement=found.replacement.id if found.replacement else None,
            source=e.source,
            shutdown_is_earliest=e.shutdown_is_earliest,
            ambiguous=e.ambiguous,
        )
    return out


def replacement(model: RetiredModel) -> str | None:
    """The recommended replacement: the first one still live today (``table()`` has followed the chain)."""
    return model.replacement


@functools.cache
def pattern() -> re.Pattern[str]:
    """Any retired model id as a whole token (not part of a longer id such as ``davinci-002``)."""
    names = sorted(table(), key=len, reverse=True)
    return re.compile(r"(?<![\w.:/-])(" + "|".join(map(re.escape, names)) + r")(?![\w.-])")
