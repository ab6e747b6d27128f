"""Fixes in configuration files (``.env``, compose, workflows, Kubernetes manifests, Dockerfiles, shell,
YAML/JSON/TOML): env names the SDKs never read (OAI201, safe) and shut-down models (OAI405, unsafe).

OAI201 is only reported where the repository's code does not read the old name, so renaming it cannot break
a reader; a name whose replacement is already in the file, and key-file names (their value is a path, not a
key), are left alone.
"""

from __future__ import annotations

import re

from oai_lint.analysis.ids import ignored_name
from oai_lint.fix.model import SAFE, UNSAFE, Edit, Fixed, Target, apply_edits
from oai_lint.fix.replacements import live_replacement
from oai_lint.sources.text import LineIndex


def fix_config(text: str, targets: list[Target], unsafe: bool, path: str) -> tuple[str, list[Fixed], list[str]]:
    lines = LineIndex(text)  # lines as the findings count them (a lone \r ends one too)
    edits: list[Edit] = []
    fixed: list[Fixed] = []
    notes: list[str] = []
    for t in targets:
        if not 1 <= t.line <= lines.count:
            continue
        at = lines.offset(t.line, t.column)
        if t.rule_id == "OAI201":
            m = re.compile(r"[A-Z0-9_]+").match(text, at)
            ign = ignored_name(m.group(0)) if m else None
            if m is None or ign is None or ign.role == "key-file":
                continue
            if re.search(rf"(?<![A-Za-z0-9_]){ign.replacement}(?![A-Za-z0-9_])", text):
                notes.append(f"line {t.line}: {ign.replacement} is already set here: {m.group(0)} left alone")
                continue
            edits.append(Edit(m.start(), m.end(), ign.replacement, t.line, t.line))
            fixed.append(Fixed("OAI201", t.line, SAFE, f"{m.group(0)} → {ign.replacement}"))
        elif t.rule_id == "OAI405" and unsafe:
            m = re.compile(r"[\w.:-]+").match(text, at)
            repl = live_replacement(m.group(0)) if m else None
            if m is None or repl is None:
                continue
            edits.append(Edit(m.start(), m.end(), repl, t.line, t.line))
            fixed.append(Fixed("OAI405", t.line, UNSAFE, f"{m.group(0)} → {repl} (outputs differ between "
                               "models: re-run your evaluations)"))
    return apply_edits(text, _no_overlap(edits)), fixed, notes


def _no_overlap(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    end = -1
    for e in sorted(edits, key=lambda e: e.start):
        if e.start >= end:
            out.append(e)
            end = e.end
    return out
