"""OAI408: module settings of openai-python 1.x (``openai.api_key = …``) in a file whose requests go through an
explicit ``OpenAI()`` / ``AsyncOpenAI()`` client that is not given the value: the client never reads them.
A file that also calls the module-level client (``openai.chat.completions.create``) is not reported."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.analysis.vocab import V1_RESOURCES
from oai_lint.findings import Hit

_CLIENTS = {"openai.OpenAI": "OpenAI()", "openai.AsyncOpenAI": "AsyncOpenAI()"}
# setting -> what the client does instead (openai-python src/openai/_client.py, reference facts)
_EFFECT = {
    "api_key": "it reads OPENAI_API_KEY instead, and raises at start-up when that is not set",
    "organization": "it sends the organization of OPENAI_ORG_ID, or none (the key's default organization "
                    "is billed)",
    "project": "it sends the project of OPENAI_PROJECT_ID, or none (a user key's default project is used)",
    "base_url": "its requests go to OPENAI_BASE_URL, or to https://api.openai.com/v1",
    "max_retries": "it retries twice (its own default)",
}
MODULE_SETTINGS = tuple(_EFFECT)  # the module settings this rule reports


def python_hits(flow: PyFlow) -> Iterator[Hit]:
    idx = flow.idx
    assigned = [
        (target.attr, assign) for target, _value, assign in idx.assigns
        if isinstance(target, ast.Attribute) and target.attr in _EFFECT
        and flow.resolve(target) == f"openai.{target.attr}"
    ]
    if not assigned:
        return
    clients: list[tuple[str, ast.Call]] = []
    for call in idx.calls:
        resolved = flow.resolve(call.func)
        if resolved in _CLIENTS:
            clients.append((_CLIENTS[resolved], call))
        elif resolved and resolved.startswith("openai.") and resolved.split(".")[1] in V1_RESOURCES:
            return  # the module-level client serves calls here: the settings are used
    for setting, assign in assigned:
        ignoring = [(label, call) for label, call in clients
                    if not any(kw.arg is None or kw.arg == setting for kw in call.keywords)]
        if not ignoring:
            continue
        label, call = ignoring[0]
        params = {
            "setting": f"openai.{setting}",
            "client": f"{label} (line {call.lineno})",
            "effect": _EFFECT[setting],
            "argument": f"{setting}=",
        }
        yield node_hit("OAI408", assign, params, key=setting)
