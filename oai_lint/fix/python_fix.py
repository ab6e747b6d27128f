"""Python fixes with libcst (comments and formatting stay as they are).

Safe: ``openai.error.X`` and ``from openai.error import X`` → the 1.x top-level exceptions, the v0
top-level alias ``openai.InvalidRequestError``, ``openai.api_base`` → ``openai.base_url`` (OAI401, OAI402).
Unsafe: v0 resource calls → a client (``python_v0`` plans them), a shut-down model → its replacement
(OAI405), a hardcoded key → ``os.environ["OPENAI_API_KEY"]`` (OAI101), ``max_retries=0`` removed (OAI301).
"""

from __future__ import annotations

import libcst as cst

from oai_lint.analysis.keys import find_keys
from oai_lint.fix.model import SAFE, UNSAFE, Fixed, Target
from oai_lint.fix.python_flow import CallPlan, Plan, dotted, string_value
from oai_lint.fix.python_v0 import Planner
from oai_lint.fix.replacements import live_replacement

# openai.error.X (v0.28) -> the 1.x exception; names without a certain equivalent are not fixed
EXCEPTIONS = {
    "APIError": "APIError",
    "APIConnectionError": "APIConnectionError",
    "AuthenticationError": "AuthenticationError",
    "InvalidRequestError": "BadRequestError",
    "OpenAIError": "OpenAIError",
    "PermissionError": "PermissionDeniedError",
    "RateLimitError": "RateLimitError",
    "ServiceUnavailableError": "InternalServerError",
    "Timeout": "APITimeoutError",
}
TOP_LEVEL_ALIASES = {"InvalidRequestError": "BadRequestError"}  # v0.28 exported it at the top level too
KEY_ENV = 'os.environ["OPENAI_API_KEY"]'


class _Rewrites:
    """Every node to change, found on the original tree (nodes are compared by identity)."""

    def __init__(self) -> None:
        self.attrs: dict[cst.Attribute, str] = {}
        self.error_imports: dict[cst.ImportFrom, list[tuple[str, str | None]]] = {}
        self.error_module_imports: set[cst.Import] = set()
        self.strings: dict[cst.SimpleString, str] = {}
        self.retries: set[cst.Call] = set()
        self.fixed: list[Fixed] = []
        self.notes: list[str] = []
        self.needs_os = False


def fix_python(text: str, targets: list[Target], unsafe: bool) -> tuple[str, list[Fixed], list[str]]:
    """The fixed text, the findings fixed and notes; the text as it was when nothing applies."""
    lines: dict[str, set[int]] = {}
    for t in targets:
        lines.setdefault(t.rule_id, set()).add(t.line)
    try:
        wrapper = cst.MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError:
        return text, [], ["not fixed: libcst cannot parse the file"]
    planner = Planner(wrapper, lines.get("OAI401", set()) if unsafe else set())
    rw = _Rewrites()
    _find_safe(planner, lines, rw)
    plan = planner.plan() if unsafe else Plan()
    if unsafe:
        _find_unsafe(planner, lines, rw)
        _find_error_fields(planner, rw)
        for call, line in plan.lines.items():
            rw.fixed.append(Fixed("OAI401", line, UNSAFE, f"{dotted(call.func)} → "
                                  f"{plan.client if not plan.calls[call].is_async else plan.async_client}."
                                  f"{plan.calls[call].path}"))
    rw.notes.extend(plan.notes)
    if not (rw.attrs or rw.error_imports or rw.error_module_imports or rw.strings or rw.retries or plan.calls):
        return text, [], rw.notes
    new = wrapper.visit(_Transformer(rw, plan, planner)).code
    return new, rw.fixed, rw.notes


def _find_safe(p: Planner, lines: dict[str, set[int]], rw: _Rewrites) -> None:
    v0 = lines.get("OAI401", set())
    settings = lines.get("OAI402", set())
    unfixable_error_use = False
    error_attrs: list[tuple[cst.Attribute, str]] = []
    api_base_assigned = False
    for node in p.pos:
        if isinstance(node, cst.ImportFrom) and p.line(node) in v0 and node.module is not None \
                and not node.relative and dotted(node.module) == "openai.error":
            names = _error_import_names(node)
            if names is None:
                rw.notes.append(f"line {p.line(node)}: from openai.error import … names an exception with no "
                                "certain 1.x equivalent: left alone")
                continue
            rw.error_imports[node] = names
            rw.fixed.append(Fixed("OAI401", p.line(node), SAFE, "from openai.error import … → from openai "
                                  "import …"))
        elif isinstance(node, cst.Attribute):
            resolved = p.resolve(node)
            if resolved is None:
                continue
            parts = resolved.split(".")
            if len(parts) == 3 and parts[1] == "error" and isinstance(node.value, cst.Attribute):
                if parts[2] in EXCEPTIONS:
                    error_attrs.append((node, f"{dotted(node.value.value)}.{EXCEPTIONS[parts[2]]}"))
                else:
                    unfixable_error_use = True
            elif len(parts) == 2 and parts[1] in TOP_LEVEL_ALIASES and p.line(node) in v0 | settings | {0}:
                rw.attrs[node] = f"{dotted(node.value)}.{TOP_LEVEL_ALIASES[parts[1]]}"
                rw.fixed.append(Fixed("OAI401", p.line(node), SAFE, f"{resolved} → openai.BadRequestError"))
            elif len(parts) == 2 and parts[1] == "api_base":
                parent = p.parents.get(node)
                if p.line(node) in settings and isinstance(parent, cst.AssignTarget):
                    api_base_assigned = True
                    rw.fixed.append(Fixed("OAI402", p.line(node), SAFE, "openai.api_base → openai.base_url"))
                rw.attrs[node] = f"{dotted(node.value)}.base_url"
    if not api_base_assigned:  # only rename openai.api_base where an assignment of it is fixed
        for node in [n for n, new in rw.attrs.items() if new.endswith(".base_url")]:
            del rw.attrs[node]
    for node, new in error_attrs:
        rw.attrs[node] = new
        if p.line(node) in v0:
            rw.fixed.append(Fixed("OAI401", p.line(node), SAFE, f"openai.error.{node.attr.value} → "
                                  f"openai.{new.rsplit('.', 1)[1]}"))
    if unfixable_error_use:
        rw.notes.append("openai.error names an exception with no certain 1.x equivalent: `import openai.error` "
                        "left alone")
        return
    for node in p.pos:
        if isinstance(node, cst.Import) and p.line(node) in v0 and len(node.names) == 1 \
                and dotted(node.names[0].name) == "openai.error" and node.names[0].asname is None:
            rw.error_module_imports.add(node)
            rw.fixed.append(Fixed("OAI401", p.line(node), SAFE, "import openai.error → import openai"))


def _error_import_names(node: cst.ImportFrom) -> list[tuple[str, str | None]] | None:
    if isinstance(node.names, cst.ImportStar):
        return None
    out: list[tuple[str, str | None]] = []
    for alias in node.names:
        if not isinstance(alias.name, cst.Name) or alias.name.value not in EXCEPTIONS:
            return None
        old = alias.name.value
        local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else old
        new = EXCEPTIONS[old]
        out.append((new, None if local == new else local))
    return out


def _find_unsafe(p: Planner, lines: dict[str, set[int]], rw: _Rewrites) -> None:
    models = lines.get("OAI405", set())
    keys = lines.get("OAI101", set())
    retries = lines.get("OAI301", set())
    for node in p.pos:
        if isinstance(node, cst.SimpleString):
            line = p.line(node)
            value = string_value(node)
            if value is None:
                continue
            if line in models:
                repl = live_replacement(value)
                if repl is not None:
                    quote = node.quote
                    rw.strings[node] = f"{node.prefix}{quote}{repl}{quote}"
                    rw.fixed.append(Fixed("OAI405", line, UNSAFE, f"{value} → {repl} (outputs differ between "
                                          "models: re-run your evaluations)"))
            if line in keys and _is_whole_key(value) and _os_available(p):
                rw.strings[node] = KEY_ENV
                rw.needs_os = "os" not in p.used_names
                rw.fixed.append(Fixed("OAI101", line, UNSAFE, 'the key → os.environ["OPENAI_API_KEY"]; rotate '
                                      "the key: it stays in the repository history", stays=True))
        elif isinstance(node, cst.Call) and p.line(node) in retries and any(
                a.keyword is not None and a.keyword.value == "max_retries" and _is_zero(a.value)
                for a in node.args):
            rw.retries.add(node)
            rw.fixed.append(Fixed("OAI301", p.line(node), UNSAFE, "max_retries=0 removed (the SDK "
                                  "retries 429 and 5xx twice with backoff)"))


def _find_error_fields(p: Planner, rw: _Rewrites) -> None:
    """``e.http_status`` on a v0 exception caught by ``except … as e`` → the 1.x ``status_code``, which only
    HTTP errors have (v0's ``http_status`` was None for the others)."""
    v0_names: set[str] = set()
    for node in p.pos:
        if (isinstance(node, cst.ImportFrom) and node.module is not None and dotted(node.module) == "openai.error"
                and not isinstance(node.names, cst.ImportStar)):
            for a in node.names:
                local = a.asname.name if a.asname else a.name
                if isinstance(local, cst.Name):
                    v0_names.add(local.value)

    def is_v0(t: cst.BaseExpression) -> bool:
        exprs = [e.value for e in t.elements] if isinstance(t, cst.Tuple) else [t]
        return any((p.resolve(e) or "").startswith("openai.error.") or (isinstance(e, cst.Name) and e.value in v0_names)
                   for e in exprs)

    for node in p.pos:
        if not (isinstance(node, cst.Attribute) and node.attr.value == "http_status"
                and isinstance(node.value, cst.Name)):
            continue
        cur = p.parents.get(node)
        while cur is not None and not isinstance(cur, (cst.ExceptHandler, cst.FunctionDef, cst.Module)):
            cur = p.parents.get(cur)
        if (isinstance(cur, cst.ExceptHandler) and cur.type is not None and cur.name is not None
                and isinstance(cur.name.name, cst.Name) and cur.name.name.value == node.value.value
                and is_v0(cur.type)):
            rw.attrs[node] = f'getattr({node.value.value}, "status_code", None)'


def _is_whole_key(value: str) -> bool:
    found = list(find_keys(value))
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(value)


def _os_available(p: Planner) -> bool:
    """``os`` is the os module here, or free to become it."""
    if "os" not in p.used_names:
        return True
    return any(isinstance(s, cst.SimpleStatementLine) and any(
        isinstance(i, cst.Import) and any(dotted(a.name) == "os" and a.asname is None for a in i.names)
        for i in s.body) for s in p.module.body)


def _is_zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value == "0"


class _Transformer(cst.CSTTransformer):
    def __init__(self, rw: _Rewrites, plan: Plan, planner: Planner) -> None:
        super().__init__()
        self.rw = rw
        self.plan = plan
        self.planner = planner
        # `import openai.error` goes when a plain `import openai` is there too
        self.has_plain = "openai" in planner.aliases and any(
            isinstance(s, cst.SimpleStatementLine) and any(
                isinstance(i, cst.Import) and any(dotted(a.name) == "openai" and a.asname is None for a in i.names)
                for i in s.body)
            for s in planner.module.body)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        new = self.rw.attrs.get(original)
        return cst.parse_expression(new) if new else updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        new = self.rw.strings.get(original)
        return cst.parse_expression(new) if new else updated

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        names = self.rw.error_imports.get(original)
        if names is not None:
            aliases = [cst.ImportAlias(cst.Name(n), cst.AsName(cst.Name(a)) if a else None) for n, a in names]
            return updated.with_changes(module=cst.Name("openai"), names=_commas(aliases, updated))
        unused = self.plan.unused_imports.get(original)
        if unused and not isinstance(updated.names, cst.ImportStar):
            kept = [a for a in updated.names if _local_name(a) not in unused]
            if kept:  # (when none is left, the statement goes: leave_SimpleStatementLine)
                return updated.with_changes(names=_commas([a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                                                           for a in kept], updated))
        if original is self.plan.import_line and self.plan.calls:
            wanted = (["OpenAI"] if self.plan.needs_sync else []) + (["AsyncOpenAI"] if self.plan.needs_async else [])
            return updated.with_changes(names=_commas([cst.ImportAlias(cst.Name(n)) for n in wanted], updated))
        return updated

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        if original in self.rw.error_module_imports:
            return updated.with_changes(names=[cst.ImportAlias(cst.Name("openai"))])
        return updated

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        key = self.plan.subscripts.get(original)
        if key is None:
            return updated
        return cst.Attribute(value=updated.value, attr=cst.Name(key), lpar=updated.lpar, rpar=updated.rpar)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        if original in self.plan.to_json:
            dump = cst.Call(func=cst.Attribute(value=updated.value, attr=cst.Name("model_dump")))
            return updated.with_changes(value=dump)
        return updated

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        found = self.plan.contains.get(original)
        if found is None:
            return updated
        key, negated = found
        target = updated.comparisons[0].comparator
        return cst.parse_expression(f"x.{key} is {'' if negated else 'not '}None").with_changes(
            left=cst.Attribute(value=target, attr=cst.Name(key)), lpar=updated.lpar, rpar=updated.rpar)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if original in self.rw.retries:
            args = [a for a in updated.args if not (a.keyword is not None and a.keyword.value == "max_retries")]
            if args and len(args) < len(updated.args):
                args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            updated = updated.with_changes(args=args)
        call_plan = self.plan.calls.get(original)
        if call_plan is not None:
            return self._client_call(updated, call_plan)
        get = self.plan.gets.get(original)
        if get is not None and isinstance(updated.func, cst.Attribute):
            key, default = get
            attr = cst.Attribute(value=updated.func.value, attr=cst.Name(key))
            if default is None:
                return attr.with_changes(lpar=updated.lpar, rpar=updated.rpar)
            return cst.BooleanOperation(attr, cst.Or(), default, lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        if original in self.plan.dumps and isinstance(updated.func, cst.Attribute):
            return updated.with_changes(func=updated.func.with_changes(attr=cst.Name("model_dump")))
        return updated

    def _client_call(self, call: cst.Call, cp: CallPlan) -> cst.Call:
        client = self.plan.async_client if cp.is_async else self.plan.client
        args: list[cst.Arg] = []
        positional = list(cp.positional)
        for arg in call.args:
            if arg.keyword is None and not arg.star and positional:
                name = positional.pop(0)
                eq = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
                arg = arg.with_changes(keyword=cst.Name(name), equal=eq)
            elif arg.keyword is not None and arg.keyword.value in cp.renames:
                arg = arg.with_changes(keyword=cst.Name(cp.renames[arg.keyword.value]))
            args.append(arg)
        return call.with_changes(func=cst.parse_expression(f"{client}.{cp.path}"), args=args)

    def _added(self) -> list[cst.SimpleStatementLine]:
        """The statements that create the clients (and import their classes)."""
        plan = self.plan
        if not plan.calls:
            return []
        code = []
        if plan.import_names:
            code.append(f"from openai import {', '.join(plan.import_names)}\n")
        args = ", ".join(plan.client_args)
        if plan.needs_sync:
            code.append(f"{plan.client} = {plan.constructor}({args})\n")
        if plan.needs_async:
            code.append(f"{plan.async_client} = {plan.async_constructor}({args})\n")
        out = [cst.parse_statement(c) for c in code]
        assert all(isinstance(s, cst.SimpleStatementLine) for s in out)
        return [s.with_changes(leading_lines=[cst.EmptyLine()]) if i == 0 else s  # type: ignore[misc]
                for i, s in enumerate(out)]

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine] | cst.RemovalSentinel:
        drop = len(original.body) == 1 and (
            (original.body[0] in self.rw.error_module_imports and self.has_plain)
            or self._all_unused(original.body[0]))
        anchor = (self.plan.insert_after >= 0 and self.plan.calls
                  and self.planner.module.body[self.plan.insert_after] is original)
        if anchor:
            return cst.FlattenSentinel(([] if drop else [updated]) + self._added())
        return cst.RemoveFromParent() if drop else updated

    def _all_unused(self, stmt: cst.BaseSmallStatement) -> bool:
        unused = self.plan.unused_imports.get(stmt) if isinstance(stmt, cst.ImportFrom) else None
        return bool(unused) and isinstance(stmt, cst.ImportFrom) and not isinstance(stmt.names, cst.ImportStar) \
            and len(unused or ()) == len(stmt.names)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body: list[cst.SimpleStatementLine | cst.BaseCompoundStatement] = list(updated.body)
        if self.plan.insert_after < 0:
            body[0:0] = self._added()
        if self.rw.needs_os:
            first = next((i for i, s in enumerate(body) if Planner._is_import(s) and not _is_future(s)), None)
            stmt = cst.parse_statement("import os\n")
            assert isinstance(stmt, cst.SimpleStatementLine)
            if first is None:
                first = 1 if body and _is_docstring(body[0]) else 0
            body.insert(first, stmt)
        return updated.with_changes(body=body)


def _local_name(alias: cst.ImportAlias) -> str | None:
    local = alias.asname.name if alias.asname else alias.name
    return local.value if isinstance(local, cst.Name) else None


def _commas(aliases: list[cst.ImportAlias], like: cst.ImportFrom) -> list[cst.ImportAlias]:
    sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=sep) for a in aliases[:-1]] + aliases[-1:]


def _is_future(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(s, cst.ImportFrom) and s.module is not None and dotted(s.module) == "__future__"
        for s in stmt.body)


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value, cst.SimpleString))
