"""The facts of a repository: computed up front for the repositories of a scan's files (``prime``), or
gathered file by file during the scan of a whole repository (``gather``); what checks ask (``for_source``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from oai_lint.analysis.repofacts.deploy import DEPLOY_CONTEXTS
from oai_lint.analysis.repofacts.model import Place, RepoFacts
from oai_lint.analysis.repofacts.provider import RULES, TRIGGERS, candidate_data, candidate_name, facts_key
from oai_lint.analysis.repofacts.reads import gather_into
from oai_lint.repository import ScanRules, read_candidates, repo_root, repository_files

if TYPE_CHECKING:
    from oai_lint.checks import Context
    from oai_lint.sources import Source

__all__ = ["DEPLOY_CONTEXTS", "Place", "RepoFacts", "compute", "for_source", "gather", "prime"]


def for_source(ctx: Context, source: Source) -> RepoFacts:
    """The facts of the repository ``source`` belongs to."""
    top = repo_root(ctx.root, source.abspath)
    facts: RepoFacts = ctx.fact(facts_key(top), lambda: compute(ctx, top))
    return facts


def prime(ctx: Context, abspaths: Iterable[str]) -> None:
    """Compute the facts of every repository the files belong to (before worker processes start)."""
    if not ctx.enabled(*RULES):
        return  # no rule that reads them is on (e.g. `--scope file`, the per-file pre-commit hook)
    tops = {repo_root(ctx.root, p) for p in abspaths}
    for top in sorted(tops):
        ctx.fact(facts_key(top), lambda top=top: compute(ctx, top))  # type: ignore[misc]


def compute(ctx: Context, top: str) -> RepoFacts:
    """The facts of the repository at ``top``, from every file of it that can contribute."""
    facts = RepoFacts(root=top)
    scan = ScanRules(ctx.root, ctx.exclude, ctx.max_file_size, ctx.use_gitignore, ctx.listing)
    for source, data in read_candidates(repository_files(top, scan, TRIGGERS), scan, candidate_name,
                                        candidate_data):
        gather_into(facts, source, data)
    return facts


def gather(top: str, source: Source, data: bytes) -> RepoFacts:
    """The facts one file contributes (the scan of a whole repository gathers them while it reads
    each file, and merges them in path order with :meth:`RepoFacts.merge`)."""
    facts = RepoFacts(root=top)
    gather_into(facts, source, data)
    return facts
