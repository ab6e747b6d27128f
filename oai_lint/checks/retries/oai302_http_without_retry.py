"""OAI302: HTTP requests to api.openai.com that bypass the SDK (requests, httpx, aiohttp, urllib, fetch,
axios, got, ky, curl) with no retry handling."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import PyFlow, keyword_value, node_hit, unparse
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source
from oai_lint.sources.python import dotted_name


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
    mounts = flow.mounts(key)
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


def python_hits(flow: PyFlow) -> Iterator[Hit]:
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


def js_hits(flow: JsFlow) -> Iterator[Hit]:
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


# == curl ====================================================================================================
_YAML_KEY = lazy_compile(r"^\s*(-\s+)?[\w.\-\"' ]+:(\s|$)")
_YAML_EXEC_KEYS = lazy_compile(
    r"^\s*-?\s*(run|script|command|args|entrypoint|before_script|after_script|cmd|shell|commands?)\s*:"
)


def _yaml_executing_lines(text: str) -> list[bool]:
    """For each line of a YAML file, whether it is part of a command (``run:``/``script:``/``command:``…) rather
    than, say, an example in an OpenAPI document: the line's own key or, failing that, the nearest enclosing
    key decides (lines without a key, such as list items, defer to theirs). One pass with a stack of the
    enclosing lines, each with its verdict."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # the lines of LineIndex
    verdicts: list[bool] = []
    enclosing: list[tuple[int, bool]] = []  # (indent, verdict) of the lines enclosing the next one
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            verdicts.append(False)  # no command here, and no key enclosing the lines below
            continue
        indent = len(line) - len(line.lstrip())
        while enclosing and enclosing[-1][0] >= indent:
            enclosing.pop()
        inherited = enclosing[-1][1] if enclosing else False
        own = bool(_YAML_EXEC_KEYS.match(line))
        verdicts.append(own or inherited)
        enclosing.append((indent, own or (inherited and not _YAML_KEY.match(line))))
    return verdicts


def curl_hits(source: Source) -> Iterator[Hit]:
    """OAI302: curl commands to api.openai.com without a ``--retry`` option."""
    executing: list[bool] | None = None
    for cmd in source.curl_commands:
        if cmd.retry_option or not cmd.targets("api.openai.com"):
            continue
        if source.kind == "yaml":
            if executing is None:
                executing = _yaml_executing_lines(source.text)
            if not executing[cmd.line - 1]:
                continue
        yield Hit(
            "OAI302",
            cmd.line,
            cmd.column,
            cmd.line,
            cmd.column + 4,
            params={"client": "curl", "method": cmd.method, "detail": " (add --retry 5)"},
            key="curl",
            severity="low",  # a script or CI step run by hand or once, not the application's requests
        )
