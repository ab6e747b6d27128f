"""Narrow questions about the repository a file belongs to, which checks ask instead of taking the whole
facts (``RepoFacts``): when the scan neither has nor gathers those, each is answered from the few files
that can change its answer (``oai_lint.repository.part_for``), with the answer the whole facts give."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from oai_lint.analysis.ids import WRAPPER_READS
from oai_lint.analysis.repofacts.provider import PROVIDER, RETRIES_PART, WRAPPERS_PART, reads_part
from oai_lint.repository import part_for

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import Place, RepoFacts
    from oai_lint.checks import Context


def readers(ctx: Context, abspath: str, names: Iterable[str]) -> dict[str, str | None]:
    """``RepoFacts.reader_of`` for each of the names, in the repository of the file at ``abspath``: "code"
    when some code, script or config reads the name, else the label of a wrapper present that reads it,
    else None. The names are asked together (one search for all of them)."""
    wanted = sorted(set(names))
    facts: RepoFacts = part_for(ctx, PROVIDER, abspath, reads_part(wanted))
    found = {name: facts.reader_of(name) for name in wanted}
    # no code reads these (the facts say so exactly): a wrapper may
    rest = [name for name in wanted if found[name] != "code" and WRAPPER_READS.get(name)]
    if rest:
        wrappers: RepoFacts = part_for(ctx, PROVIDER, abspath, WRAPPERS_PART)
        found.update((name, wrappers.reader_of(name)) for name in rest)
    return found


def retries_off(ctx: Context, abspath: str) -> dict[str, Place]:
    """``RepoFacts.retries_off`` for the repository of the file at ``abspath``."""
    facts: RepoFacts = part_for(ctx, PROVIDER, abspath, RETRIES_PART)
    return facts.retries_off
