"""Repository-level facts in a scan: what some checks need to know of the whole repository a file
belongs to (see ``oai_lint.analysis.repofacts``). A scan of a whole repository gathers them from each file as
it reads it, and the checks that need them wait until every file is read; any other scan computes the
facts of the repositories its files belong to up front, before worker processes fork."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from oai_lint.analysis.repofacts.provider import facts_key
from oai_lint.checks import Context, prime
from oai_lint.discover import FileEntry
from oai_lint.engine.results import FileResult
from oai_lint.engine.scanner import Scanner
from oai_lint.engine.settings import Settings
from oai_lint.repository import repo_root
from oai_lint.sources import kind_for

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import RepoFacts


def merge_facts(files: list[FileEntry], results: list[FileResult | None], top: str) -> RepoFacts:
    """The facts of the repository from what each file told, in path order (as one pass over the
    files in that order would have found them)."""
    from oai_lint.analysis.repofacts.model import RepoFacts  # its libraries: only once some file told a fact

    facts = RepoFacts(root=top)
    for i in sorted(range(len(files)), key=lambda i: files[i].abspath):
        r = results[i]
        if r is not None and r.facts is not None:
            facts.merge(r.facts)
            r.facts = None
    return facts


def scanner_with_facts(probe: Scanner, files: list[FileEntry], settings: Settings, context: Context,
                       whole_root: bool) -> Scanner:
    """The scanner for a scan some of whose checks need the repository-level facts. One of a whole
    repository (``whole_root``) gathers them while it reads the files, and the few checks that need
    them wait (on the files that kept them) until every file has been read. Otherwise the facts of the
    repositories the files belong to are computed here, up front, before workers fork."""
    gather: str | None = None
    # files of kinds some fact-dependent check reads (never Markdown, for one)
    others = [f.abspath for f in files
              if any(c.prime is not None for c in probe.plan(kind_for(f.relpath.rsplit("/", 1)[-1])).checks)
              ] if not (whole_root and context.in_git and os.path.exists(os.path.join(context.root, ".git"))) \
        else []  # git listed the files of the repository at the root, none of another
    if whole_root:
        top = os.path.abspath(context.root)
        # the facts of the root's own repository (a git top, or a directory outside git); a scan of a
        # subdirectory of a work tree gathers none: the facts of that work tree are computed
        gather = top if repo_root(context.root, os.path.join(top, "_")) == top else None
        in_root: dict[str, bool] = {}  # by directory
        rest = []
        for p in others:
            d = os.path.dirname(p)
            here = in_root.get(d)
            if here is None:
                here = in_root[d] = repo_root(context.root, p) == gather
            if not here:
                rest.append(p)
        others = rest
    if others:
        prime(context, probe.checks, others)  # facts of other repositories
    if gather is not None:
        # gathered while the files are read: a check that asks for them before runs again after
        context.later = frozenset({facts_key(gather)})
    return Scanner(settings, context, gather)



def publish(scanner: Scanner, files: list[FileEntry], results: list[FileResult | None]) -> dict[str, RepoFacts]:
    """Merge the facts the files of the scan gathered into the scanner's context, once every file is
    read; returns them by key (for the worker processes)."""
    assert scanner.gather is not None
    key = facts_key(scanner.gather)
    scanner.context.facts[key] = merge_facts(files, results, scanner.gather)
    return {key: scanner.context.facts[key]}
