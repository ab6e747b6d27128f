"""OAI301: SDK retries turned off (``max_retries=0``, ``maxRetries: 0``) on a client whose calls nothing
else retries."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.flow import ClientCall
from oai_lint.analysis.jsflow import JsFlow, Node
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.analysis.vocab import AI_SDK_CALLS, JS_CLIENT_CLASSES, V1_RESOURCES
from oai_lint.findings import Hit
from oai_lint.sources.python import keyword


def _where(uses: list[ClientCall], uncovered: list[ClientCall]) -> str:
    if uncovered:
        return f"its use at line {getattr(uncovered[0].node, 'lineno', '?')} is not inside retry handling"
    return "its calls are not in this file and nothing here retries them"


def _module_client_call(flow: PyFlow, call: ast.Call) -> bool:
    """``openai.<v1 resource>.…(…)``: a call on the module-level client."""
    parts = (flow.resolve(call.func) or "").split(".")
    return len(parts) > 2 and parts[0] == "openai" and parts[1] in V1_RESOURCES


def python_hits(flow: PyFlow) -> Iterator[Hit]:
    """OAI301: ``max_retries=0`` on a client (or ``with_options``/``copy``) whose calls are not retried."""
    idx = flow.idx
    for call in idx.calls:
        kw = keyword(call, "max_retries")
        if kw is None or not flow.is_zero(kw.value):
            continue
        cls = flow.client_class(call)
        if cls:
            what = f"{cls}(max_retries=0)"
        elif isinstance(call.func, ast.Attribute) and call.func.attr in {"with_options", "copy"}:
            what = f".{call.func.attr}(max_retries=0)"
        else:
            continue
        uses = flow.uses(call)
        uncovered = [u for u in uses if not u.covered and not flow.covered(u.node)]
        if uses and not uncovered:
            continue
        yield node_hit("OAI301", kw, {"what": what, "where": _where(uses, uncovered)}, key=what)
    # the v1 module-level client: ``openai.max_retries = 0``
    for target, value, stmt in idx.assigns:
        if (
            isinstance(target, ast.Attribute)
            and flow.resolve(target) == "openai.max_retries"
            and flow.is_zero(value)
        ):
            module_calls = [ClientCall(c, False) for c in idx.calls if _module_client_call(flow, c)]
            uncovered = [u for u in module_calls if not flow.covered(u.node)]
            if module_calls and not uncovered:
                continue
            yield node_hit(
                "OAI301",
                stmt,
                {"what": "openai.max_retries = 0", "where": _where(module_calls, uncovered)},
                key="openai.max_retries",
            )


def _js_where(uses: list[ClientCall], uncovered: list[ClientCall], flow: JsFlow) -> str:
    if uncovered:
        return f"its use at line {flow.tree.start(uncovered[0].node)[0]} is not inside retry handling"
    return "its calls are not in this file and nothing here retries them"


def _zero_pair(flow: JsFlow, obj: Node) -> Node | None:
    value = flow.tree.object_pairs(obj).get("maxRetries")
    if value is not None and flow.is_zero(value):
        return value.parent if value.parent is not None and value.parent.type == "pair" else value
    return None


def _js_client_hit(flow: JsFlow, built: Node, pair: Node, what: str) -> Iterator[Hit]:
    """OAI301 at ``pair`` (``maxRetries: 0``) unless every use of the client ``built`` is retried."""
    uses = flow.uses(built)
    uncovered = [u for u in uses if not u.covered and not flow.covered(u.node)]
    if uses and not uncovered:
        return
    yield js_hit(flow, "OAI301", pair, {"what": what, "where": _js_where(uses, uncovered, flow)}, key=what)


def js_hits(flow: JsFlow) -> Iterator[Hit]:
    tree = flow.tree
    for new in flow.news:
        callee = (tree.callee_name(new) or "").rsplit(".", 1)[-1]
        args = tree.arguments(new)
        if callee not in JS_CLIENT_CLASSES or not args:
            continue
        pair = _zero_pair(flow, args[0])
        if pair is None:
            continue
        yield from _js_client_hit(flow, new, pair, f"new {callee}({{ maxRetries: 0 }})")
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        args = tree.arguments(call)
        if not args:
            continue
        if callee.endswith(".withOptions"):
            pair = _zero_pair(flow, args[0])
            if pair is not None:
                yield from _js_client_hit(flow, call, pair, ".withOptions({ maxRetries: 0 })")
            continue
        per_request = callee in AI_SDK_CALLS or (len(args) >= 2 and flow.is_openai_call(call))
        if not per_request:
            continue
        pair = _zero_pair(flow, args[0] if callee in AI_SDK_CALLS else args[-1])
        if pair is None or flow.covered(call):
            continue
        what = f"{{ maxRetries: 0 }} on {callee}()"
        yield js_hit(
            flow,
            "OAI301",
            pair,
            {"what": what, "where": "the request is not inside retry handling"},
            key=what,
        )
