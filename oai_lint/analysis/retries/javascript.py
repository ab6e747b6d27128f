"""JS/TS retry sites: p-retry, async-retry and exponential-backoff calls around OpenAI calls, and loops
around a ``try``/``catch`` that retry them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


# Records are NamedTuples: a frozen dataclass takes about 0.3 ms to create, on every run that imports it.
class JsRetryLoop(NamedTuple):
    """A loop around a ``try`` that calls OpenAI, whose ``catch`` lets the loop try again."""
    loop: Node
    attempt: Node  # the try statement
    handler: Node  # its catch clause
    sleeps: list[tuple[Node, Node]]  # (sleep call, delay) in the catch clause


class JsRetryLib(NamedTuple):
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


def _always_true_js(flow: JsFlow, loop: Node) -> bool:
    t = loop.type
    cond = loop.child_by_field_name("condition")
    if t == "for_statement":
        return cond is None or flow.text(cond).strip().rstrip(";").strip() in {"", "true", "1"}
    if cond is None:
        return False
    return flow.text(cond).strip().strip("()").strip() in {"true", "1", "!0"}


def _js_exit(flow: JsFlow, loop: Node, try_node: Node) -> bool:
    body = try_node.child_by_field_name("body")
    stack = list(loop.named_children)
    while stack:
        cur = stack.pop()
        if body is not None and cur == body:
            continue
        if cur.type in {"throw_statement", "return_statement", "break_statement"}:
            return True
        if cur.type in {"function_declaration", "function_expression", "arrow_function"}:
            continue
        stack.extend(cur.named_children)
    return False


def unbounded_js(flow: JsFlow, site: JsRetryLoop | JsRetryLib) -> bool:
    """Whether the retry never gives up: a loop with no attempt limit, throw or break on failure; a library
    told to retry forever (their defaults are bounded: p-retry and async-retry 10 retries)."""
    if isinstance(site, JsRetryLoop):
        return _always_true_js(flow, site.loop) and not _js_exit(flow, site.loop, site.attempt)
    forever = site.opts.get("forever")
    limit = site.opts.get("numOfAttempts" if site.lib == "exponential-backoff" else "retries")
    return (forever is not None and flow.text(forever) == "true") or (
        limit is not None and flow.text(limit) in {"Infinity", "Number.POSITIVE_INFINITY"}
    )
