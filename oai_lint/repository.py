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

A check that asks one narrow question (does any code read this env name?) asks for a :class:`Part` of the
facts instead (:func:`part_for`): unless the scan is gathering the whole facts or already has them, only
the files that can change the answer are searched for (``git grep`` over the tracked files, the untracked
ones listed concurrently) and read, which in a large repository costs a fraction of the whole.
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
    import subprocess

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
        scan = scan_rules(ctx)
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

# -- a part of the facts, from only the files that can tell ---------------------------------------------
class Search(NamedTuple):
    """The files that can contribute to a part of some facts: those holding one of ``needles`` (as
    ``git grep -F`` finds bytes; in any case with ``ignore_case``) among those ``pathspecs`` name (git's
    pathspec syntax; every file when empty). Finding more is harmless: each file found is read and
    gathered exactly as the whole computation reads it; finding fewer would change the answer."""
    needles: tuple[bytes, ...]
    ignore_case: bool = False
    pathspecs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A part of a provider's facts that only the files its searches find contribute to.

    ``gather`` names the function of the provider's module that gathers the part from one file, as
    ``gather_into`` would (``(facts, source, data)``). ``settled``: once it holds for the facts gathered
    so far, the question the part answers is decided and no more files are read (the part must then be
    one whose answer does not depend on the order the files are read in, such as a set of names)."""
    name: str  # unique among the provider's parts: "reads:OPENAI_ORG_ID"
    searches: tuple[Search, ...]
    gather: str
    settled: Callable[[Any], bool] | None = None


# Parts of one repository searched for in a process before the whole facts are computed instead: each
# search reads the tracked files' bytes once more (git, in C), the whole computation reads and decodes
# every candidate file once (about five searches' time on a large repository).
PARTS_PER_REPOSITORY = 4
# untracked files that can contribute, beyond which the whole facts are computed (git grep names them)
MAX_UNTRACKED = 500


def part_for(ctx: Context, declared: FactsProvider, abspath: str, part: Part) -> Any:
    """Facts of the repository the file at ``abspath`` belongs to that answer ``part``'s question: the
    whole facts when the scan has them or is gathering them (see :func:`facts_for`), or when git cannot
    search the repository; otherwise facts gathered from only the files the part's searches find
    (computed once per process). Ask such facts only what the part covers."""
    top = repo_root(ctx.root, abspath)
    key = declared.key(top)
    part_key = f"{key}#{part.name}"
    if key in ctx.facts or key in ctx.later:
        return facts_for(ctx, declared, abspath)
    if part_key in ctx.facts:
        return ctx.facts[part_key]
    scan = scan_rules(ctx)
    facts = None
    if git_searches(top, scan) and sum(k.startswith(key + "#") for k in ctx.facts) < PARTS_PER_REPOSITORY:
        facts = _gather_part(ctx, declared, top, scan, part)
    if facts is None:
        return facts_for(ctx, declared, abspath)
    ctx.facts[part_key] = facts
    return facts


def _gather_part(ctx: Context, declared: FactsProvider, top: str, scan: ScanRules, part: Part) -> Any:
    """The part's facts from the files its searches find: the tracked ones first (often enough to settle
    the question), then the untracked ones git does not ignore. None when git could not answer."""
    settled = part.settled
    # git walks the work tree for the untracked files meanwhile, unless the tracked ones may settle the
    # question (on two cores the walk would slow the search down as much as it saves)
    untracked = _untracked(ctx, top) if settled is None else None
    greps = [_start_grep(top, search, ()) for search in part.searches]
    found = [_grep_names(top, proc) for proc in greps]
    if any(f is None for f in found):
        return None
    finder = _finder(top, scan)
    for names in found:
        for p in names or ():
            finder.add_found(p, top)
    tracked = sorted(f.abspath for f in finder.result.files)
    gather = getattr(declared.module(), part.gather)
    facts = declared.empty(top)
    if settled is not None:
        for source, data in read_candidates(tracked, scan, declared.candidate_name, declared.candidate_data):
            gather(facts, source, data)
            if settled(facts):
                return facts
    more = _untracked_found(top, scan, declared, part, (untracked or _untracked(ctx, top)).names())
    if more is None:
        return None
    # gathered in path order, as the whole computation reads the files (the first place found wins)
    paths = more if settled is not None else sorted({*tracked, *more})
    for source, data in read_candidates(paths, scan, declared.candidate_name, declared.candidate_data):
        gather(facts, source, data)
        if settled is not None and settled(facts):
            break
    return facts


def _untracked_found(top: str, scan: ScanRules, declared: FactsProvider, part: Part,
                     names: list[str] | None) -> list[str] | None:
    """The untracked files (not ignored) that the part's searches find, as a scan would list them."""
    if names is None:
        return None
    finder = _finder(top, scan)
    for name in names:
        if declared.candidate_name(os.path.basename(name), kind_for(os.path.basename(name))):
            finder.add_found(os.path.join(top, name), top)
    candidates = [os.path.relpath(f.abspath, top) for f in finder.result.files]
    if not candidates:
        return []
    if len(candidates) > MAX_UNTRACKED:
        return None
    literal = [":(literal)" + c.replace(os.sep, "/") for c in candidates]
    # each search over those files only (its own pathspecs left out: a superset is harmless), the names
    # in batches that fit any command line (Windows allows 32,767 characters)
    batches: list[list[str]] = [[]]
    size = 0
    for spec in literal:
        if batches[-1] and size + len(spec) > 16_000:
            batches.append([])
            size = 0
        batches[-1].append(spec)
        size += len(spec)
    greps = [_start_grep(top, search._replace(pathspecs=tuple(batch)), ("--untracked",))
             for search in part.searches for batch in batches]
    results = [_grep_names(top, proc) for proc in greps]  # every process waited for
    found: set[str] = set()
    for names_found in results:
        if names_found is None:
            return None
        found.update(names_found)
    return sorted(found)


def _start_grep(top: str, search: Search, extra: tuple[str, ...]) -> subprocess.Popen[bytes] | None:
    """``git grep`` for the search's needles, started (tracked files only, unless ``extra`` says)."""
    args = ["grep", *GREP_OPTIONS, *extra, *(["-i"] if search.ignore_case else [])]
    for needle in search.needles:
        args += ["-e", needle.decode()]
    args += ["--", *(search.pathspecs or (".",)), *NO_FACTS_PATHSPECS]
    try:
        return gitcmd.start(args, top)
    except OSError:
        return None


def _grep_names(top: str, proc: subprocess.Popen[bytes] | None) -> list[str] | None:
    """The files a started ``git grep -l -z`` found (absolute); None when it failed."""
    if proc is None:
        return None
    done = gitcmd.finish(proc, 120)
    if done is None or proc.returncode not in (0, 1):
        return None
    return [os.path.join(top, os.fsdecode(p)) for p in done[0].split(b"\0") if p]


class _Untracked:
    """The untracked files git does not ignore (``git ls-files -o --exclude-standard``), listed in the
    background: git walks the whole work tree for them, which takes longer than a search of the tracked
    files, and a question the tracked files settle never waits for it."""

    def __init__(self, top: str) -> None:
        self.top = top
        self.listed: list[str] | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.proc = gitcmd.start(["ls-files", "-z", "--others", "--exclude-standard", "--", "."], top)
        except OSError:
            self.proc = None

    def names(self) -> list[str] | None:
        """The files, relative to the work tree's top (None when git could not list them)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            done = gitcmd.finish(proc, 120)
            if done is not None and proc.returncode == 0:
                self.listed = [os.fsdecode(n) for n in done[0].split(b"\0") if n]
        return self.listed

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self.names()


def _untracked(ctx: Context, top: str) -> _Untracked:
    """The untracked files of the work tree at ``top``, listed once per scan (started on first use)."""
    key = f"untracked:{top}"
    listing: _Untracked | None = ctx.facts.get(key)
    if listing is None:
        import weakref

        listing = ctx.facts[key] = _Untracked(top)
        weakref.finalize(ctx, listing.close)  # no git process outlives the scan's context
    return listing


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


def scan_rules(ctx: Context) -> ScanRules:
    return ScanRules(ctx.root, ctx.exclude, ctx.max_file_size, ctx.use_gitignore, ctx.listing)


def _finder(top: str, scan: ScanRules) -> Discoverer:
    """A discoverer that lists files of the repository at ``top`` as a scan of it would (excludes are
    relative to the scan root)."""
    return Discoverer(top, rebase_globs(list(scan.exclude), scan.root, top), scan.max_file_size,
                      scan.use_gitignore)


def _whole_scan(top: str, scan: ScanRules) -> bool:
    """The scan itself listed every file of the repository at ``top``."""
    return bool(scan.listing) and os.path.abspath(scan.root) == top


def git_searches(top: str, scan: ScanRules) -> bool:
    """Whether the files of the repository at ``top`` that mention something are found by ``git grep``
    (a git work tree, .gitignore honoured, and not already listed by the scan)."""
    return scan.use_gitignore and not _whole_scan(top, scan) and os.path.exists(os.path.join(top, ".git"))


def repository_files(top: str, scan: ScanRules, triggers: Iterable[bytes]) -> list[str]:
    """The files of the repository at ``top`` that a scan of it would list (absolute, sorted), narrowed
    to those that mention one of ``triggers`` where ``git grep`` can tell."""
    prefix = top.rstrip(os.sep) + os.sep
    finder = _finder(top, scan)
    # A scan of the whole repository already listed its files: reading the few kinds that can hold facts
    # (Markdown and most JSON are skipped) costs less than a git grep over every byte of the tree.
    # git grep (in C, multithreaded) finds the files, tracked or untracked and not ignored, that mention a
    # trigger: far faster than reading every file (None when git cannot answer: they are read here)
    candidates = _grep_names(top, _start_grep(top, Search(tuple(triggers)), ("--untracked",))) \
        if git_searches(top, scan) else None
    if candidates is not None:
        # git found the files that mention any trigger; keep those a scan of the root would list
        for p in candidates:
            finder.add_found(p, top)  # the scan's own rules: excludes, size cap, binaries
        return sorted(f.abspath for f in finder.result.files)
    if _whole_scan(top, scan):  # the scan itself listed the whole repository: reuse that
        return sorted(p for p in scan.listing if p.startswith(prefix))
    # list the files as a scan of the repository root would (excludes are relative to the scan root)
    finder.add_path(top)
    return sorted(f.abspath for f in finder.result.files)


# Markdown and reStructuredText never hold facts (their kinds are never gathered): git leaves them out. (Without
# the glob magic a ``*`` matches ``/`` too: the same files as ``**/*.md``, matched about 20% faster.)
NO_FACTS_PATHSPECS = tuple(f":(exclude)*{ext}" for ext in (".md", ".mdx", ".markdown", ".rst"))
# (no -I: a file .gitattributes marks binary is still read by a scan when its bytes are text; the scan's own
# rules drop the files whose bytes are binary; of gitcmd.NO_DRIVERS, git grep takes only --no-textconv)
GREP_OPTIONS = ("-l", "-z", "-F", "--no-color", "--no-textconv")


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
