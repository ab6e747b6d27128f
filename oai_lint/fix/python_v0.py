"""Plan of the Python v0 → 1.x migration on a libcst tree: which calls become client calls and where the
client is created (``python_flow`` follows their responses).

Only what is certain is planned: a call with per-call API settings (``api_key=``, ``api_base=``…), a
module whose settings are assigned inside a function or a block, or Azure settings leave the calls alone
with a note. The transformer (``python_fix``) applies the plan.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider, PositionProvider, ScopeProvider

from oai_lint.fix.python_flow import CallPlan, Plan, ResponseFlow, dotted, string_value

# (v0 resource, method) -> path on the 1.x client; "a" + method is the same on the async client
CALLS = {
    ("ChatCompletion", "create"): "chat.completions.create",
    ("Completion", "create"): "completions.create",
    ("Embedding", "create"): "embeddings.create",
    ("Moderation", "create"): "moderations.create",
    ("Image", "create"): "images.generate",
    ("Image", "create_edit"): "images.edit",
    ("Image", "create_variation"): "images.create_variation",
    ("Audio", "transcribe"): "audio.transcriptions.create",
    ("Audio", "translate"): "audio.translations.create",
    ("Model", "list"): "models.list",
    ("Model", "retrieve"): "models.retrieve",
    ("Model", "delete"): "models.delete",
    ("Engine", "list"): "models.list",  # v0's engines are the models
    ("Engine", "retrieve"): "models.retrieve",
    ("File", "create"): "files.create",
    ("File", "list"): "files.list",
    ("File", "retrieve"): "files.retrieve",
    ("File", "delete"): "files.delete",
    ("FineTuningJob", "create"): "fine_tuning.jobs.create",
    ("FineTuningJob", "list"): "fine_tuning.jobs.list",
    ("FineTuningJob", "retrieve"): "fine_tuning.jobs.retrieve",
    ("FineTuningJob", "cancel"): "fine_tuning.jobs.cancel",
}
# keyword renames per call: v0 name -> 1.x name
_COMMON_RENAMES = {"engine": "model", "request_timeout": "timeout"}
_CALL_RENAMES = {
    ("Model", "retrieve"): {"id": "model"},
    ("Model", "delete"): {"sid": "model", "id": "model"},
    ("Engine", "retrieve"): {"id": "model"},
    ("File", "retrieve"): {"id": "file_id"},
    ("File", "delete"): {"sid": "file_id", "id": "file_id"},
    ("FineTuningJob", "retrieve"): {"id": "fine_tuning_job_id"},
    ("FineTuningJob", "cancel"): {"id": "fine_tuning_job_id"},
}
# v0 positional parameters that are keyword-only in 1.x
_POSITIONAL = {("Audio", "transcribe"): ("model", "file"), ("Audio", "translate"): ("model", "file")}
# calls whose first positional argument keeps its place in 1.x (an id)
_ONE_POSITIONAL = {("Model", "retrieve"), ("Model", "delete"), ("Engine", "retrieve"), ("File", "retrieve"),
                   ("File", "delete"), ("FineTuningJob", "retrieve"), ("FineTuningJob", "cancel")}
# per-call settings of v0 with no certain 1.x spelling on a shared client
_PER_CALL_SETTINGS = {"api_key", "api_base", "api_type", "api_version", "organization", "deployment_id",
                      "headers", "params"}
SETTINGS = {"api_key": "api_key", "organization": "organization", "base_url": "base_url", "api_base": "base_url"}
# the variable the 1.x client reads for a setting by itself
_SDK_ENV = {"api_key": "OPENAI_API_KEY", "organization": "OPENAI_ORG_ID", "base_url": "OPENAI_BASE_URL"}
_BLOCKING_SETTINGS = {"api_type", "api_version", "api_key_path", "proxy", "azure_ad_token", "app_info"}


class Planner(ResponseFlow):
    """Reads a wrapped module once: its openai imports, module settings, v0 calls and their responses."""

    def __init__(self, wrapper: cst.MetadataWrapper, v0_lines: set[int]) -> None:
        self.module = wrapper.module
        self.pos = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.scopes = wrapper.resolve(ScopeProvider)
        self.v0_lines = v0_lines
        self.aliases: set[str] = set()  # local names of the openai module
        self.from_names: dict[str, str] = {}  # local name -> v0 symbol imported from openai
        self.from_imports: list[tuple[int, cst.ImportFrom]] = []
        self.client_classes: dict[str, str] = {}  # OpenAI / AsyncOpenAI -> local name, from `from openai import`
        self.used_names: set[str] = set()
        self._returns_cache: dict[cst.FunctionDef, list[cst.Return]] | None = None
        self._read_module()

    def line(self, node: cst.CSTNode) -> int:
        return int(self.pos[node].start.line)

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """``openai.x.y`` for an expression that names something in the openai package, else None."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.aliases:
            return "openai" + (f".{rest}" if rest else "")
        if head in self.from_names:
            return f"openai.{self.from_names[head]}" + (f".{rest}" if rest else "")
        return None

    def _read_module(self) -> None:
        for i, stmt in enumerate(self.module.body):
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        name = dotted(alias.name)
                        if name == "openai" or (name or "").startswith("openai."):
                            local = alias.asname.name if alias.asname else None
                            if isinstance(local, cst.Name):
                                if name == "openai":
                                    self.aliases.add(local.value)
                            else:
                                self.aliases.add("openai")
                elif (isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None
                      and dotted(small.module) == "openai" and not isinstance(small.names, cst.ImportStar)):
                    self.from_imports.append((i, small))
                    for alias in small.names:
                        if isinstance(alias.name, cst.Name) and alias.name.value in {"OpenAI", "AsyncOpenAI"}:
                            local = alias.asname.name if alias.asname else alias.name
                            if isinstance(local, cst.Name):
                                self.client_classes[alias.name.value] = local.value
                        if isinstance(alias.name, cst.Name) and alias.name.value in {s for s, _ in CALLS}:
                            local = alias.asname.name if alias.asname else alias.name
                            if isinstance(local, cst.Name):
                                self.from_names[local.value] = alias.name.value
        for node in self.pos:
            if isinstance(node, cst.Name):
                self.used_names.add(node.value)

    # -- calls ---------------------------------------------------------------------------------------
    def plan(self) -> Plan:
        plan = Plan()
        for node in self.pos:
            if isinstance(node, cst.Call) and self.line(node) in self.v0_lines:
                self._plan_call(node, plan)
        if not plan.calls:
            return plan
        if not self._plan_client(plan):
            plan.calls.clear()
            plan.lines.clear()
            return plan
        self._plan_responses(plan)
        self._plan_unused_imports(plan)
        return plan

    def _plan_unused_imports(self, plan: Plan) -> None:
        """v0 names imported from openai (``from openai import ChatCompletion``) whose every use was migrated."""
        funcs = {id(c.func) for c in plan.calls}
        for _, imp in self.from_imports:
            if imp is plan.import_line or isinstance(imp.names, cst.ImportStar):
                continue
            unused = set()
            for alias in imp.names:
                local = alias.asname.name if alias.asname else alias.name
                if not isinstance(local, cst.Name) or local.value not in self.from_names:
                    continue
                uses = [a.node for b in self.scopes.get(imp, None).assignments[local.value]  # type: ignore[union-attr]
                        for a in b.references] if self.scopes.get(imp) is not None else []
                if uses and all(id(self.parents.get(u)) in funcs for u in uses):
                    unused.add(local.value)
            if unused:
                plan.unused_imports[imp] = unused

    def _plan_call(self, call: cst.Call, plan: Plan) -> None:
        resolved = self.resolve(call.func)
        if resolved is None or resolved.count(".") != 2:
            return
        _, symbol, method = resolved.split(".")
        is_async = method.startswith("a") and (symbol, method[1:]) in CALLS
        key = (symbol, method[1:] if is_async else method)
        if key not in CALLS:
            return
        kwargs = {a.keyword.value for a in call.args if a.keyword is not None}
        line = self.line(call)
        blocked = sorted(kwargs & _PER_CALL_SETTINGS)
        if blocked:
            plan.notes.append(f"line {line}: openai.{symbol}.{method} passes {', '.join(blocked)} per call; "
                              "migrate it by hand (client.with_options(...) or a second client)")
            return
        if "engine" in kwargs and "model" in kwargs:
            plan.notes.append(f"line {line}: openai.{symbol}.{method} passes both engine= and model=")
            return
        positional = _POSITIONAL.get(key, ())
        most = len(positional) or (1 if key in _ONE_POSITIONAL else 0)
        if sum(1 for a in call.args if a.keyword is None and a.star == "") > most:
            plan.notes.append(f"line {line}: openai.{symbol}.{method} has more positional arguments than "
                              "1.x takes")
            return
        plan.calls[call] = CallPlan(CALLS[key], is_async, {**_COMMON_RENAMES, **_CALL_RENAMES.get(key, {})},
                                    positional)
        plan.lines[call] = line

    # -- the client -----------------------------------------------------------------------------------
    def _plan_client(self, plan: Plan) -> bool:
        """Where the client is created and from which module settings; False when that is not certain.

        The client is created once, at module level, after the imports, the module settings and the
        statements before the first function, class or module-level use (``load_dotenv()`` and the like)."""
        settings: dict[str, int] = {}
        last_setting = -1
        for node in self.pos:
            targets: list[cst.BaseExpression] = []
            if isinstance(node, cst.Assign):
                targets = [t.target for t in node.targets]
            elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
                targets = [node.target]
            for target in targets:
                resolved = self.resolve(target) if isinstance(target, cst.Attribute) else None
                if resolved is None or resolved.count(".") != 1:
                    continue
                setting = resolved.split(".")[1]
                where = f"line {self.line(node)}: openai.{setting}"
                if setting == "api_type" and string_value(getattr(node, "value", None)) == "open_ai":
                    continue  # the default: not Azure
                if setting in _BLOCKING_SETTINGS:
                    plan.notes.append(f"{where} has no certain 1.x client equivalent: the calls were left "
                                      "alone (Azure: use AzureOpenAI)")
                    return False
                if setting not in SETTINGS:
                    continue
                index = self._top_index(node)
                value = getattr(node, "value", None)
                if isinstance(node, cst.Assign) and value is not None and self._reads_sdk_env(setting, value):
                    if index is not None:  # the client reads the same variable itself
                        last_setting = max(last_setting, index)
                    continue
                if index is None:
                    plan.notes.append(f"{where} is set inside a function or block: the calls were left "
                                      "alone (create the client where the setting is known)")
                    return False
                settings[SETTINGS[setting]] = index
                last_setting = max(last_setting, index)
        imports = [i for i, stmt in enumerate(self.module.body) if self._is_import(stmt)]
        runs = {i for call in plan.calls if (i := self._runs_at(call)) is not None}
        prefix = 0
        for i, stmt in enumerate(self.module.body):
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) or i in runs:
                break
            prefix = i + 1
        plan.insert_after = max([*imports, last_setting, prefix - 1, -1])
        if runs and min(runs) <= plan.insert_after:
            plan.notes.append(f"line {self.line(self.module.body[min(runs)])}: a module-level call before the "
                              "module settings are complete: the calls were left alone")
            return False
        alias = sorted(self.aliases)[0] if self.aliases else None
        plan.client_args = [f"{arg}={alias}.{arg}" for arg in sorted(settings)] if alias else []
        plan.client = self._free("client", "openai_client", "oai_client")
        plan.async_client = self._free("async_client", "async_openai_client", "oai_async_client")
        needed = {"OpenAI"} if plan.needs_sync else set()
        needed |= {"AsyncOpenAI"} if plan.needs_async else set()
        if alias:
            plan.constructor, plan.async_constructor = f"{alias}.OpenAI", f"{alias}.AsyncOpenAI"
        elif not self.client_classes and self.from_imports and all(
                name in self.from_names for name in self._from_locals()):
            plan.import_line = self.from_imports[0][1]
        else:
            missing = needed - set(self.client_classes)
            if missing & self.used_names:
                plan.notes.append(f"{', '.join(sorted(missing))} is another name in this module: the calls were "
                                  "left alone")
                return False
            plan.import_names = sorted(missing)
            plan.constructor = self.client_classes.get("OpenAI", "OpenAI")
            plan.async_constructor = self.client_classes.get("AsyncOpenAI", "AsyncOpenAI")
        return True

    def _reads_sdk_env(self, setting: str, value: cst.BaseExpression) -> bool:
        """``os.environ["X"]``, ``os.getenv("X")`` or ``os.environ.get("X")`` of the variable the 1.x
        client reads for this setting by itself."""
        name = _SDK_ENV.get(SETTINGS.get(setting, ""))
        if name is None:
            return False
        if isinstance(value, cst.Subscript):
            return (dotted(value.value) == "os.environ" and len(value.slice) == 1
                    and isinstance(value.slice[0].slice, cst.Index)
                    and string_value(value.slice[0].slice.value) == name)
        if isinstance(value, cst.Call) and dotted(value.func) in {"os.getenv", "os.environ.get"}:
            return len(value.args) == 1 and value.args[0].keyword is None and string_value(value.args[0].value) == name
        return False

    def _runs_at(self, node: cst.CSTNode) -> int | None:
        """The index of the module statement that runs ``node`` when the module is imported (None: inside a
        function or lambda)."""
        return self._module_index(node, (cst.FunctionDef, cst.Lambda))

    def _from_locals(self) -> list[str]:
        out = []
        for _, imp in self.from_imports[:1]:
            assert not isinstance(imp.names, cst.ImportStar)
            for alias in imp.names:
                local = alias.asname.name if alias.asname else alias.name
                out.append(local.value if isinstance(local, cst.Name) else "")
        return out

    def _free(self, *names: str) -> str:
        for name in names:
            if name not in self.used_names:
                return name
        n = 2
        while f"{names[0]}{n}" in self.used_names:
            n += 1
        return f"{names[0]}{n}"

    @staticmethod
    def _is_import(stmt: cst.BaseStatement) -> bool:
        return isinstance(stmt, cst.SimpleStatementLine) and any(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)

    def _top_index(self, node: cst.CSTNode) -> int | None:
        """The index of the module statement ``node`` is directly in (not inside a block), or None."""
        return self._module_index(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.BaseCompoundStatement))

    def _module_index(self, node: cst.CSTNode, stops: tuple[type[cst.CSTNode], ...]) -> int | None:
        """The index of the module statement that holds ``node``; None when an ancestor is one of ``stops``."""
        cur: cst.CSTNode = node
        while True:
            parent = self.parents.get(cur)
            if parent is None or isinstance(parent, stops):
                return None
            if isinstance(parent, cst.Module):
                return next((i for i, s in enumerate(parent.body) if s is cur), None)
            cur = parent
