"""JavaScript/TypeScript analysis shared by the retry and legacy-SDK checks (tree-sitter trees, one file).

The counterpart of :mod:`oai_lint.analysis.pyflow`: which calls reach OpenAI, which code runs under retry
handling (p-retry, async-retry, exponential-backoff, any ``*retry*``/``*backoff*`` wrapper, a loop around
``try/catch``), and where a client built with ``maxRetries: 0`` is used.
"""

from __future__ import annotations

from oai_lint.analysis.flow import ClientCall
from oai_lint.analysis.jsflow.clients import JsClients
from oai_lint.analysis.jsflow.syntax import FUNCTIONS, LOOPS, Node, node_key
from oai_lint.analysis.pyflow.syntax import is_retry_name
from oai_lint.analysis.vocab import (
    CLIENT_SETTINGS,
)
from oai_lint.sources.javascript import walk


class JsFlow(JsClients):
    """:class:`JsClients` plus which calls run under retry handling and where a client is used."""

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
        cur = self.tree.parent(node)
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
            child, cur = cur, self.tree.parent(cur)
        return False

    def is_retry_loop(self, loop: Node, try_node: Node) -> bool:
        """``while``/``do``, or a counting ``for (let i = 0; i < n; i++)`` whose variable the attempted
        code does not use (``items[i]`` walks data instead); never ``for...of``/``for...in``."""
        if loop.type in {"while_statement", "do_statement"}:
            return True
        if loop.type != "for_statement":
            return False
        init = loop.child_by_field_name("initializer")
        names = {self.text(n) for n in walk(init, {"identifier"})} if init is not None else set()
        body = try_node.child_by_field_name("body")
        if body is None or not names:
            return True
        return not any(self.text(n) in names for n in walk(body, {"identifier"}))

    def function_covered(self, fn: Node) -> bool:
        k = node_key(fn)
        if k in self._fn_covered:
            return self._fn_covered[k]
        self._fn_covered[k] = False
        result = self._function_covered(fn)
        self._fn_covered[k] = result
        return result

    def _function_covered(self, fn: Node) -> bool:
        parent = self.tree.parent(fn)
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
        parent = self.tree.parent(ident)
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
    def uses(self, expr: Node, depth: int = 0, seen: set[tuple[int, int, str]] | None = None) -> list[ClientCall]:
        seen = seen if seen is not None else set()
        k = node_key(expr)
        if k in seen or depth > 12:
            return []
        seen.add(k)
        parent = self.tree.parent(expr)
        if parent is None:
            return [ClientCall(expr, False)]
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
            grand = self.tree.parent(parent)
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
                return [ClientCall(expr, True)]
            if prop is not None and self.text(prop) in CLIENT_SETTINGS:
                return []  # client.apiKey, client.baseURL: no request is sent
            return [ClientCall(expr, False)]
        if t == "variable_declarator" and parent.child_by_field_name("value") == expr:
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                scope = self.enclosing_function(parent)
                return self._name_uses(self.text(name), scope, depth, seen)
            return [ClientCall(expr, False)]
        if (
            t in {"public_field_definition", "field_definition"}
            and parent.child_by_field_name("value") == expr
        ):
            name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
            if name is None:
                return [ClientCall(expr, False)]
            return self._member_uses(f"this.{self.text(name)}", self.text(name), None, depth, seen)
        if t in {"required_parameter", "optional_parameter"} and parent.child_by_field_name("value") == expr:
            pattern = parent.child_by_field_name("pattern")
            if pattern is None or pattern.type != "identifier":
                return [ClientCall(expr, False)]
            name = self.text(pattern)
            out = self._member_uses(f"this.{name}", name, None, depth, seen)
            fn = self.enclosing_function(parent)
            return out + self._name_uses(name, fn, depth, seen) if fn is not None else out
        if t == "assignment_expression" and parent.child_by_field_name("right") == expr:
            left = parent.child_by_field_name("left")
            if left is None:
                return [ClientCall(expr, False)]
            if left.type == "identifier":
                return self._name_uses(self.text(left), None, depth, seen)
            if left.type == "member_expression":
                prop = left.child_by_field_name("property")
                name = self.text(prop) if prop is not None else ""
                return self._member_uses(self.chain_text(left), name, left, depth, seen)
            return [ClientCall(expr, False)]
        if t == "return_statement" or (t == "arrow_function" and parent.child_by_field_name("body") == expr):
            fn = parent if t == "arrow_function" else self.enclosing_function(parent)
            name = self.function_name(fn) if fn is not None else None
            if name:
                out = []
                for call in self.calls:
                    if (self.tree.callee_name(call) or "").rsplit(".", 1)[-1] == name:
                        out.extend(self.uses(call, depth + 1, seen))
                return out
            return [ClientCall(expr, False)]
        if t == "arguments":
            call = self.tree.parent(parent)
            callee = (self.tree.callee_name(call) or "").rsplit(".", 1)[-1] if call is not None else ""
            for fn in self.functions.get(callee, []):
                if self.function_covered(fn):
                    return [ClientCall(expr, True)]
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
            if call is not None and getattr(self.tree.parent(call), "type", None) == "variable_declarator":
                return self.uses(call, depth + 1, seen)
            return [ClientCall(expr, False)]
        return [ClientCall(expr, False)]

    def _member_uses(
        self, key: str, prop: str, target: Node | None, depth: int, seen: set[tuple[int, int, str]]
    ) -> list[ClientCall]:
        """Uses of ``this.client``-style members (every member expression with the same text): only those
        whose property is ``prop`` (the last name of ``key``) are compared. A key cut short by
        ``JsTree.long_callee`` (``….client``) names no member."""
        out: list[ClientCall] = []
        if "…" in key:
            return out
        for member in self.members.get(prop, ()):
            if member != target and self.chain_text(member) == key:
                out.extend(self.uses(member, depth + 1, seen))
        return out

    def _name_uses(
        self, name: str, scope: Node | None, depth: int, seen: set[tuple[int, int, str]]
    ) -> list[ClientCall]:
        out: list[ClientCall] = []
        for ident in self.identifiers.get(name, []):
            if self._declares(ident):
                continue
            if scope is not None and not self.is_ancestor(scope, ident):
                continue
            if ident.type == "shorthand_property_identifier":
                out.append(ClientCall(ident, False))
                continue
            out.extend(self.uses(ident, depth + 1, seen))
        return out
