"""Where code and configuration *use* a model id: the value that reaches a request or a setting.

OAI405/OAI406 report a deprecated model id only where it is used, not wherever the string occurs. A use is
a ``model=`` / ``engine=`` / ``deployment`` argument or key, the default of such a setting (a parameter
default, ``os.getenv("OPENAI_MODEL", "…")``, ``Field(default="…")`` of a ``model`` field, an argparse
``--model`` default), a variable or attribute named like a model that holds the id itself, a variable that
is passed as ``model=``, the model argument of a model or LLM constructor (``dspy.LM("…")``), and in
configuration files a ``model: …`` / ``OPENAI_MODEL=…`` / ``--model …`` value. Not uses: type
declarations (``Literal[...]``, TypeScript unions), members of lists, sets and tuples (capability and
routing tables, a library's own deprecation list), dictionary keys, comparisons, token counting, generated
JSON-schema enums, tests, fixtures and recorded results.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from oai_lint.analysis import deprecations
from oai_lint.lazyre import lazy_compile

if TYPE_CHECKING:
    from oai_lint.sources import Source
    from oai_lint.sources.python import PyIndex

MODEL_WORD = lazy_compile(r"model|engine|deployment", re.I)
# A function that only measures a model (token counts, prices): its model default reaches no request.
_MEASURING = lazy_compile(r"token|encod|count|cost|price|limit", re.I)
# Callees whose first positional argument is the model: dspy.LM("…"), guidance.models.OpenAI("…"),
# litellm.completion("…", …), init_chat_model("…").
_MODEL_CALLEE = lazy_compile(
    r"^(?:\w*OpenAI\w*|LM|LLM|\w*[Cc]hat_?[Mm]odel|completion|acompletion)$"
)
# Every use above needs one of these words in the file (a model-named key, argument, variable or setting, or
# a model/LLM constructor): a file without any is not parsed at all.
_MAYBE_USE = lazy_compile(r"(?i)model|engine|deployment|openai|lm\(|completion")
_GETTERS = frozenset({"get", "getenv", "get_env", "getattr", "setdefault", "environ.get"})
CONFIG_KINDS = frozenset({"yaml", "json", "toml", "env", "ini", "dockerfile", "shell"})
CODE_KINDS = frozenset({"python", "notebook", "javascript", "typescript", "tsx"})

# JSON/YAML that records what happened rather than configures what will: eval results, logs, recorded API
# responses and test fixtures, snapshots, VCR cassettes. A model id there names the model a past run used.
_RECORD_DIRS = frozenset({
    "results", "outputs", "output", "runs", "logs", "fixtures", "cassettes", "snapshots", "__snapshots__",
    "recordings", "testdata", "golden", "goldens", "mocks", "__mocks__",
})
_RECORD_NAME = lazy_compile(
    r"(?:^|[._-])(?:results?|outputs?|history|responses?|transcripts?|logs?)(?:[._-]|$)", re.I
)
# In configuration: a key named like a model, then the value (`model: x`, `"model": "x"`, `MODEL=x`,
# `ENV OPENAI_MODEL x`, `--model x`, `--model=x`).
def _config_value(separators: str) -> str:
    return rf"""(?imx)
    (?: (?<![\w-])[\w.-]*(?:model|engine|deployment)[\w.-]*["']?[ \t]*[{separators}]
      | (?<![\w-])--?[\w-]*(?:model|engine|deployment)[\w-]*(?:[ \t]+|=)
      | ^[ \t]*ENV[ \t]+\w*(?:MODEL|ENGINE|DEPLOYMENT)\w*[ \t]+ )
    [ \t]*["']?(?P<value>[A-Za-z0-9][\w.:/-]*)"""


# YAML and JSON give a value after `key:` only (`model="x"` there is text, e.g. code in release notes)
_CONFIG_VALUE = lazy_compile(_config_value(":="))
_DATA_VALUE = lazy_compile(_config_value(":"))


class ModelUse(NamedTuple):
    """A model id used at a place (1-based line and column, as the finding's start)."""
    line: int
    column: int
    end_column: int
    model: str


def _lookup_id(value: str) -> str | None:
    """The id to look up for a string (a LiteLLM-style ``openai/`` prefix is dropped), if the table names it."""
    if not value or len(value) > 120 or " " in value:
        return None
    ident = value[7:] if value.startswith("openai/") else value
    if not deprecations.maybe_listed(ident):
        return None
    entries = deprecations.entries_for(ident)
    return ident if any(e.kind == "model" for e in entries) else None


def skipped_path(path: str) -> bool:
    """Recorded data: it names the models past runs used. (Test code is the test-code policy's to decide:
    oai_lint.testcode, which the configuration can change.)"""
    dirs = path.lower().split("/")[:-1]
    return any(d in _RECORD_DIRS for d in dirs)


def _recorded_data(path: str) -> bool:
    name = path.lower().rsplit("/", 1)[-1]
    return bool(_RECORD_NAME.search(name.rsplit(".", 1)[0]))


def uses(source: Source) -> list[ModelUse]:
    """The model ids of the deprecation table that the file uses (see the module docstring)."""
    if skipped_path(source.path):
        return []
    if source.kind in CODE_KINDS and not _MAYBE_USE.search(source.text):
        return []
    if source.kind in {"python", "notebook"}:
        return list(_python(source))
    if source.kind in {"javascript", "typescript", "tsx"}:
        return list(_javascript(source))
    if source.kind in CONFIG_KINDS:
        if source.kind in {"json", "yaml"} and _recorded_data(source.path):
            return []
        return list(_config(source))
    return []


# --- Python


def _named_model(target: ast.AST) -> bool:
    if isinstance(target, ast.Name):
        return bool(MODEL_WORD.search(target.id))
    if isinstance(target, ast.Attribute):
        return bool(MODEL_WORD.search(target.attr))
    if isinstance(target, ast.Subscript):  # config["model"] = "…", os.environ["OPENAI_MODEL"] = "…"
        key = target.slice
        return isinstance(key, ast.Constant) and isinstance(key.value, str) and bool(MODEL_WORD.search(key.value))
    return False


def _callee(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Attribute):
        if isinstance(f.value, ast.Attribute) and f.value.attr == "environ" and f.attr == "get":
            return "environ.get"
        return f.attr
    return f.id if isinstance(f, ast.Name) else ""


def _model_arg_names(idx: PyIndex) -> set[str]:
    """Names passed as ``model=`` (or engine, deployment) somewhere in the file."""
    out: set[str] = set()
    for call in idx.calls:
        for kw in call.keywords:
            if kw.arg and MODEL_WORD.search(kw.arg) and isinstance(kw.value, ast.Name):
                out.add(kw.value.id)
    return out


def _in_measuring_function(idx: PyIndex, node: ast.AST) -> bool:
    """In a function or class that only measures (``num_tokens(model=…)``, ``class TokenCounter``)."""
    func = idx.enclosing_function(node)
    if func is not None and not isinstance(func, ast.Lambda) and _MEASURING.search(func.name):
        return True
    cls = idx.enclosing_class(node)
    return cls is not None and bool(_MEASURING.search(cls.name))


def _py_use(idx: PyIndex, node: ast.Constant, passed: set[str]) -> bool:
    child: ast.AST = node
    parent = idx.parent(node)
    # `os.getenv("MODEL") or "gpt-4"`, `"a" if cond else "b"`: the value of the expression around it
    while isinstance(parent, (ast.BoolOp, ast.IfExp)) and not (isinstance(parent, ast.IfExp) and
                                                               parent.test is child):
        child, parent = parent, idx.parent(parent)
    if isinstance(parent, ast.keyword):
        if parent.arg and MODEL_WORD.search(parent.arg):
            return not _in_measuring_function(idx, parent)
        if parent.arg in {"default", "value"}:
            call = idx.parent(parent)
            return isinstance(call, ast.Call) and _setting_call(idx, call)
        return False
    if isinstance(parent, ast.Dict):
        if child in parent.keys:
            return False
        key = parent.keys[parent.values.index(child)]  # type: ignore[arg-type]
        return isinstance(key, ast.Constant) and isinstance(key.value, str) and bool(MODEL_WORD.search(key.value))
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is child:
        if any(isinstance(a, ast.match_case) for a in idx.ancestors(parent)):
            return False  # `case "gpt-4": name = "gpt-4"`: a table of aliases written as a match
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return any(_named_model(t) or (isinstance(t, ast.Name) and t.id in passed) for t in targets)
    if isinstance(parent, ast.arguments):
        return _param_default(idx, parent, child)
    if isinstance(parent, ast.Call) and child in parent.args:
        pos = parent.args.index(child)
        name = _callee(parent)
        if pos == 0:
            return bool(_MODEL_CALLEE.match(name))
        if name in _GETTERS:  # os.getenv("OPENAI_MODEL", "gpt-4"), getattr(cfg, "model", "gpt-4")
            return any(isinstance(a, ast.Constant) and isinstance(a.value, str) and MODEL_WORD.search(a.value)
                       for a in parent.args[:pos])
    return False


def _setting_call(idx: PyIndex, call: ast.Call) -> bool:
    """``Field(default=…)`` of a model field, ``add_argument("--model", default=…)``."""
    if any(isinstance(a, ast.Constant) and isinstance(a.value, str) and MODEL_WORD.search(a.value)
           for a in call.args):
        return True
    stmt = idx.parent(call)
    if isinstance(stmt, ast.Assign):
        return any(_named_model(t) for t in stmt.targets)
    if isinstance(stmt, ast.AnnAssign):
        return _named_model(stmt.target)
    return False


def _param_default(idx: PyIndex, args: ast.arguments, default: ast.AST) -> bool:
    positional = [*args.posonlyargs, *args.args]
    named: ast.arg | None = None
    if default in args.defaults:
        named = positional[len(positional) - len(args.defaults) + args.defaults.index(default)]
    elif default in args.kw_defaults:
        named = args.kwonlyargs[args.kw_defaults.index(default)]
    if named is None or not MODEL_WORD.search(named.arg):
        return False
    return not _in_measuring_function(idx, args)


def _python(source: Source) -> Iterator[ModelUse]:
    idx = source.pyindex
    if idx is None:
        return
    passed: set[str] | None = None
    for node in idx.strings:
        value = str(node.value)
        ident = _lookup_id(value)
        if ident is None:
            continue
        if passed is None:
            passed = _model_arg_names(idx)
        if _py_use(idx, node, passed):
            col = node.col_offset + 2 + (len(value) - len(ident))
            yield ModelUse(node.lineno, col, col + len(ident), ident)


# --- JavaScript / TypeScript


def _js_named(tree: Any, node: Any) -> bool:
    return node is not None and bool(MODEL_WORD.search(tree.text(node)))


def _js_use(tree: Any, node: Any) -> bool:
    child, parent = node, node.parent
    while parent is not None and (
        parent.type in {"parenthesized_expression", "ternary_expression", "as_expression",
                        "satisfies_expression"}
        or (parent.type == "binary_expression"
            and tree.text(parent.child_by_field_name("operator")) in {"||", "??"})
    ):
        if parent.type == "binary_expression" and parent.child_by_field_name("right") == child \
                and _js_named(tree, parent.child_by_field_name("left")):
            return True  # process.env.OPENAI_MODEL || "gpt-4"
        if parent.type == "ternary_expression" and parent.child_by_field_name("condition") == child:
            return False
        child, parent = parent, parent.parent
    if parent is None:
        return False
    kind = parent.type
    if kind == "pair":
        key = parent.child_by_field_name("key")
        return key != child and _js_named(tree, key)
    if kind == "variable_declarator":
        return parent.child_by_field_name("value") == child and _js_named(tree, parent.child_by_field_name("name"))
    if kind in {"assignment_expression", "assignment_pattern"}:
        return parent.child_by_field_name("right") == child and _js_named(tree, parent.child_by_field_name("left"))
    if kind in {"public_field_definition", "field_definition", "property_signature"}:
        return parent.child_by_field_name("value") == child and _js_named(
            tree, parent.child_by_field_name("name") or parent.child_by_field_name("property"))
    if kind == "jsx_attribute":
        return bool(parent.named_children) and _js_named(tree, parent.named_children[0])
    if kind == "arguments":
        call = parent.parent
        args = [c for c in parent.named_children if c.type != "comment"]
        if call is not None and args and args[0] == child:
            name = (tree.callee_name(call) or "").rsplit(".", 1)[-1]
            return bool(_MODEL_CALLEE.match(name))
    return False


def _javascript(source: Source) -> Iterator[ModelUse]:
    tree = source.js
    if tree is None:
        return
    for node in tree.nodes_of_types(("string", "template_string")):
        value = tree.string_value(node)
        ident = _lookup_id(value) if value else None
        if ident is None or not _js_use(tree, node):
            continue
        line, col = tree.start(node)
        col += 1 + (len(value or "") - len(ident))
        yield ModelUse(line, col, col + len(ident), ident)


# --- configuration


def _config(source: Source) -> Iterator[ModelUse]:
    hash_comments = source.kind != "json"
    text = source.text
    pattern = _DATA_VALUE if source.kind in {"yaml", "json"} else _CONFIG_VALUE
    for m in pattern.finditer(text):
        value = m.group("value").rstrip(".:,")
        ident = _lookup_id(value)
        if ident is None:
            continue
        start = m.start("value") + (len(value) - len(ident))
        line, col = source.position(start)
        if hash_comments and re.search(r"(^|\s)#", source.line_text(line)[: col - 1]):
            continue
        yield ModelUse(line, col, col + len(ident), ident)
