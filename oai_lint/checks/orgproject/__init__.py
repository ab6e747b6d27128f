"""OAI2xx: organization and project settings that make requests fail with 401/403 or bill the wrong org.

Three checks share the rule ids: one reads env-style settings (``.env``, compose, workflows, Kubernetes,
Dockerfiles, shell exports), one reads code (Python, notebooks, JS/TS), one reads ``curl`` commands.
Questions about the whole repository (which env names the code reads, which wrappers it uses, where
it pins an organization or project) go to ``oai_lint.analysis.repofacts``, never to the files on the command line.

One module per rule (``oai2NN_*.py``; the rules decided together share one); the checks registered here
read a file once (its settings, or its OpenAI usage, :mod:`oai_lint.analysis.usage`) and hand it to each.
"""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.usage import FileUsage, analyse
from oai_lint.analysis.vocab import CODE_KINDS, CURL_KINDS, OPENAI_HOST, is_minified
from oai_lint.checks import Context, check
from oai_lint.checks.orgproject import (
    oai201_ignored_env_name,
    oai202_oai203_oai204_id_format,
    oai205_oai206_oai207_client_scope,
    oai208_raw_request_auth,
    oai209_misspelled_header,
)
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source

# The repository facts this family's checks need: a provider the engine reads before any of their code is
# imported (oai_lint.analysis.repofacts.provider); a per-file run (the pre-commit hook, --scope file)
# never computes them.
_FACTS = "oai_lint.analysis.repofacts.provider"

_OPENAI_HEADER_TEXT = lazy_compile(r"open[-_ ]?ai-")  # searched in the lower-cased text (faster than (?i))


def _docs_severity(source: Source) -> str | None:
    return "info" if source.kind == "markdown" else None


@check("OAI201", "OAI202", "OAI203", "OAI204", kinds={"env", "shell", "dockerfile", "yaml"},
       triggers=(b"OPENAI",), facts=_FACTS)
def env_settings(source: Source, ctx: Context) -> Iterator[Hit]:
    settings = source.settings
    if not settings:
        return
    yield from oai202_oai203_oai204_id_format.setting_hits(settings)
    yield from oai201_ignored_env_name.setting_hits(source, ctx, settings)


# == code and curl ============================================================================
@check("OAI202", "OAI203", "OAI204", "OAI205", "OAI206", "OAI207", "OAI208", "OAI209", kinds=CODE_KINDS,
       triggers=(b"openai", b"OpenAI", b"OPENAI", b"Openai"), facts=_FACTS)
def code_usage(source: Source, ctx: Context) -> Iterator[Hit]:
    if not source.openai_code or is_minified(source.name, source.text):
        return  # no OpenAI code, or build output (its source is checked where it is written)
    usage = analyse(source)
    if usage.uses or usage.headers:
        yield from _file_hits(source, ctx, usage)


_CURL_TRIGGERS = (b"openai", b"OpenAI", b"OPENAI", b"Openai")


# curl in documentation never needs the repository facts (OAI205/OAI206 do not apply to docs), so the
# Markdown variant needs no facts. Docs are most of a large repository's bytes, and "curl" and "openai"
# occur on many pages (install instructions, prose): only pages that name the API host are looked at.
@check("OAI202", "OAI203", "OAI204", "OAI208", "OAI209", kinds={"markdown"}, requires=b"api.openai.com",
       triggers=(b"curl",))
def curl_docs(source: Source, ctx: Context) -> Iterator[Hit]:
    yield from curl_usage(source, ctx)


@check("OAI202", "OAI203", "OAI204", "OAI205", "OAI206", "OAI208", "OAI209", kinds=CURL_KINDS - {"markdown"},
       requires=b"curl", triggers=_CURL_TRIGGERS, facts=_FACTS)
def curl_usage(source: Source, ctx: Context) -> Iterator[Hit]:
    text = source.text
    if "curl" not in text or (OPENAI_HOST not in text and not _header_mention(source)):
        return
    usage = analyse(source)
    if usage.uses or usage.headers:
        yield from _file_hits(source, ctx, usage)


def _header_mention(source: Source) -> bool:
    """Whether the text names an OpenAI-… header in any case (lower-casing a large page only when it
    holds "ai-" in some case at all)."""
    text = source.text
    return any(s in text for s in ("ai-", "AI-", "Ai-", "aI-")) \
        and _OPENAI_HEADER_TEXT.search(source.lower_text) is not None
def _file_hits(source: Source, ctx: Context, usage: FileUsage) -> Iterator[Hit]:
    severity = _docs_severity(source)
    yield from oai202_oai203_oai204_id_format.usage_hits(usage, severity)
    yield from oai209_misspelled_header.usage_hits(usage, severity)
    for use in usage.uses:
        if use.raw:
            yield from oai208_raw_request_auth.use_hits(use, severity)
    yield from oai205_oai206_oai207_client_scope.usage_hits(source, ctx, usage)


__all__ = ["code_usage", "curl_docs", "curl_usage", "env_settings"]
