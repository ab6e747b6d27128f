"""Which repository a file belongs to, and the files of a repository as a scan of it would list them.

Some rules need facts of the whole repository a file belongs to (see ``oai_lint.engine.facts``), and
pre-commit passes only the staged files: this module finds the repository (the git work tree holding
the file, or the scan root outside git), lists its files with the scan's own rules (excludes, size cap,
.gitignore), narrowed by ``git grep`` to those that mention a trigger where git can answer, and reads
the candidates a facts provider wants. Cheap to import: a scan of a few files asks it for every file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from oai_lint import gitcmd
from oai_lint.config import rebase_globs
from oai_lint.discover import Discoverer
from oai_lint.sources import Source, kind_for
from oai_lint.sources.text import BinaryFile, decode

# -- where the repository is --------------------------------------------------------------------------
_top_cache: dict[str, str | None] = {}


def _git_top(directory: str) -> str | None:
    if directory in _top_cache:
        return _top_cache[directory]
    found: str | None = None
    d = directory
    chain = []
    while True:
        if d in _top_cache:
            found = _top_cache[d]
            break
        chain.append(d)
        if os.path.exists(os.path.join(d, ".git")):
            found = d
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    for c in chain:
        _top_cache[c] = found
    return found


def repo_root(scan_root: str, abspath: str) -> str:
    """The git work tree holding ``abspath``; outside git, the scan root (a file outside both stands
    alone: its own repository)."""
    abspath = os.path.abspath(abspath)
    top = _git_top(os.path.dirname(abspath))
    if top is not None:
        return top
    root = os.path.abspath(scan_root)
    return root if abspath.startswith(root.rstrip(os.sep) + os.sep) else abspath


# -- its files ------------------------------------------------------------------------------------------
class ScanRules(NamedTuple):
    """How the scan lists files: where it reports from, its excludes, size cap and .gitignore use, and
    (when it covers its whole root directory) the files it listed."""
    root: str
    exclude: Sequence[str]
    max_file_size: int
    use_gitignore: bool
    listing: Sequence[str]


def repository_files(top: str, scan: ScanRules, triggers: Iterable[bytes]) -> list[str]:
    """The files of the repository at ``top`` that a scan of it would list (absolute, sorted), narrowed
    to those that mention one of ``triggers`` where ``git grep`` can tell."""
    prefix = top.rstrip(os.sep) + os.sep
    whole_scan = bool(scan.listing) and os.path.abspath(scan.root) == top
    finder = Discoverer(top, rebase_globs(list(scan.exclude), scan.root, top), scan.max_file_size,
                        scan.use_gitignore)
    # A scan of the whole repository already listed its files: reading the few kinds that can hold facts
    # (Markdown and most JSON are skipped) costs less than a git grep over every byte of the tree.
    candidates = _git_grep(top, triggers) if scan.use_gitignore and not whole_scan else None
    if candidates is not None:
        # git found the files that mention any trigger; keep those a scan of the root would list
        for p in candidates:
            finder.add_found(p, top)  # the scan's own rules: excludes, size cap, binaries
        return sorted(f.abspath for f in finder.result.files)
    if whole_scan:  # the scan itself listed the whole repository: reuse that
        return sorted(p for p in scan.listing if p.startswith(prefix))
    # list the files as a scan of the repository root would (excludes are relative to the scan root)
    finder.add_path(top)
    return sorted(f.abspath for f in finder.result.files)


def _git_grep(top: str, triggers: Iterable[bytes]) -> list[str] | None:
    """Files of the work tree (tracked or untracked, not ignored; Markdown left out) that contain a
    trigger, found by ``git grep`` (in C, multithreaded): far faster than reading every file. None
    when git cannot answer (not a repository, no git): the caller then reads the files itself."""
    if not os.path.exists(os.path.join(top, ".git")):
        return None
    args = ["grep", "-l", "-z", "-I", "-F", "--untracked", "--no-color", "--no-textconv"]
    for trigger in triggers:
        args += ["-e", trigger.decode()]
    args += ["--", ".", *(f":(exclude,glob)**/*{ext}" for ext in (".md", ".mdx", ".markdown", ".rst"))]
    proc = gitcmd.run(args, top, 120)
    if proc is None or proc.returncode not in (0, 1):
        return None
    return [os.path.join(top, os.fsdecode(p)) for p in proc.stdout.split(b"\0") if p]


def read_candidates(paths: Iterable[str], scan: ScanRules, wants_name: Callable[[str, str], bool],
                    wants_data: Callable[[str, bytes], bool]) -> Iterator[tuple[Source, bytes]]:
    """Each file of ``paths`` whose name and bytes a facts provider wants, read and decoded as a
    source (paths shown relative to the scan root, as in findings); unreadable and binary files are
    left out (the scan itself reports them)."""
    for abspath in paths:
        name = os.path.basename(abspath)
        kind = kind_for(name)
        if not wants_name(name, kind):
            continue
        try:
            with open(abspath, "rb") as fh:
                data = fh.read(scan.max_file_size + 1)
        except OSError:
            continue
        if not wants_data(kind, data):
            continue
        try:
            text, _ = decode(data)
        except BinaryFile:
            continue
        try:
            shown_path = Path(os.path.relpath(abspath, scan.root)).as_posix()
        except ValueError:  # another drive on Windows
            shown_path = Path(abspath).as_posix()
        yield Source(shown_path, text, kind, abspath), data
