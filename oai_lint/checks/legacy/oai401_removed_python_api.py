"""OAI401: the openai-python API that 1.0 removed (``openai.ChatCompletion``, ``openai.error``, …), with its
replacement."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.analysis.vocab import V0_SYMBOLS
from oai_lint.findings import Hit

_V0_RESOURCE = {
    "ChatCompletion": "client.chat.completions",
    "Completion": "client.completions",
    "Embedding": "client.embeddings",
    "Edit": "client.chat.completions",
    "Moderation": "client.moderations",
    "File": "client.files",
    "FineTune": "client.fine_tuning.jobs",
    "FineTuningJob": "client.fine_tuning.jobs",
    "Model": "client.models",
    "Engine": "client.models",
}
_V0_METHODS = {
    ("Image", "create"): "client.images.generate",
    ("Image", "create_edit"): "client.images.edit",
    ("Image", "create_variation"): "client.images.create_variation",
    ("Audio", "transcribe"): "client.audio.transcriptions.create",
    ("Audio", "translate"): "client.audio.translations.create",
    ("File", "download"): "client.files.content",
    ("Edit", "create"): "client.chat.completions.create (the Edits endpoint is gone)",
    ("FineTune", "list_events"): "client.fine_tuning.jobs.list_events",
}
_V0_EXCEPTIONS = {
    "InvalidRequestError": "openai.BadRequestError",
    "PermissionError": "openai.PermissionDeniedError",
    "ServiceUnavailableError": "openai.InternalServerError",
    "Timeout": "openai.APITimeoutError",
    "TryAgain": "openai.APIStatusError",
}


def _v0_replacement(symbol: str, method: str | None) -> str:
    if method and (symbol, method) in _V0_METHODS:
        return _V0_METHODS[(symbol, method)]
    base = _V0_RESOURCE.get(symbol)
    if base is None:
        return "no equivalent in openai>=1.0"
    if method in {"acreate", "alist", "aretrieve", "adelete"}:
        return f"await {base.replace('client.', 'async_client.')}.{method[1:]} with AsyncOpenAI()"
    if method:
        return f"{base}.{method}"
    return base


def python_hits(flow: PyFlow) -> Iterator[Hit]:
    idx = flow.idx
    reported_imports = False
    for stmt in idx.import_nodes:
        if (
            isinstance(stmt, ast.ImportFrom)
            and stmt.level == 0
            and stmt.module
            and (stmt.module == "openai.error" or stmt.module.startswith("openai.error."))
        ):
            names = ", ".join(a.name for a in stmt.names)
            new = ", ".join(_V0_EXCEPTIONS.get(a.name, f"openai.{a.name}") for a in stmt.names)
            reported_imports = True
            yield node_hit(
                "OAI401",
                stmt,
                {"old": f"from openai.error import {names}", "new": f"the top-level exceptions ({new})"},
                key="openai.error",
            )
        elif isinstance(stmt, ast.Import) and any(a.name.startswith("openai.error") for a in stmt.names):
            reported_imports = True
            yield node_hit(
                "OAI401",
                stmt,
                {"old": "import openai.error", "new": "the top-level exceptions (openai.RateLimitError, …)"},
                key="openai.error",
            )
    v0_locals = {local for local, full in idx.imports.names.items() if full.startswith("openai.")}
    candidates: list[ast.AST] = [a for attr in ("error", *V0_SYMBOLS) for a in idx.attrs.get(attr, [])]
    candidates += [n for name in v0_locals for n in idx.names.get(name, [])]
    candidates.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
    for node in candidates:
        if isinstance(node, ast.Attribute) and node.attr == "error" and flow.resolve(node) == "openai.error":
            parent = idx.parent(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                old = f"openai.error.{parent.attr}"
                yield node_hit(
                    "OAI401",
                    parent,
                    {"old": old, "new": _V0_EXCEPTIONS.get(parent.attr, f"openai.{parent.attr}")},
                    key=old,
                )
            elif not reported_imports:
                yield node_hit(
                    "OAI401",
                    node,
                    {"old": "openai.error", "new": "the top-level exceptions"},
                    key="openai.error",
                )
            continue
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(getattr(node, "ctx", None), ast.Load):
            symbol = flow.v0_symbol(node)
            if symbol is None:
                continue
            parent = idx.parent(node)
            method = parent.attr if isinstance(parent, ast.Attribute) and parent.value is node else None
            old = f"openai.{symbol}" + (f".{method}" if method else "")
            anchor: ast.AST = parent if method and parent is not None else node
            yield node_hit("OAI401", anchor, {"old": old, "new": _v0_replacement(symbol, method)}, key=old)
