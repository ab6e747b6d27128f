"""The responses of migrated v0 calls: where their values flow (variables, loops, comprehensions, functions
that return them), and which dict-style accesses on them become attributes. Also the plan both share."""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Assignment, CodeRange
from libcst.metadata.scope_provider import Scope


@dataclass
class CallPlan:
    path: str  # e.g. chat.completions.create
    is_async: bool
    renames: dict[str, str]
    positional: tuple[str, ...]


@dataclass
class Plan:
    calls: dict[cst.Call, CallPlan] = field(default_factory=dict)
    lines: dict[cst.Call, int] = field(default_factory=dict)
    subscripts: dict[cst.Subscript, str] = field(default_factory=dict)  # x["k"] -> x.k
    gets: dict[cst.Call, tuple[str, cst.BaseExpression | None]] = field(default_factory=dict)  # x.get("k", d)
    dumps: set[cst.Call] = field(default_factory=set)  # x.to_dict() -> x.model_dump()
    to_json: set[cst.Arg] = field(default_factory=set)  # json.dumps(x) -> json.dumps(x.model_dump())
    contains: dict[cst.Comparison, tuple[str, bool]] = field(default_factory=dict)  # "k" in x -> x.k is not None
    client: str = "client"
    async_client: str = "async_client"
    constructor: str = "OpenAI"  # or "openai.OpenAI"
    async_constructor: str = "AsyncOpenAI"
    import_line: cst.ImportFrom | None = None  # a `from openai import V0Name` to turn into the client import
    unused_imports: dict[cst.ImportFrom, set[str]] = field(default_factory=dict)  # v0 names no longer used
    import_names: list[str] = field(default_factory=list)  # insert `from openai import <these>` before the client
    insert_after: int = -1  # index of the module statement after which the clients are created
    client_args: list[str] = field(default_factory=list)  # e.g. ["api_key=openai.api_key"]
    notes: list[str] = field(default_factory=list)

    @property
    def needs_sync(self) -> bool:
        return any(not c.is_async for c in self.calls.values())

    @property
    def needs_async(self) -> bool:
        return any(c.is_async for c in self.calls.values())


def dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def string_value(node: cst.CSTNode | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class ResponseFlow:
    """Mixed into the planner: the metadata it reads."""

    pos: Mapping[cst.CSTNode, CodeRange]
    parents: Mapping[cst.CSTNode, cst.CSTNode]
    scopes: Mapping[cst.CSTNode, Scope | None]
    _returns_cache: dict[cst.FunctionDef, list[cst.Return]] | None

    def line(self, node: cst.CSTNode) -> int:
        raise NotImplementedError

    def _plan_responses(self, plan: Plan) -> None:
        flowed: set[cst.CSTNode] = set(plan.calls)
        roots: list[cst.CSTNode] = list(plan.calls)
        done: set[int] = set()
        scopes = {s for s in self.scopes.values() if s is not None}
        changed = True
        while changed:
            changed = False
            for scope in scopes:
                by_name: dict[str, list[Assignment]] = {}
                for a in scope.assignments:
                    by_name.setdefault(a.name, []).append(a)  # type: ignore[arg-type]
                for assignments in by_name.values():
                    key = id(assignments[0])
                    if key in done:
                        continue
                    values = [self._bound_value(a) for a in assignments]
                    if not all(v is not None and self._flows(v, flowed) for v in values):
                        continue
                    done.add(key)
                    changed = True
                    for a in assignments:
                        for access in a.references:
                            flowed.add(access.node)
                            roots.append(access.node)
            for fn, returns in self._returns().items():
                if id(fn) in done or not returns or not all(
                        r.value is not None and self._flows(r.value, flowed) for r in returns):
                    continue
                done.add(id(fn))
                changed = True
                for call in self._calls_of(fn):
                    flowed.add(call)
                    roots.append(call)
        for root in roots:
            self._climb(root, plan)

    def _returns(self) -> dict[cst.FunctionDef, list[cst.Return]]:
        """The return statements of each function that is not a generator (a response returned as it is
        flows to the callers)."""
        if self._returns_cache is None:
            out: dict[cst.FunctionDef, list[cst.Return]] = {}
            generators: set[cst.FunctionDef] = set()
            for node in self.pos:
                if isinstance(node, (cst.Return, cst.Yield)):
                    fn = self._function_of(node)
                    if fn is None:
                        continue
                    if isinstance(node, cst.Yield):
                        generators.add(fn)
                    else:
                        out.setdefault(fn, []).append(node)
            self._returns_cache = {fn: r for fn, r in out.items() if fn not in generators}
        return self._returns_cache

    def _function_of(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        cur = self.parents.get(node)
        while cur is not None and not isinstance(cur, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            cur = self.parents.get(cur)
        return cur if isinstance(cur, cst.FunctionDef) else None

    def _calls_of(self, fn: cst.FunctionDef) -> list[cst.Call]:
        """The calls ``name(...)`` of a function bound once in its scope."""
        scope = self.scopes.get(fn)
        if scope is None:
            return []
        bindings = list(scope.assignments[fn.name.value])
        if len(bindings) != 1 or not isinstance(bindings[0], Assignment) or bindings[0].node is not fn:
            return []
        out = []
        for access in bindings[0].references:
            call = self.parents.get(access.node)
            if isinstance(call, cst.Call) and call.func is access.node:
                out.append(call)
        return out

    def _bound_value(self, a: object) -> cst.BaseExpression | None:
        if not isinstance(a, Assignment) or not isinstance(a.node, cst.Name):
            return None
        parent = self.parents.get(a.node)
        if isinstance(parent, cst.AssignTarget):
            assign = self.parents.get(parent)
            if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
                return assign.value
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is a.node:
            return parent.iter
        # `for i, x in enumerate(items)`: x is an element of items
        pair = self.parents.get(parent) if isinstance(parent, cst.Element) else None
        loop = self.parents.get(pair) if isinstance(pair, cst.Tuple) else None
        if (isinstance(loop, (cst.For, cst.CompFor)) and loop.target is pair and isinstance(pair, cst.Tuple)
                and len(pair.elements) == 2 and pair.elements[1] is parent and isinstance(loop.iter, cst.Call)
                and dotted(loop.iter.func) == "enumerate" and loop.iter.args and not loop.iter.args[0].star):
            return loop.iter.args[0].value
        return None

    def _flows(self, expr: cst.BaseExpression, flowed: set[cst.CSTNode]) -> bool:
        while True:
            if expr in flowed:
                return True
            if isinstance(expr, cst.Await):
                expr = expr.expression
            elif isinstance(expr, (cst.Subscript, cst.Attribute)):
                expr = expr.value
            elif isinstance(expr, (cst.ListComp, cst.GeneratorExp)):  # responses in a list
                expr = expr.elt
            elif isinstance(expr, (cst.List, cst.Tuple)):
                return bool(expr.elements) and all(self._flows(e.value, flowed) for e in expr.elements)
            elif isinstance(expr, cst.Call) and dotted(expr.func) in {"asyncio.gather", "gather"}:
                return bool(expr.args) and all(self._flows(a.value, flowed) for a in expr.args)
            else:
                return False

    def _climb(self, node: cst.CSTNode, plan: Plan) -> None:
        cur = node
        while True:
            parent = self.parents.get(cur)
            if isinstance(parent, cst.Await) and parent.expression is cur:
                cur = parent
            elif isinstance(parent, cst.Subscript) and parent.value is cur:
                key = self._string_index(parent)
                if key is not None:
                    # the 1.x models spell "self-harm", "harassment/threatening" with underscores
                    key = key.replace("-", "_").replace("/", "_")
                    if not key.isidentifier() or keyword.iskeyword(key):
                        plan.notes.append(f"line {self.line(parent)}: [{key!r}] on a response has no "
                                          "attribute spelling: left alone")
                        return
                    plan.subscripts[parent] = key
                cur = parent
            elif isinstance(parent, cst.Arg) and parent.value is cur and not parent.star:
                call = self.parents.get(parent)
                if (isinstance(call, cst.Call) and dotted(call.func) in {"json.dumps", "json.dump"}
                        and call.args and call.args[0] is parent and self._is_response(cur, plan)):
                    plan.to_json.add(parent)
                return
            elif isinstance(parent, cst.ComparisonTarget) and parent.comparator is cur:
                comparison = self.parents.get(parent)
                key = string_value(comparison.left) if isinstance(comparison, cst.Comparison) else None
                if (isinstance(comparison, cst.Comparison) and len(comparison.comparisons) == 1 and key
                        and key.isidentifier() and not keyword.iskeyword(key)
                        and isinstance(parent.operator, (cst.In, cst.NotIn))):
                    plan.contains[comparison] = (key, isinstance(parent.operator, cst.NotIn))
                return
            elif isinstance(parent, cst.Attribute) and parent.value is cur:
                call = self.parents.get(parent)
                attr = parent.attr.value
                if isinstance(call, cst.Call) and call.func is parent:
                    if attr == "get" and self._plan_get(call, plan):
                        cur = call
                        continue
                    if attr in {"to_dict", "to_dict_recursive"} and not call.args:
                        plan.dumps.add(call)
                    return
                cur = parent
            else:
                return

    def _is_response(self, node: cst.CSTNode, plan: Plan, seen: frozenset[int] = frozenset()) -> bool:
        """Whether ``node`` is a whole response object (not a list of them, not a field that may be a
        string): a migrated call, a call of a function that returns one, or a variable bound only to one."""
        if isinstance(node, cst.Await):
            node = node.expression
        if node in plan.calls:
            return True
        if id(node) in seen:
            return False
        seen = seen | {id(node)}
        if isinstance(node, cst.Call):
            fn = next((f for f in self._returns() if node in self._calls_of(f)), None)
            returns = self._returns().get(fn) if fn is not None else None
            return bool(returns) and all(r.value is not None and self._is_response(r.value, plan, seen)
                                         for r in returns or [])
        if isinstance(node, cst.Name):
            scope = self.scopes.get(node)
            if scope is None:
                return False
            bindings = list(scope.assignments[node.value])
            values = [self._bound_value(b) for b in bindings]
            return bool(values) and all(
                v is not None and isinstance(b, Assignment) and not isinstance(self.parents.get(b.node),
                                                                               (cst.For, cst.CompFor))
                and self._is_response(v, plan, seen) for b, v in zip(bindings, values, strict=True))
        return False

    def _string_index(self, sub: cst.Subscript) -> str | None:
        if len(sub.slice) != 1 or not isinstance(sub.slice[0].slice, cst.Index):
            return None
        return string_value(sub.slice[0].slice.value)

    def _plan_get(self, call: cst.Call, plan: Plan) -> bool:
        args = call.args
        if not args or len(args) > 2 or any(a.keyword is not None or a.star for a in args):
            return False
        key = string_value(args[0].value)
        if key is None or not key.isidentifier() or keyword.iskeyword(key):
            return False
        default = args[1].value if len(args) == 2 else None
        if isinstance(default, cst.Name) and default.value == "None":
            default = None
        if default is not None and not _falsy_literal(default):
            return False  # .get("k", 5): `x.k or 5` would differ from v0 when the value is 0
        plan.gets[call] = (key, default)
        return True


def _falsy_literal(node: cst.BaseExpression) -> bool:
    """"", 0, False, [], {}, (): where 1.x has None for a field v0 left out, ``x.k or <this>`` gives what
    ``x.get("k", <this>)`` gave."""
    if isinstance(node, cst.SimpleString):
        return string_value(node) == ""
    if isinstance(node, cst.Integer):
        return node.value == "0"
    if isinstance(node, cst.Name):
        return node.value == "False"
    if isinstance(node, (cst.List, cst.Dict, cst.Tuple)):
        return not node.elements
    return False
