"""JavaScript/TypeScript analysis shared by the retry and legacy-SDK checks (tree-sitter trees, one file).

The counterpart of :mod:`oai_lint.analysis.pyflow`: which calls reach OpenAI, which code runs under retry
handling (p-retry, async-retry, exponential-backoff, any ``*retry*``/``*backoff*`` wrapper, a loop around
``try/catch``), and where a client built with ``maxRetries: 0`` is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from oai_lint.analysis.pyflow import CLIENT_SETTINGS, QUOTA_CODES, is_retry_name
from oai_lint.analysis.vocab import OPENAI_HOST
from oai_lint.lazyre import lazy_compile
from oai_lint.sources.javascript import JsTree

if TYPE_CHECKING:
    from oai_lint.findings import Hit

Node = Any

FUNCTIONS = {
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
}
LOOPS = {"for_statement", "for_in_statement", "while_statement", "do_statement"}
CLIENT_CLASSES = {
    "OpenAI",
    "AzureOpenAI",
    "ChatOpenAI",
    "AzureChatOpenAI",
    "OpenAIEmbeddings",
    "AzureOpenAIEmbeddings",
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
    "images.createVariation",
    "audio.transcriptions.create",
    "audio.translations.create",
    "audio.speech.create",
    "moderations.create",
)
AI_SDK_CALLS = {"generateText", "streamText", "generateObject", "streamObject", "embed", "embedMany"}
# openai-node v3 (OpenAIApi) methods and their v4+ replacements.
V3_METHODS = {
    "createChatCompletion": "openai.chat.completions.create",
    "createCompletion": "openai.completions.create",
    "createEdit": "openai.chat.completions.create (the Edits endpoint is gone)",
    "createEmbedding": "openai.embeddings.create",
    "createImage": "openai.images.generate",
    "createImageEdit": "openai.images.edit",
    "createImageVariation": "openai.images.createVariation",
    "createTranscription": "openai.audio.transcriptions.create",
    "createTranslation": "openai.audio.translations.create",
    "createModeration": "openai.moderations.create",
    "listModels": "openai.models.list",
    "retrieveModel": "openai.models.retrieve",
    "deleteModel": "openai.models.delete",
    "createFile": "openai.files.create",
    "listFiles": "openai.files.list",
    "retrieveFile": "openai.files.retrieve",
    "deleteFile": "openai.files.delete",
    "downloadFile": "openai.files.content",
    "createFineTune": "openai.fineTuning.jobs.create",
    "listFineTunes": "openai.fineTuning.jobs.list",
    "retrieveFineTune": "openai.fineTuning.jobs.retrieve",
    "cancelFineTune": "openai.fineTuning.jobs.cancel",
    "listFineTuneEvents": "openai.fineTuning.jobs.listEvents",
    "listEngines": "openai.models.list",
    "retrieveEngine": "openai.models.retrieve",
}
_INDEXED = (
    "call_expression", "new_expression", "variable_declarator", "assignment_expression",
    "function_declaration", "generator_function_declaration", "method_definition", "import_statement",
    "try_statement",
)
# openai-node v3 request/response types that v4 no longer exports (v4 names them ...Params / ChatCompletion).
V3_TYPES = {
    "ChatCompletionRequestMessage", "ChatCompletionRequestMessageRoleEnum", "ChatCompletionResponseMessage",
    "ChatCompletionResponseMessageRoleEnum", "CreateChatCompletionRequest", "CreateChatCompletionResponse",
    "CreateCompletionRequest", "CreateCompletionResponse", "CreateEmbeddingRequest", "CreateImageRequest",
    "CreateModerationRequest", "ConfigurationParameters",
}
_SLEEP = lazy_compile(r"(^|\.)(sleep|delay|wait|pause|setTimeout|timeout)$", re.I)


@dataclass(frozen=True)
class Use:
    """A call through an OpenAI client in JS/TS, with the client it goes through."""
    node: Node
    covered: bool


def _key(node: Node) -> tuple[int, int, str]:
    return node.start_byte, node.end_byte, node.type


class JsFlow:
    def __init__(self, tree: JsTree) -> None:
        self.tree = tree
        self.calls: list[Node] = []
        self.news: list[Node] = []
        self.decls: dict[str, list[Node]] = {}  # name -> value nodes (const/let/var and plain assignment)
        self.functions: dict[str, list[Node]] = {}
        self.imports: dict[
            str, tuple[str, str]
        ] = {}  # local name -> (module, imported name or "*"/"default")
        self.try_statements: list[Node] = []
        self._fn_covered: dict[tuple[int, int, str], bool] = {}
        self._fn_calls: dict[tuple[int, int, str], bool] = {}
        self._clients: set[str] | None = None
        self._axios: dict[str, Node] | None = None
        self._v3: bool | None = None
        for node in tree.nodes_of_types(_INDEXED):
            t = node.type
            if t == "call_expression":
                self.calls.append(node)
                self._require(node)
            elif t == "new_expression":
                self.news.append(node)
            elif t == "variable_declarator":
                name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    self.decls.setdefault(tree.text(name), []).append(value)
                    if value.type in FUNCTIONS:
                        self.functions.setdefault(tree.text(name), []).append(value)
            elif t == "assignment_expression":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None:
                    self.decls.setdefault(tree.text(left).replace(" ", ""), []).append(right)
            elif t in {"function_declaration", "generator_function_declaration", "method_definition"}:
                name = node.child_by_field_name("name")
                if name is not None:
                    self.functions.setdefault(tree.text(name), []).append(node)
            elif t == "import_statement":
                self._import(node)
            elif t == "try_statement":
                self.try_statements.append(node)

    @cached_property
    def identifiers(self) -> dict[str, list[Node]]:
        """Identifier (and shorthand property) nodes by name; built only when a check follows a name."""
        out: dict[str, list[Node]] = {}
        for node in self.tree.nodes_of_types(("identifier", "shorthand_property_identifier")):
            out.setdefault(self.tree.text(node), []).append(node)
        return out

    @cached_property
    def properties(self) -> dict[str, list[Node]]:
        out: dict[str, list[Node]] = {}
        for node in self.tree.nodes_of_types(("property_identifier",)):
            out.setdefault(self.tree.text(node), []).append(node)
        return out

    # -- imports ---------------------------------------------------------------------------------------------
    def _import(self, node: Node) -> None:
        src = node.child_by_field_name("source")
        module = self.tree.string_value(src) if src is not None else None
        if module is None:
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    self.imports[self.tree.text(part)] = (module, "default")
                elif part.type == "namespace_import":
                    for ident in part.named_children:
                        self.imports[self.tree.text(ident)] = (module, "*")
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name is not None:
                            local = alias if alias is not None else name
                            self.imports[self.tree.text(local)] = (module, self.tree.text(name))

    def _require(self, call: Node) -> None:
        if self.tree.callee_name(call) != "require":
            return
        args = self.tree.arguments(call)
        module = self.tree.string_value(args[0]) if args else None
        parent = call.parent
        if module is None or parent is None or parent.type != "variable_declarator":
            return
        name = parent.child_by_field_name("name")
        if name is None:
            return
        if name.type == "identifier":
            self.imports[self.tree.text(name)] = (module, "*")
        elif name.type == "object_pattern":
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    self.imports[self.tree.text(child)] = (module, self.tree.text(child))
                elif child.type == "pair_pattern":
                    key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
                    if key is not None and value is not None:
                        self.imports[self.tree.text(value)] = (module, self.tree.text(key))

    def imported_from(self, local: str) -> tuple[str, str] | None:
        return self.imports.get(local)

    def v3_names(self) -> set[str]:
        """Local names that are openai-node v3's ``Configuration``/``OpenAIApi`` (or the whole module)."""
        out = set()
        for local, (module, name) in self.imports.items():
            if module == "openai" and (name in {"Configuration", "OpenAIApi"} or name in V3_TYPES):
                out.add(local)
        return out

    def is_v3_file(self) -> bool:
        if self._v3 is None:
            self._v3 = bool(self.v3_names()) or any(
                last in {"OpenAIApi", "Configuration"}
                and head
                and self.imports.get(head, ("",))[0] == "openai"
                for head, _, last in ((self.tree.callee_name(n) or "").rpartition(".") for n in self.news)
            )
        return self._v3

    # -- generic helpers -------------------------------------------------------------------------------------
    def text(self, node: Node) -> str:
        return self.tree.text(node)

    def chain_text(self, node: Node) -> str:
        return self.tree.text(node).replace("?.", ".").replace(" ", "").replace("\n", "")

    def enclosing_function(self, node: Node) -> Node | None:
        cur = node.parent
        while cur is not None:
            if cur.type in FUNCTIONS:
                return cur
            cur = cur.parent
        return None

    def is_ancestor(self, anc: Node, node: Node) -> bool:
        cur = node.parent
        while cur is not None:
            if cur == anc:
                return True
            cur = cur.parent
        return False

    def function_name(self, fn: Node) -> str | None:
        name = fn.child_by_field_name("name")
        if name is not None:
            return self.text(name)
        parent = fn.parent
        if parent is not None and parent.type == "variable_declarator":
            n = parent.child_by_field_name("name")
            return self.text(n) if n is not None else None
        if parent is not None and parent.type == "pair":
            k = parent.child_by_field_name("key")
            return self.text(k) if k is not None else None
        return None

    def const_number(self, node: Node, scope: Node | None = None) -> bool:
        """A number literal, or a name declared with a number and never reassigned."""
        if node.type == "number":
            return True
        if node.type == "parenthesized_expression" and node.named_children:
            return self.const_number(node.named_children[0], scope)
        if node.type == "identifier":
            name = self.text(node)
            values = self.decls.get(name, [])
            if not values or not all(v.type == "number" for v in values):
                return False
            for ident in self.identifiers.get(name, []):
                parent = ident.parent
                if parent is not None and parent.type in {
                    "augmented_assignment_expression",
                    "update_expression",
                }:
                    return False
            return True
        return False

    def is_zero(self, node: Node) -> bool:
        if node.type == "number":
            return self.text(node).strip() in {"0", "0.0"}
        if node.type == "identifier":
            values = self.decls.get(self.text(node), [])
            return bool(values) and all(self.is_zero(v) for v in values)
        return False

    def mentions_openai_host(self, node: Node | None, depth: int = 0) -> bool:
        if node is None:
            return False
        if OPENAI_HOST in self.text(node):
            return True
        if depth > 2:
            return False
        stack = [node]
        while stack:
            cur = stack.pop()
            if cur.type == "identifier":
                for value in self.decls.get(self.text(cur), []):
                    if self.mentions_openai_host(value, depth + 1):
                        return True
            elif cur.type == "member_expression":
                for value in self.decls.get(self.chain_text(cur), []):
                    if self.mentions_openai_host(value, depth + 1):
                        return True
            stack.extend(cur.named_children)
        return False

    def quota_checked(self) -> bool:
        for node in self.tree.nodes_of_types(("string", "template_string")):
            low = self.text(node).lower()
            if "quota" in low or any(code in low for code in QUOTA_CODES):
                return True
        return False

    # -- OpenAI calls ----------------------------------------------------------------------------------------
    def client_names(self) -> set[str]:
        if self._clients is not None:
            return self._clients
        out = set()
        for name, values in self.decls.items():
            for v in values:
                if v.type == "new_expression":
                    callee = (self.tree.callee_name(v) or "").rsplit(".", 1)[-1]
                    if callee in CLIENT_CLASSES or callee == "OpenAIApi":
                        out.add(name)
        self._clients = out
        return out

    def is_openai_call(self, call: Node, clients: set[str] | None = None) -> bool:
        callee = self.tree.callee_name(call) or ""
        if any(callee == m or callee.endswith("." + m) for m in _RESOURCE_METHODS):
            return True
        parts = callee.split(".")
        if len(parts) >= 2 and parts[-1] in V3_METHODS and self.is_v3_file():
            return True
        clients = self.client_names() if clients is None else clients
        if len(parts) >= 2 and (parts[0] in clients or ".".join(parts[:2]) in clients):
            return True
        if callee in AI_SDK_CALLS and any(m.startswith("@ai-sdk/openai") for m, _ in self.imports.values()):
            return True
        return self.raw_http(call) is not None

    def calls_openai(self, node: Node, depth: int = 0) -> bool:
        k = _key(node)
        if node.type in FUNCTIONS:
            if k in self._fn_calls:
                return self._fn_calls[k]
            self._fn_calls[k] = False
        clients = self.client_names()
        found = False
        stack = [node]
        while stack and not found:
            cur = stack.pop()
            if cur.type == "call_expression":
                if self.is_openai_call(cur, clients):
                    found = True
                    break
                if depth < 4:
                    callee = (self.tree.callee_name(cur) or "").rsplit(".", 1)[-1]
                    for fn in self.functions.get(callee, []):
                        if self.calls_openai(fn, depth + 1):
                            found = True
                            break
            if (
                cur.type == "identifier"
                and depth < 4
                and cur.parent is not None
                and cur.parent.type == "arguments"
            ):
                for fn in self.functions.get(self.text(cur), []):
                    if self.calls_openai(fn, depth + 1):
                        found = True
                        break
            stack.extend(cur.named_children)
        if node.type in FUNCTIONS:
            self._fn_calls[k] = found
        return found

    # -- raw HTTP --------------------------------------------------------------------------------------------
    def axios_instances(self) -> dict[str, Node]:
        if self._axios is not None:
            return self._axios
        out = {}
        for name, values in self.decls.items():
            for v in values:
                if v.type == "call_expression" and (self.tree.callee_name(v) or "").endswith("axios.create"):
                    out[name] = v
        self._axios = out
        return out

    def raw_http(self, call: Node) -> tuple[str, str, str] | None:
        """(label, method, library) for fetch/axios/got/ky requests to api.openai.com."""
        callee = self.tree.callee_name(call) or ""
        args = self.tree.arguments(call)
        head, _, last = callee.rpartition(".")
        instances = self.axios_instances()
        method = "GET"
        url: Node | None = None
        opts: Node | None = None
        if callee in {"fetch", "globalThis.fetch", "window.fetch", "self.fetch"}:
            lib = "fetch"
            url = args[0] if args else None
            opts = args[1] if len(args) > 1 else None
            m = self.tree.object_pairs(opts).get("method")
            value = self.tree.string_value(m) if m is not None else None
            method = (value or "GET").upper()
        elif (
            callee in {"axios", "got", "ky"}
            or head in {"axios", "got", "ky"}
            or head in instances
            or callee in instances
        ):
            lib = (
                "axios"
                if (callee == "axios" or head == "axios" or head in instances or callee in instances)
                else (head or callee)
            )
            first = args[0] if args else None
            if first is not None and first.type == "object":
                pairs = self.tree.object_pairs(first)
                url = pairs.get("url")
                m = pairs.get("method")
                method = ((self.tree.string_value(m) if m is not None else None) or "GET").upper()
                opts = first
            else:
                url = first
                opts = args[-1] if len(args) > 1 and args[-1].type == "object" else None
                if last in {"get", "post", "put", "patch", "delete", "head"}:
                    method = last.upper()
                elif last == "request" or callee in {"axios", "got", "ky"}:
                    m = self.tree.object_pairs(opts).get("method")
                    method = ((self.tree.string_value(m) if m is not None else None) or "GET").upper()
                else:
                    return None
            instance = head if head in instances else (callee if callee in instances else None)
            if instance is not None and url is not None and not self.mentions_openai_host(url):
                base = self.tree.object_pairs((self.tree.arguments(instances[instance]) or [None])[0]).get(
                    "baseURL"
                )
                if base is not None and self.mentions_openai_host(base):
                    return callee, method, lib
        else:
            return None
        if url is None or not self.mentions_openai_host(url):
            return None
        if opts is not None and lib in {"got", "ky"} and "retry" in self.tree.object_pairs(opts):
            return None
        return callee, method, lib

    # -- retry handling around a node ------------------------------------------------------------------------
    def catch_retries(self, try_node: Node) -> bool:
        handler = try_node.child_by_field_name("handler")
        if handler is None:
            return False
        body = handler.child_by_field_name("body")
        stmts = body.named_children if body is not None else []
        stmts = [s for s in stmts if s.type != "comment"]
        if not stmts or stmts[-1].type not in {"throw_statement", "return_statement", "break_statement"}:
            return True
        # the catch always ends the loop pass (`catch (e) { return null; }` gives up) unless it `continue`s
        stack = list(stmts)
        while stack:
            cur = stack.pop()
            if cur.type == "continue_statement":
                return True
            if cur.type in LOOPS or cur.type in FUNCTIONS:
                continue
            stack.extend(cur.named_children)
        return False

    def covered(self, node: Node) -> bool:
        child = node
        cur = node.parent
        retry_try: Node | None = None
        while cur is not None:
            t = cur.type
            if t == "try_statement" and child == cur.child_by_field_name("body") and self.catch_retries(cur):
                retry_try = cur
            elif (
                t in LOOPS
                and retry_try is not None
                and child == cur.child_by_field_name("body")
                and self.is_retry_loop(cur, retry_try)
            ) or (
                t == "call_expression"
                and child.type == "arguments"
                and is_retry_name(self.tree.callee_name(cur))
            ):
                return True
            elif t in FUNCTIONS:
                return self.function_covered(cur)
            child, cur = cur, cur.parent
        return False

    def is_retry_loop(self, loop: Node, try_node: Node) -> bool:
        """``while``/``do``, or a counting ``for (let i = 0; i < n; i++)`` whose variable the attempted
        code does not use (``items[i]`` walks data instead); never ``for...of``/``for...in``."""
        if loop.type in {"while_statement", "do_statement"}:
            return True
        if loop.type != "for_statement":
            return False
        init = loop.child_by_field_name("initializer")
        names = {self.text(n) for n in _walk(init, {"identifier"})} if init is not None else set()
        body = try_node.child_by_field_name("body")
        if body is None or not names:
            return True
        return not any(self.text(n) in names for n in _walk(body, {"identifier"}))

    def function_covered(self, fn: Node) -> bool:
        k = _key(fn)
        if k in self._fn_covered:
            return self._fn_covered[k]
        self._fn_covered[k] = False
        result = self._function_covered(fn)
        self._fn_covered[k] = result
        return result

    def _function_covered(self, fn: Node) -> bool:
        parent = fn.parent
        if parent is not None and parent.type == "arguments":
            return self.covered(fn)  # a callback: retried when the call it is passed to is
        name = self.function_name(fn)
        if not name:
            return self.covered(fn) if parent is not None and parent.type != "program" else False
        refs = [
            r for r in self.identifiers.get(name, []) + self.properties.get(name, []) if not self._declares(r)
        ]
        return any(self.covered(r) for r in refs)

    def _declares(self, ident: Node) -> bool:
        parent = ident.parent
        if parent is None:
            return False
        if (
            parent.type
            in {
                "variable_declarator",
                "function_declaration",
                "method_definition",
                "generator_function_declaration",
                "function_expression",
            }
            and parent.child_by_field_name("name") == ident
        ):
            return True
        if parent.type in {
            "formal_parameters",
            "required_parameter",
            "optional_parameter",
            "import_specifier",
            "import_clause",
            "namespace_import",
        }:
            return True
        return bool(parent.type == "pair" and parent.child_by_field_name("key") == ident)

    # -- following a client ----------------------------------------------------------------------------------
    def uses(self, expr: Node, depth: int = 0, seen: set[tuple[int, int, str]] | None = None) -> list[Use]:
        seen = seen if seen is not None else set()
        k = _key(expr)
        if k in seen or depth > 12:
            return []
        seen.add(k)
        parent = expr.parent
        if parent is None:
            return [Use(expr, False)]
        t = parent.type
        if t in {
            "parenthesized_expression",
            "await_expression",
            "as_expression",
            "satisfies_expression",
            "non_null_expression",
        }:
            return self.uses(parent, depth + 1, seen)
        if t == "member_expression" and parent.child_by_field_name("object") == expr:
            prop = parent.child_by_field_name("property")
            grand = parent.parent
            if (
                prop is not None
                and self.text(prop) == "withOptions"
                and grand is not None
                and grand.type == "call_expression"
            ):
                opts = self.tree.object_pairs((self.tree.arguments(grand) or [None])[0])
                value = opts.get("maxRetries")
                if value is not None and not self.is_zero(value):
                    return []
                return self.uses(grand, depth + 1, seen)
            if prop is not None and self.text(prop) == "withRetry":
                return [Use(expr, True)]
            if prop is not None and self.text(prop) in CLIENT_SETTINGS:
                return []  # client.apiKey, client.baseURL: no request is sent
            return [Use(expr, False)]
        if t == "variable_declarator" and parent.child_by_field_name("value") == expr:
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                scope = self.enclosing_function(parent)
                return self._name_uses(self.text(name), scope, depth, seen)
            return [Use(expr, False)]
        if (
            t in {"public_field_definition", "field_definition"}
            and parent.child_by_field_name("value") == expr
        ):
            name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
            if name is None:
                return [Use(expr, False)]
            return self._member_uses(f"this.{self.text(name)}", None, depth, seen)
        if t in {"required_parameter", "optional_parameter"} and parent.child_by_field_name("value") == expr:
            pattern = parent.child_by_field_name("pattern")
            if pattern is None or pattern.type != "identifier":
                return [Use(expr, False)]
            name = self.text(pattern)
            out = self._member_uses(f"this.{name}", None, depth, seen)
            fn = self.enclosing_function(parent)
            return out + self._name_uses(name, fn, depth, seen) if fn is not None else out
        if t == "assignment_expression" and parent.child_by_field_name("right") == expr:
            left = parent.child_by_field_name("left")
            if left is None:
                return [Use(expr, False)]
            if left.type == "identifier":
                return self._name_uses(self.text(left), None, depth, seen)
            if left.type == "member_expression":
                return self._member_uses(self.chain_text(left), left, depth, seen)
            return [Use(expr, False)]
        if t == "return_statement" or (t == "arrow_function" and parent.child_by_field_name("body") == expr):
            fn = parent if t == "arrow_function" else self.enclosing_function(parent)
            name = self.function_name(fn) if fn is not None else None
            if name:
                out = []
                for call in self.calls:
                    if (self.tree.callee_name(call) or "").rsplit(".", 1)[-1] == name:
                        out.extend(self.uses(call, depth + 1, seen))
                return out
            return [Use(expr, False)]
        if t == "arguments":
            call = parent.parent
            callee = (self.tree.callee_name(call) or "").rsplit(".", 1)[-1] if call is not None else ""
            for fn in self.functions.get(callee, []):
                if self.function_covered(fn):
                    return [Use(expr, True)]
                params = fn.child_by_field_name("parameters")
                index = [c for c in parent.named_children if c.type != "comment"].index(expr)
                plist = [
                    p for p in (params.named_children if params is not None else []) if p.type != "comment"
                ]
                if index < len(plist):
                    p = plist[index]
                    ident = p if p.type == "identifier" else p.child_by_field_name("pattern")
                    if ident is not None and ident.type == "identifier":
                        return self._name_uses(self.text(ident), fn, depth, seen)
            if call is not None and call.parent is not None and call.parent.type == "variable_declarator":
                return self.uses(call, depth + 1, seen)
            return [Use(expr, False)]
        return [Use(expr, False)]

    def _member_uses(
        self, key: str, target: Node | None, depth: int, seen: set[tuple[int, int, str]]
    ) -> list[Use]:
        """Uses of ``this.client``-style members (every member expression with the same text)."""
        out: list[Use] = []
        for member in self.tree.nodes_of_types(("member_expression",)):
            if member != target and self.chain_text(member) == key:
                out.extend(self.uses(member, depth + 1, seen))
        return out

    def _name_uses(
        self, name: str, scope: Node | None, depth: int, seen: set[tuple[int, int, str]]
    ) -> list[Use]:
        out: list[Use] = []
        for ident in self.identifiers.get(name, []):
            if self._declares(ident):
                continue
            if scope is not None and not self.is_ancestor(scope, ident):
                continue
            if ident.type == "shorthand_property_identifier":
                out.append(Use(ident, False))
                continue
            out.extend(self.uses(ident, depth + 1, seen))
        return out

    # -- sleeps ----------------------------------------------------------------------------------------------
    def sleep_delays(self, node: Node) -> Iterator[tuple[Node, Node]]:
        """(call, delay) for ``sleep(ms)``/``delay(ms)``/``setTimeout(r, ms)`` calls under ``node``."""
        for call in _walk(node, {"call_expression"}):
            callee = self.tree.callee_name(call) or ""
            if not _SLEEP.search(callee):
                continue
            args = self.tree.arguments(call)
            if (
                callee.endswith("setTimeout")
                and len(args) >= 2
                and args[0].type in FUNCTIONS | {"identifier"}
            ):
                yield call, args[1]
            elif args and (not callee.endswith("setTimeout") or len(args) == 1):
                yield call, args[0]


def _walk(node: Node, types: set[str]) -> Iterator[Node]:
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type in types:
            yield cur
        stack.extend(reversed(cur.named_children))


def node_hit(flow: JsFlow, rule: str, node: Node, params: dict[str, str], key: str) -> Hit:
    """A hit at a tree-sitter node (a node that spans lines is reported on its first line)."""
    from oai_lint.findings import Hit

    line, col = flow.tree.start(node)
    end_line, end_col = flow.tree.end(node)
    if end_line != line:
        end_line, end_col = line, col
    return Hit(rule, line, col, end_line, end_col, params=params, key=key)
