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
# modules of openai<1.0 that are gone: importing them fails at start-up
_V0_MODULES = {
    "openai.error": "the top-level exceptions",
    "openai.embeddings_utils": "your own helpers (cosine similarity with numpy; client.embeddings.create for the "
                               "vectors)",
    "openai.openai_object": "the typed response objects (response.model_dump() for a dict)",
    "openai.datalib": "importing numpy/pandas yourself",
}
# the pre-1.0 exceptions the top-level module also exported; openai.APIError and openai.OpenAIError still exist
_V0_TOP_LEVEL_EXCEPTIONS = {"InvalidRequestError": "openai.BadRequestError"}
_RETRIES = "; the old SDK never retried rate limits and this call has no retry handling (migrating fixes both)"

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


def _module_of(name: str) -> str | None:
    return next((m for m in _V0_MODULES if name == m or name.startswith(m + ".")), None)


def python_hits(flow: PyFlow) -> Iterator[Hit]:
    idx = flow.idx
    reported_imports: set[str] = set()
    for stmt in idx.import_nodes:
        if flow.in_v0_branch(stmt):
            continue
        if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            module = _module_of(stmt.module)
            if module is None and stmt.module == "openai":
                gone = [a.name for a in stmt.names if f"openai.{a.name}" in _V0_MODULES]
                for name in gone:
                    reported_imports.add(f"openai.{name}")
                    yield node_hit("OAI401", stmt, {"old": f"from openai import {name}",
                                                    "new": _V0_MODULES[f"openai.{name}"], "retries": ""},
                                   key=f"openai.{name}")
                continue
            if module is None:
                continue
            names = ", ".join(a.name for a in stmt.names)
            reported_imports.add(module)
            if module == "openai.error":
                new = ", ".join(_V0_EXCEPTIONS.get(a.name, f"openai.{a.name}") for a in stmt.names)
                yield node_hit("OAI401", stmt, {"old": f"from openai.error import {names}",
                                                "new": f"the top-level exceptions ({new})", "retries": ""},
                               key="openai.error")
            else:
                yield node_hit("OAI401", stmt, {"old": f"from {stmt.module} import {names}",
                                                "new": _V0_MODULES[module], "retries": ""}, key=module)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                module = _module_of(alias.name)
                if module is None:
                    continue
                reported_imports.add(module)
                new = "the top-level exceptions (openai.RateLimitError, …)" if module == "openai.error" \
                    else _V0_MODULES[module]
                yield node_hit("OAI401", stmt, {"old": f"import {alias.name}", "new": new, "retries": ""},
                               key=module)
    v0_locals = {local for local, full in idx.imports.names.items() if full.startswith("openai.")}
    attrs = ("error", "embeddings_utils", "openai_object", "datalib", *_V0_TOP_LEVEL_EXCEPTIONS, *V0_SYMBOLS)
    candidates: list[ast.AST] = [a for attr in attrs for a in idx.attrs.get(attr, [])]
    candidates += [n for name in v0_locals for n in idx.names.get(name, [])]
    candidates.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
    for node in candidates:
        if flow.in_v0_branch(node):
            continue  # compatibility code for both SDKs: the other branch is the 1.0 code
        if isinstance(node, ast.Attribute) and node.attr in {"error", "embeddings_utils", "openai_object",
                                                             "datalib"}:
            module = flow.resolve(node)
            if module not in _V0_MODULES:
                continue
            parent = idx.parent(node)
            if module == "openai.error" and isinstance(parent, ast.Attribute) and parent.value is node:
                old = f"openai.error.{parent.attr}"
                yield node_hit(
                    "OAI401",
                    parent,
                    {"old": old, "new": _V0_EXCEPTIONS.get(parent.attr, f"openai.{parent.attr}"), "retries": ""},
                    key=old,
                )
            elif module not in reported_imports:
                reported_imports.add(module)
                yield node_hit("OAI401", node, {"old": module, "new": _V0_MODULES[module], "retries": ""},
                               key=module)
            continue
        if isinstance(node, ast.Attribute) and node.attr in _V0_TOP_LEVEL_EXCEPTIONS:
            if flow.resolve(node) == f"openai.{node.attr}" and isinstance(node.ctx, ast.Load):
                old = f"openai.{node.attr}"
                yield node_hit("OAI401", node, {"old": old, "new": _V0_TOP_LEVEL_EXCEPTIONS[node.attr],
                                                "retries": ""}, key=old)
            continue
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(getattr(node, "ctx", None), ast.Load):
            symbol = flow.v0_symbol(node)
            if symbol is None:
                continue
            parent = idx.parent(node)
            method = parent.attr if isinstance(parent, ast.Attribute) and parent.value is node else None
            old = f"openai.{symbol}" + (f".{method}" if method else "")
            anchor: ast.AST = parent if method and parent is not None else node
            call = idx.parent(anchor) if method else None
            retries = ""
            if isinstance(call, ast.Call) and call.func is anchor and not flow.covered(call):
                retries = _RETRIES  # (OAI303 leaves this call to this finding: one problem, one fix)
            yield node_hit("OAI401", anchor, {"old": old, "new": _v0_replacement(symbol, method),
                                              "retries": retries}, key=old)
