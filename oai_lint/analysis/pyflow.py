"""Python analysis shared by the retry and legacy-SDK checks: what is an OpenAI call, which code runs
under retry handling, and where a client built with ``max_retries=0`` ends up being used (one file).

Everything here is heuristic but conservative: when in doubt a call counts as covered by retry handling,
so that the checks report only what they can show.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from oai_lint.analysis.vocab import OPENAI_HOST
from oai_lint.findings import Hit
from oai_lint.sources.python import FunctionNode, PyIndex, dotted_name, walk

# openai-python < 1.0 module-level resources (``lib/_old_api.py`` in v1 raises APIRemovedInV1 for these).
V0_SYMBOLS = {
    "ChatCompletion",
    "Completion",
    "Embedding",
    "Edit",
    "File",
    "Image",
    "Audio",
    "Model",
    "Engine",
    "FineTune",
    "Moderation",
    "Deployment",
    "Customer",
    "ErrorObject",
    "FineTuningJob",
}
# v1 resources reachable from a client (or from the module-level client ``openai.<resource>``).
V1_RESOURCES = {
    "chat",
    "completions",
    "embeddings",
    "responses",
    "images",
    "audio",
    "moderations",
    "files",
    "models",
    "batches",
    "beta",
    "fine_tuning",
    "uploads",
    "vector_stores",
    "realtime",
    "conversations",
    "evals",
    "containers",
    "webhooks",
}
_RESOURCE_METHODS = (
    "chat.completions.create",
    "chat.completions.parse",
    "chat.completions.stream",
    "completions.create",
    "embeddings.create",
    "responses.create",
    "responses.parse",
    "responses.stream",
    "images.generate",
    "images.edit",
    "images.create_variation",
    "audio.transcriptions.create",
    "audio.translations.create",
    "audio.speech.create",
    "moderations.create",
)
# Attributes of a client that read its settings or close it: using them sends no request.
CLIENT_SETTINGS = {
    "api_key",
    "organization",
    "project",
    "base_url",
    "max_retries",
    "timeout",
    "default_headers",
    "default_query",
    "webhook_secret",
    "websocket_base_url",
    "close",
    "aclose",
    "is_closed",
    # openai-node
    "apiKey",
    "baseURL",
    "maxRetries",
}
CLIENT_CLASSES_OPENAI = {
    "openai.OpenAI",
    "openai.AsyncOpenAI",
    "openai.AzureOpenAI",
    "openai.AsyncAzureOpenAI",
}
_LANGCHAIN_CLASSES = {
    "ChatOpenAI",
    "OpenAI",
    "AzureChatOpenAI",
    "AzureOpenAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
}
_LLAMA_CLASSES = {"OpenAI", "OpenAIEmbedding", "AzureOpenAI", "OpenAIResponses", "AzureOpenAIEmbedding"}
_LITELLM_CALLS = {
    "litellm.completion",
    "litellm.acompletion",
    "litellm.embedding",
    "litellm.aembedding",
    "litellm.responses",
    "litellm.aresponses",
}

# Exceptions a retry handler may catch for a 429.
OPENAI_EXCEPTIONS = {
    "RateLimitError",
    "APIError",
    "APIStatusError",
    "OpenAIError",
    "APIConnectionError",
    "APITimeoutError",
    "InternalServerError",
    "ServiceUnavailableError",
    "Timeout",
    "TryAgain",
}
GENERIC_EXCEPTIONS = {
    "Exception",
    "BaseException",
    "HTTPError",
    "HTTPStatusError",
    "RequestException",
    "ClientResponseError",
    "ClientError",
    "ConnectionError",
    "TimeoutError",
}
QUOTA_CODES = (
    "insufficient_quota",
    "credit_balance_exhausted",
    "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded",
    "organization_usage_limit_exceeded",
)

_TASK_RETRY_OPTIONS = {"autoretry_for", "retry_backoff", "retry_policy"}
HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}


def is_retry_name(name: str | None) -> bool:
    """A callee or decorator that wraps code in retries: tenacity, backoff, stamina, retrying, and home-made
    ``retry_with_exponential_backoff``-style helpers."""
    if not name:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return "retry" in last or "backoff" in last or last in {"on_exception", "on_predicate"}


def chain(node: ast.AST) -> tuple[list[str], ast.AST]:
    """``a.b(x).c.d`` -> (["c", "d"], <call a.b(x)>): the attribute names up to the first non-attribute."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return list(reversed(parts)), node


def unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError, AttributeError):  # pragma: no cover - defensive
        return ""


def exception_names(handler: ast.ExceptHandler) -> list[str]:
    """Last name segments of what an ``except`` clause catches; ["*"] for a bare ``except:``."""
    if handler.type is None:
        return ["*"]
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    out = []
    for t in types:
        name = dotted_name(t)
        if name:
            out.append(name.rsplit(".", 1)[-1])
    return out


def try_parts(node: ast.AST) -> tuple[list[ast.stmt], list[ast.ExceptHandler]] | None:
    """(body, handlers) of ``try`` and ``try``/``except*`` statements."""
    if type(node).__name__ not in {"Try", "TryStar"}:
        return None
    stmt = cast("ast.Try", node)
    return stmt.body, stmt.handlers


def handler_requeues(handler: ast.ExceptHandler) -> bool:
    """The handler hands the failure to a task queue's retry (``raise self.retry(exc=e)``)."""
    for sub in walk(handler):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "retry":
            return True
    return False


def _ends_loop_pass(stmts: list[ast.stmt]) -> bool:
    """Every way through ``stmts`` ends in ``raise``, ``return`` or ``break``: the loop is not repeated."""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (ast.Raise, ast.Return, ast.Break)):
        return True
    if isinstance(last, ast.If):
        return _ends_loop_pass(last.body) and _ends_loop_pass(last.orelse)
    return False


def _has_continue(stmts: list[ast.stmt]) -> bool:
    """A ``continue`` of the enclosing loop (not of a loop nested in ``stmts``)."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        cur = stack.pop()
        if isinstance(cur, ast.Continue):
            return True
        if isinstance(cur, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(cur.orelse)
            continue
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(cur))
    return False


def handler_retries(handler: ast.ExceptHandler) -> bool:
    """The handler catches something a 429 raises and lets the loop try again: it does not always re-raise,
    return or break (``except APIError: return None`` gives up)."""
    names = exception_names(handler)
    if not any(n == "*" or n in OPENAI_EXCEPTIONS or n in GENERIC_EXCEPTIONS for n in names):
        return False
    return _has_continue(handler.body) or not _ends_loop_pass(handler.body)


def loop_of(idx: PyIndex, node: ast.AST) -> ast.For | ast.AsyncFor | ast.While | None:
    """The nearest loop around ``node`` within the same function."""
    for anc in idx.ancestors(node):
        if isinstance(anc, (ast.For, ast.AsyncFor, ast.While)):
            return anc
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
    return None


@dataclass(frozen=True)
class Use:
    """A call through an OpenAI client in Python, with the client it goes through."""
    node: ast.AST
    covered: bool  # known to be covered whatever surrounds it (``.with_retry()``, a retried helper)


class PyFlow:
    def __init__(self, idx: PyIndex) -> None:
        self.idx = idx
        self.imports = idx.imports
        self._fn_covered: dict[ast.AST, bool] = {}
        self._fn_calls_openai: dict[ast.AST, bool] = {}
        self._client_names: set[str] | None = None
        self._by_text: dict[str, list[ast.expr]] | None = None
        self._host: bool | None = None

    def assigned_to(self, target_text: str) -> list[ast.expr]:
        """Values assigned to a target written as ``target_text`` (``client``, ``self.session``)."""
        if self._by_text is None:
            self._by_text = {}
            for target, value, _ in self.idx.assigns:
                if isinstance(target, (ast.Name, ast.Attribute)):
                    self._by_text.setdefault(unparse(target), []).append(value)
        return self._by_text.get(target_text, [])

    def host_in_file(self) -> bool:
        if self._host is None:
            self._host = any(OPENAI_HOST in str(n.value) for n in self.idx.strings)
        return self._host

    # -- names -----------------------------------------------------------------------------------------------
    def resolve(self, node: ast.AST) -> str | None:
        return self.imports.resolve(node)

    def client_class(self, call: ast.Call) -> str | None:
        """The class name when ``call`` builds an OpenAI client (SDK, LangChain or LlamaIndex)."""
        name = self.resolve(call.func)
        if not name:
            return None
        last = name.rsplit(".", 1)[-1]
        if name in CLIENT_CLASSES_OPENAI:
            return last
        root = name.split(".", 1)[0]
        if root.startswith("langchain") and last in _LANGCHAIN_CLASSES and "." in name:
            return last
        if root.startswith("llama_index") and last in _LLAMA_CLASSES and "." in name:
            return last
        return None

    @property
    def client_names(self) -> set[str]:
        """Names (and ``self.x`` attributes) bound to an OpenAI client anywhere in the file."""
        if self._client_names is None:
            names: set[str] = set()
            for target, value, _ in self.idx.assigns:
                if isinstance(value, ast.Call) and self.client_class(value):
                    if isinstance(target, ast.Name):
                        names.add(target.id)
                    elif isinstance(target, ast.Attribute):
                        names.add(target.attr)
            self._client_names = names
        return self._client_names

    def v0_symbol(self, node: ast.AST) -> str | None:
        """``ChatCompletion`` when ``node`` (a Name/Attribute) refers to ``openai.ChatCompletion``."""
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return None
        name = self.resolve(node)
        if not name or not name.startswith("openai."):
            return None
        parts = name.split(".")
        if len(parts) == 2 and parts[1] in V0_SYMBOLS:
            return parts[1]
        return None

    def v0_call(self, call: ast.Call) -> tuple[str, str] | None:
        """("ChatCompletion", "create") for ``openai.ChatCompletion.create(...)``."""
        func = call.func
        if isinstance(func, ast.Attribute):
            symbol = self.v0_symbol(func.value)
            if symbol:
                return symbol, func.attr
        return None

    # -- OpenAI calls ----------------------------------------------------------------------------------------
    def is_openai_call(self, call: ast.Call) -> bool:
        names, base = chain(call.func)
        dotted = ".".join(names)
        if any(dotted == m or dotted.endswith("." + m) for m in _RESOURCE_METHODS):
            return True
        if self.v0_call(call):
            return True
        resolved = self.resolve(call.func)
        if resolved and resolved in _LITELLM_CALLS:
            return True
        if resolved and resolved.startswith("openai.") and resolved.split(".")[1] in V1_RESOURCES:
            return True
        if isinstance(base, ast.Name) and names and base.id in self.client_names:
            return True
        if isinstance(base, ast.Attribute) and base.attr in self.client_names and names:
            return True
        return self.raw_http(call) is not None

    def calls_openai(self, node: ast.AST, depth: int = 0) -> bool:
        """Whether ``node`` contains an OpenAI call, directly or through same-file functions it calls."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            if node in self._fn_calls_openai:
                return self._fn_calls_openai[node]
            self._fn_calls_openai[node] = False  # cycle guard
        found = False
        for sub in walk(node):
            if isinstance(sub, ast.Call):
                if self.is_openai_call(sub):
                    found = True
                    break
                if depth < 4:
                    for fn in self.local_functions(sub.func):
                        if self.calls_openai(fn, depth + 1):
                            found = True
                            break
                if found:
                    break
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._fn_calls_openai[node] = found
        return found

    def local_functions(self, func: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        if isinstance(func, ast.Name):
            return self.idx.functions.get(func.id, [])
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in {"self", "cls"}
        ):
            return self.idx.functions.get(func.attr, [])
        return []

    # -- raw HTTP --------------------------------------------------------------------------------------------
    def mentions_openai_host(self, expr: ast.AST | None, depth: int = 0) -> bool:
        if expr is None:
            return False
        if OPENAI_HOST in unparse(expr):
            return True
        if depth > 2:
            return False
        for sub in walk(expr):
            if isinstance(sub, ast.Name):
                for value in self.idx.values_of(sub.id):
                    if self.mentions_openai_host(value, depth + 1):
                        return True
            elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
                for value in self.assigned_to(unparse(sub)):
                    if self.mentions_openai_host(value, depth + 1):
                        return True
        return False

    def _http_client_with_openai_base(self, receiver: ast.AST) -> bool:
        """``client`` in ``client.post("/chat/completions")`` was built with an api.openai.com base URL."""
        for value in self.assigned_to(unparse(receiver)):
            if isinstance(value, ast.Call):
                for kw in value.keywords:
                    if kw.arg in {"base_url", "baseURL"} and self.mentions_openai_host(kw.value):
                        return True
        return False

    def raw_http(self, call: ast.Call) -> tuple[str, str] | None:
        """(label, HTTP method) when ``call`` sends an HTTP request to api.openai.com without the SDK."""
        if not self.host_in_file():
            return None
        func = call.func
        resolved = self.resolve(func) or ""
        url: ast.AST | None = None
        method = "GET"
        if resolved in {"urllib.request.urlopen", "urllib2.urlopen"}:
            arg = call.args[0] if call.args else None
            if isinstance(arg, ast.Call) and (self.resolve(arg.func) or "").endswith("Request"):
                url = arg.args[0] if arg.args else None
                data = len(arg.args) > 1 or any(k.arg == "data" for k in arg.keywords)
                method = "POST" if data else "GET"
            else:
                url = arg
                method = (
                    "POST" if len(call.args) > 1 or any(k.arg == "data" for k in call.keywords) else "GET"
                )
            label = "urllib.request.urlopen"
        elif isinstance(func, ast.Attribute) and func.attr in HTTP_VERBS | {"request", "stream"}:
            if func.attr in {"request", "stream"}:
                first = call.args[0] if call.args else None
                m = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
                kw_method = next((k.value for k in call.keywords if k.arg == "method"), None)
                if m is None and isinstance(kw_method, ast.Constant) and isinstance(kw_method.value, str):
                    m = kw_method.value
                method = (m or "GET").upper()
                url = (
                    call.args[1]
                    if len(call.args) > 1
                    else next((k.value for k in call.keywords if k.arg == "url"), None)
                )
            else:
                method = func.attr.upper()
                url = (
                    call.args[0]
                    if call.args
                    else next((k.value for k in call.keywords if k.arg == "url"), None)
                )
            label = unparse(func)
            if len(label) > 60:
                label = "…." + func.attr
        else:
            return None
        if url is None:
            return None
        root = resolved.split(".", 1)[0]
        if root in {"openai"}:
            return None
        if self.mentions_openai_host(url):
            return label, method
        if (
            isinstance(func, ast.Attribute)
            and self._http_client_with_openai_base(func.value)
            and isinstance(url, (ast.Constant, ast.JoinedStr))
            and not unparse(url).strip("'\"f").startswith("http")
        ):
            return label, method
        return None

    # -- retry handling around a node ------------------------------------------------------------------------
    def covered(self, node: ast.AST) -> bool:
        """Whether ``node`` runs under retry handling: a retry decorator or wrapper, a tenacity ``Retrying``
        loop, a loop around ``try/except`` that catches 429s, or a function only called from such places."""
        child: ast.AST = node
        retry_try: ast.AST | None = None
        for anc in self.idx.ancestors(node):
            parts = try_parts(anc)
            if parts is not None and child in parts[0]:
                if any(handler_requeues(h) for h in parts[1]):
                    return True  # except RateLimitError as e: raise self.retry(exc=e)  (Celery, RQ…)
                if any(handler_retries(h) for h in parts[1]):
                    retry_try = anc
            if isinstance(anc, (ast.For, ast.AsyncFor)) and child in anc.body:
                if retry_try is not None and self.is_retry_loop(anc, retry_try):
                    return True
                if isinstance(anc.iter, ast.Call) and is_retry_name(dotted_name(anc.iter.func)):
                    return True  # for attempt in Retrying(...): with attempt: ...
                if isinstance(anc.iter, ast.Name) and any(
                    isinstance(v, ast.Call) and is_retry_name(dotted_name(v.func))
                    for v in self.idx.values_of(anc.iter.id)
                ):
                    return True
            if isinstance(anc, ast.While) and child in anc.body and retry_try is not None:
                return True
            if isinstance(anc, ast.Call) and child is not anc.func and is_retry_name(self._callee_name(anc)):
                return True  # an argument of retry(...) / retry_call(...)
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return self.function_covered(anc)
            if isinstance(anc, ast.ClassDef):
                return False
            child = anc
        return False

    def is_retry_loop(self, loop: ast.AST, attempt: ast.AST) -> bool:
        """A loop that repeats an attempt: ``while``, or ``for _ in range(n)``/``itertools.count()`` whose
        variable the attempted code does not use (``for i in range(len(items))`` walks data instead)."""
        if isinstance(loop, ast.While):
            return True
        if not isinstance(loop, (ast.For, ast.AsyncFor)) or not isinstance(loop.iter, ast.Call):
            return False
        name = self.resolve(loop.iter.func) or ""
        if name not in {"range", "itertools.count", "count"}:
            return False
        targets = {n.id for n in walk(loop.target) if isinstance(n, ast.Name)}
        body = getattr(attempt, "body", [])
        return not any(isinstance(n, ast.Name) and n.id in targets for stmt in body for n in walk(stmt))

    def _callee_name(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Call):  # retry(stop=...)(fn)
            func = func.func
        return dotted_name(func)

    def function_covered(self, fn: FunctionNode) -> bool:
        if fn in self._fn_covered:
            return self._fn_covered[fn]
        self._fn_covered[fn] = False  # cycle guard: a recursive call does not make a function retried
        result = self._function_covered(fn)
        self._fn_covered[fn] = result
        return result

    def _function_covered(self, fn: FunctionNode) -> bool:
        if isinstance(fn, ast.Lambda):
            return self.covered(fn)
        for dec in fn.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if is_retry_name(dotted_name(target)):
                return True
            if isinstance(dec, ast.Call) and any(k.arg in _TASK_RETRY_OPTIONS for k in dec.keywords):
                return True  # @app.task(autoretry_for=(RateLimitError,), retry_backoff=True)
        refs: list[ast.AST] = [n for n in self.idx.names.get(fn.name, []) if isinstance(n.ctx, ast.Load)]
        refs += [a for a in self.idx.attrs.get(fn.name, []) if isinstance(a.ctx, ast.Load)]
        return any(self.covered(ref) for ref in refs)

    # -- following a client ----------------------------------------------------------------------------------
    def uses(self, expr: ast.AST, depth: int = 0, seen: set[int] | None = None) -> list[Use]:
        """Where the object ``expr`` evaluates to is used: method calls through it, or the point where it
        leaves what the file shows. Follows assignments, ``self.x``, factories and same-file parameters."""
        seen = seen if seen is not None else set()
        if id(expr) in seen or depth > 12:
            return []
        seen.add(id(expr))
        parent = self.idx.parent(expr)
        if isinstance(parent, ast.Attribute) and parent.value is expr:
            if parent.attr == "with_retry":
                return [Use(expr, True)]
            if parent.attr in CLIENT_SETTINGS:
                return []  # client.api_key, client.close(): no request is sent
            grand = self.idx.parent(parent)
            if (
                parent.attr in {"with_options", "copy"}
                and isinstance(grand, ast.Call)
                and grand.func is parent
            ):
                kw = next((k for k in grand.keywords if k.arg == "max_retries"), None)
                if kw is not None and not self.is_zero(kw.value):
                    return []  # retries turned back on for this copy
                return self.uses(grand, depth + 1, seen)
            return [Use(expr, False)]
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is expr:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            out: list[Use] = []
            for target in targets:
                out.extend(self._target_uses(target, parent, depth, seen))
            return out
        if (
            isinstance(parent, ast.withitem)
            and parent.context_expr is expr
            and parent.optional_vars is not None
        ):
            return self._target_uses(parent.optional_vars, parent, depth, seen)
        if isinstance(parent, ast.Return) or (isinstance(parent, ast.Lambda) and parent.body is expr):
            fn = parent if isinstance(parent, ast.Lambda) else self.idx.enclosing_function(parent)
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out = []
                for call in self.idx.calls:
                    if (isinstance(call.func, ast.Name) and call.func.id == fn.name) or (
                        isinstance(call.func, ast.Attribute) and call.func.attr == fn.name
                    ):
                        out.extend(self.uses(call, depth + 1, seen))
                return out
            return [Use(expr, False)]
        if isinstance(parent, (ast.BinOp, ast.Await)):  # prompt | llm, await factory()
            return self.uses(parent, depth + 1, seen)
        arg_call, param = self._argument_of(expr)
        if arg_call is not None:
            for fn in self.local_functions(arg_call.func):
                if self.function_covered(fn):
                    return [Use(expr, True)]
                name = self._parameter_name(fn, arg_call, expr, param)
                if name:
                    return self._name_uses(name, fn, None, depth, seen)
            if isinstance(self.idx.parent(arg_call), (ast.Assign, ast.AnnAssign, ast.withitem)):
                return self.uses(arg_call, depth + 1, seen)  # wrapped: chain = LLMChain(llm=llm)
            return [Use(expr, False)]
        return [Use(expr, False)]

    def _argument_of(self, expr: ast.AST) -> tuple[ast.Call | None, str | None]:
        parent = self.idx.parent(expr)
        if isinstance(parent, ast.keyword):
            grand = self.idx.parent(parent)
            return (grand, parent.arg) if isinstance(grand, ast.Call) else (None, None)
        if isinstance(parent, ast.Call) and expr in parent.args:
            return parent, None
        return None, None

    def _parameter_name(
        self, fn: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, expr: ast.AST, keyword: str | None
    ) -> str | None:
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        if params and params[0] in {"self", "cls"} and isinstance(call.func, ast.Attribute):
            params = params[1:]
        if keyword is not None:
            all_names = params + [a.arg for a in fn.args.kwonlyargs]
            return keyword if keyword in all_names else None
        if any(a is expr for a in call.args):
            i = [id(a) for a in call.args].index(id(expr))
            return params[i] if i < len(params) else None
        return None

    def _target_uses(self, target: ast.AST, stmt: ast.AST, depth: int, seen: set[int]) -> list[Use]:
        if isinstance(target, ast.Name):
            scope = self.idx.enclosing_function(stmt)
            return self._name_uses(target.id, scope, stmt, depth, seen)
        if isinstance(target, ast.Attribute):
            key = unparse(target)
            cls = self.idx.enclosing_class(stmt)
            out: list[Use] = []
            for attr in self.idx.attrs.get(target.attr, []):
                if attr is target or not isinstance(attr.ctx, ast.Load) or unparse(attr) != key:
                    continue
                if (
                    cls is not None
                    and key.startswith(("self.", "cls."))
                    and self.idx.enclosing_class(attr) is not cls
                ):
                    continue
                out.extend(self.uses(attr, depth + 1, seen))
            return out
        return [Use(target, False)]

    def _name_uses(
        self, name: str, scope: FunctionNode | None, stmt: ast.AST | None, depth: int, seen: set[int]
    ) -> list[Use]:
        out: list[Use] = []
        for ref in self.idx.names.get(name, []):
            if not isinstance(ref.ctx, ast.Load):
                continue
            fn = self.idx.enclosing_function(ref)
            if scope is not None:
                if fn is not scope and scope not in set(self.idx.ancestors(ref)):
                    continue
            elif fn is not None and self._binds_locally(fn, name):
                continue
            out.extend(self.uses(ref, depth + 1, seen))
        return out

    def _binds_locally(self, fn: FunctionNode, name: str) -> bool:
        args = fn.args
        if any(a.arg == name for a in args.posonlyargs + args.args + args.kwonlyargs):
            return True
        if isinstance(fn, ast.Lambda):
            return False
        for node in walk(fn):
            if isinstance(node, ast.Global) and name in node.names:
                return False
            if (
                isinstance(node, ast.Name)
                and node.id == name
                and isinstance(node.ctx, ast.Store)
                and self.idx.enclosing_function(node) is fn
            ):
                return True
        return False

    # -- values ----------------------------------------------------------------------------------------------
    def is_zero(self, expr: ast.AST) -> bool:
        """A literal ``0`` or a name only ever assigned ``0``."""
        if isinstance(expr, ast.Constant):
            return expr.value == 0 and not isinstance(expr.value, bool) and isinstance(expr.value, int)
        if isinstance(expr, ast.Name):
            values = self.idx.values_of(expr.id)
            return bool(values) and all(self.is_zero(v) for v in values if v is not expr)
        return False

    def constant_number(self, expr: ast.AST, scope: ast.AST | None = None) -> bool:
        """A number literal, or a name assigned only number literals and never changed in ``scope``."""
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool)
        if isinstance(expr, ast.UnaryOp):
            return self.constant_number(expr.operand, scope)
        if isinstance(expr, ast.Name):
            values = self.idx.values_of(expr.id)
            if not values or not all(
                isinstance(v, ast.Constant) and isinstance(v.value, (int, float)) for v in values
            ):
                return False
            return not self.idx.is_augmented(expr.id, scope)
        return False

    def quota_checked(self) -> bool:
        """The file tells quota errors from rate limits (mentions ``insufficient_quota`` and the like)."""
        for node in self.idx.strings:
            low = str(node.value).lower()
            if "quota" in low or any(code in low for code in QUOTA_CODES):
                return True
        return False


_ERROR_FIELDS = {"code", "type", "body", "error"}


def mentions_code_check(node: ast.AST, var: str | None) -> bool:
    """The handler looks at the error's ``code``/``type``/``body`` (or a quota string). For an ``except``
    clause only its body counts: ``except openai.error.RateLimitError`` names a module, it reads nothing."""
    roots: list[ast.AST] = list(node.body) if isinstance(node, ast.ExceptHandler) else [node]
    for sub in (n for root in roots for n in walk(root)):
        if (
            isinstance(sub, ast.Attribute)
            and sub.attr in _ERROR_FIELDS
            and (var is None or (isinstance(sub.value, ast.Name) and sub.value.id == var))
        ):
            return True
        if (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Name)
            and sub.func.id == "getattr"
            and len(sub.args) >= 2
            and isinstance(sub.args[1], ast.Constant)
            and sub.args[1].value in _ERROR_FIELDS
        ):
            target = sub.args[0]
            if var is None or (isinstance(target, ast.Name) and target.id == var):
                return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            low = sub.value.lower()
            if "quota" in low or any(code in low for code in QUOTA_CODES):
                return True
    return False


def iter_calls(node: ast.AST) -> Iterator[ast.Call]:
    for sub in walk(node):
        if isinstance(sub, ast.Call):
            yield sub


def keyword_value(call: ast.Call, *names: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg in names:
            return kw.value
    return None


def callee_names(expr: ast.AST) -> Iterable[str]:
    for call in iter_calls(expr):
        name = dotted_name(call.func)
        if name:
            yield name.rsplit(".", 1)[-1]
    if isinstance(expr, (ast.Name, ast.Attribute)):
        name = dotted_name(expr)
        if name:
            yield name.rsplit(".", 1)[-1]


def node_hit(rule: str, node: ast.AST, params: dict[str, str], key: str) -> Hit:
    """A hit at an AST node (a node that spans lines is reported on its first line)."""
    line = getattr(node, "lineno", 1)
    col = getattr(node, "col_offset", 0) + 1
    end_line = getattr(node, "end_lineno", None) or line
    end_col = (getattr(node, "end_col_offset", None) or col - 1) + 1
    if end_line != line:
        end_line, end_col = line, col
    return Hit(rule, line, col, end_line, end_col, params=params, key=key)
