"""Python: what is an OpenAI client, an OpenAI call and a raw HTTP request to the API (one file)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from oai_lint.analysis.pyflow.syntax import (
    chain,
    keyword_value,
    unparse,
)
from oai_lint.analysis.vocab import (
    CLIENT_CLASSES_OPENAI,
    HTTP_MODULES,
    HTTP_VERBS,
    LANGCHAIN_CLASSES,
    LITELLM_CALLS,
    LLAMA_CLASSES,
    OPENAI_HOST,
    PY_RESOURCE_METHODS,
    V0_SYMBOLS,
    V1_RESOURCES,
)
from oai_lint.sources.python import PyIndex, walk

_VERSION_NUMBER = re.compile(r"""['"]?([0-9]+(?:\.[0-9]+)*)['"]?""")
CLIENT_NAMES_V1 = frozenset({"OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"})


def _version_number(text: str) -> str | None:
    """"1.0.0" in ``"1.0.0"``, ``version.parse("1.0.0")``, ``Version('1')``; None for anything else."""
    inner = text
    if inner.endswith(")") and "(" in inner:
        inner = inner[inner.index("(") + 1 : -1]
    m = _VERSION_NUMBER.fullmatch(inner.strip())
    return m.group(1) if m else None


class PyClients:
    """The OpenAI clients and calls of one Python file (the base of :class:`PyFlow`)."""

    def __init__(self, idx: PyIndex) -> None:
        self.idx = idx
        self.imports = idx.imports
        self._fn_covered: dict[ast.AST, bool] = {}
        self._fn_calls_openai: dict[ast.AST, bool] = {}
        self._client_names: set[str] | None = None
        self._by_text: dict[str, list[ast.expr]] | None = None
        self._host: bool | None = None
        self._host_memo: dict[str, bool] = {}
        self._annotations: dict[str, list[ast.expr]] | None = None
        self._http_receivers: dict[str, bool] = {}
        self._mounts: dict[str, list[ast.Call]] | None = None

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
        if root.startswith("langchain") and last in LANGCHAIN_CLASSES and "." in name:
            return last
        if root.startswith("llama_index") and last in LLAMA_CLASSES and "." in name:
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

    # -- the pre-1.0 API -------------------------------------------------------------------------------------
    def openai_module_file(self) -> bool:
        """Whether the name ``openai`` in this file is the openai package: imported, or used without being
        bound to anything else (a snippet pasted without its import, a notebook function that is passed the
        module as a parameter named ``openai``)."""
        if self.imports.imports_module("openai"):
            return True
        if "openai" in self.imports.names or self.idx.values_of("openai"):
            return False  # `from x import openai`, `openai = Mock()`: another object
        return bool(self.idx.names.get("openai"))

    def in_v0_branch(self, node: ast.AST) -> bool:
        """Whether ``node`` is in a branch that runs only with the pre-1.0 SDK installed: ``if
        openai.__version__ < "1.0":`` / ``if metadata.version("openai").startswith("0.")`` (and the ``else:``
        of the opposite test, a flag assigned from such a test, ``except ImportError:`` after ``from openai
        import OpenAI``). Compatibility code that supports both SDKs is not a migration to do."""
        child: ast.AST = node
        for anc in self.idx.ancestors(node):
            if isinstance(anc, ast.If):
                gate = self._version_gate(anc.test)
                if gate is not None and ((child in anc.body) == gate):
                    return True
            elif isinstance(anc, ast.IfExp):
                gate = self._version_gate(anc.test)
                if gate is not None and ((child is anc.body) == gate):
                    return True
            elif isinstance(anc, ast.ExceptHandler) and "ImportError" in unparse(anc.type or ast.Pass()) \
                    and (try_ := self.idx.parent(anc)) is not None:
                body = getattr(try_, "body", [])
                if any(isinstance(st, ast.ImportFrom) and st.module == "openai"
                       and any(a.name in CLIENT_NAMES_V1 for a in st.names) for st in body):
                    return True
            child = anc
        return False

    def _version_gate(self, test: ast.expr, depth: int = 0) -> bool | None:
        """True when ``test`` holds with the pre-1.0 SDK only, False when with 1.0+ only, None when it does
        not test the SDK's version."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._version_gate(test.operand, depth)
            return None if inner is None else not inner
        if isinstance(test, ast.Name) and depth < 2:
            for value in self.idx.values_of(test.id):
                gate = self._version_gate(value, depth + 1)
                if gate is not None:
                    return gate
            return None
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr" \
                and len(test.args) == 2 and isinstance(test.args[1], ast.Constant) \
                and self.resolve(test.args[0]) == "openai":
            attr = test.args[1].value  # hasattr(openai, "OpenAI"): 1.0+; hasattr(openai, "ChatCompletion"): v0
            if attr in CLIENT_NAMES_V1:
                return False
            return True if attr in V0_SYMBOLS or attr == "error" else None
        text = unparse(test)
        low = text.lower()
        if "version" not in low or "openai" not in low:
            return None  # (`torch.__version__ < "1.0"` gates nothing of the openai package)
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "startswith":
            arg = test.args[0] if test.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value.startswith("0"):
                    return True
                if arg.value.startswith(("1", "2", "3")):
                    return False
            return None
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            right = unparse(test.comparators[0])
            left = unparse(test.left)
            number = _version_number(right) or _version_number(left)
            if number is None or not number.startswith(("1", "0")):
                return None
            op = test.ops[0]
            flipped = _version_number(left) is not None  # "1.0" > openai.__version__
            if isinstance(op, (ast.Lt, ast.LtE)):
                older = not flipped
            elif isinstance(op, (ast.Gt, ast.GtE)):
                older = flipped
            else:
                return None
            if number.startswith("0"):  # version <= "0.28": still the old SDK
                return older
            return older
        return None

    # -- OpenAI calls ----------------------------------------------------------------------------------------
    def is_openai_call(self, call: ast.Call) -> bool:
        names, base = chain(call.func)
        dotted = ".".join(names)
        if any(dotted == m or dotted.endswith("." + m) for m in PY_RESOURCE_METHODS):
            return True
        if self.v0_call(call):
            return True
        resolved = self.resolve(call.func)
        if resolved and resolved in LITELLM_CALLS:
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

    def client_elsewhere(self, call: ast.Call) -> bool:
        """``client.chat.completions.create(...)`` where ``client`` is built in this file with a ``base_url``
        that is not api.openai.com (a literal or f-string naming another server)."""
        names, base = chain(call.func)
        if base is None or not names:
            return False
        for value in self.assigned_to(unparse(base)):
            if isinstance(value, ast.Call) and self.client_class(value):
                url = next((k.value for k in value.keywords if k.arg in {"base_url", "api_base"}), None)
                if isinstance(url, (ast.Constant, ast.JoinedStr)) and not self.mentions_openai_host(url) \
                        and not (isinstance(url, ast.Constant) and url.value is None):
                    return True
        return False

    # -- raw HTTP --------------------------------------------------------------------------------------------
    def mentions_openai_host(self, expr: ast.AST | None) -> bool:
        """Whether the value of ``expr`` (a URL or base URL) is built from a string that names api.openai.com:
        string literals, f-strings, concatenation, ``.format()``/``.join()``, ``urljoin``, the default of an
        environment or config lookup (``os.getenv(..., "https://api.openai.com")``, ``conf.get(k, d)``),
        ``a or b``, a conditional, a subscript of a table, and the values assigned to the names and
        attributes it uses. The host named in some other argument of a call (an unrelated SDK's options)
        is not the URL's value. Each name is looked at once per file (memoised), so the cost is linear in
        the file whatever the number of requests."""
        if expr is None:
            return False
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str) and OPENAI_HOST in expr.value
        if isinstance(expr, ast.JoinedStr):
            return any(self.mentions_openai_host(v.value if isinstance(v, ast.FormattedValue) else v)
                       for v in expr.values)
        if isinstance(expr, ast.BinOp):
            return self.mentions_openai_host(expr.left) or self.mentions_openai_host(expr.right)
        if isinstance(expr, ast.BoolOp):
            return any(self.mentions_openai_host(v) for v in expr.values)
        if isinstance(expr, ast.IfExp):
            return self.mentions_openai_host(expr.body) or self.mentions_openai_host(expr.orelse)
        if isinstance(expr, (ast.List, ast.Tuple)):
            return any(self.mentions_openai_host(v) for v in expr.elts)
        if isinstance(expr, ast.Dict):
            return any(self.mentions_openai_host(v) for v in expr.values)
        if isinstance(expr, (ast.Subscript, ast.Await, ast.Starred)):
            return self.mentions_openai_host(expr.value)
        if isinstance(expr, ast.Call):
            return self._call_mentions_host(expr)
        if isinstance(expr, ast.Name):
            return self._memo_host("n:" + expr.id, lambda: self.idx.values_of(expr.id))
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            text = f"{expr.value.id}.{expr.attr}"

            def values() -> list[ast.expr]:
                found = list(self.assigned_to(text))
                if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) \
                        and expr.value.id in {"self", "cls"}:
                    found += self.idx.values_of(expr.attr)  # a class attribute read through self
                return found
            return self._memo_host("a:" + text, values)
        return False

    _URL_BUILDERS = frozenset({"urljoin", "join", "str", "URL", "getenv", "get", "format", "rstrip", "strip",
                               "removesuffix", "replace", "lower"})

    def _call_mentions_host(self, call: ast.Call) -> bool:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in self._URL_BUILDERS:
            return False
        if isinstance(func, ast.Attribute) and name in {"format", "rstrip", "strip", "removesuffix", "replace",
                                                        "lower", "join"}:
            if self.mentions_openai_host(func.value):
                return True
            if name != "join":
                return False
        args: list[ast.expr] = list(call.args)
        if name == "get" or name == "getenv":
            args = args[1:]  # the key is not the value; the default is
        args += [k.value for k in call.keywords if k.arg in {"default", "url", "base"}]
        return any(self.mentions_openai_host(a) for a in args)

    def _memo_host(self, key: str, values: Callable[[], list[ast.expr]]) -> bool:
        memo = self._host_memo
        if key in memo:
            return memo[key]
        memo[key] = False  # guards cycles (x = x + "/v1")
        memo[key] = any(self.mentions_openai_host(v) for v in values())
        return memo[key]

    def http_receiver(self, func: ast.Attribute) -> bool:
        """Whether ``func``'s receiver is an HTTP client: the requests/httpx/aiohttp/urllib3 module, an
        object built by one of them (``requests.Session()``, ``httpx.AsyncClient(...)``, ``async with
        aiohttp.ClientSession() as session``), a parameter annotated with one, or a name that says so
        (``session``, ``http``, ``self._http_client``)."""
        resolved = self.resolve(func) or ""
        if resolved.split(".", 1)[0] in HTTP_MODULES:
            return True
        receiver = func.value
        if isinstance(receiver, ast.Call):  # requests.Session().post(...)
            return (self.resolve(receiver.func) or "").split(".", 1)[0] in HTTP_MODULES
        if not isinstance(receiver, (ast.Name, ast.Attribute)):
            return False
        text = unparse(receiver)
        known = self._http_receivers.get(text)
        if known is None:
            known = self._http_receivers[text] = self._is_http_object(receiver, text)
        return known

    def _is_http_object(self, receiver: ast.Name | ast.Attribute, text: str) -> bool:
        values = self.idx.values_of(receiver.id) if isinstance(receiver, ast.Name) else self.assigned_to(text)
        for value in values:
            if isinstance(value, ast.Await):
                value = value.value
            if isinstance(value, ast.Call) and \
                    (self.resolve(value.func) or "").split(".", 1)[0] in HTTP_MODULES:
                return True
        last = receiver.id if isinstance(receiver, ast.Name) else receiver.attr
        if any(w in last.lower() for w in ("session", "http", "requests")):
            return True
        if isinstance(receiver, ast.Name):
            for arg in self._annotated_args(receiver.id):
                if (self.resolve(arg) or unparse(arg)).split(".", 1)[0] in HTTP_MODULES:
                    return True
        return False

    def _annotated_args(self, name: str) -> list[ast.expr]:
        if self._annotations is None:
            self._annotations = {}
            for fns in self.idx.functions.values():
                for fn in fns:
                    a = fn.args
                    for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs):
                        if arg.annotation is not None:
                            self._annotations.setdefault(arg.arg, []).append(arg.annotation)
        return self._annotations.get(name, [])

    def _http_client_with_openai_base(self, receiver: ast.AST) -> bool:
        """``client`` in ``client.post("/chat/completions")`` was built with an api.openai.com base URL."""
        for value in self.assigned_to(unparse(receiver)):
            if isinstance(value, ast.Call):
                for kw in value.keywords:
                    if kw.arg in {"base_url", "baseURL"} and self.mentions_openai_host(kw.value):
                        return True
        return False

    def mounts(self, receiver_text: str) -> list[ast.Call]:
        """The ``<receiver>.mount(prefix, adapter)`` calls of the file on a receiver written as
        ``receiver_text`` (``session``, ``self.s``): all of them are collected in one pass over the calls, on
        the first question (looking them up per request was quadratic in a file of many requests)."""
        if self._mounts is None:
            self._mounts = {}
            for c in self.idx.calls:
                if isinstance(c.func, ast.Attribute) and c.func.attr == "mount" and len(c.args) >= 2:
                    self._mounts.setdefault(unparse(c.func.value), []).append(c)
        return self._mounts.get(receiver_text, [])

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
                data = len(arg.args) > 1 or keyword_value(arg, "data") is not None
                method = "POST" if data else "GET"
            else:
                url = arg
                method = (
                    "POST" if len(call.args) > 1 or keyword_value(call, "data") is not None else "GET"
                )
            label = "urllib.request.urlopen"
        elif isinstance(func, ast.Attribute) and func.attr in HTTP_VERBS | {"request", "stream"}:
            if func.attr in {"request", "stream"}:
                first = call.args[0] if call.args else None
                m = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
                kw_method = keyword_value(call, "method")
                if m is None and isinstance(kw_method, ast.Constant) and isinstance(kw_method.value, str):
                    m = kw_method.value
                method = (m or "GET").upper()
                url = (
                    call.args[1]
                    if len(call.args) > 1
                    else keyword_value(call, "url")
                )
            else:
                method = func.attr.upper()
                url = (
                    call.args[0]
                    if call.args
                    else keyword_value(call, "url")
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
        direct = isinstance(url, (ast.Constant, ast.JoinedStr, ast.BinOp)) and self.mentions_openai_host(url)
        if not direct and isinstance(func, ast.Attribute) and not self.http_receiver(func):
            return None  # `client.delete(session)` on another SDK: not an HTTP request
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
