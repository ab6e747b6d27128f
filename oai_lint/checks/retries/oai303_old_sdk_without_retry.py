"""OAI303: calls of the pre-1.0 Python SDK (``openai.ChatCompletion.create``) or the v3 Node SDK
(``createChatCompletion``), which never retried a 429, outside retry handling — reported only when OAI401 /
OAI404 are off: those report the same calls, and their message names the missing retries."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.analysis.vocab import V3_METHODS
from oai_lint.findings import Hit


def python_hits(flow: PyFlow, merged: bool = False) -> Iterator[Hit]:
    """OAI303: ``openai.ChatCompletion.create(...)`` (openai<1.0 never retried 429) outside retry handling.
    ``merged``: OAI401 is on, and reports each of these calls with the missing retries in its message (one
    problem, one fix: migrating), so there is nothing left to say here."""
    if merged and flow.openai_module_file():
        return
    for call in flow.idx.calls:
        v0 = flow.v0_call(call)
        if v0 is None or flow.covered(call) or flow.in_v0_branch(call):
            continue
        name = f"openai.{v0[0]}.{v0[1]}"
        yield node_hit("OAI303", call, {"call": name}, key=name)


def js_hits(flow: JsFlow, merged: bool = False) -> Iterator[Hit]:
    """``merged``: OAI404 is on and reports these calls, the missing retries included."""
    if merged or not flow.is_v3_file():
        return
    for call in flow.calls:
        callee = flow.tree.callee_name(call) or ""
        parts = callee.split(".")
        if len(parts) >= 2 and parts[-1] in V3_METHODS and not flow.covered(call):
            yield js_hit(flow, "OAI303", call, {"call": callee}, key=callee)
