"""Repository-level facts in a scan: what some checks need to know of the whole repository a file
belongs to, from the providers rule families declare (see ``oai_lint.repository``). A scan of a whole
repository gathers them from each file as it reads it, and the checks that need them wait until every
file is read; any other scan computes the facts of the repositories its files belong to up front,
before worker processes fork."""

from __future__ import annotations

import os
from typing import Any

from oai_lint.checks import Context
from oai_lint.discover import FileEntry
from oai_lint.engine.results import FileResult
from oai_lint.engine.scanner import Scanner
from oai_lint.engine.settings import Settings
from oai_lint.repository import FactsProvider, prime, provider, repo_root
from oai_lint.sources import kind_for


def merge_facts(providers: list[FactsProvider], files: list[FileEntry], results: list[FileResult | None],
                top: str) -> dict[str, Any]:
    """The facts of the repository from what each file told, by provider, in path order (as one pass
    over the files in that order would have found them)."""
    merged = {p.name: p.empty(top) for p in providers}
    for i in sorted(range(len(files)), key=lambda i: files[i].abspath):
        r = results[i]
        if r is not None and r.facts is not None:
            for name, facts in r.facts.items():
                merged[name].merge(facts)
            r.facts = None
    return merged


def scanner_with_facts(probe: Scanner, files: list[FileEntry], settings: Settings, context: Context,
                       whole_root: bool) -> Scanner:
    """The scanner for a scan some of whose checks need the repository-level facts. One of a whole
    repository (``whole_root``) gathers them while it reads the files, and the few checks that need
    them wait (on the files that kept them) until every file has been read. Otherwise the facts of the
    repositories the files belong to are computed here, up front, before workers fork."""
    gather: str | None = None
    # git listed the files of the repository at the root, none of another
    listed_by_git = whole_root and context.in_git and os.path.exists(os.path.join(context.root, ".git"))
    # by provider: the files of kinds some check that needs its facts reads (never Markdown, for one)
    others: dict[str, list[str]] = {}
    if not listed_by_git:
        for f in files:
            for c in probe.plan(kind_for(f.relpath.rsplit("/", 1)[-1])).checks:
                if c.facts:
                    others.setdefault(c.facts, []).append(f.abspath)
    if whole_root:
        top = os.path.abspath(context.root)
        # the facts of the root's own repository (a git top, or a directory outside git); a scan of a
        # subdirectory of a work tree gathers none: the facts of that work tree are computed
        gather = top if repo_root(context.root, os.path.join(top, "_")) == top else None
        in_root: dict[str, bool] = {}  # by directory
        for module, paths in others.items():
            rest = []
            for p in dict.fromkeys(paths):
                d = os.path.dirname(p)
                here = in_root.get(d)
                if here is None:
                    here = in_root[d] = repo_root(context.root, p) == gather
                if not here:
                    rest.append(p)
            others[module] = rest
    wanted = {p.name for p in probe.providers}
    for module, paths in others.items():
        declared = provider(module)
        if paths and declared.name in wanted:
            prime(context, declared, paths)  # facts of other repositories
    if gather is not None:
        # gathered while the files are read: a check that asks for them before runs again after
        context.later = frozenset(p.key(gather) for p in probe.providers)
    return Scanner(settings, context, gather)


def publish(scanner: Scanner, files: list[FileEntry], results: list[FileResult | None]) -> dict[str, Any]:
    """Merge the facts the files of the scan gathered into the scanner's context, once every file is
    read; returns them by key (for the worker processes)."""
    top = scanner.gather
    assert top is not None
    merged = merge_facts(scanner.providers, files, results, top)
    published = {p.key(top): merged[p.name] for p in scanner.providers}
    scanner.context.facts.update(published)
    return published
