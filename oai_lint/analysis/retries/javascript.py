"""JS/TS retry sites: p-retry, async-retry and exponential-backoff calls around OpenAI calls, and loops
around a ``try``/``catch`` that retry them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oai_lint.analysis.jsflow import LOOPS, JsFlow, Node
from oai_lint.analysis.vocab import JS_RETRY_LIBS

_FUNCTION_BOUNDARIES = {
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
    "class_body",
    "program",
}


@dataclass(frozen=True)
class JsRetryLoop:
    """A loop around a ``try`` that calls OpenAI, whose ``catch`` lets the loop try again."""
    loop: Node
    attempt: Node  # the try statement
    handler: Node  # its catch clause
    sleeps: list[tuple[Node, Node]]  # (sleep call, delay) in the catch clause


@dataclass(frozen=True)
class JsRetryLib:
    """A call of a retry library (p-retry, async-retry, exponential-backoff) that wraps an OpenAI call."""
    call: Node
    lib: str  # the package
    what: str  # how messages name it: "pRetry()"
    opts: dict[str, Any]  # its options object's pairs
    targets: list[Node]  # the functions it retries


@dataclass
class JsRetries:
    flow: JsFlow
    quota_ok: bool
    loops: list[JsRetryLoop] = field(default_factory=list)
    libs: list[JsRetryLib] = field(default_factory=list)


def loop_of(node: Node) -> Node | None:
    """The nearest loop around ``node`` within the same function."""
    cur = getattr(node, "parent", None)
    while cur is not None:
        if cur.type in LOOPS:
            return cur
        if cur.type in _FUNCTION_BOUNDARIES:
            return None
        cur = cur.parent
    return None


def retry_sites(flow: JsFlow) -> JsRetries:
    """Every retry loop and retry-library call of the file (one walk)."""
    tree = flow.tree
    out = JsRetries(flow, flow.quota_checked())
    for try_node in flow.try_statements:
        loop = loop_of(try_node)
        if loop is None or not flow.is_retry_loop(loop, try_node):
            continue
        body = try_node.child_by_field_name("body")
        handler = try_node.child_by_field_name("handler")
        if body is None or handler is None or not flow.catch_retries(try_node) or not flow.calls_openai(body):
            continue
        sleeps = list(flow.sleep_delays(handler))
        if not sleeps and loop.type == "for_statement":
            continue
        out.loops.append(JsRetryLoop(loop, try_node, handler, sleeps))
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        origin = flow.imported_from(callee.split(".")[0])
        if origin is None or origin[0] not in JS_RETRY_LIBS:
            continue
        lib = origin[0]
        args = tree.arguments(call)
        if not args:
            continue
        fn = args[0]
        targets = flow.functions.get(flow.text(fn), []) if fn.type == "identifier" else [fn]
        if not any(flow.calls_openai(t) for t in targets):
            continue
        opts = tree.object_pairs(args[1]) if len(args) > 1 else {}
        out.libs.append(JsRetryLib(call, lib, f"{callee}()", opts, targets))
    return out
