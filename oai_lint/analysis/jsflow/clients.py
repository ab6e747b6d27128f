"""JS/TS: the imports, declarations and calls of one file; what is an OpenAI client, an OpenAI call and a raw
HTTP request to the API; sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from oai_lint.analysis.jsflow.syntax import FUNCTIONS, INDEXED, SLEEP, Node, node_key
from oai_lint.analysis.vocab import (
    AI_SDK_CALLS,
    JS_CLIENT_CLASSES,
    JS_RESOURCE_METHODS,
    OPENAI_HOST,
    QUOTA_CODES,
    V3_METHODS,
    V3_TYPES,
)
from oai_lint.sources.javascript import JsTree, walk


class JsClients:
    """The index and OpenAI calls of one JS/TS file (the base of :class:`JsFlow`)."""

    def __init__(self, tree: JsTree) -> None:
        self.tree = tree
        self.calls: list[Node] = []
        self.news: list[Node] = []
        self.decls: dict[str, list[Node]] = {}  # name -> value nodes (const/let/var and plain assignment)
        self.functions: dict[str, list[Node]] = {}
        self.imports = tree.imports()  # local name -> (module, imported name or "*"/"default")
        self.try_statements: list[Node] = []
        self._fn_covered: dict[tuple[int, int, str], bool] = {}
        self._fn_calls: dict[tuple[int, int, str], bool] = {}
        self._clients: set[str] | None = None
        self._axios: dict[str, Node] | None = None
        self._v3: bool | None = None
        for node in tree.nodes_of_types(INDEXED):
            t = node.type
            if t == "call_expression":
                self.calls.append(node)
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

    @cached_property
    def members(self) -> dict[str, list[Node]]:
        """Member expressions by the text of their property (``a.b.client`` under ``client``), in document
        order."""
        out: dict[str, list[Node]] = {}
        for node in self.tree.nodes_of_types(("member_expression",)):
            prop = node.child_by_field_name("property")
            if prop is not None:
                out.setdefault(self.tree.text(prop), []).append(node)
        return out

    # -- imports ---------------------------------------------------------------------------------------------
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
        return self.tree.chain_text(node)

    def enclosing_function(self, node: Node) -> Node | None:
        cur = self.tree.parent(node)
        while cur is not None:
            if cur.type in FUNCTIONS:
                return cur
            cur = self.tree.parent(cur)
        return None

    def is_ancestor(self, anc: Node, node: Node) -> bool:
        cur = self.tree.parent(node)
        while cur is not None:
            if cur == anc:
                return True
            cur = self.tree.parent(cur)
        return False

    def function_name(self, fn: Node) -> str | None:
        name = fn.child_by_field_name("name")
        if name is not None:
            return self.text(name)
        parent = self.tree.parent(fn)
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
                parent = self.tree.parent(ident)
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
                    if callee in JS_CLIENT_CLASSES or callee == "OpenAIApi":
                        out.add(name)
        self._clients = out
        return out

    def is_openai_call(self, call: Node, clients: set[str] | None = None) -> bool:
        callee = self.tree.callee_name(call) or ""
        if any(callee == m or callee.endswith("." + m) for m in JS_RESOURCE_METHODS):
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
        k = node_key(node)
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
                and getattr(self.tree.parent(cur), "type", None) == "arguments"
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

    # -- sleeps ----------------------------------------------------------------------------------------------
    def sleep_delays(self, node: Node) -> Iterator[tuple[Node, Node]]:
        """(call, delay) for ``sleep(ms)``/``delay(ms)``/``setTimeout(r, ms)`` calls under ``node``."""
        for call in walk(node, {"call_expression"}):
            callee = self.tree.callee_name(call) or ""
            if not SLEEP.search(callee):
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
