"""Fixing until nothing is left to fix, as ruff does: a fix can make another finding appear (a v0 module
migrated to a client no longer reads ``OPENAI_ORGANIZATION``, so the ``.env`` name that only v0 read is
now reported), so ``--fix`` scans again after writing and fixes again, a few rounds at most.

``--diff`` must show what ``--fix`` writes, without writing: it runs the same rounds in a scratch copy of
the git work tree (the files git lists, not the ignored ones) and diffs the result against the originals.
Outside a git work tree, or when a scanned path is outside the scan root, both do a single round.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from oai_lint import gitcmd
from oai_lint.fix.apply import FixRun, compute, write
from oai_lint.fix.model import FileFix

if TYPE_CHECKING:
    from oai_lint.engine import ScanResult

MAX_ROUNDS = 5
Scan = Callable[[str], "ScanResult"]  # a scan of the same paths and settings with this root


@contextmanager
def cwd(where: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(where)
    try:
        yield
    finally:
        os.chdir(old)


def _git(root: str, *args: str) -> str | None:
    proc = gitcmd.run(list(args), root, 120)
    if proc is None or proc.returncode != 0:
        return None
    return str(proc.stdout.decode("utf-8", "surrogateescape"))


def work_tree(root: str, paths: tuple[str, ...]) -> str | None:
    """The git work tree holding ``root`` when every scanned path is inside ``root``; else None."""
    real = os.path.realpath(root)
    for p in paths:
        full = os.path.realpath(os.path.join(root, p))
        if os.path.isabs(p) or not (full == real or full.startswith(real.rstrip(os.sep) + os.sep)):
            return None
    top = _git(root, "rev-parse", "--show-toplevel")
    return top.strip() if top and top.strip() else None


def fix_rounds(result: ScanResult, root: str, unsafe: bool, scan: Scan | None) -> tuple[FixRun, ScanResult, list[str]]:
    """Fix and write in ``root`` until a round changes nothing (one round when ``scan`` is None).

    Returns every change merged (original → final text per file), the last scan and write errors."""
    merged: dict[str, FileFix] = {}
    notes: list[tuple[str, str]] = []
    failed: list[str] = []
    for n in range(MAX_ROUNDS):
        run = compute(result.findings, root, unsafe)
        notes.extend(x for x in run.notes if x not in notes)
        for f in run.changed:
            if f.path in merged:
                merged[f.path].new = f.new
                merged[f.path].fixed.extend(f.fixed)
            else:
                merged[f.path] = FileFix(f.path, f.old, f.new, list(f.fixed), list(f.notes))
        if not run.changed:
            break
        failed = write(run, root)
        if failed:
            break
        with cwd(root):
            result = scan(root) if scan is not None else result
        if scan is None:
            break
        if n == MAX_ROUNDS - 1:
            notes.append((".", f"fixes still change files after {MAX_ROUNDS} rounds: run --fix again"))
    return FixRun(files=sorted(merged.values(), key=lambda f: f.path), notes=notes), result, failed


def diff_rounds(result: ScanResult, root: str, unsafe: bool, scan: Scan, top: str) -> FixRun:
    """What :func:`fix_rounds` would write, computed in a scratch copy of the work tree ``top`` (only when the
    first round changes something: else there is nothing more to see, and nothing is copied)."""
    first = compute(result.findings, root, unsafe)
    if not first.changed:
        return first
    listed = _git(top, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    rel_root = os.path.relpath(os.path.realpath(root), os.path.realpath(top))
    scratch = tempfile.mkdtemp(prefix="oai-lint-diff-")
    try:
        for rel in (listed or "").split("\0"):
            src = os.path.join(top, rel)
            if not rel or not os.path.lexists(src) or os.path.isdir(src):
                continue
            dst = os.path.join(scratch, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if os.path.islink(src):
                os.symlink(os.readlink(src), dst)
            else:
                shutil.copyfile(src, dst)
        _git(scratch, "init", "-q")
        copy_root = os.path.normpath(os.path.join(scratch, rel_root))
        os.makedirs(copy_root, exist_ok=True)
        run, _, _ = fix_rounds(result, copy_root, unsafe, scan)
        return run
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
