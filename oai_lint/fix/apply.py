"""Compute the fixes of a scan's findings, check them, and write them (``--fix``) or show them (``--diff``).

A file is fixed only when it is inside the scan root, not ignored by git, not a symbolic link, decodes as
UTF-8 and parses; the rewritten text must parse again, or the fix is dropped with a note.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from oai_lint import gitcmd
from oai_lint._compat import tomllib
from oai_lint.findings import Finding
from oai_lint.fix.config_fix import fix_config
from oai_lint.fix.js_fix import JS_SUFFIXES, fix_js, js_parses
from oai_lint.fix.model import SAFE, FileFix, Fixed, Target
from oai_lint.fix.python_fix import fix_python
from oai_lint.ruleset.load import all_rules

PY_SUFFIXES = (".py", ".pyi")


def fixable(kinds: tuple[str, ...] = ("safe", "unsafe", "safe-and-unsafe")) -> frozenset[str]:
    """The rules whose YAML file declares an ``autofix`` of one of these kinds."""
    return frozenset(r.id for r in all_rules() if r.autofix_kind in kinds)


@dataclass
class FixRun:
    files: list[FileFix] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (path, message)

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files if f.changed]


def compute(findings: list[Finding], root: str, unsafe: bool) -> FixRun:
    """The fixes of ``findings`` (paths relative to ``root``); nothing is written."""
    run = FixRun()
    by_path: dict[str, list[Target]] = {}
    rules = fixable() if unsafe else fixable(("safe", "safe-and-unsafe"))
    for f in findings:
        if f.rule_id in rules and not f.suppressed and f.rule_id in _HANDLED[_kind(f.path)]:
            by_path.setdefault(f.path, []).append(Target(f.rule_id, f.line, f.column, f.end_line, f.end_column))
    ignored = _git_ignored(root, sorted(by_path))
    real_root = os.path.realpath(root)
    for path, targets in sorted(by_path.items()):
        full = os.path.join(root, path)
        why = _untouchable(full, real_root, path in ignored)
        if why:
            run.notes.append((path, f"not fixed: {why}"))
            continue
        try:
            with open(full, encoding="utf-8", newline="") as fh:
                old = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            run.notes.append((path, f"not fixed: cannot read it as UTF-8 ({exc.__class__.__name__})"))
            continue
        fixer, parses = _fixer(path)
        if not parses(old):
            run.notes.append((path, "not fixed: the file does not parse"))
            continue
        new, fixed, notes = fixer(old, targets, unsafe, path)
        run.notes.extend((path, n) for n in notes)
        if new != old and not parses(new):
            run.notes.append((path, "fix dropped: the rewritten file does not parse"))
            continue
        run.files.append(FileFix(path, old, new, fixed, notes))
    return run


def _untouchable(full: str, real_root: str, ignored: bool) -> str:
    if ignored:
        return "the file is ignored by git"
    if os.path.islink(full):
        return "the file is a symbolic link"
    real = os.path.realpath(full)
    if not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)):
        return "the file is outside the scanned directory"
    if not os.path.isfile(real):
        return "not a regular file"
    return ""


def _git_ignored(root: str, paths: list[str]) -> set[str]:
    if not paths:
        return set()
    proc = gitcmd.run(["check-ignore", "-z", "--no-index", "--stdin"], root, 60,
                      input="\0".join(paths).encode("utf-8", "surrogateescape"))
    if proc is None or proc.returncode not in (0, 1):
        return set()  # not a git repository
    return {p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p}


Fixer = Callable[[str, list[Target], bool, str], tuple[str, list[Fixed], list[str]]]


# the rules each fixer has fixes for
_HANDLED = {
    "python": {"OAI101", "OAI301", "OAI401", "OAI402", "OAI405"},
    "js": {"OAI101", "OAI301", "OAI404", "OAI405"},
    "config": {"OAI201", "OAI405"},
}


def _kind(path: str) -> str:
    lower = path.lower()
    return "python" if lower.endswith(PY_SUFFIXES) else "js" if lower.endswith(JS_SUFFIXES) else "config"


def _fixer(path: str) -> tuple[Fixer, Callable[[str], bool]]:
    kind = _kind(path)
    if kind == "python":
        return _python, _python_parses
    if kind == "js":
        return fix_js, lambda text: js_parses(text, path)
    return fix_config, lambda text: _config_parses(text, path)


def _python(text: str, targets: list[Target], unsafe: bool, path: str) -> tuple[str, list[Fixed], list[str]]:
    return fix_python(text, targets, unsafe)


def _python_parses(text: str) -> bool:
    import ast

    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _config_parses(text: str, path: str) -> bool:
    lower = path.lower()
    try:
        if lower.endswith((".yaml", ".yml")):
            import yaml

            list(yaml.safe_load_all(text))
        elif lower.endswith(".json"):
            json.loads(text)
        elif lower.endswith(".toml"):
            tomllib.loads(text)
    except Exception:
        return False
    return True


def write(run: FixRun, root: str) -> list[str]:
    """Write every changed file; the paths that could not be written."""
    failed = []
    for f in run.changed:
        try:
            with open(os.path.join(root, f.path), "w", encoding="utf-8", newline="") as fh:
                fh.write(f.new)
        except OSError as exc:
            failed.append(f"{f.path}: {exc.strerror or exc}")
    return failed


def summary(run: FixRun, wrote: bool, unsafe: bool, remaining_unsafe: int) -> list[str]:
    """The lines printed on stderr after a --fix or --diff run."""
    out = []
    verb = "fixed" if wrote else "would fix"
    for f in run.changed:
        for x in sorted(f.fixed, key=lambda x: (x.line, x.rule_id)):
            kind = "" if x.applicability == SAFE else " (unsafe)"
            out.append(f"{f.path}:{x.line}: {x.rule_id} {verb}{kind}: {x.description}")
    for path, note in run.notes:
        out.append(f"{path}: {note}")
    n = sum(len(f.fixed) for f in run.changed)
    files = len(run.changed)
    line = f"oai-lint: {verb} {n} finding{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    stays = sum(1 for f in run.changed for x in f.fixed if x.stays)
    if stays:
        line += (f"; {stays} leaked key{'s' if stays != 1 else ''} must still be rotated (the finding stays: "
                 "`oai-lint history` finds it in the history)")
    if not unsafe and remaining_unsafe:
        line += f"; {remaining_unsafe} more with --unsafe-fixes"
    out.append(line)
    return out
