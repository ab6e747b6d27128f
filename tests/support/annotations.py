"""Inline expectations in rule fixture files, as semgrep-rules marks them.

A comment on the line before a line of code says what the rule must report there::

    # ruleid: OAI301
    client = OpenAI(max_retries=0)
    # ok: OAI301
    client = OpenAI()

``ruleid:`` lines must carry a finding of that rule, ``ok:`` lines must not; any other finding of the rule
in the fixture also fails. The comment syntax is the file kind's own (``#``, ``//``, ``<!-- -->``,
``/* */``); kinds without comments (JSON, notebooks) keep their examples in ``rules/*.yaml``.
Several rule ids may share one comment: ``# ruleid: OAI401, OAI402``.

Fixture files hold no key: where a rule needs one, the file says ``{KEY}`` (or ``{PROJECT_KEY}``) and the
test substitutes a fake key from ``tests/support/keygen.py`` when it copies the fixture.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.keygen import make_key

FIXTURES = Path(__file__).resolve().parent.parent / "rules" / "fixtures"
ANNOTATION = re.compile(
    r"^\s*(?:#|//|<!--|/\*)\s*(ruleid|ok)\s*:\s*(OAI\d{3}(?:\s*,\s*OAI\d{3})*)\s*(?:-->|\*/)?\s*$"
)
PLACEHOLDERS = {"{KEY}": lambda: make_key("legacy"), "{PROJECT_KEY}": lambda: make_key("proj164")}


@dataclass
class Expectations:
    """Per rule id: the (path, line) pairs that must be reported and those that must not."""

    ruleid: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    ok: dict[str, set[tuple[str, int]]] = field(default_factory=dict)


def parse(rel: str, text: str, into: Expectations) -> None:
    """Read the annotations of one file: each applies to the next line that is not itself an annotation."""
    pending: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = ANNOTATION.match(line)
        if m:
            pending.append((m.group(1), [r.strip() for r in m.group(2).split(",")]))
            continue
        for kind, rules in pending:
            table = into.ruleid if kind == "ruleid" else into.ok
            for rule in rules:
                table.setdefault(rule, set()).add((rel, number))
        pending = []
    if pending:
        raise ValueError(f"{rel}: annotation on the last line has no line to apply to")


def cases() -> list[Path]:
    """Every fixture case: ``tests/rules/fixtures/<RULEID>/<case>/``, a directory scanned as a repository."""
    return sorted(p for p in FIXTURES.glob("OAI*/*") if p.is_dir())


def materialise(case: Path, dest: Path) -> Expectations:
    """Copy one case below ``dest`` with its placeholders filled in; return what its annotations expect."""
    shutil.copytree(case, dest, dirs_exist_ok=True)
    expected = Expectations()
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        rel = path.relative_to(dest).as_posix()
        text = path.read_text(encoding="utf-8")
        for placeholder, value in PLACEHOLDERS.items():
            while placeholder in text:
                text = text.replace(placeholder, value(), 1)
        path.write_text(text, encoding="utf-8")
        parse(rel, text, expected)
    return expected


def case_files(case: str) -> dict[str, str]:
    """The files of ``tests/rules/fixtures/<case>`` (e.g. ``"OAI403/python_manifests"``), placeholders filled in,
    for tests that check more than where a rule reports (messages, columns); the lines are the generic test's."""
    root = FIXTURES / case
    files: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        for placeholder, value in PLACEHOLDERS.items():
            while placeholder in text:
                text = text.replace(placeholder, value(), 1)
        files[path.relative_to(root).as_posix()] = text
    if not files:
        raise FileNotFoundError(root)
    return files
