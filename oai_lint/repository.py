"""Repository-level facts: which repository a file belongs to, its files as a scan of it would list
them, and the facts providers that rule families declare.

Some rules need facts of the whole repository a file belongs to (does any code read this env name?
does the repository pin an organization?), and pre-commit passes only the staged files. A rule family
declares a :class:`FactsProvider` (the rules that need the facts, which files can contribute, and the
module that gathers them); its checks name the provider's module in ``@check(facts=...)``. The engine
(``oai_lint.engine.facts``) asks which enabled rules need facts, gathers them while a scan of a whole
repository reads its files, or computes them up front here: it finds the repository (the git work tree
holding the file, or the scan root outside git), lists its files with the scan's own rules (excludes,
size cap, .gitignore), narrowed by ``git grep`` to those that mention a trigger where git can answer,
and reads the candidates the provider wants.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from oai_lint import gitcmd
from oai_lint.config import rebase_globs
from oai_lint.discover import Discoverer
from oai_lint.sources import Source, kind_for
from oai_lint.sources.text import BinaryFile, decode

if TYPE_CHECKING:
    from oai_lint.checks import Context


class Facts(Protocol):
    """What a provider gathers of one repository."""

    def merge(self, other: Any) -> None:
        """Add the facts of ``other``, gathered from files that come after this one's in path order."""


@dataclass(frozen=True)
class FactsProvider:
    """Repository-level facts a rule family needs, as the engine sees them before their code is imported.

    ``implementation`` names the module that gathers them, imported only when one of ``rules`` runs:
    ``empty(top) -> Facts``, ``gather_into(facts, source, data)`` (what one file tells). A module that
    declares a provider names it ``PROVIDER``; checks name that module in ``@check(facts=...)``."""

    name: str  # the facts of the repository at ``top`` are ``Context.facts[f"{name}:{top}"]``
    rules: tuple[str, ...]  # the rules whose findings depend on them
    triggers: tuple[bytes, ...]  # a file that can contribute holds one of these
    candidate_name: Callable[[str, str], bool]  # (file name, kind): whether such a file can contribute
    candidate_data: Callable[[str, bytes, dict[bytes, bool] | None], bool]  # (kind, bytes, prefilter's memo)
    implementation: str

    def key(self, top: str) -> str:
        return f"{self.name}:{top}"

    def module(self) -> ModuleType:
        return importlib.import_module(self.implementation)

    def empty(self, top: str) -> Facts:
        facts: Facts = self.module().empty(top)
        return facts

    def gather(self, top: str, source: Source, data: bytes) -> Facts:
        """The facts one file contributes (a scan of a whole repository gathers them as it reads each
        file, and merges them in path order)."""
        facts = self.empty(top)
        self.module().gather_into(facts, source, data)
        return facts

    def compute(self, ctx: Context, top: str) -> Facts:
        """The facts of the repository at ``top``, from every file of it that can contribute."""
        facts = self.empty(top)
        scan = ScanRules(ctx.root, ctx.exclude, ctx.max_file_size, ctx.use_gitignore, ctx.listing)
        gather_into = self.module().gather_into
        for source, data in read_candidates(repository_files(top, scan, self.triggers), scan,
                                            self.candidate_name, self.candidate_data):
            gather_into(facts, source, data)
        return facts


def provider(module: str) -> FactsProvider:
    """The provider a module declares (``PROVIDER``)."""
    declared: FactsProvider = importlib.import_module(module).PROVIDER
    return declared


def facts_for(ctx: Context, declared: FactsProvider, abspath: str) -> Any:
    """The facts of the repository the file at ``abspath`` belongs to (computed once per process; during
    the scan of a whole repository, :class:`oai_lint.checks.FactsPending` until every file is read)."""
    top = repo_root(ctx.root, abspath)
    return ctx.fact(declared.key(top), lambda: declared.compute(ctx, top))


def prime(ctx: Context, declared: FactsProvider, abspaths: Iterable[str]) -> None:
    """Compute the facts of every repository the files belong to (before worker processes start)."""
    for top in sorted({repo_root(ctx.root, p) for p in abspaths}):
        ctx.fact(declared.key(top), lambda top=top: declared.compute(ctx, top))  # type: ignore[misc]

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
                    wants_data: Callable[[str, bytes, dict[bytes, bool] | None], bool],
                    ) -> Iterator[tuple[Source, bytes]]:
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
        if not wants_data(kind, data, None):
            continue
        try:
            text, _ = decode(data)
        except BinaryFile:
            continue
        try:
            shown_path = os.path.relpath(abspath, scan.root)
        except ValueError:  # another drive on Windows
            shown_path = abspath
        shown_path = shown_path.replace(os.sep, "/")
        yield Source(shown_path, text, kind, abspath), data
