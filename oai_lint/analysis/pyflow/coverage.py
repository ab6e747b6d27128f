"""Python flow analysis shared by the retry and legacy-SDK checks: what is an OpenAI call, which code runs
under retry handling, and where a client built with ``max_retries=0`` ends up being used (one file).

Everything here is heuristic but conservative: when in doubt a call counts as covered by retry handling,
so that the checks report only what they can show.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

from oai_lint.analysis.flow import ClientCall
from oai_lint.analysis.pyflow.clients import PyClients
from oai_lint.analysis.pyflow.syntax import (
    handler_requeues,
    handler_retries,
    is_retry_name,
    try_parts,
    unparse,
)
from oai_lint.analysis.vocab import (
    CLIENT_SETTINGS,
    QUOTA_CODES,
    TASK_RETRY_OPTIONS,
)
from oai_lint.sources.python import FunctionNode, dotted_name, keyword, walk


@dataclass(frozen=True)
class _ScopeRefs:
    """A name's references in one scope: the loads directly in it (in document order) and their
    positions, the loads in functions nested in it, and where each statement binding it ends."""

    direct: list[ast.Name]
    positions: list[tuple[int, int]]
    nested: list[ast.Name]
    stores: list[tuple[int, int]]


def _start(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _end(node: ast.AST) -> tuple[int, int] | None:
    """Where the last node of ``node`` starts (None: no node in it has a place). Start positions only: in
    a notebook they are moved to the places in the file, end positions are not all."""
    starts = [_start(n) for n in ast.walk(node) if hasattr(n, "lineno")]
    return max(starts) if starts else None


class PyFlow(PyClients):
    """:class:`PyClients` plus which calls run under retry handling and where a client is used."""

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
            if isinstance(dec, ast.Call) and any(k.arg in TASK_RETRY_OPTIONS for k in dec.keywords):
                return True  # @app.task(autoretry_for=(RateLimitError,), retry_backoff=True)
        refs: list[ast.AST] = [n for n in self.idx.names.get(fn.name, []) if isinstance(n.ctx, ast.Load)]
        refs += [a for a in self.idx.attrs.get(fn.name, []) if isinstance(a.ctx, ast.Load)]
        return any(self.covered(ref) for ref in refs)

    # -- following a client ----------------------------------------------------------------------------------
    def _only_tested(self, expr: ast.AST, parent: ast.AST | None) -> bool:
        """``expr`` is only tested for truth or compared (``if hasattr(self, "client") and self.client:``)."""
        if isinstance(parent, (ast.Compare, ast.UnaryOp)):
            return True
        node: ast.AST = expr
        while isinstance(parent, ast.BoolOp):
            node, parent = parent, self.idx.parent(parent)
        return isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and getattr(parent, "test", None) is node

    def uses(self, expr: ast.AST, depth: int = 0, seen: set[int] | None = None) -> list[ClientCall]:
        """Where the object ``expr`` evaluates to is used: method calls through it, or the point where it
        leaves what the file shows. Follows assignments, ``self.x``, factories and same-file parameters."""
        seen = seen if seen is not None else set()
        if id(expr) in seen or depth > 12:
            return []
        seen.add(id(expr))
        parent = self.idx.parent(expr)
        if self._only_tested(expr, parent):
            return []  # `if self.client:`, `client is None`: a test of the object sends no request
        if isinstance(parent, ast.Attribute) and parent.value is expr:
            if parent.attr == "with_retry":
                return [ClientCall(expr, True)]
            if parent.attr in CLIENT_SETTINGS:
                return []  # client.api_key, client.close(): no request is sent
            grand = self.idx.parent(parent)
            if (
                parent.attr in {"with_options", "copy"}
                and isinstance(grand, ast.Call)
                and grand.func is parent
            ):
                kw = keyword(grand, "max_retries")
                if kw is not None and not self.is_zero(kw.value):
                    return []  # retries turned back on for this copy
                return self.uses(grand, depth + 1, seen)
            return [ClientCall(expr, False)]
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is expr:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            out: list[ClientCall] = []
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
            return [ClientCall(expr, False)]
        if isinstance(parent, (ast.BinOp, ast.Await)):  # prompt | llm, await factory()
            return self.uses(parent, depth + 1, seen)
        arg_call, param = self._argument_of(expr)
        if arg_call is not None:
            for fn in self.local_functions(arg_call.func):
                if self.function_covered(fn):
                    return [ClientCall(expr, True)]
                name = self._parameter_name(fn, arg_call, expr, param)
                if name:
                    return self._name_uses(name, fn, None, depth, seen)
            if isinstance(self.idx.parent(arg_call), (ast.Assign, ast.AnnAssign, ast.withitem)):
                return self.uses(arg_call, depth + 1, seen)  # wrapped: chain = LLMChain(llm=llm)
            return [ClientCall(expr, False)]
        return [ClientCall(expr, False)]

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

    def _target_uses(self, target: ast.AST, stmt: ast.AST, depth: int, seen: set[int]) -> list[ClientCall]:
        if isinstance(target, ast.Name):
            scope = self.idx.enclosing_function(stmt)
            return self._name_uses(target.id, scope, stmt, depth, seen)
        if isinstance(target, ast.Attribute):
            key = unparse(target)
            cls = self.idx.enclosing_class(stmt)
            out: list[ClientCall] = []
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
        return [ClientCall(target, False)]

    def _name_uses(
        self, name: str, scope: FunctionNode | None, stmt: ast.AST | None, depth: int, seen: set[int]
    ) -> list[ClientCall]:
        """The uses of the value a name is bound to by ``stmt`` (None: a parameter, bound on entry): the
        loads in its scope that come after ``stmt`` and before the next statement that binds the name
        again (document order), and the loads in functions nested in the scope. Each name's references
        are sorted once per scope: a name assigned and used many times costs linear time."""
        refs = self._scope_refs(name, scope)
        direct = refs.direct
        end = _end(stmt) if stmt is not None else None
        if end is not None:
            from bisect import bisect_right

            lo = bisect_right(refs.positions, end)
            # up to the end of the next statement that binds the name: the loads inside it (its value,
            # ``client = wrap(client)``) still read the value bound here
            nxt = bisect_right(refs.stores, end)
            hi = bisect_right(refs.positions, refs.stores[nxt]) if nxt < len(refs.stores) else len(direct)
            direct = direct[lo:hi]
        out: list[ClientCall] = []
        for ref in (*direct, *refs.nested):
            out.extend(self.uses(ref, depth + 1, seen))
        return out

    @cached_property
    def _refs_by_scope(self) -> dict[tuple[str, int], _ScopeRefs]:
        return {}

    def _scope_refs(self, name: str, scope: FunctionNode | None) -> _ScopeRefs:
        key = (name, id(scope))
        cached = self._refs_by_scope.get(key)
        if cached is not None:
            return cached
        direct: list[ast.Name] = []
        nested: list[ast.Name] = []
        stores: list[tuple[int, int]] = []
        local: dict[int, bool] = {}
        for ref in self.idx.names.get(name, []):
            fn = self.idx.enclosing_function(ref)
            if not isinstance(ref.ctx, ast.Load):
                if fn is scope and isinstance(ref.ctx, ast.Store):
                    binding = self._statement(ref)
                    # a compound statement (for, with) binds in its header: its body is not walked
                    small = not hasattr(binding, "body")
                    stores.append((_end(binding) if small else None) or _start(ref))
                continue
            if scope is not None:
                if fn is not scope and scope not in set(self.idx.ancestors(ref)):
                    continue
            elif fn is not None:
                if id(fn) not in local:
                    local[id(fn)] = self._binds_locally(fn, name)
                if local[id(fn)]:
                    continue
            (direct if fn is scope else nested).append(ref)
        direct.sort(key=_start)
        stores.sort()
        cached = self._refs_by_scope[key] = _ScopeRefs(direct, [_start(r) for r in direct], nested, stores)
        return cached

    def _statement(self, node: ast.AST) -> ast.AST:
        """The statement that holds ``node`` (``node`` itself outside one)."""
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.idx.parent(current)
        return current if current is not None else node

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
