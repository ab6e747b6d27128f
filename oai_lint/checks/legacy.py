"""OAI4xx: code and configuration written for SDKs and models that no longer exist.

OAI401 removed openai<1.0 Python API, OAI402 module settings openai>=1.0 silently ignores, OAI403 pins that
install the old SDKs, OAI404 the openai-node v3 API, OAI405 retired model names.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.models import CODE_TRIGGERS as MODEL_CODE_TRIGGERS
from oai_lint.analysis.models import TRIGGERS as MODEL_TRIGGERS
from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.analysis.vocab import JS_KINDS, PY_KINDS, V0_SYMBOLS, V3_METHODS, V3_TYPES
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source

# -- OAI401 --------------------------------------------------------------------------------------------------
_V0_RESOURCE = {
    "ChatCompletion": "client.chat.completions",
    "Completion": "client.completions",
    "Embedding": "client.embeddings",
    "Edit": "client.chat.completions",
    "Moderation": "client.moderations",
    "File": "client.files",
    "FineTune": "client.fine_tuning.jobs",
    "FineTuningJob": "client.fine_tuning.jobs",
    "Model": "client.models",
    "Engine": "client.models",
}
_V0_METHODS = {
    ("Image", "create"): "client.images.generate",
    ("Image", "create_edit"): "client.images.edit",
    ("Image", "create_variation"): "client.images.create_variation",
    ("Audio", "transcribe"): "client.audio.transcriptions.create",
    ("Audio", "translate"): "client.audio.translations.create",
    ("File", "download"): "client.files.content",
    ("Edit", "create"): "client.chat.completions.create (the Edits endpoint is gone)",
    ("FineTune", "list_events"): "client.fine_tuning.jobs.list_events",
}
_V0_EXCEPTIONS = {
    "InvalidRequestError": "openai.BadRequestError",
    "PermissionError": "openai.PermissionDeniedError",
    "ServiceUnavailableError": "openai.InternalServerError",
    "Timeout": "openai.APITimeoutError",
    "TryAgain": "openai.APIStatusError",
}


def _v0_replacement(symbol: str, method: str | None) -> str:
    if method and (symbol, method) in _V0_METHODS:
        return _V0_METHODS[(symbol, method)]
    base = _V0_RESOURCE.get(symbol)
    if base is None:
        return "no equivalent in openai>=1.0"
    if method in {"acreate", "alist", "aretrieve", "adelete"}:
        return f"await {base.replace('client.', 'async_client.')}.{method[1:]} with AsyncOpenAI()"
    if method:
        return f"{base}.{method}"
    return base


@check("OAI401", "OAI402", kinds=PY_KINDS, triggers=(b"openai",))
def python_legacy_api(source: Source, ctx: Context) -> Iterator[Hit]:
    idx = source.pyindex if source.openai_code else None
    if idx is None or not idx.imports.imports_module("openai"):
        return
    flow = PyFlow(idx)
    reported_imports = False
    for stmt in idx.import_nodes:
        if (
            isinstance(stmt, ast.ImportFrom)
            and stmt.level == 0
            and stmt.module
            and (stmt.module == "openai.error" or stmt.module.startswith("openai.error."))
        ):
            names = ", ".join(a.name for a in stmt.names)
            new = ", ".join(_V0_EXCEPTIONS.get(a.name, f"openai.{a.name}") for a in stmt.names)
            reported_imports = True
            yield node_hit(
                "OAI401",
                stmt,
                {"old": f"from openai.error import {names}", "new": f"the top-level exceptions ({new})"},
                key="openai.error",
            )
        elif isinstance(stmt, ast.Import) and any(a.name.startswith("openai.error") for a in stmt.names):
            reported_imports = True
            yield node_hit(
                "OAI401",
                stmt,
                {"old": "import openai.error", "new": "the top-level exceptions (openai.RateLimitError, …)"},
                key="openai.error",
            )
    v0_locals = {local for local, full in idx.imports.names.items() if full.startswith("openai.")}
    candidates: list[ast.AST] = [a for attr in ("error", *V0_SYMBOLS) for a in idx.attrs.get(attr, [])]
    candidates += [n for name in v0_locals for n in idx.names.get(name, [])]
    candidates.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
    for node in candidates:
        if isinstance(node, ast.Attribute) and node.attr == "error" and flow.resolve(node) == "openai.error":
            parent = idx.parent(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                old = f"openai.error.{parent.attr}"
                yield node_hit(
                    "OAI401",
                    parent,
                    {"old": old, "new": _V0_EXCEPTIONS.get(parent.attr, f"openai.{parent.attr}")},
                    key=old,
                )
            elif not reported_imports:
                yield node_hit(
                    "OAI401",
                    node,
                    {"old": "openai.error", "new": "the top-level exceptions"},
                    key="openai.error",
                )
            continue
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(getattr(node, "ctx", None), ast.Load):
            symbol = flow.v0_symbol(node)
            if symbol is None:
                continue
            parent = idx.parent(node)
            method = parent.attr if isinstance(parent, ast.Attribute) and parent.value is node else None
            old = f"openai.{symbol}" + (f".{method}" if method else "")
            anchor: ast.AST = parent if method and parent is not None else node
            yield node_hit("OAI401", anchor, {"old": old, "new": _v0_replacement(symbol, method)}, key=old)
    # OAI402: settings openai>=1.0 accepts and ignores
    for target, _value, assign in idx.assigns:
        if isinstance(target, ast.Attribute):
            resolved = flow.resolve(target)
            if resolved in {"openai.api_base", "openai.api_key_path"}:
                setting = resolved.split(".", 1)[1]
                new = (
                    "OpenAI(base_url=...) or the OPENAI_BASE_URL environment variable"
                    if setting == "api_base"
                    else "read the file yourself and pass OpenAI(api_key=...), or set OPENAI_API_KEY"
                )
                yield node_hit("OAI402", assign, {"setting": f"openai.{setting}", "new": new}, key=setting)


# -- OAI403 --------------------------------------------------------------------------------------------------
def _version(text: str) -> tuple[int, ...] | None:
    m = re.match(r"^v?(\d+(?:\.\d+)*)", text.strip())
    if not m:
        return None
    return tuple(int(p) for p in m.group(1).split("."))


def python_spec_below(spec: str, major: int) -> bool:
    """Whether every version a PEP 440 (or Poetry/conda) constraint allows is below ``major``.0."""
    spec = spec.strip()
    if not spec or spec == "*":
        return False
    for clause in re.split(r"\s*,\s*", spec):
        m = re.match(r"^(===|==|~=|<=|>=|!=|<|>|=|\^|~)?\s*(.+)$", clause.strip())
        if not m:
            continue
        op, ver = m.group(1) or "==", m.group(2).strip()
        wildcard = ver.endswith((".*", ".x"))
        v = _version(ver.rstrip("*x").rstrip(".") if wildcard else ver)
        if v is None:
            continue
        if op in {"<"} and v <= (major,) + (0,) * (len(v) - 1):
            return True
        if op == "<=" and v[0] < major:
            return True
        if op in {"==", "===", "=", "^", "~", "~="} and v[0] < major:
            return True
    return False


def npm_spec_below(spec: str, major: int) -> bool:
    """Whether every version an npm range allows is below ``major``.0.0 (unknown forms: False)."""
    spec = spec.strip()
    if not spec or spec in {"*", "x", "latest", "next"} or re.search(r"[:/#]", spec):
        return False
    for alternative in spec.split("||"):
        alt = re.sub(r"(<=|>=|<|>|=|\^|~)\s+", r"\1", alternative.strip())
        if not alt:
            return False
        if " - " in alternative:
            upper = _version(alternative.split(" - ", 1)[1].strip())
            if upper is None or upper[0] >= major:
                return False
            continue
        below = False
        for comp in alt.split():
            m = re.match(r"^(<=|>=|<|>|=|\^|~)?v?([\dxX*]+(?:\.[\dxX*]+)*)", comp)
            if not m:
                continue
            op, ver = m.group(1) or "", m.group(2)
            first = ver.split(".")[0]
            if not first.isdigit():
                continue
            n = int(first)
            rest = ver.split(".")[1:]
            wild_rest = all(p in {"0", "x", "X", "*"} for p in rest)
            if (
                (op in {"", "=", "^", "~"} and n < major)
                or (op == "<" and (n < major or (n == major and wild_rest)))
                or (op == "<=" and n < major)
            ):
                below = True
        if not below:
            return False
    return True


_DEP_KINDS = {
    "requirements",
    "toml",
    "ini",
    "python",
    "json",
    "yaml",
    "shell",
    "dockerfile",
    "makefile",
    "notebook",
}


@check("OAI403", kinds=_DEP_KINDS, triggers=(b"openai",))
def legacy_pin(source: Source, ctx: Context) -> Iterator[Hit]:
    for dep in source.dependencies:
        if dep.key != "openai" or not dep.spec:
            continue
        if dep.style == "npm":
            if not npm_spec_below(dep.spec, 4):
                continue
            sdk = "openai-node before v4 (Configuration/OpenAIApi, no retries)"
            pinned = f"openai@{dep.spec}"
        else:
            if not python_spec_below(dep.spec.split(" ")[0] if dep.style == "conda" else dep.spec, 1):
                continue
            sdk = "openai-python before 1.0 (removed API, no 429 retries)"
            pinned = (
                f'openai = "{dep.spec}"'
                if dep.style == "poetry"
                else (f"openai{'' if dep.spec[:1] in '<>=!~' else ' '}{dep.spec}")
            )
        yield Hit(
            "OAI403",
            dep.line,
            dep.column,
            dep.line,
            dep.end_column,
            params={"pin": pinned, "where": dep.origin, "sdk": sdk},
            key=pinned,
        )


# -- OAI404 --------------------------------------------------------------------------------------------------


@check(
    "OAI404",
    kinds=JS_KINDS,
    triggers=(b"OpenAIApi", b"Configuration", b"CompletionRequest", b"CompletionResponse", b"ImageRequest",
              b"EmbeddingRequest", b"ModerationRequest"),
    requires=b"openai",  # the v3 API is imported from the "openai" package
)
def node_v3_api(source: Source, ctx: Context) -> Iterator[Hit]:
    tree = source.js if source.openai_code else None
    if tree is None:
        return
    flow = JsFlow(tree)
    if not flow.is_v3_file():
        return
    v3 = flow.v3_names()
    for new in flow.news:
        callee = tree.callee_name(new) or ""
        head, _, last = callee.rpartition(".")
        name = (
            flow.imports.get(callee, ("", ""))[1]
            if callee in v3
            else (last if head and flow.imports.get(head, ("",))[0] == "openai" else "")
        )
        if name == "OpenAIApi":
            yield js_hit(
                flow,
                "OAI404",
                new,
                {"old": f"new {callee}(...)", "new": 'new OpenAI({ apiKey }) (import OpenAI from "openai")'},
                key="OpenAIApi",
            )
        elif name == "Configuration":
            yield js_hit(
                flow,
                "OAI404",
                new,
                {
                    "old": f"new {callee}(...)",
                    "new": "options passed to new OpenAI({ apiKey, organization })",
                },
                key="Configuration",
            )
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        parts = callee.split(".")
        if len(parts) >= 2 and parts[-1] in V3_METHODS:
            yield js_hit(
                flow, "OAI404", call, {"old": f"{callee}()", "new": V3_METHODS[parts[-1]]}, key=parts[-1]
            )
    for local, (module, imported) in flow.imports.items():
        if module == "openai" and imported in V3_TYPES:
            for ident in flow.identifiers.get(local, []):
                if flow._declares(ident):
                    yield js_hit(
                        flow,
                        "OAI404",
                        ident,
                        {
                            "old": f"the v3 type {imported}",
                            "new": "the types under OpenAI.Chat / OpenAI.* in v4+",
                        },
                        key=imported,
                    )
                    break


# -- OAI405 --------------------------------------------------------------------------------------------------
_LOOKUP_METHODS = {
    "index",
    "find",
    "rfind",
    "count",
    "startswith",
    "endswith",
    "replace",
    "split",
    "rsplit",
    "partition",
    "rpartition",
    "get",
    "pop",
    "remove",
    "discard",
    "removeprefix",
    "removesuffix",
    "setdefault",
}
_MODEL_WORD = lazy_compile(r"model|engine|deployment", re.I)
_CONFIG_KINDS = {"yaml", "json", "toml", "env", "ini", "dockerfile", "shell"}


def _model_hit(line: int, col: int, model: str) -> Hit:
    from oai_lint.analysis.models import replacement, table

    entry = table()[model]
    repl = replacement(entry)
    params = {
        "model": model,
        "when": entry.when(),
        "replacement": f"; the recommended replacement was {repl}" if repl else "",
    }
    return Hit("OAI405", line, col, line, col + len(model), params=params, key=model)


def _py_model_context(idx: object, node: ast.AST) -> bool | None:
    """True: clearly a model value; False: a comparison, dict key or case pattern (not a use); None: other."""
    from oai_lint.sources.python import PyIndex

    assert isinstance(idx, PyIndex)
    parent = idx.parent(node)
    if isinstance(parent, ast.keyword):
        return True if parent.arg and _MODEL_WORD.search(parent.arg) else None
    if isinstance(parent, ast.Dict):
        if node in parent.keys:
            return False
        i = parent.values.index(node)  # type: ignore[arg-type]
        key = parent.keys[i]
        named = isinstance(key, ast.Constant) and isinstance(key.value, str) and _MODEL_WORD.search(key.value)
        return True if named else None
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in _LOOKUP_METHODS
        and node in parent.args
    ):
        return False  # text.index("text-davinci-003"), limits.get("davinci"): a lookup, not a use
    for anc in [parent, *idx.ancestors(parent)] if parent is not None else []:
        if isinstance(anc, (ast.Compare, ast.match_case, ast.MatchValue)):
            return False
        if isinstance(anc, (ast.stmt, ast.Call)):
            break
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return True if any(_MODEL_WORD.search(ast.unparse(t)) for t in targets) else None
    return None


@check("OAI405", kinds=PY_KINDS, triggers=MODEL_CODE_TRIGGERS)
def retired_model_python(source: Source, ctx: Context) -> Iterator[Hit]:
    idx = source.pyindex
    if idx is None:
        return
    from oai_lint.analysis.models import table

    models = table()
    for node in idx.strings:
        if node.value not in models:
            continue
        context = _py_model_context(idx, node)
        if context is False or (models[node.value].ambiguous and context is not True):
            continue
        yield _model_hit(node.lineno, node.col_offset + 2, node.value)


@check("OAI405", kinds=JS_KINDS, triggers=MODEL_CODE_TRIGGERS)
def retired_model_js(source: Source, ctx: Context) -> Iterator[Hit]:
    tree = source.js
    if tree is None:
        return
    from oai_lint.analysis.models import table

    models = table()
    for node in tree.nodes_of_types(("string", "template_string")):
        value = tree.string_value(node)
        if value not in models:
            continue
        parent = node.parent
        context: bool | None = None
        if parent is not None:
            if parent.type == "pair":
                key = parent.child_by_field_name("key")
                if key == node:
                    continue
                context = bool(key is not None and _MODEL_WORD.search(tree.text(key)))
            elif parent.type in {"binary_expression", "switch_case"}:
                op = parent.child_by_field_name("operator")
                if parent.type == "switch_case" or (
                    op is not None and tree.text(op) in {"==", "===", "!=", "!=="}
                ):
                    continue
            elif parent.type == "variable_declarator":
                name = parent.child_by_field_name("name")
                context = bool(name is not None and _MODEL_WORD.search(tree.text(name)))
            elif parent.type == "assignment_expression":
                left = parent.child_by_field_name("left")
                context = bool(left is not None and _MODEL_WORD.search(tree.text(left)))
        if models[value].ambiguous and context is not True:
            continue
        line, col = tree.start(node)
        yield _model_hit(line, col + 1, value)


# JSON/YAML that records what happened rather than configures what will: eval results, logs, recorded API
# responses and test fixtures, snapshots, VCR cassettes. A model id there names the model a past run used.
_RECORD_DIRS = frozenset({
    "results", "outputs", "output", "runs", "logs", "fixtures", "cassettes", "snapshots", "__snapshots__",
    "recordings", "testdata", "golden", "goldens",
})
_RECORD_NAME = lazy_compile(r"(?:^|[._-])(?:results?|outputs?|history|responses?|transcripts?|logs?)(?:[._-]|$)",
                          re.I)


def _recorded_data(path: str) -> bool:
    *dirs, name = path.lower().split("/")
    stem = name.rsplit(".", 1)[0]
    return any(d in _RECORD_DIRS for d in dirs) or bool(_RECORD_NAME.search(stem))


@check("OAI405", kinds=_CONFIG_KINDS, triggers=MODEL_TRIGGERS)
def retired_model_config(source: Source, ctx: Context) -> Iterator[Hit]:
    from oai_lint.analysis.models import pattern, table

    if source.kind in {"json", "yaml"} and _recorded_data(source.path):
        return
    models = table()
    text = source.text
    hash_comments = source.kind != "json"
    for m in pattern().finditer(text):
        model = m.group(1)
        line, col = source.position(m.start())
        line_text = source.line_text(line)
        before = line_text[: col - 1]
        after = text[m.end() : m.end() + 4]
        if re.match(r"^[\"']?\s*[:=]", after):
            continue  # a key, not a value
        if hash_comments and re.search(r"(^|\s)#", before):
            continue
        if models[model].ambiguous and not _MODEL_WORD.search(before):
            continue
        yield _model_hit(line, col, model)
