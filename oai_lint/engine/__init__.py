"""The pipeline: discover the files -> read each as a source -> run the checks -> findings -> filter.

One module per step: ``reading`` (a file's bytes), ``plan`` (which checks read a kind of file, and the
byte prefilter in front of them), ``scanner`` (one file: read, prefilter, decode, run the checks),
``finalize`` (hits become findings: texts, suppressions, fingerprints), ``pool`` (the worker processes
of a large scan), ``facts`` (repository-level facts that some checks wait for). This module runs a scan
from end to end. The engine knows no rule by id: the checks name the rules they report, the meta rules
live with the suppression comments (``oai_lint.suppress.meta``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from typing import TYPE_CHECKING

from oai_lint.checks import Context, registry
from oai_lint.discover import UNKNOWN_SIZE, Discovery, FileEntry, discover, rel, size_cap_note
from oai_lint.engine.facts import publish, scanner_with_facts
from oai_lint.engine.finalize import outgoing
from oai_lint.engine.results import FileResult, ScanResult
from oai_lint.engine.scanner import Scanner
from oai_lint.engine.settings import Settings
from oai_lint.findings import Finding, Note
from oai_lint.redaction import redact as redact_text
from oai_lint.ruleset import rule_ids

if TYPE_CHECKING:
    from oai_lint.engine.pool import Workers

__all__ = ["FileResult", "ScanResult", "Scanner", "Settings", "relax_gc", "scan", "scan_files", "scan_stdin",
           "warm_up"]

PARALLEL_MIN_FILES = 400
PARALLEL_MIN_BYTES = 16_000_000
WARM_INDEX_BYTES = 64_000  # a git index of about 500 files or more

# what the workers of a large scan import anyway besides the checks: the parsers of the common kinds
_WARM_MODULES = (
    "oai_lint.analysis.repofacts.facts", "oai_lint.sources.deps", "oai_lint.sources.notebook",
    "oai_lint.sources.settings", "oai_lint.sources.yamlsrc", "oai_lint.sources.python", "yaml", "tomllib",
)


def warm_up() -> None:
    """Import the modules a large scan needs (before its workers fork, so that each need not)."""
    checks = {c.name.rsplit(".", 1)[0] for c in registry()}
    for name in (*sorted(checks), *_WARM_MODULES):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def relax_gc() -> None:
    """Collect cyclic garbage less often during a scan: it allocates many short-lived objects (a result
    per file, syntax trees) and leaves few cycles, so the default thresholds spent about 6% of a large
    scan in the collector for nothing (the peak memory on the bench tree does not change)."""
    import gc

    gc.set_threshold(50_000, 20, 100)


def _jobs(settings: Settings, files: list[FileEntry]) -> int:
    if settings.jobs > 0:
        return settings.jobs
    if len(files) < PARALLEL_MIN_FILES:
        total = 0
        for f in files:
            if f.size == UNKNOWN_SIZE:
                with contextlib.suppress(OSError):
                    total += os.stat(f.abspath).st_size
            else:
                total += f.size
        if total < PARALLEL_MIN_BYTES:
            return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _scanner(files: list[FileEntry], settings: Settings, context: Context, whole_root: bool,
             serial: bool = False) -> Scanner:
    """The scanner for a scan: with the repository-level facts when an enabled check needs them.
    ``serial``: a scan of some files in this process only; the facts of a repository are then computed
    when a check first asks for them (often none does: an editor's or a script's few files), not up front
    for worker processes."""
    probe = Scanner(settings, context)
    if not probe.needs_facts() or (serial and not whole_root):
        return probe
    return scanner_with_facts(probe, files, settings, context, whole_root)


def _serial(files: list[FileEntry], scanner: Scanner) -> list[FileResult]:
    results = [scanner.scan_file(f, i) for i, f in enumerate(files)]
    if scanner.gather is not None and scanner.pending:  # else no check waits for the facts
        publish(scanner, files, list(results))
        for i, r in scanner.finish_pending().items():
            results[i] = r
    return results


def _pool(jobs: int, scanner: Scanner, files: list[FileEntry]) -> Workers:
    from oai_lint.engine.pool import Workers  # multiprocessing: only for a scan large enough for workers

    return Workers(jobs, scanner, files)


def scan_files(files: list[FileEntry], settings: Settings, context: Context) -> list[FileResult]:
    """Scan the files, each once (``context.listing``: they are the whole repository at the root)."""
    jobs = _jobs(settings, files)
    scanner = _scanner(files, settings, context, bool(context.listing), serial=jobs <= 1 or len(files) < 2)
    if jobs <= 1 or len(files) < 2:
        return _serial(files, scanner)
    return _pool(jobs, scanner, files).run()


def scan(paths: list[str], settings: Settings, root: str | None = None) -> ScanResult:
    root = os.path.abspath(root or os.getcwd())
    paths = paths or ["."]
    whole_root = any(os.path.abspath(p) == root for p in paths)

    early: list[Workers] = []

    def on_tracked(so_far: Discovery) -> None:
        """A large repository scanned whole from its top: the workers start on the files git tracks
        while git still walks the work tree for untracked ones."""
        if not (len(paths) == 1 and whole_root and os.path.exists(os.path.join(root, ".git"))):
            return
        files = list(so_far.files)
        if settings.jobs == 1 or (settings.jobs == 0 and len(files) < PARALLEL_MIN_FILES):
            return
        jobs = _jobs(settings, files)
        if jobs > 1:
            early.append(_pool(jobs, _scanner(files, settings, _context(settings, root, True, ()), True), files))

    def while_git_lists(directory: str) -> None:
        """While git lists a large repository that is about to be scanned by worker processes, import
        what they will need: imported once here, before they fork, rather than once in each."""
        if not (len(paths) == 1 and whole_root and directory == root) or settings.jobs == 1:
            return
        try:  # the index of a repository with a few hundred files or more
            if os.path.getsize(os.path.join(root, ".git", "index")) < WARM_INDEX_BYTES:
                return
        except OSError:
            return
        warm_up()

    try:
        found: Discovery = discover(
            paths, root, settings.exclude, settings.max_file_size, settings.use_gitignore,
            settings.force_exclude, defer_stat=True, on_tracked=on_tracked, while_git_lists=while_git_lists,
        )
    except BaseException:
        for pool in early:
            pool.close()
        raise
    if early:
        pool = early[0]
        known = {f.abspath for f in pool.files}
        pool.extend([f for f in found.files if f.abspath not in known])
        results = pool.run()
        files = pool.files
    else:
        listing = tuple(f.abspath for f in found.files) if whole_root else ()
        results = scan_files(found.files, settings, _context(settings, root, found.in_git, listing))
        files = found.files
    return _result(settings, root, results, found.notes, found.skipped_binary,
                   _named_unscanned(paths, root, files, results))


def scan_stdin(data: bytes, filename: str, settings: Settings, root: str | None = None) -> ScanResult:
    """Scan ``data`` (standard input) as the file ``filename`` would be: its kind comes from the name, and
    the repository around that path gives the rules their repository facts. Nothing is read from disk
    for the file itself, which need not exist."""
    root = os.path.abspath(root or os.getcwd())
    abspath = os.path.abspath(filename)
    entry = FileEntry(abspath, rel(abspath, root), len(data), True, os.path.dirname(abspath), data)
    if len(data) > settings.max_file_size:
        return _result(settings, root, [FileResult(notes=[Note(entry.relpath, size_cap_note(
            len(data), settings.max_file_size))])], [], 0, [entry.relpath])
    # (in_git matters only to a scan of the whole root that git listed: never this one)
    results = scan_files([entry], settings, _context(settings, root, False, ()))
    return _result(settings, root, results, [], 0, [] if results[0].scanned else [entry.relpath])


def _context(settings: Settings, root: str, in_git: bool, listing: tuple[str, ...]) -> Context:
    return Context(root=root, options=dict(settings.options), in_git=in_git,
                   rules=frozenset(r for r in rule_ids() if settings.enabled(r)),
                   exclude=tuple(settings.exclude), max_file_size=settings.max_file_size,
                   use_gitignore=settings.use_gitignore, listing=listing)


def _result(settings: Settings, root: str, results: list[FileResult], found_notes: list[Note],
            skipped_binary: int, named_unscanned: list[str]) -> ScanResult:
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    notes = list(found_notes)
    scanned = 0
    for r in results:
        scanned += r.scanned
        notes.extend(r.notes)
        for f in r.findings:
            (suppressed if f.suppressed else findings).append(f)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    notes = [Note(redact_text(n.path), outgoing(n.message), n.kind) for n in notes]
    notes.sort()
    baselined: list[Finding] = []
    if settings.baseline is not None:
        findings, baselined = settings.baseline.split(findings, root)
    return ScanResult(findings, notes, scanned, skipped_binary, root, suppressed, baselined, named_unscanned)


def _named_unscanned(paths: list[str], root: str, files: list[FileEntry], results: list[FileResult]) -> list[str]:
    """The files named in ``paths`` (not directories) that discovery left out or the scan did not read."""
    named = {os.path.abspath(p) for p in paths if os.path.lexists(p) and not os.path.isdir(p)}
    if not named:
        return []
    for f, r in zip(files, results, strict=True):
        if f.abspath in named and r.scanned:
            named.discard(f.abspath)
    return sorted(rel(p, root) for p in named)
