"""The edit model: what a fixer returns for one file, and the text edits SARIF and JSON carry.

A fixer reads a file's text and the findings on it, and returns the whole new text with the findings it
fixed (:class:`Fixed`) and notes on what it left alone. :func:`hunks` turns an old/new pair into
:class:`Edit` values (character offsets into the old text), which is what the reports carry.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from oai_lint.analysis.keys import redact_text

SAFE, UNSAFE = "safe", "unsafe"


@dataclass(frozen=True)
class Target:
    """A finding a fixer may fix: rule, 1-based line and column, and the rule's ``key`` when known."""

    rule_id: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0


@dataclass(frozen=True)
class Fixed:
    """A finding a fixer fixed, and whether the fix keeps the program's meaning (safe) or not (unsafe)."""

    rule_id: str
    line: int
    applicability: str
    description: str
    stays: bool = False  # the finding stays after the fix (a hardcoded key stays until it is rotated)


@dataclass
class FileFix:
    """One file's fix: the text before and after, what was fixed, and notes on what was not."""

    path: str
    old: str
    new: str
    fixed: list[Fixed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new != self.old


@dataclass(frozen=True)
class Edit:
    """Replace ``old[start:end]`` by ``text`` (character offsets); lines are 1-based, for reports."""

    start: int
    end: int
    text: str
    start_line: int
    end_line: int  # the last old line the edit touches (start_line - 1 for a pure insertion)


def hunks(old: str, new: str) -> list[Edit]:
    """The line-level edits that turn ``old`` into ``new``."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    out: list[Edit] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out.append(Edit(offsets[i1], offsets[i2], "".join(b[j1:j2]), i1 + 1, i2))
    return out


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``."""
    out = text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[: e.start] + e.text + out[e.end :]
    return out


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of one file, ``a/path`` to ``b/path`` as git prints it. Keys in it are redacted (a
    hardcoded-key fix removes one): such a diff shows the change but does not apply as a patch."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return redact_text("".join(out))
