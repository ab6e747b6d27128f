"""Where a file talks to the OpenAI API: SDK and wrapper clients, raw HTTP requests, header literals.

Shared by the OAI2xx checks (one file) and by ``oai_lint.repofacts`` (the whole repository), so that
both read a file the same way. Everything here works on the views a ``Source`` offers (Python ``ast``,
the tree-sitter tree for JS/TS, ``curl`` commands); nothing parses files itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oai_lint.analysis.ids import ORG_ENV, PROJECT_ENV, header_role
from oai_lint.analysis.vocab import (
    BASE_ENV,
    CURL_KINDS,
    JS_CLIENT_MODULES,
    JS_KINDS,
    OPENAI_HOST,
    PY_CLIENT_IMPORT,
    PY_KINDS,
)
from oai_lint.lazyre import lazy_compile
from oai_lint.sources.python import ImportMap, dotted_name, walk

if TYPE_CHECKING:
    from oai_lint.sources import Source
    from oai_lint.sources.javascript import JsTree

_ADMIN_PATH = OPENAI_HOST + "/v1/organization/"


def _admin_url(fragments: list[str] | tuple[str, ...]) -> bool:
    """The URL is an Admin API endpoint (usage, costs, projects, users, audit logs, admin keys)."""
    return any(_ADMIN_PATH in f for f in fragments) or _ADMIN_PATH in "".join(fragments)


@dataclass(frozen=True)
class Val:
    """A value given to an option or header, as far as it can be known without running the code."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str | None = None  # the literal (exact) or the literal start of an f-string/concatenation
    exact: bool = False
    env: str | None = None  # read from this environment variable
    name: str | None = None  # a variable/attribute expression: its dotted name
    none: bool = False  # None / null / undefined: not set


@dataclass(frozen=True)
class Header:
    """An HTTP header set in code or a curl command, with its role for the OpenAI API."""
    name: str
    role: str  # see ids.header_role
    value: Val | None
    line: int
    column: int
    end_column: int


@dataclass
class Use:
    """One client construction or raw request."""

    # openai | langchain | langchain-js | llama_index | litellm | vercel | openai-v3 | module | raw
    client: str
    label: str  # how messages name it: "OpenAI()", "fetch()", "curl"
    line: int
    column: int
    end_line: int
    end_column: int
    known: bool = True  # every option (or header) is visible: no **kwargs, spreads or opaque objects
    org: Val | None = None
    project: Val | None = None
    api_key: Val | None = None
    base_url: Val | None = None  # given explicitly (base_url=, baseURL, api_base, openai_api_base)
    # environment variables it takes its base URL from when none is given (OPENAI_BASE_URL for the SDKs,
    # OPENAI_API_BASE first for LangChain, only OPENAI_API_BASE for LlamaIndex)
    base_env: tuple[str, ...] = ()
    headers: list[Header] = field(default_factory=list)
    org_env: tuple[str, ...] = ()  # env names it falls back to for the organization
    project_env: tuple[str, ...] = ()
    raw: bool = False
    auth_option: bool = False  # raw: something other than a header may set Authorization (auth=, -u)
    presence_known: bool = False  # raw: a missing header really is missing (module-level call, known dict)
    docs: bool = False  # a curl example in Markdown
    admin: bool = False  # raw: a request to the Admin API (/v1/organization/…), which an admin key scopes

    @property
    def elsewhere(self) -> bool:
        """Sent to a server that may not be api.openai.com (a proxy, gateway or compatible server)."""
        if self.base_url is None or self.base_url.none:
            return False
        return not (self.base_url.text and OPENAI_HOST in self.base_url.text)

    def header(self, role: str) -> Header | None:
        return next((h for h in self.headers if h.role == role), None)

    @property
    def sets_org(self) -> bool:
        return (self.org is not None and not self.org.none) or self.header("organization") is not None

    @property
    def sets_project(self) -> bool:
        return (self.project is not None and not self.project.none) or self.header("project") is not None


@dataclass
class FileUsage:
    """The OpenAI clients, raw requests and header literals of one file."""
    uses: list[Use] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)  # every OpenAI header literal in the file


# Cheap text tests that decide whether a file needs parsing at all.
_HEADER_CANDIDATE = lazy_compile(r"""["'`]([\w -]{0,20}(?:org|proj|Org|Proj|ORG|PROJ)[\w -]{0,25})"""
                               r"""["'`]""")
# Files read for the repository facts and then scanned are analysed once per process.
_CACHE: dict[tuple[str, int, int], FileUsage] = {}


def _has_header_names(text: str) -> bool:
    return any(header_role(m.group(1)) for m in _HEADER_CANDIDATE.finditer(text))


def analyse(source: Source) -> FileUsage:
    """Clients, raw requests and header literals of one file (memoised per file content)."""
    key = (source.abspath, len(source.text), hash(source.text))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    out = FileUsage()
    text = source.text
    if source.kind in PY_KINDS:
        clients = bool(PY_CLIENT_IMPORT.search(text))
        if (clients or OPENAI_HOST in text or _has_header_names(text)) and source.python is not None:
            _Py(source, source.python, out).run()
    elif source.kind in JS_KINDS:
        clients = any(m in text for m in JS_CLIENT_MODULES)
        raw = OPENAI_HOST in text
        headers = _has_header_names(text)
        if (clients or raw or headers) and source.js is not None:
            _Js(source, source.js, out).run(clients, raw, headers)
    if source.kind in CURL_KINDS:
        _curl(source, out)
    _CACHE[key] = out
    return out


# == Python ============================================================================================
_PY_SDK = {"openai.OpenAI", "openai.AsyncOpenAI", "openai.Client", "openai.AsyncClient",
           "openai._client.OpenAI", "openai._client.AsyncOpenAI"}
_PY_LITELLM = {"completion", "acompletion", "embedding", "aembedding", "text_completion",
               "atext_completion", "image_generation", "aimage_generation", "transcription", "atranscription",
               "speech", "aspeech", "responses", "aresponses"}
_PY_RAW_FUNCS = {
    **{f"requests.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options")},
    **{f"requests.api.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options")},
    **{f"httpx.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options", "stream")},
    "requests.request": 1, "requests.api.request": 1, "httpx.request": 1, "httpx.stream": 1,
    "aiohttp.request": 1, "urllib.request.Request": 0, "urllib.request.urlopen": 0,
}
_PY_METHODS = {"get", "post", "put", "patch", "delete", "request", "stream", "head", "options"}
_ENV_CALL = lazy_compile(r"(?:^|\.)(?:getenv|environ\.get|environ\.setdefault|environ\.pop|env|config|"
                       r"str|get_env|env_str|require_env)$")
_ENV_NAME = lazy_compile(r"^[A-Z][A-Z0-9_]*$")


def _py_pos(source: Source, node: ast.AST) -> tuple[int, int, int, int]:
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None) or line
    col = getattr(node, "col_offset", 0)
    end_col = getattr(node, "end_col_offset", None)

    def chars(lineno: int, byte_col: int) -> int:
        text = source.line_text(lineno)
        if text.isascii():
            return byte_col + 1
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")) + 1

    if source.kind != "python":  # notebook cells: columns were already mapped into the .ipynb line
        return line, col + 1, line, col + 1
    start = chars(line, col)
    end = chars(end_line, end_col) if end_col is not None else start
    return line, start, end_line, end


class _Py:
    def __init__(self, source: Source, tree: ast.Module, out: FileUsage) -> None:
        self.source = source
        self.tree = tree
        self.out = out
        self.nodes = list(walk(tree))  # one walk: for the imports, the parents and run()
        self.imports = ImportMap(ast.Module(
            body=[n for n in self.nodes if isinstance(n, (ast.Import, ast.ImportFrom))], type_ignores=[]))
        self.parent: dict[ast.AST, ast.AST] = {}
        self._scope_cache: dict[ast.AST, dict[str, list[ast.AST]]] = {}
        self._keys_cache: dict[ast.AST, dict[str, list[ast.Subscript]]] = {}
        self._opaque_cache: dict[ast.AST, set[str]] = {}

    # -- values ---------------------------------------------------------------------------------------
    def val(self, node: ast.AST) -> Val:
        pos = _py_pos(self.source, node)
        if isinstance(node, ast.Constant):
            if node.value is None:
                return Val(*pos, none=True)
            if isinstance(node.value, str):
                return Val(*pos, text=node.value, exact=True)
            return Val(*pos)
        if isinstance(node, ast.JoinedStr):
            head = ""
            env = None
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    head += part.value
                    continue
                if isinstance(part, ast.FormattedValue):
                    inner = self.val(part.value)
                    env = inner.env
                break
            return Val(*pos, text=head, exact=len(node.values) == 1 and bool(head), env=env)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.val(node.left)
            right = self.val(node.right)
            return Val(*pos, text=left.text, exact=False, env=left.env or right.env,
                       name=None if left.text else right.name)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and node.values:
            first = self.val(node.values[0])
            last = self.val(node.values[-1])
            return Val(*pos, text=last.text, exact=last.exact, env=first.env, name=first.name)
        env, default = self.env_read(node)
        if env is not None:
            if default is not None:
                d = self.val(default)
                return Val(*pos, text=d.text, exact=d.exact, env=env)
            return Val(*pos, env=env)
        name = dotted_name(node)
        if name is not None:
            return Val(*pos, name=name)
        if isinstance(node, ast.Subscript):
            return Val(*pos, name=dotted_name(node.value))
        return Val(*pos)

    def env_read(self, node: ast.AST) -> tuple[str | None, ast.AST | None]:
        """``os.getenv("X", d)``, ``os.environ["X"]``, ``config("X", default=d)`` -> ("X", d)."""
        if isinstance(node, ast.Subscript):
            base = dotted_name(node.value) or ""
            key = node.slice
            if base.endswith("environ") and isinstance(key, ast.Constant) and isinstance(key.value, str):
                return key.value, None
            return None, None
        if not isinstance(node, ast.Call) or not node.args:
            return None, None
        callee = dotted_name(node.func) or ""
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return None, None
        if not (_ENV_NAME.match(first.value) and _ENV_CALL.search(callee)):
            return None, None
        default: ast.AST | None = node.args[1] if len(node.args) > 1 else None
        for kw in node.keywords:
            if kw.arg == "default":
                default = kw.value
        return first.value, default

    # -- scopes: simple name resolution for header dicts and URLs ---------------------------------------
    def _parents(self) -> None:
        if self.parent:
            return
        for node in self.nodes:
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node

    def scope_of(self, node: ast.AST) -> ast.AST:
        self._parents()
        cur: ast.AST | None = self.parent.get(node)
        while cur is not None and not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            cur = self.parent.get(cur)
        return cur or self.tree

    def _index(self, scope: ast.AST) -> None:
        assigns: dict[str, list[ast.AST]] = {}
        keys: dict[str, list[ast.Subscript]] = {}
        opaque: set[str] = set()
        for node in walk(scope):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not scope:
                continue  # nested scopes are indexed on their own (walk still visits them: acceptable)
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigns.setdefault(target.id, []).append(node.value)
                    elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        keys.setdefault(target.value.id, []).append(target)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                assigns.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                opaque.add(node.target.id)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.attr == "update"):
                name = node.func.value.id
                if node.args and isinstance(node.args[0], ast.Dict):
                    assigns.setdefault(name, []).append(node.args[0])
                else:
                    opaque.add(name)
        self._scope_cache[scope] = assigns
        self._keys_cache[scope] = keys
        self._opaque_cache[scope] = opaque

    def assignments(self, name: ast.Name) -> tuple[list[ast.AST], list[ast.Subscript], bool]:
        """Values assigned to ``name`` in its function (or else the module), keys set by subscript,
        and whether something opaque (``+=``, ``.update(x)``) changes it."""
        for scope in (self.scope_of(name), self.tree):
            if scope not in self._scope_cache:
                self._index(scope)
            if name.id in self._scope_cache[scope]:
                return (self._scope_cache[scope][name.id], self._keys_cache[scope].get(name.id, []),
                        name.id in self._opaque_cache[scope])
        return [], [], True

    def fragments(self, node: ast.AST, depth: int = 0) -> list[str]:
        """The string pieces an expression is built from (names resolved a few levels deep)."""
        if depth > 4:
            return []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name):
            values, _, _ = self.assignments(node)
            return [f for v in values for f in self.fragments(v, depth + 1)]
        out: list[str] = []
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    out += self.fragments(part.value, depth + 1)
                else:
                    out += self.fragments(part, depth + 1)
        elif isinstance(node, ast.BinOp):
            out += self.fragments(node.left, depth + 1) + self.fragments(node.right, depth + 1)
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in {"format", "join"}:
                out += self.fragments(node.func.value, depth + 1)
            for arg in node.args:
                out += self.fragments(arg, depth + 1)
        return out

    def header_dict(self, node: ast.AST | None, depth: int = 0) -> tuple[list[Header], bool] | None:
        """Headers of a dict literal (or a name bound to dict literals): (headers, fully known)."""
        if node is None or depth > 3:
            return None
        if isinstance(node, ast.Dict):
            headers: list[Header] = []
            known = True
            for k, v in zip(node.keys, node.values, strict=True):
                if k is None:
                    known = False
                    continue
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    headers.append(self._header(k, k.value, v))
                else:
                    known = False
            return headers, known
        if isinstance(node, ast.Call) and dotted_name(node.func) == "dict" and not node.args:
            hs = [self._header(kw, kw.arg, kw.value) for kw in node.keywords if kw.arg]
            return hs, all(kw.arg for kw in node.keywords)
        if isinstance(node, ast.Name):
            values, subs, opaque = self.assignments(node)
            if not values:
                return None
            headers = []
            known = not opaque
            for assigned in values:
                got = self.header_dict(assigned, depth + 1)
                if got is None:
                    known = False
                    continue
                headers += got[0]
                known = known and got[1]
            for sub in subs:
                if isinstance(sub.slice, ast.Constant) and isinstance(sub.slice.value, str):
                    parent = self._parent_assign(sub)
                    headers.append(self._header(sub.slice, sub.slice.value, parent))
                else:
                    known = False
            return headers, known
        return None

    def _parent_assign(self, sub: ast.Subscript) -> ast.AST | None:
        self._parents()
        p = self.parent.get(sub)
        return p.value if isinstance(p, ast.Assign) else None

    def _header(self, key_node: ast.AST, name: str, value: ast.AST | None) -> Header:
        line, col, _, end_col = _py_pos(self.source, key_node)
        return Header(name, header_role(name) or "", self.val(value) if value is not None else None,
                      line, col, end_col)

    # -- the walk -----------------------------------------------------------------------------------------
    def run(self) -> None:
        seen_header_keys: set[tuple[int, int]] = set()
        for node in self.nodes:
            if isinstance(node, ast.Call):
                self.call(node)
            elif isinstance(node, ast.Assign):
                self.module_setting(node)
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if isinstance(k, ast.Constant) and isinstance(k.value, str) and header_role(k.value):
                        h = self._header(k, k.value, v)
                        if h.role != "authorization" and (h.line, h.column) not in seen_header_keys:
                            seen_header_keys.add((h.line, h.column))
                            self.out.headers.append(h)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if (isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)
                            and isinstance(target.slice.value, str) and header_role(target.slice.value)):
                        h = self._header(target.slice, target.slice.value, node.value)
                        if h.role != "authorization":
                            self.out.headers.append(h)

    def module_setting(self, node: ast.Assign) -> None:
        """``openai.organization = "…"`` / ``openai.project`` / ``openai.api_key`` (module-level client)."""
        for target in node.targets:
            if not isinstance(target, ast.Attribute):
                continue
            owner = self.imports.resolve(target.value)
            if owner not in {"openai", "litellm"} or target.attr not in {"organization", "project",
                                                                          "api_key"}:
                continue
            line, col, end_line, end_col = _py_pos(self.source, target)
            use = Use("module", f"{owner}.{target.attr}", line, col, end_line, end_col)
            setattr(use, "org" if target.attr == "organization" else target.attr, self.val(node.value))
            self.out.uses.append(use)

    def call(self, node: ast.Call) -> None:
        resolved = self.imports.resolve(node.func) or ""
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        opaque = any(k.arg is None for k in node.keywords)
        pos = _py_pos(self.source, node)
        short = resolved.rsplit(".", 1)[-1]
        if resolved in _PY_SDK:
            use = Use("openai", f"{short}()", *pos, known=not opaque and not node.args,
                      org_env=(ORG_ENV,), project_env=(PROJECT_ENV,), base_env=(BASE_ENV,))
            self._options(use, kw, "organization", "project", "api_key", "default_headers")
            self.out.uses.append(use)
        elif resolved.startswith("langchain") and short in {"ChatOpenAI", "OpenAIEmbeddings", "OpenAI"}:
            use = Use("langchain", f"{short}()", *pos, known=not opaque,
                      org_env=(ORG_ENV, "OPENAI_ORGANIZATION"), project_env=(PROJECT_ENV,),
                      base_env=("OPENAI_API_BASE", BASE_ENV))
            self._options(use, kw, "organization", None, "api_key", "default_headers")
            if use.org is None and "openai_organization" in kw:
                use.org = self.val(kw["openai_organization"])
            if use.api_key is None and "openai_api_key" in kw:
                use.api_key = self.val(kw["openai_api_key"])
            self.out.uses.append(use)
        elif resolved.startswith("llama_index") and short in {"OpenAI", "OpenAIEmbedding"}:
            use = Use("llama_index", f"{short}()", *pos, known=not opaque,
                      org_env=(ORG_ENV,), project_env=(PROJECT_ENV,), base_env=("OPENAI_API_BASE",))
            self._options(use, kw, None, None, "api_key", "default_headers")
            self.out.uses.append(use)
        elif resolved.startswith("litellm.") and short in _PY_LITELLM:
            use = Use("litellm", f"litellm.{short}()", *pos, known=not opaque)
            self._options(use, kw, "organization", None, "api_key", "headers")
            self.out.uses.append(use)
        else:
            self.raw(node, resolved, kw, opaque)

    def _options(self, use: Use, kw: dict[str, ast.expr], org: str | None, project: str | None, key: str,
                 headers: str) -> None:
        if org and org in kw:
            use.org = self.val(kw[org])
        if project and project in kw:
            use.project = self.val(kw[project])
        if key in kw:
            use.api_key = self.val(kw[key])
        for name in ("base_url", "openai_api_base", "api_base"):
            if name in kw:
                use.base_url = self.val(kw[name])
        if headers in kw:
            got = self.header_dict(kw[headers])
            if got is None:
                use.known = False
            else:
                use.headers = got[0]
                use.known = use.known and got[1]

    def raw(self, node: ast.Call, resolved: str, kw: dict[str, ast.expr], opaque: bool) -> None:
        method_call = False
        if resolved in _PY_RAW_FUNCS:
            url_index = _PY_RAW_FUNCS[resolved]
        elif isinstance(node.func, ast.Attribute) and node.func.attr in _PY_METHODS:
            method_call = True
            url_index = 1 if node.func.attr == "request" else 0
        else:
            return
        url = kw.get("url") or (node.args[url_index] if len(node.args) > url_index else None)
        if url is None:
            return
        if resolved == "urllib.request.urlopen" and not isinstance(
            url, (ast.Constant, ast.JoinedStr, ast.BinOp)
        ):
            return  # urlopen(request): the Request(...) it was built from is the use
        if not any(OPENAI_HOST in f for f in self.fragments(url)):
            return
        label = resolved if not method_call else (dotted_name(node.func) or "request")
        use = Use("raw", f"{label}()", *_py_pos(self.source, node), raw=True,
                  admin=_admin_url(self.fragments(url)))
        headers_node: ast.AST | None = kw.get("headers")
        if headers_node is None and resolved == "urllib.request.Request" and len(node.args) > 2:
            headers_node = node.args[2]
        use.auth_option = "auth" in kw
        if headers_node is None:
            use.known = not opaque
        else:
            got = self.header_dict(headers_node)
            if got is None:
                use.known = False
            else:
                use.headers = got[0]
                use.known = got[1] and not opaque
        use.presence_known = use.known and not method_call
        self.out.uses.append(use)


# == JavaScript / TypeScript ==============================================================================
_JS_FETCH = {"fetch", "window.fetch", "globalThis.fetch", "self.fetch", "global.fetch"}
_AXIOS_DATA = {"post", "put", "patch"}
_AXIOS_NO_DATA = {"get", "delete", "head", "options"}
_JS_CLIENT_OPTIONS = {"organization": "org", "project": "project", "apiKey": "api_key",
                      "baseURL": "base_url"}
_ENV_OBJECTS = {"process.env", "import.meta.env", "Bun.env", "env", "Astro.env", "context.env", "c.env"}


class _Js:
    def __init__(self, source: Source, tree: JsTree, out: FileUsage) -> None:
        self.source = source
        self.t = tree
        self.out = out
        self.imports: dict[str, tuple[str, str]] = {}
        self.consts: dict[str, Any] = {}
        self.duplicate: set[str] = set()
        self.axios_defaults = "axios.defaults" in source.text

    def pos(self, node: Any) -> tuple[int, int, int, int]:
        line, col = self.t.start(node)
        end_line, end_col = self.t.end(node)
        return line, col, end_line, end_col

    def run(self, clients: bool = True, raw: bool = True, headers: bool = True) -> None:
        types: set[str] = set()
        if clients or raw:
            types |= {"import_statement", "variable_declarator", "new_expression", "call_expression"}
        if clients:
            types.add("import_specifier")
        if headers:
            types.add("pair")
        nodes = self.t.find(types)
        self._declarations(n for n in nodes if n.type in {"import_statement", "variable_declarator"})
        for node in nodes:
            if node.type == "pair":
                self._header_pair(node)
            elif node.type == "import_specifier":
                self._provider_import(node)
            elif node.type in {"new_expression", "call_expression"}:
                self._construct(node)

    # -- imports and constants ------------------------------------------------------------------------
    def _declarations(self, nodes: Iterator[Any]) -> None:
        t = self.t
        for node in nodes:
            if node.type == "import_statement":
                src = t.string_value(node.child_by_field_name("source"))
                if src is None:
                    continue
                for clause in node.named_children:
                    if clause.type != "import_clause":
                        continue
                    for item in clause.named_children:
                        if item.type == "identifier":
                            self.imports[t.text(item)] = (src, "default")
                        elif item.type == "namespace_import":
                            for ident in item.named_children:
                                self.imports[t.text(ident)] = (src, "*")
                        elif item.type == "named_imports":
                            for spec in item.named_children:
                                name = spec.child_by_field_name("name")
                                alias = spec.child_by_field_name("alias") or name
                                if name is not None and alias is not None:
                                    self.imports[t.text(alias)] = (src, t.text(name).strip("\"'"))
                continue
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None or value is None:
                continue
            module = self._require(value)
            if module is not None:
                if name.type == "identifier":
                    self.imports[t.text(name)] = (module, "*")
                elif name.type == "object_pattern":
                    for p in name.named_children:
                        if p.type == "shorthand_property_identifier_pattern":
                            self.imports[t.text(p)] = (module, t.text(p))
                        elif p.type == "pair_pattern":
                            k, v = p.child_by_field_name("key"), p.child_by_field_name("value")
                            if k is not None and v is not None and v.type == "identifier":
                                self.imports[t.text(v)] = (module, t.text(k))
                continue
            if name.type == "identifier":
                ident = t.text(name)
                if ident in self.consts:
                    self.duplicate.add(ident)
                self.consts[ident] = value

    def _require(self, node: Any) -> str | None:
        while node is not None and node.type in {"await_expression", "parenthesized_expression"}:
            node = node.named_children[0] if node.named_children else None
        if node is None or node.type != "call_expression":
            return None
        if self.t.callee_name(node) != "require":
            return None
        args = self.t.arguments(node)
        return self.t.string_value(args[0]) if args else None

    def _const(self, node: Any) -> Any:
        if node is not None and node.type in {"identifier", "shorthand_property_identifier"}:
            name = self.t.text(node)
            if name in self.consts and name not in self.duplicate:
                return self.consts[name]
        return None

    def resolve(self, callee: str) -> tuple[str, str] | None:
        head, _, rest = callee.partition(".")
        if head not in self.imports:
            return None
        module, name = self.imports[head]
        if rest:
            return (module, rest) if name in {"*", "default"} else None
        return module, name

    # -- values ---------------------------------------------------------------------------------------------
    def env_member(self, node: Any) -> str | None:
        t = self.t
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is not None and prop is not None and t.text(obj).replace(" ", "") in _ENV_OBJECTS:
                return t.text(prop)
        if node.type == "subscript_expression":
            obj = node.child_by_field_name("object")
            idx = node.child_by_field_name("index")
            if obj is not None and t.text(obj).replace(" ", "") in _ENV_OBJECTS:
                return t.string_value(idx)
        if node.type == "call_expression" and (t.callee_name(node) or "").endswith(".env.get"):
            args = t.arguments(node)
            return t.string_value(args[0]) if args else None
        return None

    def val(self, node: Any) -> Val:
        t = self.t
        pos = self.pos(node)
        while node.type in {"parenthesized_expression", "as_expression", "non_null_expression",
                            "satisfies_expression"} and node.named_children:
            node = node.named_children[0]
        if node.type in {"null", "undefined"} or (node.type == "identifier" and t.text(node) == "undefined"):
            return Val(*pos, none=True)
        text = t.string_value(node)
        if text is not None:
            return Val(*pos, text=text, exact=True)
        if node.type == "template_string":
            raw = t.text(node)[1:]
            head = raw.split("${", 1)[0]
            env = None
            for sub in node.named_children:
                if sub.type == "template_substitution" and sub.named_children:
                    env = self.env_member(sub.named_children[0])
                    break
            return Val(*pos, text=head, env=env)
        env = self.env_member(node)
        if env is not None:
            return Val(*pos, env=env)
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and op is not None:
                lv, rv = self.val(left), self.val(right)
                if t.text(op) in {"??", "||"}:
                    return Val(*pos, text=rv.text, exact=rv.exact, env=lv.env, name=lv.name)
                if t.text(op) == "+":
                    return Val(*pos, text=lv.text, env=lv.env or rv.env, name=None if lv.text else rv.name)
        if node.type in {"identifier", "member_expression", "shorthand_property_identifier"}:
            const = self._const(node) if node.type == "identifier" else None
            if const is not None and t.string_value(const) is not None:
                return Val(*pos, text=t.string_value(const), exact=True)
            return Val(*pos, name=t.text(node))
        return Val(*pos)

    def obj(self, node: Any, depth: int = 0) -> tuple[dict[str, Any], bool] | None:
        """An object literal's properties (following one const indirection): (props, fully known)."""
        if node is None or depth > 3:
            return None
        if node.type in {"identifier", "shorthand_property_identifier"}:
            return self.obj(self._const(node), depth + 1)
        while node.type in {"parenthesized_expression", "as_expression", "satisfies_expression"} and \
                node.named_children:
            node = node.named_children[0]
        if node.type == "new_expression" and self.t.callee_name(node) == "Headers":
            args = self.t.arguments(node)
            return self.obj(args[0], depth + 1) if args else ({}, True)
        if node.type != "object":
            return None
        props: dict[str, Any] = {}
        known = True
        for child in node.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key is None or value is None:
                    continue
                if key.type == "computed_property_name":
                    known = False
                    continue
                name = self.t.string_value(key) if key.type == "string" else self.t.text(key)
                props[name or ""] = (key, value)
            elif child.type == "shorthand_property_identifier":
                props[self.t.text(child)] = (child, child)
            elif child.type == "spread_element":
                known = False
        return props, known

    def headers(self, node: Any) -> tuple[list[Header], bool] | None:
        got = self.obj(node)
        if got is None:
            return None
        props, known = got
        out = []
        for name, (key, value) in props.items():
            line, col, _, end_col = self.pos(key)
            out.append(Header(name, header_role(name) or "", self.val(value), line, col, end_col))
        return out, known

    def fragments(self, node: Any, depth: int = 0) -> list[str]:
        if node is None or depth > 4:
            return []
        t = self.t
        text = t.string_value(node)
        if text is not None:
            return [text]
        if node.type == "identifier":
            return self.fragments(self._const(node), depth + 1)
        out: list[str] = []
        if node.type == "template_string":
            for child in node.named_children:
                if child.type == "string_fragment":
                    out.append(t.text(child))
                elif child.type == "template_substitution":
                    for sub in child.named_children:
                        out += self.fragments(sub, depth + 1)
        elif node.type == "binary_expression":
            for side in ("left", "right"):
                out += self.fragments(node.child_by_field_name(side), depth + 1)
        elif node.type == "new_expression" and t.callee_name(node) == "URL":
            for arg in t.arguments(node):
                out += self.fragments(arg, depth + 1)
        return out

    # -- the walk -------------------------------------------------------------------------------------------
    def _header_pair(self, pair: Any) -> None:
        key = pair.child_by_field_name("key")
        value = pair.child_by_field_name("value")
        if key is None or value is None or key.type != "string":
            return
        name = self.t.string_value(key) or ""
        role = header_role(name)
        if role and role != "authorization":
            line, col, _, end_col = self.pos(key)
            self.out.headers.append(Header(name, role, self.val(value), line, col, end_col))

    def _provider_import(self, spec: Any) -> None:
        """``import { openai } from "@ai-sdk/openai"``: the default Vercel AI SDK provider (no options)."""
        stmt = spec.parent
        while stmt is not None and stmt.type != "import_statement":
            stmt = stmt.parent
        if stmt is None or self.t.string_value(stmt.child_by_field_name("source")) != "@ai-sdk/openai":
            return
        name = spec.child_by_field_name("name")
        if name is None or self.t.text(name) != "openai":
            return
        if self.t.text(stmt).startswith("import type") or "type" in self.t.text(spec).split():
            return
        self.out.uses.append(Use("vercel", "the default `openai` provider of @ai-sdk/openai",
                                 *self.pos(spec), base_env=(BASE_ENV,)))

    def _construct(self, node: Any) -> None:
        t = self.t
        callee = t.callee_name(node)
        if callee is None:
            return
        target = self.resolve(callee)
        if target is None and node.type == "new_expression":
            return
        args = t.arguments(node)
        if target is not None:
            pos = self.pos(node)
            module, name = target
            if module == "openai" and node.type == "new_expression" and name in {"default", "*", "OpenAI"}:
                use = Use("openai", "new OpenAI()", *pos, org_env=(ORG_ENV,), project_env=(PROJECT_ENV,),
                          base_env=(BASE_ENV,))
                self._js_options(use, args, _JS_CLIENT_OPTIONS, "defaultHeaders")
                self.out.uses.append(use)
                return
            if module == "openai" and name == "Configuration":
                use = Use("openai-v3", "new Configuration()", *pos)
                self._js_options(use, args, {"organization": "org", "apiKey": "api_key"}, None)
                self.out.uses.append(use)
                return
            if module == "@ai-sdk/openai" and name == "createOpenAI":
                use = Use("vercel", "createOpenAI()", *pos, base_env=(BASE_ENV,))
                if args:
                    self._js_options(use, args, _JS_CLIENT_OPTIONS, "headers")
                self.out.uses.append(use)
                return
            if (module == "@langchain/openai" or module.startswith("langchain/")) and \
                    name in {"ChatOpenAI", "OpenAIEmbeddings", "OpenAI"} and node.type == "new_expression":
                use = Use("langchain-js", f"new {name}()", *pos, org_env=("OPENAI_ORGANIZATION", ORG_ENV),
                          project_env=(PROJECT_ENV,))
                self._langchain_options(use, args)
                self.out.uses.append(use)
                return
        if node.type == "call_expression":
            self._raw(node, callee, args)

    def _js_options(self, use: Use, args: list[Any], names: dict[str, str], headers: str | None) -> None:
        if args:
            self._options(use, args[0], names, headers)

    def _langchain_options(self, use: Use, args: list[Any]) -> None:
        if not args:
            return
        props = self._options(use, args[0], {"apiKey": "api_key", "openAIApiKey": "api_key"}, None)
        if props is not None and "configuration" in props:  # the options of the OpenAI client it makes
            self._options(use, props["configuration"][1], {"organization": "org", "project": "project",
                                                           "baseURL": "base_url"}, "defaultHeaders")

    def _options(self, use: Use, node: Any, names: dict[str, str],
                 headers: str | None) -> dict[str, Any] | None:
        """Set on ``use`` the options an object literal gives (``names``: property -> attribute; ``headers``:
        the property holding headers); its properties, or None when it is not a literal we can read."""
        got = self.obj(node)
        if got is None:
            use.known = False
            return None
        props, known = got
        use.known = use.known and known
        for prop, attr in names.items():
            if prop in props:
                setattr(use, attr, self.val(props[prop][1]))
        if headers and headers in props:
            hs = self.headers(props[headers][1])
            if hs is None:
                use.known = False
            else:
                use.headers = hs[0]
                use.known = use.known and hs[1]
        return props

    def _raw(self, node: Any, callee: str, args: list[Any]) -> None:
        url: Any = None
        options: Any = None
        presence = True
        if callee in _JS_FETCH:
            url = args[0] if args else None
            options = args[1] if len(args) > 1 else None
        elif callee.startswith("axios"):
            method = callee[len("axios."):] if callee.startswith("axios.") else ""
            presence = not self.axios_defaults
            if method in _AXIOS_DATA:
                url = args[0] if args else None
                options = args[2] if len(args) > 2 else None
            elif method in _AXIOS_NO_DATA:
                url = args[0] if args else None
                options = args[1] if len(args) > 1 else None
            elif method in {"", "request"}:
                if args and args[0].type in {"string", "template_string", "identifier", "binary_expression"} \
                        and self.obj(args[0]) is None:
                    url = args[0]
                    options = args[1] if len(args) > 1 else None
                elif args:
                    options = args[0]
                    got = self.obj(options)
                    url = got[0]["url"][1] if got and "url" in got[0] else None
            else:
                return
        else:
            return
        fragments = self.fragments(url) if url is not None else []
        if not any(OPENAI_HOST in f for f in fragments):
            return
        use = Use("raw", f"{callee}()", *self.pos(node), raw=True, admin=_admin_url(fragments))
        if options is None:
            use.known = True
        else:
            got = self.obj(options)
            if got is None:
                use.known = False
            else:
                props, known = got
                if "headers" in props:
                    hs = self.headers(props["headers"][1])
                    if hs is None:
                        use.known = False
                    else:
                        use.headers = hs[0]
                        use.known = hs[1] and known
                else:
                    use.known = known
                use.auth_option = "auth" in props
        use.presence_known = use.known and presence
        self.out.uses.append(use)


# == curl ==================================================================================================
def _curl(source: Source, out: FileUsage) -> None:
    from oai_lint.sources.curl import CurlCommand

    cmd: CurlCommand
    for cmd in source.curl_commands:
        headers = []
        for h in cmd.headers:
            role = header_role(h.name) or ""
            value_col = h.column + len(h.name) + 1
            val = _shell_val(h.value, h.line, value_col)
            header = Header(h.name, role, val, h.line, h.column, h.column + len(h.name))
            headers.append(header)
            if role and role != "authorization":
                out.headers.append(header)
        if not cmd.targets(OPENAI_HOST):
            continue
        use = Use("raw", "curl", cmd.line, cmd.column, cmd.line, cmd.column + 4, raw=True,
                  known=cmd.headers_known, headers=headers, auth_option=cmd.auth_option,
                  presence_known=cmd.headers_known, docs=cmd.in_docs, admin=_admin_url(cmd.urls))
        if cmd.bearer_option is not None:
            use.api_key = _shell_val(cmd.bearer_option, cmd.line, cmd.column)
        out.uses.append(use)


_SHELL_VAR = lazy_compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|"
                        r"\$\{\{\s*(?:env|secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)")


def _shell_val(value: str, line: int, column: int) -> Val:
    """A header value written in a shell command: the literal text up to the first ``$`` expansion."""
    head, dollar, _ = value.partition("$")
    return Val(line, column, line, column + len(value), text=head if dollar else value, exact=not dollar,
               env=_shell_env(value))


def _shell_env(value: str) -> str | None:
    m = _SHELL_VAR.search(value)
    if m is None:
        return None
    return m.group(1) or m.group(2) or m.group(3)


def iter_org_project_values(usage: FileUsage) -> Iterator[tuple[str, Val, str]]:
    """(slot, value, where) for every organization/project/key value given in code or headers."""
    for use in usage.uses:
        for slot, val in (("organization", use.org), ("project", use.project), ("api-key", use.api_key)):
            if val is not None:
                yield slot, val, f"{slot if slot != 'api-key' else 'the API key'} in {use.label}"
        auth = use.header("authorization") if use.raw else None
        if auth is not None and auth.value is not None:
            yield "api-key", auth.value, "the Authorization header"
    for h in usage.headers:
        if h.value is not None and h.role in {"organization", "project"}:
            yield h.role, h.value, f"the {h.name} header"
