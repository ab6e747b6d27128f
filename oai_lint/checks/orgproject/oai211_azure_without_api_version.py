"""OAI211: ``AzureOpenAI(...)`` / ``AsyncAzureOpenAI(...)`` (openai-python) without ``api_version=`` where nothing
in the repository sets ``OPENAI_API_VERSION`` for that code: the constructor raises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.pyflow import node_hit
from oai_lint.analysis.repofacts.provider import PROVIDER
from oai_lint.checks import Context
from oai_lint.findings import Hit
from oai_lint.repository import facts_for
from oai_lint.sources import Source

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import RepoFacts

_AZURE = {"openai.AzureOpenAI": "AzureOpenAI()", "openai.AsyncAzureOpenAI": "AsyncAzureOpenAI()",
          "openai.lib.azure.AzureOpenAI": "AzureOpenAI()", "openai.lib.azure.AsyncAzureOpenAI": "AsyncAzureOpenAI()"}


def python_hits(source: Source, ctx: Context) -> Iterator[Hit]:
    text = source.text
    # a file that names OPENAI_API_VERSION (reads it, or tells how to run it with it) counts as setting it
    if not ctx.enabled("OAI211") or "AzureOpenAI" not in text or "OPENAI_API_VERSION" in text:
        return
    idx = source.pyindex
    if idx is None:
        return
    bare = []
    for call in idx.calls:
        label = _AZURE.get(idx.imports.resolve(call.func) or "")
        # `**options` may carry the version: count it as set
        if label and not any(kw.arg in {None, "api_version"} for kw in call.keywords):
            bare.append((label, call))
    if not bare:
        return
    facts: RepoFacts = facts_for(ctx, PROVIDER, source.abspath)
    if facts.env_place("OPENAI_API_VERSION", source.abspath) is not None:
        return
    for label, call in bare:
        yield node_hit("OAI211", call, {"client": label}, key=label)
