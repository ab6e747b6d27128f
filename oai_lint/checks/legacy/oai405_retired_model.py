"""OAI405: a model that OpenAI has shut down, named in code or configuration (the table:
:mod:`oai_lint.analysis.models`)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from oai_lint.analysis.models import CODE_TRIGGERS as MODEL_CODE_TRIGGERS
from oai_lint.analysis.models import TRIGGERS as MODEL_TRIGGERS
from oai_lint.analysis.models import pattern, replacement, table
from oai_lint.analysis.vocab import JS_KINDS, PY_KINDS
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source
from oai_lint.sources.python import PyIndex

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
    entry = table()[model]
    repl = replacement(entry)
    params = {
        "model": model,
        "when": entry.when(),
        "replacement": f"; the recommended replacement was {repl}" if repl else "",
    }
    return Hit("OAI405", line, col, line, col + len(model), params=params, key=model)


def _py_model_context(idx: PyIndex, node: ast.AST) -> bool | None:
    """True: clearly a model value; False: a comparison, dict key or case pattern (not a use); None: other."""
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
