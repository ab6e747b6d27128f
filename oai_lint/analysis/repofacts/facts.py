"""The facts of the repository a file belongs to, for the organization/project rules: the implementation
of ``provider.PROVIDER`` (``empty``, ``gather_into``, and the gatherers of its parts) and what checks ask
(``for_source``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oai_lint.analysis.repofacts.model import Place, RepoFacts
from oai_lint.analysis.repofacts.provider import PROVIDER
from oai_lint.analysis.repofacts.reads import gather_into, gather_reads, gather_retries, gather_wrappers
from oai_lint.repository import facts_for
from oai_lint.sources.settings import DEPLOY_CONTEXTS

if TYPE_CHECKING:
    from oai_lint.checks import Context
    from oai_lint.sources import Source

__all__ = ["DEPLOY_CONTEXTS", "Place", "RepoFacts", "empty", "for_source", "gather_into", "gather_reads",
           "gather_retries", "gather_wrappers"]


def empty(top: str) -> RepoFacts:
    """No facts yet of the repository at ``top``."""
    return RepoFacts(root=top)


def for_source(ctx: Context, source: Source) -> RepoFacts:
    """The facts of the repository ``source`` belongs to."""
    facts: RepoFacts = facts_for(ctx, PROVIDER, source.abspath)
    return facts
