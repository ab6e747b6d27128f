"""Where a file talks to the OpenAI API: SDK and wrapper clients, raw HTTP requests, header literals.

Shared by the OAI2xx checks (one file) and by ``oai_lint.repofacts`` (the whole repository), so that
both read a file the same way. Everything here works on the views a ``Source`` offers (Python ``ast``,
the tree-sitter tree for JS/TS, ``curl`` commands); nothing parses files itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oai_lint.analysis.ids import header_role
from oai_lint.analysis.usage.curl import curl_usage
from oai_lint.analysis.usage.javascript import JsUsage
from oai_lint.analysis.usage.model import FileUsage, Header, Use, Val, iter_org_project_values
from oai_lint.analysis.usage.python import PyUsage
from oai_lint.analysis.vocab import (
    CURL_KINDS,
    JS_CLIENT_MODULES,
    JS_KINDS,
    OPENAI_HOST,
    PY_CLIENT_IMPORT,
    PY_KINDS,
)
from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.sources import Source

__all__ = ["FileUsage", "Header", "Use", "Val", "analyse", "iter_org_project_values"]

# Cheap text tests that decide whether a file needs parsing at all.
_HEADER_CANDIDATE = lazy_compile(r"""["'`]([\w -]{0,20}(?:org|proj|Org|Proj|ORG|PROJ)[\w -]{0,25})"""
                               r"""["'`]""")
# Files read for the repository facts and then scanned are analysed once per process; the memo is emptied
# when full, so that a long-lived process (a history scan, the language server) does not keep every file's.
_CACHE: dict[tuple[str, int, int], FileUsage] = {}
_CACHE_SIZE = 1 << 14


def _has_header_names(text: str) -> bool:
    return any(header_role(m.group(1)) for m in _HEADER_CANDIDATE.finditer(text))


def analyse(source: Source) -> FileUsage:
    """Clients, raw requests and header literals of one file (memoised per file content)."""
    key = (source.abspath, len(source.text), hash(source.text))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    out = FileUsage()
    text = source.text
    if source.kind in PY_KINDS:
        clients = bool(PY_CLIENT_IMPORT.search(text))
        if (clients or OPENAI_HOST in text or _has_header_names(text)) and source.pyindex is not None:
            PyUsage(source, source.pyindex, out).run()
    elif source.kind in JS_KINDS:
        clients = any(m in text for m in JS_CLIENT_MODULES)
        raw = OPENAI_HOST in text
        headers = _has_header_names(text)
        if (clients or raw or headers) and source.js is not None:
            JsUsage(source, source.js, out).run(clients, raw, headers)
    if source.kind in CURL_KINDS:
        curl_usage(source, out)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = out
    return out
