"""OAI3xx: retry handling for 429s and 5xx.

The current SDKs retry 429/5xx twice with backoff by default, so plain calls on a default client are fine and
never reported. What is reported: retries turned off with nothing in their place (OAI301), HTTP requests that
bypass the SDK (OAI302), the pre-1.0 Python / v3 Node SDKs that never retried (OAI303), and retry code that
does the wrong thing: a fixed delay (OAI304), no bound (OAI305), retrying quota errors (OAI306).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from oai_lint.analysis.flow import ClientCall
from oai_lint.analysis.jsflow import LOOPS, JsFlow, Node
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.names import is_test_file
from oai_lint.analysis.pyflow import (
    PyFlow,
    callee_names,
    exception_names,
    handler_retries,
    iter_calls,
    keyword_value,
    loop_of,
    mentions_code_check,
    node_hit,
    try_parts,
    unparse,
)
from oai_lint.analysis.vocab import (
    AI_SDK_CALLS,
    GENERIC_EXCEPTIONS,
    JS_CLIENT_CLASSES,
    JS_KINDS,
    OPENAI_EXCEPTIONS,
    PY_KINDS,
    V1_RESOURCES,
    V3_METHODS,
)
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source
from oai_lint.sources.python import dotted_name, walk

RULES = ("OAI301", "OAI302", "OAI303", "OAI304", "OAI305", "OAI306")
_TRIGGERS = (b"openai", b"OpenAI")


def _where(uses: list[ClientCall], uncovered: list[ClientCall]) -> str:
    if uncovered:
        return f"its use at line {getattr(uncovered[0].node, 'lineno', '?')} is not inside retry handling"
    return "its calls are not in this file and nothing here retries them"


# == Python ==================================================================================================
@check(*RULES, kinds=PY_KINDS, triggers=_TRIGGERS)
def python_retries(source: Source, ctx: Context) -> Iterator[Hit]:
    idx = source.pyindex if source.openai_code else None
    if idx is None:
        return
    flow = PyFlow(idx)
    if not is_test_file(source.path):
        yield from _py_disabled(flow)
    yield from _py_raw_http(flow)
    yield from _py_v0_calls(flow)
    yield from _py_antipatterns(flow)


def _py_disabled(flow: PyFlow) -> Iterator[Hit]:
    """OAI301: ``max_retries=0`` on a client (or ``with_options``/``copy``) whose calls are not retried."""
    idx = flow.idx
    for call in idx.calls:
        kw = next((k for k in call.keywords if k.arg == "max_retries"), None)
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
            module_calls = [
                ClientCall(c, False)
                for c in idx.calls
                if (flow.resolve(c.func) or "").split(".")[:1] == ["openai"]
                and len((flow.resolve(c.func) or "").split(".")) > 2
                and (flow.resolve(c.func) or "").split(".")[1] in V1_RESOURCES
            ]
            uncovered = [u for u in module_calls if not flow.covered(u.node)]
            if module_calls and not uncovered:
                continue
            yield node_hit(
                "OAI301",
                stmt,
                {"what": "openai.max_retries = 0", "where": _where(module_calls, uncovered)},
                key="openai.max_retries",
            )


def _resolve_call(flow: PyFlow, expr: ast.AST | None) -> ast.Call | None:
    if isinstance(expr, ast.Call):
        return expr
    if isinstance(expr, ast.Name):
        for value in reversed(flow.idx.values_of(expr.id)):
            if isinstance(value, ast.Call):
                return value
    return None


def _adapter(flow: PyFlow, call: ast.Call, method: str) -> tuple[bool, str]:
    """Whether a requests session with a mounted urllib3 ``Retry`` covers this request, and why not."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False, ""
    key = unparse(func.value)
    for built in flow.assigned_to(key):  # httpx.Client(transport=RetryTransport(...))
        transport = keyword_value(built, "transport") if isinstance(built, ast.Call) else None
        if isinstance(transport, ast.Call) and "retry" in (dotted_name(transport.func) or "").lower():
            return True, ""
    mounts = [
        c
        for c in flow.idx.calls
        if isinstance(c.func, ast.Attribute)
        and c.func.attr == "mount"
        and unparse(c.func.value) == key
        and len(c.args) >= 2
    ]
    if not mounts:
        return False, ""
    reason = ""
    for mount in mounts:
        adapter = _resolve_call(flow, mount.args[1])
        if adapter is None or not (dotted_name(adapter.func) or "").endswith("HTTPAdapter"):
            return True, ""  # an adapter we cannot read: assume it retries
        max_retries = keyword_value(adapter, "max_retries")
        if max_retries is None:
            reason = f"; the HTTPAdapter mounted on `{key}` has no max_retries"
            continue
        if isinstance(max_retries, ast.Constant) and isinstance(max_retries.value, int):
            if max_retries.value <= 0:
                reason = f"; the HTTPAdapter mounted on `{key}` has max_retries=0"
            elif method in {"POST", "PATCH"}:
                reason = (
                    f"; HTTPAdapter(max_retries={max_retries.value}) only retries connection errors and "
                    f"urllib3 never retries {method} by default"
                )
            else:
                return True, ""
            continue
        retry = _resolve_call(flow, max_retries)
        if retry is None or not (dotted_name(retry.func) or "").endswith("Retry"):
            return True, ""
        total = retry.args[0] if retry.args else keyword_value(retry, "total")
        if isinstance(total, ast.Constant) and total.value in (0, False) and not isinstance(total.value, str):
            reason = "; the mounted urllib3 Retry has total=0"
            continue
        allowed = keyword_value(retry, "allowed_methods", "method_whitelist")
        if method in {"POST", "PATCH"}:
            open_all = isinstance(allowed, ast.Constant) and allowed.value in (None, False)
            if allowed is None or not (open_all or method in unparse(allowed).upper()):
                reason = (
                    f"; the urllib3 Retry mounted on `{key}` does not retry {method}: add "
                    f'allowed_methods={{..., "{method}"}} (its default leaves {method} out)'
                )
                continue
        forcelist = keyword_value(retry, "status_forcelist")
        if (
            isinstance(forcelist, (ast.List, ast.Tuple, ast.Set))
            and all(isinstance(e, ast.Constant) for e in forcelist.elts)
            and 429 not in [e.value for e in forcelist.elts if isinstance(e, ast.Constant)]
        ):
            reason = "; the mounted urllib3 Retry's status_forcelist does not include 429"
            continue
        return True, ""
    return False, reason


def _py_raw_http(flow: PyFlow) -> Iterator[Hit]:
    """OAI302: requests/httpx/aiohttp/urllib calls to api.openai.com with no retry handling."""
    for call in flow.idx.calls:
        raw = flow.raw_http(call)
        if raw is None or flow.covered(call):
            continue
        label, method = raw
        covered, detail = _adapter(flow, call, method)
        if covered:
            continue
        yield node_hit("OAI302", call, {"client": label, "method": method, "detail": detail}, key=label)


def _py_v0_calls(flow: PyFlow) -> Iterator[Hit]:
    """OAI303: ``openai.ChatCompletion.create(...)`` (openai<1.0 never retried 429) outside retry handling."""
    for call in flow.idx.calls:
        v0 = flow.v0_call(call)
        if v0 is None or flow.covered(call):
            continue
        name = f"openai.{v0[0]}.{v0[1]}"
        yield node_hit("OAI303", call, {"call": name}, key=name)


# -- anti-patterns -------------------------------------------------------------------------------------------
_FIXED_WAITS = {"wait_fixed", "wait_none"}
_TYPE_ONLY_RETRY = {
    "retry_if_exception_type",
    "retry_if_not_exception_type",
    "retry_any",
    "retry_all",
    "retry_always",
}


def _openai_exception(flow: PyFlow, node: ast.AST) -> bool:
    for sub in walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)):
            resolved = flow.resolve(sub) or ""
            if resolved.startswith("openai.") and resolved.rsplit(".", 1)[-1] in OPENAI_EXCEPTIONS:
                return True
    return False


def _tenacity(
    flow: PyFlow, cfg: ast.Call | None, anchor: ast.AST, what: str, quota_ok: bool
) -> Iterator[Hit]:
    kws = {k.arg: k.value for k in cfg.keywords if k.arg} if cfg is not None else {}
    stop = kws.get("stop")
    if stop is None or "stop_never" in set(callee_names(stop)):
        yield node_hit(
            "OAI305",
            anchor,
            {"what": what, "detail": "has no stop=, so tenacity retries forever"},
            key=f"{what}:stop",
        )
    wait = kws.get("wait")
    if wait is None:
        yield node_hit(
            "OAI304",
            anchor,
            {"what": what, "detail": "has no wait=, so tenacity retries immediately"},
            key=f"{what}:wait",
        )
    else:
        names = set(callee_names(wait))
        if names and names <= _FIXED_WAITS:
            yield node_hit(
                "OAI304",
                anchor,
                {"what": what, "detail": f"waits a fixed `{unparse(wait)}`"},
                key=f"{what}:wait",
            )
    if quota_ok:
        return
    retry = kws.get("retry")
    if retry is None:
        yield node_hit(
            "OAI306",
            anchor,
            {"what": what, "detail": "retries every exception (no retry=)"},
            key=f"{what}:retry",
        )
    elif set(callee_names(retry)) <= _TYPE_ONLY_RETRY and not mentions_code_check(retry, None):
        yield node_hit(
            "OAI306", anchor, {"what": what, "detail": f"retries on `{unparse(retry)}`"}, key=f"{what}:retry"
        )


def _backoff(flow: PyFlow, cfg: ast.Call, anchor: ast.AST, what: str, quota_ok: bool) -> Iterator[Hit]:
    if keyword_value(cfg, "max_tries", "max_time") is None:
        yield node_hit(
            "OAI305",
            anchor,
            {"what": what, "detail": "has no max_tries= or max_time=, so it retries forever"},
            key=f"{what}:stop",
        )
    wait_gen = cfg.args[0] if cfg.args else keyword_value(cfg, "wait_gen")
    jitter = keyword_value(cfg, "jitter")
    if (
        wait_gen is not None
        and (flow.resolve(wait_gen) or "").endswith("constant")
        and isinstance(jitter, ast.Constant)
        and jitter.value is None
    ):
        yield node_hit(
            "OAI304",
            anchor,
            {"what": what, "detail": "waits a constant interval with jitter=None"},
            key=f"{what}:wait",
        )
    exc = cfg.args[1] if len(cfg.args) > 1 else keyword_value(cfg, "exception")
    if quota_ok or exc is None or keyword_value(cfg, "giveup") is not None:
        return
    names = {n for n in (dotted_name(e) for e in (exc.elts if isinstance(exc, ast.Tuple) else [exc])) if n}
    if any(n.rsplit(".", 1)[-1] in OPENAI_EXCEPTIONS | GENERIC_EXCEPTIONS for n in names):
        yield node_hit(
            "OAI306",
            anchor,
            {"what": what, "detail": f"retries every `{unparse(exc)}` with no giveup="},
            key=f"{what}:retry",
        )


def _sleep_calls(flow: PyFlow, nodes: list[ast.stmt]) -> list[ast.Call]:
    out = []
    for stmt in nodes:
        for call in iter_calls(stmt):
            name = flow.resolve(call.func) or ""
            if name.rsplit(".", 1)[-1] == "sleep":
                out.append(call)
    return out


def _py_antipatterns(flow: PyFlow) -> Iterator[Hit]:
    idx = flow.idx
    quota_ok = flow.quota_checked()
    functions = [fn for fns in idx.functions.values() for fn in fns]
    for fn in functions:
        for dec in fn.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            resolved = flow.resolve(target) or ""
            cfg = dec if isinstance(dec, ast.Call) else None
            relevant = flow.calls_openai(fn) or _openai_exception(flow, dec)
            if not relevant:
                continue
            if resolved.startswith("tenacity.") and resolved.endswith(".retry"):
                yield from _tenacity(flow, cfg, dec, f"@retry on {fn.name}()", quota_ok)
            elif resolved == "backoff.on_exception" and cfg is not None:
                yield from _backoff(flow, cfg, dec, f"@backoff.on_exception on {fn.name}()", quota_ok)
    for call in idx.calls:
        resolved = flow.resolve(call.func) or ""
        if resolved in {"tenacity.Retrying", "tenacity.AsyncRetrying"}:
            scope = idx.enclosing_function(call) or idx.tree
            if flow.calls_openai(scope) or _openai_exception(flow, call):
                yield from _tenacity(flow, call, call, resolved.split(".")[-1] + "(...)", quota_ok)
    yield from _py_loops(flow, quota_ok)


def _py_loops(flow: PyFlow, quota_ok: bool) -> Iterator[Hit]:
    idx = flow.idx
    for node in idx.tries:
        parts = try_parts(node)
        if parts is None:
            continue
        body, handlers = parts
        loop = loop_of(idx, node)
        if loop is None or not flow.is_retry_loop(loop, node):
            continue
        body_calls_openai = any(flow.calls_openai(stmt) for stmt in body)
        for handler in handlers:
            if not handler_retries(handler):
                continue
            if not (body_calls_openai or _openai_exception(flow, handler)):
                continue
            sleeps = _sleep_calls(flow, handler.body)
            if not sleeps:
                following = loop.body[loop.body.index(node) + 1 :] if node in loop.body else []
                sleeps = _sleep_calls(flow, following)
            if not sleeps and not isinstance(loop, ast.While):
                continue
            scope = idx.enclosing_function(loop) or idx.tree
            for sleep in sleeps:
                arg = sleep.args[0] if sleep.args else keyword_value(sleep, "seconds", "delay", "secs")
                if arg is not None and flow.constant_number(arg, scope):
                    yield node_hit(
                        "OAI304",
                        sleep,
                        {
                            "what": "this retry loop",
                            "detail": f"sleeps a fixed `{unparse(sleep)}` between attempts",
                        },
                        key=f"sleep:{unparse(arg)}",
                    )
            if isinstance(loop, ast.While) and _always_true(loop.test) and not _has_exit(loop, node, handler):
                yield node_hit(
                    "OAI305",
                    loop,
                    {
                        "what": "this `while` retry loop",
                        "detail": "never gives up: no attempt limit, raise or break on failure",
                    },
                    key="while-retry",
                )
            if not quota_ok and not mentions_code_check(handler, handler.name):
                caught = ", ".join(exception_names(handler)).replace("*", "everything")
                yield node_hit(
                    "OAI306",
                    handler,
                    {
                        "what": "this retry loop",
                        "detail": f"retries every {caught} without checking the error code",
                    },
                    key=f"except:{caught}",
                )


def _always_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and bool(test.value)


def _has_exit(loop: ast.While, attempt: ast.AST, handler: ast.ExceptHandler) -> bool:
    """A ``raise``/``break``/``return`` on the path ``handler`` takes: in the handler or elsewhere in the
    loop, but not in the attempt's ``try`` body, its ``else:`` (both run on success) or its other handlers
    (``except APIError: return None`` does not stop a loop that retries ``RateLimitError`` forever)."""
    skipped: list[ast.AST] = list(getattr(attempt, "body", [])) + list(getattr(attempt, "orelse", []))
    skipped += [h for h in getattr(attempt, "handlers", []) if h is not handler]
    inside = {id(n) for stmt in skipped for n in walk(stmt)}
    for stmt in loop.body:
        for sub in walk(stmt):
            if id(sub) in inside:
                continue
            if isinstance(sub, (ast.Raise, ast.Return, ast.Break)):
                return True
    return False


# == JavaScript / TypeScript =================================================================================


def _js_where(uses: list[ClientCall], uncovered: list[ClientCall], flow: JsFlow) -> str:
    if uncovered:
        return f"its use at line {flow.tree.start(uncovered[0].node)[0]} is not inside retry handling"
    return "its calls are not in this file and nothing here retries them"


@check(*RULES, kinds=JS_KINDS, triggers=_TRIGGERS)
def js_retries(source: Source, ctx: Context) -> Iterator[Hit]:
    tree = source.js if source.openai_code else None
    if tree is None:
        return
    flow = JsFlow(tree)
    if not is_test_file(source.path):
        yield from _js_disabled(flow)
    yield from _js_raw_http(flow)
    yield from _js_v3_calls(flow)
    yield from _js_antipatterns(flow)


def _zero_pair(flow: JsFlow, obj: Node) -> Node | None:
    value = flow.tree.object_pairs(obj).get("maxRetries")
    if value is not None and flow.is_zero(value):
        return value.parent if value.parent is not None and value.parent.type == "pair" else value
    return None


def _js_disabled(flow: JsFlow) -> Iterator[Hit]:
    tree = flow.tree
    for new in flow.news:
        callee = (tree.callee_name(new) or "").rsplit(".", 1)[-1]
        args = tree.arguments(new)
        if callee not in JS_CLIENT_CLASSES or not args:
            continue
        pair = _zero_pair(flow, args[0])
        if pair is None:
            continue
        what = f"new {callee}({{ maxRetries: 0 }})"
        uses = flow.uses(new)
        uncovered = [u for u in uses if not u.covered and not flow.covered(u.node)]
        if uses and not uncovered:
            continue
        yield js_hit(
            flow, "OAI301", pair, {"what": what, "where": _js_where(uses, uncovered, flow)}, key=what
        )
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        args = tree.arguments(call)
        if not args:
            continue
        if callee.endswith(".withOptions"):
            pair = _zero_pair(flow, args[0])
            if pair is None:
                continue
            what = ".withOptions({ maxRetries: 0 })"
            uses = flow.uses(call)
            uncovered = [u for u in uses if not u.covered and not flow.covered(u.node)]
            if uses and not uncovered:
                continue
            yield js_hit(
                flow, "OAI301", pair, {"what": what, "where": _js_where(uses, uncovered, flow)}, key=what
            )
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


def _js_raw_http(flow: JsFlow) -> Iterator[Hit]:
    tree = flow.tree
    retried_axios = set()
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        if (
            callee.lower().endswith("axiosretry")
            or (callee.endswith("retry")
            and (flow.imported_from(callee) or ("",))[0] == "axios-retry")
        ):
            args = tree.arguments(call)
            if args:
                retried_axios.add(flow.chain_text(args[0]))
    for call in flow.calls:
        raw = flow.raw_http(call)
        if raw is None or flow.covered(call):
            continue
        label, method, lib = raw
        head = label.rsplit(".", 1)[0] if "." in label else label
        if lib == "axios" and (head in retried_axios or label in retried_axios):
            continue
        if lib in {"got", "ky"} and method not in {"POST", "PATCH"}:
            continue  # got and ky retry idempotent methods by default
        yield js_hit(flow, "OAI302", call, {"client": label, "method": method, "detail": ""}, key=label)


def _js_v3_calls(flow: JsFlow) -> Iterator[Hit]:
    if not flow.is_v3_file():
        return
    for call in flow.calls:
        callee = flow.tree.callee_name(call) or ""
        parts = callee.split(".")
        if len(parts) >= 2 and parts[-1] in V3_METHODS and not flow.covered(call):
            yield js_hit(flow, "OAI303", call, {"call": callee}, key=callee)


def _loop_of(node: Node) -> Node | None:
    cur = getattr(node, "parent", None)
    while cur is not None:
        if cur.type in LOOPS:
            return cur
        if cur.type in {
            "function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
            "class_body",
            "program",
        }:
            return None
        cur = cur.parent
    return None


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


def _checks_code(flow: JsFlow, handler: Node) -> bool:
    param = handler.child_by_field_name("parameter")
    var = flow.text(param) if param is not None else None
    for member in _members(handler):
        obj = member.child_by_field_name("object")
        prop = member.child_by_field_name("property")
        if prop is None or flow.text(prop) not in {"code", "type", "error"}:
            continue
        root = flow.chain_text(obj).split(".")[0] if obj is not None else ""
        if var is None or root == var:
            return True
    return False


def _members(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type == "member_expression":
            yield cur
        stack.extend(cur.named_children)


_RETRY_LIBS = {"p-retry": "pRetry", "async-retry": "retry", "exponential-backoff": "backOff"}


def _js_antipatterns(flow: JsFlow) -> Iterator[Hit]:
    tree = flow.tree
    quota_ok = flow.quota_checked()
    for try_node in flow.try_statements:
        loop = _loop_of(try_node)
        if loop is None or not flow.is_retry_loop(loop, try_node):
            continue
        body = try_node.child_by_field_name("body")
        handler = try_node.child_by_field_name("handler")
        if body is None or handler is None or not flow.catch_retries(try_node) or not flow.calls_openai(body):
            continue
        sleeps = list(flow.sleep_delays(handler))
        if not sleeps and loop.type == "for_statement":
            continue
        for call, delay in sleeps:
            if flow.const_number(delay):
                yield js_hit(
                    flow,
                    "OAI304",
                    call,
                    {
                        "what": "this retry loop",
                        "detail": f"sleeps a fixed `{flow.text(call)}` between attempts",
                    },
                    key=f"sleep:{flow.text(delay)}",
                )
        if _always_true_js(flow, loop) and not _js_exit(flow, loop, try_node):
            yield js_hit(
                flow,
                "OAI305",
                loop,
                {
                    "what": "this retry loop",
                    "detail": "never gives up: no attempt limit, throw or break on failure",
                },
                key="loop-retry",
            )
        if not quota_ok and not _checks_code(flow, handler):
            yield js_hit(
                flow,
                "OAI306",
                handler,
                {"what": "this retry loop", "detail": "retries every error without checking its code"},
                key="catch",
            )
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        origin = flow.imported_from(callee.split(".")[0])
        if origin is None or origin[0] not in _RETRY_LIBS:
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
        what = f"{callee}()"
        forever = opts.get("forever")
        limit = opts.get("numOfAttempts" if lib == "exponential-backoff" else "retries")
        if (forever is not None and flow.text(forever) == "true") or (
            limit is not None and flow.text(limit) in {"Infinity", "Number.POSITIVE_INFINITY"}
        ):
            yield js_hit(
                flow, "OAI305", call, {"what": what, "detail": "retries forever"}, key=f"{what}:stop"
            )
        if lib == "exponential-backoff":
            factor, jitter = opts.get("timeMultiple"), opts.get("jitter")
            fixed = (
                factor is not None
                and flow.text(factor) == "1"
                and (jitter is None or tree.string_value(jitter) != "full")
            )
        else:
            factor, randomize = opts.get("factor"), opts.get("randomize")
            default_random = lib == "async-retry"
            randomized = (flow.text(randomize) == "true") if randomize is not None else default_random
            fixed = factor is not None and flow.text(factor) == "1" and not randomized
        if fixed:
            yield js_hit(
                flow,
                "OAI304",
                call,
                {"what": what, "detail": "waits a fixed interval (factor 1, no randomisation)"},
                key=f"{what}:wait",
            )
        if quota_ok:
            continue
        fn_text = " ".join(flow.text(t) for t in targets)
        if lib == "p-retry":
            checked = "shouldRetry" in opts or "AbortError" in fn_text or "onFailedAttempt" in opts
        elif lib == "async-retry":
            checked = "bail" in fn_text
        else:
            checked = "retry" in opts
        if not checked:
            yield js_hit(
                flow, "OAI306", call, {"what": what, "detail": "retries every error"}, key=f"{what}:retry"
            )


# == curl ====================================================================================================
_CURL = lazy_compile(r"(?<![\w-])curl(?![\w-])")


_YAML_KEY = lazy_compile(r"^\s*(-\s+)?[\w.\-\"' ]+:(\s|$)")
_YAML_EXEC_KEYS = lazy_compile(
    r"^\s*-?\s*(run|script|command|args|entrypoint|before_script|after_script|cmd|shell|commands?)\s*:"
)


def _yaml_executes(lines: list[str], index: int) -> bool:
    """Whether YAML line ``index`` is part of a command (``run:``/``script:``/``command:``…) rather than, say,
    an example in an OpenAPI document: the nearest enclosing key decides."""
    line = lines[index]
    if _YAML_EXEC_KEYS.match(line):
        return True
    indent = len(line) - len(line.lstrip())
    for prev in reversed(lines[:index]):
        stripped = prev.strip()
        prev_indent = len(prev) - len(prev.lstrip())
        if not stripped or stripped.startswith("#") or prev_indent >= indent:
            continue
        indent = prev_indent
        if _YAML_EXEC_KEYS.match(prev):
            return True
        if _YAML_KEY.match(prev):
            return False
    return False


@check("OAI302", kinds={"shell", "dockerfile", "makefile", "yaml"}, triggers=(b"api.openai.com",))
def curl_without_retry(source: Source, ctx: Context) -> Iterator[Hit]:
    lines = source.text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        logical = lines[i]
        while logical.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            logical = logical.rstrip()[:-1] + " " + lines[i]
        i += 1
        if "curl" not in logical or "api.openai.com" not in logical:
            continue
        for m in _CURL.finditer(logical):
            segment = re.split(r"&&|\|\||;|\|", logical[m.start() :])[0]
            if "api.openai.com" not in segment or re.search(r"(^|\s)--retry(-all-errors)?\b", segment):
                continue
            if re.search(r"\s#", logical[: m.start()]) or logical.lstrip().startswith("#"):
                continue
            if source.kind == "yaml" and not _yaml_executes(lines, start):
                continue
            col = lines[start].find("curl") + 1 if m.start() < len(lines[start]) else 1
            method = (
                "POST"
                if re.search(r"(-X\s*POST|--request\s+POST|\s-d\b|--data|--json|-F\b)", segment)
                else "GET"
            )
            yield Hit(
                "OAI302",
                start + 1,
                max(col, 1),
                start + 1,
                max(col, 1) + 4,
                params={"client": "curl", "method": method, "detail": " (add --retry 5)"},
                key="curl",
            )
