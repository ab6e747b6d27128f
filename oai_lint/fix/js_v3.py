"""openai-node v3 → current (OAI404, unsafe), as byte-range edits.

The ``Configuration``/``OpenAIApi`` import and construction become ``new OpenAI({...})``, the body-only
v3 methods become the resource methods, ``.data`` on their results goes (the result is the body), and the
axios error shape in the ``catch`` (or ``.catch``) around them becomes the SDK's. CommonJS and ESM.
"""

from __future__ import annotations

from oai_lint.fix.js_edits import Edits, Node, walk
from oai_lint.fix.model import UNSAFE, Fixed

# v3 methods whose only argument is the request body, as in the current resource method
METHODS = {
    "createChatCompletion": "chat.completions.create",
    "createCompletion": "completions.create",
    "createEmbedding": "embeddings.create",
    "createImage": "images.generate",
    "createModeration": "moderations.create",
    "listModels": "models.list",
    "retrieveModel": "models.retrieve",
    "deleteModel": "models.delete",
    "listFiles": "files.list",
    "retrieveFile": "files.retrieve",
    "deleteFile": "files.delete",
    "createTranscription": "audio.transcriptions.create",
    "createTranslation": "audio.translations.create",
    "createImageEdit": "images.edit",
    "createImageVariation": "images.createVariation",
    "createFile": "files.create",
}
# v3 methods with positional parameters (openai-node 3.3.0 api.ts) -> the body fields they become
POSITIONAL = {
    "createTranscription": ("file", "model", "prompt", "response_format", "temperature", "language"),
    "createTranslation": ("file", "model", "prompt", "response_format", "temperature"),
    "createImageEdit": ("image", "prompt", "mask", "n", "size", "response_format", "user"),
    "createImageVariation": ("image", "n", "size", "response_format", "user"),
    "createFile": ("file", "purpose"),
}
_CONFIG_KEYS = {"apiKey": "apiKey", "organization": "organization", "basePath": "baseURL"}
_V3_NAMES = {"Configuration", "OpenAIApi"}
# v3 request/response types -> their names under the current SDK's OpenAI namespace (openai-node 4-7)
TYPES = {
    "ChatCompletionRequestMessage": "OpenAI.ChatCompletionMessageParam",
    "ChatCompletionResponseMessage": "OpenAI.ChatCompletionMessage",
    "CreateChatCompletionRequest": "OpenAI.ChatCompletionCreateParamsNonStreaming",
    "CreateChatCompletionResponse": "OpenAI.ChatCompletion",
    "CreateCompletionRequest": "OpenAI.CompletionCreateParamsNonStreaming",
    "CreateCompletionResponse": "OpenAI.Completion",
    "CreateEmbeddingRequest": "OpenAI.EmbeddingCreateParams",
    "CreateEmbeddingResponse": "OpenAI.CreateEmbeddingResponse",
    "CreateModerationRequest": "OpenAI.ModerationCreateParams",
    "CreateModerationResponse": "OpenAI.ModerationCreateResponse",
    "CreateImageRequest": "OpenAI.ImageGenerateParams",
    "ImagesResponse": "OpenAI.ImagesResponse",
}


def migrate_v3(ed: Edits, nodes: list[Node], lines: set[int]) -> None:
    found = [n for n in nodes if _openai_import(ed, n) is not None]
    type_only = [n for n in found if ed.text(n).startswith("import type")]
    imports = [n for n in found if n not in type_only]
    if len(imports) != 1:
        if len(imports) > 1:
            ed.note(imports[1], "more than one import of openai: the v3 API was left alone")
        return
    imp = imports[0]
    names = _openai_import(ed, imp) or {}
    for extra in type_only:
        names.update(_openai_import(ed, extra) or {})
    types = {lo: TYPES[im] for lo, im in names.items() if im in TYPES}
    if not set(names.values()) <= _V3_NAMES | set(TYPES):
        ed.note(imp, "the openai import names v3 types with no certain current name: the v3 API was left alone")
        return
    type_uses = _type_uses(ed, nodes, types)
    if type_uses is None:
        ed.note(imp, "a v3 type is used as a value: the v3 API was left alone")
        return
    if any(n.type == "identifier" and ed.text(n) == "OpenAI" for n in nodes):
        ed.note(imp, "OpenAI is already a name here: the v3 API was left alone")
        return
    local = {v: k for k, v in names.items()}
    api, cfg = local.get("OpenAIApi"), local.get("Configuration")
    clients = [n for n in nodes if n.type == "new_expression" and _ctor(ed, n) == api]
    configs = [n for n in nodes if n.type == "new_expression" and cfg and _ctor(ed, n) == cfg]
    plans = [_client_plan(ed, n, cfg, nodes) for n in clients]
    if not clients or any(p is None for p in plans):
        return
    used = {(c.start_byte, c.end_byte) for p in plans if p for c in p[1]}
    if any((c.start_byte, c.end_byte) not in used for c in configs):
        ed.note(configs[0], "new Configuration(...) is used other than by new OpenAIApi: left alone")
        return
    calls = [n for n in nodes if n.type == "call_expression" and ed.line(n) in lines and _method(ed, n)]
    for new, plan in zip(clients, plans, strict=True):
        assert plan is not None
        options, _, removals = plan
        ed.replace(new, f"new OpenAI({options})")
        for node in removals:
            ed.edits.append((node.start_byte, _line_end(ed, node.end_byte), ""))
        ed.fixed.append(Fixed("OAI404", ed.line(new), UNSAFE, "new OpenAIApi(new Configuration({...})) → "
                              "new OpenAI({...})"))
    for c in configs:
        ed.fixed.append(Fixed("OAI404", ed.line(c), UNSAFE, "new Configuration(...) folded into new OpenAI(...)"))
    for node in type_uses:
        ed.replace(node, types[ed.text(node)])
    for extra in type_only:
        ed.edits.append((extra.start_byte, _line_end(ed, extra.end_byte), ""))
    if imp.type == "import_statement":
        ed.replace(imp, 'import OpenAI from "openai";')
    else:
        decl = imp.parent
        keyword = ed.text(decl.child(0)) if decl is not None and decl.child_count else "const"
        ed.replace(decl if decl is not None else imp, f'{keyword} OpenAI = require("openai");')
    for call in calls:
        _call(ed, call)


def _type_uses(ed: Edits, nodes: list[Node], types: dict[str, str]) -> list[Node] | None:
    """The type references to the imported v3 types; None when one is used as a value."""
    out = []
    for node in nodes:
        if node.type == "type_identifier" and ed.text(node) in types:
            out.append(node)
        elif node.type == "identifier" and ed.text(node) in types:
            up = node.parent
            while up is not None and up.type not in {"import_statement", "program"}:
                up = up.parent
            if up is None or up.type != "import_statement":
                return None
    return out


def _openai_import(ed: Edits, node: Node) -> dict[str, str] | None:
    """local name -> imported name for ``import {…} from "openai"`` / ``const {…} = require("openai")``."""
    out: dict[str, str] = {}
    if node.type == "import_statement":
        source = node.child_by_field_name("source")
        if source is None or ed.tree.string_value(source) != "openai":
            return None
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        named = next((c for c in clause.named_children if c.type == "named_imports"), None) if clause else None
        if clause is None or named is None or len(clause.named_children) != 1:
            return None
        for spec in named.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is None:
                return None
            out[ed.text(alias or name)] = ed.text(name)
        return out
    if node.type != "variable_declarator":
        return None
    value, pattern = node.child_by_field_name("value"), node.child_by_field_name("name")
    if value is None or value.type != "call_expression" or pattern is None or pattern.type != "object_pattern":
        return None
    fn, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if fn is None or ed.text(fn) != "require" or args is None or args.named_child_count != 1:
        return None
    if ed.tree.string_value(args.named_children[0]) != "openai":
        return None
    if node.parent is None or node.parent.named_child_count != 1:
        return None
    for prop in pattern.named_children:
        if prop.type == "shorthand_property_identifier_pattern":
            out[ed.text(prop)] = ed.text(prop)
        elif prop.type == "pair_pattern":
            key, val = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if key is None or val is None or val.type != "identifier":
                return None
            out[ed.text(val)] = ed.text(key)
        else:
            return None
    return out


def _ctor(ed: Edits, new: Node) -> str | None:
    ctor = new.child_by_field_name("constructor")
    return ed.text(ctor) if ctor is not None and ctor.type == "identifier" else None


def _client_plan(ed: Edits, new: Node, cfg: str | None,
                 nodes: list[Node]) -> tuple[str, list[Node], list[Node]] | None:
    """(the options text, the Configuration expressions it uses, the statements to remove) or None."""
    args = new.child_by_field_name("arguments")
    argv = args.named_children if args is not None else []
    if not argv:
        return "", [], []
    if len(argv) != 1:
        ed.note(new, "new OpenAIApi(...) with more than one argument: left alone")
        return None
    arg = argv[0]
    removals: list[Node] = []
    if arg.type == "identifier":
        name = ed.text(arg)
        decls = [n for n in nodes if n.type == "variable_declarator"
                 and (nm := n.child_by_field_name("name")) is not None and ed.text(nm) == name]
        refs = [n for n in nodes if n.type in {"identifier", "shorthand_property_identifier"} and ed.text(n) == name]
        value = decls[0].child_by_field_name("value") if len(decls) == 1 else None
        if value is None or len(refs) != 2 or decls[0].parent is None or decls[0].parent.named_child_count != 1:
            ed.note(new, f"{name} is not a Configuration used only here: left alone")
            return None
        arg = value
        removals.append(decls[0].parent)
    if arg.type != "new_expression" or _ctor(ed, arg) != cfg:
        ed.note(new, "new OpenAIApi(...) without a new Configuration(...): left alone")
        return None
    cargs = arg.child_by_field_name("arguments")
    cargv = cargs.named_children if cargs is not None else []
    if not cargv:
        return "", [arg], removals
    obj = cargv[0]
    if len(cargv) != 1 or obj.type != "object":
        ed.note(arg, "new Configuration(...) without an object literal: left alone")
        return None
    parts = []
    for prop in obj.named_children:
        key = prop.child_by_field_name("key") if prop.type == "pair" else prop
        name = ed.text(key).strip("\"'") if key is not None else ""
        if prop.type not in {"pair", "shorthand_property_identifier"} or name not in _CONFIG_KEYS:
            ed.note(prop, f"Configuration option {ed.text(prop)[:40]!r} has no certain v4 equivalent: left alone")
            return None
        value = prop.child_by_field_name("value") if prop.type == "pair" else key
        parts.append(f"{_CONFIG_KEYS[name]}: {_with_inner_edits(ed, value)}")
    return "{ " + ", ".join(parts) + " }" if parts else "", [arg], removals


def _with_inner_edits(ed: Edits, node: Node) -> str:
    """The node's text with the edits already planned inside it (a key or model fix), which it takes over."""
    inner = [e for e in ed.edits if node.start_byte <= e[0] and e[1] <= node.end_byte]
    text = ed.tree.source[node.start_byte:node.end_byte]
    for start, stop, new in sorted(inner, reverse=True):
        text = text[: start - node.start_byte] + new.encode() + text[stop - node.start_byte:]
        ed.edits.remove((start, stop, new))
    return text.decode("utf-8", "surrogatepass")


def _line_end(ed: Edits, at: int) -> int:
    src = ed.tree.source
    while at < len(src) and src[at:at + 1] in (b" ", b"\t", b";"):
        at += 1
    return at + 1 if src[at:at + 1] == b"\n" else at


def _method(ed: Edits, call: Node) -> str | None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    prop = fn.child_by_field_name("property")
    return ed.text(prop) if prop is not None and ed.text(prop) in METHODS else None


def _call(ed: Edits, call: Node) -> None:
    method = _method(ed, call)
    args = call.child_by_field_name("arguments")
    if method is None or args is None:
        return
    argv = [a for a in args.named_children if a.type != "comment"]
    most = len(POSITIONAL.get(method, ())) or 1
    if len(argv) > most or any(a.type == "spread_element" for a in argv):
        ed.note(call, f"{method}(...) passes request options: left alone")
        return
    if method in POSITIONAL:
        fields = [f"{name}: {_with_inner_edits(ed, a)}" for name, a in zip(POSITIONAL[method], argv, strict=False)
                  if ed.text(a) != "undefined"]
        ed.replace(args, "({ " + ", ".join(fields) + " })")
    prop = call.child_by_field_name("function").child_by_field_name("property")
    ed.replace(prop, METHODS[method])
    ed.fixed.append(Fixed("OAI404", ed.line(call), UNSAFE, f"{method}() → {METHODS[method]}()"))
    _response(ed, call)
    _errors(ed, call)


def _response(ed: Edits, call: Node) -> None:
    """``.data`` on the call's result: the v4 result is the body itself."""
    cur = call
    while cur.parent is not None and cur.parent.type in {"await_expression", "parenthesized_expression"}:
        cur = cur.parent
    parent = cur.parent
    if parent is None:
        return
    if parent.type == "member_expression" and _prop(ed, parent) == "data":
        ed.edits.append((cur.end_byte, parent.end_byte, ""))
        return
    result_is_response = True  # what the next .then receives
    for method, callback in _chained(ed, cur):
        param = _first_param(ed, callback)
        if method != "then":
            if param is not None:
                _error_shape(ed, callback, param)
            continue
        if param is not None and result_is_response:
            _drop_data(ed, callback, param, None)
        result_is_response = _returns_v3_call(ed, callback)
    if parent.type != "variable_declarator":
        return
    name = parent.child_by_field_name("name")
    if name is not None and name.type == "object_pattern":
        kids = name.named_children
        if len(kids) == 1 and kids[0].type == "shorthand_property_identifier_pattern" and ed.text(kids[0]) == "data":
            ed.replace(name, "data")
        elif (len(kids) == 1 and kids[0].type == "pair_pattern"
              and ed.text(kids[0].child_by_field_name("key")) == "data"
              and kids[0].child_by_field_name("value").type == "identifier"):
            ed.replace(name, ed.text(kids[0].child_by_field_name("value")))
        else:
            ed.note(name, "destructuring of the v3 response left alone")
        return
    if name is None or name.type != "identifier":
        return
    _drop_data(ed, _scope(parent), ed.text(name), name)


def _chained(ed: Edits, node: Node) -> list[tuple[str, Node]]:
    """The callbacks of ``.then(cb)``/``.catch(cb)`` chained on ``node``: (method, callback)."""
    out = []
    cur = node
    while cur.parent is not None and cur.parent.type == "member_expression" and _prop(ed, cur.parent) in {
            "then", "catch", "finally"}:
        member = cur.parent
        call = member.parent
        if call is None or call.type != "call_expression":
            break
        args = call.child_by_field_name("arguments")
        argv = args.named_children if args is not None else []
        method = _prop(ed, member) or ""
        if argv and method == "then":
            out.append(("then", argv[0]))
            if len(argv) > 1:
                out.append(("catch", argv[1]))
        elif argv and method == "catch":
            out.append(("catch", argv[0]))
        cur = call
    return [(m, cb) for m, cb in out if cb.type in {"arrow_function", "function_expression", "function"}]


def _returns_v3_call(ed: Edits, fn: Node) -> bool:
    """Whether every value ``fn`` returns is a v3 call being migrated (its result is then a response)."""
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    if body.type != "statement_block":
        values = [body]
    else:
        values = []
        for node in walk(body):
            if node.type == "return_statement" and _function_of(node) == fn:
                values.append(node.named_children[0] if node.named_child_count else None)
    for v in values:
        while v is not None and v.type in {"await_expression", "parenthesized_expression"}:
            v = v.named_children[0] if v.named_child_count else None
        if v is None or v.type != "call_expression" or not _method(ed, v):
            return False
    return bool(values)


def _function_of(node: Node) -> Node | None:
    cur = node.parent
    while cur is not None and cur.type not in {"arrow_function", "function_expression", "function",
                                               "function_declaration", "method_definition"}:
        cur = cur.parent
    return cur


def _first_param(ed: Edits, fn: Node) -> str | None:
    param = fn.child_by_field_name("parameter")
    if param is None:
        params = fn.child_by_field_name("parameters")
        kids = params.named_children if params is not None else []
        param = kids[0] if kids else None
        if param is not None and param.type == "required_parameter":  # TypeScript
            param = param.child_by_field_name("pattern")
    return ed.text(param) if param is not None and param.type == "identifier" else None


def _drop_data(ed: Edits, scope: Node, name: str, declared: Node | None) -> None:
    """``name.data`` → ``name`` in ``scope`` (the v4 result is the body)."""
    for ref in walk(scope):
        if ref.type == "identifier" and ed.text(ref) == name and ref != declared:
            up = ref.parent
            if up is not None and up.type == "member_expression" and up.child_by_field_name("object") == ref:
                prop = _prop(ed, up)
                if prop == "data":
                    ed.edits.append((ref.end_byte, up.end_byte, ""))
                elif prop in {"status", "headers", "statusText"}:
                    ed.note(up, f"{ed.text(up)} (the HTTP response) has no v4 equivalent on the result: left "
                            "alone (use .withResponse())")


def _prop(ed: Edits, member: Node) -> str | None:
    prop = member.child_by_field_name("property")
    return ed.text(prop) if prop is not None else None


def _scope(node: Node) -> Node:
    cur = node
    while cur.parent is not None and cur.type not in {"statement_block", "program"}:
        cur = cur.parent
    return cur


def _errors(ed: Edits, call: Node) -> None:
    """The axios error shape in the ``catch`` of the ``try`` around the call → the SDK's error."""
    cur = call
    while cur is not None and cur.type != "try_statement":
        if cur.type in {"function_declaration", "arrow_function", "function_expression", "method_definition"}:
            return
        cur = cur.parent
    handler = cur.child_by_field_name("handler") if cur is not None else None
    param = handler.child_by_field_name("parameter") if handler is not None else None
    if handler is None or param is None or param.type != "identifier":
        return
    _error_shape(ed, handler, ed.text(param))


def _error_shape(ed: Edits, handler: Node, name: str) -> None:
    """``name.response.status`` → ``name.status`` and the like in ``handler``."""
    taken = {(s, e) for s, e, _ in ed.edits}
    for node in walk(handler):
        if node.type != "member_expression" or _prop(ed, node) != "response":
            continue
        obj = node.child_by_field_name("object")
        if obj is None or obj.type != "identifier" or ed.text(obj) != name:
            continue
        up = node.parent
        new: tuple[Node, str] | None = None
        if up is not None and up.type == "member_expression" and up.child_by_field_name("object") == node:
            prop = _prop(ed, up)
            top = up.parent
            if prop in {"status", "headers"}:
                new = (up, f"{name}.{prop}")
            elif prop == "data" and top is not None and top.type == "member_expression" and _prop(ed, top) == "error":
                new = (top, f"{name}.error")
            elif prop == "data":
                new = (up, f"({{ error: {name}.error }})")
        elif up is not None and (up.type in {"parenthesized_expression", "ternary_expression"}
                                 or (up.type == "binary_expression" and ed.text(up.child(1)) in {"&&", "||"})
                                 or up.type == "unary_expression"):
            new = (node, f"{name}.status")
        if new is None:
            ed.note(node, f"{ed.text(node.parent or node)[:40]!r}: the v3 error shape left alone")
        elif (new[0].start_byte, new[0].end_byte) not in taken:
            ed.replace(*new)
            taken.add((new[0].start_byte, new[0].end_byte))
