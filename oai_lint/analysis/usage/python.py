"""Usage in Python: OpenAI SDK and wrapper clients (openai, LangChain, LlamaIndex, LiteLLM), module-level
settings and raw HTTP requests, with the values of their options and headers."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from oai_lint.analysis.ids import ORG_ENV, PROJECT_ENV, header_role
from oai_lint.analysis.usage.model import FileUsage, Header, Use, Val, admin_url
from oai_lint.analysis.vocab import (
    BASE_ENV,
    OPENAI_HOST,
)
from oai_lint.lazyre import lazy_compile
from oai_lint.sources.python import dotted_name, walk

if TYPE_CHECKING:
    from oai_lint.sources import Source
    from oai_lint.sources.python import PyIndex


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


class PyUsage:
    """The clients, raw requests and header literals of one Python file, added to a FileUsage."""

    def __init__(self, source: Source, idx: PyIndex, out: FileUsage) -> None:
        self.source = source
        self.tree = idx.tree
        self.out = out
        self.imports = idx.imports  # the file's index (shared with the other checks): imports and parents
        self.parent = idx.parents
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
    def scope_of(self, node: ast.AST) -> ast.AST:
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
        p = self.parent.get(sub)
        return p.value if isinstance(p, ast.Assign) else None

    def _header(self, key_node: ast.AST, name: str, value: ast.AST | None) -> Header:
        line, col, _, end_col = _py_pos(self.source, key_node)
        return Header(name, header_role(name) or "", self.val(value) if value is not None else None,
                      line, col, end_col)

    # -- the walk -----------------------------------------------------------------------------------------
    def run(self) -> None:
        seen_header_keys: set[tuple[int, int]] = set()
        for node in walk(self.tree):
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
                  admin=admin_url(self.fragments(url)))
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
